public enum TicketStatus: String, CaseIterable, Sendable {
    case new, open, pending, hold, solved, closed

    /// Counts towards `open_tickets`.
    public var isOpen: Bool { self != .solved && self != .closed }
    /// Can be waiting on support: `pending` means waiting on the customer.
    public var canWaitOnSupport: Bool { self == .new || self == .open || self == .hold }
}

/// One help-desk ticket (`tickets.csv`).
public struct Ticket: Hashable, Sendable {
    public var ticketID: String
    public var accountID: String
    public var status: TicketStatus
    public var openedAt: Timestamp
    public var lastCustomerMessageAt: Timestamp?
    public var lastAgentReplyAt: Timestamp?
    public var closedAt: Timestamp?
    public var subject: String?

    public init(ticketID: String, accountID: String, status: TicketStatus, openedAt: Timestamp,
                lastCustomerMessageAt: Timestamp? = nil, lastAgentReplyAt: Timestamp? = nil,
                closedAt: Timestamp? = nil, subject: String? = nil) {
        self.ticketID = ticketID; self.accountID = accountID; self.status = status; self.openedAt = openedAt
        self.lastCustomerMessageAt = lastCustomerMessageAt; self.lastAgentReplyAt = lastAgentReplyAt
        self.closedAt = closedAt; self.subject = subject
    }
}
