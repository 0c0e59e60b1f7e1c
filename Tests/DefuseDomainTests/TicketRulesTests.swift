import DefuseDomain
import Testing

@Suite("Rule 2: open_tickets")
struct OpenTicketsTests {
    let asOf = "2026-12-01T00:00:00Z"

    func tickets(_ n: Int, _ status: TicketStatus = .open, opened: String = "2026-11-20") -> [Ticket] {
        (0..<n).map { ticket("T\($0)", status, opened: opened, agent: "2026-11-30") }
    }

    @Test("exactly 5 open tickets do not raise it; 6 do")
    func fiveVersusSix() {
        #expect(health(tickets: tickets(5), asOf: asOf).flags.isEmpty)
        let six = health(tickets: tickets(6), asOf: asOf)
        #expect(six.flags == [.openTickets])
        #expect(six.openTicketCount == 6)
    }

    @Test("new, open, pending and hold count as open; solved and closed do not")
    func statuses() {
        let mix = [TicketStatus.new, .open, .pending, .hold, .pending, .hold].enumerated().map {
            ticket("T\($0.offset)", $0.element, opened: "2026-11-20", agent: "2026-11-30")
        }
        #expect(health(tickets: mix, asOf: asOf).flags == [.openTickets])
        let closedOnes = tickets(5) + tickets(3, .solved) + tickets(3, .closed)
        #expect(health(tickets: closedOnes, asOf: asOf).openTicketCount == 5)
    }

    @Test("tickets opened after the report's moment are not counted")
    func openedLater() {
        let h = health(tickets: tickets(5) + [ticket("T9", .open, opened: "2026-12-01T00:00:01Z")], asOf: asOf)
        #expect(h.openTicketCount == 5)
        #expect(h.flags.isEmpty)
    }
}

@Suite("Rule 3: response_delay")
struct ResponseDelayTests {
    let opened = "2026-10-01T00:00:00Z"

    @Test("waiting exactly 30 days does not raise it; 30 days and 1 second does")
    func thirtyDays() {
        let tk = [ticket("T1", .open, opened: opened)]
        let exactly = health(tickets: tk, asOf: "2026-10-31T00:00:00Z")
        #expect(exactly.flags.isEmpty)
        #expect(exactly.maxResponseDelay == .days(30 as Int64))
        let over = health(tickets: tk, asOf: "2026-10-31T00:00:01Z")
        #expect(over.flags == [.responseDelay])
    }

    @Test("pending counts as open but never as waiting on support")
    func pendingNotWaiting() {
        let h = health(tickets: [ticket("T1", .pending, opened: "2026-01-01")], asOf: "2026-12-01")
        #expect(h.flags.isEmpty)
        #expect(h.openTicketCount == 1)
        #expect(h.maxResponseDelay == nil)
    }

    @Test("new, open and hold can wait; solved and closed cannot")
    func statuses() {
        for s in [TicketStatus.new, .open, .hold] {
            #expect(health(tickets: [ticket("T1", s, opened: "2026-01-01")], asOf: "2026-12-01").flags == [.responseDelay])
        }
        for s in [TicketStatus.solved, .closed] {
            #expect(health(tickets: [ticket("T1", s, opened: "2026-01-01")], asOf: "2026-12-01").maxResponseDelay == nil)
        }
    }

    @Test("the wait runs from the customer's last message, else from opening")
    func fromCustomerMessage() {
        let h = health(tickets: [ticket("T1", .open, opened: "2026-01-01", customer: "2026-11-11", agent: "2026-05-01")],
                       asOf: "2026-12-01")
        #expect(h.maxResponseDelay == .days(20 as Int64))
        #expect(h.flags.isEmpty)
    }

    @Test("a reply at or after the customer's message stops the wait; one before it does not")
    func replies() {
        let atSame = health(tickets: [ticket("T1", .open, opened: "2026-01-01", customer: "2026-02-01", agent: "2026-02-01")], asOf: "2026-12-01")
        #expect(atSame.maxResponseDelay == nil)
        let before = health(tickets: [ticket("T1", .open, opened: "2026-01-01", customer: "2026-02-01", agent: "2026-01-31T23:59:59Z")], asOf: "2026-12-01")
        #expect(before.flags == [.responseDelay])
    }

    @Test("a reply or customer message after the report's moment counts as not given")
    func laterTimestampsIgnored() {
        let replyLater = health(tickets: [ticket("T1", .open, opened: "2026-01-01", agent: "2026-12-02")], asOf: "2026-12-01")
        #expect(replyLater.flags == [.responseDelay])
        let messageLater = health(tickets: [ticket("T1", .open, opened: "2026-11-25", customer: "2026-12-05")], asOf: "2026-12-01")
        #expect(messageLater.maxResponseDelay == .days(6 as Int64), "the wait runs from opening")
    }

    @Test("the longest wait is reported when several tickets wait")
    func longest() {
        let h = health(tickets: [ticket("T1", .open, opened: "2026-11-01"), ticket("T2", .hold, opened: "2026-10-01T12:00:00Z"),
                                 ticket("T3", .new, opened: "2026-11-20")], asOf: "2026-12-01")
        #expect(h.maxResponseDelay == .days(60.5))
        #expect(h.evidence.waits.map(\.ticket.ticketID) == ["T2", "T1", "T3"])
    }
}
