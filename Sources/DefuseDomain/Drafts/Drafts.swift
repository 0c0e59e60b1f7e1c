/// The wording of each draft. Every piece of text from the record is quoted as written;
/// Markdown rendering (cmark) strips raw HTML from it.
enum Drafts {
    static func name(_ s: EscalationStatus) -> String { s.account.name }
    static func customerFirstWords(_ s: EscalationStatus) -> String { s.escalation.threat?.text ?? "" }
    static func notes(_ s: EscalationStatus, _ phase: NotePhase) -> [EscalationEvent] {
        s.events.filter { $0.kind == .note && $0["phase"] == phase.rawValue }
    }
    static func local(_ t: Timestamp, _ s: EscalationStatus) -> String { LocalTime.describe(t, in: s.account.timeZone) }
    static func quote(_ text: String) -> String { text.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 }.joined(separator: "\n") }

    static func whatBroke(_ s: EscalationStatus) -> String? {
        if let d = s.events.last(where: { $0.kind == .diagnosed })?.text { return d }
        return notes(s, .listen).compactMap { $0["what_broke"] }.last
    }

    static func triage(_ s: EscalationStatus) -> String {
        """
        # Triage reply to \(name(s))

        Hi, thank you for telling us, and I am sorry this has been so frustrating. You should not have had to raise it this way.

        I would like to understand exactly what happened and fix it with you. Could we get on a short call in the next 15 minutes? I will bring \(s.account.csm.map { "\($0) and " } ?? "")one of our executives, so that decisions can be made on the call.

        By the end of the call you will have either a fix or a realistic timeline, in writing. I will send you a direct invitation now; let's continue in private messages.

        ## Call guide (internal)

        What they said:

        \(quote(customerFirstWords(s)))

        1. **Opening, 5 min.** Thank them, say who is on the call and that we are here to listen and write down what we agree. Share the notes document so they can watch it being written.
        2. **Listen, 10 min.** Let them talk; do not defend. Fill the four slots:
           - *What broke:*
           - *What they expected:*
           - *What they need now:*
           - *Who is pressuring them internally:*
        3. **Clarify, 5 min.** Mirror their words back and have them confirm: "So what you need is ... by ... . Did I get that right?"
        4. **Commit, 10 min.** Three concrete actions, each with an owner and a calendar date. Then the update schedule: every two days at 17:00 their time.

        Log as you go: `note --phase listen --what-broke ... --expected ... --need-now ... --pressure ...`, then `commitment --text --owner --due`.
        """
    }

    static func recap(_ s: EscalationStatus) -> String {
        var md = "# Recap of our call with \(name(s))\n\nThank you for the time today. Here is what we heard and what we will do, so we all work from the same page.\n\n## What we heard\n\n"
        let heard = notes(s, .listen) + notes(s, .clarify)
        if heard.isEmpty { md += "- (no listen or clarify notes logged)\n" }
        for n in heard {
            for (key, label) in [("what_broke", "What broke"), ("expected", "What you expected"), ("need_now", "What you need now"), ("text", n["phase"] == "clarify" ? "We confirmed" : "Notes")] {
                if let v = n[key] { md += "- **\(label):** \(v)\n" }
            }
        }
        md += "\n## What we will do\n\n"
        if s.commitments.isEmpty { md += "- (no commitments logged yet)\n" }
        for c in s.commitments {
            md += "\(c.n). \(c.text): \(c.owner), by \(c.due)\(c.doneAt != nil ? " (done)" : "")\n"
        }
        let next = s.clocks.first { $0.name == "status_update" }?.due
            ?? s.progress.callEnded.map { Clocks.statusUpdateDue(after: $0, zone: s.account.timeZone) }
        md += "\n## When you will hear from us\n\nA written update every two days at 17:00 your time (\(s.account.timeZone))"
        md += next.map { ", the next on \(local($0, s))." } ?? "."
        md += " If anything changes before then, we will tell you the same day.\n"
        let commit = notes(s, .commit).compactMap(\.text)
        if !commit.isEmpty { md += "\n## Also agreed\n\n" + commit.map { "- \($0)\n" }.joined() }
        return md
    }

    static func ceo(_ s: EscalationStatus) -> String {
        var md = "# CEO note: \(name(s)) is in escalation mode\n\n"
        md += "**Account:** \(name(s)) (\(s.account.id)), ARR $\(Money.grouped(s.account.arrUSD)), CSM \(s.account.csm ?? "unassigned").\n"
        md += "**Why you:** " + (s.ceoReasons.isEmpty ? "no CEO-loop reason holds." : s.ceoReasons.map(reasonText).joined(separator: "; ")) + ".\n\n"
        md += "## What they said\n\n\(quote(customerFirstWords(s)))\n\n"
        md += "## What broke\n\n\(whatBroke(s) ?? "Not yet established: see the call notes.")\n\n"
        md += "## What we have committed\n\n"
        md += s.commitments.isEmpty ? "Nothing yet.\n" : s.commitments.map { "\($0.n). \($0.text): \($0.owner), by \($0.due)\n" }.joined()
        md += "\n## The one decision needed\n\n\(decision(s))\n\n"
        if !s.risks.isEmpty {
            md += "## Watch out\n\n" + s.risks.map { "- **\($0.code.rawValue):** \($0.evidence); \($0.advice).\n" }.joined() + "\n"
        }
        md += "## Ask\n\nA 15-minute call today with the customer. You call and decide; \(s.account.csm ?? "the CSM") executes.\n"
        return md
    }

    static func decision(_ s: EscalationStatus) -> String {
        if s.markers.contains(.needsRoadmapDecision) { return "Whether to commit a roadmap change (and by when) to fix this for them." }
        if s.markers.contains(.hostileReference) { return "How we keep them from becoming a hostile reference: who calls whom, and what we can say." }
        if s.markers.contains(.pressRisk) || s.ceoReasons.contains(.pressRisk) { return "What we say in public, and who says it, now that the press may pick this up." }
        return "Whether the committed plan is enough to keep a flagship account, or what else we put behind it (no price concessions while it is hot)."
    }

    static func reasonText(_ r: CEOReason) -> String {
        switch r {
        case .flagship: "a flagship account"
        case .roadmapDecision: "it needs a roadmap decision"
        case .hostileReference: "they could become a hostile reference"
        case .pressRisk: "press risk"
        }
    }

    /// `timeline`: the share page's address; without one, a placeholder says how to make it.
    static func publicReply(_ s: EscalationStatus, timeline: String?) -> String {
        let fixing = s.commitments.first?.text ?? whatBroke(s) ?? "the issue you raised"
        let link = timeline ?? "[timeline link: defuse esc share \(s.escalation.id)]"
        return """
        We have spoken with the team at \(name(s)) and we are working on it with them: \(fixing). Timeline and updates: \(link). We will keep going in private messages.
        """ + "\n"
    }

    static func postmortem(_ s: EscalationStatus) -> String {
        var md = "# Post-mortem: \(name(s)) (\(s.escalation.id))\n\n"
        md += "Opened \(ISO8601.format(s.escalation.openedAt)) on \(s.channel?.rawValue ?? "?"); state \(s.state.rawValue) as of \(ISO8601.format(s.asOf)).\n\n"
        md += "## What broke\n\n\(whatBroke(s) ?? "Not recorded.")\n\n## Timeline\n\n| when (UTC) | event | by | detail |\n|---|---|---|---|\n"
        for e in s.events {
            let detail = e.fields.filter { $0.key != "account" }.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
            md += "| \(ISO8601.format(e.at)) | \(e.kind.rawValue) | \(cell(e.user)) | \(cell(detail)) |\n"
        }
        md += "\n## Clocks\n\n| clock | due (UTC) | met | outcome |\n|---|---|---|---|\n"
        for c in s.clocks {
            var outcome = c.state.rawValue
            if let late = c.lateCount, late > 0 { outcome += c.name == "status_update" ? ", \(late) earlier cycle(s) late" : ", \(late) earlier post(s) answered late" }
            md += "| \(c.name) | \(ISO8601.format(c.due)) | \(c.metAt.map(ISO8601.format) ?? "–") | \(outcome) |\n"
        }
        let kept = s.commitments.filter { c in c.doneAt.map { $0 <= LocalTime.moment(c.due, hour: 17, in: s.account.timeZone) } ?? false }.count
        md += "\n## Commitments: \(kept) of \(s.commitments.count) kept on time\n\n"
        for c in s.commitments {
            let due = LocalTime.moment(c.due, hour: 17, in: s.account.timeZone)
            let status = c.doneAt.map { $0 <= due ? "kept (\(ISO8601.format($0)))" : "late (\(ISO8601.format($0)))" } ?? (due <= s.asOf ? "missed" : "open")
            md += "\(c.n). \(c.text): \(c.owner), due \(c.due): \(status)\n"
        }
        md += "\n## Concessions: $\(Money.grouped(s.concessionsTotal))\n\n"
        md += s.concessions.isEmpty ? "None: the margin was kept.\n" : s.concessions.map {
            "- \($0.kind.rawValue) $\(Money.grouped($0.amountUSD)) by \($0.user) at \(ISO8601.format($0.at))\($0.override.map { ", override: \($0)" } ?? "")\n"
        }.joined()
        md += "\n## Risks\n\n" + (s.risks.isEmpty ? "None flagged.\n" : s.risks.map { "- **\($0.code.rawValue):** \($0.evidence)\n" }.joined())
        if !s.deviations.isEmpty { md += "\n## Deviations from the playbook\n\n" + s.deviations.map { "- \($0)\n" }.joined() }
        let evidence = s.events.filter { $0.kind == .evidence }
        md += "\n## Evidence locker: \(evidence.count) item\(evidence.count == 1 ? "" : "s")\n\n"
        md += evidence.isEmpty ? "Nothing was filed.\n" : "| filed (UTC) | file | SHA-256 | bytes | by | note |\n|---|---|---|---|---|---|\n" + evidence.map { e in
            "| \(ISO8601.format(e.at)) | \(cell(e["file"] ?? "")) | `\(e["sha256"] ?? "not stored")` | \(e["size"] ?? "–") | \(cell(e.user)) | \(cell(e["note"] ?? "")) |\n"
        }.joined()
        return md
    }

    static func cell(_ s: String) -> String { s.replacing("|", with: "\\|").replacing("\n", with: " ") }

}
