import DefuseDomain

/// `defuse esc show ID`: the cockpit. State, every clock with time left or how late (local
/// and UTC), the next thing to do, risks, CEO loop, commitments, concessions.
public enum EscalationTable {
    public static func render(_ s: EscalationStatus, colour: Bool) -> String {
        let zone = s.account.timeZone
        var out: [String] = []
        let stateColour: Terminal.Colour = s.state == .threatened || s.state == .ceoLoop ? .red : s.state == .closed || s.state == .resolved ? .green : .yellow
        out.append(Terminal.paint("\(s.escalation.id)  \(Terminal.cell(s.account.name)) (\(Terminal.cell(s.account.id)))", .bold, enabled: colour)
                   + "  " + Terminal.paint(s.state.rawValue.uppercased(), stateColour, enabled: colour))
        let threat = s.escalation.threat
        var line = "opened \(ISO8601.format(s.escalation.openedAt)) on \(threat?["channel"] ?? "?")"
        if let r = threat?.int("reach") { line += ", reach \(Terminal.grouped(Double(r)))" }
        if threat?.flag("press") == true { line += ", press involved" }
        out.append(line + " · customer time \(zone) · as of \(ISO8601.format(s.asOf))")
        if let t = threat?.text { out.append("  “\(Terminal.cell(t, max: 160))”") }
        out.append("")
        out.append(Terminal.paint("Next: ", .bold, enabled: colour) + s.nextAction)
        out.append("")
        out.append(Terminal.paint("Clocks", .bold, enabled: colour))
        let rows = s.clocks.map { c -> [String] in
            [c.name, c.state.rawValue, "\(LocalTime.describe(c.due, in: zone)) (\(ISO8601.format(c.due)))", remaining(c, asOf: s.asOf),
             (c.lateCount ?? 0) > 0 ? "\(c.lateCount ?? 0) late before" : ""]
        }
        let table = Terminal.table(["CLOCK", "STATE", "DUE (local, UTC)", "", ""], rows)
        for (i, l) in table.enumerated() {
            guard i > 0 else { out.append("  " + Terminal.paint(l, .dim, enabled: colour)); continue }
            let state = s.clocks[i - 1].state
            let c: Terminal.Colour? = state == .breached ? .red : state == .pending ? .yellow : nil
            out.append("  " + (c.map { Terminal.paint(l, $0, enabled: colour) } ?? l))
        }
        out.append("")
        out.append(Terminal.paint("CEO loop: ", .bold, enabled: colour)
                   + (s.ceoReasons.isEmpty ? "not required" : "required (\(s.ceoReasons.map(\.rawValue).joined(separator: ", ")))"))
        out.append(Terminal.paint("Risks:", .bold, enabled: colour) + (s.risks.isEmpty ? " none flagged" : ""))
        for r in s.risks { out.append("  \(r.code.rawValue): \(Terminal.cell(r.evidence)); \(r.advice)") }
        out.append(Terminal.paint("Commitments:", .bold, enabled: colour) + (s.commitments.isEmpty ? " none yet (three dated ones are due before the recap)" : ""))
        for c in s.commitments {
            out.append("  \(c.n). \(Terminal.cell(c.text, max: 70)) · \(Terminal.cell(c.owner)) · due \(c.due)" + (c.doneAt.map { " · done \(ISO8601.format($0))" } ?? ""))
        }
        out.append(Terminal.paint("Concessions: ", .bold, enabled: colour) + (s.concessions.isEmpty ? "none (the margin is kept)" : "$\(Terminal.grouped(s.concessionsTotal)) in all"))
        for c in s.concessions {
            out.append("  \(c.kind.rawValue) $\(Terminal.grouped(c.amountUSD)) by \(Terminal.cell(c.user)) at \(ISO8601.format(c.at))" + (c.override.map { ", override: \(Terminal.cell($0))" } ?? ""))
        }
        if !s.markers.isEmpty { out.append(Terminal.paint("Markers: ", .bold, enabled: colour) + s.markers.map(\.rawValue).joined(separator: ", ")) }
        for d in s.deviations { out.append(Terminal.paint("Deviation: ", .bold, enabled: colour) + d) }
        return out.joined(separator: "\n") + "\n"
    }

    /// `in 2h 05m`, `4h 10m late`, `met 12m early`.
    static func remaining(_ c: Clock, asOf: Timestamp) -> String {
        switch c.state {
        case .pending: return "in " + span(c.due - asOf)
        case .breached: return span(asOf - c.due) + " late"
        case .met: return "met " + (c.metAt.map { ISO8601.format($0) } ?? "")
        case .metLate: return "met " + (c.metAt.map { span($0 - c.due) } ?? "") + " late"
        }
    }

    static func span(_ d: TimeSpan) -> String {
        let m = max(0, d.micros / 60_000_000)
        if m < 60 { return "\(m)m" }
        if m < 48 * 60 { return "\(m / 60)h \(pad(Int(m % 60)))m" }
        return "\(m / 1440)d \(m % 1440 / 60)h"
    }

    static func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    /// One line of `defuse esc list`, before the columns are sized.
    public struct ListRow: Sendable {
        var cells: [String]
        var breached: Bool
    }

    public static func listRow(_ s: EscalationStatus) -> ListRow {
        let c = s.mostUrgentClock
        return ListRow(cells: [s.escalation.id, Terminal.cell(s.account.name, max: 28), s.state.rawValue,
                               c.map { "\($0.name) \($0.state.rawValue)" } ?? "-", c.map { remaining($0, asOf: s.asOf) } ?? "",
                               String(s.clocks.filter { $0.state == .breached }.count)],
                       breached: c?.state == .breached)
    }

    /// `defuse esc list`: one line each, in the order given (the most urgent first).
    public static func renderList(_ rows: [ListRow], colour: Bool) -> String {
        guard !rows.isEmpty else { return "No escalations.\n" }
        let table = Terminal.table(["ID", "ACCOUNT", "STATE", "NEXT CLOCK", "", "BREACHED"], rows.map(\.cells), rightAligned: [5])
        var out = [Terminal.paint(table[0], .dim, enabled: colour)]
        for (r, l) in zip(rows, table.dropFirst()) {
            out.append(r.breached ? Terminal.paint(l, .red, enabled: colour) : l)
        }
        return out.joined(separator: "\n") + "\n"
    }
}
