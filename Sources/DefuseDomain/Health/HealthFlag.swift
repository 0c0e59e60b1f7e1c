/// The four early-warning flags, in the order of `health-rules.md`.
public enum HealthFlag: String, CaseIterable, Sendable {
    case consecutiveDetractors = "consecutive_detractors"
    case openTickets = "open_tickets"
    case responseDelay = "response_delay"
    case sponsorChange = "sponsor_change"
}

/// green: no flag; yellow: exactly one; red: two or more.
public enum HealthLevel: String, CaseIterable, Sendable, Comparable {
    case red, yellow, green

    public init(flagCount: Int) {
        self = flagCount == 0 ? .green : flagCount == 1 ? .yellow : .red
    }

    /// Report order: red first.
    public static func < (a: HealthLevel, b: HealthLevel) -> Bool { a.rank < b.rank }
    private var rank: Int { self == .red ? 0 : self == .yellow ? 1 : 2 }
}
