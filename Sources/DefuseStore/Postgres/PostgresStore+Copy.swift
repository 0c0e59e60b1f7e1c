import CLibPQ
import DefuseDomain

extension PostgresStore: TableCopy {
    public func readTable(_ table: String, batch: Int, _ body: ([[String?]]) throws -> Void) throws {
        let columns = CopyTables.columns(table)
        try db.transaction("REPEATABLE READ") {
            try db.exec("DECLARE copy_cursor NO SCROLL CURSOR FOR SELECT \(columns.map { "\"\($0)\"" }.joined(separator: ", ")) FROM \(table) ORDER BY \"\(columns[0])\"")
            while true {
                let r = try db.exec("FETCH \(batch) FROM copy_cursor")
                guard r.count > 0 else { break }
                let reals = Set((0..<columns.count).filter { PQftype(r.handle, Int32($0)) == 701 })  // float8
                let rows = (0..<r.count).map { i in
                    (0..<columns.count).map { c -> String? in
                        guard !r.isNull(i, c) else { return nil }
                        return reals.contains(c) ? CopyTables.real(r.double(i, c)) : r.string(i, c)
                    }
                }
                try body(rows)
            }
            try db.exec("CLOSE copy_cursor")
        }
    }

    public func writeTable(_ table: String, _ rows: [[String?]]) throws {
        let columns = CopyTables.columns(table)
        try db.transaction {
            try db.copy("COPY \(table) (\(columns.map { "\"\($0)\"" }.joined(separator: ", "))) FROM STDIN") { out in
                for row in rows {
                    for v in row { out.field(v) }
                    out.endRow()
                }
            }
        }
    }

    public func clearAll() throws {
        // TRUNCATE does not fire the log's row triggers: only this command clears a database.
        try db.exec("TRUNCATE \(CopyTables.tables.map(\.name).joined(separator: ", ")) RESTART IDENTITY")
    }

    public func rowCount(_ table: String) throws -> Int { try db.exec("SELECT count(*) FROM \(table)").int(0, 0) }

    public func resetSequences() throws {
        for (table, columns) in CopyTables.tables where ["id", "number"].contains(columns[0]) {
            try db.exec("""
                SELECT setval(pg_get_serial_sequence('\(table)', '\(columns[0])'), coalesce((SELECT max(\(columns[0])) FROM \(table)), 0) + 1, false)
                """)
        }
    }
}
