public enum SurveyKind: String, CaseIterable, Sendable {
    case nps, csat
}

/// One answer from the NPS/CSAT tool (`surveys.csv`), its score normalised to 0...10.
public struct SurveyAnswer: Hashable, Sendable {
    public var responseID: String?
    public var accountID: String
    public var kind: SurveyKind
    public var score: Double
    public var respondedAt: Timestamp
    public var comment: String?

    public init(responseID: String? = nil, accountID: String, kind: SurveyKind, score: Double,
                respondedAt: Timestamp, comment: String? = nil) {
        self.responseID = responseID; self.accountID = accountID; self.kind = kind; self.score = score
        self.respondedAt = respondedAt; self.comment = comment
    }
}
