import DefuseDomain
import Testing

/// Builds an escalation's log the way the store would: sequences in logging order.
struct LogBuilder {
    var events: [EscalationEvent] = []
    init(threatAt: String, channel: String = "twitter", text: String = "We will post about this", reach: Int? = nil, press: Bool = false) {
        var f = ["channel": channel, "text": text]
        if let reach { f["reach"] = String(reach) }
        if press { f["press"] = "true" }
        events.append(EscalationEvent(kind: .threat, at: t(threatAt), loggedAt: t(threatAt), user: "kim", sequence: 1, fields: f))
    }

    @discardableResult
    mutating func add(_ kind: EventKind, _ at: String, _ fields: [String: String] = [:], user: String = "kim") -> EscalationEvent {
        let e = EscalationEvent(kind: kind, at: t(at), loggedAt: t(at), user: user, sequence: events.count + 1, fields: fields)
        events.append(e)
        return e
    }

    var escalation: Escalation { Escalation(number: 1, accountID: "A-1", log: events) }
}

func ctx(arr: Double = 50_000, rank: Int = 500, tz: String = "UTC", renewal: String? = nil, events: [AccountEvent] = [],
         threats: [String] = [], thresholds: PlaybookThresholds = PlaybookThresholds()) -> PlaybookContext {
    var a = account("A-1", arr: arr, tz: tz)
    a.renewalDate = renewal.map { t($0) }
    return PlaybookContext(account: a, arrRank: rank, accountEvents: events, threatMoments: threats.map { t($0) }, thresholds: thresholds)
}

func status(_ b: LogBuilder, _ c: PlaybookContext = ctx(), asOf: String) -> EscalationStatus {
    EscalationStatus.fold(b.escalation, c, asOf: t(asOf))
}

/// The refusal a new event would get, or nil when it is admitted.
func refusal(_ b: LogBuilder, _ kind: EventKind, _ at: String, _ fields: [String: String] = [:], user: String = "kim",
             roles: [String: Role] = ["kim": .csm, "lee": .manager], in c: PlaybookContext = ctx()) -> String? {
    let e = EscalationEvent(kind: kind, at: t(at), loggedAt: t(at), user: user, sequence: b.events.count + 1, fields: fields)
    return PlaybookRules.admit(e, into: b.events, roles: roles, c)?.message
}

func clock(_ s: EscalationStatus, _ name: String) -> Clock? { s.clocks.first { $0.name == name } }

/// The three commitments and the call, the usual start of every escalation in these tests.
func throughRecap(threatAt: String = "2026-03-05T14:02:00Z", callStart: String = "2026-03-05T14:10:00Z",
                  callEnd: String = "2026-03-05T14:50:00Z", recap: String = "2026-03-05T16:00:00Z",
                  dues: [String] = ["2026-03-09", "2026-03-10", "2026-03-11"]) -> LogBuilder {
    var b = LogBuilder(threatAt: threatAt)
    b.add(.callStart, callStart)
    for (i, d) in dues.enumerated() { b.add(.commitment, callStart, ["text": "Fix \(i + 1)", "owner": "kim@example.com", "due": d]) }
    b.add(.callEnd, callEnd)
    b.add(.recapSent, recap)
    return b
}
