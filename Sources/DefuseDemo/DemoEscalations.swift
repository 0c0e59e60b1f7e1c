import DefuseDomain

/// Open escalations with realistic logs of about 30 events each (call, notes, three
/// commitments, recap, updates, posts), for the demo board and the `esc list` benchmark.
public enum DemoEscalations {
    public static func generate(count: Int, accountIDs: [String], asOf: Timestamp, seed: UInt64 = 7) -> [Escalation] {
        var rng = SeededRandom(seed: seed)
        guard !accountIDs.isEmpty else { return [] }
        return (0..<count).map { i in
            let threat = asOf - .minutes(Int64(rng.int(30...(14 * 24 * 60))))
            var log: [EscalationEvent] = []
            func add(_ kind: EventKind, _ after: Int, _ fields: [String: String] = [:]) {
                let at = threat + .minutes(Int64(after))
                guard at <= asOf || kind == .threat else { return }
                log.append(EscalationEvent(kind: kind, at: at, loggedAt: at, user: "kim", sequence: log.count + 1, fields: fields))
            }
            add(.threat, 0, ["channel": rng.pick(Channel.allCases).rawValue, "text": rng.pick(threats), "reach": String(rng.int(10...20_000))])
            add(.ack, rng.int(3...50), ["text": "On it"])
            add(.callStart, rng.int(10...40))
            for (k, phase) in ["opening", "listen", "listen", "clarify", "commit"].enumerated() {
                add(.note, 41 + k, ["phase": phase, "text": "Notes \(k)", "what_broke": "Exports time out"])
            }
            for n in 0..<3 {
                let due = LocalTime.date(of: threat, in: "UTC").adding(days: rng.int(2...12))
                add(.commitment, 50 + n, ["text": "Commitment \(n + 1)", "owner": "kim@example.com", "due": due.description])
            }
            add(.callEnd, 60)
            add(.recapSent, rng.int(70...200))
            for u in 0..<8 { add(.updateSent, 2 * 24 * 60 * (u + 1) - rng.int(0...120), ["text": "Update \(u + 1)"]) }
            for p in 0..<3 {
                add(.publicPost, 300 + p * 900, ["reach": String(rng.int(10...9_000))])
                add(.publicResponse, 330 + p * 900)
            }
            add(.diagnosed, 600, ["text": "A missing index"])
            add(.commitmentDone, 24 * 60, ["n": "1"])
            add(.marker, 90, ["name": rng.pick(MarkerName.allCases).rawValue])
            add(.ceoBriefed, 210)
            add(.ceoDecision, 240, ["text": "Go"])
            return Escalation(number: i + 1, accountID: accountIDs[rng.int(0...(accountIDs.count - 1))], log: log)
        }
    }

    static let threats = ["Third outage this month. We are posting about it.", "Fix the export or we tell the whole LinkedIn.",
                          "Our CFO wants a refund, or we go public.", "We are writing a review about your support."]
}
