import DefuseDomain

/// `defuse report --format json`: the contract in `health-rules.md`.
public enum ReportJSON {
    public static func render(_ report: HealthReport, includeGreen: Bool) -> String {
        var out: [UInt8] = []
        render(report, includeGreen: includeGreen) { out.append(contentsOf: $0) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes the report to `sink` a megabyte at a time.
    public static func render(_ report: HealthReport, includeGreen: Bool, sink: @escaping (UnsafeBufferPointer<UInt8>) -> Void) {
        let listed = report.listed(includeGreen: includeGreen)
        var w = JSONWriter(inlineDepth: 2, sink: sink)
        w.beginObject()
        w.field("as_of", ISO8601.format(report.asOf))
        w.key("summary"); summary(report.summary, &w)
        w.key("accounts"); w.beginArray()
        // Two halves rendered at once, each account's text its own: 200,000 accounts in half the time.
        w.appendElements(listed, minimumToSplit: 20_000) { a, w in account(a, &w) }
        w.endArray()
        w.key("thresholds"); thresholds(report.thresholds, &w)
        w.endObject()
        w.finish()
    }

    static func summary(_ s: HealthReport.Summary, _ w: inout JSONWriter) {
        w.beginObject()
        w.field("red", s.red); w.field("yellow", s.yellow); w.field("green", s.green)
        w.field("unheard_signals", s.unheardSignals)
        w.endObject()
    }

    /// One account on one line, written straight into the buffer: this runs 200,000 times.
    static func account(_ a: AccountHealth, _ w: inout JSONWriter) {
        w.beginRawElement()
        w.append("{\"account_id\": "); w.appendQuoted(a.account.id)
        w.append(", \"name\": "); w.appendQuoted(a.account.name)
        w.append(", \"arr_usd\": "); w.appendNumber(a.account.arrUSD)
        w.append(", \"level\": \""); w.append(a.level.code)
        w.append("\", \"flags\": [")
        var first = true
        for f in HealthFlag.allCases where a.flagSet.contains(f) {
            if !first { w.append(", ") }
            w.append("\""); w.append(f.code); w.append("\"")
            first = false
        }
        w.append("], \"health_call_due\": "); w.appendBool(a.healthCallDue)
        w.append(", \"open_tickets\": "); w.appendInt(a.openTicketCount)
        w.append(", \"max_response_delay_days\": "); w.appendNumber(a.maxResponseDelay?.days, minFractionDigits: 2)
        w.append(", \"csm\": "); w.appendQuoted(a.account.csm)
        w.append(", \"unheard_signal\": "); w.appendBool(a.hasUnheardSignal)
        w.append("}")
        w.endRawElement()
    }

    static func thresholds(_ t: HealthThresholds, _ w: inout JSONWriter) {
        w.beginObject()
        for (name, value) in t.named { w.key(named: name); w.number(value) }
        w.endObject()
    }
}

extension HealthLevel {
    var code: StaticString {
        switch self { case .red: "red"; case .yellow: "yellow"; case .green: "green" }
    }
}

extension HealthFlag {
    var code: StaticString {
        switch self {
        case .consecutiveDetractors: "consecutive_detractors"
        case .openTickets: "open_tickets"
        case .responseDelay: "response_delay"
        case .sponsorChange: "sponsor_change"
        }
    }
}
