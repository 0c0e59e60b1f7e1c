/// The daily early-warning report over every account (`health-rules.md`).
public struct HealthReport: Sendable {
    public struct Summary: Equatable, Sendable {
        public var red = 0, yellow = 0, green = 0, unheardSignals = 0
        public init(red: Int = 0, yellow: Int = 0, green: Int = 0, unheardSignals: Int = 0) {
            self.red = red; self.yellow = yellow; self.green = green; self.unheardSignals = unheardSignals
        }
    }

    public var asOf: Timestamp
    public var summary: Summary
    /// Every account, in report order: red, yellow, green; ARR descending; `account_id` by code point.
    public var accounts: [AccountHealth]
    public var thresholds: HealthThresholds

    /// The accounts the report lists: yellow and red, or all of them with `--level all`.
    public func listed(includeGreen: Bool) -> ArraySlice<AccountHealth> {
        includeGreen ? accounts[...] : accounts.prefix { $0.level != .green }
    }

    public static func build(_ histories: some Collection<AccountHistory>, asOf: Timestamp, thresholds: HealthThresholds) -> HealthReport {
        var accounts = histories.map { AccountHealth.evaluate($0, asOf: asOf, thresholds: thresholds) }
        accounts.sort(by: reportOrder)
        var summary = Summary()
        for a in accounts {
            switch a.level {
            case .red: summary.red += 1
            case .yellow: summary.yellow += 1
            case .green: summary.green += 1
            }
            if a.hasUnheardSignal { summary.unheardSignals += 1 }
        }
        return HealthReport(asOf: asOf, summary: summary, accounts: accounts, thresholds: thresholds)
    }

    public static func reportOrder(_ a: AccountHealth, _ b: AccountHealth) -> Bool {
        if a.level != b.level { return a.level < b.level }
        if a.account.arrUSD != b.account.arrUSD { return a.account.arrUSD > b.account.arrUSD }
        return codePointOrder(a.account.id, b.account.id)
    }
}

/// Unicode code point order (UTF-8 byte order is the same), not Swift's canonical `<`.
public func codePointOrder(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}
