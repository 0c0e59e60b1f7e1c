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
        let threat = s.progress.threat
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
            assert(w.nextContainerIsInline)
            w.beginRawElement()
            w.append("{\"code\": "); w.appendQuoted(r.code.rawValue)
            w.append(", \"evidence\": "); w.appendQuoted(r.evidence)
            w.append(", \"advice\": "); w.appendQuoted(r.advice); w.append("}")
            w.endRawElement()
        }
        w.endArray()
        w.key("commitments"); w.beginArray()
        for c in s.commitments {
            assert(w.nextContainerIsInline)
            w.beginRawElement()
            w.append("{\"n\": "); w.appendInt(c.n)
            w.append(", \"text\": "); w.appendQuoted(c.text)
            w.append(", \"owner\": "); w.appendQuoted(c.owner)
            w.append(", \"due_date\": "); w.appendQuoted(c.due.description)
            w.append(", \"done_at\": "); w.appendTime(c.doneAt); w.append("}")
            w.endRawElement()
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

    /// A clock on one line (the writer puts objects this deep on one line), its text written
    /// straight: a long list writes eight per escalation.
    static func clock(_ c: Clock, zone: String?, _ w: inout JSONWriter) {
        assert(w.nextContainerIsInline, "clocks are written on one line")
        w.beginRawElement()
        w.append("{\"name\": "); w.appendQuoted(c.name)
        w.append(", \"due\": "); w.appendTime(c.due)
        if let zone { w.append(", \"due_local\": "); w.appendQuoted(LocalTime.describe(c.due, in: zone)) }
        w.append(", \"met_at\": "); w.appendTime(c.metAt)
        w.append(", \"state\": "); w.appendQuoted(c.state.rawValue)
        if c.name == "status_update" {
            w.append(", \"late_updates\": "); w.appendInt(c.lateCount ?? 0)
            w.append(", \"cycle\": "); w.appendInt(c.cycle)
        }
        if c.name == "public_response" { w.append(", \"late_responses\": "); w.appendInt(c.lateCount ?? 0) }
        w.append("}")
        w.endRawElement()
    }
}
