import DefuseDomain
import DefuseStore
import Foundation
import Testing

/// The escalation log, users, tokens, sessions, the outbox and share links, on every backend.
@Suite("The store's log, users and outbox, on every backend")
struct StoreEscalationTests {
    func desk(_ backend: Backend) throws -> TempStore {
        let t = try TempStore(backend)
        _ = try t.store.apply(batch { $0.accounts = [Account(id: "A-1", name: "Acme", arrUSD: 10), Account(id: "A-2", name: "Two", arrUSD: 20)] })
        return t
    }

    func threat(_ at: String) -> EscalationEvent {
        EscalationEvent(kind: .threat, at: ts(at), loggedAt: ts(at), user: "kim", sequence: 1, fields: ["channel": "twitter", "text": "a=b\\nc\nline two"])
    }

    @Test("open, append, load: the log comes back as written, fields and all; appends are numbered", arguments: Backend.available)
    func log(_ backend: Backend) throws {
        let t = try desk(backend)
        let n = try t.store.openEscalation(accountID: "A-1", threat: threat("2026-03-06T14:00:00Z"))
        #expect(n == 1)
        #expect(throws: (any Error).self) { _ = try t.store.openEscalation(accountID: "GHOST", threat: threat("2026-03-06T14:00:00Z")) }
        let e = try t.store.appendEvent(to: n) { _ in EscalationEvent(kind: .ack, at: ts("2026-03-06T14:05:00Z"), loggedAt: ts("2026-03-06T14:06:00Z"), user: "lee", sequence: 0) }
        #expect(e.log.map(\.sequence) == [1, 2])
        // A refusal inside the transaction records nothing.
        #expect(throws: (any Error).self) { _ = try t.store.appendEvent(to: n) { _ in throw StoreError("refused") } }
        let loaded = try #require(try t.store.loadEscalation(n))
        #expect(loaded.log == e.log)
        #expect(loaded.threat?["text"] == "a=b\\nc\nline two")
        #expect(try t.store.loadEscalation(99) == nil)
        #expect(try t.store.loadEscalations(accountID: "A-2").isEmpty)
        #expect(try t.store.topAccountsByARR(limit: 1) == ["A-2"])
        #expect(try t.store.arrRank(accountID: "A-1", upTo: 20) == 2)
        #expect(try t.store.arrRank(accountID: "nobody", upTo: 20) == nil)
        #expect(try t.store.latestEventID() > 0)
        let changed = try t.store.escalationsChanged(afterEvent: 0)
        let latest = try t.store.latestEventID()
        #expect(changed.numbers == [n] && changed.latest == latest)
    }

    @Test("scan: every escalation once with its account, events and threat moments; many split into parts in number order",
          arguments: Backend.available)
    func scan(_ backend: Backend) throws {
        let t = try desk(backend)
        _ = try t.store.apply(batch {
            $0.accounts = [Account(id: "A-3", name: "Three", arrUSD: 30)]
            $0.events = [AccountEvent(accountID: "A-1", kind: .sponsorChange, at: ts("2026-01-02T00:00:00Z"), detail: "New VP")]
        })
        // 2,100 escalations, alternating accounts, each opened a minute after the last; the last
        // is A-3's only one.
        let start = ts("2026-03-01T00:00:00Z")
        try t.store.insertEscalations((0..<2_100).map { i in
            let at = start + .minutes(Int64(i))
            return Escalation(number: 0, accountID: i == 2_099 ? "A-3" : i % 2 == 0 ? "A-1" : "A-2",
                              log: [EscalationEvent(kind: .threat, at: at, loggedAt: at, user: "kim", sequence: 1, fields: ["channel": "email", "text": "x"]),
                                    EscalationEvent(kind: .ack, at: at + .minutes(1), loggedAt: at + .minutes(1), user: "kim", sequence: 2)])
        })
        for parts in [1, 2] {
            let seen = PartBins<(part: Int, number: Int, account: String, events: Int, threats: [Timestamp], log: Int)>(parts: parts)
            let used = try t.store.scanEscalations(parts: parts) { part, e, a in
                seen.append((part, e.number, a.account.id, a.events.count, a.threatMoments, e.log.count), part: part)
            }
            #expect(used == parts)
            let all = seen.all
            #expect(all.map(\.number) == Array(1...2_100), "each once, part 0 first, in number order within a part")
            #expect(Set(all.map(\.part)) == Set(0..<parts))
            #expect(all.allSatisfy { $0.account == ($0.number == 2_100 ? "A-3" : $0.number % 2 == 1 ? "A-1" : "A-2") && $0.log == 2 })
            #expect(all.allSatisfy { $0.events == ($0.account == "A-1" ? 1 : 0) })
            let moments = all.first { $0.account == "A-1" }?.threats ?? []
            #expect(moments.count == 1_050 && moments == moments.sorted() && moments.first == start)
            #expect(all.last?.threats == [start + .minutes(2_099)], "an account's only escalation is its only threat")
        }
    }

    @Test("appends from two connections at once to one escalation: none lost, none doubled", arguments: Backend.available)
    func concurrentAppends(_ backend: Backend) throws {
        let t = try desk(backend)
        let n = try t.store.openEscalation(accountID: "A-1", threat: threat("2026-03-06T14:00:00Z"))
        let stores = [try t.another(), try t.another()]
        let group = DispatchGroup()
        let failures = Failures()
        for (k, store) in stores.enumerated() {
            let box = StoreBox(store)
            group.enter()
            Thread {
                defer { group.leave() }
                for i in 0..<40 {
                    do {
                        _ = try box.store.appendEvent(to: n) { _ in
                            EscalationEvent(kind: .note, at: ts("2026-03-06T14:10:00Z"), loggedAt: ts("2026-03-06T14:10:00Z"), user: "w\(k)",
                                            sequence: 0, fields: ["phase": "listen", "text": "\(k)-\(i)"])
                        }
                    } catch { failures.add("\(error)") }
                }
            }.start()
        }
        group.wait()
        #expect(failures.list.isEmpty, "\(failures.list.prefix(3))")
        let log = try #require(try t.store.loadEscalation(n)).log
        #expect(log.count == 81)
        #expect(Set(log.map(\.sequence)) == Set(1...81))
        #expect(Set(log.compactMap { $0["text"] }).count == 81)
    }

    @Test("users, tokens and sessions", arguments: Backend.available)
    func users(_ backend: Backend) throws {
        let t = try desk(backend)
        try t.store.saveUser(User(name: "kim", role: .csm, email: "kim@example.com", passwordHash: "h1"))
        try t.store.saveUser(User(name: "kim", role: .manager))  // keeps the e-mail and hash
        #expect(try t.store.loadUser("kim") == User(name: "kim", role: .manager, email: "kim@example.com", passwordHash: "h1"))
        let id = try t.store.saveToken(user: "kim", label: "ci", hash: "abc", at: ts("2026-03-06T14:00:00Z"))
        #expect(try t.store.tokenUser(hash: "abc")?.name == "kim")
        #expect(try t.store.revokeToken(String(id), at: ts("2026-03-06T15:00:00Z")))
        #expect(try !t.store.revokeToken("abc", at: ts("2026-03-06T15:00:00Z")))
        #expect(try t.store.tokenUser(hash: "abc") == nil)
        try t.store.saveSession(hash: "s1", user: "kim", csrf: "c1", expiresAt: ts("2026-03-07T00:00:00Z"))
        #expect(try t.store.loadSession(hash: "s1", now: ts("2026-03-06T23:59:59Z"))?.csrf == "c1")
        #expect(try t.store.loadSession(hash: "s1", now: ts("2026-03-07T00:00:00Z")) == nil)
        try t.store.deleteSession(hash: "s1")
        #expect(try t.store.loadSession(hash: "s1", now: ts("2026-03-06T12:00:00Z")) == nil)
    }

    func message(_ key: String) -> OutboxMessage {
        OutboxMessage(key: key, type: .clockWarning, escalation: 1, channel: .webhook, recipient: "team", accountID: "A-1", accountName: "Acme",
                      clock: "triage_call", due: ts("2026-03-06T14:15:00Z"), text: "t", markdown: "m", intendedAt: ts("2026-03-06T14:10:00Z"),
                      createdAt: ts("2026-03-06T14:10:00Z"))
    }

    @Test("the outbox: keys once, leases, two workers claim disjoint messages, dead and retried", arguments: Backend.available)
    func outbox(_ backend: Backend) throws {
        let t = try desk(backend)
        let keys = (0..<20).map { "E-1/k\($0)/clock.warning/team" }
        #expect(try t.store.enqueue(keys.map(message)) == 20)
        #expect(try t.store.enqueue(keys.prefix(5).map(message) + [message("new")]) == 1)
        #expect(try t.store.existingOutboxKeys(["new", "nope"]) == ["new"])
        let now = ts("2026-03-06T14:10:00Z")
        let other = try t.another()
        let a = try t.store.claimOutbox(now: now, lease: .seconds(30), limit: 12)
        let b = try other.claimOutbox(now: now, lease: .seconds(30), limit: 12)
        #expect(a.count == 12 && b.count == 9 && Set(a.map(\.id)).isDisjoint(with: b.map(\.id)))
        #expect(try t.store.claimOutbox(now: now + .seconds(29), lease: .seconds(30), limit: 50).isEmpty)
        for m in a { try t.store.finishOutbox(id: m.id, sentAt: now) }
        for m in b { try other.failOutbox(id: m.id, error: "down", retryAt: nil) }
        #expect(try t.store.loadOutbox(OutboxFilter(states: [.dead])).count == 9)
        #expect(try t.store.loadOutbox(OutboxFilter(states: [.sent])).allSatisfy { $0.sentAt == now && $0.attempts == 1 })
        #expect(try t.store.retryOutbox(id: b[0].id, now: now))
        #expect(try !t.store.retryOutbox(id: a[0].id, now: now))
        let again = try t.store.claimOutbox(now: now, lease: .seconds(30), limit: 50)
        #expect(again.map(\.id) == [b[0].id] && again[0].attempts == 1)
        #expect(try t.store.loadOutbox(OutboxFilter(escalation: 1)).count == 21)
    }

    @Test("share links: live, revoked", arguments: Backend.available)
    func shareLinks(_ backend: Backend) throws {
        let t = try desk(backend)
        try t.store.saveShareLink(escalation: 1, salt: "s1", hash: "h1", user: "kim", at: ts("2026-03-06T14:00:00Z"))
        try t.store.saveShareLink(escalation: 1, salt: "s2", hash: "h2", user: "kim", at: ts("2026-03-06T14:01:00Z"))
        #expect(try t.store.shareLinkEscalation(hash: "h2") == 1)
        #expect(try t.store.liveShareLinks(escalation: 1).map(\.salt) == ["s2", "s1"])
        #expect(try t.store.revokeShareLinks(escalation: 1, at: ts("2026-03-06T15:00:00Z")) == 2)
        #expect(try t.store.shareLinkEscalation(hash: "h2") == nil)
        #expect(try t.store.liveShareLinks(escalation: 1).isEmpty)
    }
}

final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) { lock.withLock { items.append(s) } }
    var list: [String] { lock.withLock { items } }
}

/// Hands a store to the one thread that uses it.
final class StoreBox: @unchecked Sendable {
    let store: Store
    init(_ store: Store) { self.store = store }
}
