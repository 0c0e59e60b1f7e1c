import CSQLite
import Foundation
import DefuseDomain

/// The embedded store: one SQLite file in WAL mode.
public final class SQLiteStore: Store {
    public let db: SQLiteConnection
    public var location: String { db.path }
    /// The schema version this build writes: the number of migrations.
    public static var schemaVersion: Int { SQLiteSchema.migrations.count }

    public init(path: String) throws {
        db = try SQLiteConnection(path: path)
        // A new file takes 16 KiB pages (it cannot change once in WAL mode): a 200,000-account
        // import writes a quarter as many pages, and long reads touch a quarter as many.
        try db.execute("PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF;")
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
        // Index pages for keys that arrive out of order (T1, T10, T100...) must stay cached, or
        // every insert rereads them: 256 MiB for the import's transaction, back to the default after.
        try db.execute("PRAGMA cache_size = -262144")
        defer { try? db.execute("PRAGMA cache_size = -2000") }
        return try db.transaction {
            let before = try counts()
            try upsertAccounts(batch.accounts)
            let refs = try accountRefs()
            try bulkLoad("surveys", rows: batch.surveys.count, empty: before[.surveys] == 0) { try upsertSurveys(batch.surveys, refs, plain: $0) }
            try bulkLoad("tickets", rows: batch.tickets.count, empty: before[.tickets] == 0) { try upsertTickets(batch.tickets, refs, plain: $0) }
            try insertEvents(batch.events, refs)
            let after = try counts()
            try insertEvents(batch.sponsorChanges, refs)
            return after.merging(before) { $0 - $1 }
        }
    }

    /// Writes rows into `table`; into an empty table with many rows, without its indexes (and
    /// so with plain inserts: the batch's keys are already unique), rebuilt afterwards. All in
    /// the caller's transaction, so a failure or a kill undoes the drop too.
    private func bulkLoad(_ table: String, rows: Int, empty: Bool, _ write: (_ plain: Bool) throws -> Void) throws {
        guard empty, rows >= 10_000, let indexes = SQLiteSchema.indexes[table] else { return try write(false) }
        for sql in indexes {
            let name = sql.split(separator: " ").first { $0.hasPrefix(table + "_") }.map(String.init) ?? ""
            try db.execute("DROP INDEX IF EXISTS \(name)")
        }
        try write(true)
        for sql in indexes { try db.execute(sql) }
    }

    private func counts() throws -> [ExportKind: Int] {
        [.accounts: Int(try db.scalar("SELECT count(*) FROM accounts")),
         .surveys: Int(try db.scalar("SELECT count(*) FROM surveys")),
         .tickets: Int(try db.scalar("SELECT count(*) FROM tickets")),
         .events: Int(try db.scalar("SELECT count(*) FROM account_events"))]
    }

    func accountRefs() throws -> [String: Int64] {
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

    private func upsertSurveys(_ surveys: [SurveyAnswer], _ refs: [String: Int64], plain: Bool) throws {
        let s = try db.prepare(plain ? "INSERT INTO surveys (response_id, account, kind, score, responded_at, comment) VALUES (?1, ?2, ?3, ?4, ?5, ?6)" : """
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

    private func upsertTickets(_ tickets: [Ticket], _ refs: [String: Int64], plain: Bool) throws {
        let insert = """
            INSERT INTO tickets (ticket_id, account, status, opened_at, last_customer_message_at, last_agent_reply_at, closed_at, subject)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            """
        let s = try db.prepare(plain ? insert : """
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
        // Surveys, the largest table, load on a second connection while this one loads the rest.
        let path = db.path
        let surveysResult = BackgroundResult<Grouped<SurveyAnswer>>()
        let thread = Thread {
            surveysResult.set(Result {
                let conn = try SQLiteConnection(path: path, readOnly: true)
                return try Self.grouped(conn, "surveys", "kind, score, responded_at", ids: try Self.accountIDsByRef(conn),
                                        placeholder: SurveyAnswer(accountID: "", kind: .nps, score: 0, respondedAt: Timestamp(micros: 0))) { s, id in
                    SurveyAnswer(accountID: id, kind: s.firstByte(1) == UInt8(ascii: "c") ? .csat : .nps, score: s.double(2),
                                 respondedAt: Timestamp(micros: s.int64(3)))
                }
            })
        }
        thread.start()

        var accounts: [(ref: Int, account: Account)] = []
        let a = try db.prepare(Self.accountColumns + " ORDER BY id")
        while try a.step() { accounts.append((Int(a.int64(0)), Self.account(a))) }
        var ids = [String?](repeating: nil, count: (accounts.last?.ref ?? 0) + 1)
        for (ref, account) in accounts { ids[ref] = account.id }

        let tickets = try Self.grouped(db, "tickets", "status, opened_at, last_customer_message_at, last_agent_reply_at", ids: ids,
                                       placeholder: Ticket(ticketID: "", accountID: "", status: .new, openedAt: Timestamp(micros: 0))) { s, id in
            Ticket(ticketID: "", accountID: id, status: Self.ticketStatus(firstByte: s.firstByte(1)), openedAt: Timestamp(micros: s.int64(2)),
                   lastCustomerMessageAt: s.optionalInt64(3).map(Timestamp.init(micros:)),
                   lastAgentReplyAt: s.optionalInt64(4).map(Timestamp.init(micros:)))
        }
        let events = try Self.grouped(db, "account_events", "kind, at", filter: "kind IN ('sponsor_change', 'health_call')", ids: ids,
                                      placeholder: AccountEvent(accountID: "", kind: .note, at: Timestamp(micros: 0))) { s, id in
            AccountEvent(accountID: id, kind: s.firstByte(1) == UInt8(ascii: "s") ? .sponsorChange : .healthCall, at: Timestamp(micros: s.int64(2)))
        }
        let surveys = try surveysResult.wait()
        return accounts.map { ref, account in
            AccountHistory(account: account, surveys: surveys.rows(ref), tickets: tickets.rows(ref), events: events.rows(ref))
        }
    }

    /// One table's rows grouped by account ref: the rows of ref `r` are `values[starts[r]..<starts[r + 1]]`.
    struct Grouped<T: Sendable>: Sendable {
        var values: [T]
        var starts: [Int]
        func rows(_ ref: Int) -> ArraySlice<T> { ref + 1 < starts.count ? values[starts[ref]..<starts[ref + 1]] : [] }
    }

    static func accountIDsByRef(_ db: SQLiteConnection) throws -> [String?] {
        let s = try db.prepare("SELECT id, account_id FROM accounts ORDER BY id")
        var ids: [String?] = []
        while try s.step() {
            let ref = Int(s.int64(0))
            if ref >= ids.count { ids += repeatElement(nil, count: ref - ids.count + 1) }
            ids[ref] = s.string(1)
        }
        return ids
    }

    /// Groups a table's rows by account in two passes inside one read snapshot: count the rows
    /// of each account (an index-only scan), then read each row straight into its final place,
    /// so no row is built or copied twice. Rows of unknown accounts are left out.
    static func grouped<T: Sendable>(_ db: SQLiteConnection, _ table: String, _ columns: String, filter: String = "1", ids: [String?],
                                     placeholder: T, _ decode: (SQLiteStatement, String) -> T) throws -> Grouped<T> {
        try db.read {
            var starts = [Int](repeating: 0, count: ids.count + 1)
            let c = try db.prepare("SELECT account FROM \(table) WHERE \(filter)")
            while try c.step() {
                let r = Int(c.int64(0))
                if r >= 0 && r < ids.count && ids[r] != nil { starts[r + 1] += 1 }
            }
            for r in 0..<ids.count { starts[r + 1] += starts[r] }
            var next = starts
            var values = [T](repeating: placeholder, count: starts[ids.count])
            let s = try db.prepare("SELECT account, \(columns) FROM \(table) WHERE \(filter)")
            while try s.step() {
                let r = Int(s.int64(0))
                guard r >= 0 && r < ids.count, let id = ids[r], next[r] < starts[r + 1] else { continue }
                values[next[r]] = decode(s, id)
                next[r] += 1
            }
            return Grouped(values: values, starts: starts)
        }
    }

    /// Statuses are stored by name; their first letters differ.
    static func ticketStatus(firstByte b: UInt8) -> TicketStatus {
        switch b {
        case UInt8(ascii: "n"): .new
        case UInt8(ascii: "o"): .open
        case UInt8(ascii: "p"): .pending
        case UInt8(ascii: "h"): .hold
        case UInt8(ascii: "s"): .solved
        default: .closed
        }
    }

    public func loadHistory(accountID: String) throws -> AccountHistory? {
        guard let (ref, account) = try db.withCached(Self.accountColumns + " WHERE account_id = ?1", { a -> (Int64, Account)? in
            try a.bind(1, accountID)
            return try a.step() ? (a.int64(0), Self.account(a)) : nil
        }) else { return nil }

        let surveys = try db.withCached("SELECT response_id, kind, score, responded_at, comment FROM surveys WHERE account = ?1 ORDER BY responded_at, id") { s in
            try s.bind(1, ref)
            var out: [SurveyAnswer] = []
            while try s.step() {
                guard let kind = SurveyKind(rawValue: s.string(1)) else { continue }
                out.append(SurveyAnswer(responseID: s.optionalString(0), accountID: accountID, kind: kind, score: s.double(2),
                                        respondedAt: Timestamp(micros: s.int64(3)), comment: s.optionalString(4)))
            }
            return out
        }
        let tickets = try db.withCached("""
            SELECT ticket_id, status, opened_at, last_customer_message_at, last_agent_reply_at, closed_at, subject
            FROM tickets WHERE account = ?1 ORDER BY opened_at, id
            """) { t in
            try t.bind(1, ref)
            var out: [Ticket] = []
            while try t.step() {
                guard let status = TicketStatus(rawValue: t.string(1)) else { continue }
                out.append(Ticket(ticketID: t.string(0), accountID: accountID, status: status, openedAt: Timestamp(micros: t.int64(2)),
                                  lastCustomerMessageAt: t.optionalInt64(3).map(Timestamp.init(micros:)),
                                  lastAgentReplyAt: t.optionalInt64(4).map(Timestamp.init(micros:)),
                                  closedAt: t.optionalInt64(5).map(Timestamp.init(micros:)), subject: t.optionalString(6)))
            }
            return out
        }
        let events = try db.withCached("SELECT kind, at, detail FROM account_events WHERE account = ?1 ORDER BY at, id") { e in
            try e.bind(1, ref)
            var out: [AccountEvent] = []
            while try e.step() {
                guard let kind = AccountEventKind(rawValue: e.string(0)) else { continue }
                out.append(AccountEvent(accountID: accountID, kind: kind, at: Timestamp(micros: e.int64(1)), detail: e.optionalString(2)))
            }
            return out
        }
        return AccountHistory(account: account, surveys: surveys[...], tickets: tickets[...], events: events[...])
    }

    static let accountColumns =
        "SELECT id, account_id, name, arr_usd, renewal_date, csm, exec_sponsor, onboarded_on, timezone FROM accounts"

    static func account(_ s: SQLiteStatement) -> Account {
        Account(id: s.string(1), name: s.string(2), arrUSD: s.double(3), renewalDate: s.optionalInt64(4).map(Timestamp.init(micros:)),
                csm: s.optionalString(5), execSponsor: s.optionalString(6), onboardedOn: s.optionalInt64(7).map(Timestamp.init(micros:)),
                timeZone: s.string(8))
    }
}
