import DefuseApp
import DefuseDomain
import DefuseNotify
import DefuseStore
import Testing

/// A fake clock walks one escalation through every clock of the playbook, across the New York
/// DST change of 2026-03-08, and the notifications are exactly these, at exactly these moments.
@Suite("Scheduler: the whole walk")
struct SchedulerWalkTests {
    /// Events logged when the walk reaches their moment.
    static let script: [(String, String, [String: String], String)] = [
        ("2026-03-06T14:05:00Z", "ack", [:], "kim"),
        ("2026-03-06T14:20:00Z", "call_start", [:], "kim"),
        ("2026-03-06T14:30:00Z", "commitment", ["text": "Ship the export fix", "owner": "kim@example.com", "due": "2026-03-09"], "kim"),
        ("2026-03-06T14:35:00Z", "commitment", ["text": "Daily export report", "owner": "kim@example.com", "due": "2026-03-10"], "kim"),
        ("2026-03-06T14:40:00Z", "commitment", ["text": "Review with their admin", "owner": "kim@example.com", "due": "2026-03-12"], "kim"),
        ("2026-03-06T15:00:00Z", "call_end", [:], "kim"),
        ("2026-03-06T16:45:00Z", "recap_sent", [:], "kim"),
        ("2026-03-06T18:00:00Z", "ceo_briefed", [:], "ann"),
        ("2026-03-06T18:10:00Z", "ceo_decision", ["text": "Fix first, no discount"], "ann"),
        ("2026-03-07T12:00:00Z", "public_post", ["reach": "500"], "kim"),
        ("2026-03-07T12:45:00Z", "public_response", [:], "kim"),
        ("2026-03-08T20:30:00Z", "update_sent", [:], "kim"),
        ("2026-03-09T15:00:00Z", "commitment_done", ["n": "1"], "kim"),
        ("2026-03-10T22:00:00Z", "update_sent", [:], "kim"),
        ("2026-03-11T12:30:00Z", "commitment_done", ["n": "3"], "kim"),
        ("2026-03-12T18:00:00Z", "resolved", [:], "kim"),
        ("2026-03-13T11:00:00Z", "closed", [:], "kim"),
    ]

    static func expected() -> [String] {
        let kim = "kim@example.com", lee = "lee@example.com", ann = "ann@example.com"
        func each(_ at: String, _ stem: String, _ to: [String]) -> [String] { to.map { "\(at) \(stem)/\($0)" } }
        var out: [String] = []
        out += each("2026-03-06T13:59:00Z", "report.daily/2026-03-06", [lee, "team"])  // 08:00 EST had passed
        out += each("2026-03-06T14:10:00Z", "E-1/triage_call/clock.warning", [kim, "team"])
        out += each("2026-03-06T14:15:00Z", "E-1/triage_call/clock.breached", [kim, lee, "team"])
        out += each("2026-03-06T16:30:00Z", "E-1/recap/clock.warning", [kim, "team"])
        out += each("2026-03-06T16:45:00Z", "E-1/ceo_loop/ceo.loop", [ann, lee, "team"])  // flagship: rank 1 of 1
        out += each("2026-03-07T12:30:00Z", "E-1/public_response/clock.warning", [kim, "team"])
        out += each("2026-03-07T13:00:00Z", "report.daily/2026-03-07", [lee, "team"])  // 08:00 EST
        out += each("2026-03-08T12:00:00Z", "report.daily/2026-03-08", [lee, "team"])  // 08:00 EDT: DST began at 02:00
        out += each("2026-03-08T20:00:00Z", "E-1/status_update:1/clock.warning", [kim, "team"])  // 17:00 EDT less 60 min
        out += each("2026-03-09T12:00:00Z", "report.daily/2026-03-09", [lee, "team"])
        out += each("2026-03-09T13:00:00Z", "E-1/commitment:1/clock.warning", [kim, "team"])  // 09:00 EDT
        out += each("2026-03-10T12:00:00Z", "report.daily/2026-03-10", [lee, "team"])
        out += each("2026-03-10T13:00:00Z", "E-1/commitment:2/clock.warning", [kim, "team"])
        out += each("2026-03-10T20:00:00Z", "E-1/status_update:2/clock.warning", [kim, "team"])
        out += each("2026-03-10T21:00:00Z", "E-1/commitment:2/clock.breached", [kim, lee, "team"])
        out += each("2026-03-10T21:00:00Z", "E-1/status_update:2/clock.breached", [kim, lee, "team"])
        out += each("2026-03-11T12:00:00Z", "report.daily/2026-03-11", [lee, "team"])
        out += each("2026-03-12T12:00:00Z", "report.daily/2026-03-12", [lee, "team"])
        out += each("2026-03-13T12:00:00Z", "report.daily/2026-03-13", [lee, "team"])
        return out.sorted()
    }

    @Test("every notification, who gets it and when, in order; nothing else")
    func walk() throws {
        let desk = try Desk { $0.notifications.teamTimeZone = "America/New_York" }
        let scheduler = Scheduler(store: desk.store, config: desk.config)
        scheduler.fullPlanEvery = .minutes(10)  // the walk's events are seen through the log bookmark
        let recorder = Recorder()
        let dispatcher = Dispatcher(store: desk.store, transport: recorder, settings: desk.config.notifications)
        var t = ts("2026-03-06T13:59:00Z")
        let end = ts("2026-03-13T12:30:00Z")
        var pending = Self.script[...]
        var id: String?
        while t <= end {
            if t == ts("2026-03-06T14:00:00Z") { id = try desk.open(at: "2026-03-06T14:00:00Z") }
            while let (at, event, fields, user) = pending.first, ts(at) <= t, let id {
                try desk.log(id, event, at: at, fields, user: user)
                pending = pending.dropFirst()
            }
            try scheduler.tick(now: t)
            let now = t
            try dispatcher.deliverDue { now }
            t = t + .seconds(60)
        }
        #expect(pending.isEmpty)
        let got = recorder.delivered.map { "\(ISO8601.format($0.at)) \($0.key)" }
        // Within one moment the order is the outbox's; across moments it is time order.
        #expect(got.map { String($0.prefix(20)) } == got.map { String($0.prefix(20)) }.sorted())
        #expect(got.sorted() == Self.expected())
        let outbox = try desk.store.loadOutbox(OutboxFilter())
        #expect(outbox.allSatisfy { $0.state == .sent && $0.attempts == 1 })
        #expect(outbox.count == Self.expected().count)
        // The words of one: the spec's example, in this walk.
        let warning = try #require(recorder.messages.first { $0.key == "E-1/triage_call/clock.warning/team" })
        #expect(warning.text == "Acme, Inc.: triage call due in 5 minutes (14:15 UTC, 09:15 local)")
    }
}
