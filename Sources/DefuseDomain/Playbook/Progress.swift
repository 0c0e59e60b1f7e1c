/// What an escalation's log amounts to after some of its events, folded one at a time in
/// apply order. Everything the rules and clocks need; nothing stored.
public struct Progress: Sendable {
    public struct Commitment: Hashable, Sendable {
        public var n: Int
        public var text: String
        public var owner: String
        public var due: CalendarDate
        public var at: Timestamp
        public var doneAt: Timestamp?
    }

    public var threat: EscalationEvent?
    public var callStarted: Timestamp?
    public var callEnded: Timestamp?
    public var recapSent: Timestamp?
    /// A recap sent with `--force` before three commitments: the deviation shown.
    public var recapForcedWith: Int?
    public var ceoDecided = false
    public var resolvedAt: Timestamp?
    public var closedAt: Timestamp?
    public var commitments: [Commitment] = []
    public var markers: Set<MarkerName> = []
    public var maxPostReach = 0
    public var publicPosts = 0
    public var diagnosed = false
    public var acknowledged = false

    public init() {}

    public mutating func apply(_ e: EscalationEvent) {
        switch e.kind {
        case .threat: threat = e
        case .callStart: if callStarted == nil { callStarted = e.at }
        case .callEnd: if callEnded == nil { callEnded = e.at }
        case .commitment:
            commitments.append(Commitment(n: commitments.count + 1, text: e.text ?? "", owner: e["owner"] ?? "",
                                          due: e["due"].flatMap(ISO8601.parseDate) ?? CalendarDate(utcOf: e.at), at: e.at))
        case .commitmentDone:
            if let n = e.int("n"), n >= 1, n <= commitments.count, commitments[n - 1].doneAt == nil { commitments[n - 1].doneAt = e.at }
        case .recapSent:
            if recapSent == nil {
                recapSent = e.at
                if commitments.count < 3 { recapForcedWith = commitments.count }
            }
        case .ceoDecision: ceoDecided = true
        case .publicPost:
            publicPosts += 1
            maxPostReach = max(maxPostReach, e.int("reach") ?? 0)
        case .diagnosed: diagnosed = true
        case .marker: if let m = e["name"].flatMap(MarkerName.init(rawValue:)) { markers.insert(m) }
        case .resolved: if resolvedAt == nil { resolvedAt = e.at }
        case .closed: if closedAt == nil { closedAt = e.at }
        case .ack: acknowledged = true
        case .note, .ceoBriefed, .updateSent, .publicResponse, .concession, .evidence: break
        }
    }

    /// The CEO-loop reasons that hold, in the spec's order.
    public func ceoReasons(_ ctx: PlaybookContext) -> [CEOReason] {
        var out: [CEOReason] = []
        if ctx.isFlagship { out.append(.flagship) }
        if markers.contains(.needsRoadmapDecision) { out.append(.roadmapDecision) }
        if markers.contains(.hostileReference) { out.append(.hostileReference) }
        let threatReach = threat?.int("reach") ?? 0
        if markers.contains(.pressRisk) || threat?.flag("press") == true
            || max(threatReach, maxPostReach) >= ctx.thresholds.pressReach {
            out.append(.pressRisk)
        }
        return out
    }

    public func state(_ ctx: PlaybookContext) -> EscalationState {
        if closedAt != nil { return .closed }
        if resolvedAt != nil { return .resolved }
        if recapSent != nil { return !ceoDecided && !ceoReasons(ctx).isEmpty ? .ceoLoop : .executing }
        if callStarted != nil { return .triageCall }
        return .threatened
    }
}

public enum CEOReason: String, CaseIterable, Sendable {
    case flagship
    case roadmapDecision = "roadmap_decision"
    case hostileReference = "hostile_reference"
    case pressRisk = "press_risk"
}
