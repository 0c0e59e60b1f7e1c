import DefuseDomain

extension SQLiteStore {
    public func latestEventID() throws -> Int64 { try db.scalar("SELECT ifnull(max(id), 0) FROM escalation_events") }

    public func escalationsChanged(afterEvent id: Int64) throws -> (numbers: [Int], latest: Int64) {
        try db.read {
            let s = try db.prepare("SELECT escalation, max(id) FROM escalation_events WHERE id > ?1 GROUP BY escalation")
            try s.bind(1, id)
            var numbers: [Int] = []
            var latest = id
            while try s.step() { numbers.append(s.int(0)); latest = max(latest, s.int64(1)) }
            return (numbers, latest)
        }
    }

    public func enqueue(_ messages: [OutboxMessage]) throws -> Int {
        guard !messages.isEmpty else { return 0 }
        return try db.transaction {
            let s = try db.prepare("""
                INSERT INTO outbox (key, type, escalation, channel, recipient, account_id, account_name, clock, due, text, markdown,
                    intended_at, created_at, state, attempts, next_attempt_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 'pending', 0, ?14)
                ON CONFLICT (key) DO NOTHING
                """)
            var added = 0
            for m in messages {
                s.reset()
                try s.bind(1, m.key); try s.bind(2, m.type.rawValue); try s.bind(3, m.escalation); try s.bind(4, m.channel.rawValue)
                try s.bind(5, m.recipient); try s.bind(6, m.accountID); try s.bind(7, m.accountName); try s.bind(8, m.clock)
                try s.bind(9, m.due?.micros); try s.bind(10, m.text); try s.bind(11, m.markdown); try s.bind(12, m.intendedAt.micros)
                try s.bind(13, m.createdAt.micros); try s.bind(14, m.nextAttemptAt.micros)
                try s.step()
                added += db.changes
            }
            return added
        }
    }

    public func claimOutbox(now: Timestamp, lease: TimeSpan, limit: Int) throws -> [OutboxMessage] {
        try db.transaction {
            let s = try db.prepare("""
                UPDATE outbox SET state = 'sending', lease_until = ?2, attempts = attempts + 1
                WHERE id IN (SELECT id FROM outbox
                             WHERE (state = 'pending' AND next_attempt_at <= ?1) OR (state = 'sending' AND lease_until <= ?1)
                             ORDER BY next_attempt_at, id LIMIT ?3)
                RETURNING \(Self.outboxColumns)
                """)
            try s.bind(1, now.micros); try s.bind(2, (now + lease).micros); try s.bind(3, limit)
            var out: [OutboxMessage] = []
            while try s.step() { out.append(Self.outboxMessage(s)) }
            return out.sorted { ($0.nextAttemptAt, $0.id) < ($1.nextAttemptAt, $1.id) }
        }
    }

    public func finishOutbox(id: Int, sentAt: Timestamp) throws {
        let s = try db.prepare("UPDATE outbox SET state = 'sent', sent_at = ?2, lease_until = NULL, last_error = NULL WHERE id = ?1")
        try s.bind(1, id); try s.bind(2, sentAt.micros)
        try s.step()
    }

    public func failOutbox(id: Int, error: String, retryAt: Timestamp?) throws {
        let s = try db.prepare("""
            UPDATE outbox SET state = ?2, next_attempt_at = coalesce(?3, next_attempt_at), lease_until = NULL, last_error = ?4
            WHERE id = ?1 AND state = 'sending'
            """)
        try s.bind(1, id); try s.bind(2, retryAt == nil ? "dead" : "pending"); try s.bind(3, retryAt?.micros); try s.bind(4, error)
        try s.step()
    }

    public func retryOutbox(id: Int, now: Timestamp) throws -> Bool {
        let s = try db.prepare("""
            UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?2, lease_until = NULL
            WHERE id = ?1 AND state = 'dead'
            """)
        try s.bind(1, id); try s.bind(2, now.micros)
        try s.step()
        return db.changes > 0
    }

    public func loadOutbox(_ filter: OutboxFilter) throws -> [OutboxMessage] {
        var conditions: [String] = []
        if let states = filter.states { conditions.append("state IN (\(states.map { "'\($0.rawValue)'" }.joined(separator: ", ")))") }
        if filter.escalation != nil { conditions.append("escalation = ?1") }
        let s = try db.prepare("SELECT \(Self.outboxColumns) FROM outbox"
                               + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
                               + " ORDER BY id LIMIT ?2")
        try s.bind(1, filter.escalation); try s.bind(2, filter.limit)
        var out: [OutboxMessage] = []
        while try s.step() { out.append(Self.outboxMessage(s)) }
        return out
    }

    public func existingOutboxKeys(_ keys: [String]) throws -> Set<String> {
        var out = Set<String>()
        for k in keys {
            try db.withCached("SELECT 1 FROM outbox WHERE key = ?1") { s in
                try s.bind(1, k)
                if try s.step() { out.insert(k) }
            }
        }
        return out
    }

    static let outboxColumns = """
        id, key, type, escalation, channel, recipient, account_id, account_name, clock, due, text, markdown, intended_at,
        created_at, state, attempts, next_attempt_at, sent_at, last_error
        """

    static func outboxMessage(_ s: SQLiteStatement) -> OutboxMessage {
        var m = OutboxMessage(key: s.string(1), type: NoticeType(rawValue: s.string(2)) ?? .clockWarning,
                              escalation: s.optionalInt64(3).map(Int.init), channel: OutboxMessage.Channel(rawValue: s.string(4)) ?? .email,
                              recipient: s.string(5), accountID: s.optionalString(6), accountName: s.optionalString(7),
                              clock: s.optionalString(8), due: s.optionalInt64(9).map(Timestamp.init(micros:)), text: s.string(10),
                              markdown: s.string(11), intendedAt: Timestamp(micros: s.int64(12)), createdAt: Timestamp(micros: s.int64(13)))
        m.id = s.int(0)
        m.state = OutboxMessage.State(rawValue: s.string(14)) ?? .pending
        m.attempts = s.int(15)
        m.nextAttemptAt = Timestamp(micros: s.int64(16))
        m.sentAt = s.optionalInt64(17).map(Timestamp.init(micros:))
        m.lastError = s.optionalString(18)
        return m
    }
}
