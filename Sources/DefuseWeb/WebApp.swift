import DefuseApp
import DefuseCrypto
import DefuseDomain
import DefuseHTTP
import DefuseImport
import DefuseRender
import DefuseStore
import Foundation

/// The JSON API of `api.md` (pages come next), as an `HTTPHandler`: tests call `handle`
/// directly, `defuse serve` puts it behind libmicrohttpd.
public final class WebApp: HTTPHandler, @unchecked Sendable {
    let pool: StorePool
    let config: Configuration
    let now: @Sendable () -> Timestamp
    let metrics = Metrics()
    let limiter = LoginLimiter()
    let boardReport = ReportCache()
    let fresh: FreshCache

    /// Computes the board's report ahead of the first visit (`defuse serve` calls it at start).
    public func warmUp() {
        _ = try? boardReport.report { try currentReport() }
    }

    func currentReport() throws -> HealthReport {
        let histories = try pool.with { try $0.loadHistories() }
        return HealthReport.build(histories, asOf: now(), thresholds: config.health)
    }

    /// Receives one line per request (method, path, status, milliseconds) when set.
    public let accessLog: (@Sendable (String) -> Void)?

    public init(storeLocation: String, config: Configuration, now: @escaping @Sendable () -> Timestamp,
                accessLog: (@Sendable (String) -> Void)? = nil) {
        pool = StorePool(location: storeLocation)
        fresh = FreshCache(location: storeLocation)
        self.config = config
        self.now = now
        self.accessLog = accessLog
    }

    /// A failure with its HTTP status, answered as `{"error": ...}`.
    struct Failure: Error {
        var status: Int
        var message: String
        /// For 405: the methods the path answers.
        var allow: String? = nil
        static func from(_ e: AppError) -> Failure {
            switch e {
            case .usage(let m), .input(let m): Failure(status: 400, message: m)
            case .notFound(let m): Failure(status: 404, message: m)
            case .refused(let m): Failure(status: 409, message: m)
            case .tooLarge(let m): Failure(status: 413, message: m)
            case .unsupported(let m): Failure(status: 415, message: m)
            }
        }
    }

    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        let parts = Self.pathParts(request.path)
        var response = HTTPResponse(status: 500)
        defer {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            metrics.observe(route: Self.routeLabel(parts), seconds: seconds)
            // A share link's token is a secret: the log names the route, not the token.
            let path = request.path.hasPrefix("/s/") ? "/s/{token}" : request.path
            accessLog?("\(ISO8601.format(now())) \(request.method) \(path) \(response.status) \(String(format: "%.1f", seconds * 1000))ms")
        }
        do {
            response = try route(request, parts)
        } catch let f as Failure {
            if Self.isAPI(request.path) {
                response = Self.json(f.status, errorBody(f.message))
                if let allow = f.allow { response.headers.append(("Allow", allow)) }
                if f.status == 401 { response.headers.append(("WWW-Authenticate", "Bearer")) }
            } else {
                response = Self.html(f.status, Layout.page("Error \(f.status)", user: nil, csrf: nil) {
                    tag("h1") { "Something is not right (\(f.status))" }
                    tag("p", ["class": "error"]) { f.message }
                    tag("p") { tag("a", ["href": "/"]) { "Back to the board" } }
                })
            }
        } catch {
            response = Self.json(500, errorBody("internal error: \(error)"))
        }
        response.headers += [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY")]
        for (name, value) in [("Cache-Control", "no-store"), ("Referrer-Policy", "same-origin")] where !response.headers.contains(where: { $0.0 == name }) {
            response.headers.append((name, value))
        }
        if !response.headers.contains(where: { $0.0 == "Content-Security-Policy" }) {
            response.headers.append(("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"))
        }
        return response
    }

    static func isAPI(_ path: String) -> Bool {
        path.hasPrefix("/api/") || path == "/api" || path == "/metrics" || path == "/healthz"
    }

    /// The path's segments, percent-decoded (only those that need it).
    static func pathParts(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map { $0.utf8.contains(UInt8(ascii: "%")) ? ($0.removingPercentEncoding ?? String($0)) : String($0) }
    }

    /// The route a path belongs to, for metrics: ids become `{id}`.
    static func routeLabel(_ p: [String]) -> String {
        if p.first == "s" { return "/s/{token}" }
        switch p.count {
        case 3 where p[0] == "api": return "/api/\(p[1])/{id}"
        case 4 where p[0] == "api": return "/api/\(p[1])/{id}/\(p[3])"
        case 5 where p[0] == "api": return "/api/\(p[1])/{id}/\(p[3])/{kind}"
        default: return p.count <= 2 ? "/" + p.joined(separator: "/") : "other"
        }
    }

    /// Open escalations and breached clocks, for the gauges.
    func openEscalationGauges() throws -> (open: Int, breached: Int) {
        let list = try app { svc throws(AppError) in try svc.list(asOf: now(), openOnly: true) }
        return (list.count, list.reduce(0) { $0 + $1.clocks.filter { $0.state == .breached }.count })
    }

    func errorBody(_ message: String) -> String {
        var w = JSONWriter()
        w.beginObject(); w.field("error", message); w.endObject()
        return w.output
    }

    static func json(_ status: Int, _ body: String) -> HTTPResponse {
        .text(status, body, type: "application/json; charset=utf-8")
    }

    // MARK: Routing

    /// Every route the app answers, as the OpenAPI document names them (a test keeps the two equal).
    public static let routes: [(method: String, path: String)] = [
        ("GET", "/healthz"), ("GET", "/metrics"), ("GET", "/api/openapi.json"), ("GET", "/api/report"), ("GET", "/api/accounts/{id}"),
        ("POST", "/api/imports"), ("GET", "/api/escalations"), ("POST", "/api/escalations"), ("GET", "/api/escalations/{id}"),
        ("POST", "/api/escalations/{id}/events"), ("GET", "/api/escalations/{id}/drafts/{kind}"), ("GET", "/api/users"), ("POST", "/api/users"),
        ("GET", "/api/outbox"), ("POST", "/api/outbox/{id}/retry"),
        ("POST", "/api/escalations/{id}/evidence"), ("GET", "/api/escalations/{id}/evidence/{sha256}"),
        ("POST", "/api/escalations/{id}/share"), ("POST", "/api/escalations/{id}/share/revoke"),
    ]

    /// The OpenAPI document, for the test and for `GET /api/openapi.json`.
    public static var openAPIDocument: String { OpenAPI.document }

    func route(_ r: HTTPRequest, _ parts: [String]) throws -> HTTPResponse {
        if parts == ["healthz"] {
            try method(r, "GET")
            return Self.json(200, "{\"status\": \"ok\"}\n")
        }
        if parts == ["metrics"] {
            try method(r, "GET")
            _ = try authenticate(r)
            return HTTPResponse.text(200, metrics.render(try openEscalationGauges()), type: "text/plain; version=0.0.4")
        }
        if parts.first == "s" || parts == ["static", "share.js"] { return try shared(r, parts) }
        guard parts.first == "api" else { return try page(r, parts) }
        let user = try authenticate(r)
        switch Array(parts.dropFirst()) {
        case ["openapi.json"]:
            try method(r, "GET")
            return Self.json(200, OpenAPI.document)
        case ["report"]:
            try method(r, "GET")
            return try report(r)
        case let p where p.count == 2 && p[0] == "accounts":
            try method(r, "GET")
            return try account(p[1], r)
        case ["escalations"]:
            if r.method == "POST" { try role(user, [.csm, .manager, .exec]); return try openEscalation(r, user) }
            guard r.method == "GET" else { throw Failure(status: 405, message: "\(r.path) answers GET and POST", allow: "GET, POST") }
            return try listEscalations(r)
        case let p where p.count == 2 && p[0] == "escalations":
            try method(r, "GET")
            return try showEscalation(p[1], r)
        case let p where p.count == 3 && p[0] == "escalations" && p[2] == "events":
            try method(r, "POST")
            try role(user, [.csm, .manager, .exec])
            return try logEvent(p[1], r, user)
        case let p where p.count == 3 && p[0] == "escalations" && p[2] == "evidence":
            try method(r, "POST")
            try role(user, [.csm, .manager, .exec])
            let s = try fileEvidence(p[1], r, user)
            return Self.json(201, EscalationJSON.render(s))
        case let p where p.count == 4 && p[0] == "escalations" && p[2] == "evidence":
            try method(r, "GET")
            return try evidenceFile(p[1], p[3], r)
        case let p where p.count == 3 && p[0] == "escalations" && p[2] == "share":
            try method(r, "POST")
            try role(user, [.csm, .manager, .exec])
            let url = try app { svc throws(AppError) in try sharingOn(svc.store).create(p[1], user: user.name, now: now()) }
            var w = JSONWriter()
            w.beginObject(); w.field("url", url); w.endObject()
            return Self.json(201, w.output)
        case let p where p.count == 4 && p[0] == "escalations" && p[2] == "share" && p[3] == "revoke":
            try method(r, "POST")
            try role(user, [.csm, .manager, .exec])
            let n = try app { svc throws(AppError) in try sharingOn(svc.store).revoke(p[1], now: now()) }
            return Self.json(200, "{\"revoked\": \(n)}\n")
        case let p where p.count == 4 && p[0] == "escalations" && p[2] == "drafts":
            try method(r, "GET")
            return try draft(p[1], p[3], r)
        case ["imports"]:
            try method(r, "POST")
            try role(user, [.csm, .manager])
            return try importCSV(r)
        case ["outbox"]:
            try method(r, "GET")
            return try outbox(r)
        case let p where p.count == 3 && p[0] == "outbox" && p[2] == "retry":
            try method(r, "POST")
            try role(user, [.manager])
            try retryOutbox(p[1])
            return Self.json(200, "{\"retried\": \(p[1])}\n")
        case ["users"]:
            try role(user, [.manager])
            if r.method == "POST" { return try addUser(r) }
            guard r.method == "GET" else { throw Failure(status: 405, message: "\(r.path) answers GET and POST", allow: "GET, POST") }
            return try listUsers()
        default:
            throw Failure(status: 404, message: "no such route: \(r.method) \(r.path)")
        }
    }

    func method(_ r: HTTPRequest, _ allowed: String) throws {
        guard r.method == allowed else { throw Failure(status: 405, message: "\(r.path) answers \(allowed), not \(r.method)", allow: allowed) }
    }

    func role(_ user: User, _ allowed: Set<Role>) throws {
        guard allowed.contains(user.role) else {
            throw Failure(status: 403, message: "\(user.name) is a \(user.role.rawValue); this needs \(allowed.map(\.rawValue).sorted().joined(separator: " or "))")
        }
    }

    /// `Authorization: Bearer TOKEN`, checked by the token's SHA-256.
    func authenticate(_ r: HTTPRequest) throws -> User {
        guard let header = r.header("authorization"), header.utf8.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw Failure(status: 401, message: "sign in: send Authorization: Bearer TOKEN (defuse token create --user NAME)")
        }
        var token = Substring(header.dropFirst(7))
        while token.first == " " || token.first == "\t" { token.removeFirst() }
        while token.last == " " || token.last == "\t" { token.removeLast() }
        // A token seen since the last commit is known without hashing it again.
        let raw = String(token)
        let generation = fresh.current()
        if let generation, let user = fresh.user(token: raw, generation: generation) { return user }
        let hash = Crypto.sha256Hex(Array(token.utf8))
        guard let user = try pool.with({ try $0.tokenUser(hash: hash) }) else {
            throw Failure(status: 401, message: "that token is unknown or revoked")
        }
        if let generation { fresh.remember(token: raw, user: user, generation: generation) }
        return user
    }

    func asOf(_ r: HTTPRequest) throws -> Timestamp {
        guard let v = r.query["as_of"] else { return now() }
        guard let t = ISO8601.parse(v) else { throw Failure(status: 400, message: "as_of: not a timestamp: \"\(v)\"") }
        return t
    }

    func app<T>(_ body: (Escalations) throws(AppError) -> T) throws -> T {
        try pool.with { store in
            do throws(AppError) { return try body(Escalations(store: store, config: config)) } catch { throw Failure.from(error) }
        }
    }

    // MARK: Routes

    func report(_ r: HTTPRequest) throws -> HTTPResponse {
        let includeGreen: Bool
        switch r.query["level"] {
        case nil: includeGreen = false
        case "all": includeGreen = true
        case let v?: throw Failure(status: 400, message: "level takes only `all` (got \(v))")
        }
        let at = try asOf(r)
        let histories = try pool.with { try $0.loadHistories() }
        return Self.json(200, ReportJSON.render(HealthReport.build(histories, asOf: at, thresholds: config.health), includeGreen: includeGreen))
    }

    /// Without `as_of`: the account as of the current second, reused within that second until
    /// anything is committed (SQLite; see `FreshCache`).
    func account(_ id: String, _ r: HTTPRequest) throws -> HTTPResponse {
        let explicit = r.query["as_of"] != nil
        let second = now().unixSeconds
        let generation = explicit ? nil : fresh.current()
        if let generation, let body = fresh.account(id, second: second, generation: generation) {
            return HTTPResponse(status: 200, headers: [("Content-Type", "application/json; charset=utf-8")], body: body)
        }
        let at = explicit ? try asOf(r) : (generation == nil ? now() : Timestamp(seconds: second))
        guard let history = try pool.with({ try $0.loadHistory(accountID: id) }) else {
            throw Failure(status: 404, message: "no account \"\(id)\"")
        }
        let open = try app { svc throws(AppError) in try svc.open(accountID: id, asOf: at, history: history) }
        let body = Array(AccountJSON.render(AccountView(history: history, asOf: at, thresholds: config.health, openEscalations: open)).utf8)
        if let generation { fresh.remember(account: id, second: second, body: body, generation: generation) }
        return HTTPResponse(status: 200, headers: [("Content-Type", "application/json; charset=utf-8")], body: body)
    }

    func listEscalations(_ r: HTTPRequest) throws -> HTTPResponse {
        let at = try asOf(r)
        guard ["true", "false", nil].contains(r.query["open"]) else { throw Failure(status: 400, message: "open takes true or false (got \(r.query["open"] ?? ""))") }
        let openOnly = r.query["open"] == "true"
        let list = EscalationListJSON(parts: Escalations.cores)
        _ = try app { svc throws(AppError) in
            try svc.forEachStatus(asOf: at, openOnly: openOnly, parts: Escalations.cores) { part, s in list.add(s, part: part) }
        }
        return Self.json(200, list.text())
    }

    func showEscalation(_ id: String, _ r: HTTPRequest) throws -> HTTPResponse {
        let at = try asOf(r)
        let s = try app { svc throws(AppError) in try svc.status(id, asOf: at) }
        return Self.json(200, EscalationJSON.render(s))
    }

    /// A JSON object body, its values as strings (numbers as written, true as a flag, false left out).
    func fields(_ r: HTTPRequest) throws -> [String: String] {
        guard !r.body.isEmpty, let object = try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any] else {
            throw Failure(status: 400, message: "the body must be a JSON object")
        }
        var out: [String: String] = [:]
        for (k, v) in object {
            switch v {
            case let s as String: out[k] = s
            // JSON true/false arrive as a Boolean subclass of NSNumber; 1 and 0 as NSNumber itself.
            // Only the flags (`press`, `force`) are yes/no.
            case let b as Bool where type(of: v) != NSNumber.self:
                guard EventSchema.flagNames.contains(k) else { throw Failure(status: 400, message: "\(k): expected a string or a number, not true/false") }
                if b { out[k] = "true" }
            case let n as NSNumber: out[k] = n.doubleValue == n.doubleValue.rounded() && abs(n.doubleValue) < 1e15 ? String(n.int64Value) : n.stringValue
            case is NSNull: throw Failure(status: 400, message: "\(k): null is not a value (leave the field out instead)")
            default: throw Failure(status: 400, message: "\(k): expected a string, number or true/false")
            }
        }
        return out
    }

    func at(_ f: inout [String: String]) throws -> Timestamp? {
        guard let v = f.removeValue(forKey: "at") else { return nil }
        guard let t = ISO8601.parse(v) else { throw Failure(status: 400, message: "at: not a timestamp: \"\(v)\"") }
        return t
    }

    func openEscalation(_ r: HTTPRequest, _ user: User) throws -> HTTPResponse {
        var f = try fields(r)
        let when = try at(&f)
        guard let account = f.removeValue(forKey: "account_id") else { throw Failure(status: 400, message: "account_id is required") }
        let clock = now()
        let s = try app { svc throws(AppError) in try svc.open(accountID: account, fields: f, at: when, user: user.name, now: clock) }
        return Self.json(201, EscalationJSON.render(s))
    }

    func logEvent(_ id: String, _ r: HTTPRequest, _ user: User) throws -> HTTPResponse {
        var f = try fields(r)
        let when = try at(&f)
        guard let event = f.removeValue(forKey: "event") else { throw Failure(status: 400, message: "event is required") }
        if event == EventKind.ceoBriefed.rawValue || event == EventKind.ceoDecision.rawValue { try role(user, [.exec, .manager]) }
        let clock = now()
        let s = try app { svc throws(AppError) in try svc.log(id, event: event, fields: f, at: when, user: user.name, now: clock) }
        return Self.json(201, EscalationJSON.render(s))
    }

    func draft(_ id: String, _ kindName: String, _ r: HTTPRequest) throws -> HTTPResponse {
        guard let kind = Draft.Kind(rawValue: kindName) else {
            throw Failure(status: 404, message: "no draft \"\(kindName)\" (triage, recap, ceo, public, postmortem)")
        }
        let at = try asOf(r)
        let s = try app { svc throws(AppError) in try svc.status(id, asOf: at) }
        let d = Draft.make(kind, s, timeline: kind == .public ? try pool.with { sharingOn($0).currentLink(s.escalation.number) } : nil)
        var w = JSONWriter()
        w.beginObject()
        w.field("kind", kind.rawValue)
        w.field("markdown", d.markdown)
        w.field("html", Markdown.html(d.markdown))
        w.field("warnings", strings: d.warnings.map(\.description))
        w.endObject()
        return Self.json(200, w.output)
    }

    func importCSV(_ r: HTTPRequest) throws -> HTTPResponse {
        let at: Timestamp
        if let v = r.query["at"] {
            guard let t = ISO8601.parse(v) else { throw Failure(status: 400, message: "at: not a timestamp: \"\(v)\"") }
            at = t
        } else {
            at = now()
        }
        guard ["true", "false", nil].contains(r.query["skip_bad"]) else { throw Failure(status: 400, message: "skip_bad takes true or false") }
        guard !r.body.isEmpty else { throw Failure(status: 400, message: "the body is empty: send one CSV export (Content-Type: text/csv)") }
        let skipBad = r.query["skip_bad"] == "true"
        return try pool.with { store in
            let importer = Importer(known: KnownAccounts(sponsors: try store.accountSponsors()), at: at)
            let plan = importer.plan([ImportFile(name: "upload.csv", bytes: r.body)])
            // skip_bad skips bad rows; a body that is no export at all is always refused.
            if !plan.errors.isEmpty && (!skipBad || plan.files.isEmpty) {
                var w = JSONWriter(inlineDepth: 3)
                w.beginObject()
                w.field("error", "nothing imported: \(plan.errors.count) problem\(plan.errors.count == 1 ? "" : "s")")
                w.key("errors"); w.beginArray()
                for e in plan.errors {
                    w.beginObject(); w.field("line", e.line); w.field("column", e.column); w.field("message", e.message); w.endObject()
                }
                w.endArray()
                w.endObject()
                return Self.json(400, w.output)
            }
            let c = try applyUpload(plan, store)
            var w = JSONWriter()
            w.beginObject()
            w.field("kind", c.kind?.rawValue)
            w.field("added", c.added); w.field("updated", c.updated); w.field("skipped", c.skipped)
            w.endObject()
            return Self.json(200, w.output)
        }
    }

    /// Writes one uploaded file's batch and counts its rows (the API and the import page).
    func applyUpload(_ plan: ImportPlan, _ store: Store) throws -> (kind: ExportKind?, added: Int, updated: Int, skipped: Int) {
        let added = try store.apply(plan.batch)
        boardReport.clear()
        let kind = plan.files.first?.kind
        let c = kind.flatMap { plan.counts(added: added).byKind[$0] } ?? ImportCounts.Row()
        return (kind, c.added, c.updated, c.skipped)
    }

    func outbox(_ r: HTTPRequest) throws -> HTTPResponse {
        guard [nil, "true", "false"].contains(r.query["all"]) else { throw Failure(status: 400, message: "all: true or false") }
        var filter = OutboxFilter(states: r.query["all"] == "true" ? nil : [.dead, .pending, .sending], limit: 10_000)
        if let id = r.query["escalation"] {
            guard let n = Escalation.number(fromID: id) else { throw Failure(status: 400, message: "escalation: \"\(id)\" is not an id like E-1") }
            filter = OutboxFilter(states: nil, escalation: n, limit: 10_000)
        }
        let list = try pool.with { try $0.loadOutbox(filter) }
        return Self.json(200, OutboxJSON.render(list))
    }

    func retryOutbox(_ given: String) throws {
        guard let id = Int(given), id > 0 else { throw Failure(status: 404, message: "no dead notification \"\(given)\"") }
        guard try pool.with({ try $0.retryOutbox(id: id, now: now()) }) else {
            throw Failure(status: 404, message: "no dead notification #\(id) (see GET /api/outbox)")
        }
    }

    func listUsers() throws -> HTTPResponse {
        let users = try pool.with { try $0.loadUsers() }
        var w = JSONWriter(inlineDepth: 3)
        w.beginObject()
        w.key("users"); w.beginArray()
        for u in users { w.beginObject(); w.field("name", u.name); w.field("role", u.role.rawValue); w.field("email", u.email); w.endObject() }
        w.endArray()
        w.endObject()
        return Self.json(200, w.output)
    }

    func addUser(_ r: HTTPRequest) throws -> HTTPResponse {
        // Users take strings only, and only these four.
        guard let object = try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any] else {
            throw Failure(status: 400, message: "the body must be a JSON object")
        }
        var f: [String: String] = [:]
        for (k, v) in object {
            guard ["name", "role", "email", "password"].contains(k) else { throw Failure(status: 400, message: "unknown field \(k)") }
            guard let s = v as? String else { throw Failure(status: 400, message: "\(k): expected a string") }
            f[k] = s
        }
        guard let name = f["name"], !name.isEmpty, !name.contains(where: \.isWhitespace) else { throw Failure(status: 400, message: "name is required (one word)") }
        guard let role = f["role"].flatMap(Role.init(rawValue:)) else { throw Failure(status: 400, message: "role must be csm, manager, exec or viewer") }
        var hash: String?
        if let p = f["password"] {
            guard p.count >= 8 else { throw Failure(status: 400, message: "the password must have at least 8 characters") }
            do { hash = try PasswordHash.make(p) } catch { throw Failure(status: 500, message: error.description) }
        }
        try pool.with { try $0.saveUser(User(name: name, role: role, email: f["email"], passwordHash: hash)) }
        var w = JSONWriter()
        w.beginObject(); w.field("name", name); w.field("role", role.rawValue); w.field("email", f["email"]); w.endObject()
        return Self.json(201, w.output)
    }
}
