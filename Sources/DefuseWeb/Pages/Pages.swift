import DefuseDomain
import DefuseStore
import DefuseRender

/// The pages of `api.md`. Every string from data goes through `Node.text`, so it is escaped.
enum Pages {
    static func login(error: String?, name: String = "") -> String {
        Layout.page("Sign in", user: nil, csrf: nil) {
            tag("div", ["class": "card", "style": "max-width:420px;margin:40px auto"]) {
                tag("h1") { "Sign in to Defuse" }
                Layout.errorBox(error)
                tag("form", ["method": "post", "action": "/login", "class": "stack"]) {
                    Layout.field("User", "user", value: name, required: true)
                    Layout.field("Password", "password", type: "password", required: true)
                    tag("button", ["type": "submit"]) { "Sign in" }
                }
            }
        }
    }

    static func board(report: HealthReport, escalations: [EscalationStatus], dead: [OutboxMessage], user: User, csrf: String) -> String {
        let s = report.summary
        let listed = report.listed(includeGreen: false)
        return Layout.page("Board", user: user.name, csrf: csrf) {
            tag("h1") { "Board" }
            if !dead.isEmpty { deadLetters(dead, canRetry: user.role == .manager, csrf: csrf) }
            tag("p", ["class": "mute"]) { "As of \(Layout.short(report.asOf)): \(s.red) red, \(s.yellow) yellow, \(s.green) green; \(s.unheardSignals) accounts with unheard signals." }
            tag("h2") { "Open escalations, the most urgent first" }
            if escalations.isEmpty {
                tag("p", ["class": "mute"]) { "No open escalations." }
            } else {
                tag("table") {
                    tag("thead") { tag("tr") { tag("th") { "Escalation" }; tag("th") { "Account" }; tag("th") { "State" }; tag("th") { "Next clock" }; tag("th") { "Due" } } }
                    tag("tbody") {
                        for e in escalations.prefix(200) {
                            let c = e.mostUrgentClock
                            tag("tr") {
                                tag("td") { tag("a", ["href": "/escalations/\(e.escalation.id)"]) { e.escalation.id } }
                                tag("td") { e.account.name }
                                tag("td") { e.state.rawValue.replacing("_", with: " ") }
                                tag("td", ["class": c?.state.rawValue ?? ""]) { c.map { "\($0.name) \($0.state.rawValue)" } ?? "–" }
                                tag("td") { c.map { Layout.countdown($0.due, state: $0.state.rawValue) } ?? .empty }
                            }
                        }
                    }
                }
            }
            tag("h2") { "Red and yellow accounts (\(listed.count))" }
            tag("table") {
                tag("thead") { tag("tr") { tag("th") { "Level" }; tag("th") { "Account" }; tag("th", ["class": "num"]) { "ARR USD" }; tag("th") { "Why" }; tag("th") { "CSM" } } }
                tag("tbody") {
                    for a in listed.prefix(300) {
                        tag("tr") {
                            tag("td", ["class": a.level.rawValue]) { a.level.rawValue }
                            tag("td") { tag("a", ["href": "/accounts/\(a.account.id)"]) { a.account.name } }
                            tag("td", ["class": "num"]) { Money.grouped(a.account.arrUSD) }
                            tag("td") { for f in a.flags { tag("span", ["class": "pill \(a.level.rawValue)"]) { f.rawValue.replacing("_", with: " ") } } }
                            tag("td") { a.account.csm ?? "" }
                        }
                    }
                }
            }
            if listed.count > 300 { tag("p", ["class": "mute"]) { "\(listed.count - 300) more: see the report." } }
        }
    }

    /// Notifications that could not be delivered: never dropped, shown until sent again.
    static func deadLetters(_ dead: [OutboxMessage], canRetry: Bool, csrf: String) -> Node {
        tag("div", ["class": "error", "role": "alert", "id": "dead-letters"]) {
            tag("p") { tag("strong") { "\(dead.count) notification\(dead.count == 1 ? "" : "s") could not be delivered." }; " Fix the channel (defuse.conf), then send again." }
            tag("table") {
                tag("tbody") {
                    for m in dead {
                        tag("tr") {
                            tag("td") { m.text }
                            tag("td") { m.recipient }
                            tag("td", ["class": "mute"]) { "\(m.attempts) tries: \(m.lastError ?? "")" }
                            tag("td") {
                                if canRetry {
                                    tag("form", ["method": "post", "action": "/outbox/\(m.id)/retry"]) {
                                        Layout.hidden("csrf", csrf)
                                        tag("button", ["type": "submit"]) { "Send again" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func account(_ v: AccountView, user: String, csrf: String) -> String {
        let a = v.history.account, h = v.health
        return Layout.page(a.name, user: user, csrf: csrf) {
            tag("h1") { a.name; " "; tag("span", ["class": h.level.rawValue]) { "(\(h.level.rawValue))" } }
            tag("p", ["class": "mute"]) { "\(a.id) · ARR $\(Money.grouped(a.arrUSD)) · CSM \(a.csm ?? "–") · sponsor \(a.execSponsor ?? "–") · \(a.timeZone)" }
            tag("div", ["class": "grid"]) {
                tag("div", ["class": "card"]) {
                    tag("h2") { "Flags" }
                    if h.flags.isEmpty { tag("p") { "No flag: green." } }
                    tag("ul") { for f in h.flags { tag("li") { f.rawValue.replacing("_", with: " ") } } }
                    tag("p", ["class": "mute"]) { "Open tickets: \(h.openTicketCount); longest wait: \(h.maxResponseDelay.map { String(format: "%.1f days", $0.days) } ?? "none")" + (h.healthCallDue ? "; health call due" : "") }
                }
                tag("div", ["class": "card"]) {
                    tag("h2") { "Survey rounds" }
                    roundsChart(h.evidence.rounds, below: v.thresholds.detractorBelow)
                }
            }
            if !v.openEscalations.isEmpty {
                tag("h2") { "Open escalations" }
                tag("ul") { for e in v.openEscalations { tag("li") { tag("a", ["href": "/escalations/\(e.escalation.id)"]) { e.escalation.id }; " \(e.state.rawValue)" } } }
            }
            tag("h2") { "Tickets" }
            tag("table") {
                tag("thead") { tag("tr") { tag("th") { "Ticket" }; tag("th") { "Status" }; tag("th") { "Opened" }; tag("th") { "Subject" } } }
                tag("tbody") {
                    for t in v.history.tickets.reversed().prefix(50) {
                        tag("tr") { tag("td") { t.ticketID }; tag("td") { t.status.rawValue }; tag("td") { ISO8601.format(t.openedAt) }; tag("td") { t.subject ?? "" } }
                    }
                }
            }
            tag("h2") { "Timeline" }
            tag("table") {
                tag("tbody") {
                    for e in v.timeline.prefix(60) { tag("tr") { tag("td") { ISO8601.format(e.at) }; tag("td") { e.kind }; tag("td") { e.text } } }
                }
            }
        }
    }

    /// One bar per round, its mean on a 0-10 scale; detractor rounds in red, the threshold as a line.
    static func roundsChart(_ rounds: [SurveyRound], below: Double) -> Node {
        guard !rounds.isEmpty else { return tag("p", ["class": "mute"]) { "No survey answers." } }
        let shown = Array(rounds.suffix(12)), w = 28, gap = 8, height = 120
        let width = shown.count * (w + gap) + gap
        var bars = ""
        for (i, r) in shown.enumerated() {
            let x = gap + i * (w + gap), bh = Int(r.mean / 10 * Double(height - 20))
            let colour = r.isDetractor(below: below) ? "#c73b3b" : "#2f7d4a"
            bars += "<rect x=\"\(x)\" y=\"\(height - 20 - bh)\" width=\"\(w)\" height=\"\(bh)\" fill=\"\(colour)\"><title>\(htmlEscape("\(r.kind.rawValue.uppercased()) \(r.label): \(String(format: "%.1f", r.mean))"))</title></rect>"
            bars += "<text x=\"\(x + w / 2)\" y=\"\(height - 6)\" font-size=\"9\" text-anchor=\"middle\">\(htmlEscape(r.kind == .nps ? "N" : "C"))\(r.quarter)</text>"
        }
        let line = height - 20 - Int(below / 10 * Double(height - 20))
        return .raw("<svg viewBox=\"0 0 \(width) \(height)\" width=\"100%\" height=\"\(height)\" role=\"img\" aria-label=\"survey rounds\">\(bars)<line x1=\"0\" x2=\"\(width)\" y1=\"\(line)\" y2=\"\(line)\" stroke=\"#999\" stroke-dasharray=\"4 3\"/></svg>")
    }

    static let flow: [EscalationState] = [.threatened, .triageCall, .ceoLoop, .executing, .resolved, .closed]

    static func escalation(_ s: EscalationStatus, drafts: [(Draft, String)], notifications: [OutboxMessage], shareLink: String?,
                           user: String, csrf: String, error: String?) -> String {
        Layout.page(s.escalation.id, user: user, csrf: csrf) {
            tag("h1") { "\(s.escalation.id): \(s.account.name)" }
            tag("div", ["class": "flow", "aria-label": "where it stands"]) {
                for st in flow { tag("span", attributes: st == s.state ? [("class", "now")] : []) { st.rawValue.replacing("_", with: " ") } }
            }
            Layout.errorBox(error)
            tag("p", ["class": "quote"]) { s.escalation.threat?.text ?? "" }
            tag("p") { tag("strong") { "Next: " }; s.nextAction }
            tag("div", ["class": "grid"]) {
                tag("div", ["class": "card"]) {
                    tag("h2") { "Clocks" }
                    tag("table") {
                        tag("tbody") {
                            for c in s.clocks {
                                tag("tr") {
                                    tag("td") { c.name }
                                    tag("td", ["class": c.state.rawValue]) { c.state.rawValue.replacing("_", with: " ") }
                                    tag("td") {
                                        if let met = c.metAt { "met \(Layout.short(met))" } else { Layout.countdown(c.due, state: c.state.rawValue) }
                                    }
                                }
                            }
                        }
                    }
                }
                tag("div", ["class": "card"]) {
                    tag("h2") { "Commitments" }
                    if s.commitments.isEmpty { tag("p", ["class": "mute"]) { "Three dated commitments come out of the call." } }
                    tag("ol") { for c in s.commitments { tag("li") { "\(c.text) · \(c.owner) · \(c.due.description)" + (c.doneAt != nil ? " · done" : "") } } }
                    tag("h2") { "CEO loop" }
                    tag("p") { s.ceoReasons.isEmpty ? "Not required." : "Required: " + s.ceoReasons.map(\.rawValue).joined(separator: ", ") }
                    tag("h2") { "Risks" }
                    if s.risks.isEmpty { tag("p", ["class": "mute"]) { "None flagged." } }
                    tag("ul") { for r in s.risks { tag("li") { tag("strong") { r.code.rawValue }; ": \(r.evidence); \(r.advice)" } } }
                    if !s.concessions.isEmpty { tag("p") { "Concessions: $\(Money.grouped(s.concessionsTotal))" } }
                }
            }
            if s.progress.callStarted != nil && s.progress.callEnded == nil { callGuide(s, csrf: csrf) }
            tag("div", ["class": "grid"]) {
                shareCard(s.escalation.id, link: shareLink, csrf: csrf)
                evidenceCard(s, csrf: csrf)
            }
            tag("h2") { "Log an event" }
            eventForm(s.escalation.id, csrf: csrf)
            tag("h2") { "Reminders sent" }
            if notifications.isEmpty { tag("p", ["class": "mute"]) { "None yet: warnings go out before each clock comes due, breach notices when one is missed." } }
            else {
                tag("table", ["id": "notifications"]) {
                    tag("thead") { tag("tr") { tag("th") { "When" }; tag("th") { "What" }; tag("th") { "To" }; tag("th") { "State" } } }
                    tag("tbody") {
                        for m in notifications {
                            tag("tr") {
                                tag("td") { Layout.short(m.sentAt ?? m.nextAttemptAt) }
                                tag("td") { m.text }
                                tag("td") { m.recipient }
                                tag("td", ["class": m.state == .dead ? "breached" : m.state == .sent ? "met" : "pending"]) { m.state.rawValue }
                            }
                        }
                    }
                }
            }
            tag("h2") { "Drafts" }
            for (i, (d, html)) in drafts.enumerated() {
                tag("details", attributes: i == 0 ? [("open", "open")] : []) {
                    tag("summary") { d.kind.rawValue }
                    for w in d.warnings { tag("p", ["class": "error"]) { "Caution: \(w.description)" } }
                    tag("div", ["class": "draft"]) { Node.raw(html) }
                    tag("textarea", ["id": "draft-\(d.kind.rawValue)", "readonly": "readonly"]) { d.markdown }
                    tag("button", ["type": "button", "data-copy": "draft-\(d.kind.rawValue)"]) { "Copy" }
                }
            }
        }
    }

    /// The call guide while the call runs: the four phases with their time boxes (a timer each,
    /// kept across reloads), and a note form per phase; listen has the four slots.
    static func callGuide(_ s: EscalationStatus, csrf: String) -> Node {
        let id = s.escalation.id
        let phases: [(NotePhase, Int, String)] = [
            (.opening, 5, "Thank them, say who is here, share the notes page so they watch it being written."),
            (.listen, 10, "Let them talk; do not defend. Fill the four slots."),
            (.clarify, 5, "Mirror their words back and have them confirm."),
            (.commit, 10, "Three dated commitments, each with an owner. Nothing you cannot keep."),
        ]
        return tag("div", ["class": "card", "id": "call-guide"]) {
            tag("h2") { "Call guide" }
            tag("div", ["class": "phases"]) {
                for (phase, minutes, hint) in phases {
                    let written = s.events.filter { $0.kind == .note && $0["phase"] == phase.rawValue }.count
                    tag("div", ["class": "phase", "data-phase": phase.rawValue]) {
                        tag("h3") { phase.rawValue.capitalized; " "; tag("span", ["class": "mute"]) { "\(minutes) min" + (written > 0 ? " · \(written) note\(written == 1 ? "" : "s")" : "") } }
                        tag("p", ["class": "mute"]) { hint }
                        tag("p") {
                            tag("button", ["type": "button", "class": "timer", "data-key": "\(id)-\(phase.rawValue)", "data-minutes": "\(minutes)"]) { "Start \(minutes):00" }
                        }
                        tag("form", ["method": "post", "action": "/escalations/\(id)/events", "class": "stack"]) {
                            Layout.hidden("csrf", csrf)
                            Layout.hidden("event", "note")
                            Layout.hidden("phase", phase.rawValue)
                            if phase == .listen {
                                Layout.field("What broke", "what_broke", id: "guide-what_broke")
                                Layout.field("What they expected", "expected", id: "guide-expected")
                                Layout.field("What they need now", "need_now", id: "guide-need_now")
                                Layout.field("Who pressures them", "pressure", id: "guide-pressure")
                            } else {
                                Layout.field("Note", "text", id: "guide-\(phase.rawValue)-text")
                            }
                            tag("button", ["type": "submit"]) { "Log the \(phase.rawValue) note" }
                        }
                    }
                }
            }
        }
    }

    /// The customer's page: the live link with a copy button, a new link, withdrawing them.
    static func shareCard(_ id: String, link: String?, csrf: String) -> Node {
        tag("div", ["class": "card", "id": "share"]) {
            tag("h2") { "The customer's page" }
            tag("p", ["class": "mute"]) { "Share it during the call: they watch their words and our commitments being written down. Nothing internal shows there." }
            if let link {
                tag("input", ["id": "share-link", "value": link, "readonly": "readonly"])
                tag("p") {
                    tag("button", ["type": "button", "data-copy": "share-link"]) { "Copy" }
                    " "
                    tag("a", ["href": link, "target": "_blank", "rel": "noopener noreferrer"]) { "Open it" }
                }
            }
            tag("form", ["method": "post", "action": "/escalations/\(id)/share", "class": "inline"]) {
                Layout.hidden("csrf", csrf)
                tag("button", ["type": "submit"]) { link == nil ? "Share with the customer" : "New link" }
            }
            if link != nil {
                " "
                tag("form", ["method": "post", "action": "/escalations/\(id)/share/revoke", "class": "inline"]) {
                    Layout.hidden("csrf", csrf)
                    tag("button", ["type": "submit", "class": "danger"]) { "Withdraw every link" }
                }
            }
        }
    }

    /// The evidence locker: thumbnails, hashes, and an upload that sends the file as it is.
    static func evidenceCard(_ s: EscalationStatus, csrf: String) -> Node {
        let id = s.escalation.id
        let items = s.events.filter { $0.kind == .evidence }
        return tag("div", ["class": "card", "id": "evidence"]) {
            tag("h2") { "Evidence (\(items.count))" }
            tag("p", ["class": "mute"]) { "Screenshot every public post. Files are kept unchanged, by their SHA-256." }
            tag("div", ["class": "thumbs"]) {
                for e in items {
                    let sha = e["sha256"] ?? ""
                    let href = "/escalations/\(id)/evidence/\(sha)"
                    tag("figure") {
                        if (e["type"] ?? "").hasPrefix("image/") && !sha.isEmpty {
                            tag("a", ["href": href]) { tag("img", ["src": href + "?inline=1", "alt": e["file"] ?? "evidence", "loading": "lazy"]) }
                        } else {
                            tag("a", ["href": href, "class": "file"]) { "PDF" }
                        }
                        tag("figcaption") {
                            tag("a", ["href": href]) { e["file"] ?? "evidence" }
                            tag("br")
                            tag("code", ["title": sha]) { String(sha.prefix(12)) + "…" }
                            " · \(e.user) · \(Layout.short(e.at))"
                            if let note = e["note"] { tag("br"); note }
                        }
                    }
                }
            }
            if s.state != .closed {
                tag("div", ["class": "stack", "id": "evidence-upload", "data-action": "/escalations/\(id)/evidence", "data-csrf": csrf]) {
                    tag("label", ["for": "evidence-file"]) {
                        tag("span") { "PNG, JPEG, WebP or PDF" }
                        tag("input", ["type": "file", "id": "evidence-file", "accept": "image/png,image/jpeg,image/webp,application/pdf"])
                    }
                    Layout.field("Note", "evidence-note")
                    tag("button", ["type": "button", "id": "evidence-send"]) { "File it" }
                    tag("p", ["class": "mute", "id": "evidence-status", "aria-live": "polite"])
                }
            }
        }
    }

    static func eventForm(_ id: String, csrf: String) -> Node {
        tag("form", ["method": "post", "action": "/escalations/\(id)/events", "class": "stack card", "id": "log-event"]) {
            Layout.hidden("csrf", csrf)
            Layout.select("Event", "event", EventKind.allCases.filter { $0 != .threat }.map(\.rawValue))
            Layout.field("When (UTC, empty for now)", "at", placeholder: "2026-03-05T14:20:00Z")
            Layout.field("Text", "text")
            Layout.select("Note phase", "phase", [""] + NotePhase.allCases.map(\.rawValue))
            Layout.field("What broke (listen)", "what_broke")
            Layout.field("What they expected (listen)", "expected")
            Layout.field("What they need now (listen)", "need_now")
            Layout.field("Who pressures them (listen)", "pressure")
            Layout.field("Owner (commitment)", "owner")
            Layout.field("Due date (commitment)", "due", type: "date")
            Layout.field("Commitment number (done)", "n", type: "number")
            Layout.select("Concession kind", "kind", [""] + ConcessionKind.allCases.map(\.rawValue))
            Layout.field("Amount USD (concession)", "amount")
            Layout.field("Override reason (manager)", "override")
            Layout.select("Marker", "name", [""] + MarkerName.allCases.map(\.rawValue))
            Layout.field("URL (post, response)", "url")
            Layout.field("Reach (post)", "reach", type: "number")
            tag("button", ["type": "submit"]) { "Log it" }
        }
    }

    static func newEscalation(user: String, csrf: String, error: String?, form: [String: String] = [:]) -> String {
        Layout.page("Open an escalation", user: user, csrf: csrf) {
            tag("h1") { "A customer is threatening to go public" }
            Layout.errorBox(error)
            tag("form", ["method": "post", "action": "/escalations/new", "class": "stack card"]) {
                Layout.hidden("csrf", csrf)
                Layout.field("Account id", "account_id", value: form["account_id"] ?? "", required: true)
                Layout.select("Where", "channel", Channel.allCases.map(\.rawValue), selected: form["channel"])
                tag("label", ["for": "text"]) { tag("span") { "Their words" }; tag("textarea", ["name": "text", "id": "text", "required": "required"]) { form["text"] ?? "" } }
                Layout.field("Reach (followers)", "reach", type: "number", value: form["reach"] ?? "")
                tag("label") { tag("input", ["type": "checkbox", "name": "press", "value": "true", "style": "width:auto"]); " A journalist or analyst is involved" }
                tag("button", ["type": "submit"]) { "Open and start the clocks" }
            }
        }
    }

    static func importPage(user: String, csrf: String, result: String?, errors: [String]) -> String {
        Layout.page("Import", user: user, csrf: csrf) {
            tag("h1") { "Import an export" }
            if let result { tag("p", ["class": "card"]) { result } }
            if !errors.isEmpty {
                tag("div", ["class": "error", "role": "alert"]) {
                    tag("p") { "Nothing was imported. Fix these rows, or tick “skip bad rows”:" }
                    tag("ul") { for e in errors.prefix(50) { tag("li") { e } } }
                }
            }
            tag("form", ["method": "post", "action": "/import", "class": "stack card"]) {
                Layout.hidden("csrf", csrf)
                tag("label", ["for": "csv"]) { tag("span") { "Paste one CSV export (accounts, surveys, tickets or events)" }; tag("textarea", ["name": "csv", "id": "csv", "required": "required"]) }
                tag("label") { tag("input", ["type": "checkbox", "name": "skip_bad", "value": "true", "style": "width:auto"]); " Skip bad rows" }
                tag("button", ["type": "submit"]) { "Import" }
            }
        }
    }
}
