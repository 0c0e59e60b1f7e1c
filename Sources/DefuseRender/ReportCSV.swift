import DefuseCSV
import DefuseDomain

/// `defuse report --format csv`: one row per listed account, flags joined by `;`.
public enum ReportCSV {
    public static let header = ["account_id", "name", "arr_usd", "level", "flags", "health_call_due", "open_tickets",
                                "max_response_delay_days", "csm", "unheard_signal"]

    public static func render(_ report: HealthReport, includeGreen: Bool) -> String {
        var out = CSVWriter.row(header)
        for a in report.listed(includeGreen: includeGreen) {
            out += CSVWriter.row([
                a.account.id, a.account.name, JSONWriter.format(a.account.arrUSD), a.level.rawValue,
                a.flags.map(\.rawValue).joined(separator: ";"), a.healthCallDue ? "true" : "false", String(a.openTicketCount),
                a.maxResponseDelay.map { JSONWriter.format($0.days, minFractionDigits: 2) } ?? "", a.account.csm ?? "",
                a.hasUnheardSignal ? "true" : "false",
            ])
        }
        return out
    }
}
