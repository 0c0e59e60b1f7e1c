/// What the customer sees on the share page (`playbook.md`, "What the customer sees"): what we
/// heard, the commitments, the updates sent and when the next is due. Built from the fold by
/// copying only these fields, so nothing internal (risks, CEO loop, concessions, markers,
/// evidence, internal notes, other escalations) can reach the page.
public struct CustomerView: Equatable, Sendable {
    public struct Heard: Equatable, Sendable {
        public var at: Timestamp
        /// (label, text): "What broke", "What you expected", "What you need now", "Who else is waiting", "Note".
        public var lines: [Line]
    }
    public struct Line: Equatable, Sendable {
        public var label: String
        public var text: String
    }
    public struct Commitment: Equatable, Sendable {
        public var n: Int
        public var text: String
        public var due: CalendarDate
        public var done: Bool
    }
    public struct Update: Equatable, Sendable {
        public var at: Timestamp
        public var text: String?
    }

    public var vendor: String
    public var customer: String
    public var timeZone: String
    public var openedAt: Timestamp
    /// `open`, `resolved` or `closed`: in words the customer uses.
    public var stage: String
    public var heard: [Heard]
    public var commitments: [Commitment]
    public var updates: [Update]
    public var nextUpdateDue: Timestamp?
    public var asOf: Timestamp

    public init(_ s: EscalationStatus, vendor: String) {
        self.vendor = vendor
        customer = s.account.name
        timeZone = s.account.timeZone
        openedAt = s.escalation.openedAt
        stage = s.state == .closed ? "closed" : s.state == .resolved ? "resolved" : "open"
        heard = s.events.compactMap { e -> Heard? in
            guard e.kind == .note, e["phase"] == NotePhase.listen.rawValue || e["phase"] == NotePhase.clarify.rawValue else { return nil }
            let slots = [("what_broke", "What broke"), ("expected", "What you expected"), ("need_now", "What you need now"),
                         ("pressure", "Who else is waiting on this"), ("text", "Note")]
            let lines = slots.compactMap { key, label in e[key].flatMap { $0.isEmpty ? nil : Line(label: label, text: $0) } }
            return lines.isEmpty ? nil : Heard(at: e.at, lines: lines)
        }
        commitments = s.commitments.map { Commitment(n: $0.n, text: $0.text, due: $0.due, done: $0.doneAt != nil) }
        updates = s.events.filter { $0.kind == .updateSent }.map { Update(at: $0.at, text: $0["text"]) }
        nextUpdateDue = s.clocks.first { $0.name == "status_update" && $0.state == .pending }?.due
        asOf = s.asOf
    }
}
