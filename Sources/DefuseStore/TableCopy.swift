import DefuseDomain

/// Moving a whole database between backends (`defuse copy`): every table, row by row, in text,
/// with a checksum per table to prove both sides hold the same.
public protocol TableCopy {
    /// Reads a table in primary-key order, `batch` rows at a time. Values are text (numbers
    /// in canonical form: integers as digits, reals as Swift prints a Double), NULL as nil.
    func readTable(_ table: String, batch: Int, _ body: ([[String?]]) throws -> Void) throws
    /// Appends rows to an (empty) table, in one transaction per call.
    func writeTable(_ table: String, _ rows: [[String?]]) throws
    /// Empties every table (for `copy --force`); the log's append-only rule stays in force after.
    func clearAll() throws
    /// After a copy, id sequences continue after the largest copied id.
    func resetSequences() throws
    func rowCount(_ table: String) throws -> Int
}

public enum CopyTables {
    /// Every table with its columns, parents first; the first column orders the rows.
    public static let tables: [(name: String, columns: [String])] = [
        ("accounts", ["id", "account_id", "name", "arr_usd", "renewal_date", "csm", "exec_sponsor", "onboarded_on", "timezone"]),
        ("surveys", ["id", "response_id", "account", "kind", "score", "responded_at", "comment"]),
        ("tickets", ["id", "ticket_id", "account", "status", "opened_at", "last_customer_message_at", "last_agent_reply_at", "closed_at", "subject"]),
        ("account_events", ["id", "account", "kind", "at", "detail"]),
        ("escalations", ["number", "account", "opened_at"]),
        ("escalation_events", ["id", "escalation", "sequence", "kind", "at", "logged_at", "user", "fields"]),
        ("users", ["name", "role", "email", "password_hash"]),
        ("api_tokens", ["id", "user", "label", "hash", "created_at", "revoked_at"]),
        ("sessions", ["hash", "user", "csrf", "expires_at"]),
        ("outbox", ["id", "key", "type", "escalation", "channel", "recipient", "account_id", "account_name", "clock", "due", "text", "markdown",
                    "intended_at", "created_at", "state", "attempts", "next_attempt_at", "lease_until", "sent_at", "last_error"]),
        ("share_links", ["id", "escalation", "salt", "hash", "created_by", "created_at", "revoked_at"]),
    ]

    public static func columns(_ table: String) -> [String] { tables.first { $0.name == table }?.columns ?? [] }

    /// Canonical text of a REAL read from either backend.
    public static func real(_ d: Double) -> String { "\(d)" }
}
