import Foundation

/// The events of the escalation playbook (`playbook.md`), by their names in the CLI and API.
public enum EventKind: String, CaseIterable, Sendable {
    case threat, ack
    case callStart = "call_start", callEnd = "call_end"
    case note, commitment
    case commitmentDone = "commitment_done"
    case recapSent = "recap_sent"
    case ceoBriefed = "ceo_briefed", ceoDecision = "ceo_decision"
    case updateSent = "update_sent"
    case publicPost = "public_post", publicResponse = "public_response"
    case diagnosed, concession, evidence, marker, resolved, closed

    /// Facts that are always accepted while the escalation is open, and that never
    /// invalidate events logged after them.
    public var isFact: Bool { self == .publicPost || self == .marker }

    /// The kind a stored name spells, read from its bytes without making a String (loading a
    /// long list decodes one per event).
    public init?(utf8 name: UnsafeBufferPointer<UInt8>) {
        guard let base = name.baseAddress, name.count < Self.byLength.count else { return nil }
        for (bytes, kind) in Self.byLength[name.count] where bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, base, name.count) == 0 }) {
            self = kind
            return
        }
        return nil
    }

    /// The names grouped by length: a name is compared with the few of its own length.
    private static let byLength: [[([UInt8], EventKind)]] = {
        var out = [[([UInt8], EventKind)]](repeating: [], count: 1 + (allCases.map(\.rawValue.utf8.count).max() ?? 0))
        for kind in allCases { out[kind.rawValue.utf8.count].append((Array(kind.rawValue.utf8), kind)) }
        return out
    }()}

/// The states of an escalation, derived from its log.
public enum EscalationState: String, CaseIterable, Sendable {
    case threatened
    case triageCall = "triage_call"
    case ceoLoop = "ceo_loop"
    case executing, resolved, closed

    /// Where the state sits on the flow, for "states only move forward".
    public var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}

public enum Channel: String, CaseIterable, Sendable {
    case slack, twitter, linkedin, email, ticket
    case reviewSite = "review_site"
    case phone, other

    /// Written channels can be screenshotted: drafts for them get the caution check.
    public var isWritten: Bool { self != .phone }
}

public enum MarkerName: String, CaseIterable, Sendable {
    case needsRoadmapDecision = "needs_roadmap_decision"
    case hostileReference = "hostile_reference"
    case pressRisk = "press_risk"
    case productGap = "product_gap"
}

public enum ConcessionKind: String, CaseIterable, Sendable { case refund, discount, credit, feature }

public enum NotePhase: String, CaseIterable, Sendable { case opening, listen, clarify, commit }

public enum Role: String, CaseIterable, Sendable { case csm, manager, exec, viewer }
