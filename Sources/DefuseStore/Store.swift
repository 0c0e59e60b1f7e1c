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

    // MARK: Escalations

    /// Where an account ranks by ARR (1 = largest; ties by `account_id`), counting no further
    /// than `limit + 1`; nil when the account is unknown.
    func arrRank(accountID: String, upTo limit: Int) throws -> Int?

    /// The ids of the `limit` largest accounts by ARR, largest first (ties by `account_id`).
    func topAccountsByARR(limit: Int) throws -> [String]

    /// Opens an escalation with its threat event (sequence 1); returns its number.
    func openEscalation(accountID: String, threat: EscalationEvent) throws -> Int

    /// Appends one event in a write transaction: `make` sees the escalation as it stands and
    /// returns the event to append (with the next sequence number) or throws to record nothing.
    func appendEvent(to number: Int, _ make: (Escalation) throws -> EscalationEvent) throws -> Escalation

    func loadEscalation(_ number: Int) throws -> Escalation?

    /// Writes whole escalations as they are, in one transaction (demo data, copies between stores).
    func insertEscalations(_ list: [Escalation]) throws

    /// Every escalation, or those of one account.
    func loadEscalations(accountID: String?) throws -> [Escalation]

    /// Every escalation with its account, one at a time and then let go, for folding thousands
    /// without holding their logs. The numbers split into up to `parts` consecutive ranges read
    /// at once, each on its own thread (on SQLite each with its own connection):
    /// `body(part, escalation, account)` runs on the thread of its part, in number order within
    /// it; part 0 holds the lowest numbers. Returns how many parts there were.
    func scanEscalations(parts: Int, _ body: @escaping @Sendable (Int, Escalation, EscalatedAccount) -> Void) throws -> Int

    // MARK: Users

    func saveUser(_ user: User) throws
    func loadUser(_ name: String) throws -> User?
    func loadUsers() throws -> [User]

    // MARK: API tokens

    /// Records a token's hash for a user; returns the token's number.
    func saveToken(user: String, label: String?, hash: String, at: Timestamp) throws -> Int
    /// The user a live (unrevoked) token hash belongs to.
    func tokenUser(hash: String) throws -> User?
    /// Revokes by number or hash; false when there was no such live token.
    func revokeToken(_ numberOrHash: String, at: Timestamp) throws -> Bool

    // MARK: Sessions

    func saveSession(hash: String, user: String, csrf: String, expiresAt: Timestamp) throws
    /// The user and CSRF token of a session that has not expired.
    func loadSession(hash: String, now: Timestamp) throws -> (user: User, csrf: String)?
    func deleteSession(hash: String) throws

    // MARK: Outbox (notifications.md)

    /// The id of the newest escalation event: the scheduler's bookmark.
    func latestEventID() throws -> Int64
    /// The escalations with events newer than the bookmark, and the new bookmark.
    func escalationsChanged(afterEvent id: Int64) throws -> (numbers: [Int], latest: Int64)
    /// Adds messages whose keys are new, in one transaction; returns how many were new.
    func enqueue(_ messages: [OutboxMessage]) throws -> Int
    /// Leases up to `limit` messages that are due (or whose lease ran out), counting an attempt.
    func claimOutbox(now: Timestamp, lease: TimeSpan, limit: Int) throws -> [OutboxMessage]
    func finishOutbox(id: Int, sentAt: Timestamp) throws
    /// A failed attempt: back to pending until `retryAt`, or parked as dead when it is nil.
    func failOutbox(id: Int, error: String, retryAt: Timestamp?) throws
    /// A dead message goes back to pending with fresh attempts; false when there was none.
    func retryOutbox(id: Int, now: Timestamp) throws -> Bool
    func loadOutbox(_ filter: OutboxFilter) throws -> [OutboxMessage]
    /// Which of these occurrence keys the outbox already holds.
    func existingOutboxKeys(_ keys: [String]) throws -> Set<String>

    // MARK: Share links (the customer's page)

    func saveShareLink(escalation: Int, salt: String, hash: String, user: String, at: Timestamp) throws
    /// The escalation a live (unrevoked) link's hash opens, or nil.
    func shareLinkEscalation(hash: String) throws -> Int?
    /// The escalation's live links, newest first.
    func liveShareLinks(escalation: Int) throws -> [ShareLink]
    /// Revokes every live link of the escalation; returns how many.
    func revokeShareLinks(escalation: Int, at: Timestamp) throws -> Int
}

/// An account that has escalations, with what the playbook reads of it besides the logs.
public struct EscalatedAccount: Sendable {
    public var account: Account
    /// Its account events, by time.
    public var events: [AccountEvent]
    /// When each of its escalations was opened (the threats' moments), earliest first.
    public var threatMoments: [Timestamp]

    public init(account: Account, events: [AccountEvent] = [], threatMoments: [Timestamp] = []) {
        self.account = account; self.events = events; self.threatMoments = threatMoments
    }
}

public struct ShareLink: Equatable, Sendable {
    public var id: Int
    public var salt: String
    public var createdAt: Timestamp
    public var createdBy: String
}

public struct OutboxFilter: Sendable {
    public var states: [OutboxMessage.State]?
    public var escalation: Int?
    public var limit: Int
    public init(states: [OutboxMessage.State]? = nil, escalation: Int? = nil, limit: Int = 1000) {
        self.states = states; self.escalation = escalation; self.limit = limit
    }
}

/// Someone who uses Defuse, with one role.
public struct User: Equatable, Sendable {
    public var name: String
    public var role: Role
    public var email: String?
    /// An argon2id hash string (libsodium), or nil when the user has no password.
    public var passwordHash: String?

    public init(name: String, role: Role, email: String? = nil, passwordHash: String? = nil) {
        self.name = name; self.role = role; self.email = email; self.passwordHash = passwordHash
    }
}

/// A problem the user can act on: a bad location, a database that is not Defuse's.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Opens the store a `--db` value names: a `postgres://` URL, or a SQLite file path (created
/// on first use). Either is migrated to this build's schema on opening.
public func openStore(_ location: String) throws -> Store {
    if isPostgresURL(location) { return try PostgresStore(url: location) }
    return try SQLiteStore(path: location)
}

public func isPostgresURL(_ location: String) -> Bool { location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") }
