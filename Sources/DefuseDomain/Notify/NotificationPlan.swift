/// What `notifications.md` says to send about an escalation, derived from the same fold as its
/// clocks: pure, so the scheduler only has to decide what is due now.
public enum NotificationPlan {
    /// Every notice the escalation calls for as folded at `status.asOf`: those already due
    /// and those to come while nothing new is logged. A closed escalation calls for none.
    public static func notices(_ status: EscalationStatus, settings: NotificationSettings) -> [Notice] {
        guard status.state != .closed else { return [] }
        let number = status.escalation.number
        var out: [Notice] = []
        for clock in status.clocks {
            let subject = keySubject(clock)
            switch clock.state {
            case .met: continue
            case .pending:
                let warnAt = warningMoment(clock, zone: status.account.timeZone, settings)
                if warnAt < clock.due {
                    out.append(Notice(type: .clockWarning, escalation: number, subject: subject, clock: clock.name, due: clock.due,
                                      sendAt: max(warnAt, clock.startedAt), expiresAt: clock.due,
                                      audiences: settings.audiences(.clockWarning)))
                }
                out.append(breach(number, subject, clock, settings))
            case .breached, .metLate:
                // A breach happened, even if it was made good later: it is told once.
                out.append(breach(number, subject, clock, settings))
            }
        }
        if let entered = ceoLoopEntered(status) {
            out.append(Notice(type: .ceoLoop, escalation: number, subject: "ceo_loop", clock: nil, due: nil, sendAt: entered,
                              audiences: settings.audiences(.ceoLoop)))
        }
        return out
    }

    /// The daily report's notice for the team's local date of `now`, once its time has come.
    public static func dailyReport(now: Timestamp, settings: NotificationSettings) -> Notice? {
        let zone = settings.teamTimeZone
        let today = LocalTime.date(of: now, in: zone)
        let at = LocalTime.moment(today, hour: settings.dailyReportAt.hour, minute: settings.dailyReportAt.minute, in: zone)
        guard at <= now else { return nil }
        return Notice(type: .reportDaily, escalation: nil, subject: today.description, clock: nil, due: nil, sendAt: at,
                      audiences: settings.audiences(.reportDaily))
    }

    /// The next moment the daily report is due after `now`.
    public static func nextDailyReport(after now: Timestamp, settings: NotificationSettings) -> Timestamp {
        let zone = settings.teamTimeZone
        let today = LocalTime.date(of: now, in: zone)
        let t = settings.dailyReportAt
        let todays = LocalTime.moment(today, hour: t.hour, minute: t.minute, in: zone)
        return todays > now ? todays : LocalTime.moment(today.adding(days: 1), hour: t.hour, minute: t.minute, in: zone)
    }

    static func breach(_ number: Int, _ subject: String, _ clock: Clock, _ settings: NotificationSettings) -> Notice {
        Notice(type: .clockBreached, escalation: number, subject: subject, clock: clock.name, due: clock.due, sendAt: clock.due,
               audiences: settings.audiences(.clockBreached))
    }

    /// The key's name for a clock: the update cycle, and the post number from the second post on.
    static func keySubject(_ clock: Clock) -> String {
        switch clock.name {
        case "status_update": return "status_update:\(clock.cycle ?? 1)"
        case "public_response": return (clock.cycle ?? 1) > 1 ? "public_response:\(clock.cycle ?? 1)" : "public_response"
        default: return clock.name
        }
    }

    /// The lead time before the due, or 09:00 local on a commitment's due date.
    static func warningMoment(_ clock: Clock, zone: String, _ settings: NotificationSettings) -> Timestamp {
        switch clock.name {
        case "acknowledge": return clock.due - settings.warnAcknowledge
        case "triage_call": return clock.due - settings.warnTriageCall
        case "recap": return clock.due - settings.warnRecap
        case "public_response": return clock.due - settings.warnPublicResponse
        case "status_update": return clock.due - settings.warnStatusUpdate
        default:
            let date = LocalTime.date(of: clock.due, in: zone)
            return LocalTime.moment(date, hour: settings.warnCommitmentAt.hour, minute: settings.warnCommitmentAt.minute, in: zone)
        }
    }

    /// The moment the escalation first stood in `ceo_loop`, replaying its log; nil if it never did.
    static func ceoLoopEntered(_ status: EscalationStatus) -> Timestamp? {
        guard status.progress.recapSent != nil, !status.ceoReasons.isEmpty else { return nil }
        var p = Progress()
        for e in status.events {
            p.apply(e)
            if p.state(status.context) == .ceoLoop { return e.at }
        }
        return nil
    }
}
