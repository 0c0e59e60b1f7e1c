/// The four kinds of notification in `notifications.md`, by their `type`.
public enum NoticeType: String, CaseIterable, Sendable {
    case clockWarning = "clock.warning"
    case clockBreached = "clock.breached"
    case ceoLoop = "ceo.loop"
    case reportDaily = "report.daily"
}

/// Who a notice is for, before addresses are known.
public enum Audience: Hashable, Sendable {
    /// The e-mail in the account's `csm` column.
    case csm
    /// Every user with the role.
    case role(Role)
    /// Every configured webhook.
    case team
    /// One user, at their e-mail.
    case user(String)
    /// One configured webhook, by name.
    case webhook(String)
    /// One e-mail address.
    case address(String)

    /// `csm`, `managers`, `execs`, `csms`, `viewers`, `team`, `user:NAME`, `webhook:NAME`, or an address.
    public static func parse(_ s: String) -> Audience? {
        switch s {
        case "csm": return .csm
        case "managers": return .role(.manager)
        case "execs": return .role(.exec)
        case "csms": return .role(.csm)
        case "viewers": return .role(.viewer)
        case "team": return .team
        default:
            if s.hasPrefix("user:"), s.count > 5 { return .user(String(s.dropFirst(5))) }
            if s.hasPrefix("webhook:"), s.count > 8 { return .webhook(String(s.dropFirst(8))) }
            if s.contains("@"), !s.contains(" ") { return .address(s) }
            return nil
        }
    }
}

/// One notification the plan says goes out at `sendAt`, for everyone in its audiences.
/// Its occurrence key, with a recipient appended, is sent exactly once.
public struct Notice: Hashable, Sendable {
    public var type: NoticeType
    /// The escalation's number; nil for the daily report.
    public var escalation: Int?
    /// The clock as the key names it: `triage_call`, `commitment:2`, `status_update:3`,
    /// `public_response:2` (from the second post), `ceo_loop`, or the report's local date.
    public var subject: String
    /// The clock as `esc show` names it (`commitment:2`, `status_update`); nil when not a clock.
    public var clock: String?
    public var due: Timestamp?
    /// The moment it is meant to go out.
    public var sendAt: Timestamp
    /// A warning is worth sending only until its clock comes due.
    public var expiresAt: Timestamp?
    public var audiences: [Audience]

    public init(type: NoticeType, escalation: Int?, subject: String, clock: String?, due: Timestamp?, sendAt: Timestamp,
                expiresAt: Timestamp? = nil, audiences: [Audience]) {
        self.type = type; self.escalation = escalation; self.subject = subject; self.clock = clock
        self.due = due; self.sendAt = sendAt; self.expiresAt = expiresAt; self.audiences = audiences
    }

    /// `E-7/triage_call/clock.warning`, or `report.daily/2026-12-04`.
    public var keyStem: String {
        guard let escalation else { return "\(type.rawValue)/\(subject)" }
        return "E-\(escalation)/\(subject)/\(type.rawValue)"
    }

    /// The occurrence key for one recipient (an e-mail address or a webhook's name).
    public func key(recipient: String) -> String { keyStem + "/" + recipient }

    /// Due now: its moment has come and, for a warning, its clock has not.
    public func isDue(at now: Timestamp) -> Bool {
        sendAt <= now && (expiresAt.map { now < $0 } ?? true)
    }
}
