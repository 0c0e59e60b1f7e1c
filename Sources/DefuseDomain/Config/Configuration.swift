import Foundation

/// Everything `defuse.conf` can set. Each section's defaults are the specs' values.
public struct Configuration: Equatable, Sendable {
    public var health = HealthThresholds()
    public var playbook = PlaybookThresholds()
    public var notifications = NotificationSettings()
    public var sharing = SharingSettings()

    public init() {}
}

/// The customer's share page and the evidence locker.
public struct SharingSettings: Equatable, Sendable {
    /// Where the team reaches `defuse serve`; share links and mails are built on it.
    public var baseURL = "http://127.0.0.1:8080"
    /// The vendor's name on the customer's page.
    public var vendorName = "Your account team"
    /// The key share links are derived from; without one, a key file beside the database.
    public var shareSecret: String?
    /// Where evidence files are kept; without one, `evidence/` beside the database.
    public var evidenceDir: String?
    public var evidenceMaxBytes = 20 << 20
    public init() {}
}

/// The CEO-loop thresholds of `playbook.md`.
public struct PlaybookThresholds: Equatable, Sendable {
    public var flagshipARRUSD: Double = 100_000
    public var flagshipTopN: Int = 20
    public var pressReach: Int = 10_000
    public init() {}
}

/// Reminder lead times, schedules and channels of `notifications.md`.
public struct NotificationSettings: Equatable, Sendable {
    public var warnAcknowledge = TimeSpan.minutes(15)
    public var warnTriageCall = TimeSpan.minutes(5)
    public var warnRecap = TimeSpan.minutes(30)
    public var warnPublicResponse = TimeSpan.minutes(30)
    public var warnStatusUpdate = TimeSpan.minutes(60)
    public var warnCommitmentAt = TimeOfDay(hour: 9, minute: 0)
    public var dailyReportAt = TimeOfDay(hour: 8, minute: 0)
    public var teamTimeZone = "UTC"
    public var maxAttempts = 8
    /// How long a worker holds a message it is sending before another may take it over.
    public var outboxLease = TimeSpan.seconds(60)
    public var smtpURL: String?
    public var smtpStartTLS = false
    public var smtpFrom = "defuse@localhost"
    public var smtpUser: String?
    public var smtpPassword: String?
    /// Team channels by name, in the order the file names them.
    public var webhooks: [Webhook] = []
    /// Who gets each type (`route.TYPE = csm, managers, team, user:NAME, webhook:NAME, ADDRESS`);
    /// the defaults are the table of `notifications.md`.
    public var routes: [NoticeType: [Audience]] = [
        .clockWarning: [.csm, .team],
        .clockBreached: [.csm, .role(.manager), .team],
        .ceoLoop: [.role(.exec), .role(.manager), .team],
        .reportDaily: [.role(.manager), .team],
    ]
    public init() {}

    public func audiences(_ type: NoticeType) -> [Audience] { routes[type] ?? [] }
}

public struct Webhook: Equatable, Sendable {
    public enum Kind: String, Sendable { case slack, signed }
    public var name: String
    public var url: String?
    public var kind: Kind = .slack
    public var secret: String?

    public init(name: String, url: String? = nil, kind: Kind = .slack, secret: String? = nil) {
        self.name = name; self.url = url; self.kind = kind; self.secret = secret
    }
}

/// A wall-clock time `HH:MM`.
public struct TimeOfDay: Equatable, Sendable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int
    public init(hour: Int, minute: Int) { self.hour = hour; self.minute = minute }
    public var description: String { "\(pad(hour, 2)):\(pad(minute, 2))" }

    public static func parse(_ s: String) -> TimeOfDay? {
        let p = s.split(separator: ":", omittingEmptySubsequences: false)
        guard p.count == 2, p[0].count == 2, p[1].count == 2, let h = Int(p[0]), let m = Int(p[1]),
              (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        return TimeOfDay(hour: h, minute: m)
    }
}
