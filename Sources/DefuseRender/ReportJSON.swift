import DefuseDomain

/// `defuse report --format json`: the contract in `health-rules.md`.
public enum ReportJSON {
    public static func render(_ report: HealthReport, includeGreen: Bool) -> String {
        let listed = report.listed(includeGreen: includeGreen)
        var w = JSONWriter(inlineDepth: 2, reserve: listed.count * 320 + 512)
        w.beginObject()
        w.field("as_of", ISO8601.format(report.asOf))
        w.key("summary"); summary(report.summary, &w)
        w.key("accounts"); w.beginArray()
        for a in listed { account(a, &w) }
        w.endArray()
        w.key("thresholds"); thresholds(report.thresholds, &w)
        w.endObject()
        return w.output
    }

    static func summary(_ s: HealthReport.Summary, _ w: inout JSONWriter) {
        w.beginObject()
        w.field("red", s.red); w.field("yellow", s.yellow); w.field("green", s.green)
        w.field("unheard_signals", s.unheardSignals)
        w.endObject()
    }

    static func account(_ a: AccountHealth, _ w: inout JSONWriter) {
        w.beginObject()
        w.field("account_id", a.account.id)
        w.field("name", a.account.name)
        w.field("arr_usd", number: a.account.arrUSD)
        w.field("level", a.level.rawValue)
        w.field("flags", strings: a.flags.map(\.rawValue))
        w.field("health_call_due", a.healthCallDue)
        w.field("open_tickets", a.openTicketCount)
        w.field("max_response_delay_days", number: a.maxResponseDelay?.days, minFractionDigits: 2)
        w.field("csm", a.account.csm)
        w.field("unheard_signal", a.hasUnheardSignal)
        w.endObject()
    }

    static func thresholds(_ t: HealthThresholds, _ w: inout JSONWriter) {
        w.beginObject()
        for (name, value) in t.named { w.field(name, number: value) }
        w.endObject()
    }
}
