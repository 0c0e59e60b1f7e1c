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
        run("scheduler", every: options.planInterval) { [config, clock, log] in
            let scheduler = Scheduler(store: try self.openStore(), config: config)
            scheduler.log = log
            return { _ = try scheduler.tick(now: clock()); return false }
        }
        run("outbox", every: options.sendInterval) { [config, clock, log, afterClaim] in
            let d = Dispatcher(store: try self.openStore(), transport: ChannelTransport(settings: config.notifications), settings: config.notifications)
            d.log = log
            d.afterClaim = afterClaim
            return { () throws -> Bool in
                let r = try d.deliverDue(clock: clock)
                return r.sent + r.failed >= d.batchSize
            }
        }
    }

    /// Asks both loops to stop and waits for them to finish what they hold.
    public func stop() {
        stopping.store(true, ordering: .releasing)
        finished.wait()
    }

    /// A thread that builds its state once, then runs `round` every `interval` seconds (at once
    /// again when it says there is more), logging failures and carrying on.
    private func run(_ name: String, every interval: Double, _ setUp: @escaping @Sendable () throws -> () throws -> Bool) {
        finished.enter()
        let thread = Thread { [self] in
            defer { finished.leave() }
            let round: () throws -> Bool
            do { round = try setUp() } catch { log("\(name): cannot start: \(error)"); return }
            while !stopping.load(ordering: .acquiring) {
                var more = false
                do { more = try round() } catch { log("\(name): \(error)") }
                if !more { Thread.sleep(forTimeInterval: interval) }
            }
        }
        thread.name = "defuse-\(name)"
        thread.start()
    }
}
