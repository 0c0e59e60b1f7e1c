import DefuseDomain
import DefuseStore
import Foundation
import Testing

let accountsCSV = "account_id,name,arr_usd,exec_sponsor\nA-1,Acme,1000,Dana\nA-2,Globex,2000,Lee\n"

@Suite("defuse import, report and account: exit codes and messages")
struct CommandLineTests {
    @Test("usage errors exit 2", arguments: [
        [], ["frobnicate"], ["report", "--format", "xml"], ["report", "--bogus"], ["report", "--level", "red"],
        ["import"], ["account"], ["account", "A", "B"], ["report", "--as-of"], ["import", "x.csv", "--skip"],
    ])
    func usage(args: [String]) throws {
        let dir = try TempDir()
        let r = defuse(["--db", dir.db] + args)
        #expect(r.code == 2)
        if !args.isEmpty {
            #expect(r.err.hasPrefix("defuse: ") && r.err.split(separator: "\n").count == 1, "one line: \(r.err)")
        }
    }

    @Test("bad values exit 1 with one line naming the problem", arguments: [
        (["report", "--as-of", "yesterday"], "--as-of: not a timestamp"),
        (["account", "NOPE"], "no account \"NOPE\""),
        (["import", "/nonexistent/file.csv"], "no such file"),
        (["import", "x", "--at", "soon"], "--at: not a timestamp"),
        (["demo", "--accounts", "0"], "--accounts: expected a whole number"),
    ])
    func badInput(args: [String], fragment: String) throws {
        let dir = try TempDir()
        let r = defuse(["--db", dir.db] + args)
        #expect(r.code == 1)
        #expect(r.err.contains(fragment), "\(r.err)")
        #expect(r.err.split(separator: "\n").count == 1)
    }

    @Test("a bad import lists every bad row, exits 1 and imports nothing from any file")
    func allOrNothing() throws {
        let dir = try TempDir()
        try dir.write("accounts.csv", accountsCSV)
        try dir.write("tickets.csv", "ticket_id,account_id,status,opened_at\nT1,A-1,open,2026-01-01\nT2,A-1,bogus,2026-01-01\nT3,GHOST,open,nope\n")
        let r = defuse(["--db", dir.db, "import", dir.path])
        #expect(r.code == 1)
        let lines = r.err.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasSuffix("tickets.csv:3: status: unknown status \"bogus\" (expected one of: new, open, pending, hold, solved, closed)") })
        #expect(lines.contains { $0.hasSuffix("tickets.csv:4: account_id: unknown account \"GHOST\" (not in the accounts imported nor already known)") })
        #expect(lines.contains { $0.hasSuffix("tickets.csv:4: opened_at: not a timestamp: \"nope\" (expected e.g. 2026-03-05T14:02:00Z or 2026-03-05)") })
        #expect(lines.last?.hasPrefix("nothing imported") == true)
        #expect(try SQLiteStore(path: dir.db).accountCount() == 0)
    }

    @Test("--skip-bad imports the good rows and reports the bad ones as skipped")
    func skipBad() throws {
        let dir = try TempDir()
        try dir.write("accounts.csv", accountsCSV + "A-3,,5,\n")
        try dir.write("tickets.csv", "ticket_id,account_id,status,opened_at\nT1,A-1,open,2026-01-01\nT2,A-3,open,2026-01-01\n")
        let r = defuse(["--db", dir.db, "import", dir.path, "--skip-bad"])
        #expect(r.code == 0)
        #expect(r.out.contains("accounts: 2 added, 0 updated, 1 skipped"))
        #expect(r.out.contains("tickets: 1 added, 0 updated, 1 skipped"))
        #expect(r.err.contains("accounts.csv:4: name: missing value"))
        #expect(try SQLiteStore(path: dir.db).accountCount() == 2)
    }

    @Test("after 50 problems the rest are counted")
    func manyErrors() throws {
        let dir = try TempDir()
        try dir.write("a.csv", "account_id,name,arr_usd\n" + (1...80).map { "A-\($0),N,-\($0)\n" }.joined())
        let r = defuse(["--db", dir.db, "import", dir.path + "/a.csv"])
        let lines = r.err.split(separator: "\n")
        #expect(lines.count == 52)
        #expect(lines[50] == "… and 30 more problems")
    }

    @Test("re-importing updates by key; a changed sponsor is recorded at --at")
    func reimport() throws {
        let dir = try TempDir()
        try dir.write("accounts.csv", accountsCSV)
        #expect(defuse(["--db", dir.db, "import", dir.path + "/accounts.csv"]).out.contains("accounts: 2 added, 0 updated, 0 skipped"))
        try dir.write("accounts.csv", "account_id,name,arr_usd,exec_sponsor\nA-1,Acme,1000,Robin\nA-2,Globex,2500,Lee\n")
        let r = defuse(["--db", dir.db, "import", dir.path + "/accounts.csv", "--at", "2026-12-01T10:00:00Z"])
        #expect(r.out.contains("accounts: 0 added, 2 updated, 0 skipped"))
        #expect(r.out.contains("recorded 1 executive sponsor change dated 2026-12-01T10:00:00Z"))
        let report = defuse(["--db", dir.db, "report", "--as-of", "2026-12-02T00:00:00Z", "--format", "csv"])
        #expect(report.out.contains("A-1,Acme,1000,yellow,sponsor_change,"))
        #expect(!report.out.contains("A-2,"))
    }

    @Test("the configuration beside the database changes thresholds, and the report says so")
    func configuration() throws {
        let dir = try TempDir()
        try dir.write("accounts.csv", accountsCSV)
        try dir.write("tickets.csv", "ticket_id,account_id,status,opened_at\nT1,A-1,pending,2026-01-01\nT2,A-1,pending,2026-01-01\n")
        _ = defuse(["--db", dir.db, "import", dir.path])
        try dir.write("defuse.conf", "# tighter for this team\nopen_tickets_max = 1\n")
        let table = defuse(["--db", dir.db, "report", "--as-of", "2026-12-01"])
        #expect(table.out.contains("Thresholds differ from the defaults: open_tickets_max = 1 (default 5)"))
        #expect(table.out.contains("A-1"))
        let json = defuse(["--db", dir.db, "report", "--as-of", "2026-12-01", "--format", "json"])
        #expect(json.out.contains("\"open_tickets_max\": 1"))
        try dir.write("defuse.conf", "open_tickets_max = 1\nopen_ticket_max = 2\n")
        let bad = defuse(["--db", dir.db, "report"])
        #expect(bad.code == 1)
        #expect(bad.err.contains("defuse.conf:2: unknown setting \"open_ticket_max\""))
        let explicit = defuse(["--db", dir.db, "--config", dir.path + "/missing.conf", "report"])
        #expect(explicit.code == 1)
    }

    @Test("--db falls back to DEFUSE_DB; the table is coloured only on a terminal")
    func colour() throws {
        let dir = try TempDir()
        try dir.write("tickets.csv", "ticket_id,account_id,status,opened_at\nT1,A-1,open,2026-01-01\n")
        try dir.write("accounts.csv", accountsCSV)
        _ = defuse(["--db", dir.db, "import", dir.path])
        #expect(!defuse(["--db", dir.db, "report"]).out.contains("\u{1B}["))
        #expect(defuse(["--db", dir.db, "report"], tty: true).out.contains("\u{1B}[33m"))
        let r = try runBinary(["report", "--format", "csv"], environment: ["DEFUSE_DB": dir.db])
        #expect(r.out.contains("A-1,Acme"))
    }

    @Test("a file that is not a database is one clear line, exit 1")
    func notADatabase() throws {
        let dir = try TempDir()
        try dir.write("junk.db", String(repeating: "not a database ", count: 100))
        let r = defuse(["--db", dir.path + "/junk.db", "report"])
        #expect(r.code == 1)
        #expect(r.err.split(separator: "\n").count == 1)
    }
}
