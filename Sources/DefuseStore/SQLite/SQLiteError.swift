/// A failed SQLite call: its result code, SQLite's message, and the SQL it was running.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public var code: Int32
    public var message: String
    public var sql: String?

    public var description: String {
        sql.map { "database error \(code): \(message) (in: \($0.prefix(120)))" } ?? "database error \(code): \(message)"
    }
}
