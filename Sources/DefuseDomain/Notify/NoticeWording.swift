/// The words of a notification: one line for chat and subjects, a short Markdown body for mail.
public enum NoticeWording {
    /// `Acme, Inc.: triage call due in 5 minutes (14:17 UTC, 09:17 local)`
    public static func line(_ n: Notice, accountName: String, zone: String, now: Timestamp, ceoReasons: [CEOReason] = []) -> String {
        switch n.type {
        case .clockWarning:
            guard let due = n.due, let clock = n.clock else { return accountName }
            return "\(accountName): \(label(clock)) due \(countdown(due - now)) (\(when(due, zone: zone, now: now)))"
        case .clockBreached:
            guard let due = n.due, let clock = n.clock else { return accountName }
            return "\(accountName): \(label(clock)) is late, it was due \(when(due, zone: zone, now: now))"
        case .ceoLoop:
            let why = ceoReasons.map { $0.rawValue.replacingOccurrences(of: "_", with: " ") }.joined(separator: ", ")
            return "\(accountName): E-\(n.escalation ?? 0) goes to the CEO" + (why.isEmpty ? "" : " (\(why))")
        case .reportDaily:
            return "Early-warning report for \(n.subject)"
        }
    }

    /// `triage call`, `commitment 2`, `status update`.
    public static func label(_ clock: String) -> String {
        if clock.hasPrefix("commitment:") { return "commitment " + clock.dropFirst("commitment:".count) }
        switch clock {
        case "acknowledge": return "acknowledgement"
        case "public_response": return "public reply"
        default: return clock.replacingOccurrences(of: "_", with: " ")
        }
    }

    /// `in 5 minutes`, `in 3 hours`, `now`.
    static func countdown(_ left: TimeSpan) -> String {
        let minutes = Int((left.seconds / 60).rounded())
        if minutes <= 0 { return "now" }
        if minutes < 120 { return "in \(minutes) minute\(minutes == 1 ? "" : "s")" }
        let hours = Int((Double(minutes) / 60).rounded())
        if hours < 48 { return "in \(hours) hours" }
        return "in \(Int((Double(hours) / 24).rounded())) days"
    }

    /// `14:17 UTC, 09:17 local`, with the date when it is not today's.
    static func when(_ t: Timestamp, zone: String, now: Timestamp) -> String {
        func clock(_ date: CalendarDate, _ seconds: Int64, today: CalendarDate) -> String {
            let day = seconds.quotientAndRemainder(dividingBy: 86_400).remainder
            let hm = "\(pad(Int(day / 3600), 2)):\(pad(Int(day % 3600 / 60), 2))"
            return date == today ? hm : "\(date) \(hm)"
        }
        let utcDate = CalendarDate(utcOf: t)
        let utc = clock(utcDate, t.unixSeconds - utcDate.daysSinceEpoch * 86_400, today: CalendarDate(utcOf: now))
        let z = LocalTime.zone(zone)
        let localDate = LocalTime.date(of: t, in: z)
        let wall = t.unixSeconds + LocalTime.offset(z, at: t.unixSeconds)
        let local = clock(localDate, wall - localDate.daysSinceEpoch * 86_400, today: LocalTime.date(of: now, in: z))
        return "\(utc) UTC, \(local) local"
    }
}
