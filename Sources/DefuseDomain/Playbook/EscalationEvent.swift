/// One entry of an escalation's append-only log.
public struct EscalationEvent: Hashable, Sendable {
    public var kind: EventKind
    /// When it happened (may be in the past).
    public var at: Timestamp
    /// When it was logged, and by whom.
    public var loggedAt: Timestamp
    public var user: String
    /// Logging order within the escalation, from 1: breaks ties between equal `at`.
    public var sequence: Int
    /// The event's fields, normalised by `EventSchema`, by their names without dashes.
    public var fields: [String: String]

    public init(kind: EventKind, at: Timestamp, loggedAt: Timestamp, user: String, sequence: Int, fields: [String: String] = [:]) {
        self.kind = kind; self.at = at; self.loggedAt = loggedAt; self.user = user; self.sequence = sequence; self.fields = fields
    }

    public subscript(_ name: String) -> String? { fields[name] }
    public var text: String? { fields["text"] }
    public func int(_ name: String) -> Int? { fields[name].flatMap { Int($0) } }
    public func flag(_ name: String) -> Bool { fields[name] == "true" }

    /// Events apply in `at` order; ties in logging order.
    public static func applyOrder(_ a: EscalationEvent, _ b: EscalationEvent) -> Bool {
        a.at != b.at ? a.at < b.at : a.sequence < b.sequence
    }
}

/// An escalation: an account, and the log that began with the threat.
public struct Escalation: Sendable {
    public var number: Int
    public var accountID: String
    /// Every event in logging order; `ordered` gives the order they apply in.
    public var log: [EscalationEvent]

    public init(number: Int, accountID: String, log: [EscalationEvent]) {
        self.number = number; self.accountID = accountID; self.log = log
    }

    /// `E-7`
    public var id: String { "E-\(number)" }
    public static func number(fromID id: String) -> Int? {
        let s = id.uppercased().hasPrefix("E-") ? id.dropFirst(2) : Substring(id)
        return Int(s).flatMap { $0 >= 1 ? $0 : nil }
    }

    public var ordered: [EscalationEvent] { log.sorted(by: EscalationEvent.applyOrder) }
    public var threat: EscalationEvent? { log.first { $0.kind == .threat } }
    public var openedAt: Timestamp { threat?.at ?? Timestamp(micros: 0) }
}
