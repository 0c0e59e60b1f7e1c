import DefuseDomain
import Testing

/// Random event sequences, valid and not: the fold never crashes, the playbook only moves
/// forward, and a refused event leaves the status exactly as it was.
@Suite("Playbook: random event sequences")
struct PlaybookPropertyTests {
    /// threatened, the call, then the CEO loop or execution (a later press marker may move
    /// executing back into the CEO loop: the same stage), resolved, closed.
    static func stage(_ s: EscalationState) -> Int {
        switch s {
        case .threatened: 0
        case .triageCall: 1
        case .ceoLoop, .executing: 2
        case .resolved: 3
        case .closed: 4
        }
    }

    static func fields(_ kind: EventKind, _ rng: inout SplitMix) -> [String: String] {
        switch kind {
        case .note: return ["phase": ["opening", "listen", "clarify", "commit"][rng.int(4)], "text": rng.int(5) == 0 ? "they want a refund" : "ok"]
        case .commitment: return ["text": "fix", "owner": "kim", "due": "2026-03-\(10 + rng.int(15))"]
        case .commitmentDone: return ["n": String(1 + rng.int(5))]
        case .recapSent: return rng.int(3) == 0 ? ["force": "true"] : [:]
        case .publicPost: return ["reach": String(rng.int(20_000))]
        case .concession: return ["kind": "credit", "amount": "100"] .merging(rng.int(2) == 0 ? ["override": "ok"] : [:]) { $1 }
        case .evidence: return ["file": "shot.png"]
        case .marker: return ["name": MarkerName.allCases[rng.int(4)].rawValue]
        default: return [:]
        }
    }

    @Test("120 random logs of up to 30 attempted events", arguments: 0..<10)
    func randomLogs(seed: Int) {
        var rng = SplitMix(seed: UInt64(seed) &* 7919 &+ 1)
        let kinds = EventKind.allCases.filter { $0 != .threat }
        let start = t("2026-03-05T14:00:00Z")
        for _ in 0..<12 {
            let c = ctx(arr: [50_000, 150_000][rng.int(2)], tz: ["UTC", "America/New_York", "Australia/Sydney", "Asia/Kolkata"][rng.int(4)])
            var log = [EscalationEvent(kind: .threat, at: start, loggedAt: start, user: "kim", sequence: 1, fields: ["channel": "slack", "text": "x"])]
            var lastStage = 0
            for step in 0..<30 {
                let kind = kinds[rng.int(kinds.count)]
                let at = start + .minutes(Int64(rng.int(6 * 24 * 60)))
                let e = EscalationEvent(kind: kind, at: at, loggedAt: at, user: rng.int(2) == 0 ? "kim" : "lee", sequence: log.count + 1,
                                        fields: Self.fields(kind, &rng))
                let end = start + .days(10 as Int64)
                let before = EscalationStatus.fold(Escalation(number: 1, accountID: "A-1", log: log), c, asOf: end)
                if PlaybookRules.admit(e, into: log, roles: ["kim": .csm, "lee": .manager], c) != nil {
                    let after = EscalationStatus.fold(Escalation(number: 1, accountID: "A-1", log: log), c, asOf: end)
                    #expect(after.state == before.state && after.clocks == before.clocks, "a refusal changes nothing (step \(step))")
                    continue
                }
                log.append(e)
                let s = EscalationStatus.fold(Escalation(number: 1, accountID: "A-1", log: log), c, asOf: end)
                #expect(Self.stage(s.state) >= lastStage, "appending \(kind.rawValue) moved \(before.state.rawValue) back to \(s.state.rawValue)")
                lastStage = Self.stage(s.state)
                // Replayed over time, the same log only moves forward too.
                var previous = 0
                for hours in stride(from: 0, through: 240, by: 24) {
                    let stage = Self.stage(EscalationStatus.fold(Escalation(number: 1, accountID: "A-1", log: log), c, asOf: start + .hours(Int64(hours))).state)
                    #expect(stage >= previous, "over time the stage went from \(previous) to \(stage)")
                    previous = stage
                }
                // Every admitted log replays clean: each event allowed at its place.
                var p = Progress()
                for ev in log.sorted(by: EscalationEvent.applyOrder) {
                    if ev.kind != .threat {
                        #expect(PlaybookRules.check(ev, after: p, role: ev.user == "lee" ? .manager : .csm, c) == nil || ev.kind.isFact)
                    }
                    p.apply(ev)
                }
            }
        }
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
