import DefuseDomain
import DefuseStore

/// Delivers one outbox message somewhere; throwing means "try again later".
public protocol Transport {
    func deliver(_ message: OutboxMessage, at now: Timestamp) throws
}

/// Sends what the outbox holds: leases due messages, delivers each, and records the outcome.
/// A failure is retried with backoff (5 s, doubling, at most 10 min apart); after
/// `max_attempts` the message is parked as dead, never dropped.
public final class Dispatcher {
    let store: Store
    let transport: Transport
    let settings: NotificationSettings
    /// Messages taken per round.
    public var batchSize = 100
    /// Called with the claimed messages before any is sent (fault-injection tests kill the process here).
    public var afterClaim: (([OutboxMessage]) -> Void)?
    public var log: ((String) -> Void)?

    public init(store: Store, transport: Transport, settings: NotificationSettings) {
        self.store = store; self.transport = transport; self.settings = settings
    }

    /// One round: returns (delivered, failed). `clock` is read after each send, so sent_at is true.
    @discardableResult
    public func deliverDue(clock: () -> Timestamp) throws -> (sent: Int, failed: Int) {
        let claimed = try store.claimOutbox(now: clock(), lease: settings.outboxLease, limit: batchSize)
        guard !claimed.isEmpty else { return (0, 0) }
        afterClaim?(claimed)
        var sent = 0, failed = 0
        for m in claimed {
            do {
                try transport.deliver(m, at: clock())
                try store.finishOutbox(id: m.id, sentAt: clock())
                sent += 1
            } catch {
                failed += 1
                let retry = OutboxMessage.retryMoment(afterAttempt: m.attempts, at: clock(), maxAttempts: settings.maxAttempts)
                try store.failOutbox(id: m.id, error: "\(error)", retryAt: retry)
                log?("outbox: #\(m.id) \(m.key) attempt \(m.attempts) failed: \(error)" + (retry == nil ? "; parked as dead" : ""))
            }
        }
        return (sent, failed)
    }
}
