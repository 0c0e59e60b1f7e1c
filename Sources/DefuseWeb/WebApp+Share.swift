import DefuseApp
import DefuseDomain
import DefuseHTTP
import DefuseRender
import DefuseStore

/// The customer's share page (no login) and the evidence locker's uploads and downloads.
extension WebApp {
    func sharingOn(_ store: Store) -> Sharing { Sharing(store: store, config: config, storeLocation: pool.location) }
    var locker: EvidenceLocker { EvidenceLocker(config: config, storeLocation: pool.location) }

    /// `GET /s/{token}` and its script. Made-up, revoked and expired tokens get the same 404.
    func shared(_ r: HTTPRequest, _ parts: [String]) throws -> HTTPResponse {
        try method(r, "GET")
        if parts == ["static", "share.js"] {
            return HTTPResponse(status: 200, headers: [("Content-Type", "text/javascript; charset=utf-8"), ("Cache-Control", "public, max-age=300")],
                                body: Array(SharePage.script.utf8))
        }
        let view = parts.count == 2 ? try pool.with { sharingOn($0).view(token: parts[1], now: now()) } : nil
        let headers = [("Content-Security-Policy", SharePage.csp), ("Referrer-Policy", "no-referrer"), ("X-Robots-Tag", "noindex, nofollow")]
        guard let view else {
            return HTTPResponse(status: 404, headers: [("Content-Type", "text/html; charset=utf-8")] + headers,
                                body: Array("<!doctype html><title>Not found</title><p>This link does not work (it may have been withdrawn). Ask your account team for a new one.</p>\n".utf8))
        }
        return HTTPResponse(status: 200, headers: [("Content-Type", "text/html; charset=utf-8")] + headers, body: Array(SharePage.render(view).utf8))
    }

    /// A raw upload: the body is the file; `name`, `note` and `at` come in the query.
    func fileEvidence(_ id: String, _ r: HTTPRequest, _ user: User) throws -> EscalationStatus {
        var when: Timestamp?
        if let v = r.query["at"] {
            guard let t = ISO8601.parse(v) else { throw Failure(status: 400, message: "at: not an ISO 8601 timestamp: \"\(v)\"") }
            when = t
        }
        let name = r.query["name"] ?? "evidence"
        let at = now()
        return try app { svc throws(AppError) in
            try svc.logEvidence(id, bytes: r.body, name: name, note: r.query["note"], at: when, user: user.name, now: at, locker: locker)
        }
    }

    /// A stored file, for a signed-in user: its own type, never sniffed, never rendered as a page.
    func evidenceFile(_ id: String, _ sha: String, _ r: HTTPRequest) throws -> HTTPResponse {
        let e = try app { svc throws(AppError) in try svc.escalation(id) }
        guard let event = e.log.first(where: { $0.kind == .evidence && $0["sha256"] == sha }), let bytes = locker.read(sha) else {
            throw Failure(status: 404, message: "no evidence \(sha.prefix(64)) in \(id)")
        }
        let kind = EvidenceFile.sniff(bytes)
        let name = event["file"] ?? "evidence"
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ascii
        let inline = r.query["inline"] == "1" && (kind?.isImage ?? false)
        return HTTPResponse(status: 200, headers: [
            ("Content-Type", kind?.rawValue ?? "application/octet-stream"),
            ("Content-Disposition", "\(inline ? "inline" : "attachment"); filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"),
            ("Content-Security-Policy", "default-src 'none'; sandbox"),
            ("Cache-Control", "private, max-age=3600"),
        ], body: bytes)
    }
}
