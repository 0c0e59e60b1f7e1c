import DefuseDomain

/// `defuse report --format html`: one self-contained page (inline CSS, no script, no external
/// resource) that a CSM can mail to their manager. Every piece of data is escaped.
public enum ReportHTML {
    public static func render(_ report: HealthReport, includeGreen: Bool) -> String {
        let s = report.summary
        let total = max(1, s.red + s.yellow + s.green)
        var h = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Defuse early-warning report, \(htmlEscape(ISO8601.format(report.asOf)))</title>
        <style>\(style)</style></head><body>
        <header><h1>Early-warning report</h1><p class="asof">as of \(htmlEscape(ISO8601.format(report.asOf)))</p></header>
        <section class="tiles">
        <div class="tile red"><b>\(s.red)</b>red</div><div class="tile yellow"><b>\(s.yellow)</b>yellow</div>
        <div class="tile green"><b>\(s.green)</b>green</div><div class="tile unheard"><b>\(s.unheardSignals)</b>unheard signals</div>
        </section>
        \(bar(s, total: total))
        <p class="note">Unheard signals: accounts with a detractor survey round in the last \(JSONWriter.format(report.thresholds.unheardDays)) days and no health call since. Run the health call before the customer goes public.</p>

        """
        let listed = report.listed(includeGreen: includeGreen)
        if listed.isEmpty {
            h += "<p class=\"empty\">No red or yellow accounts.</p>\n"
        } else {
            h += "<table><thead><tr><th>Level</th><th>Account</th><th>Name</th><th class=\"num\">ARR USD</th><th>Flags</th><th class=\"num\">Open tickets</th><th class=\"num\">Longest wait (days)</th><th>Health call</th><th>CSM</th></tr></thead><tbody>\n"
            for a in listed {
                h += "<tr class=\"\(a.level.rawValue)\"><td><span class=\"dot\"></span>\(a.level.rawValue)</td>"
                h += "<td>\(htmlEscape(a.account.id))</td><td>\(htmlEscape(a.account.name))</td>"
                h += "<td class=\"num\">\(Terminal.grouped(a.account.arrUSD))</td><td>"
                h += a.flags.map { "<span class=\"flag\">\(htmlEscape(label($0)))</span>" }.joined(separator: " ")
                h += "</td><td class=\"num\">\(a.openTicketCount)</td>"
                h += "<td class=\"num\">\(a.maxResponseDelay.map { JSONWriter.format(($0.days * 10).rounded() / 10, minFractionDigits: 1) } ?? "–")</td>"
                h += "<td>\(a.healthCallDue ? "<b>due</b>" : "")</td><td>\(htmlEscape(a.account.csm ?? ""))</td></tr>\n"
            }
            h += "</tbody></table>\n"
        }
        let changed = report.thresholds.changedFromDefaults
        if !changed.isEmpty {
            h += "<p class=\"note\">Thresholds differ from the defaults: "
            h += changed.map { "\(htmlEscape($0.name)) = \(JSONWriter.format($0.value)) (default \(JSONWriter.format($0.defaultValue)))" }.joined(separator: ", ")
            h += "</p>\n"
        }
        h += "<footer>Made by Defuse. One flag is yellow, two or more are red.</footer>\n</body></html>\n"
        return h
    }

    static func label(_ f: HealthFlag) -> String {
        switch f {
        case .consecutiveDetractors: "two detractor rounds"
        case .openTickets: "too many open tickets"
        case .responseDelay: "waiting on support"
        case .sponsorChange: "sponsor changed"
        }
    }

    /// A stacked bar of the levels, as inline SVG.
    static func bar(_ s: HealthReport.Summary, total: Int) -> String {
        var x = 0.0
        var rects = ""
        for (n, colour) in [(s.red, "#d64545"), (s.yellow, "#e0a82e"), (s.green, "#3a9d5d")] where n > 0 {
            let w = Double(n) / Double(total) * 1000
            rects += "<rect x=\"\(JSONWriter.format((x * 10).rounded() / 10))\" y=\"0\" width=\"\(JSONWriter.format((w * 10).rounded() / 10))\" height=\"18\" fill=\"\(colour)\"/>"
            x += w
        }
        return "<svg class=\"bar\" viewBox=\"0 0 1000 18\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"\(s.red) red, \(s.yellow) yellow, \(s.green) green\">\(rects)</svg>"
    }

    static let style = """
    body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1200px;padding:0 16px;color:#1d2330}
    h1{margin:0;font-size:22px}.asof{color:#667;margin:2px 0 16px}
    .tiles{display:flex;gap:12px;flex-wrap:wrap}.tile{flex:1;min-width:120px;border-radius:8px;padding:10px 14px;background:#f3f4f7}
    .tile b{display:block;font-size:26px}.tile.red b{color:#c03030}.tile.yellow b{color:#b07a10}.tile.green b{color:#2f7d4a}
    .bar{width:100%;height:18px;margin:14px 0 4px;border-radius:4px}
    .note{color:#556;font-size:13px}table{border-collapse:collapse;width:100%;margin-top:12px}
    th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e4e6eb;vertical-align:top}th{font-size:12px;color:#667;text-transform:uppercase}
    .num{text-align:right;font-variant-numeric:tabular-nums}.dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:6px}
    tr.red .dot{background:#d64545}tr.yellow .dot{background:#e0a82e}tr.green .dot{background:#3a9d5d}
    .flag{display:inline-block;background:#eef0f5;border-radius:10px;padding:0 8px;margin:1px 0;font-size:12px;white-space:nowrap}
    footer{margin-top:24px;color:#889;font-size:12px}
    @media (max-width:700px){td:nth-child(2),th:nth-child(2),td:nth-child(9),th:nth-child(9){display:none}}
    """
}
