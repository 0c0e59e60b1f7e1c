import CSQLite
import Foundation
import DefuseDomain

extension SQLiteStore: TableCopy {
    public func readTable(_ table: String, batch: Int, _ body: ([[String?]]) throws -> Void) throws {
        let columns = CopyTables.columns(table)
        try db.read {
            let s = try db.prepare("SELECT \(columns.map { "\"\($0)\"" }.joined(separator: ", ")) FROM \(table) ORDER BY \"\(columns[0])\"")
            var rows: [[String?]] = []
            rows.reserveCapacity(batch)
            while try s.step() {
                rows.append((0..<Int32(columns.count)).map { c -> String? in
                    switch sqlite3_column_type(s.handle, c) {
                    case SQLITE_NULL: return nil
                    case SQLITE_INTEGER: return String(s.int64(c))
                    case SQLITE_FLOAT: return CopyTables.real(s.double(c))
                    default: return s.string(c)
                    }
                })
                if rows.count == batch { try body(rows); rows.removeAll(keepingCapacity: true) }
            }
            if !rows.isEmpty { try body(rows) }
        }
    }

    public func writeTable(_ table: String, _ rows: [[String?]]) throws {
        let columns = CopyTables.columns(table)
        try db.transaction {
            let s = try db.prepare("INSERT INTO \(table) (\(columns.map { "\"\($0)\"" }.joined(separator: ", "))) VALUES (\(columns.indices.map { "?\($0 + 1)" }.joined(separator: ", ")))")
            for row in rows {
                s.reset()
                for (i, v) in row.enumerated() { try s.bind(Int32(i + 1), v) }
                try s.step()
            }
        }
    }

    public func clearAll() throws {
        try db.transaction {
            // The log's triggers refuse deletes: lifted for the copy's own clearing only, inside its transaction.
            try db.execute("DROP TRIGGER escalation_events_append_only_delete")
            for (table, _) in CopyTables.tables.reversed() { try db.execute("DELETE FROM \(table)") }
            try db.execute("""
                CREATE TRIGGER escalation_events_append_only_delete BEFORE DELETE ON escalation_events
                    BEGIN SELECT RAISE(ABORT, 'the escalation log is append-only'); END;
                """)
        }
    }

    public func resetSequences() throws {}

    public func rowCount(_ table: String) throws -> Int { Int(try db.scalar("SELECT count(*) FROM \(table)")) }
}

extension SQLiteStore {
    /// An online copy of the whole database into `path` (SQLite's backup API: consistent even
    /// while others write), written beside and renamed into place.
    public func backup(to path: String) throws {
        let temp = path + ".partial"
        unlink(temp)
        let target = try SQLiteConnection(path: temp)
        try Self.copyPages(from: db, to: target)
        try target.execute("PRAGMA journal_mode=DELETE")
        guard rename(temp, path) == 0 else { throw StoreError("cannot write \(path)") }
    }

    /// Replaces this database with a backup's pages, then brings the schema up to date.
    public func restore(from path: String) throws {
        let source = try SQLiteConnection(path: path, readOnly: true)
        guard try source.scalar("PRAGMA user_version") > 0 else { throw StoreError("\(path) is not a Defuse backup") }
        // A backup's pages may be of another size (files made before 16 KiB pages were 4 KiB).
        // The copy takes the backup's size, which a database in WAL mode cannot do: it leaves
        // WAL for the copy, which needs every other connection to it closed.
        let (from, to) = (try source.scalar("PRAGMA page_size"), try db.scalar("PRAGMA page_size"))
        if from != to {
            // Refused (locked, or left in WAL) while another connection is open.
            let mode = (try? db.withCached("PRAGMA journal_mode=DELETE") { s in try s.step() ? s.string(0) : "" }) ?? "locked"
            guard mode == "delete" else {
                throw StoreError("\(path) has \(from)-byte pages and \(location) \(to)-byte ones: stop the servers using \(location), then restore again")
            }
        }
        try Self.copyPages(from: source, to: db)
        if from != to { try db.execute("PRAGMA journal_mode=WAL") }
        try migrate()
    }

    static func copyPages(from source: SQLiteConnection, to target: SQLiteConnection) throws {
        guard let b = sqlite3_backup_init(target.handle, "main", source.handle, "main") else {
            throw StoreError("backup: \(target.lastMessage)")
        }
        var rc: Int32
        repeat {
            rc = sqlite3_backup_step(b, 1024)
            if rc == SQLITE_BUSY || rc == SQLITE_LOCKED { sqlite3_sleep(20) }
        } while rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED
        sqlite3_backup_finish(b)
        guard rc == SQLITE_DONE else { throw StoreError("backup: \(String(cString: sqlite3_errstr(rc)))") }
    }
}
