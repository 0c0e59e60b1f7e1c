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
    /// The fields as stored (`FieldsText`): read field by field, so that loading thousands of
    /// events builds no dictionaries.
    public private(set) var fieldsText: String

    /// The event's fields, normalised by `EventSchema`, by their names without dashes.
    public var fields: [String: String] {
        get { FieldsText.decode(fieldsText) }
        set { fieldsText = FieldsText.encode(newValue) }
    }

    public init(kind: EventKind, at: Timestamp, loggedAt: Timestamp, user: String, sequence: Int, fields: [String: String] = [:]) {
        self.init(kind: kind, at: at, loggedAt: loggedAt, user: user, sequence: sequence, fieldsText: FieldsText.encode(fields))
    }

    public init(kind: EventKind, at: Timestamp, loggedAt: Timestamp, user: String, sequence: Int, fieldsText: String) {
        self.kind = kind; self.at = at; self.loggedAt = loggedAt; self.user = user; self.sequence = sequence; self.fieldsText = fieldsText
    }

    public subscript(_ name: String) -> String? { FieldsText.value(name, in: fieldsText) }
    /// The stored fields text as bytes, for scans that need no String.
    public func withFieldsBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var text = fieldsText
        return text.withUTF8(body)
    }
    public var text: String? { self["text"] }
    public func int(_ name: String) -> Int? { FieldsText.int(name, in: fieldsText) }
    public func flag(_ name: String) -> Bool { self[name] == "true" }

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

    /// The log in apply order. Usually it was logged in that order and is the answer, uncopied;
    /// otherwise the order is found on (at, sequence) pairs alone, so that the events
    /// themselves are copied once and never compared.
    public var ordered: [EscalationEvent] {
        log.withUnsafeBufferPointer { b -> [EscalationEvent] in
            var inOrder = true
            for i in b.indices.dropFirst() where b[i].at < b[i - 1].at || (b[i].at == b[i - 1].at && b[i].sequence < b[i - 1].sequence) {
                inOrder = false
                break
            }
            if inOrder { return log }
            var keys = b.indices.map { (at: b[$0].at.micros, sequence: b[$0].sequence, index: $0) }
            keys.sort { ($0.at, $0.sequence) < ($1.at, $1.sequence) }
            return keys.map { b[$0.index] }
        }
    }

    /// The events up to a moment, in apply order (the log itself when nothing comes later).
    public func applied(upTo moment: Timestamp) -> [EscalationEvent] {
        let events = ordered
        guard let last = events.last, last.at > moment else { return events }
        return Array(events.prefix { $0.at <= moment })
    }
    /// The logging number the next appended event takes (every store numbers them the same way).
    public var nextSequence: Int { (log.map(\.sequence).max() ?? 0) + 1 }
    public var threat: EscalationEvent? { log.first { $0.kind == .threat } }
    public var openedAt: Timestamp { threat?.at ?? Timestamp(micros: 0) }
}
