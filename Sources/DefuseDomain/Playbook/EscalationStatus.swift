/// An escalation as of a moment: a pure function of the account, its context and the log.
public struct EscalationStatus: Sendable {
    public struct Concession: Hashable, Sendable {
        public var kind: ConcessionKind
        public var amountUSD: Double
        public var at: Timestamp
        public var user: String
        public var override: String?
    }

    public var escalation: Escalation
    public var account: Account
    public var asOf: Timestamp
    public var state: EscalationState
    public var clocks: [Clock]
    public var ceoReasons: [CEOReason]
    public var risks: [Risk]
    public var commitments: [Progress.Commitment]
    public var concessions: [Concession]
    public var markers: [MarkerName]
    /// Departures from the playbook, derived: a recap forced before three commitments.
    public var deviations: [String]
    /// The events up to the moment, in apply order.
    public var events: [EscalationEvent]
    public var progress: Progress
    /// What the fold was given about the account.
    public var context: PlaybookContext

    public var channel: Channel? { escalation.threat?["channel"].flatMap(Channel.init(rawValue:)) }
    public var concessionsTotal: Double { concessions.reduce(0) { $0 + $1.amountUSD } }

    public static func fold(_ escalation: Escalation, _ ctx: PlaybookContext, asOf: Timestamp) -> EscalationStatus {
        let events = escalation.applied(upTo: asOf)
        var p = Progress()
        var concessions: [Concession] = []
        for i in events.indices {
            p.apply(events[i])
            if events[i].kind == .concession {
                let e = events[i]
                concessions.append(Concession(kind: e["kind"].flatMap(ConcessionKind.init(rawValue:)) ?? .credit,
                                              amountUSD: e["amount"].flatMap(Double.init) ?? 0, at: e.at, user: e.user, override: e["override"]))
            }
        }
        var deviations: [String] = []
        if let n = p.recapForcedWith { deviations.append("recap sent with \(n) commitment\(n == 1 ? "" : "s") instead of three (forced)") }
        return EscalationStatus(escalation: escalation, account: ctx.account, asOf: asOf, state: p.state(ctx),
                                clocks: Clocks.derive(events, zone: ctx.zone, asOf: asOf), ceoReasons: p.ceoReasons(ctx),
                                risks: Risks.derive(events, ctx), commitments: p.commitments, concessions: concessions,
                                markers: MarkerName.allCases.filter(p.markers.contains), deviations: deviations, events: events, progress: p,
                                context: ctx)
    }

    /// The clock still running that matters most: a breached one (the most overdue), else the
    /// nearest due; nil when none runs.
    public var mostUrgentClock: Clock? {
        var best: Clock?
        for c in clocks where c.state == .pending || c.state == .breached {
            if let b = best, !Self.moreUrgent(c, b) { continue }
            best = c
        }
        return best
    }

    private static func moreUrgent(_ a: Clock, _ b: Clock) -> Bool {
        if (a.state == .breached) != (b.state == .breached) { return a.state == .breached }
        return a.due < b.due
    }

    /// Where the escalation sorts in a list: breached clocks first (most overdue first), then the
    /// nearest due, then those with no clock running; ties by number.
    public var urgency: Urgency {
        guard let c = mostUrgentClock else { return Urgency(rank: 2, due: 0, number: escalation.number) }
        return Urgency(rank: c.state == .breached ? 0 : 1, due: c.due.micros, number: escalation.number)
    }

    public struct Urgency: Comparable, Sendable {
        var rank: Int
        var due: Int64
        var number: Int

        public static func < (a: Urgency, b: Urgency) -> Bool { (a.rank, a.due, a.number) < (b.rank, b.due, b.number) }
    }

    /// The one thing to do next, in the playbook's words.
    public var nextAction: String {
        let p = progress
        switch state {
        case .closed: return "Nothing: the escalation is closed."
        case .resolved: return "Follow up with the customer, then close the escalation (and write the post-mortem)."
        case .threatened:
            return p.acknowledged
                ? "Get the customer on a private call now, with an executive present (call_start)."
                : "Acknowledge the customer now and propose a private call within 15 minutes (draft: triage)."
        case .triageCall:
            if p.callEnded == nil { return "Run the call: opening, listen, clarify, commit; log the notes and three dated commitments." }
            if p.commitments.count < 3 { return "Log \(3 - p.commitments.count) more dated commitment\(p.commitments.count == 2 ? "" : "s"), then send the recap (draft: recap)." }
            return "Send the written recap with the three commitments and the update schedule (draft: recap)."
        case .ceoLoop: return "Brief the CEO (draft: ceo) for a 15-minute call today; the CEO calls the customer and decides."
        case .executing:
            if let c = mostUrgentClock {
                if c.name == "public_response" { return "Reply publicly: short, factual, moving to private messages (draft: public)." }
                if c.name == "status_update" { return "Send the status update by \(ISO8601.format(c.due))." }
                if c.name.hasPrefix("commitment:") { return "Deliver \(c.name) by \(ISO8601.format(c.due))." }
            }
            return "Execute the commitments and send updates every two days at 17:00 the customer's time."
        }
    }
}
