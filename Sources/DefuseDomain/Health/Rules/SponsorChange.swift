/// Rule 4, `sponsor_change`: a `sponsor_change` event within the last `sponsor_change_days`
/// (`T - N days < at <= T`: exactly N days ago is outside).
public enum SponsorChange {
    public static func recent(_ events: some Collection<AccountEvent>, asOf: Timestamp, thresholds: HealthThresholds) -> [AccountEvent] {
        let from = asOf - .days(thresholds.sponsorChangeDays)
        var found: [AccountEvent] = []
        for i in events.indices where events[i].kind == .sponsorChange && events[i].at > from && events[i].at <= asOf {
            found.append(events[i])
        }
        return found
    }
}
