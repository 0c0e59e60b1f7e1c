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
    public static func wait(of ticket: borrowing Ticket, asOf: Timestamp) -> TimeSpan? {
        wait(status: ticket.status, openedAt: ticket.openedAt, customer: ticket.lastCustomerMessageAt, reply: ticket.lastAgentReplyAt, asOf: asOf)
    }

    @inline(__always)
    static func wait(status: TicketStatus, openedAt: Timestamp, customer: Timestamp?, reply: Timestamp?, asOf: Timestamp) -> TimeSpan? {
        guard status.canWaitOnSupport, openedAt <= asOf else { return nil }
        let since = customer.flatMap { $0 <= asOf ? $0 : nil } ?? openedAt
        if let reply, reply <= asOf, reply >= since { return nil }
        return asOf - since
    }

    /// Every waiting ticket, longest wait first.
    public static func waits(_ tickets: some Collection<Ticket>, asOf: Timestamp) -> [Wait] {
        tickets.compactMap { t in
            wait(of: t, asOf: asOf).map { Wait(ticket: t, since: asOf - $0, waited: $0) }
        }.sorted { $0.waited > $1.waited }
    }

    public static func longest(_ tickets: some Collection<Ticket>, asOf: Timestamp) -> TimeSpan? {
        var best: TimeSpan?
        for i in tickets.indices {
            guard let w = wait(status: tickets[i].status, openedAt: tickets[i].openedAt, customer: tickets[i].lastCustomerMessageAt,
                               reply: tickets[i].lastAgentReplyAt, asOf: asOf) else { continue }
            if best.map({ w > $0 }) ?? true { best = w }
        }
        return best
    }

    /// The flag compares the exact duration: 30 days is not raised, 30 days and 1 µs is.
    public static func isRaised(longest: TimeSpan?, thresholds: HealthThresholds) -> Bool {
        guard let longest else { return false }
        return longest > .days(thresholds.responseDelayDays)
    }
}
