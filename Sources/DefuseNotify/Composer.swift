import DefuseDomain

/// Turns a due notice into outbox messages, one per recipient, with their words.
struct Composer {
    var recipients: Recipients

    func messages(_ n: Notice, _ s: EscalationStatus, now: Timestamp) -> [OutboxMessage] {
        let line = NoticeWording.line(n, accountName: s.account.name, zone: s.account.timeZone, now: now, ceoReasons: s.ceoReasons)
        let body = n.type == .ceoLoop ? Draft.make(.ceo, s).markdown : clockBody(line, s)
        return recipients.expand(n.audiences, csm: s.account.csm).map { r in
            OutboxMessage(key: n.key(recipient: r.to), type: n.type, escalation: n.escalation, channel: r.channel, recipient: r.to,
                          accountID: s.account.id, accountName: s.account.name, clock: n.clock, due: n.due, text: line,
                          markdown: body, intendedAt: n.sendAt, createdAt: now)
        }
    }

    func reportMessages(_ n: Notice, today: HealthReport, yesterday: HealthReport, now: Timestamp) -> [OutboxMessage] {
        let date = ISO8601.parseDate(n.subject) ?? CalendarDate(utcOf: now)
        let line = DailyDigest.line(today: today, newReds: DailyDigest.newReds(today: today, yesterday: yesterday).count, date: date)
        let body = DailyDigest.markdown(today: today, yesterday: yesterday, date: date)
        return recipients.expand(n.audiences, csm: nil).map { r in
            OutboxMessage(key: n.key(recipient: r.to), type: n.type, escalation: nil, channel: r.channel, recipient: r.to,
                          accountID: nil, accountName: nil, clock: nil, due: nil, text: line, markdown: body,
                          intendedAt: n.sendAt, createdAt: now)
        }
    }

    /// What the CSM reads in a clock mail: the line, where the escalation stands, the next step.
    func clockBody(_ line: String, _ s: EscalationStatus) -> String {
        let id = s.escalation.id
        var md = "**\(MarkdownText.literal(line))**\n\n"
        md += "- Escalation: \(id) (\(s.state.rawValue.replacingOccurrences(of: "_", with: " ")))"
        if let channel = s.channel { md += " on \(channel.rawValue)" }
        md += "\n- Account: \(MarkdownText.literal(s.account.name)) (\(MarkdownText.literal(s.account.id)))\n"
        md += "- Next: \(MarkdownText.literal(s.nextAction))\n\n"
        md += "See it with `defuse esc show \(id)`.\n"
        return md
    }
}
