import DefuseApp
import DefuseCrypto
import DefuseDomain
import DefuseHTTP
import DefuseImport
import DefuseRender
import DefuseStore
import Foundation

/// The pages: a session cookie from `POST /login`, CSRF tokens on every form, roles as in the API.
extension WebApp {
    static let sessionCookie = "defuse_session"
    static let sessionHours: Int64 = 12
    static let pageCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'"

    static func html(_ status: Int, _ body: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "text/html; charset=utf-8"), ("Content-Security-Policy", pageCSP)], body: Array(body.utf8))
    }

    static func redirect(_ location: String, cookie: String? = nil) -> HTTPResponse {
        var r = HTTPResponse(status: 303, headers: [("Location", location)])
        if let cookie { r.headers.append(("Set-Cookie", cookie)) }
        return r
    }

    func page(_ r: HTTPRequest, _ parts: [String]) throws -> HTTPResponse {
        if parts == ["login"] {
            if r.method == "POST" { return try login(r) }
            try method(r, "GET")
            return Self.html(200, Pages.login(error: nil))
        }
        guard let (user, csrf) = try session(r) else { return Self.redirect("/login") }
        if r.method == "POST" {
            // Forms carry the token as a field; raw uploads (evidence) in a header.
            guard let given = r.header("x-csrf-token") ?? Form(r.body)["csrf"], Crypto.constantTimeEqual(Array(given.utf8), Array(csrf.utf8)) else {
                throw Failure(status: 403, message: "the form is stale or was not sent by Defuse (CSRF token missing or wrong): reload the page")
            }
        }
        let at = now()
        switch parts {
        case ["logout"]:
            try method(r, "POST")
            if let id = cookie(r) { try pool.with { try $0.deleteSession(hash: Crypto.sha256Hex(Array(id.utf8))) } }
            return Self.redirect("/login", cookie: "\(Self.sessionCookie)=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0")
        case []:
            try method(r, "GET")
            let report = try boardReport.report { try currentReport() }
            let open = try app { svc throws(AppError) in try svc.list(asOf: at, openOnly: true) }
            let dead = try pool.with { try $0.loadOutbox(OutboxFilter(states: [.dead], limit: 100)) }
            return Self.html(200, Pages.board(report: report, escalations: open, dead: dead, user: user, csrf: csrf))
        case let p where p.count == 3 && p[0] == "outbox" && p[2] == "retry":
            try method(r, "POST")
            try role(user, [.manager])
            try retryOutbox(p[1])
            return Self.redirect("/")
        case let p where p.count == 2 && p[0] == "accounts":
            try method(r, "GET")
            guard let history = try pool.with({ try $0.loadHistory(accountID: p[1]) }) else { throw Failure(status: 404, message: "no account \"\(p[1])\"") }
            let open = try app { svc throws(AppError) in try svc.open(accountID: p[1], asOf: at) }
            return Self.html(200, Pages.account(AccountView(history: history, asOf: at, thresholds: config.health, openEscalations: open), user: user.name, csrf: csrf))
        case ["escalations", "new"]:
            if r.method == "GET" { return Self.html(200, Pages.newEscalation(user: user.name, csrf: csrf, error: nil)) }
            try method(r, "POST")
            try role(user, [.csm, .manager, .exec])
            let form = Form(r.body)
            var fields: [String: String] = [:]
            for k in ["channel", "text", "reach", "press"] { fields[k] = form[k] }
            do {
                let s = try app { svc throws(AppError) in try svc.open(accountID: form["account_id"] ?? "", fields: fields, at: nil, user: user.name, now: at) }
                return Self.redirect("/escalations/\(s.escalation.id)")
            } catch let f as Failure {
                return Self.html(f.status, Pages.newEscalation(user: user.name, csrf: csrf, error: f.message, form: form.values))
            }
        case let p where p.count == 2 && p[0] == "escalations":
            try method(r, "GET")
            return try escalationPage(p[1], user: user, csrf: csrf, error: nil, status: 200)
        case let p where p.count == 3 && p[0] == "escalations" && p[2] == "events":
            try method(r, "POST")
            try role(user, [.csm, .manager, .exec])
            let form = Form(r.body)
            guard let event = form["event"] else { throw Failure(status: 400, message: "choose an event") }
            if event == EventKind.ceoBriefed.rawValue || event == EventKind.ceoDecision.rawValue { try role(user, [.exec, .manager]) }
            var fields: [String: String] = [:]
            let allowed = EventKind(rawValue: event).map { EventSchema.fields($0).map(\.name) } ?? []
            for name in allowed { fields[name] = form[name] }
            var when: Timestamp?
            if let v = form["at"] {
                guard let t = ISO8601.parse(v) else { return try escalationPage(p[1], user: user, csrf: csrf, error: "When: not a timestamp: \"\(v)\"", status: 400) }
                when = t
            }
            do {
                _ = try app { svc throws(AppError) in try svc.log(p[1], event: event, fields: fields, at: when, user: user.name, now: at) }
                return Self.redirect("/escalations/\(p[1])")
            } catch let f as Failure where f.status != 404 {
                return try escalationPage(p[1], user: user, csrf: csrf, error: f.message, status: f.status)
            }
        case let p where p.count == 3 && p[0] == "escalations" && p[2] == "share":
            try method(r, "POST")
            try role(user, [.csm, .manager, .exec])
            _ = try app { svc throws(AppError) in try sharingOn(svc.store).create(p[1], user: user.name, now: at) }
            return Self.redirect("/escalations/\(p[1])#share")
        case let p where p.count == 4 && p[0] == "escalations" && p[2] == "share" && p[3] == "revoke":
            try method(r, "POST")
            try role(user, [.csm, .manager, .exec])
            _ = try app { svc throws(AppError) in try sharingOn(svc.store).revoke(p[1], now: at) }
            return Self.redirect("/escalations/\(p[1])#share")
        case let p where p.count == 3 && p[0] == "escalations" && p[2] == "evidence":
            // Answered as JSON: the page's script shows the error or reloads.
            try method(r, "POST")
            try role(user, [.csm, .manager, .exec])
            do {
                _ = try fileEvidence(p[1], r, user)
                return Self.json(201, "{\"filed\": true}\n")
            } catch let f as Failure { return Self.json(f.status, errorBody(f.message)) }
        case let p where p.count == 4 && p[0] == "escalations" && p[2] == "evidence":
            try method(r, "GET")
            return try evidenceFile(p[1], p[3], r)
        case ["import"]:
            if r.method == "GET" { return Self.html(200, Pages.importPage(user: user.name, csrf: csrf, result: nil, errors: [])) }
            try method(r, "POST")
            try role(user, [.csm, .manager])
            let form = Form(r.body)
            let csv = Array((form.values["csv"] ?? "").utf8)
            return try pool.with { store in
                let plan = Importer(known: KnownAccounts(sponsors: try store.accountSponsors()), at: at).plan([ImportFile(name: "pasted", bytes: csv)])
                if !plan.errors.isEmpty && form["skip_bad"] == nil {
                    return Self.html(400, Pages.importPage(user: user.name, csrf: csrf, result: nil, errors: plan.errors.map(\.description)))
                }
                let c = try applyUpload(plan, store)
                let result = "\(c.kind?.rawValue ?? "rows"): \(c.added) added, \(c.updated) updated, \(c.skipped) skipped."
                return Self.html(200, Pages.importPage(user: user.name, csrf: csrf, result: result, errors: plan.errors.map(\.description)))
            }
        case ["static", "app.js"]:
            try method(r, "GET")
            return HTTPResponse(status: 200, headers: [("Content-Type", "text/javascript; charset=utf-8")], body: Array(Layout.script.utf8))
        default:
            throw Failure(status: 404, message: "no such page: \(r.path)")
        }
    }

    func escalationPage(_ id: String, user: User, csrf: String, error: String?, status: Int) throws -> HTTPResponse {
        let at = now()
        let s = try app { svc throws(AppError) in try svc.status(id, asOf: at) }
        // The live share link is read once: the page shows it, and the public reply links to it.
        let (sent, link) = try pool.with { store in
            (try store.loadOutbox(OutboxFilter(escalation: s.escalation.number, limit: 500)), sharingOn(store).currentLink(s.escalation.number))
        }
        let drafts = Draft.Kind.allCases.map { kind -> (Draft, String) in
            let d = Draft.make(kind, s, timeline: link)
            return (d, Markdown.html(d.markdown))
        }
        return Self.html(status, Pages.escalation(s, drafts: drafts, notifications: sent, shareLink: link, user: user.name, csrf: csrf, error: error))
    }

    func cookie(_ r: HTTPRequest) -> String? {
        guard let header = r.header("cookie") else { return nil }
        for part in header.split(separator: ";") {
            let kv = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0] == Self.sessionCookie { return String(kv[1]) }
        }
        return nil
    }

    func session(_ r: HTTPRequest) throws -> (User, String)? {
        guard let id = cookie(r) else { return nil }
        return try pool.with { try $0.loadSession(hash: Crypto.sha256Hex(Array(id.utf8)), now: now()) }
    }

    func login(_ r: HTTPRequest) throws -> HTTPResponse {
        let form = Form(r.body)
        let name = form["user"] ?? ""
        let clock = Double(now().unixSeconds)
        guard limiter.allowed(name, now: clock) else {
            return Self.html(429, Pages.login(error: "Too many attempts for \(name): wait five minutes.", name: name))
        }
        let user = try pool.with { try $0.loadUser(name) }
        guard let user, let hash = user.passwordHash, PasswordHash.verify(form.values["password"] ?? "", against: hash) else {
            limiter.failed(name, now: clock)
            return Self.html(401, Pages.login(error: "That user name and password do not match.", name: name))
        }
        let id = Crypto.randomHex(bytes: 32)
        let csrf = Crypto.randomHex(bytes: 16)
        try pool.with { try $0.saveSession(hash: Crypto.sha256Hex(Array(id.utf8)), user: user.name, csrf: csrf, expiresAt: now() + .hours(Self.sessionHours)) }
        return Self.redirect("/", cookie: "\(Self.sessionCookie)=\(id); HttpOnly; SameSite=Strict; Path=/; Max-Age=\(Self.sessionHours * 3600)")
    }
}
