import Foundation

/// A problem in the configuration file, naming the line.
public struct ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var description: String { "line \(line): \(message)" }
}

extension Configuration {
    /// Parses `name = value` lines; `#` starts a comment. Unknown names and bad values are errors.
    public static func parse(_ text: String) throws(ConfigurationError) -> Configuration {
        var config = Configuration()
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            guard let eq = trimmed.firstIndex(of: "=") else {
                throw ConfigurationError(line: lineNumber, message: "expected `name = value`, got \"\(trimmed)\"")
            }
            let name = trimmed[..<eq].trimmingCharacters(in: .whitespaces)
            let value = trimmed[trimmed.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            do {
                try config.set(name, value)
            } catch let message {
                throw ConfigurationError(line: lineNumber, message: message.text)
            }
        }
        return config
    }

    private struct Message: Error { var text: String }

    private mutating func set(_ name: String, _ value: String) throws(Message) {
        func number(min: Double = 0) throws(Message) -> Double {
            guard let v = Double(value), v.isFinite, v >= min else {
                throw Message(text: "\(name): expected a number >= \(Int(min)), got \"\(value)\"")
            }
            return v
        }
        func whole(min: Int = 0) throws(Message) -> Int {
            guard let v = Int(value), v >= min else {
                throw Message(text: "\(name): expected a whole number >= \(min), got \"\(value)\"")
            }
            return v
        }
        func span() throws(Message) -> TimeSpan {
            guard let v = TimeSpan.parse(value) else {
                throw Message(text: "\(name): expected a duration such as 15m, 30s, 2h, got \"\(value)\"")
            }
            return v
        }
        func time() throws(Message) -> TimeOfDay {
            guard let v = TimeOfDay.parse(value) else { throw Message(text: "\(name): expected HH:MM, got \"\(value)\"") }
            return v
        }
        func flag() throws(Message) -> Bool {
            switch value.lowercased() {
            case "true", "yes", "on", "1": return true
            case "false", "no", "off", "0": return false
            default: throw Message(text: "\(name): expected true or false, got \"\(value)\"")
            }
        }
        func text() throws(Message) -> String {
            guard !value.isEmpty else { throw Message(text: "\(name): empty value") }
            return value
        }

        switch name {
        case "detractor_below": health.detractorBelow = try number()
        case "open_tickets_max": health.openTicketsMax = try whole()
        case "response_delay_days": health.responseDelayDays = try number()
        case "sponsor_change_days": health.sponsorChangeDays = try number()
        case "unheard_days": health.unheardDays = try number()
        case "flagship_arr_usd": playbook.flagshipARRUSD = try number()
        case "flagship_top_n": playbook.flagshipTopN = try whole()
        case "press_reach": playbook.pressReach = try whole()
        case "warn_acknowledge": notifications.warnAcknowledge = try span()
        case "warn_triage_call": notifications.warnTriageCall = try span()
        case "warn_recap": notifications.warnRecap = try span()
        case "warn_public_response": notifications.warnPublicResponse = try span()
        case "warn_status_update": notifications.warnStatusUpdate = try span()
        case "warn_commitment_at": notifications.warnCommitmentAt = try time()
        case "daily_report_at": notifications.dailyReportAt = try time()
        case "team_timezone":
            guard TimeZone(identifier: value) != nil else { throw Message(text: "\(name): unknown IANA time zone \"\(value)\"") }
            notifications.teamTimeZone = value
        case "max_attempts": notifications.maxAttempts = try whole(min: 1)
        case "outbox_lease": notifications.outboxLease = try span()
        case "smtp_url":
            guard value.hasPrefix("smtp://") || value.hasPrefix("smtps://") else {
                throw Message(text: "\(name): expected smtp://HOST:PORT or smtps://HOST:PORT, got \"\(value)\"")
            }
            notifications.smtpURL = value
        case "smtp_starttls": notifications.smtpStartTLS = try flag()
        case "base_url":
            guard value.hasPrefix("http://") || value.hasPrefix("https://") else {
                throw Message(text: "\(name): expected an http:// or https:// URL, got \"\(value)\"")
            }
            sharing.baseURL = String(value.reversed().drop { $0 == "/" }.reversed())
        case "vendor_name": sharing.vendorName = try text()
        case "share_secret":
            guard value.utf8.count >= 16 else { throw Message(text: "\(name): use at least 16 characters") }
            sharing.shareSecret = value
        case "evidence_dir": sharing.evidenceDir = try text()
        case "evidence_max_mb": sharing.evidenceMaxBytes = Int(try number(min: 0.001) * 1_048_576)
        case "smtp_from": notifications.smtpFrom = try text()
        case "smtp_user": notifications.smtpUser = try text()
        case "smtp_password": notifications.smtpPassword = try text()
        case let route where route.hasPrefix("route."):
            guard let type = NoticeType(rawValue: String(route.dropFirst(6))) else {
                throw Message(text: "\(name): no such notification (route.clock.warning, route.clock.breached, route.ceo.loop, route.report.daily)")
            }
            var list: [Audience] = []
            for part in value.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
                guard let a = Audience.parse(part) else {
                    throw Message(text: "\(name): \"\(part)\" is not csm, managers, execs, csms, viewers, team, user:NAME, webhook:NAME or an e-mail address")
                }
                list.append(a)
            }
            notifications.routes[type] = list
        default:
            try setWebhook(name, value)
        }
    }

    private mutating func setWebhook(_ name: String, _ value: String) throws(Message) {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "webhook", !parts[1].isEmpty else {
            throw Message(text: "unknown setting \"\(name)\"")
        }
        let channel = String(parts[1])
        var hook = notifications.webhooks.first { $0.name == channel } ?? Webhook(name: channel)
        switch parts[2] {
        case "url":
            guard value.hasPrefix("http://") || value.hasPrefix("https://") else {
                throw Message(text: "\(name): expected an http:// or https:// URL, got \"\(value)\"")
            }
            hook.url = value
        case "kind":
            guard let kind = Webhook.Kind(rawValue: value) else { throw Message(text: "\(name): expected slack or signed, got \"\(value)\"") }
            hook.kind = kind
        case "secret":
            guard !value.isEmpty else { throw Message(text: "\(name): empty value") }
            hook.secret = value
        default:
            throw Message(text: "unknown setting \"\(name)\"")
        }
        if let i = notifications.webhooks.firstIndex(where: { $0.name == channel }) {
            notifications.webhooks[i] = hook
        } else {
            notifications.webhooks.append(hook)
        }
    }
}

extension TimeSpan {
    /// `90s`, `15m`, `2h`, `1d`.
    public static func parse(_ s: String) -> TimeSpan? {
        guard let unit = s.last, let n = Int64(s.dropLast()), n >= 0 else { return nil }
        switch unit {
        case "s": return .seconds(n)
        case "m": return .minutes(n)
        case "h": return .hours(n)
        case "d": return .days(n)
        default: return nil
        }
    }
}
