import DefuseDomain

/// The outbox as JSON: `{"messages": [...]}`, oldest first.
public enum OutboxJSON {
    public static func render(_ list: [OutboxMessage]) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.key("messages")
        w.beginArray()
        for m in list { element(m, &w) }
        w.endArray()
        w.endObject()
        return w.output
    }

    public static func element(_ m: OutboxMessage, _ w: inout JSONWriter) {
        w.beginObject()
        w.field("id", m.id)
        w.field("key", m.key)
        w.field("type", m.type.rawValue)
        w.field("state", m.state.rawValue)
        w.field("channel", m.channel.rawValue)
        w.field("to", m.recipient)
        w.field("escalation_id", m.escalation.map { "E-\($0)" })
        w.field("clock", m.clock)
        w.field("text", m.text)
        w.field("intended_at", ISO8601.format(m.intendedAt))
        w.field("attempts", m.attempts)
        w.field("next_attempt_at", m.state == .sent ? nil : ISO8601.format(m.nextAttemptAt))
        w.field("sent_at", m.sentAt.map(ISO8601.format))
        w.field("last_error", m.lastError)
        w.endObject()
    }
}
