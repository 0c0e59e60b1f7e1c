/// What the playbook needs to know beyond the escalation's own log: the account, where it
/// ranks by ARR, its account events, and when its escalations began.
public struct PlaybookContext: Sendable {
    public let account: Account
    /// 1 for the account with the largest ARR (ties by `account_id`).
    public var arrRank: Int
    public var accountEvents: [AccountEvent]
    /// The threat moments of every escalation of the account, this one included.
    public var threatMoments: [Timestamp]
    public var thresholds: PlaybookThresholds
    /// The account's zone rules, looked up once for every fold that shares this context.
    public let zone: ZoneRules

    public init(account: Account, arrRank: Int, accountEvents: [AccountEvent] = [], threatMoments: [Timestamp] = [],
                thresholds: PlaybookThresholds = PlaybookThresholds()) {
        self.account = account; self.arrRank = arrRank; self.accountEvents = accountEvents
        self.threatMoments = threatMoments; self.thresholds = thresholds
        zone = LocalTime.rules(account.timeZone)
    }

    /// Flagship by ARR, which does not depend on the escalation's log.
    public var isFlagship: Bool {
        account.arrUSD > thresholds.flagshipARRUSD || (thresholds.flagshipTopN > 0 && arrRank <= thresholds.flagshipTopN)
    }
}
