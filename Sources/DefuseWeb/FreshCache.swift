import DefuseDomain
import DefuseStore
import Foundation

/// Answers reused until the data changes. On SQLite, `PRAGMA data_version` on a connection of
/// its own moves whenever any connection (this server's, another process's, the CLI's) commits,
/// so a cached answer is never older than the last commit. Integrations poll the same few
/// things: a token's user, and an account as of the current second. On PostgreSQL nothing is
/// cached (another server may write at any moment).
final class FreshCache: @unchecked Sendable {
    private let lock = NSLock()
    /// Where the data lives; nil on PostgreSQL.
    private let path: String?
    /// One probe connection per server thread, so that checking needs no shared lock.
    private final class Probe { let connection: SQLiteConnection; var version: Int64 = -1; init(_ c: SQLiteConnection) { connection = c } }
    private var probes: [UInt: Probe] = [:]
    private var generation = 0
    private var tokens: [String: User] = [:]
    private var accounts: [String: (second: Int64, body: [UInt8])] = [:]

    init(location: String) {
        path = isPostgresURL(location) ? nil : location
    }

    /// The data's generation now (after checking for commits), or nil when nothing may be cached.
    func current() -> Int? {
        guard let path else { return nil }
        let thread = UInt(pthread_self())
        let known = lock.withLock { probes[thread] }
        guard let probe = known ?? (try? SQLiteConnection(path: path, readOnly: true)).map(Probe.init) else { return nil }
        if known == nil { lock.withLock { probes[thread] = probe } }
        // Only this thread uses its probe: the check itself runs outside the lock.
        guard let v = try? probe.connection.withCached("PRAGMA data_version", { s in try s.step() ? s.int64(0) : -1 }) else { return nil }
        return lock.withLock {
            if v != probe.version {
                probe.version = v
                generation += 1
                tokens.removeAll()
                accounts.removeAll()
            }
            return generation
        }
    }

    func user(token: String, generation g: Int) -> User? { lock.withLock { g == generation ? tokens[token] : nil } }

    /// Keyed by the token as sent: it lives only in this process's memory, cleared on any commit.
    func remember(token: String, user: User, generation g: Int) {
        lock.withLock {
            guard g == generation else { return }
            if tokens.count > 10_000 { tokens.removeAll() }
            tokens[token] = user
        }
    }

    func account(_ id: String, second: Int64, generation g: Int) -> [UInt8]? {
        lock.withLock { g == generation ? accounts[id].flatMap { $0.second == second ? $0.body : nil } : nil }
    }

    func remember(account id: String, second: Int64, body: [UInt8], generation g: Int) {
        lock.withLock {
            guard g == generation else { return }
            if accounts.count > 10_000 { accounts.removeAll() }
            accounts[id] = (second, body)
        }
    }
}
