import CSQLite
import DefuseDomain

/// Owns one prepared statement and finalizes it in `deinit`. Parameters are bound by
/// position (1-based); nil binds NULL. Every return code is checked.
public final class SQLiteStatement {
    let handle: OpaquePointer
    unowned let connection: SQLiteConnection
    let sql: String

    init(connection: SQLiteConnection, sql: String) throws(SQLiteError) {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(connection.handle, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw SQLiteError(code: rc, message: connection.lastMessage, sql: sql)
        }
        handle = stmt
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    private func check(_ rc: Int32) throws(SQLiteError) {
        if rc != SQLITE_OK { throw SQLiteError(code: rc, message: connection.lastMessage, sql: sql) }
    }

    public func bind(_ i: Int32, _ v: Int64?) throws(SQLiteError) {
        try check(v.map { sqlite3_bind_int64(handle, i, $0) } ?? sqlite3_bind_null(handle, i))
    }
    public func bind(_ i: Int32, _ v: Int?) throws(SQLiteError) { try bind(i, v.map(Int64.init)) }
    public func bind(_ i: Int32, _ v: Double?) throws(SQLiteError) {
        try check(v.map { sqlite3_bind_double(handle, i, $0) } ?? sqlite3_bind_null(handle, i))
    }
    public func bind(_ i: Int32, _ v: String?) throws(SQLiteError) {
        guard var v else { return try check(sqlite3_bind_null(handle, i)) }
        let rc = v.withUTF8 { buf in
            buf.withMemoryRebound(to: CChar.self) { chars in
                sqlite3_bind_text(handle, i, chars.baseAddress, Int32(chars.count), csqlite_transient())
            }
        }
        try check(rc)
    }
    public func bind(_ i: Int32, blob: [UInt8]) throws(SQLiteError) {
        let rc = blob.withUnsafeBytes { sqlite3_bind_blob(handle, i, $0.baseAddress, Int32($0.count), csqlite_transient()) }
        try check(rc)
    }

    /// Advances to the next row: true when there is one, false when done.
    @discardableResult
    public func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw SQLiteError(code: rc, message: connection.lastMessage, sql: sql)
    }

    /// Ready to run again with new parameters.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    public func isNull(_ c: Int32) -> Bool { sqlite3_column_type(handle, c) == SQLITE_NULL }
    public func int64(_ c: Int32) -> Int64 { sqlite3_column_int64(handle, c) }
    public func int(_ c: Int32) -> Int { Int(sqlite3_column_int64(handle, c)) }
    public func double(_ c: Int32) -> Double { sqlite3_column_double(handle, c) }
    public func optionalInt64(_ c: Int32) -> Int64? { isNull(c) ? nil : int64(c) }
    public func string(_ c: Int32) -> String {
        guard let p = sqlite3_column_text(handle, c) else { return "" }
        let n = Int(sqlite3_column_bytes(handle, c))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }
    public func optionalString(_ c: Int32) -> String? { isNull(c) ? nil : string(c) }
    /// The first byte of a text column (0 when empty or NULL): enough to tell stored enum names apart.
    public func firstByte(_ c: Int32) -> UInt8 {
        guard let p = sqlite3_column_text(handle, c), sqlite3_column_bytes(handle, c) > 0 else { return 0 }
        return p[0]
    }
    /// An escalation event's kind, read from the column's bytes; nil when it names none.
    public func eventKind(_ c: Int32) -> EventKind? {
        guard let p = sqlite3_column_text(handle, c) else { return nil }
        return EventKind(utf8: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, c))))
    }
    public func blob(_ c: Int32) -> [UInt8] {
        guard let p = sqlite3_column_blob(handle, c) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, c))))
    }
}
