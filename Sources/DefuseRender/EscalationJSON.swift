import DefuseDomain

/// `defuse esc show ID --format json`: the contract in `playbook.md`, plus fields that help.
public enum EscalationJSON {
    public static func render(_ s: EscalationStatus, includeEvents: Bool = true) -> String {
        var w = JSONWriter(inlineDepth: 2)
        write(s, &w, includeEvents: includeEvents)
        return w.output
    }

    /// `localTimes`: each clock's due in the customer's words (`Sat 7 Mar 17:00 EST`); a
    /// formatter call per clock, left out of long lists.
    public static func write(_ s: EscalationStatus, _ w: inout JSONWriter, includeEvents: Bool, localTimes: Bool = true) {
        let threat = s.escalation.threat
        w.beginObject()
        w.field("id", s.escalation.id)
        w.field("account_id", s.account.id)
        w.field("account_name", s.account.name)
        w.field("state", s.state.rawValue)
        w.field("opened_at", time: s.escalation.openedAt)
        w.field("as_of", time: s.asOf)
        w.field("channel", threat?["channel"])
        w.field("threat_text", threat?.text)
        w.field("reach", threat?.int("reach"))
        w.field("press", threat?.flag("press") ?? false)
        w.key("clocks"); w.beginArray()
        for c in s.clocks { clock(c, zone: localTimes ? s.account.timeZone : nil, &w) }
        w.endArray()
        w.key("ceo_loop"); w.beginObject()
        w.field("required", !s.ceoReasons.isEmpty)
        w.field("reasons", strings: s.ceoReasons.map(\.rawValue))
        w.endObject()
        w.field("risks", strings: s.risks.map(\.code.rawValue))
        w.key("risk_evidence"); w.beginArray()
        for r in s.risks {
            w.beginObject(); w.field("code", r.code.rawValue); w.field("evidence", r.evidence); w.field("advice", r.advice); w.endObject()
        }
        w.endArray()
        w.key("commitments"); w.beginArray()
        for c in s.commitments {
            w.beginObject()
            w.field("n", c.n); w.field("text", c.text); w.field("owner", c.owner); w.field("due_date", c.due.description)
            w.field("done_at", time: c.doneAt)
            w.endObject()
        }
        w.endArray()
        w.key("concessions"); w.beginArray()
        for c in s.concessions {
            w.beginObject()
            w.field("kind", c.kind.rawValue); w.field("amount_usd", number: c.amountUSD); w.field("at", time: c.at)
            w.field("user", c.user); w.field("override", c.override)
            w.endObject()
        }
        w.endArray()
        w.field("concessions_total_usd", number: s.concessionsTotal)
        w.field("markers", strings: s.markers.map(\.rawValue))
        w.field("deviations", strings: s.deviations)
        w.field("next_action", s.nextAction)
        if includeEvents {
            w.key("events"); w.beginArray()
            for e in s.events {
                w.beginObject()
                w.field("sequence", e.sequence); w.field("event", e.kind.rawValue); w.field("at", time: e.at)
                w.field("logged_at", time: e.loggedAt); w.field("user", e.user)
                w.key("fields"); w.beginObject()
                let fields = e.fields
                for k in fields.keys.sorted() { w.key(named: k); w.string(fields[k]) }
                w.endObject()
                w.endObject()
            }
            w.endArray()
        }
        w.endObject()
    }

    static func clock(_ c: Clock, zone: String?, _ w: inout JSONWriter) {
        w.beginObject()
        w.field("name", c.name)
        w.field("due", time: c.due)
        if let zone { w.field("due_local", LocalTime.describe(c.due, in: zone)) }
        w.field("met_at", time: c.metAt)
        w.field("state", c.state.rawValue)
        if c.name == "status_update" { w.field("late_updates", c.lateCount ?? 0); w.field("cycle", c.cycle) }
        if c.name == "public_response" { w.field("late_responses", c.lateCount ?? 0) }
        w.endObject()
    }
}
