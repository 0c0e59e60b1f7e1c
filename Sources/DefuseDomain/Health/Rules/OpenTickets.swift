/// Rule 2, `open_tickets`: more than `open_tickets_max` tickets with status `new`, `open`,
/// `pending` or `hold`, opened at or before the report's moment.
public enum OpenTickets {
    public static func open(_ tickets: some Collection<Ticket>, asOf: Timestamp) -> [Ticket] {
        tickets.filter { $0.status.isOpen && $0.openedAt <= asOf }
    }

    public static func count(_ tickets: some Collection<Ticket>, asOf: Timestamp) -> Int {
        var n = 0
        for i in tickets.indices where tickets[i].status.isOpen && tickets[i].openedAt <= asOf { n += 1 }
        return n
    }

    public static func isRaised(openCount: Int, thresholds: HealthThresholds) -> Bool {
        openCount > thresholds.openTicketsMax
    }
}
