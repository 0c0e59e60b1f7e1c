/// One notification to one recipient, as kept in the outbox until it is delivered (or parked).
public struct OutboxMessage: Equatable, Sendable {
    public enum Channel: String, Sendable { case email, webhook }
    public enum State: String, CaseIterable, Sendable { case pending, sending, sent, dead }

    public var id: Int = 0
    /// The occurrence key: sent exactly once.
    public var key: String
    public var type: NoticeType
    public var escalation: Int?
    public var channel: Channel
    /// An e-mail address, or a webhook's name.
    public var recipient: String
    public var accountID: String?
    public var accountName: String?
    public var clock: String?
    public var due: Timestamp?
    /// The one-line text (chat messages, subjects).
    public var text: String
    /// The body in Markdown (mail: plain text as is, HTML through cmark).
    public var markdown: String
    /// When the plan meant it to go out.
    public var intendedAt: Timestamp
    public var createdAt: Timestamp
    public var state: State = .pending
    public var attempts = 0
    public var nextAttemptAt: Timestamp
    public var sentAt: Timestamp?
    public var lastError: String?

    public init(key: String, type: NoticeType, escalation: Int?, channel: Channel, recipient: String, accountID: String?,
                accountName: String?, clock: String?, due: Timestamp?, text: String, markdown: String, intendedAt: Timestamp,
                createdAt: Timestamp) {
        self.key = key; self.type = type; self.escalation = escalation; self.channel = channel; self.recipient = recipient
        self.accountID = accountID; self.accountName = accountName; self.clock = clock; self.due = due; self.text = text
        self.markdown = markdown; self.intendedAt = intendedAt; self.createdAt = createdAt; self.nextAttemptAt = createdAt
    }

    /// After a failed attempt: when to try again (5 s, doubling, at most 10 min apart), or nil
    /// when the attempts are used up and the message is parked as dead.
    public static func retryMoment(afterAttempt attempts: Int, at now: Timestamp, maxAttempts: Int) -> Timestamp? {
        guard attempts < maxAttempts else { return nil }
        let seconds = min(Int64(600), Int64(5) << Int64(min(max(attempts - 1, 0), 20)))
        return now + .seconds(seconds)
    }
}
