/// When each event is allowed (`playbook.md`, "allowed when"). A refusal says why and what
/// to do instead.
public struct Refusal: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

public enum PlaybookRules {
    /// Whether `e` may apply after `p`. `role` is the logging user's role (the concession guard).
    public static func check(_ e: EscalationEvent, after p: Progress, role: Role?, _ ctx: PlaybookContext) -> Refusal? {
        if p.closedAt != nil {
            return Refusal("the escalation is closed: nothing more can be logged (open a new escalation if the customer threatens again)")
        }
        let state = p.state(ctx)
        switch e.kind {
        case .threat:
            return Refusal("a threat opens an escalation: use `defuse esc open`")
        case .ack, .publicPost, .diagnosed, .evidence, .marker:
            return nil
        case .callStart:
            guard state == .threatened else {
                return Refusal(p.callStarted != nil ? "the triage call has already started (one triage call per escalation); log notes or call_end instead"
                                                    : "the escalation is \(state.rawValue): a triage call starts only while it is threatened")
            }
            return nil
        case .callEnd:
            guard p.callStarted != nil else { return Refusal("no call has started: log call_start first") }
            guard p.callEnded == nil else { return Refusal("the call has already ended") }
            return nil
        case .note:
            guard p.callStarted != nil else { return Refusal("notes belong to the triage call: log call_start first") }
            return nil
        case .commitment:
            guard p.callStarted != nil else { return Refusal("commitments are made on the triage call: log call_start first") }
            guard p.resolvedAt == nil else { return Refusal("the escalation is resolved: no new commitments (log them on a new escalation if needed)") }
            return nil
        case .commitmentDone:
            guard let n = e.int("n"), n >= 1, n <= p.commitments.count else {
                return Refusal("there is no commitment \(e["n"] ?? "?") (\(p.commitments.count) logged so far)")
            }
            guard p.commitments[n - 1].doneAt == nil else { return Refusal("commitment \(n) is already done") }
            return nil
        case .recapSent:
            guard p.callEnded != nil else {
                return Refusal(p.callStarted == nil ? "no call yet: hold the triage call (call_start, call_end) before the recap"
                                                    : "the call has not ended: log call_end before the recap")
            }
            if p.commitments.count < 3 && !e.flag("force") {
                return Refusal("the recap needs three dated commitments (\(p.commitments.count) logged): log commitment --text --owner --due, or send it anyway with --force (recorded as a deviation)")
            }
            return nil
        case .ceoBriefed, .ceoDecision:
            guard state == .ceoLoop else {
                return Refusal(p.ceoReasons(ctx).isEmpty
                               ? "no CEO loop: none of flagship, roadmap decision, hostile reference or press risk holds; the CSM decides"
                               : "the escalation is \(state.rawValue), not in the CEO loop (it starts once the recap is sent)")
            }
            return nil
        case .updateSent:
            guard p.callEnded != nil else { return Refusal("status updates start after the call: log call_end first") }
            guard p.resolvedAt == nil else { return Refusal("the escalation is resolved: no more status updates are due") }
            return nil
        case .publicResponse:
            guard p.publicPosts > 0 else { return Refusal("there is no public post to respond to: log public_post first") }
            return nil
        case .concession:
            if p.resolvedAt == nil {
                guard e["override"] != nil else {
                    return Refusal("no concessions while the escalation is hot: fix the problem first; a manager can override with --override \"reason\"")
                }
                guard role == .manager else {
                    return Refusal("only a manager can override the concession guard (\(e.user) is \(role?.rawValue ?? "not a known user"))")
                }
            }
            return nil
        case .resolved:
            switch state {
            case .threatened, .triageCall, .executing: return nil
            case .ceoLoop: return Refusal("the escalation is in the CEO loop: the CEO decides first (log ceo_decision)")
            case .resolved, .closed: return Refusal("the escalation is already resolved")
            }
        case .closed:
            guard state == .resolved else { return Refusal("only a resolved escalation can be closed: log resolved first") }
            return nil
        }
    }

    /// Checks a new event at its place in the log: it must be allowed there, and every event
    /// already logged after it must stay allowed (unless it is a fact: a post or a marker).
    /// `roles` gives each user's role.
    public static func admit(_ new: EscalationEvent, into log: [EscalationEvent], roles: [String: Role], _ ctx: PlaybookContext) -> Refusal? {
        if let closed = log.first(where: { $0.kind == .closed }) {
            return Refusal("the escalation was closed at \(ISO8601.format(closed.at)): nothing more can be logged (open a new escalation if the customer threatens again)")
        }
        let all = (log + [new]).sorted(by: EscalationEvent.applyOrder)
        var p = Progress()
        var passedNew = false
        for e in all {
            if e.kind == .threat && e.sequence != new.sequence { p.apply(e); continue }
            if e.sequence == new.sequence {
                if let r = check(e, after: p, role: roles[e.user], ctx) { return r }
                passedNew = true
            } else if passedNew && !new.kind.isFact, let r = check(e, after: p, role: roles[e.user], ctx) {
                return Refusal("it would make the \(e.kind.rawValue) logged at \(ISO8601.format(e.at)) no longer allowed (\(r.message))")
            }
            p.apply(e)
        }
        return nil
    }
}
