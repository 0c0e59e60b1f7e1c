/// Rule 1, `consecutive_detractors`: for `nps` or for `csat`, the account's two most recent
/// rounds of that kind are both detractor rounds (mean below `detractor_below`).
public enum ConsecutiveDetractors {
    public struct Evidence: Hashable, Sendable {
        /// One pair per kind that raises the flag: the older and the newer detractor round.
        public var pairs: [(older: SurveyRound, newer: SurveyRound)]
        /// The latest answer of the newer round (of the later pair when both kinds raise it).
        public var newestAnswerAt: Timestamp

        public static func == (a: Evidence, b: Evidence) -> Bool {
            a.newestAnswerAt == b.newestAnswerAt && a.pairs.map(\.older) == b.pairs.map(\.older)
                && a.pairs.map(\.newer) == b.pairs.map(\.newer)
        }
        public func hash(into h: inout Hasher) { h.combine(newestAnswerAt); h.combine(pairs.map(\.newer)) }
    }

    /// `rounds` as built by `SurveyRounds.build`. Nil when the flag is not raised.
    public static func evaluate(rounds: [SurveyRound], thresholds: HealthThresholds) -> Evidence? {
        var pairs: [(older: SurveyRound, newer: SurveyRound)] = []
        // Rounds are sorted by kind, then quarter: the last two of a kind are its two most recent.
        for (i, newer) in rounds.enumerated() where i > 0 && (i + 1 == rounds.count || rounds[i + 1].kind != newer.kind) {
            let older = rounds[i - 1]
            guard older.kind == newer.kind else { continue }
            if older.isDetractor(below: thresholds.detractorBelow) && newer.isDetractor(below: thresholds.detractorBelow) {
                pairs.append((older, newer))
            }
        }
        guard let newest = pairs.map(\.newer.latestAt).max() else { return nil }
        return Evidence(pairs: pairs, newestAnswerAt: newest)
    }
}
