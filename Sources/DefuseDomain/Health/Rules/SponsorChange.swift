/// Rule 4, `sponsor_change`: a `sponsor_change` event within the last `sponsor_change_days`
/// (`T - N days < at <= T`: exactly N days ago is outside).
public enum SponsorChange {
    public static func recent(_ events: some Collection<AccountEvent>, asOf: Timestamp, thresholds: HealthThresholds) -> [AccountEvent] {
        let from = asOf - .days(thresholds.sponsorChangeDays)
        return events.filter { $0.kind == .sponsorChange && $0.at > from && $0.at <= asOf }
    }
}
