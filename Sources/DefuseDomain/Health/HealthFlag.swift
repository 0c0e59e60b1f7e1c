/// The four early-warning flags, in the order of `health-rules.md`.
public enum HealthFlag: String, CaseIterable, Sendable {
    case consecutiveDetractors = "consecutive_detractors"
    case openTickets = "open_tickets"
    case responseDelay = "response_delay"
    case sponsorChange = "sponsor_change"
}

/// A set of flags, kept as bits; listed in the spec's order.
public struct HealthFlags: Equatable, Sendable {
    public private(set) var bits: UInt8 = 0
    public init() {}
    public init(_ flags: [HealthFlag]) { for f in flags { insert(f) } }

    public mutating func insert(_ f: HealthFlag) { bits |= Self.bit(f) }
    public func contains(_ f: HealthFlag) -> Bool { bits & Self.bit(f) != 0 }
    public var count: Int { bits.nonzeroBitCount }
    public var isEmpty: Bool { bits == 0 }
    public var list: [HealthFlag] { HealthFlag.allCases.filter(contains) }

    private static func bit(_ f: HealthFlag) -> UInt8 {
        switch f {
        case .consecutiveDetractors: 1
        case .openTickets: 2
        case .responseDelay: 4
        case .sponsorChange: 8
        }
    }
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
