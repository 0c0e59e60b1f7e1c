import DefuseDomain

extension PostgresStore {
    public func topAccountsByARR(limit: Int) throws -> [String] {
        let r = try db.exec("SELECT account_id FROM accounts ORDER BY arr_usd DESC, account_id LIMIT $1", [String(limit)])
        return (0..<r.count).map { r.string($0, 0) }
    }

    public func arrRank(accountID: String, upTo limit: Int) throws -> Int? {
        let a = try db.exec("SELECT arr_usd FROM accounts WHERE account_id = $1", [accountID])
        guard a.count == 1 else { return nil }
        let r = try db.exec("""
            SELECT count(*) FROM (SELECT 1 FROM accounts WHERE arr_usd > $1 OR (arr_usd = $1 AND account_id < $2) LIMIT $3) x
            """, [a.string(0, 0), accountID, String(max(0, limit))])
        return r.int(0, 0) + 1
    }

    public func openEscalation(accountID: String, threat: EscalationEvent) throws -> Int {
        try db.transaction {
            let a = try db.exec("SELECT id FROM accounts WHERE account_id = $1", [accountID])
            guard a.count == 1 else { throw StoreError("no account \"\(accountID)\"") }
            let e = try db.exec("INSERT INTO escalations (account, opened_at) VALUES ($1, $2) RETURNING number", [a.string(0, 0), Self.t(threat.at)])
            let number = e.int(0, 0)
            var first = threat
            first.sequence = 1
            try insert(first, into: number)
            return number
        }
    }

    /// The escalation's row is locked for the transaction, so concurrent appends to one
    /// escalation queue up: each sees the last and takes the next sequence; none is lost.
    public func appendEvent(to number: Int, _ make: (Escalation) throws -> EscalationEvent) throws -> Escalation {
        try db.transaction {
            let locked = try db.exec("SELECT number FROM escalations WHERE number = $1 FOR UPDATE", [String(number)])
            guard locked.count == 1, var escalation = try loadEscalations(where: "e.number = $1", String(number)).first else {
                throw StoreError("no escalation E-\(number)")
            }
            var event = try make(escalation)
            event.sequence = escalation.nextSequence
            try insert(event, into: number)
            escalation.log.append(event)
            return escalation
        }
    }

    public func insertEscalations(_ list: [Escalation]) throws {
        try db.transaction {
            for e in list {
                let a = try db.exec("SELECT id FROM accounts WHERE account_id = $1", [e.accountID])
                guard a.count == 1 else { throw StoreError("no account \"\(e.accountID)\"") }
                let r = try db.exec("INSERT INTO escalations (account, opened_at) VALUES ($1, $2) RETURNING number", [a.string(0, 0), Self.t(e.openedAt)])
                let number = r.int(0, 0)
                for ev in e.log { try insert(ev, into: number) }
            }
        }
    }

    private func insert(_ e: EscalationEvent, into number: Int) throws {
        try db.exec("""
            INSERT INTO escalation_events (escalation, sequence, kind, at, logged_at, "user", fields) VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, [String(number), String(e.sequence), e.kind.rawValue, Self.t(e.at), Self.t(e.loggedAt), e.user, e.fieldsText])
    }

    public func loadEscalation(_ number: Int) throws -> Escalation? {
        try loadEscalations(where: "e.number = $1", String(number)).first
    }

    public func loadEscalations(accountID: String?) throws -> [Escalation] {
        if let accountID { return try loadEscalations(where: "a.account_id = $1", accountID) }
        return try loadEscalations(where: "TRUE", nil)
    }

    func loadEscalations(where clause: String, _ value: String?) throws -> [Escalation] {
        let r = try db.exec("""
            SELECT e.number, a.account_id, v.sequence, v.kind, v.at, v.logged_at, v."user", v.fields
            FROM escalations e JOIN accounts a ON a.id = e.account JOIN escalation_events v ON v.escalation = e.number
            WHERE \(clause) ORDER BY e.number, v.sequence
            """, value.map { [$0] } ?? [])
        var out: [Escalation] = []
        for i in 0..<r.count {
            let number = r.int(i, 0)
            guard let kind = EventKind(rawValue: r.string(i, 3)) else { continue }
            let event = EscalationEvent(kind: kind, at: Timestamp(micros: r.int64(i, 4)), loggedAt: Timestamp(micros: r.int64(i, 5)),
                                        user: r.string(i, 6), sequence: r.int(i, 2), fieldsText: r.string(i, 7))
            if out.last?.number == number { out[out.count - 1].log.append(event) } else {
                out.append(Escalation(number: number, accountID: r.string(i, 1), log: [event]))
            }
        }
        return out
    }

    /// Read on this connection (the escalated accounts, their backgrounds, then every log in
    /// one query), then folded in parts on as many threads.
    public func scanEscalations(parts: Int, _ body: @escaping @Sendable (Int, Escalation, EscalatedAccount) -> Void) throws -> Int {
        let a = try db.exec(Self.accountColumns + " WHERE id IN (SELECT account FROM escalations)")
        var byRef: [Int64: String] = [:]
        var accounts: [String: EscalatedAccount] = [:]
        for i in 0..<a.count {
            let account = Self.account(a, i)
            byRef[a.int64(i, 0)] = account.id
            accounts[account.id] = EscalatedAccount(account: account)
        }
        let e = try db.exec("""
            SELECT v.account, v.kind, v.at, v.detail FROM account_events v WHERE v.account IN (SELECT account FROM escalations) ORDER BY v.at, v.id
            """)
        for r in 0..<e.count {
            guard let id = byRef[e.int64(r, 0)], let kind = AccountEventKind(rawValue: e.string(r, 1)) else { continue }
            accounts[id]?.events.append(AccountEvent(accountID: id, kind: kind, at: Timestamp(micros: e.int64(r, 2)), detail: e.optionalString(r, 3)))
        }
        let o = try db.exec("SELECT account, opened_at FROM escalations ORDER BY opened_at, number")
        for r in 0..<o.count {
            if let id = byRef[o.int64(r, 0)] { accounts[id]?.threatMoments.append(Timestamp(micros: o.int64(r, 1))) }
        }
        let all = try loadEscalations(accountID: nil)
        let parts = all.count >= 2_000 ? max(1, parts) : 1
        let known = accounts
        _ = TwoThreads.each(parts) { k in
            for e in all[(all.count * k / parts)..<(all.count * (k + 1) / parts)] {
                if let account = known[e.accountID] { body(k, e, account) }
            }
        }
        return parts
    }

    // MARK: Users, tokens, sessions

    public func saveUser(_ user: User) throws {
        try db.exec("""
            INSERT INTO users (name, role, email, password_hash) VALUES ($1, $2, $3, $4)
            ON CONFLICT (name) DO UPDATE SET role = excluded.role, email = coalesce(excluded.email, users.email),
              password_hash = coalesce(excluded.password_hash, users.password_hash)
            """, [user.name, user.role.rawValue, user.email, user.passwordHash])
    }

    public func loadUser(_ name: String) throws -> User? { try loadUsers(name).first }
    public func loadUsers() throws -> [User] { try loadUsers(nil) }

    private func loadUsers(_ name: String?) throws -> [User] {
        let r = try db.exec("SELECT name, role, email, password_hash FROM users" + (name == nil ? " ORDER BY name" : " WHERE name = $1"),
                            name.map { [$0] } ?? [])
        return (0..<r.count).map {
            User(name: r.string($0, 0), role: Role(rawValue: r.string($0, 1)) ?? .viewer, email: r.optionalString($0, 2), passwordHash: r.optionalString($0, 3))
        }
    }

    public func saveToken(user: String, label: String?, hash: String, at: Timestamp) throws -> Int {
        try db.exec("INSERT INTO api_tokens (\"user\", label, hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                    [user, label, hash, Self.t(at)]).int(0, 0)
    }

    public func tokenUser(hash: String) throws -> User? {
        let r = try db.exec("SELECT \"user\" FROM api_tokens WHERE hash = $1 AND revoked_at IS NULL", [hash])
        return r.count == 1 ? try loadUser(r.string(0, 0)) : nil
    }

    public func revokeToken(_ numberOrHash: String, at: Timestamp) throws -> Bool {
        try db.exec("UPDATE api_tokens SET revoked_at = $1 WHERE (id = $2 OR hash = $3) AND revoked_at IS NULL",
                    [Self.t(at), String(Int64(numberOrHash) ?? -1), numberOrHash]).changed > 0
    }

    public func saveSession(hash: String, user: String, csrf: String, expiresAt: Timestamp) throws {
        try db.exec("INSERT INTO sessions (hash, \"user\", csrf, expires_at) VALUES ($1, $2, $3, $4)", [hash, user, csrf, Self.t(expiresAt)])
        try db.exec("DELETE FROM sessions WHERE expires_at < $1", [String(expiresAt.micros - 30 * 86_400_000_000)])
    }

    public func loadSession(hash: String, now: Timestamp) throws -> (user: User, csrf: String)? {
        let r = try db.exec("SELECT \"user\", csrf FROM sessions WHERE hash = $1 AND expires_at > $2", [hash, Self.t(now)])
        guard r.count == 1, let user = try loadUser(r.string(0, 0)) else { return nil }
        return (user, r.string(0, 1))
    }

    public func deleteSession(hash: String) throws { try db.exec("DELETE FROM sessions WHERE hash = $1", [hash]) }

    // MARK: Share links

    public func saveShareLink(escalation: Int, salt: String, hash: String, user: String, at: Timestamp) throws {
        try db.exec("INSERT INTO share_links (escalation, salt, hash, created_by, created_at) VALUES ($1, $2, $3, $4, $5)",
                    [String(escalation), salt, hash, user, Self.t(at)])
    }

    public func shareLinkEscalation(hash: String) throws -> Int? {
        let r = try db.exec("SELECT escalation FROM share_links WHERE hash = $1 AND revoked_at IS NULL", [hash])
        return r.count == 1 ? r.int(0, 0) : nil
    }

    public func liveShareLinks(escalation: Int) throws -> [ShareLink] {
        let r = try db.exec("SELECT id, salt, created_at, created_by FROM share_links WHERE escalation = $1 AND revoked_at IS NULL ORDER BY id DESC",
                            [String(escalation)])
        return (0..<r.count).map { ShareLink(id: r.int($0, 0), salt: r.string($0, 1), createdAt: Timestamp(micros: r.int64($0, 2)), createdBy: r.string($0, 3)) }
    }

    public func revokeShareLinks(escalation: Int, at: Timestamp) throws -> Int {
        try db.exec("UPDATE share_links SET revoked_at = $2 WHERE escalation = $1 AND revoked_at IS NULL", [String(escalation), Self.t(at)]).changed
    }
}
