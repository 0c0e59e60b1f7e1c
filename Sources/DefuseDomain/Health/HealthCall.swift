/// When a health call answers a signal: a `health_call` event at or before the report's
/// moment and strictly after the signal's latest answer.
public enum HealthCall {
    public static func latest(_ events: some Collection<AccountEvent>, asOf: Timestamp) -> Timestamp? {
        var best: Timestamp?
        for i in events.indices where events[i].kind == .healthCall && events[i].at <= asOf {
            if best.map({ events[i].at > $0 }) ?? true { best = events[i].at }
        }
        return best
    }

    /// True when no health call came after `signalAt`.
    public static func isDue(after signalAt: Timestamp, latestCall: Timestamp?) -> Bool {
        guard let latestCall else { return true }
        return latestCall <= signalAt
    }
}

/// The report footer: accounts whose newest detractor round (of either kind) has its latest
/// answer within the last `unheard_days` and no health call after that answer.
public enum UnheardSignal {
    public static func isUnheard(rounds: [SurveyRound], latestCall: Timestamp?, asOf: Timestamp, thresholds: HealthThresholds) -> Bool {
        let newest = rounds.lazy.filter { $0.isDetractor(below: thresholds.detractorBelow) }.map(\.latestAt).max()
        guard let newest, newest > asOf - .days(thresholds.unheardDays) else { return false }
        return HealthCall.isDue(after: newest, latestCall: latestCall)
    }
}
