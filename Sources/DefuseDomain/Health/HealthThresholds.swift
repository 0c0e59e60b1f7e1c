/// The thresholds of `health-rules.md`, by their configuration names.
public struct HealthThresholds: Equatable, Sendable {
    /// A round whose mean score is below this is a detractor round (`detractor_below`).
    public var detractorBelow: Double = 7
    /// More open tickets than this raise `open_tickets` (`open_tickets_max`).
    public var openTicketsMax: Int = 5
    /// A ticket waiting on support longer than this raises `response_delay` (`response_delay_days`).
    public var responseDelayDays: Double = 30
    /// A sponsor change within this many days raises `sponsor_change` (`sponsor_change_days`).
    public var sponsorChangeDays: Double = 90
    /// Detractor rounds this recent count as unheard signals (`unheard_days`).
    public var unheardDays: Double = 90

    public init() {}

    public static let defaults = HealthThresholds()

    /// Name and value of each threshold, in the spec's order.
    public var named: [(name: String, value: Double)] {
        [("detractor_below", detractorBelow), ("open_tickets_max", Double(openTicketsMax)),
         ("response_delay_days", responseDelayDays), ("sponsor_change_days", sponsorChangeDays),
         ("unheard_days", unheardDays)]
    }

    /// The thresholds that differ from the defaults, for the report's footnote.
    public var changedFromDefaults: [(name: String, value: Double, defaultValue: Double)] {
        zip(named, Self.defaults.named).compactMap { mine, def in
            mine.value == def.value ? nil : (mine.name, mine.value, def.value)
        }
    }
}
