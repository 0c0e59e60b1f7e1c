import DefuseDomain
import Foundation

/// The shared store: PostgreSQL through libpq, for several servers on one database. One
/// connection per store (the web app's pool holds several stores); every query parameterised.
public final class PostgresStore: Store {
    public let db: PGConnection
    public var location: String { PGConnection.redacted(db.url) }
    public static var schemaVersion: Int { PostgresSchema.migrations.count }

    public init(url: String) throws {
        db = try PGConnection(url: url)
        try migrate()
    }

    /// Applies missing migrations under an advisory lock held for the transaction, so two
    /// servers starting at once apply each migration once.
    public func migrate() throws {
        try db.transaction {
            try db.exec("SELECT pg_advisory_xact_lock(7246001)")
            try db.exec("CREATE TABLE IF NOT EXISTS defuse_schema (version INTEGER NOT NULL)")
            let r = try db.exec("SELECT coalesce(max(version), 0) FROM defuse_schema")
            let applied = r.int(0, 0)
            guard applied <= PostgresSchema.migrations.count else {
                throw StoreError("\(location) was written by a newer Defuse (schema \(applied)); upgrade defuse")
            }
            for (i, sql) in PostgresSchema.migrations.enumerated() where i >= applied {
                try db.exec(sql)
                try db.exec("INSERT INTO defuse_schema (version) VALUES ($1)", [String(i + 1)])
            }
        }
    }

    static func t(_ v: Timestamp?) -> String? { v.map { String($0.micros) } }
    static func n(_ v: Int?) -> String? { v.map { String($0) } }

    public func accountCount() throws -> Int { try db.exec("SELECT count(*) FROM accounts").int(0, 0) }

    public func accountSponsors() throws -> [String: String?] {
        let r = try db.exec("SELECT account_id, exec_sponsor FROM accounts")
        var out: [String: String?] = [:]
        out.reserveCapacity(r.count)
        for i in 0..<r.count { out[r.string(i, 0)] = .some(r.optionalString(i, 1)) }
        return out
    }

    // MARK: - Import

    /// All of it or nothing, one import at a time (an advisory lock), rows sent with COPY into
    /// temporary tables and merged by key.
    public func apply(_ batch: ImportBatch) throws -> [ExportKind: Int] {
        try db.transaction {
            try db.exec("SELECT pg_advisory_xact_lock(7246002)")
            let before = try counts()
            if !batch.accounts.isEmpty {
                try db.exec("""
                    CREATE TEMP TABLE in_accounts (n BIGINT, account_id TEXT, name TEXT, arr_usd DOUBLE PRECISION, renewal_date BIGINT,
                      csm TEXT, exec_sponsor TEXT, onboarded_on BIGINT, timezone TEXT) ON COMMIT DROP
                    """)
                try db.copy("COPY in_accounts FROM STDIN") { rows in
                    for (i, a) in batch.accounts.enumerated() {
                        rows.field(Int64(i)); rows.field(a.id); rows.field(a.name); rows.field(a.arrUSD); rows.field(a.renewalDate?.micros)
                        rows.field(a.csm); rows.field(a.execSponsor); rows.field(a.onboardedOn?.micros); rows.field(a.timeZone)
                        rows.endRow()
                    }
                }
                try db.exec("""
                    INSERT INTO accounts (account_id, name, arr_usd, renewal_date, csm, exec_sponsor, onboarded_on, timezone)
                    SELECT DISTINCT ON (account_id) account_id, name, arr_usd, renewal_date, csm, exec_sponsor, onboarded_on, timezone
                    FROM in_accounts ORDER BY account_id, n DESC
                    ON CONFLICT (account_id) DO UPDATE SET name = excluded.name, arr_usd = excluded.arr_usd,
                      renewal_date = excluded.renewal_date, csm = excluded.csm, exec_sponsor = excluded.exec_sponsor,
                      onboarded_on = excluded.onboarded_on, timezone = excluded.timezone
                    """)
            }
            if !batch.surveys.isEmpty {
                try db.exec("""
                    CREATE TEMP TABLE in_surveys (n BIGINT, response_id TEXT, account_id TEXT, kind TEXT, score DOUBLE PRECISION,
                      responded_at BIGINT, comment TEXT) ON COMMIT DROP
                    """)
                try db.copy("COPY in_surveys FROM STDIN") { rows in
                    for (i, s) in batch.surveys.enumerated() {
                        rows.field(Int64(i)); rows.field(s.responseID); rows.field(s.accountID); rows.field(s.kind.rawValue); rows.field(s.score)
                        rows.field(s.respondedAt.micros); rows.field(s.comment)
                        rows.endRow()
                    }
                }
                try requireAccounts("in_surveys")
                try db.exec("""
                    INSERT INTO surveys (response_id, account, kind, score, responded_at, comment)
                    SELECT NULL, a.id, s.kind, s.score, s.responded_at, s.comment FROM in_surveys s JOIN accounts a USING (account_id)
                    WHERE s.response_id IS NULL ORDER BY s.n
                    """)
                try db.exec("""
                    INSERT INTO surveys (response_id, account, kind, score, responded_at, comment)
                    SELECT DISTINCT ON (s.response_id) s.response_id, a.id, s.kind, s.score, s.responded_at, s.comment
                    FROM in_surveys s JOIN accounts a USING (account_id) WHERE s.response_id IS NOT NULL ORDER BY s.response_id, s.n DESC
                    ON CONFLICT (response_id) DO UPDATE SET account = excluded.account, kind = excluded.kind, score = excluded.score,
                      responded_at = excluded.responded_at, comment = excluded.comment
                    """)
            }
            if !batch.tickets.isEmpty {
                try db.exec("""
                    CREATE TEMP TABLE in_tickets (n BIGINT, ticket_id TEXT, account_id TEXT, status TEXT, opened_at BIGINT,
                      last_customer_message_at BIGINT, last_agent_reply_at BIGINT, closed_at BIGINT, subject TEXT) ON COMMIT DROP
                    """)
                try db.copy("COPY in_tickets FROM STDIN") { rows in
                    for (i, t) in batch.tickets.enumerated() {
                        rows.field(Int64(i)); rows.field(t.ticketID); rows.field(t.accountID); rows.field(t.status.rawValue)
                        rows.field(t.openedAt.micros); rows.field(t.lastCustomerMessageAt?.micros); rows.field(t.lastAgentReplyAt?.micros)
                        rows.field(t.closedAt?.micros); rows.field(t.subject)
                        rows.endRow()
                    }
                }
                try requireAccounts("in_tickets")
                try db.exec("""
                    INSERT INTO tickets (ticket_id, account, status, opened_at, last_customer_message_at, last_agent_reply_at, closed_at, subject)
                    SELECT DISTINCT ON (t.ticket_id) t.ticket_id, a.id, t.status, t.opened_at, t.last_customer_message_at,
                      t.last_agent_reply_at, t.closed_at, t.subject
                    FROM in_tickets t JOIN accounts a USING (account_id) ORDER BY t.ticket_id, t.n DESC
                    ON CONFLICT (ticket_id) DO UPDATE SET account = excluded.account, status = excluded.status, opened_at = excluded.opened_at,
                      last_customer_message_at = excluded.last_customer_message_at, last_agent_reply_at = excluded.last_agent_reply_at,
                      closed_at = excluded.closed_at, subject = excluded.subject
                    """)
            }
            try insertEvents(batch.events)
            let after = try counts()
            try insertEvents(batch.sponsorChanges)
            return after.merging(before) { $0 - $1 }
        }
    }

    /// Rows naming an account the database does not hold are an error, as on SQLite.
    private func requireAccounts(_ table: String) throws {
        let r = try db.exec("SELECT x.account_id FROM \(table) x LEFT JOIN accounts a USING (account_id) WHERE a.id IS NULL LIMIT 1")
        if r.count > 0 { throw StoreError("account \(r.string(0, 0)) is not in the database") }
    }

    private func insertEvents(_ events: [AccountEvent]) throws {
        guard !events.isEmpty else { return }
        try db.exec("CREATE TEMP TABLE IF NOT EXISTS in_events (account_id TEXT, kind TEXT, at BIGINT, detail TEXT) ON COMMIT DROP")
        try db.exec("TRUNCATE in_events")
        try db.copy("COPY in_events FROM STDIN") { rows in
            for e in events {
                rows.field(e.accountID); rows.field(e.kind.rawValue); rows.field(e.at.micros); rows.field(e.detail)
                rows.endRow()
            }
        }
        try requireAccounts("in_events")
        try db.exec("""
            INSERT INTO account_events (account, kind, at, detail)
            SELECT a.id, e.kind, e.at, e.detail FROM in_events e JOIN accounts a USING (account_id) ON CONFLICT DO NOTHING
            """)
    }

    private func counts() throws -> [ExportKind: Int] {
        let r = try db.exec("""
            SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM surveys), (SELECT count(*) FROM tickets), (SELECT count(*) FROM account_events)
            """)
        return [.accounts: r.int(0, 0), .surveys: r.int(0, 1), .tickets: r.int(0, 2), .events: r.int(0, 3)]
    }

    // MARK: - Reading

    static let accountColumns = "SELECT id, account_id, name, arr_usd, renewal_date, csm, exec_sponsor, onboarded_on, timezone FROM accounts"

    static func account(_ r: PGResult, _ i: Int) -> Account {
        Account(id: r.string(i, 1), name: r.string(i, 2), arrUSD: r.double(i, 3), renewalDate: r.optionalInt64(i, 4).map(Timestamp.init(micros:)),
                csm: r.optionalString(i, 5), execSponsor: r.optionalString(i, 6), onboardedOn: r.optionalInt64(i, 7).map(Timestamp.init(micros:)),
                timeZone: r.string(i, 8))
    }

    public func loadHistories() throws -> [AccountHistory] {
        try db.transaction("REPEATABLE READ") {
            let a = try db.exec(Self.accountColumns + " ORDER BY id")
            var index: [Int64: Int] = [:]
            index.reserveCapacity(a.count)
            var accounts: [Account] = []
            accounts.reserveCapacity(a.count)
            for i in 0..<a.count { index[a.int64(i, 0)] = i; accounts.append(Self.account(a, i)) }
            var surveys = [[SurveyAnswer]](repeating: [], count: accounts.count)
            let s = try db.exec("SELECT account, kind, score, responded_at FROM surveys ORDER BY id")
            for i in 0..<s.count {
                guard let k = index[s.int64(i, 0)] else { continue }
                surveys[k].append(SurveyAnswer(accountID: accounts[k].id, kind: s.firstByte(i, 1) == UInt8(ascii: "c") ? .csat : .nps,
                                               score: s.double(i, 2), respondedAt: Timestamp(micros: s.int64(i, 3))))
            }
            var tickets = [[Ticket]](repeating: [], count: accounts.count)
            let t = try db.exec("SELECT account, status, opened_at, last_customer_message_at, last_agent_reply_at FROM tickets ORDER BY id")
            for i in 0..<t.count {
                guard let k = index[t.int64(i, 0)] else { continue }
                tickets[k].append(Ticket(ticketID: "", accountID: accounts[k].id, status: SQLiteStore.ticketStatus(firstByte: t.firstByte(i, 1)),
                                         openedAt: Timestamp(micros: t.int64(i, 2)), lastCustomerMessageAt: t.optionalInt64(i, 3).map(Timestamp.init(micros:)),
                                         lastAgentReplyAt: t.optionalInt64(i, 4).map(Timestamp.init(micros:))))
            }
            var events = [[AccountEvent]](repeating: [], count: accounts.count)
            let e = try db.exec("SELECT account, kind, at FROM account_events WHERE kind IN ('sponsor_change', 'health_call') ORDER BY id")
            for i in 0..<e.count {
                guard let k = index[e.int64(i, 0)] else { continue }
                events[k].append(AccountEvent(accountID: accounts[k].id, kind: e.firstByte(i, 1) == UInt8(ascii: "s") ? .sponsorChange : .healthCall,
                                              at: Timestamp(micros: e.int64(i, 2))))
            }
            return accounts.indices.map { AccountHistory(account: accounts[$0], surveys: surveys[$0][...], tickets: tickets[$0][...], events: events[$0][...]) }
        }
    }

    public func loadHistory(accountID: String) throws -> AccountHistory? {
        let a = try db.exec(Self.accountColumns + " WHERE account_id = $1", [accountID])
        guard a.count == 1 else { return nil }
        let account = Self.account(a, 0)
        let ref = a.string(0, 0)
        let s = try db.exec("SELECT response_id, kind, score, responded_at, comment FROM surveys WHERE account = $1 ORDER BY responded_at, id", [ref])
        let surveys = (0..<s.count).compactMap { i -> SurveyAnswer? in
            guard let kind = SurveyKind(rawValue: s.string(i, 1)) else { return nil }
            return SurveyAnswer(responseID: s.optionalString(i, 0), accountID: accountID, kind: kind, score: s.double(i, 2),
                                respondedAt: Timestamp(micros: s.int64(i, 3)), comment: s.optionalString(i, 4))
        }
        let t = try db.exec("""
            SELECT ticket_id, status, opened_at, last_customer_message_at, last_agent_reply_at, closed_at, subject
            FROM tickets WHERE account = $1 ORDER BY opened_at, id
            """, [ref])
        let tickets = (0..<t.count).compactMap { i -> Ticket? in
            guard let status = TicketStatus(rawValue: t.string(i, 1)) else { return nil }
            return Ticket(ticketID: t.string(i, 0), accountID: accountID, status: status, openedAt: Timestamp(micros: t.int64(i, 2)),
                          lastCustomerMessageAt: t.optionalInt64(i, 3).map(Timestamp.init(micros:)),
                          lastAgentReplyAt: t.optionalInt64(i, 4).map(Timestamp.init(micros:)),
                          closedAt: t.optionalInt64(i, 5).map(Timestamp.init(micros:)), subject: t.optionalString(i, 6))
        }
        let e = try db.exec("SELECT kind, at, detail FROM account_events WHERE account = $1 ORDER BY at, id", [ref])
        let events = (0..<e.count).compactMap { i -> AccountEvent? in
            guard let kind = AccountEventKind(rawValue: e.string(i, 0)) else { return nil }
            return AccountEvent(accountID: accountID, kind: kind, at: Timestamp(micros: e.int64(i, 1)), detail: e.optionalString(i, 2))
        }
        return AccountHistory(account: account, surveys: surveys[...], tickets: tickets[...], events: events[...])
    }
}
