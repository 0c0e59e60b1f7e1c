import DefuseDomain
import DefuseImport
import DefuseStore
import Foundation
import Testing

/// The backends every store test runs on: SQLite always; PostgreSQL when
/// `DEFUSE_TEST_POSTGRES` names a server (scripts/test starts one and sets it).
enum Backend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres
    var description: String { rawValue }
    static let postgresURL = ProcessInfo.processInfo.environment["DEFUSE_TEST_POSTGRES"]
    static let available: [Backend] = postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
}

/// A fresh store: a SQLite file in a temporary directory, or a new PostgreSQL database;
/// removed afterwards.
final class TempStore {
    let dir: String
    let location: String
    let store: Store
    private var dropDatabase: String?

    init(_ backend: Backend = .sqlite) throws {
        dir = NSTemporaryDirectory() + "defuse-store-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        switch backend {
        case .sqlite:
            location = dir + "/test.db"
        case .postgres:
            let base = try #require(Backend.postgresURL)
            let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try PGConnection(url: base).exec("CREATE DATABASE \(name)")
            location = String(base[..<(base.lastIndex(of: "/") ?? base.endIndex)]) + "/" + name
            dropDatabase = base
        }
        store = try openStore(location)
    }

    /// Another store on the same data (a second process, a second server).
    func another() throws -> Store { try openStore(location) }

    deinit {
        try? FileManager.default.removeItem(atPath: dir)
        if let base = dropDatabase, let name = location.split(separator: "/").last {
            _ = try? PGConnection(url: base).exec("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
    }
}

func ts(_ s: String) -> Timestamp { ISO8601.parse(s) ?? Timestamp(micros: 0) }

func batch(_ body: (inout ImportBatch) -> Void) -> ImportBatch {
    var b = ImportBatch()
    body(&b)
    return b
}

@Suite("The store, on every backend")
struct StoreTests {
    @Test("a batch round-trips: accounts, surveys, tickets and events, with every optional field", arguments: Backend.available)
    func roundTrip(_ backend: Backend) throws {
        let t = try TempStore(backend)
        let acme = Account(id: "A-1", name: "Acme, \"Inc.\"\nLtd", arrUSD: 120_000.5, renewalDate: ts("2027-03-01"), csm: "kim@example.com",
                           execSponsor: "Dana", onboardedOn: ts("2025-01-01"), timeZone: "America/New_York")
        let added = try t.store.apply(batch {
            $0.accounts = [acme, Account(id: "東京", name: "東京商事", arrUSD: 0)]
            $0.surveys = [SurveyAnswer(responseID: "R1", accountID: "A-1", kind: .csat, score: 7.5, respondedAt: ts("2026-11-01T10:00:00.5Z"), comment: "slow")]
            $0.tickets = [Ticket(ticketID: "T1", accountID: "東京", status: .hold, openedAt: ts("2026-10-01"), lastCustomerMessageAt: ts("2026-10-02"),
                                 lastAgentReplyAt: ts("2026-10-03"), closedAt: nil, subject: "<script>")]
            $0.events = [AccountEvent(accountID: "A-1", kind: .healthCall, at: ts("2026-11-05"), detail: "went well")]
        })
        #expect(added == [.accounts: 2, .surveys: 1, .tickets: 1, .events: 1])
        let h = try #require(try t.store.loadHistory(accountID: "A-1"))
        #expect(h.account == acme)
        #expect(h.surveys.first == SurveyAnswer(responseID: "R1", accountID: "A-1", kind: .csat, score: 7.5, respondedAt: ts("2026-11-01T10:00:00.5Z"), comment: "slow"))
        #expect(h.events.first?.detail == "went well")
        let tk = try #require(try t.store.loadHistory(accountID: "東京")).tickets.first
        #expect(tk?.subject == "<script>")
        #expect(tk?.lastAgentReplyAt == ts("2026-10-03"))
        #expect(try t.store.loadHistory(accountID: "nobody") == nil)
    }

    @Test("re-applying updates by key and counts only new records as added", arguments: Backend.available)
    func upserts(_ backend: Backend) throws {
        let t = try TempStore(backend)
        _ = try t.store.apply(batch {
            $0.accounts = [Account(id: "A-1", name: "Old", arrUSD: 1)]
            $0.tickets = [Ticket(ticketID: "T1", accountID: "A-1", status: .open, openedAt: ts("2026-01-01"))]
            $0.surveys = [SurveyAnswer(accountID: "A-1", kind: .nps, score: 5, respondedAt: ts("2026-01-01"))]
        })
        let added = try t.store.apply(batch {
            $0.accounts = [Account(id: "A-1", name: "New", arrUSD: 2), Account(id: "A-2", name: "Two", arrUSD: 2)]
            $0.tickets = [Ticket(ticketID: "T1", accountID: "A-2", status: .solved, openedAt: ts("2026-01-01"))]
            $0.surveys = [SurveyAnswer(accountID: "A-1", kind: .nps, score: 5, respondedAt: ts("2026-01-01"))]
        })
        #expect(added == [.accounts: 1, .surveys: 1, .tickets: 0, .events: 0], "an answer without response_id is new each time")
        #expect(try t.store.loadHistory(accountID: "A-1")?.account.name == "New")
        #expect(try t.store.loadHistory(accountID: "A-2")?.tickets.first?.status == .solved, "a ticket can move account")
        #expect(try t.store.accountSponsors().count == 2)
    }

    @Test("the same event imported twice is one event", arguments: Backend.available)
    func eventDedupe(_ backend: Backend) throws {
        let t = try TempStore(backend)
        let e = AccountEvent(accountID: "A-1", kind: .note, at: ts("2026-01-01"))
        _ = try t.store.apply(batch { $0.accounts = [Account(id: "A-1", name: "A", arrUSD: 1)]; $0.events = [e] })
        let again = try t.store.apply(batch { $0.events = [e, AccountEvent(accountID: "A-1", kind: .note, at: ts("2026-01-01"), detail: "other")] })
        #expect(again[.events] == 1)
    }

    @Test("a batch that fails part-way leaves nothing behind", arguments: Backend.available)
    func allOrNothing(_ backend: Backend) throws {
        let t = try TempStore(backend)
        #expect(throws: (any Error).self) {
            _ = try t.store.apply(batch {
                $0.accounts = [Account(id: "A-1", name: "A", arrUSD: 1)]
                $0.tickets = [Ticket(ticketID: "T1", accountID: "GHOST", status: .open, openedAt: ts("2026-01-01"))]
            })
        }
        #expect(try t.store.accountCount() == 0)
    }

    @Test("loading every history groups each table's rows under the right account", arguments: Backend.available)
    func loadHistories(_ backend: Backend) throws {
        let t = try TempStore(backend)
        _ = try t.store.apply(batch {
            $0.accounts = (1...50).map { Account(id: "A-\($0)", name: "N\($0)", arrUSD: Double($0)) }
            for i in 1...50 {
                for k in 0..<(i % 4) {
                    $0.tickets.append(Ticket(ticketID: "T\(i)-\(k)", accountID: "A-\(i)", status: .open, openedAt: ts("2026-01-01")))
                    $0.surveys.append(SurveyAnswer(accountID: "A-\(i)", kind: .nps, score: Double(k), respondedAt: ts("2026-01-01")))
                }
                if i % 5 == 0 { $0.events.append(AccountEvent(accountID: "A-\(i)", kind: .sponsorChange, at: ts("2026-01-01"))) }
            }
            $0.events.append(AccountEvent(accountID: "A-7", kind: .note, at: ts("2026-01-01")))
        })
        let all = try t.store.loadHistories()
        #expect(all.count == 50)
        for h in all {
            let i = Int(h.account.id.dropFirst(2)) ?? -1
            #expect(h.tickets.count == i % 4 && h.surveys.count == i % 4)
            #expect(h.tickets.allSatisfy { $0.accountID == h.account.id })
            #expect(h.events.count == (i % 5 == 0 ? 1 : 0), "notes are not loaded for the report")
        }
    }

    @Test("reopening a file keeps its data and does not re-run migrations")
    func reopen() throws {
        let t = try TempStore()
        _ = try t.store.apply(batch { $0.accounts = [Account(id: "A-1", name: "A", arrUSD: 1)] })
        let again = try SQLiteStore(path: t.location)
        #expect(try again.accountCount() == 1)
        #expect(try again.db.scalar("PRAGMA user_version") == Int64(SQLiteStore.schemaVersion))
        #expect(SQLiteStore.schemaVersion >= 2)
    }

    @Test("a file that is not a database gives a clear error")
    func notADatabase() throws {
        let t = try TempStore()
        let path = t.dir + "/junk.db"
        try Data("this is not sqlite, just text that is long enough to fill a header page".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: (any Error).self) { _ = try SQLiteStore(path: path) }
    }
}
