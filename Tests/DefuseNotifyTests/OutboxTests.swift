import DefuseApp
import DefuseCrypto
import DefuseDomain
import DefuseNotify
import DefuseStore
import Testing

@Suite("Scheduler: edges")
struct SchedulerEdgeTests {
    func keys(_ desk: Desk) throws -> [String] { try desk.store.loadOutbox(OutboxFilter()).map(\.key).sorted() }

    @Test("a clock logged after its warning time warns at once; one logged already breached gets only the breach", arguments: Backend.available)
    func backDated(_ backend: Backend) throws {
        let desk = try Desk(backend)
        let id = try desk.open(at: "2026-03-06T14:00:00Z")
        try desk.log(id, "call_start", at: "2026-03-06T14:01:00Z")
        // The call ended 100 minutes before it is logged: the recap is due in 20 minutes, past its 30-minute warning.
        try desk.log(id, "call_end", at: "2026-03-06T14:10:00Z", loggedAt: "2026-03-06T15:50:00Z")
        let scheduler = Scheduler(store: desk.store, config: desk.config)
        try scheduler.tick(now: ts("2026-03-06T15:50:00Z"))
        let recap = try keys(desk).filter { $0.contains("/recap/") }
        #expect(recap == ["E-1/recap/clock.warning/kim@example.com", "E-1/recap/clock.warning/team"])

        let late = try Desk(backend)
        let id2 = try late.open(at: "2026-03-06T14:00:00Z")
        try late.log(id2, "call_start", at: "2026-03-06T14:01:00Z")
        try late.log(id2, "call_end", at: "2026-03-06T14:10:00Z", loggedAt: "2026-03-06T17:00:00Z")
        try Scheduler(store: late.store, config: late.config).tick(now: ts("2026-03-06T17:00:00Z"))
        let recap2 = try keys(late).filter { $0.contains("/recap/") }
        #expect(recap2 == ["E-1/recap/clock.breached/kim@example.com", "E-1/recap/clock.breached/lee@example.com", "E-1/recap/clock.breached/team"])
        // The call started in time (14:01), so it met both the acknowledge and the call clocks: no warning of any kind.
        #expect(try keys(late).allSatisfy { !$0.contains("clock.warning") })
    }

    @Test("a warning is not sent once its clock is due; a closed escalation sends nothing more", arguments: Backend.available)
    func expiry(_ backend: Backend) throws {
        let desk = try Desk(backend)
        let id = try desk.open(at: "2026-03-06T14:00:00Z")
        // The first look comes after the call's due: only breaches.
        try Scheduler(store: desk.store, config: desk.config).tick(now: ts("2026-03-06T14:15:00Z"))
        #expect(try keys(desk).filter { $0.hasPrefix("E-1/") }
                == ["E-1/triage_call/clock.breached/kim@example.com", "E-1/triage_call/clock.breached/lee@example.com",
                    "E-1/triage_call/clock.breached/team"])
        try desk.log(id, "ack", at: "2026-03-06T14:16:00Z")
        try desk.log(id, "resolved", at: "2026-03-06T14:17:00Z")
        try desk.log(id, "closed", at: "2026-03-06T14:18:00Z")
        let before = try keys(desk)
        // Hours later, with every clock of the escalation unmet or late: nothing, since it is closed.
        try Scheduler(store: desk.store, config: desk.config).tick(now: ts("2026-03-06T20:00:00Z"))
        #expect(try keys(desk) == before)
    }

    @Test("two schedulers (a restart, a second worker) on one store queue each key once", arguments: Backend.available)
    func twoWorkers(_ backend: Backend) throws {
        let desk = try Desk(backend)
        _ = try desk.open(at: "2026-03-06T14:00:00Z")
        let other = try desk.another()
        let a = Scheduler(store: desk.store, config: desk.config)
        let b = Scheduler(store: other, config: desk.config)
        var added = 0
        for minute in stride(from: 0, through: 70, by: 1) {
            let t = ts("2026-03-06T14:00:00Z") + .minutes(Int64(minute))
            added += try a.tick(now: t)
            added += try b.tick(now: t)
            // A restart: a fresh scheduler knows nothing but the store.
            if minute == 30 { added += try Scheduler(store: other, config: desk.config).tick(now: t) }
        }
        let all = try keys(desk)
        #expect(Set(all).count == all.count)
        #expect(added == all.count)
        // triage warning 2, triage breach 3, acknowledge warning 2, acknowledge breach 3, report 2.
        #expect(all.count == 12)
    }

    @Test("routes from the configuration: one user, one channel, an address; the CSM left out", arguments: Backend.available)
    func routes(_ backend: Backend) throws {
        let config = try Configuration.parse("""
            smtp_url = smtp://127.0.0.1:9
            webhook.team.url = http://127.0.0.1:9/a
            webhook.ops.url = http://127.0.0.1:9/b
            route.clock.breached = user:ann, webhook:ops, oncall@example.com, user:nobody, webhook:nope
            route.clock.warning =
            """)
        let desk = try Desk(backend) { $0.notifications = config.notifications }
        _ = try desk.open(at: "2026-03-06T14:00:00Z")
        try Scheduler(store: desk.store, config: desk.config).tick(now: ts("2026-03-06T14:15:00Z"))
        #expect(try keys(desk).filter { $0.hasPrefix("E-1/") }
                == ["E-1/triage_call/clock.breached/ann@example.com", "E-1/triage_call/clock.breached/oncall@example.com",
                    "E-1/triage_call/clock.breached/ops"])
        #expect(throws: ConfigurationError.self) { try Configuration.parse("route.clock.breached = everyone") }
        #expect(throws: ConfigurationError.self) { try Configuration.parse("route.clock.late = csm") }
    }

    @Test("a write that fails (a deadlock, a lost connection) loses nothing: the next tick queues it")
    func failedWrite() throws {
        let desk = try Desk()
        _ = try desk.open(at: "2026-03-06T14:00:00Z")
        let sqlite = try #require(desk.store as? SQLiteStore)
        try sqlite.db.execute("CREATE TRIGGER refuse BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'the database said no'); END")
        let scheduler = Scheduler(store: desk.store, config: desk.config)
        #expect(throws: (any Error).self) { try scheduler.tick(now: ts("2026-03-06T14:15:00Z")) }
        #expect(try keys(desk).isEmpty)
        try sqlite.db.execute("DROP TRIGGER refuse")
        try scheduler.tick(now: ts("2026-03-06T14:15:01Z"))
        #expect(try keys(desk).filter { $0.hasPrefix("E-1/triage_call/clock.breached/") }.count == 3)
        #expect(try keys(desk).contains { $0.hasPrefix("report.daily/") }, "the daily report too")
    }

    @Test("no channel configured: nothing is queued", arguments: Backend.available)
    func noChannels(_ backend: Backend) throws {
        let desk = try Desk(backend) { $0.notifications.smtpURL = nil; $0.notifications.webhooks = [] }
        _ = try desk.open(at: "2026-03-06T14:00:00Z")
        #expect(try Scheduler(store: desk.store, config: desk.config).tick(now: ts("2026-03-06T16:00:00Z")) == 0)
        #expect(try keys(desk).isEmpty)
    }

    @Test("webhooks only: users' and the CSM's addresses are not used", arguments: Backend.available)
    func webhooksOnly(_ backend: Backend) throws {
        let desk = try Desk(backend) { $0.notifications.smtpURL = nil }
        _ = try desk.open(at: "2026-03-06T14:00:00Z")
        try Scheduler(store: desk.store, config: desk.config).tick(now: ts("2026-03-06T14:10:00Z"))
        #expect(try keys(desk).allSatisfy { $0.hasSuffix("/team") })
    }
}

@Suite("Outbox: retries, leases, dead letters")
struct OutboxTests {
    func queued(_ desk: Desk, at t: String = "2026-03-06T14:10:00Z") throws -> Int {
        _ = try desk.open(at: "2026-03-06T14:00:00Z")
        return try Scheduler(store: desk.store, config: desk.config).tick(now: ts(t))
    }

    @Test("backoff: 5 s, doubling, at most 10 minutes; dead after max_attempts; retry sends it once", arguments: Backend.available)
    func backoff(_ backend: Backend) throws {
        #expect(OutboxMessage.retryMoment(afterAttempt: 1, at: Timestamp(seconds: 0), maxAttempts: 8) == Timestamp(seconds: 5))
        #expect(OutboxMessage.retryMoment(afterAttempt: 2, at: Timestamp(seconds: 0), maxAttempts: 8) == Timestamp(seconds: 10))
        #expect(OutboxMessage.retryMoment(afterAttempt: 7, at: Timestamp(seconds: 0), maxAttempts: 8) == Timestamp(seconds: 320))
        #expect(OutboxMessage.retryMoment(afterAttempt: 8, at: Timestamp(seconds: 0), maxAttempts: 8) == nil)
        #expect(OutboxMessage.retryMoment(afterAttempt: 9, at: Timestamp(seconds: 0), maxAttempts: 20) == Timestamp(seconds: 600))

        let desk = try Desk(backend) { $0.notifications.smtpURL = nil }  // one message: the team's triage warning (and the report)
        let n = try queued(desk)
        let recorder = Recorder()
        recorder.failing = true
        let d = Dispatcher(store: desk.store, transport: recorder, settings: desk.config.notifications)
        var t = ts("2026-03-06T14:10:00Z")
        var attemptsSeen: [Timestamp] = []
        while t < ts("2026-03-06T15:10:00Z") {
            let now = t
            if try d.deliverDue(clock: { now }).failed > 0 { attemptsSeen.append(t) }
            t = t + .seconds(1)
        }
        let gaps = zip(attemptsSeen.dropFirst(), attemptsSeen).map { Int(($0 - $1).seconds) }
        #expect(gaps == [5, 10, 20, 40, 80, 160, 320])
        let dead = try desk.store.loadOutbox(OutboxFilter(states: [.dead]))
        #expect(dead.count == n)
        #expect(dead.allSatisfy { $0.attempts == 8 && $0.lastError == "the receiver is down" })

        recorder.failing = false
        for m in dead { #expect(try desk.store.retryOutbox(id: m.id, now: t)) }
        #expect(try !desk.store.retryOutbox(id: dead[0].id, now: t))  // no longer dead
        let now = t
        try d.deliverDue { now }
        try d.deliverDue { now }
        #expect(recorder.delivered.count == n)
        #expect(try desk.store.loadOutbox(OutboxFilter(states: [.sent])).count == n)
    }

    @Test("a worker that dies holding a lease: the message goes out once, after the lease", arguments: Backend.available)
    func lease(_ backend: Backend) throws {
        let desk = try Desk(backend) { $0.notifications.outboxLease = .seconds(30) }
        let n = try queued(desk)
        let t = ts("2026-03-06T14:10:00Z")
        let claimed = try desk.store.claimOutbox(now: t, lease: .seconds(30), limit: 100)
        #expect(claimed.count == n)  // ...and the process dies here.
        let recorder = Recorder()
        let d = Dispatcher(store: desk.store, transport: recorder, settings: desk.config.notifications)
        #expect(try d.deliverDue { t + .seconds(29) }.sent == 0)
        #expect(try d.deliverDue { t + .seconds(30) }.sent == n)
        #expect(try d.deliverDue { t + .seconds(120) }.sent == 0)
        #expect(Set(recorder.delivered.map(\.key)).count == n)
        #expect(try desk.store.loadOutbox(OutboxFilter()).allSatisfy { $0.attempts == 2 && $0.state == .sent })
    }
}

@Suite("Webhook payloads and wording")
struct PayloadTests {
    @Test("HMAC-SHA256 matches RFC 4231 test case 2")
    func hmacVector() {
        #expect(Crypto.hmacSHA256Hex(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    func message() -> OutboxMessage {
        OutboxMessage(key: "E-7/triage_call/clock.warning/team", type: .clockWarning, escalation: 7, channel: .webhook, recipient: "team",
                      accountID: "ACME", accountName: "Acme, \"Inc.\"", clock: "triage_call", due: ts("2026-03-06T14:17:00Z"),
                      text: "Acme: triage call due in 5 minutes", markdown: "x", intendedAt: ts("2026-03-06T14:12:00Z"),
                      createdAt: ts("2026-03-06T14:12:00Z"))
    }

    @Test("signed: the spec's JSON and a signature over \"{t}.{body}\"")
    func signed() {
        let hook = Webhook(name: "team", url: "http://x", kind: .signed, secret: "a-long-random-secret")
        let r = ChannelTransport.webhookRequest(message(), hook: hook, at: ts("2026-03-06T14:12:00Z"))
        let body = String(decoding: r.body, as: UTF8.self)
        #expect(body == #"{"type": "clock.warning", "key": "E-7/triage_call/clock.warning/team", "escalation_id": "E-7", "account_id": "ACME", "account_name": "Acme, \"Inc.\"", "clock": "triage_call", "due": "2026-03-06T14:17:00Z", "sent_at": "2026-03-06T14:12:00Z", "text": "Acme: triage call due in 5 minutes"}"# + "\n")
        let t = ts("2026-03-06T14:12:00Z").unixSeconds
        let expected = Crypto.hmacSHA256Hex(key: Array("a-long-random-secret".utf8), message: Array("\(t).\(body)".utf8))
        #expect(r.headers == ["Defuse-Signature: t=\(t),v1=\(expected)"])
    }

    @Test("slack: only the text")
    func slack() {
        let r = ChannelTransport.webhookRequest(message(), hook: Webhook(name: "team", url: "http://x"), at: ts("2026-03-06T14:12:00Z"))
        #expect(String(decoding: r.body, as: UTF8.self) == #"{"text": "Acme: triage call due in 5 minutes"}"# + "\n")
        #expect(r.headers.isEmpty)
    }

    @Test("the line: countdowns, local and UTC time, and the date when it is not today")
    func wording() {
        let n = Notice(type: .clockWarning, escalation: 1, subject: "commitment:2", clock: "commitment:2", due: ts("2026-03-10T21:00:00Z"),
                       sendAt: ts("2026-03-10T13:00:00Z"), audiences: [.csm])
        #expect(NoticeWording.line(n, accountName: "Acme", zone: "America/New_York", now: ts("2026-03-10T13:00:00Z"))
                == "Acme: commitment 2 due in 8 hours (21:00 UTC, 17:00 local)")
        #expect(NoticeWording.line(n, accountName: "Acme", zone: "Asia/Kolkata", now: ts("2026-03-08T13:00:00Z"))
                == "Acme: commitment 2 due in 2 days (2026-03-10 21:00 UTC, 2026-03-11 02:30 local)")
        var b = n
        b.type = .clockBreached
        #expect(NoticeWording.line(b, accountName: "Acme", zone: "America/New_York", now: ts("2026-03-10T21:00:30Z"))
                == "Acme: commitment 2 is late, it was due 21:00 UTC, 17:00 local")
    }
}
