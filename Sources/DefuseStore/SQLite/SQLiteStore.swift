import CSQLite
import DefuseDomain

/// The embedded store: one SQLite file in WAL mode.
public final class SQLiteStore: Store {
    public let db: SQLiteConnection
    public var location: String { db.path }

    public init(path: String) throws {
        db = try SQLiteConnection(path: path)
        try db.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF;")
        try migrate()
    }

    /// Applies the migrations this file lacks, in one transaction, so two processes starting
    /// at once cannot both apply one.
    public func migrate() throws {
        try db.transaction {
            let applied = Int(try db.scalar("PRAGMA user_version"))
            guard applied <= SQLiteSchema.migrations.count else {
                throw StoreError("\(location) was written by a newer Defuse (schema \(applied)); upgrade defuse")
            }
            for (i, sql) in SQLiteSchema.migrations.enumerated() where i >= applied {
                try db.execute(sql)
                try db.execute("PRAGMA user_version = \(i + 1)")
            }
        }
    }

    public func accountCount() throws -> Int { Int(try db.scalar("SELECT count(*) FROM accounts")) }

    public func accountSponsors() throws -> [String: String?] {
        let s = try db.prepare("SELECT account_id, exec_sponsor FROM accounts")
        var out: [String: String?] = [:]
        while try s.step() { out[s.string(0)] = .some(s.optionalString(1)) }
        return out
    }

    // MARK: - Import

    public func apply(_ batch: ImportBatch) throws -> [ExportKind: Int] {
        try db.transaction {
            let before = try counts()
            try upsertAccounts(batch.accounts)
            let refs = try accountRefs()
            try upsertSurveys(batch.surveys, refs)
            try upsertTickets(batch.tickets, refs)
            try insertEvents(batch.events, refs)
            let after = try counts()
            try insertEvents(batch.sponsorChanges, refs)
            return after.merging(before) { $0 - $1 }
        }
    }

    private func counts() throws -> [ExportKind: Int] {
        [.accounts: Int(try db.scalar("SELECT count(*) FROM accounts")),
         .surveys: Int(try db.scalar("SELECT count(*) FROM surveys")),
         .tickets: Int(try db.scalar("SELECT count(*) FROM tickets")),
         .events: Int(try db.scalar("SELECT count(*) FROM account_events"))]
    }

    private func accountRefs() throws -> [String: Int64] {
        let s = try db.prepare("SELECT id, account_id FROM accounts")
        var refs: [String: Int64] = [:]
        while try s.step() { refs[s.string(1)] = s.int64(0) }
        return refs
    }

    private func ref(_ refs: [String: Int64], _ id: String) throws -> Int64 {
        guard let r = refs[id] else { throw StoreError("account \(id) is not in the database") }
        return r
    }

    private func upsertAccounts(_ accounts: [Account]) throws {
        let s = try db.prepare("""
            INSERT INTO accounts (account_id, name, arr_usd, renewal_date, csm, exec_sponsor, onboarded_on, timezone)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            ON CONFLICT(account_id) DO UPDATE SET name = excluded.name, arr_usd = excluded.arr_usd,
              renewal_date = excluded.renewal_date, csm = excluded.csm, exec_sponsor = excluded.exec_sponsor,
              onboarded_on = excluded.onboarded_on, timezone = excluded.timezone
            """)
        for a in accounts {
            try s.bind(1, a.id); try s.bind(2, a.name); try s.bind(3, a.arrUSD); try s.bind(4, a.renewalDate?.micros)
            try s.bind(5, a.csm); try s.bind(6, a.execSponsor); try s.bind(7, a.onboardedOn?.micros); try s.bind(8, a.timeZone)
            try s.step()
            s.reset()
        }
    }

    private func upsertSurveys(_ surveys: [SurveyAnswer], _ refs: [String: Int64]) throws {
        let s = try db.prepare("""
            INSERT INTO surveys (response_id, account, kind, score, responded_at, comment) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT(response_id) DO UPDATE SET account = excluded.account, kind = excluded.kind,
              score = excluded.score, responded_at = excluded.responded_at, comment = excluded.comment
            """)
        for a in surveys {
            try s.bind(1, a.responseID); try s.bind(2, try ref(refs, a.accountID)); try s.bind(3, a.kind.rawValue)
            try s.bind(4, a.score); try s.bind(5, a.respondedAt.micros); try s.bind(6, a.comment)
            try s.step()
            s.reset()
        }
    }

    private func upsertTickets(_ tickets: [Ticket], _ refs: [String: Int64]) throws {
        let s = try db.prepare("""
            INSERT INTO tickets (ticket_id, account, status, opened_at, last_customer_message_at, last_agent_reply_at, closed_at, subject)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            ON CONFLICT(ticket_id) DO UPDATE SET account = excluded.account, status = excluded.status,
              opened_at = excluded.opened_at, last_customer_message_at = excluded.last_customer_message_at,
              last_agent_reply_at = excluded.last_agent_reply_at, closed_at = excluded.closed_at, subject = excluded.subject
            """)
        for t in tickets {
            try s.bind(1, t.ticketID); try s.bind(2, try ref(refs, t.accountID)); try s.bind(3, t.status.rawValue)
            try s.bind(4, t.openedAt.micros); try s.bind(5, t.lastCustomerMessageAt?.micros)
            try s.bind(6, t.lastAgentReplyAt?.micros); try s.bind(7, t.closedAt?.micros); try s.bind(8, t.subject)
            try s.step()
            s.reset()
        }
    }

    private func insertEvents(_ events: [AccountEvent], _ refs: [String: Int64]) throws {
        let s = try db.prepare("INSERT OR IGNORE INTO account_events (account, kind, at, detail) VALUES (?1, ?2, ?3, ?4)")
        for e in events {
            try s.bind(1, try ref(refs, e.accountID)); try s.bind(2, e.kind.rawValue); try s.bind(3, e.at.micros)
            try s.bind(4, e.detail)
            try s.step()
            s.reset()
        }
    }

    // MARK: - Reading

    public func loadHistories() throws -> [AccountHistory] {
        var accounts: [Account] = []
        var indexOfRef: [Int32] = []
        let a = try db.prepare(Self.accountColumns + " ORDER BY id")
        while try a.step() {
            let ref = Int(a.int64(0))
            if ref >= indexOfRef.count { indexOfRef += repeatElement(-1, count: ref - indexOfRef.count + 1) }
            indexOfRef[ref] = Int32(accounts.count)
            accounts.append(Self.account(a))
        }
        @inline(__always) func index(_ ref: Int64) -> Int? {
            guard ref >= 0, ref < indexOfRef.count, indexOfRef[Int(ref)] >= 0 else { return nil }
            return Int(indexOfRef[Int(ref)])
        }

        var surveys: [(Int, SurveyAnswer)] = []
        let s = try db.prepare("SELECT account, kind, score, responded_at FROM surveys")
        while try s.step() {
            guard let i = index(s.int64(0)), let kind = SurveyKind(rawValue: s.string(1)) else { continue }
            surveys.append((i, SurveyAnswer(accountID: accounts[i].id, kind: kind, score: s.double(2), respondedAt: Timestamp(micros: s.int64(3)))))
        }
        var tickets: [(Int, Ticket)] = []
        let t = try db.prepare("SELECT account, status, opened_at, last_customer_message_at, last_agent_reply_at FROM tickets")
        while try t.step() {
            guard let i = index(t.int64(0)), let status = TicketStatus(rawValue: t.string(1)) else { continue }
            tickets.append((i, Ticket(ticketID: "", accountID: accounts[i].id, status: status, openedAt: Timestamp(micros: t.int64(2)),
                                      lastCustomerMessageAt: t.optionalInt64(3).map(Timestamp.init(micros:)),
                                      lastAgentReplyAt: t.optionalInt64(4).map(Timestamp.init(micros:)))))
        }
        var events: [(Int, AccountEvent)] = []
        let e = try db.prepare("SELECT account, kind, at FROM account_events WHERE kind IN ('sponsor_change', 'health_call')")
        while try e.step() {
            guard let i = index(e.int64(0)), let kind = AccountEventKind(rawValue: e.string(1)) else { continue }
            events.append((i, AccountEvent(accountID: accounts[i].id, kind: kind, at: Timestamp(micros: e.int64(2)))))
        }

        let (sv, sr) = Self.bucket(surveys, count: accounts.count)
        let (tv, tr) = Self.bucket(tickets, count: accounts.count)
        let (ev, er) = Self.bucket(events, count: accounts.count)
        return accounts.indices.map { i in
            AccountHistory(account: accounts[i], surveys: sv[sr[i]..<sr[i + 1]], tickets: tv[tr[i]..<tr[i + 1]], events: ev[er[i]..<er[i + 1]])
        }
    }

    /// A counting sort by account index: the values grouped per account, and where each group starts.
    static func bucket<T>(_ rows: [(Int, T)], count: Int) -> ([T], [Int]) {
        var starts = [Int](repeating: 0, count: count + 1)
        for (i, _) in rows { starts[i + 1] += 1 }
        for i in 0..<count { starts[i + 1] += starts[i] }
        var next = starts
        var slots = [Int](repeating: 0, count: rows.count)
        for (k, row) in rows.enumerated() { slots[next[row.0]] = k; next[row.0] += 1 }
        return (slots.map { rows[$0].1 }, starts)
    }

    public func loadHistory(accountID: String) throws -> AccountHistory? {
        let a = try db.prepare(Self.accountColumns + " WHERE account_id = ?1")
        try a.bind(1, accountID)
        guard try a.step() else { return nil }
        let ref = a.int64(0)
        let account = Self.account(a)

        var surveys: [SurveyAnswer] = []
        let s = try db.prepare("SELECT response_id, kind, score, responded_at, comment FROM surveys WHERE account = ?1 ORDER BY responded_at, id")
        try s.bind(1, ref)
        while try s.step() {
            guard let kind = SurveyKind(rawValue: s.string(1)) else { continue }
            surveys.append(SurveyAnswer(responseID: s.optionalString(0), accountID: accountID, kind: kind, score: s.double(2),
                                        respondedAt: Timestamp(micros: s.int64(3)), comment: s.optionalString(4)))
        }
        var tickets: [Ticket] = []
        let t = try db.prepare("""
            SELECT ticket_id, status, opened_at, last_customer_message_at, last_agent_reply_at, closed_at, subject
            FROM tickets WHERE account = ?1 ORDER BY opened_at, id
            """)
        try t.bind(1, ref)
        while try t.step() {
            guard let status = TicketStatus(rawValue: t.string(1)) else { continue }
            tickets.append(Ticket(ticketID: t.string(0), accountID: accountID, status: status, openedAt: Timestamp(micros: t.int64(2)),
                                  lastCustomerMessageAt: t.optionalInt64(3).map(Timestamp.init(micros:)),
                                  lastAgentReplyAt: t.optionalInt64(4).map(Timestamp.init(micros:)),
                                  closedAt: t.optionalInt64(5).map(Timestamp.init(micros:)), subject: t.optionalString(6)))
        }
        var events: [AccountEvent] = []
        let e = try db.prepare("SELECT kind, at, detail FROM account_events WHERE account = ?1 ORDER BY at, id")
        try e.bind(1, ref)
        while try e.step() {
            guard let kind = AccountEventKind(rawValue: e.string(0)) else { continue }
            events.append(AccountEvent(accountID: accountID, kind: kind, at: Timestamp(micros: e.int64(1)), detail: e.optionalString(2)))
        }
        return AccountHistory(account: account, surveys: surveys[...], tickets: tickets[...], events: events[...])
    }

    private static let accountColumns =
        "SELECT id, account_id, name, arr_usd, renewal_date, csm, exec_sponsor, onboarded_on, timezone FROM accounts"

    private static func account(_ s: SQLiteStatement) -> Account {
        Account(id: s.string(1), name: s.string(2), arrUSD: s.double(3), renewalDate: s.optionalInt64(4).map(Timestamp.init(micros:)),
                csm: s.optionalString(5), execSponsor: s.optionalString(6), onboardedOn: s.optionalInt64(7).map(Timestamp.init(micros:)),
                timeZone: s.string(8))
    }
}
