import DefuseDomain

/// Where Defuse keeps its data. One implementation per backend (SQLite now; PostgreSQL later),
/// all passing the same store test suite.
public protocol Store: AnyObject {
    /// A human description of where the data lives, for messages.
    var location: String { get }

    /// Every known account with its current executive sponsor (import validation needs both).
    func accountSponsors() throws -> [String: String?]

    /// Writes a validated batch in one transaction: all of it or nothing. Returns how many
    /// records of each kind were new (the rest updated existing ones).
    func apply(_ batch: ImportBatch) throws -> [ExportKind: Int]

    /// Every account with its surveys, tickets and events, for the report. Free text the
    /// rules do not read (subjects, comments, details, ticket ids) may be left out.
    func loadHistories() throws -> [AccountHistory]

    /// One account with everything about it, or nil when unknown.
    func loadHistory(accountID: String) throws -> AccountHistory?

    /// The number of accounts.
    func accountCount() throws -> Int
}

/// A problem the user can act on: a bad location, a database that is not Defuse's.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Opens the store a `--db` value names: a SQLite file path (created on first use).
public func openStore(_ location: String) throws -> Store {
    if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
        throw StoreError("PostgreSQL is not supported by this build yet; use a SQLite file path")
    }
    return try SQLiteStore(path: location)
}
