/// The answers of one kind in one UTC calendar quarter, scored by their mean.
public struct SurveyRound: Hashable, Sendable {
    public var kind: SurveyKind
    /// `year * 4 + quarter - 1`, UTC.
    public var quarterIndex: Int
    public var answers: [SurveyAnswer]
    public var mean: Double
    /// The moment of the round's latest answer.
    public var latestAt: Timestamp

    public var year: Int { quarterIndex / 4 }
    public var quarter: Int { quarterIndex % 4 + 1 }
    /// `2026-Q3`
    public var label: String { "\(year)-Q\(quarter)" }

    public func isDetractor(below threshold: Double) -> Bool { mean < threshold }
}

public enum SurveyRounds {
    /// The rounds formed by the answers that count as of `asOf`: answered at or before it, and
    /// not before onboarding. Sorted by kind (nps, csat), then quarter, oldest first.
    public static func build(_ answers: some Collection<SurveyAnswer>, onboardedOn: Timestamp?, asOf: Timestamp) -> [SurveyRound] {
        var counted = answers.filter { a in
            a.respondedAt <= asOf && (onboardedOn.map { a.respondedAt >= $0 } ?? true)
        }
        guard !counted.isEmpty else { return [] }
        counted.sort { a, b in
            if a.kind != b.kind { return a.kind == .nps }
            return a.respondedAt < b.respondedAt
        }
        var rounds: [SurveyRound] = []
        for answer in counted {
            let q = answer.respondedAt.utc.quarterIndex
            if let last = rounds.last, last.kind == answer.kind, last.quarterIndex == q {
                rounds[rounds.count - 1].answers.append(answer)
                rounds[rounds.count - 1].latestAt = answer.respondedAt
            } else {
                rounds.append(SurveyRound(kind: answer.kind, quarterIndex: q, answers: [answer], mean: 0, latestAt: answer.respondedAt))
            }
        }
        for i in rounds.indices {
            rounds[i].mean = rounds[i].answers.reduce(0) { $0 + $1.score } / Double(rounds[i].answers.count)
        }
        return rounds
    }
}
