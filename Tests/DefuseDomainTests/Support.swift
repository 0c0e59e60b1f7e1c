import DefuseDomain
import Testing

/// A timestamp from ISO 8601 text; the tests' inputs are all valid.
func t(_ s: String, sourceLocation: SourceLocation = #_sourceLocation) -> Timestamp {
    guard let v = ISO8601.parse(s) else {
        Issue.record("bad timestamp in test: \(s)", sourceLocation: sourceLocation)
        return Timestamp(micros: 0)
    }
    return v
}

func account(_ id: String = "A-1", arr: Double = 1000, onboarded: String? = nil, tz: String = "UTC") -> Account {
    Account(id: id, name: "Name \(id)", arrUSD: arr, onboardedOn: onboarded.map { t($0) }, timeZone: tz)
}

func nps(_ score: Double, _ at: String, account: String = "A-1") -> SurveyAnswer {
    SurveyAnswer(accountID: account, kind: .nps, score: score, respondedAt: t(at))
}

func csat(_ score: Double, _ at: String, account: String = "A-1") -> SurveyAnswer {
    SurveyAnswer(accountID: account, kind: .csat, score: score, respondedAt: t(at))
}

func ticket(_ id: String, _ status: TicketStatus, opened: String, customer: String? = nil, agent: String? = nil) -> Ticket {
    Ticket(ticketID: id, accountID: "A-1", status: status, openedAt: t(opened), lastCustomerMessageAt: customer.map { t($0) },
           lastAgentReplyAt: agent.map { t($0) })
}

func event(_ kind: AccountEventKind, _ at: String) -> AccountEvent {
    AccountEvent(accountID: "A-1", kind: kind, at: t(at))
}

/// Evaluates one account with the default thresholds.
func health(_ a: Account = account(), surveys: [SurveyAnswer] = [], tickets: [Ticket] = [], events: [AccountEvent] = [],
            asOf: String, thresholds: HealthThresholds = .defaults) -> AccountHealth {
    AccountHealth.evaluate(AccountHistory(account: a, surveys: surveys[...], tickets: tickets[...], events: events[...]),
                           asOf: t(asOf), thresholds: thresholds, detail: true)
}
