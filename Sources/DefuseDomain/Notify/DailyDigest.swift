/// The daily early-warning message: today's reds and yellows, with the reds that were not red
/// a day earlier on top.
public enum DailyDigest {
    /// At most this many accounts per section; the rest are counted.
    public static let sectionLimit = 40

    public static func newReds(today: HealthReport, yesterday: HealthReport) -> [AccountHealth] {
        let before = Set(yesterday.accounts.lazy.filter { $0.level == .red }.map(\.account.id))
        return today.accounts.filter { $0.level == .red && !before.contains($0.account.id) }
    }

    public static func line(today: HealthReport, newReds: Int, date: CalendarDate) -> String {
        "Early-warning report for \(date): \(today.summary.red) red (\(newReds) new since yesterday), \(today.summary.yellow) yellow"
    }

    public static func markdown(today: HealthReport, yesterday: HealthReport, date: CalendarDate) -> String {
        let fresh = newReds(today: today, yesterday: yesterday)
        let freshIDs = Set(fresh.map(\.account.id))
        let s = today.summary
        var md = "# Early-warning report, \(date)\n\n"
        md += "\(s.red) red (\(fresh.count) new since yesterday), \(s.yellow) yellow, \(s.green) green; "
        md += "\(s.unheardSignals) with signals nobody acted on.\n"
        md += section("New reds since yesterday", fresh)
        md += section("Red", today.accounts.filter { $0.level == .red && !freshIDs.contains($0.account.id) })
        md += section("Yellow", today.accounts.filter { $0.level == .yellow })
        return md
    }

    static func section(_ title: String, _ list: [AccountHealth]) -> String {
        guard !list.isEmpty else { return "" }
        var md = "\n## \(title)\n\n"
        for h in list.prefix(sectionLimit) {
            let flags = h.flags.map { $0.rawValue.replacingOccurrences(of: "_", with: " ") }.joined(separator: ", ")
            md += "- **\(MarkdownText.literal(h.account.name))** (\(MarkdownText.literal(h.account.id))): \(flags)"
            md += (h.healthCallDue ? "; health call due" : "") + (h.hasUnheardSignal ? "; unheard signal" : "") + "\n"
        }
        if list.count > sectionLimit { md += "- and \(list.count - sectionLimit) more (`defuse report`)\n" }
        return md
    }
}

/// Text from the record placed in Markdown: punctuation is shown as written, not as formatting.
public enum MarkdownText {
    public static func literal(_ s: String) -> String {
        var out = ""
        for ch in s {
            if "\\`*_[]<>#!|".contains(ch) { out.append("\\") }
            out.append(ch == "\n" || ch == "\r" ? " " : ch)
        }
        return out
    }
}
