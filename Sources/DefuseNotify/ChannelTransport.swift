import DefuseCrypto
import DefuseDelivery
import DefuseDomain
import DefuseRender
import Foundation

/// Delivers over the channels of the configuration: SMTP mail and webhooks.
public struct ChannelTransport: Transport {
    let settings: NotificationSettings

    public init(settings: NotificationSettings) { self.settings = settings }

    public func deliver(_ m: OutboxMessage, at now: Timestamp) throws {
        switch m.channel {
        case .email:
            guard let url = settings.smtpURL else { throw DeliveryError("no smtp_url in the configuration") }
            let server = SMTPServer(url: url, startTLS: settings.smtpStartTLS, user: settings.smtpUser, password: settings.smtpPassword)
            try Mailer.send(Self.mail(m, from: settings.smtpFrom, at: now), via: server)
        case .webhook:
            guard let hook = settings.webhooks.first(where: { $0.name == m.recipient }), let url = hook.url else {
                throw DeliveryError("no webhook.\(m.recipient).url in the configuration")
            }
            let request = Self.webhookRequest(m, hook: hook, at: now)
            try WebhookPost.send(url: url, body: request.body, headers: request.headers)
        }
    }

    static func mail(_ m: OutboxMessage, from: String, at now: Timestamp) -> Mail {
        let html = """
            <!doctype html><html><head><meta charset="utf-8"></head>
            <body style="font-family: system-ui, sans-serif; line-height: 1.45; max-width: 40em">
            \(Markdown.html(m.markdown))</body></html>
            """
        return Mail(from: from, to: m.recipient, subject: "[Defuse] " + m.text, text: m.markdown, html: html,
                    headers: [("X-Defuse-Key", m.key), ("X-Defuse-Type", m.type.rawValue)],
                    date: Date(timeIntervalSince1970: Double(now.unixSeconds)))
    }

    /// The body and headers of a webhook POST: Slack's `{"text"}`, or the signed JSON of
    /// `notifications.md` with `Defuse-Signature: t=UNIX,v1=HMAC-SHA256("{t}.{body}")`.
    public static func webhookRequest(_ m: OutboxMessage, hook: Webhook, at now: Timestamp) -> (body: [UInt8], headers: [String]) {
        var w = JSONWriter(inlineDepth: 0)
        w.beginObject()
        guard hook.kind == .signed else {
            w.field("text", m.text)
            w.endObject()
            return (w.bytes, [])
        }
        w.field("type", m.type.rawValue)
        w.field("key", m.key)
        w.field("escalation_id", m.escalation.map { "E-\($0)" })
        w.field("account_id", m.accountID)
        w.field("account_name", m.accountName)
        w.field("clock", m.clock)
        w.field("due", m.due.map(ISO8601.format))
        w.field("sent_at", ISO8601.format(now))
        w.field("text", m.text)
        if m.type == .ceoLoop || m.type == .reportDaily { w.field("markdown", m.markdown) }
        w.endObject()
        let body = w.bytes
        let t = now.unixSeconds
        let signature = Crypto.hmacSHA256Hex(key: Array((hook.secret ?? "").utf8), message: Array("\(t).".utf8) + body)
        return (body, ["Defuse-Signature: t=\(t),v1=\(signature)"])
    }
}
