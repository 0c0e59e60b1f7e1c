import DefuseDomain

extension PostgresStore {
    public func latestEventID() throws -> Int64 { try db.exec("SELECT coalesce(max(id), 0) FROM escalation_events").int64(0, 0) }

    /// Events newer than the bookmark. Ids come from a sequence, and a transaction may commit
    /// after a later id is already visible, so the look trails the bookmark by 20 ids
    /// (re-folding an escalation twice costs little); the scheduler's full plan each minute
    /// catches anything later still.
    public func escalationsChanged(afterEvent id: Int64) throws -> (numbers: [Int], latest: Int64) {
        let r = try db.exec("""
            SELECT escalation, max(id) FROM escalation_events WHERE id > $1 GROUP BY escalation
            """, [String(max(0, id - 20))])
        var latest = id
        var numbers: [Int] = []
        for i in 0..<r.count { numbers.append(r.int(i, 0)); latest = max(latest, r.int64(i, 1)) }
        return (numbers, latest)
    }

    public func enqueue(_ messages: [OutboxMessage]) throws -> Int {
        guard !messages.isEmpty else { return 0 }
        return try db.transaction {
            var added = 0
            for m in messages {
                added += try db.exec("""
                    INSERT INTO outbox (key, type, escalation, channel, recipient, account_id, account_name, clock, due, text, markdown,
                        intended_at, created_at, state, attempts, next_attempt_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'pending', 0, $14)
                    ON CONFLICT (key) DO NOTHING
                    """, [m.key, m.type.rawValue, Self.n(m.escalation), m.channel.rawValue, m.recipient, m.accountID, m.accountName, m.clock,
                          Self.t(m.due), m.text, m.markdown, Self.t(m.intendedAt), Self.t(m.createdAt), Self.t(m.nextAttemptAt)]).changed
            }
            return added
        }
    }

    /// `FOR UPDATE SKIP LOCKED`: several servers claim disjoint messages.
    public func claimOutbox(now: Timestamp, lease: TimeSpan, limit: Int) throws -> [OutboxMessage] {
        let r = try db.exec("""
            UPDATE outbox SET state = 'sending', lease_until = $2, attempts = attempts + 1
            WHERE id IN (SELECT id FROM outbox
                         WHERE (state = 'pending' AND next_attempt_at <= $1) OR (state = 'sending' AND lease_until <= $1)
                         ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
            RETURNING \(Self.outboxColumns)
            """, [Self.t(now), Self.t(now + lease), String(limit)])
        return (0..<r.count).map { Self.outboxMessage(r, $0) }.sorted { ($0.nextAttemptAt, $0.id) < ($1.nextAttemptAt, $1.id) }
    }

    public func finishOutbox(id: Int, sentAt: Timestamp) throws {
        try db.exec("UPDATE outbox SET state = 'sent', sent_at = $2, lease_until = NULL, last_error = NULL WHERE id = $1", [String(id), Self.t(sentAt)])
    }

    public func failOutbox(id: Int, error: String, retryAt: Timestamp?) throws {
        try db.exec("""
            UPDATE outbox SET state = $2, next_attempt_at = coalesce($3, next_attempt_at), lease_until = NULL, last_error = $4
            WHERE id = $1 AND state = 'sending'
            """, [String(id), retryAt == nil ? "dead" : "pending", Self.t(retryAt), error])
    }

    public func retryOutbox(id: Int, now: Timestamp) throws -> Bool {
        try db.exec("""
            UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = $2, lease_until = NULL WHERE id = $1 AND state = 'dead'
            """, [String(id), Self.t(now)]).changed > 0
    }

    public func loadOutbox(_ filter: OutboxFilter) throws -> [OutboxMessage] {
        var conditions: [String] = []
        if let states = filter.states { conditions.append("state IN (\(states.map { "'\($0.rawValue)'" }.joined(separator: ", ")))") }
        var params: [String?] = [String(filter.limit)]
        if let e = filter.escalation { params.append(String(e)); conditions.append("escalation = $2") }
        let r = try db.exec("SELECT \(Self.outboxColumns) FROM outbox" + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
                            + " ORDER BY id LIMIT $1", params)
        return (0..<r.count).map { Self.outboxMessage(r, $0) }
    }

    public func existingOutboxKeys(_ keys: [String]) throws -> Set<String> {
        var out = Set<String>()
        for k in keys where try db.exec("SELECT 1 FROM outbox WHERE key = $1", [k]).count > 0 { out.insert(k) }
        return out
    }

    static let outboxColumns = SQLiteStore.outboxColumns

    static func outboxMessage(_ r: PGResult, _ i: Int) -> OutboxMessage {
        var m = OutboxMessage(key: r.string(i, 1), type: NoticeType(rawValue: r.string(i, 2)) ?? .clockWarning,
                              escalation: r.optionalInt64(i, 3).map(Int.init), channel: OutboxMessage.Channel(rawValue: r.string(i, 4)) ?? .email,
                              recipient: r.string(i, 5), accountID: r.optionalString(i, 6), accountName: r.optionalString(i, 7),
                              clock: r.optionalString(i, 8), due: r.optionalInt64(i, 9).map(Timestamp.init(micros:)), text: r.string(i, 10),
                              markdown: r.string(i, 11), intendedAt: Timestamp(micros: r.int64(i, 12)), createdAt: Timestamp(micros: r.int64(i, 13)))
        m.id = r.int(i, 0)
        m.state = OutboxMessage.State(rawValue: r.string(i, 14)) ?? .pending
        m.attempts = r.int(i, 15)
        m.nextAttemptAt = Timestamp(micros: r.int64(i, 16))
        m.sentAt = r.optionalInt64(i, 17).map(Timestamp.init(micros:))
        m.lastError = r.optionalString(i, 18)
        return m
    }
}
