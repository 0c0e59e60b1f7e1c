import Foundation

/// One of the playbook's clocks as of a moment.
public struct Clock: Hashable, Sendable {
    public enum State: String, Sendable { case pending, breached, met
        case metLate = "met_late"
    }

    /// `acknowledge`, `triage_call`, `recap`, `status_update`, `public_response`, `commitment:N`
    public var name: String
    public var startedAt: Timestamp
    public var due: Timestamp
    public var metAt: Timestamp?
    public var state: State
    /// For `status_update`: earlier cycles met late. For `public_response`: earlier posts answered late or not at all.
    public var lateCount: Int?
    /// For `status_update`: which cycle this is (1 = the first after the call). For `public_response`: which post.
    public var cycle: Int?

    static func judge(name: String, startedAt: Timestamp, due: Timestamp, metAt: Timestamp?, asOf: Timestamp) -> Clock {
        let state: State
        if let metAt { state = metAt <= due ? .met : .metLate } else { state = due <= asOf ? .breached : .pending }
        return Clock(name: name, startedAt: startedAt, due: due, metAt: metAt, state: state)
    }
}

/// The clocks of `playbook.md`, derived from the events up to the moment.
public enum Clocks {
    /// `events` are the escalation's events up to `asOf`, in apply order (as the fold has them).
    public static func derive(_ events: [EscalationEvent], zone: ZoneRules, asOf: Timestamp) -> [Clock] {
        guard let threat = events.firstMoment({ $0 == .threat }) else { return [] }
        var clocks: [Clock] = []
        clocks.reserveCapacity(8)

        let firstAckOrCall = events.firstMoment { $0 == .ack || $0 == .callStart }
        clocks.append(.judge(name: "acknowledge", startedAt: threat, due: threat + .minutes(60), metAt: firstAckOrCall, asOf: asOf))
        let callStart = events.firstMoment { $0 == .callStart }
        clocks.append(.judge(name: "triage_call", startedAt: threat, due: threat + .minutes(15), metAt: callStart, asOf: asOf))

        if let callEndIndex = events.firstIndex(where: { $0.kind == .callEnd }) {
            let callEnd = events[callEndIndex].at
            let recap = events.firstMoment { $0 == .recapSent }
            clocks.append(.judge(name: "recap", startedAt: callEnd, due: callEnd + .hours(2), metAt: recap, asOf: asOf))
            clocks.append(statusUpdate(events, from: callEndIndex, zone: zone, asOf: asOf))
        }
        if let post = publicResponse(events, asOf: asOf) { clocks.append(post) }

        // Commitments in logging order; each met by the first `commitment_done` naming it after it.
        var commitments: [(at: Timestamp, due: Timestamp, done: Timestamp?)] = []
        for i in events.indices {
            let kind = events[i].kind
            if kind == .commitment {
                let date = events[i]["due"].flatMap(ISO8601.parseDate) ?? CalendarDate(utcOf: events[i].at)
                commitments.append((events[i].at, LocalTime.moment(date, hour: 17, in: zone), nil))
            } else if kind == .commitmentDone, let n = events[i].int("n"), n >= 1, n <= commitments.count, commitments[n - 1].done == nil {
                commitments[n - 1].done = events[i].at
            }
        }
        for (i, c) in commitments.enumerated() {
            clocks.append(.judge(name: "commitment:\(i + 1)", startedAt: c.at, due: c.due, metAt: c.done, asOf: asOf))
        }
        return clocks
    }

    /// 17:00 local on the local date two days after `reference`.
    public static func statusUpdateDue(after reference: Timestamp, zone: String) -> Timestamp {
        statusUpdateDue(after: reference, zone: LocalTime.rules(zone))
    }

    static func statusUpdateDue(after reference: Timestamp, zone: ZoneRules) -> Timestamp {
        LocalTime.moment(LocalTime.date(of: reference, in: zone).adding(days: 2), hour: 17, in: zone)
    }

    /// Cycles from the end of the call: each `update_sent` meets the open cycle and starts the
    /// next. `resolved` ends the open cycle: met at the resolution if it came in time.
    static func statusUpdate(_ events: [EscalationEvent], from callEndIndex: Int, zone: ZoneRules, asOf: Timestamp) -> Clock {
        var reference = events[callEndIndex].at
        var cycle = 1
        var late = 0
        for i in (callEndIndex + 1)..<events.count where events[i].kind == .updateSent || events[i].kind == .resolved {
            let due = statusUpdateDue(after: reference, zone: zone)
            let at = events[i].at
            switch events[i].kind {
            case .updateSent:
                if at > due { late += 1 }
                reference = at
                cycle += 1
            case .resolved:
                let inTime = at <= due
                return Clock(name: "status_update", startedAt: reference, due: due, metAt: inTime ? at : nil,
                             state: inTime ? .met : .breached, lateCount: late, cycle: cycle)
            default: continue
            }
        }
        var c = Clock.judge(name: "status_update", startedAt: reference, due: statusUpdateDue(after: reference, zone: zone), metAt: nil, asOf: asOf)
        c.lateCount = late
        c.cycle = cycle
        return c
    }

    /// The latest post's cycle; earlier posts answered after their due (or never, and past due) count as late.
    static func publicResponse(_ events: [EscalationEvent], asOf: Timestamp) -> Clock? {
        var posts: [(at: Timestamp, answeredAt: Timestamp?)] = []
        for k in events.indices {
            let kind = events[k].kind
            if kind == .publicPost { posts.append((events[k].at, nil)) }
            if kind == .publicResponse {
                for i in posts.indices where posts[i].answeredAt == nil { posts[i].answeredAt = events[k].at }
            }
        }
        guard let latest = posts.last else { return nil }
        let late = posts.dropLast().filter { p in
            let due = p.at + .minutes(60)
            return p.answeredAt.map { $0 > due } ?? (due <= asOf)
        }.count
        var c = Clock.judge(name: "public_response", startedAt: latest.at, due: latest.at + .minutes(60), metAt: latest.answeredAt, asOf: asOf)
        c.lateCount = late
        c.cycle = posts.count
        return c
    }
}

extension Array where Element == EscalationEvent {
    /// When the first event of a matching kind happened (read in place: no event copied).
    func firstMoment(_ match: (EventKind) -> Bool) -> Timestamp? {
        for i in indices where match(self[i].kind) { return self[i].at }
        return nil
    }
}
