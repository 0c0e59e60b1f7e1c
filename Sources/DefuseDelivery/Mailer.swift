import CCurl
import Foundation

/// Where mail goes: `smtp://host:port` (optionally upgraded with STARTTLS) or `smtps://`.
public struct SMTPServer: Sendable {
    public var url: String
    public var startTLS: Bool
    public var user: String?
    public var password: String?
    public init(url: String, startTLS: Bool, user: String?, password: String?) {
        self.url = url; self.startTLS = startTLS; self.user = user; self.password = password
    }
}

/// One e-mail: a plain-text and an HTML part of the same message.
public struct Mail: Sendable {
    public var from: String
    public var to: String
    public var subject: String
    public var text: String
    public var html: String
    /// Extra headers such as `X-Defuse-Key`.
    public var headers: [(name: String, value: String)]
    public var date: Date
    public init(from: String, to: String, subject: String, text: String, html: String, headers: [(name: String, value: String)], date: Date) {
        self.from = from; self.to = to; self.subject = subject; self.text = text; self.html = html; self.headers = headers; self.date = date
    }
}

/// Sends mail over SMTP with libcurl, which speaks the protocol, TLS and the MIME encoding.
public enum Mailer {
    public static func send(_ mail: Mail, via server: SMTPServer, timeoutSeconds: Int = 30) throws(DeliveryError) {
        let curl = try CurlEasy()
        curl.set(CURLOPT_URL, server.url)
        curl.set(CURLOPT_TIMEOUT, timeoutSeconds)
        curl.set(CURLOPT_CONNECTTIMEOUT, min(10, timeoutSeconds))
        if server.startTLS { curl.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
        if let user = server.user { curl.set(CURLOPT_USERNAME, user) }
        if let password = server.password { curl.set(CURLOPT_PASSWORD, password) }
        curl.set(CURLOPT_MAIL_FROM, "<\(headerSafe(mail.from))>")
        curl.set(CURLOPT_MAIL_RCPT, list: ["<\(headerSafe(mail.to))>"])

        var headers = [
            "Date: \(rfc5322(mail.date))",
            "From: Defuse <\(headerSafe(mail.from))>",
            "To: <\(headerSafe(mail.to))>",
            "Subject: \(encodedWords(headerSafe(mail.subject)))",
            "Message-ID: <\(UUID().uuidString.lowercased())@defuse>",
        ]
        headers += mail.headers.map { "\(headerSafe($0.name)): \(headerSafe($0.value))" }
        curl.set(CURLOPT_HTTPHEADER, list: headers)

        // multipart/alternative: plain text first, HTML last (the preferred part).
        guard let mime = curl_mime_init(curl.handle), let alternative = curl_mime_init(curl.handle) else {
            throw DeliveryError("libcurl could not build the message")
        }
        defer { curl_mime_free(mime) }
        for (body, type) in [(mail.text, "text/plain; charset=utf-8"), (mail.html, "text/html; charset=utf-8")] {
            let part = curl_mime_addpart(alternative)
            let bytes = Array(body.utf8)
            _ = bytes.withUnsafeBufferPointer { buf in
                buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(buf.count, 1)) { curl_mime_data(part, $0, buf.count) }
            }
            curl_mime_type(part, type)
            curl_mime_encoder(part, "quoted-printable")
        }
        let holder = curl_mime_addpart(mime)
        curl_mime_subparts(holder, alternative)
        curl_mime_type(holder, "multipart/alternative")
        let inline = CurlList(["Content-Disposition: inline"])
        curl_mime_headers(holder, inline.head, 0)
        _ = defuse_curl_pointer(curl.handle, CURLOPT_MIMEPOST, UnsafeMutableRawPointer(mime))
        try withExtendedLifetime(inline) { () throws(DeliveryError) in try curl.perform("SMTP \(server.url)") }
    }

    /// Header text cannot carry a line break (that would inject headers).
    static func headerSafe(_ s: String) -> String {
        String(s.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
    }

    /// RFC 2047 `=?UTF-8?B?...?=` words when the text is not plain ASCII.
    static func encodedWords(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 >= 0x80 }) else { return s }
        var words: [String] = []
        var chunk: [UInt8] = []
        for ch in s {
            let bytes = Array(String(ch).utf8)
            if chunk.count + bytes.count > 45 { words.append(chunk.isEmpty ? "" : "=?UTF-8?B?\(Data(chunk).base64EncodedString())?="); chunk = [] }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words.filter { !$0.isEmpty }.joined(separator: "\r\n ")
    }

    static func rfc5322(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return f.string(from: date)
    }
}
