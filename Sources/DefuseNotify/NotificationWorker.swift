import DefuseDomain
import DefuseStore
import Foundation
import Synchronization

/// The scheduler and the dispatcher, each on its own thread with its own store connection,
/// as `defuse serve` runs them (and `defuse worker` alone). Any number of workers may share one
/// store: keys and leases keep each message single.
public final class NotificationWorker: Sendable {
    public struct Options: Sendable {
        public var planInterval = 1.0
        public var sendInterval = 0.5
        public init() {}
    }

    let openStore: @Sendable () throws -> Store
    let config: Configuration
    let clock: @Sendable () -> Timestamp
    let log: @Sendable (String) -> Void
    public let afterClaim: (@Sendable ([OutboxMessage]) -> Void)?
    let options: Options
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchGroup()
    /// The scheduler wakes the dispatcher when it queues something.
    private let queued = DispatchSemaphore(value: 0)

    public init(openStore: @escaping @Sendable () throws -> Store, config: Configuration, clock: @escaping @Sendable () -> Timestamp,
                options: Options = Options(), log: @escaping @Sendable (String) -> Void,
                afterClaim: (@Sendable ([OutboxMessage]) -> Void)? = nil) {
        self.openStore = openStore; self.config = config; self.clock = clock; self.options = options
        self.log = log; self.afterClaim = afterClaim
    }

    /// Whether any channel is configured; without one there is nothing to do.
    public var hasChannels: Bool {
        config.notifications.smtpURL != nil || config.notifications.webhooks.contains { $0.url != nil }
    }

    public func start() {
        let interval = options.planInterval, sendInterval = options.sendInterval
        run("scheduler") { [config, clock, log, queued] in
            let scheduler = Scheduler(store: try self.openStore(), config: config)
            scheduler.log = log
            return { () throws -> Double in
                let now = clock()
                if try scheduler.tick(now: now) > 0 { queued.signal() }
                // Sleep until the next planned moment, but look at the log at least every `interval`.
                let next = scheduler.nextDue.map { ($0 - clock()).seconds } ?? interval
                return min(interval, max(0.01, next))
            }
        }
        run("outbox") { [config, clock, log, afterClaim, queued] in
            let d = Dispatcher(store: try self.openStore(), transport: ChannelTransport(settings: config.notifications), settings: config.notifications)
            d.log = log
            d.afterClaim = afterClaim
            return { () throws -> Double in
                let r = try d.deliverDue(clock: clock)
                if r.sent + r.failed >= d.batchSize { return 0 }
                _ = queued.wait(timeout: .now() + sendInterval)  // woken early by the scheduler
                return 0
            }
        }
    }

    /// Asks both loops to stop and waits for them to finish what they hold.
    public func stop() {
        stopping.store(true, ordering: .releasing)
        finished.wait()
    }

    /// A thread that builds its state once, then runs `round` again and again, sleeping the
    /// seconds it returns; failures are logged and it carries on (after a second).
    private func run(_ name: String, _ setUp: @escaping @Sendable () throws -> () throws -> Double) {
        finished.enter()
        let thread = Thread { [self] in
            defer { finished.leave() }
            let round: () throws -> Double
            do { round = try setUp() } catch { log("\(name): cannot start: \(error)"); return }
            while !stopping.load(ordering: .acquiring) {
                var pause = 1.0
                do { pause = try round() } catch { log("\(name): \(error)") }
                if pause > 0 { Thread.sleep(forTimeInterval: pause) }
            }
        }
        thread.name = "defuse-\(name)"
        thread.start()
    }
}
