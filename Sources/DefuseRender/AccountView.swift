import DefuseDomain

/// One account as of a moment: what the CSM needs to answer "why is this account red?".
public struct AccountView: Sendable {
    public var health: AccountHealth
    public var history: AccountHistory
    public var asOf: Timestamp
    public var thresholds: HealthThresholds
    /// The account's escalations that are open (not closed) as of the moment.
    public var openEscalations: [EscalationStatus]

    public init(history: AccountHistory, asOf: Timestamp, thresholds: HealthThresholds, openEscalations: [EscalationStatus] = []) {
        self.history = history
        self.asOf = asOf
        self.thresholds = thresholds
        self.openEscalations = openEscalations
        health = AccountHealth.evaluate(history, asOf: asOf, thresholds: thresholds, detail: true)
    }

    /// The answers that formed `round`, oldest first.
    public func answers(of round: SurveyRound) -> [SurveyAnswer] {
        round.answers(in: history.surveys, onboardedOn: history.account.onboardedOn, asOf: asOf)
    }

    /// One line of the account's timeline.
    public struct Entry: Sendable {
        public var at: Timestamp
        public var kind: String
        public var text: String
    }

    /// Survey answers, tickets opened and account events up to the moment, newest first.
    public var timeline: [Entry] {
        var out: [Entry] = []
        for s in history.surveys where s.respondedAt <= asOf {
            let comment = s.comment.map { ": \"\($0)\"" } ?? ""
            out.append(Entry(at: s.respondedAt, kind: "survey", text: "\(s.kind.rawValue.uppercased()) \(JSONWriter.format(s.score))\(comment)"))
        }
        for t in history.tickets where t.openedAt <= asOf {
            out.append(Entry(at: t.openedAt, kind: "ticket", text: "\(t.ticketID) opened (\(t.status.rawValue))\(t.subject.map { ": \($0)" } ?? "")"))
        }
        for e in history.events where e.at <= asOf {
            out.append(Entry(at: e.at, kind: e.kind.rawValue, text: e.detail ?? ""))
        }
        return out.sorted { $0.at > $1.at }
    }
}

/// `defuse account ID --format json`.
public enum AccountJSON {
    public static func render(_ v: AccountView) -> String {
        var w = JSONWriter(inlineDepth: 3)
        write(v, &w)
        return w.output
    }

    public static func write(_ v: AccountView, _ w: inout JSONWriter) {
        let a = v.history.account, h = v.health, ev = h.evidence
        w.beginObject()
        w.field("account_id", a.id)
        w.field("name", a.name)
        w.field("arr_usd", number: a.arrUSD)
        w.field("renewal_date", a.renewalDate.map { CalendarDate(utcOf: $0).description })
        w.field("csm", a.csm)
        w.field("exec_sponsor", a.execSponsor)
        w.field("onboarded_on", a.onboardedOn.map { CalendarDate(utcOf: $0).description })
        w.field("timezone", a.timeZone)
        w.field("as_of", ISO8601.format(v.asOf))
        w.field("level", h.level.rawValue)
        w.field("flags", strings: h.flags.map(\.rawValue))
        w.field("health_call_due", h.healthCallDue)
        w.field("open_tickets", h.openTicketCount)
        w.field("max_response_delay_days", number: h.maxResponseDelay?.days, minFractionDigits: 2)
        w.field("latest_health_call", ev.latestHealthCall.map(ISO8601.format))

        w.key("evidence"); w.beginObject()
        w.key("consecutive_detractors"); w.beginObject()
        w.field("raised", ev.detractors != nil)
        w.field("detractor_below", number: v.thresholds.detractorBelow)
        w.key("pairs"); w.beginArray()
        for p in ev.detractors?.pairs ?? [] {
            w.beginObject()
            w.field("kind", p.newer.kind.rawValue)
            w.key("rounds"); w.beginArray(); round(p.older, v, &w); round(p.newer, v, &w); w.endArray()
            w.endObject()
        }
        w.endArray()
        w.endObject()

        w.key("open_tickets"); w.beginObject()
        w.field("raised", h.flags.contains(.openTickets))
        w.field("count", h.openTicketCount)
        w.field("open_tickets_max", v.thresholds.openTicketsMax)
        w.key("tickets"); w.beginArray()
        for t in ev.openTickets { ticket(t, &w) }
        w.endArray()
        w.endObject()

        w.key("response_delay"); w.beginObject()
        w.field("raised", h.flags.contains(.responseDelay))
        w.field("response_delay_days", number: v.thresholds.responseDelayDays)
        w.key("waiting"); w.beginArray()
        for wait in ev.waits {
            w.beginObject()
            w.field("ticket_id", wait.ticket.ticketID)
            w.field("status", wait.ticket.status.rawValue)
            w.field("subject", wait.ticket.subject)
            w.field("waiting_since", ISO8601.format(wait.since))
            w.field("waited_days", number: wait.waited.days, minFractionDigits: 2)
            w.endObject()
        }
        w.endArray()
        w.endObject()

        w.key("sponsor_change"); w.beginObject()
        w.field("raised", h.flags.contains(.sponsorChange))
        w.field("sponsor_change_days", number: v.thresholds.sponsorChangeDays)
        w.key("events"); w.beginArray()
        for e in ev.sponsorChanges { w.beginObject(); w.field("at", ISO8601.format(e.at)); w.field("detail", e.detail); w.endObject() }
        w.endArray()
        w.endObject()
        w.endObject()

        w.key("rounds"); w.beginArray()
        for r in ev.rounds { round(r, v, &w) }
        w.endArray()

        w.key("open_escalations"); w.beginArray()
        for s in v.openEscalations {
            let next = s.mostUrgentClock
            w.beginObject()
            w.field("id", s.escalation.id); w.field("state", s.state.rawValue); w.field("opened_at", ISO8601.format(s.escalation.openedAt))
            w.field("channel", s.escalation.threat?["channel"])
            w.field("next_clock", next?.name); w.field("next_due", next.map { ISO8601.format($0.due) }); w.field("next_state", next?.state.rawValue)
            w.field("breached_clocks", s.clocks.filter { $0.state == .breached }.count)
            w.endObject()
        }
        w.endArray()

        w.key("timeline"); w.beginArray()
        for e in v.timeline {
            w.beginObject(); w.field("at", ISO8601.format(e.at)); w.field("kind", e.kind); w.field("text", e.text); w.endObject()
        }
        w.endArray()
        w.endObject()
    }

    static func round(_ r: SurveyRound, _ v: AccountView, _ w: inout JSONWriter) {
        w.beginObject()
        w.field("kind", r.kind.rawValue)
        w.field("quarter", r.label)
        w.field("mean", number: r.mean)
        w.field("detractor", r.isDetractor(below: v.thresholds.detractorBelow))
        w.field("latest_answer_at", ISO8601.format(r.latestAt))
        w.key("answers"); w.beginArray()
        for a in v.answers(of: r) {
            w.beginObject()
            w.field("response_id", a.responseID)
            w.field("score", number: a.score)
            w.field("responded_at", ISO8601.format(a.respondedAt))
            w.field("comment", a.comment)
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }

    static func ticket(_ t: Ticket, _ w: inout JSONWriter) {
        w.beginObject()
        w.field("ticket_id", t.ticketID)
        w.field("status", t.status.rawValue)
        w.field("opened_at", ISO8601.format(t.openedAt))
        w.field("subject", t.subject)
        w.endObject()
    }
}

/// `defuse account ID` on a terminal.
public enum AccountTable {
    public static func render(_ v: AccountView, colour: Bool) -> String {
        let a = v.history.account, h = v.health, ev = h.evidence, t = v.thresholds
        var out: [String] = []
        let levelColour: Terminal.Colour = h.level == .red ? .red : h.level == .yellow ? .yellow : .green
        out.append(Terminal.paint("\(Terminal.cell(a.name)) (\(Terminal.cell(a.id)))", .bold, enabled: colour)
                   + "  " + Terminal.paint(h.level.rawValue.uppercased(), levelColour, enabled: colour))
        var facts = ["ARR $\(Terminal.grouped(a.arrUSD))"]
        if let r = a.renewalDate { facts.append("renews \(CalendarDate(utcOf: r))") }
        if let c = a.csm { facts.append("CSM \(Terminal.cell(c))") }
        if let s = a.execSponsor { facts.append("sponsor \(Terminal.cell(s))") }
        facts.append(a.timeZone)
        out.append(facts.joined(separator: " · "))
        out.append("as of \(ISO8601.format(v.asOf))")
        out.append("")

        func head(_ flag: HealthFlag, _ title: String) {
            let raised = h.flags.contains(flag)
            out.append((raised ? Terminal.paint("● ", levelColour, enabled: colour) : "○ ") + title
                       + (raised ? "" : Terminal.paint("  (not raised)", .dim, enabled: colour)))
        }
        head(.consecutiveDetractors, "Two detractor survey rounds in a row (mean below \(JSONWriter.format(t.detractorBelow)))")
        if let d = ev.detractors {
            for p in d.pairs {
                for r in [p.older, p.newer] {
                    let scores = v.answers(of: r).map { JSONWriter.format($0.score) }.joined(separator: ", ")
                    out.append("    \(r.kind.rawValue.uppercased()) \(r.label): mean \(JSONWriter.format((r.mean * 100).rounded() / 100)) from \(r.count) answer\(r.count == 1 ? "" : "s") (\(scores)), latest \(ISO8601.format(r.latestAt))")
                }
            }
            let last = ev.latestHealthCall.map(ISO8601.format)
            if h.healthCallDue {
                let why = last.map { " (the last one, \($0), came before the newest answer)" } ?? " (none on record)"
                out.append("    health call " + Terminal.paint("DUE", .red, enabled: colour) + why)
            } else {
                out.append("    health call held \(last ?? "")")
            }
        } else if !ev.rounds.isEmpty {
            let recent = ev.rounds.suffix(4).map { "\($0.kind.rawValue.uppercased()) \($0.label) \(JSONWriter.format(($0.mean * 100).rounded() / 100))" }
            out.append("    recent rounds: " + recent.joined(separator: ", "))
        }
        head(.openTickets, "More than \(t.openTicketsMax) open tickets: \(h.openTicketCount) open")
        if h.flags.contains(.openTickets) {
            for tk in ev.openTickets.prefix(12) {
                out.append("    \(Terminal.cell(tk.ticketID)) \(tk.status.rawValue), opened \(ISO8601.format(tk.openedAt))  \(Terminal.cell(tk.subject ?? "", max: 50))")
            }
            if ev.openTickets.count > 12 { out.append("    … and \(ev.openTickets.count - 12) more") }
        }
        head(.responseDelay, "A ticket waiting on support over \(JSONWriter.format(t.responseDelayDays)) days")
        for wait in ev.waits.prefix(5) {
            out.append("    \(Terminal.cell(wait.ticket.ticketID)) waiting \(JSONWriter.format((wait.waited.days * 10).rounded() / 10, minFractionDigits: 1)) days since \(ISO8601.format(wait.since))  \(Terminal.cell(wait.ticket.subject ?? "", max: 50))")
        }
        head(.sponsorChange, "Executive sponsor changed in the last \(JSONWriter.format(t.sponsorChangeDays)) days")
        for e in ev.sponsorChanges {
            out.append("    \(ISO8601.format(e.at))  \(Terminal.cell(e.detail ?? ""))")
        }

        if !v.openEscalations.isEmpty {
            out.append("")
            out.append(Terminal.paint("Open escalations", .bold, enabled: colour))
            for s in v.openEscalations {
                let next = s.mostUrgentClock.map { " · next: \($0.name) \($0.state.rawValue), due \(ISO8601.format($0.due))" } ?? ""
                out.append("  \(s.escalation.id) \(s.state.rawValue), opened \(ISO8601.format(s.escalation.openedAt)) on \(s.escalation.threat?["channel"] ?? "?")\(next)")
            }
        }

        let timeline = v.timeline
        if !timeline.isEmpty {
            out.append("")
            out.append(Terminal.paint("Timeline (newest first)", .bold, enabled: colour))
            for e in timeline.prefix(20) {
                out.append("  \(ISO8601.format(e.at))  \(Terminal.padRight(e.kind, 14)) \(Terminal.cell(e.text, max: 80))")
            }
            if timeline.count > 20 { out.append("  … \(timeline.count - 20) older entries (use --format json for all)") }
        }
        return out.joined(separator: "\n") + "\n"
    }
}
