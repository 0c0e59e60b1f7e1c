import DefuseStore
import Foundation
import Testing

/// The escalation commands end to end, in-process against a real SQLite file.
@Suite("defuse esc")
struct EscalationCommandTests {
    /// A database with the fixture accounts, a manager `lee` and a CSM `kim`.
    func setUp() throws -> TempDir {
        let dir = try TempDir()
        #expect(defuse(["--db", dir.db, "import", fixtures + "/health"]).code == 0)
        #expect(defuse(["--db", dir.db, "user", "add", "lee", "--role", "manager"]).code == 0)
        #expect(defuse(["--db", dir.db, "user", "add", "kim", "--role", "csm", "--email", "kim@example.com"]).code == 0)
        return dir
    }

    func eventCount(_ dir: TempDir, _ id: String = "E-1") throws -> Int {
        let r = defuse(["--db", dir.db, "esc", "show", id, "--format", "json", "--as-of", "2027-01-01T00:00:00Z"])
        let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
        return (json?["events"] as? [Any])?.count ?? -1
    }

    func log(_ dir: TempDir, _ args: [String], now: String = "2026-03-06T12:00:00Z") -> Run {
        defuse(["--db", dir.db, "esc", "log"] + args, now: now)
    }

    @Test("open prints the id on the first line")
    func open() throws {
        let dir = try setUp()
        let r = defuse(["--db", dir.db, "esc", "open", "--account", "RED-1", "--channel", "slack", "--text", "We will post this", "--at", "2026-03-05T14:02:00Z"],
                       now: "2026-03-05T14:03:00Z")
        #expect(r.code == 0)
        #expect(r.out.split(separator: "\n").first == "E-1")
        #expect(defuse(["--db", dir.db, "esc", "open", "--account", "RED-1", "--channel", "slack", "--text", "again"], now: "2026-03-05T14:03:00Z").out.hasPrefix("E-2\n"))
    }

    @Test("open: bad input exits 1, usage 2", arguments: [
        (["--account", "NOPE", "--channel", "slack", "--text", "x"], 1),
        (["--account", "RED-1", "--channel", "fax", "--text", "x"], 1),
        (["--account", "RED-1", "--channel", "slack", "--text", "x", "--reach", "-4"], 1),
        (["--account", "RED-1", "--channel", "slack", "--text", "x", "--at", "2026-03-05T14:09:00Z"], 1),
        (["--account", "RED-1", "--channel", "slack"], 2),
        (["--account", "RED-1", "--channel", "slack", "--text", "x", "--colour", "red"], 2),
    ] as [([String], Int32)])
    func openErrors(args: [String], code: Int32) throws {
        let dir = try setUp()
        let r = defuse(["--db", dir.db, "esc", "open"] + args, now: "2026-03-05T14:03:00Z")
        #expect(r.code == code, "\(r.err)")
        #expect(r.err.split(separator: "\n").count == 1)
    }

    @Test("every refused event exits 3, says why, and records nothing", arguments: [
        // (events logged first, the refused one, what the message says)
        ([[String]](), ["recap_sent", "--at", "2026-03-05T14:30:00Z"], "hold the triage call"),
        ([["call_start", "--at", "2026-03-05T14:10:00Z"], ["call_end", "--at", "2026-03-05T14:40:00Z"]],
         ["recap_sent", "--at", "2026-03-05T15:00:00Z"], "three dated commitments"),
        ([], ["ceo_decision", "--at", "2026-03-05T14:30:00Z"], "not in the CEO loop"),
        ([], ["concession", "--kind", "refund", "--amount", "500", "--at", "2026-03-05T14:30:00Z"], "no concessions while the escalation is hot"),
        ([], ["concession", "--kind", "refund", "--amount", "500", "--override", "vip", "--user", "kim", "--at", "2026-03-05T14:30:00Z"], "only a manager"),
        ([["resolved", "--at", "2026-03-05T14:10:00Z"], ["closed", "--at", "2026-03-05T14:20:00Z"]], ["ack", "--at", "2026-03-05T14:30:00Z"], "closed"),
        ([], ["call_end", "--at", "2026-03-05T14:30:00Z"], "log call_start first"),
        ([], ["commitment_done", "--n", "1", "--at", "2026-03-05T14:30:00Z"], "no commitment 1"),
    ] as [([[String]], [String], String)])
    func refused(before: [[String]], event: [String], says: String) throws {
        let dir = try setUp()
        _ = defuse(["--db", dir.db, "esc", "open", "--account", "YEL-1", "--channel", "email", "--text", "x", "--at", "2026-03-05T14:02:00Z"],
                   now: "2026-03-05T14:03:00Z")
        for e in before { #expect(log(dir, ["E-1"] + e).code == 0, "setting up \(e)") }
        let count = try eventCount(dir)
        let r = log(dir, ["E-1"] + event)
        #expect(r.code == 3)
        #expect(r.err.contains(says), "\(r.err)")
        #expect(r.err.split(separator: "\n").count == 1)
        #expect(try eventCount(dir) == count, "nothing recorded")
    }

    @Test("log: usage before bad input before the playbook", arguments: [
        (["E-1", "dance"], 2), (["E-1", "threat"], 2), (["E-1", "ack", "--owner", "x"], 2),
        (["E-9", "ack"], 1), (["E-1", "commitment", "--text", "x", "--owner", "y"], 1),
        (["E-1", "ack", "--at", "2026-03-05T14:00:00Z"], 1), (["E-1", "ack", "--at", "2026-03-06T12:06:00Z"], 1),
        (["E-1", "ack", "--at", "2026-03-06T12:04:59Z"], 0),
        (["E-1", "ack", "--at", "2026-03-06T12:05:00Z"], 0), (["E-1", "ack", "--at", "2026-03-06T12:05:00.000001Z"], 1),
        (["E-1", "commitment", "--text", "x", "--owner", "y", "--due", "2026-03-10"], 3),
    ] as [([String], Int32)])
    func checkOrder(args: [String], code: Int32) throws {
        let dir = try setUp()
        _ = defuse(["--db", dir.db, "esc", "open", "--account", "YEL-1", "--channel", "email", "--text", "x", "--at", "2026-03-05T14:02:00Z"],
                   now: "2026-03-05T14:03:00Z")
        let r = log(dir, args)
        #expect(r.code == code, "\(args): \(r.err)")
    }

    @Test("show --as-of before the threat is bad input")
    func showBeforeThreat() throws {
        let dir = try setUp()
        _ = defuse(["--db", dir.db, "esc", "open", "--account", "YEL-1", "--channel", "email", "--text", "x", "--at", "2026-03-05T14:02:00Z"],
                   now: "2026-03-05T14:03:00Z")
        #expect(defuse(["--db", dir.db, "esc", "show", "E-1", "--as-of", "2026-03-05T14:01:59Z"]).code == 1)
        #expect(defuse(["--db", dir.db, "esc", "show", "E-1", "--as-of", "2026-03-05T14:02:00Z"]).code == 0)
    }

    @Test("the manager's override is recorded and shown")
    func override() throws {
        let dir = try setUp()
        _ = defuse(["--db", dir.db, "esc", "open", "--account", "YEL-1", "--channel", "email", "--text", "x", "--at", "2026-03-05T14:02:00Z"],
                   now: "2026-03-05T14:03:00Z")
        #expect(log(dir, ["E-1", "concession", "--kind", "credit", "--amount", "1250.50", "--override", "renewal at risk", "--user", "lee", "--at", "2026-03-05T15:00:00Z"]).code == 0)
        let show = defuse(["--db", dir.db, "esc", "show", "E-1", "--format", "json", "--as-of", "2026-03-06T00:00:00Z"]).out
        let json = try JSONSerialization.jsonObject(with: Data(show.utf8)) as? [String: Any]
        let c = (json?["concessions"] as? [[String: Any]])?.first
        #expect(c?["kind"] as? String == "credit")
        #expect(c?["amount_usd"] as? Double == 1250.5)
        #expect(c?["user"] as? String == "lee")
        #expect(c?["override"] as? String == "renewal at risk")
        #expect(c?["at"] as? String == "2026-03-05T15:00:00Z")
    }

    @Test("the account view lists its open escalations; a closed one drops out")
    func accountShowsOpenEscalations() throws {
        let dir = try setUp()
        for _ in 0..<2 {
            _ = defuse(["--db", dir.db, "esc", "open", "--account", "YEL-1", "--channel", "email", "--text", "x", "--at", "2026-03-05T14:02:00Z"],
                       now: "2026-03-05T14:03:00Z")
        }
        #expect(log(dir, ["E-2", "resolved", "--at", "2026-03-05T15:00:00Z"]).code == 0)
        #expect(log(dir, ["E-2", "closed", "--at", "2026-03-05T16:00:00Z"]).code == 0)
        let r = defuse(["--db", dir.db, "account", "YEL-1", "--as-of", "2026-03-06T00:00:00Z", "--format", "json"])
        let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
        let open = json?["open_escalations"] as? [[String: Any]]
        #expect(open?.compactMap { $0["id"] as? String } == ["E-1"])
        #expect(open?.first?["next_clock"] as? String == "triage_call", "the most overdue clock: due 14:17, before acknowledge at 15:02")
        #expect(open?.first?["next_state"] as? String == "breached")
        let before = defuse(["--db", dir.db, "account", "YEL-1", "--as-of", "2026-03-05T15:30:00Z"])
        #expect(before.out.contains("E-1 threatened") && before.out.contains("E-2 resolved"), "as of before the closing, both are open")
    }

    @Test("list reads the account's history as show does: serial escalator and departed champion in both")
    func listRisksMatchShow() throws {
        let dir = try setUp()
        // RED-2's sponsor changed on 2026-08-18: four threats within 90 days of it.
        for day in 1...4 {
            #expect(defuse(["--db", dir.db, "esc", "open", "--account", "RED-2", "--channel", "email", "--text", "x",
                            "--at", "2026-09-0\(day)T10:00:00Z"], now: "2026-09-0\(day)T10:01:00Z").code == 0)
        }
        let asOf = "2026-09-05T00:00:00Z"
        let list = defuse(["--db", dir.db, "esc", "list", "--format", "json", "--as-of", asOf])
        let listed = try #require((try JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [String: Any])?["escalations"] as? [[String: Any]])
        #expect(listed.count == 4)
        for element in listed {
            let id = try #require(element["id"] as? String)
            let show = defuse(["--db", dir.db, "esc", "show", id, "--format", "json", "--as-of", asOf])
            let shown = try #require(try JSONSerialization.jsonObject(with: Data(show.out.utf8)) as? [String: Any])
            #expect(element["risks"] as? [String] == shown["risks"] as? [String], "\(id)")
            let (listedLoop, shownLoop) = (element["ceo_loop"] as? [String: Any], shown["ceo_loop"] as? [String: Any])
            #expect(listedLoop?["required"] as? Bool == shownLoop?["required"] as? Bool && listedLoop?["reasons"] as? [String] == shownLoop?["reasons"] as? [String])
            #expect(element["next_action"] as? String == shown["next_action"] as? String)
        }
        let fourth = listed.first { $0["id"] as? String == "E-4" }
        #expect(fourth?["risks"] as? [String] == ["serial_escalator", "departed_champion"])
        #expect(listed.first { $0["id"] as? String == "E-1" }?["risks"] as? [String] == ["departed_champion"])
    }

    @Test("demo opens its escalations once: run again, it adds none")
    func demoOpensOnce() throws {
        let dir = try TempDir()
        let first = defuse(["--db", dir.db, "demo", "--accounts", "40", "--escalations", "3", "--at", "2026-12-01T00:00:00Z"])
        #expect(first.code == 0 && first.out.contains("Opened 3 demo escalations"), "\(first.err)")
        let again = defuse(["--db", dir.db, "demo", "--accounts", "40", "--escalations", "3", "--at", "2026-12-01T00:00:00Z"])
        #expect(again.code == 0 && !again.out.contains("Opened"))
        let list = defuse(["--db", dir.db, "esc", "list", "--format", "json", "--as-of", "2026-12-01T00:00:00Z"])
        let listed = (try JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [String: Any])?["escalations"] as? [Any]
        #expect(listed?.count == 3)
    }
}
