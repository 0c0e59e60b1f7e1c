/// The answers of one kind in one UTC calendar quarter, scored by their mean.
public struct SurveyRound: Hashable, Sendable {
    public var kind: SurveyKind
    /// `year * 4 + quarter - 1`, UTC.
    public var quarterIndex: Int
    public var count: Int
    public var sum: Double
    /// The moment of the round's latest answer.
    public var latestAt: Timestamp

    public var mean: Double { sum / Double(count) }
    public var year: Int { quarterIndex / 4 }
    public var quarter: Int { quarterIndex % 4 + 1 }
    /// `2026-Q3`
    public var label: String { "\(year)-Q\(quarter)" }

    public func isDetractor(below threshold: Double) -> Bool { mean < threshold }

    /// The round's answers among `answers` (for evidence), oldest first.
    public func answers(in answers: some Collection<SurveyAnswer>, onboardedOn: Timestamp?, asOf: Timestamp) -> [SurveyAnswer] {
        answers.filter {
            $0.kind == kind && $0.respondedAt.quarterIndex == quarterIndex && SurveyRounds.counts($0, onboardedOn: onboardedOn, asOf: asOf)
        }.sorted { $0.respondedAt < $1.respondedAt }
    }
}

public enum SurveyRounds {
    /// An answer counts when given at or before the moment and not before onboarding.
    @inline(__always)
    public static func counts(_ a: SurveyAnswer, onboardedOn: Timestamp?, asOf: Timestamp) -> Bool {
        a.respondedAt <= asOf && (onboardedOn.map { a.respondedAt >= $0 } ?? true)
    }

    /// The rounds formed by the answers that count as of `asOf`, sorted by kind (nps, csat),
    /// then quarter, oldest first.
    public static func build(_ answers: some Collection<SurveyAnswer>, onboardedOn: Timestamp?, asOf: Timestamp) -> [SurveyRound] {
        var rounds: [SurveyRound] = []
        // Indexing reads the fields in place; `for a in answers` would copy each answer and its strings.
        for j in answers.indices {
            let at = answers[j].respondedAt
            guard at <= asOf, onboardedOn.map({ at >= $0 }) ?? true else { continue }
            let kind = answers[j].kind, score = answers[j].score
            let q = at.quarterIndex
            if let i = rounds.firstIndex(where: { $0.kind == kind && $0.quarterIndex == q }) {
                rounds[i].count += 1
                rounds[i].sum += score
                if at > rounds[i].latestAt { rounds[i].latestAt = at }
            } else {
                rounds.append(SurveyRound(kind: kind, quarterIndex: q, count: 1, sum: score, latestAt: at))
            }
        }
        if rounds.count > 1 {
            rounds.sort { ($0.kind == .nps ? 0 : 1, $0.quarterIndex) < ($1.kind == .nps ? 0 : 1, $1.quarterIndex) }
        }
        return rounds
    }
}
