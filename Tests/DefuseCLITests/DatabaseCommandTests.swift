import DefuseCLI
import DefuseDomain
import DefuseStore
import Foundation
import Testing

@Suite("migrate, copy, backup, restore")
struct DatabaseCommandTests {
    /// A SQLite database with accounts, an escalation with fields that need escaping, a user and a token.
    func source(_ dir: TempDir) -> String {
        let db = dir.path + "/source.db"
        #expect(defuse(["--db", db, "import", fixtures + "/health"]).code == 0)
        #expect(defuse(["--db", db, "esc", "open", "--account", "RED-1", "--channel", "email", "--text", "tab\there\nline \\ two", "--at", "2026-12-04T08:00:00Z"]).code == 0)
        #expect(defuse(["--db", db, "user", "add", "kim", "--role", "csm", "--email", "kim@example.com"]).code == 0)
        #expect(defuse(["--db", db, "token", "create", "--user", "kim"]).code == 0)
        return db
    }

    func targets(_ dir: TempDir) throws -> [String] {
        var out = [dir.path + "/target.db"]
        if let base = ProcessInfo.processInfo.environment["DEFUSE_TEST_POSTGRES"] {
            let name = "cp_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try PGConnection(url: base).exec("CREATE DATABASE \(name)")
            out.append(String(base[..<(base.lastIndex(of: "/") ?? base.endIndex)]) + "/" + name)
        }
        return out
    }

    @Test("copy: every table with matching checksums; the copy answers as the original; a non-empty target is refused without --force")
    func copy() throws {
        let dir = try TempDir()
        let from = source(dir)
        for to in try targets(dir) {
            let r = defuse(["copy", "--from", from, "--to", to])
            #expect(r.code == 0, "\(r.err)")
            #expect(r.out.contains("escalation_events: 1 rows, checksums match") && !r.out.contains("MISMATCH"))
            for args in [["report", "--format", "json", "--level", "all"], ["esc", "show", "E-1", "--format", "json"]] {
                #expect(defuse(["--db", to] + args).out == defuse(["--db", from] + args).out, "\(args)")
            }
            #expect(defuse(["--db", to, "esc", "open", "--account", "RED-2", "--channel", "email", "--text", "x"]).out.hasPrefix("E-2\n"))
            let again = defuse(["copy", "--from", from, "--to", to])
            #expect(again.code == 1 && again.err.contains("nothing was copied (add --force"))
            let forced = defuse(["copy", "--from", from, "--to", to, "--force"])
            #expect(forced.code == 0 && defuse(["--db", to, "esc", "show", "E-2"]).code == 1, "--force replaces: E-2 is gone")
            #expect(defuse(["--db", to, "migrate"]).out.contains("up to date"))
            if to.hasPrefix("postgres") { _ = try? PGConnection(url: ProcessInfo.processInfo.environment["DEFUSE_TEST_POSTGRES"] ?? "").exec("DROP DATABASE IF EXISTS \(to.split(separator: "/").last ?? "") WITH (FORCE)") }
        }
        #expect(defuse(["copy", "--from", from]).code == 2)
        #expect(defuse(["copy", "--from", from, "--to", from]).code == 2)
    }

    @Test("backup and restore a SQLite database; restore refuses a non-empty one without --force; PostgreSQL points to pg_dump")
    func backup() throws {
        let dir = try TempDir()
        let from = source(dir)
        #expect(defuse(["--db", from, "backup", dir.path + "/b.db"]).code == 0)
        let into = dir.path + "/restored.db"
        #expect(defuse(["--db", into, "restore", dir.path + "/b.db"]).code == 0)
        #expect(defuse(["--db", into, "esc", "show", "E-1", "--format", "json"]).out == defuse(["--db", from, "esc", "show", "E-1", "--format", "json"]).out)
        let again = defuse(["--db", into, "restore", dir.path + "/b.db"])
        #expect(again.code == 1 && again.err.contains("--force"))
        #expect(defuse(["--db", into, "restore", dir.path + "/b.db", "--force"]).code == 0)
        #expect(defuse(["--db", into, "restore", dir.path + "/missing.db"]).code == 1)
        let pg = defuse(["--db", "postgres://nobody@127.0.0.1:1/x", "backup", "x"])
        #expect(pg.code == 2 && pg.err.contains("pg_dump"))
    }

    @Test("a backup with 4 KiB pages (made before Defuse chose 16 KiB) restores into a new database; a busy one is refused")
    func restoreOtherPageSize() throws {
        let dir = try TempDir()
        let from = source(dir)
        let backup = dir.path + "/b.db"
        #expect(defuse(["--db", from, "backup", backup]).code == 0)
        // The backup rewritten with 4 KiB pages, as an older Defuse wrote them.
        let old = try SQLiteConnection(path: backup)
        try old.execute("PRAGMA page_size=4096; VACUUM;")
        #expect(try old.scalar("PRAGMA page_size") == 4096)
        let into = dir.path + "/restored.db"
        #expect(defuse(["--db", into, "migrate"]).code == 0)
        #expect(try SQLiteConnection(path: into).scalar("PRAGMA page_size") == 16384)
        // Another connection holds the database: the restore says what to do and changes nothing.
        let busy = try SQLiteConnection(path: into)
        #expect(try busy.scalar("SELECT count(*) FROM accounts") == 0)
        let refused = defuse(["--db", into, "restore", backup])
        #expect(refused.code == 1 && refused.err.contains("stop the servers") && refused.err.split(separator: "\n").count == 1, "\(refused.err)")
        #expect(try busy.scalar("SELECT count(*) FROM accounts") == 0)
        _ = consume busy
        let r = defuse(["--db", into, "restore", backup])
        #expect(r.code == 0, "\(r.err)")
        let restored = try SQLiteConnection(path: into)
        #expect(try restored.scalar("PRAGMA page_size") == 4096)
        let mode = try restored.withCached("PRAGMA journal_mode") { s in try s.step() ? s.string(0) : "" }
        #expect(mode == "wal")
        #expect(defuse(["--db", into, "esc", "show", "E-1", "--format", "json"]).out == defuse(["--db", from, "esc", "show", "E-1", "--format", "json"]).out)
    }

    @Test("a PostgreSQL URL that cannot be reached is one clear line, exit 1")
    func unreachable() {
        let r = defuse(["--db", "postgres://nobody:secret@127.0.0.1:1/none", "report"])
        #expect(r.code == 1 && r.err.split(separator: "\n").count == 1 && r.err.contains("PostgreSQL") && !r.err.contains("secret"))
    }
}
