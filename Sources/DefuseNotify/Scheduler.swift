import DefuseApp
import DefuseDomain
import DefuseStore

/// Decides what to send now. Due times come from the pure clock fold; the scheduler keeps the
/// notices each open escalation calls for, re-folds an escalation when its log grows (or a
/// back-dated event's moment arrives), and writes what is due to the outbox, where the unique
/// occurrence key makes the write the claim: restarts and other workers cannot double it.
public final class Scheduler {
    let store: Store
    let config: Configuration
    let escalations: Escalations
    /// How often everything is folded afresh (imports can change an account's zone or CSM).
    public var fullPlanEvery = TimeSpan.seconds(60)
    /// Receives a line for the log when something is enqueued.
    public var log: ((String) -> Void)?

    struct Planned {
        var status: EscalationStatus
        var notices: [Notice]
        /// A logged event whose `at` is still ahead: the fold changes when it arrives.
        var refoldAt: Timestamp?
    }

    private var plans: [Int: Planned] = [:]
    private var bookmark: Int64 = 0
    private var lastFullPlan: Timestamp?
    /// Keys this process has already written (the store would ignore them anyway).
    private var written = Set<String>()
    private var lastReportDate: String?
    /// The report date whose messages are in the batch being written.
    private var pendingReportDate: String?

    public init(store: Store, config: Configuration) {
        self.store = store
        self.config = config
        escalations = Escalations(store: store, config: config)
    }

    /// Plans and enqueues whatever is due at `now`; returns the number of new outbox messages.
    @discardableResult
    public func tick(now: Timestamp) throws -> Int {
        let recipients = Recipients(users: try store.loadUsers(), settings: config.notifications)
        guard !recipients.isEmpty else { return 0 }
        if lastFullPlan.map({ now - $0 >= fullPlanEvery }) ?? true {
            try planAll(now: now)
        } else {
            let changed = try store.escalationsChanged(afterEvent: bookmark)
            bookmark = changed.latest
            let ripe = plans.filter { $0.value.refoldAt.map { $0 <= now } ?? false }.map(\.key)
            for number in Set(changed.numbers + ripe) { try plan(number, now: now) }
        }
        let composer = Composer(recipients: recipients)
        var batch: [OutboxMessage] = []
        var stems: [String] = []
        var settled: [Int] = []
        for (number, p) in plans {
            let due = p.notices.filter { $0.sendAt <= now }
            guard !due.isEmpty else { continue }
            for n in due where n.isDue(at: now) && !written.contains(n.keyStem) {
                batch += composer.messages(n, p.status, now: now)
                stems.append(n.keyStem)
            }
            settled.append(number)
        }
        pendingReportDate = nil
        batch += try dailyReport(now: now, composer)
        // Keys in one order on every server, so two servers inserting the same keys queue up
        // rather than deadlock. Nothing is marked done until the write has committed: a failed
        // write (a deadlock, a lost connection) is tried again on the next tick.
        let added = try store.enqueue(batch.sorted { $0.key < $1.key })
        written.formUnion(stems)
        if let date = pendingReportDate { lastReportDate = date; pendingReportDate = nil }
        for number in settled { plans[number]?.notices.removeAll { $0.sendAt <= now } }
        if added > 0 { log?("scheduler: \(added) notification\(added == 1 ? "" : "s") queued") }
        return added
    }

    /// The next moment something planned comes due (for a worker deciding how long to sleep).
    public var nextDue: Timestamp? {
        plans.values.lazy.flatMap { p in p.notices.map(\.sendAt) + [p.refoldAt].compactMap { $0 } }.min()
    }

    private func planAll(now: Timestamp) throws {
        bookmark = try store.latestEventID()
        lastFullPlan = now
        let open: [EscalationStatus]
        do { open = try escalations.list(asOf: now, openOnly: true) } catch { throw StoreError(error.description) }
        plans = [:]
        for s in open { plans[s.escalation.number] = planned(s, now: now) }
    }

    private func plan(_ number: Int, now: Timestamp) throws {
        let s: EscalationStatus
        do { s = try escalations.status(number, asOf: now) } catch { throw StoreError(error.description) }
        if s.state == .closed { plans[number] = nil } else { plans[number] = planned(s, now: now) }
    }

    private func planned(_ s: EscalationStatus, now: Timestamp) -> Planned {
        let notices = NotificationPlan.notices(s, settings: config.notifications).filter { !written.contains($0.keyStem) }
        let ahead = s.escalation.log.lazy.map(\.at).filter { $0 > now }.min()
        return Planned(status: s, notices: notices, refoldAt: ahead)
    }

    private func dailyReport(now: Timestamp, _ composer: Composer) throws -> [OutboxMessage] {
        guard let n = NotificationPlan.dailyReport(now: now, settings: config.notifications), n.subject != lastReportDate else { return [] }
        pendingReportDate = n.subject
        // Another worker (or this one before a restart) may have sent it: only new keys are built.
        let keys = composer.recipients.expand(n.audiences, csm: nil).map { n.key(recipient: $0.to) }
        guard try store.existingOutboxKeys(keys).count < keys.count else { return [] }
        let histories = try store.loadHistories()
        let today = HealthReport.build(histories, asOf: n.sendAt, thresholds: config.health)
        let yesterday = HealthReport.build(histories, asOf: n.sendAt - .days(Int64(1)), thresholds: config.health)
        return composer.reportMessages(n, today: today, yesterday: yesterday, now: now)
    }
}
