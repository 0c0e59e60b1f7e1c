import DefuseDomain
import Foundation

extension SQLiteStore {
    public func topAccountsByARR(limit: Int) throws -> [String] {
        let s = try db.prepare("SELECT account_id FROM accounts ORDER BY arr_usd DESC, account_id LIMIT ?1")
        try s.bind(1, limit)
        var out: [String] = []
        while try s.step() { out.append(s.string(0)) }
        return out
    }

    public func arrRank(accountID: String, upTo limit: Int) throws -> Int? {
        guard let arr = try db.withCached("SELECT arr_usd FROM accounts WHERE account_id = ?1", { a -> Double? in
            try a.bind(1, accountID)
            return try a.step() ? a.double(0) : nil
        }) else { return nil }
        // Counting stops after `limit` richer accounts: beyond that the rank does not matter.
        return try db.withCached("""
            SELECT count(*) FROM (SELECT 1 FROM accounts WHERE arr_usd > ?1 OR (arr_usd = ?1 AND account_id < ?2) LIMIT ?3)
            """) { s in
            try s.bind(1, arr); try s.bind(2, accountID); try s.bind(3, max(0, limit))
            return try s.step() ? s.int(0) + 1 : nil
        }
    }

    public func openEscalation(accountID: String, threat: EscalationEvent) throws -> Int {
        try db.transaction {
            let a = try db.prepare("SELECT id FROM accounts WHERE account_id = ?1")
            try a.bind(1, accountID)
            guard try a.step() else { throw StoreError("no account \"\(accountID)\"") }
            let ins = try db.prepare("INSERT INTO escalations (account, opened_at) VALUES (?1, ?2) RETURNING number")
            try ins.bind(1, a.int64(0)); try ins.bind(2, threat.at.micros)
            guard try ins.step() else { throw StoreError("could not open the escalation") }
            let number = ins.int(0)
            var first = threat
            first.sequence = 1
            try insert(first, into: number)
            return number
        }
    }

    public func appendEvent(to number: Int, _ make: (Escalation) throws -> EscalationEvent) throws -> Escalation {
        try db.transaction {
            guard var escalation = try loadEscalation(number) else { throw StoreError("no escalation E-\(number)") }
            var event = try make(escalation)
            event.sequence = escalation.nextSequence
            try insert(event, into: number)
            escalation.log.append(event)
            return escalation
        }
    }

    public func insertEscalations(_ list: [Escalation]) throws {
        try db.transaction {
            let refs = try accountRefs()
            let ins = try db.prepare("INSERT INTO escalations (account, opened_at) VALUES (?1, ?2) RETURNING number")
            for e in list {
                guard let ref = refs[e.accountID] else { throw StoreError("no account \"\(e.accountID)\"") }
                try ins.bind(1, ref); try ins.bind(2, e.openedAt.micros)
                guard try ins.step() else { throw StoreError("could not add an escalation") }
                let number = ins.int(0)
                ins.reset()
                for ev in e.log { try insert(ev, into: number) }
            }
        }
    }

    private func insert(_ e: EscalationEvent, into number: Int) throws {
        let s = try db.prepare("""
            INSERT INTO escalation_events (escalation, sequence, kind, at, logged_at, user, fields) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            """)
        try s.bind(1, number); try s.bind(2, e.sequence); try s.bind(3, e.kind.rawValue); try s.bind(4, e.at.micros)
        try s.bind(5, e.loggedAt.micros); try s.bind(6, e.user); try s.bind(7, e.fieldsText)
        try s.step()
    }

    public func loadEscalations(accountID: String?) throws -> [Escalation] {
        var out: [Escalation] = []
        if let accountID {
            try Self.loadEscalations(db, where: "a.account_id = ?1", accountID) { out.append($0) }
        } else {
            try Self.loadEscalations(db, where: "1", nil) { out.append($0) }
        }
        return out
    }

    public func loadEscalation(_ number: Int) throws -> Escalation? {
        var out: Escalation?
        try Self.loadEscalations(db, where: "e.number = ?1", number) { out = $0 }
        return out
    }

    /// The escalations matching `clause` (over `e`, `a` and `v`) in number order.
    private static func loadEscalations(_ db: SQLiteConnection, where clause: String, _ value: (any Sendable)?,
                                        _ body: (Escalation) throws -> Void) throws {
        try db.withCached("""
            SELECT \(eventColumns), a.account_id
            FROM escalations e JOIN accounts a ON a.id = e.account JOIN escalation_events v ON v.escalation = e.number
            WHERE \(clause) ORDER BY e.number, v.sequence
            """) { s in
            if let v = value as? Int { try s.bind(1, v) } else if let v = value as? String { try s.bind(1, v) }
            try gather(s, head: { ($0.string(7), ()) }) { e, _ in try body(e) }
        }
    }

    public func scanEscalations(parts: Int, _ body: @escaping @Sendable (Int, Escalation, EscalatedAccount) -> Void) throws -> Int {
        let backgrounds = try loadBackgrounds()
        let count = Int(try db.scalar("SELECT count(*) FROM escalations"))
        // Few escalations: one part on this connection (an in-memory database has no other).
        guard parts > 1, count >= 2_000 else {
            try Self.scan(db, from: Int.min, to: Int.max, backgrounds) { body(0, $0, $1) }
            return 1
        }
        let bounds = [Int.min] + (try (1..<parts).map { k in
            Int(try db.scalar("SELECT number FROM escalations ORDER BY number LIMIT 1 OFFSET \(count * k / parts)"))
        }) + [Int.max]
        let path = db.path
        let failures = TwoThreads.each(parts) { k -> String? in
            do {
                let connection = try SQLiteConnection(path: path, readOnly: true)
                // Pages read in place from the file's mapping instead of copied a page at a time.
                try connection.execute("PRAGMA mmap_size = 1073741824")
                try Self.scan(connection, from: bounds[k], to: bounds[k + 1], backgrounds) { body(k, $0, $1) }
                return nil
            } catch {
                return "\(error)"
            }
        }
        if let failure = failures.compactMap({ $0 }).first { throw StoreError(failure) }
        return parts
    }

    /// The escalations numbered from `low` up to (not including) `high`, each with its account:
    /// the account's row read when its first event is.
    private static func scan(_ db: SQLiteConnection, from low: Int, to high: Int, _ backgrounds: [Int64: Background],
                             _ body: (Escalation, EscalatedAccount) throws -> Void) throws {
        let accounts = try db.prepare(accountColumns + " WHERE id = ?1")
        try db.withCached("""
            SELECT \(eventColumns), e.account
            FROM escalations e JOIN escalation_events v ON v.escalation = e.number
            WHERE e.number >= ?1 AND e.number < ?2 ORDER BY e.number, v.sequence
            """) { s in
            try s.bind(1, low); try s.bind(2, high)
            try gather(s, head: { s -> (String, (Account, Background?)) in
                let ref = s.int64(7)
                accounts.reset()
                try accounts.bind(1, ref)
                guard try accounts.step() else { throw StoreError("escalation E-\(s.int(0)) names a missing account") }
                let account = Self.account(accounts)
                return (account.id, (account, backgrounds[ref]))
            }) { e, head in
                let (account, background) = head
                let threats = background?.threats ?? []
                try body(e, EscalatedAccount(account: account, events: background?.events(of: account.id) ?? [],
                                             threatMoments: threats.isEmpty ? [e.openedAt] : threats))
            }
        }
    }

    /// Event rows: the escalation's number, then the event.
    private static let eventColumns = "e.number, v.sequence, v.kind, v.at, v.logged_at, v.user, v.fields"

    /// Gathers event rows (`eventColumns` first, ordered by number then sequence) into
    /// escalations, each handed on once its last event is read; `head` reads the escalation's
    /// account id and whatever else it needs from its first row.
    private static func gather<Head>(_ s: SQLiteStatement, head: (SQLiteStatement) throws -> (String, Head),
                                     _ body: (Escalation, Head) throws -> Void) throws {
        var current: (escalation: Escalation, head: Head)?
        while try s.step() {
            let number = s.int(0)
            guard let kind = s.eventKind(2) else { continue }
            let event = EscalationEvent(kind: kind, at: Timestamp(micros: s.int64(3)), loggedAt: Timestamp(micros: s.int64(4)),
                                        user: s.string(5), sequence: s.int(1), fieldsText: s.string(6))
            if current?.escalation.number == number {
                current!.escalation.log.append(event)
            } else {
                if let done = current { try body(done.escalation, done.head) }
                let (accountID, h) = try head(s)
                var e = Escalation(number: number, accountID: accountID, log: [])
                e.log.reserveCapacity(32)
                e.log.append(event)
                current = (e, h)
            }
        }
        if let done = current { try body(done.escalation, done.head) }
    }

    /// What the playbook reads of an escalated account besides its row: its account events,
    /// and when its escalations were opened (when it has more than one).
    private struct Background {
        var events: [(kind: AccountEventKind, at: Timestamp, detail: String?)] = []
        /// Empty for an account with one escalation: its only threat is the escalation's own.
        var threats: [Timestamp] = []

        func events(of accountID: String) -> [AccountEvent] {
            events.map { AccountEvent(accountID: accountID, kind: $0.kind, at: $0.at, detail: $0.detail) }
        }
    }

    /// The backgrounds of the accounts that need one, by the account's row id.
    private func loadBackgrounds() throws -> [Int64: Background] {
        var out: [Int64: Background] = [:]
        let o = try db.prepare("""
            SELECT account, opened_at FROM escalations
            WHERE account IN (SELECT account FROM escalations GROUP BY account HAVING count(*) > 1) ORDER BY opened_at, number
            """)
        while try o.step() {
            out[o.int64(0), default: Background()].threats.append(Timestamp(micros: o.int64(1)))
        }
        let e = try db.prepare("""
            SELECT account, kind, at, detail FROM account_events WHERE account IN (SELECT account FROM escalations) ORDER BY at, id
            """)
        while try e.step() {
            guard let kind = AccountEventKind(rawValue: e.string(1)) else { continue }
            out[e.int64(0), default: Background()].events.append((kind, Timestamp(micros: e.int64(2)), e.optionalString(3)))
        }
        return out
    }

    public func saveUser(_ user: User) throws {
        let s = try db.prepare("""
            INSERT INTO users (name, role, email, password_hash) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT(name) DO UPDATE SET role = excluded.role, email = coalesce(excluded.email, users.email),
              password_hash = coalesce(excluded.password_hash, users.password_hash)
            """)
        try s.bind(1, user.name); try s.bind(2, user.role.rawValue); try s.bind(3, user.email); try s.bind(4, user.passwordHash)
        try s.step()
    }

    public func saveToken(user: String, label: String?, hash: String, at: Timestamp) throws -> Int {
        let s = try db.prepare("INSERT INTO api_tokens (user, label, hash, created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id")
        try s.bind(1, user); try s.bind(2, label); try s.bind(3, hash); try s.bind(4, at.micros)
        guard try s.step() else { throw StoreError("could not save the token") }
        return s.int(0)
    }

    public func tokenUser(hash: String) throws -> User? {
        let name = try db.withCached("SELECT user FROM api_tokens WHERE hash = ?1 AND revoked_at IS NULL") { s -> String? in
            try s.bind(1, hash)
            return try s.step() ? s.string(0) : nil
        }
        return try name.flatMap(loadUser)
    }

    public func revokeToken(_ numberOrHash: String, at: Timestamp) throws -> Bool {
        let s = try db.prepare("UPDATE api_tokens SET revoked_at = ?1 WHERE (id = ?2 OR hash = ?3) AND revoked_at IS NULL")
        try s.bind(1, at.micros); try s.bind(2, Int64(numberOrHash) ?? -1); try s.bind(3, numberOrHash)
        try s.step()
        return try db.scalar("SELECT changes()") > 0
    }

    public func saveSession(hash: String, user: String, csrf: String, expiresAt: Timestamp) throws {
        let s = try db.prepare("INSERT INTO sessions (hash, user, csrf, expires_at) VALUES (?1, ?2, ?3, ?4)")
        try s.bind(1, hash); try s.bind(2, user); try s.bind(3, csrf); try s.bind(4, expiresAt.micros)
        try s.step()
        try db.execute("DELETE FROM sessions WHERE expires_at < \(expiresAt.micros - 30 * 86_400_000_000)")
    }

    public func loadSession(hash: String, now: Timestamp) throws -> (user: User, csrf: String)? {
        let found = try db.withCached("SELECT user, csrf FROM sessions WHERE hash = ?1 AND expires_at > ?2") { s -> (String, String)? in
            try s.bind(1, hash); try s.bind(2, now.micros)
            return try s.step() ? (s.string(0), s.string(1)) : nil
        }
        guard let (name, csrf) = found, let user = try loadUser(name) else { return nil }
        return (user, csrf)
    }

    public func deleteSession(hash: String) throws {
        let s = try db.prepare("DELETE FROM sessions WHERE hash = ?1")
        try s.bind(1, hash)
        try s.step()
    }

    public func loadUser(_ name: String) throws -> User? { try loadUsers(name).first }
    public func loadUsers() throws -> [User] { try loadUsers(nil) }

    private func loadUsers(_ name: String?) throws -> [User] {
        try db.withCached("SELECT name, role, email, password_hash FROM users" + (name == nil ? " ORDER BY name" : " WHERE name = ?1")) { s in
            if let name { try s.bind(1, name) }
            var out: [User] = []
            while try s.step() {
                out.append(User(name: s.string(0), role: Role(rawValue: s.string(1)) ?? .viewer, email: s.optionalString(2), passwordHash: s.optionalString(3)))
            }
            return out
        }
    }
}
