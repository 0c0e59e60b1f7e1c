import DefuseDomain
import Testing

@Suite("The report: order and summary")
struct HealthReportTests {
    func history(_ id: String, arr: Double, waitingTickets: Int = 0, detractors: Bool = false) -> AccountHistory {
        let tickets = (0..<waitingTickets).map {
            Ticket(ticketID: "\(id)-\($0)", accountID: id, status: .open, openedAt: t("2026-01-01"))
        }
        let surveys = detractors ? [SurveyAnswer(accountID: id, kind: .nps, score: 1, respondedAt: t("2026-08-01")),
                                    SurveyAnswer(accountID: id, kind: .nps, score: 1, respondedAt: t("2026-11-01"))] : []
        return AccountHistory(account: account(id, arr: arr), surveys: surveys[...], tickets: tickets[...])
    }

    @Test("red first, then yellow, then green; ARR descending; then account_id by code point (A-10 before A-9)")
    func order() {
        let report = HealthReport.build([
            history("A-9", arr: 500), history("A-10", arr: 500), history("B", arr: 900),
            history("R-1", arr: 10, waitingTickets: 6), history("Y-1", arr: 100, waitingTickets: 1),
            history("Y-2", arr: 200, waitingTickets: 1), history("É", arr: 500), history("a", arr: 500), history("Z", arr: 500),
        ], asOf: t("2026-12-01"), thresholds: .defaults)
        #expect(report.accounts.map(\.account.id) == ["R-1", "Y-2", "Y-1", "B", "A-10", "A-9", "Z", "a", "É"])
        #expect(report.summary == HealthReport.Summary(red: 1, yellow: 2, green: 6, unheardSignals: 0))
    }

    @Test("the listing leaves out green accounts unless asked, but the summary counts them all")
    func listed() {
        let report = HealthReport.build([history("G", arr: 1), history("Y", arr: 1, waitingTickets: 1),
                                         history("D", arr: 1, detractors: true)],
                                        asOf: t("2026-12-01"), thresholds: .defaults)
        #expect(report.listed(includeGreen: false).map(\.account.id) == ["D", "Y"])
        #expect(report.listed(includeGreen: true).map(\.account.id) == ["D", "Y", "G"])
        #expect(report.summary.green == 1)
        #expect(report.summary.unheardSignals == 1)
    }

    @Test("code point order is not Swift's default string order")
    func codePoints() {
        #expect(codePointOrder("A-10", "A-9"))
        #expect(codePointOrder("Z", "a"))
        #expect(codePointOrder("e\u{301}", "é")) // decomposed sorts by its first scalar
    }
}
