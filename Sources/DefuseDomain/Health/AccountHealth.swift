/// One account's health as of a moment: its flags, level and the evidence behind each flag.
public struct AccountHealth: Sendable {
    public var account: Account
    public var flagSet: HealthFlags
    /// The raised flags in the spec's order.
    public var flags: [HealthFlag] { flagSet.list }
    public var level: HealthLevel
    public var healthCallDue: Bool
    public var openTicketCount: Int
    /// The longest wait of a ticket waiting on support, nil when none waits.
    public var maxResponseDelay: TimeSpan?
    /// Counted in the report's unheard-signals footer.
    public var hasUnheardSignal: Bool
    public var evidence: Evidence

    /// What raised each flag. Filled in full by `evaluate(_:asOf:thresholds:detail:)` with
    /// `detail: true` (the `account` command); the report skips the lists it does not print.
    public struct Evidence: Sendable {
        public var rounds: [SurveyRound] = []
        public var detractors: ConsecutiveDetractors.Evidence?
        public var openTickets: [Ticket] = []
        public var waits: [ResponseDelay.Wait] = []
        public var sponsorChanges: [AccountEvent] = []
        public var latestHealthCall: Timestamp?
    }

    public static func evaluate(_ history: AccountHistory, asOf: Timestamp, thresholds: HealthThresholds, detail: Bool = false) -> AccountHealth {
        var evidence = Evidence()
        var flags = HealthFlags()

        let rounds = SurveyRounds.build(history.surveys, onboardedOn: history.account.onboardedOn, asOf: asOf)
        let detractors = ConsecutiveDetractors.evaluate(rounds: rounds, thresholds: thresholds)
        if detractors != nil { flags.insert(.consecutiveDetractors) }

        let openCount = OpenTickets.count(history.tickets, asOf: asOf)
        if OpenTickets.isRaised(openCount: openCount, thresholds: thresholds) { flags.insert(.openTickets) }

        let longest = ResponseDelay.longest(history.tickets, asOf: asOf)
        if ResponseDelay.isRaised(longest: longest, thresholds: thresholds) { flags.insert(.responseDelay) }

        let changes = SponsorChange.recent(history.events, asOf: asOf, thresholds: thresholds)
        if !changes.isEmpty { flags.insert(.sponsorChange) }

        let latestCall = HealthCall.latest(history.events, asOf: asOf)
        let callDue = detractors.map { HealthCall.isDue(after: $0.newestAnswerAt, latestCall: latestCall) } ?? false
        let unheard = UnheardSignal.isUnheard(rounds: rounds, latestCall: latestCall, asOf: asOf, thresholds: thresholds)

        evidence.detractors = detractors
        evidence.sponsorChanges = changes
        evidence.latestHealthCall = latestCall
        if detail {
            evidence.rounds = rounds
            evidence.openTickets = OpenTickets.open(history.tickets, asOf: asOf)
            evidence.waits = ResponseDelay.waits(history.tickets, asOf: asOf)
        }
        return AccountHealth(account: history.account, flagSet: flags, level: HealthLevel(flagCount: flags.count),
                             healthCallDue: callDue, openTicketCount: openCount, maxResponseDelay: longest,
                             hasUnheardSignal: unheard, evidence: evidence)
    }
}
