/// Rule 3, `response_delay`: some ticket has waited on support for more than
/// `response_delay_days`. A `new`, `open` or `hold` ticket waits when support has not replied
/// since the customer last wrote (or since it was opened); timestamps after the report's
/// moment count as not given.
public enum ResponseDelay {
    public struct Wait: Hashable, Sendable {
        public var ticket: Ticket
        /// Since when the customer has been waiting.
        public var since: Timestamp
        public var waited: TimeSpan
    }

    /// How long `ticket` has waited on support as of `asOf`, or nil when it is not waiting.
    @inline(__always)
    public static func wait(of ticket: Ticket, asOf: Timestamp) -> TimeSpan? {
        guard ticket.status.canWaitOnSupport, ticket.openedAt <= asOf else { return nil }
        let customer = ticket.lastCustomerMessageAt.flatMap { $0 <= asOf ? $0 : nil } ?? ticket.openedAt
        if let reply = ticket.lastAgentReplyAt, reply <= asOf, reply >= customer { return nil }
        return asOf - customer
    }

    /// Every waiting ticket, longest wait first.
    public static func waits(_ tickets: some Collection<Ticket>, asOf: Timestamp) -> [Wait] {
        tickets.compactMap { t in
            wait(of: t, asOf: asOf).map { Wait(ticket: t, since: asOf - $0, waited: $0) }
        }.sorted { $0.waited > $1.waited }
    }

    public static func longest(_ tickets: some Collection<Ticket>, asOf: Timestamp) -> TimeSpan? {
        var best: TimeSpan?
        for t in tickets { if let w = wait(of: t, asOf: asOf), best.map({ w > $0 }) ?? true { best = w } }
        return best
    }

    /// The flag compares the exact duration: 30 days is not raised, 30 days and 1 µs is.
    public static func isRaised(longest: TimeSpan?, thresholds: HealthThresholds) -> Bool {
        guard let longest else { return false }
        return longest > .days(thresholds.responseDelayDays)
    }
}
