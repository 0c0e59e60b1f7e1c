import DefuseDomain

/// `defuse report` on a terminal: an aligned table coloured by level, a summary line with the
/// unheard signals, and the thresholds that differ from the defaults.
public enum ReportTable {
    public static func render(_ report: HealthReport, includeGreen: Bool, colour: Bool) -> String {
        let listed = report.listed(includeGreen: includeGreen)
        let s = report.summary
        var lines: [String] = []
        let title = "Early-warning report as of \(ISO8601.format(report.asOf))"
        lines.append(Terminal.paint(title, .bold, enabled: colour))
        lines.append(summaryLine(s, unheardDays: report.thresholds.unheardDays, colour: colour))
        lines.append("")
        if listed.isEmpty {
            lines.append(includeGreen ? "No accounts." : "No red or yellow accounts. Every account is green.")
        } else {
            let header = ["LEVEL", "ACCOUNT", "NAME", "ARR USD", "FLAGS", "OPEN", "WAIT d", "CALL DUE", "CSM"]
            let rows = listed.map { a -> [String] in
                [a.level.rawValue, Terminal.cell(a.account.id, max: 24), Terminal.cell(a.account.name, max: 32),
                 Terminal.grouped(a.account.arrUSD), a.flags.map(short).joined(separator: ","), String(a.openTicketCount),
                 a.maxResponseDelay.map { JSONWriter.format(($0.days * 10).rounded() / 10, minFractionDigits: 1) } ?? "-",
                 a.healthCallDue ? "yes" : "", Terminal.cell(a.account.csm ?? "", max: 28)]
            }
            let table = Terminal.table(header, rows, rightAligned: [3, 5, 6])
            lines.append(Terminal.paint(table[0], .dim, enabled: colour))
            for (a, line) in zip(listed, table.dropFirst()) {
                lines.append(Terminal.paint(line, levelColour(a.level), enabled: colour && a.level != .green))
            }
            lines.append("")
            lines.append(Terminal.paint("Flags: detractors = two detractor survey rounds in a row, tickets = more than \(report.thresholds.openTicketsMax) open, waiting = a ticket waiting on support over \(JSONWriter.format(report.thresholds.responseDelayDays)) days, sponsor = executive sponsor changed.", .dim, enabled: colour))
        }
        let changed = report.thresholds.changedFromDefaults
        if !changed.isEmpty {
            lines.append("Thresholds differ from the defaults: " + changed.map {
                "\($0.name) = \(JSONWriter.format($0.value)) (default \(JSONWriter.format($0.defaultValue)))"
            }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func summaryLine(_ s: HealthReport.Summary, unheardDays: Double, colour: Bool) -> String {
        [Terminal.paint("\(s.red) red", .red, enabled: colour), Terminal.paint("\(s.yellow) yellow", .yellow, enabled: colour),
         Terminal.paint("\(s.green) green", .green, enabled: colour)].joined(separator: ", ")
            + " · \(s.unheardSignals) account\(s.unheardSignals == 1 ? "" : "s") with unheard signals (a detractor round in the last \(JSONWriter.format(unheardDays)) days and no health call since)"
    }

    static func short(_ f: HealthFlag) -> String {
        switch f {
        case .consecutiveDetractors: "detractors"
        case .openTickets: "tickets"
        case .responseDelay: "waiting"
        case .sponsorChange: "sponsor"
        }
    }

    static func levelColour(_ l: HealthLevel) -> Terminal.Colour {
        switch l { case .red: .red; case .yellow: .yellow; case .green: .green }
    }
}
