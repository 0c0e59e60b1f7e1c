import DefuseDomain
import Foundation
import Testing

/// Whole escalations around the DST days of three zones and in one without DST, each clock's
/// due and state at several moments, compared with golden files.
@Suite("Escalations in four time zones, golden")
struct EscalationGoldenTests {
    static let now = "2026-12-01T00:00:00Z"

    /// (account, zone, DST day, ARR)
    static let zones: [(String, String, String, Int)] = [
        ("NY-1", "America/New_York", "2026-03-08", 250_000),
        ("SYD-1", "Australia/Sydney", "2026-04-05", 40_000),
        ("BER-1", "Europe/Berlin", "2026-10-25", 60_000),
        ("KOL-1", "Asia/Kolkata", "2026-06-14", 150_000),
    ]

    func day(_ d: String, _ offset: Int, _ time: String) -> String {
        let date = (ISO8601.parseDate(d) ?? CalendarDate(year: 2026, month: 1, day: 1)).adding(days: offset)
        return "\(date)T\(time)Z"
    }

    func run(_ dir: TempDir, _ args: [String]) {
        let r = defuse(["--db", dir.db] + args, now: Self.now)
        #expect(r.code == 0, "\(args.joined(separator: " ")): \(r.err)")
    }

    func setUp() throws -> TempDir {
        let dir = try TempDir()
        var csv = "account_id,name,arr_usd,renewal_date,csm,exec_sponsor,timezone\n"
        for (id, zone, dst, arr) in Self.zones {
            let renewal = (ISO8601.parseDate(dst) ?? CalendarDate(year: 2026, month: 1, day: 1)).adding(days: 70)
            csv += "\(id),Customer in \(zone),\(arr),\(renewal),kim@example.com,Dana,\(zone)\n"
        }
        try dir.write("accounts.csv", csv)
        run(dir, ["import", dir.path + "/accounts.csv", "--at", "2026-01-01T00:00:00Z"])
        run(dir, ["user", "add", "lee", "--role", "manager"])
        return dir
    }

    /// The same playbook, dated around the zone's DST day D: threat on D-2.
    func escalate(_ dir: TempDir, _ id: String, _ d: String, ceo: Bool, number: Int) {
        run(dir, ["esc", "open", "--account", id, "--channel", "twitter", "--reach", "4200", "--at", day(d, -2, "14:02:00"),
                  "--text", "Third outage this month. Fix it or we post the whole thread and ask for a refund."])
        let e = "E-\(number)"
        func log(_ args: [String]) { run(dir, ["esc", "log", e] + args + ["--user", "kim"]) }
        log(["ack", "--text", "We are on it", "--at", day(d, -2, "14:12:00")])
        log(["call_start", "--at", day(d, -2, "14:20:00")])
        log(["note", "--phase", "listen", "--what-broke", "Exports time out over 10k rows", "--expected", "Exports in under a minute",
             "--need-now", "The board pack by Friday", "--pressure", "Their CFO", "--at", day(d, -2, "14:25:00")])
        log(["note", "--phase", "clarify", "--text", "They need the board pack export working by Friday", "--at", day(d, -2, "14:32:00")])
        log(["commitment", "--text", "Hotfix the export timeout", "--owner", "ana@example.com", "--due", day(d, 0, "00:00:00").prefix(10).description, "--at", day(d, -2, "14:40:00")])
        log(["commitment", "--text", "Export the board pack by hand", "--owner", "kim@example.com", "--due", day(d, 1, "00:00:00").prefix(10).description, "--at", day(d, -2, "14:41:00")])
        log(["commitment", "--text", "Root-cause review with their CTO", "--owner", "max@example.com", "--due", day(d, 5, "00:00:00").prefix(10).description, "--at", day(d, -2, "14:42:00")])
        log(["call_end", "--at", day(d, -2, "14:50:00")])
        log(["recap_sent", "--at", day(d, -2, "16:10:00")])
        if ceo {
            log(["ceo_briefed", "--at", day(d, -2, "17:00:00")])
            log(["ceo_decision", "--text", "Ship the hotfix; no credits", "--at", day(d, -2, "18:00:00")])
        }
        log(["diagnosed", "--text", "A missing index on the export query", "--at", day(d, -1, "09:00:00")])
        log(["commitment_done", "--n", "1", "--at", day(d, 0, "10:00:00")])
        log(["public_post", "--url", "https://x.example/post/1", "--reach", "900", "--at", day(d, 0, "11:00:00")])
        log(["update_sent", "--text", "Hotfix shipped", "--at", day(d, 0, "12:00:00")])
        log(["public_response", "--url", "https://x.example/post/2", "--at", day(d, 0, "12:30:00")])
        log(["marker", "--name", "product_gap", "--at", day(d, 1, "08:00:00")])
        run(dir, ["esc", "log", e, "concession", "--kind", "credit", "--amount", "2000", "--override", "goodwill for the CFO", "--user", "lee", "--at", day(d, 1, "09:00:00")])
        log(["commitment_done", "--n", "2", "--at", day(d, 1, "20:00:00")])
        log(["resolved", "--text", "Exports fast again", "--at", day(d, 3, "10:00:00")])
    }

    @Test("every clock's due and state at five moments, per zone")
    func clocksGolden() throws {
        let dir = try setUp()
        for (i, (id, zone, d, _)) in Self.zones.enumerated() {
            escalate(dir, id, d, ceo: true, number: i + 1)  // four accounts: all in the 20 largest, all flagship
            var out = ""
            for asOf in [day(d, -2, "14:30:00"), day(d, -2, "16:00:00"), day(d, 0, "12:00:00"), day(d, 1, "23:00:00"), day(d, 6, "00:00:00")] {
                let r = defuse(["--db", dir.db, "esc", "show", "E-\(i + 1)", "--as-of", asOf, "--format", "json"], now: Self.now)
                out += "# as of \(asOf)\n" + r.out
            }
            try expectGolden(out, "escalation-\(zone.replacing("/", with: "-")).json")
        }
    }

    @Test("the five drafts, the table view and the list")
    func draftsGolden() throws {
        let dir = try setUp()
        escalate(dir, "NY-1", "2026-03-08", ceo: true, number: 1)
        for kind in ["triage", "recap", "ceo", "public", "postmortem"] {
            let r = defuse(["--db", dir.db, "esc", "draft", "E-1", kind, "--as-of", "2026-03-12T00:00:00Z"], now: Self.now)
            try expectGolden(r.out + (r.err.isEmpty ? "" : "\n--- warnings ---\n" + r.err), "draft-\(kind).md")
        }
        try expectGolden(defuse(["--db", dir.db, "esc", "show", "E-1", "--as-of", "2026-03-08T18:00:00Z"], now: Self.now).out, "escalation-show.txt")
        escalate(dir, "KOL-1", "2026-06-14", ceo: true, number: 2)
        try expectGolden(defuse(["--db", dir.db, "esc", "list", "--as-of", "2026-03-08T18:00:00Z"], now: Self.now).out, "escalation-list.txt")
    }
}
