import DefuseCLI
import DefuseCrypto
import DefuseDomain
import DefuseHTTP
import DefuseStore
import DefuseWeb
import Foundation
import Testing

/// A database with the CLI fixture accounts and users of every role, each with a token;
/// the web app called in-process (no socket).
/// The fixture's clock: fixed, and moved by tests that need time to pass.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var t = ISO8601.parse("2026-03-06T12:00:00Z") ?? Timestamp(micros: 0)
    var now: Timestamp {
        get { lock.withLock { t } }
        set { lock.withLock { t = newValue } }
    }
}

final class APIFixture {
    let dir: String
    let db: String
    let app: WebApp
    let clock = TestClock()
    var tokens: [String: String] = [:]
    var accessLog: [String] { logLines.lock.withLock { logLines.items } }
    private let logLines = Lines()
    final class Lines: @unchecked Sendable {
        let lock = NSLock()
        var items: [String] = []
    }

    /// `conf`: the text of a `defuse.conf` beside the database, read by the CLI and the app alike.
    init(conf: String = "") throws {
        dir = NSTemporaryDirectory() + "defuse-web-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        db = dir + "/web.db"
        try conf.write(toFile: dir + "/defuse.conf", atomically: true, encoding: .utf8)
        let clock = self.clock
        let lines = logLines
        app = WebApp(storeLocation: db, config: try Configuration.parse(conf), now: { clock.now }, accessLog: { line in lines.lock.withLock { lines.items.append(line) } })
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../DefuseCLITests/Fixtures/health").standardized.path
        #expect(cli(["import", fixtures]).code == 0)
        for (name, role) in [("vic", "viewer"), ("kim", "csm"), ("lee", "manager"), ("eve", "exec")] {
            #expect(cli(["user", "add", name, "--role", role]).code == 0)
            tokens[name] = cli(["token", "create", "--user", name]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    /// A notification about E-1 that could not be delivered; returns its outbox id.
    @discardableResult
    func seedDeadLetter(text: String = "Acme: triage call is late") throws -> Int {
        let store = try SQLiteStore(path: db)
        let t = ISO8601.parse("2026-03-06T11:00:00Z") ?? Timestamp(micros: 0)
        _ = try store.enqueue([OutboxMessage(key: "E-1/triage_call/clock.breached/team-\(UUID().uuidString)", type: .clockBreached, escalation: 1,
                                             channel: .webhook, recipient: "team", accountID: "RED-1", accountName: "Red", clock: "triage_call",
                                             due: t, text: text, markdown: text, intendedAt: t, createdAt: t)])
        let claimed = try store.claimOutbox(now: t, lease: .seconds(60), limit: 10)
        for m in claimed { try store.failOutbox(id: m.id, error: "POST http://hooks: HTTP 500", retryAt: nil) }
        return try #require(claimed.last?.id)
    }

    func cli(_ args: [String]) -> (code: Int32, out: String) {
        var out = ""
        let clock = self.clock
        let ctx = Context(now: { clock.now }, environment: [:], stdoutIsTTY: false, stderrIsTTY: false, out: { out += $0 }, err: { _ in },
                          readStdin: { "" }, loginName: "tester")
        return (DefuseCLI.run(["--db", db] + args, context: ctx), out)
    }

    func call(_ method: String, _ path: String, as user: String? = "kim", query: [String: String] = [:], body: String? = nil,
              bytes: [UInt8]? = nil, headers: [String: String] = [:]) -> HTTPResponse {
        var h = headers
        if let user { h["authorization"] = "Bearer \(tokens[user] ?? "nope")" }
        return app.handle(HTTPRequest(method: method, path: path, query: query, headers: h, body: bytes ?? Array((body ?? "").utf8)))
    }

    func json(_ r: HTTPResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(r.body))) as? [String: Any] ?? [:]
    }

    /// Opens E-1 on YEL-1 through the API.
    func openEscalation() -> HTTPResponse {
        call("POST", "/api/escalations", body: #"{"account_id": "YEL-1", "channel": "slack", "text": "We will post this", "at": "2026-03-06T11:00:00Z", "reach": 300}"#)
    }
}

@Suite("JSON API, in-process")
struct APITests {
    @Test("healthz is open; everything under /api needs a token")
    func auth() throws {
        let f = try APIFixture()
        #expect(f.call("GET", "/healthz", as: nil).status == 200)
        let none = f.call("GET", "/api/report", as: nil)
        #expect(none.status == 401)
        #expect(f.json(none)["error"] as? String != nil)
        #expect(none.headers.contains { $0.0 == "WWW-Authenticate" })
        #expect(f.call("GET", "/api/report", as: nil, headers: ["authorization": "Bearer dfs_madeup"]).status == 401)
        #expect(f.call("GET", "/api/report", as: "vic").status == 200)
        #expect(f.cli(["token", "revoke", f.tokens["vic"] ?? ""]).code == 0)
        #expect(f.call("GET", "/api/report", as: "vic").status == 401, "a revoked token stops working")
    }

    @Test("the report is the CLI's JSON, with as_of and level")
    func report() throws {
        let f = try APIFixture()
        let r = f.call("GET", "/api/report", query: ["as_of": "2026-11-15T12:00:00Z", "level": "all"])
        let cli = f.cli(["report", "--as-of", "2026-11-15T12:00:00Z", "--level", "all", "--format", "json"]).out
        #expect(r.bodyText == cli)
        #expect(f.call("GET", "/api/report", query: ["as_of": "soon"]).status == 400)
        #expect(f.call("GET", "/api/report", query: ["level": "red"]).status == 400)
        #expect(f.call("POST", "/api/report").status == 405)
    }

    @Test("an account with its evidence; an unknown one is 404")
    func account() throws {
        let f = try APIFixture()
        let r = f.call("GET", "/api/accounts/RED-1", query: ["as_of": "2026-11-15T12:00:00Z"])
        #expect(r.status == 200)
        #expect(f.json(r)["flags"] as? [String] == ["consecutive_detractors", "open_tickets"])
        #expect(f.call("GET", "/api/accounts/NOPE").status == 404)
    }

    @Test("open, log, show, list and draft an escalation")
    func escalationFlow() throws {
        let f = try APIFixture()
        let opened = f.openEscalation()
        #expect(opened.status == 201)
        #expect(f.json(opened)["id"] as? String == "E-1")
        let ack = f.call("POST", "/api/escalations/E-1/events", body: #"{"event": "ack", "at": "2026-03-06T11:10:00Z"}"#)
        #expect(ack.status == 201)
        let call = f.call("POST", "/api/escalations/E-1/events", body: #"{"event": "call_start", "at": "2026-03-06T11:12:00Z"}"#)
        #expect(call.status == 201)
        let note = f.call("POST", "/api/escalations/E-1/events", body: #"{"event": "note", "phase": "listen", "need_now": "a fix", "at": "2026-03-06T11:13:00Z"}"#)
        #expect(note.status == 201, "need_now for --need-now")
        let show = f.call("GET", "/api/escalations/E-1", query: ["as_of": "2026-03-06T11:30:00Z"])
        #expect(f.json(show)["state"] as? String == "triage_call")
        let list = f.call("GET", "/api/escalations", query: ["open": "true"])
        #expect((f.json(list)["escalations"] as? [[String: Any]])?.count == 1)
        let draft = f.call("GET", "/api/escalations/E-1/drafts/triage")
        #expect(draft.status == 200)
        #expect((f.json(draft)["html"] as? String)?.contains("<h1>") == true)
        #expect(f.call("GET", "/api/escalations/E-1/drafts/poem").status == 404)
        #expect(f.call("GET", "/api/escalations/E-9").status == 404)
    }

    @Test("bad input is 400, refusals 409, roles 403", arguments: [
        ("kim", #"{"event": "dance"}"#, 400),
        ("kim", #"{"event": "ack", "owner": "x"}"#, 400),
        ("kim", #"{"event": "commitment", "text": "x", "owner": "y"}"#, 400),
        ("kim", #"{"event": "ack", "at": "2026-03-06T10:00:00Z"}"#, 400),
        ("kim", #"not json"#, 400),
        ("kim", #"{"event": "recap_sent"}"#, 409),
        ("kim", #"{"event": "concession", "kind": "refund", "amount": 100, "override": "vip"}"#, 409),
        ("lee", #"{"event": "concession", "kind": "refund", "amount": 100, "override": "vip"}"#, 201),
        ("vic", #"{"event": "ack"}"#, 403),
        ("kim", #"{"event": "ceo_decision"}"#, 403),
        ("eve", #"{"event": "ceo_decision"}"#, 409),
    ] as [(String, String, Int)])
    func statuses(user: String, body: String, status: Int) throws {
        let f = try APIFixture()
        #expect(f.openEscalation().status == 201)
        let r = f.call("POST", "/api/escalations/E-1/events", as: user, body: body)
        #expect(r.status == status, "\(r.bodyText)")
        if status != 201 { #expect(f.json(r)["error"] as? String != nil) }
    }

    @Test("imports: all or nothing, with the errors listed")
    func imports() throws {
        let f = try APIFixture()
        let bad = f.call("POST", "/api/imports", body: "account_id,name,arr_usd\nNEW-1,New,5\nNEW-2,,-1\n", headers: ["content-type": "text/csv"])
        #expect(bad.status == 400)
        let errors = f.json(bad)["errors"] as? [[String: Any]]
        #expect(errors?.map { $0["column"] as? String } == ["name", "arr_usd"])
        #expect(errors?.first?["line"] as? Int == 3)
        #expect(f.call("GET", "/api/accounts/NEW-1").status == 404, "nothing imported")
        let good = f.call("POST", "/api/imports", body: "account_id,name,arr_usd\nNEW-1,New,5\n")
        #expect(good.status == 200)
        #expect(f.json(good)["added"] as? Int == 1)
        #expect(f.call("POST", "/api/imports", as: "vic", body: "account_id,name,arr_usd\nNEW-3,New,5\n").status == 403)
    }

    @Test("users: managers only")
    func users() throws {
        let f = try APIFixture()
        #expect(f.call("GET", "/api/users", as: "kim").status == 403)
        #expect(f.call("GET", "/api/users", as: "lee").status == 200)
        #expect(f.call("POST", "/api/users", as: "lee", body: #"{"name": "ana", "role": "csm", "password": "long enough"}"#).status == 201)
        #expect(f.call("POST", "/api/users", as: "lee", body: #"{"name": "ana", "role": "boss"}"#).status == 400)
        #expect(f.call("POST", "/api/users", as: "lee", body: #"{"name": "ana", "role": "csm", "password": "short"}"#).status == 400)
    }

    @Test("unknown routes are 404 JSON; every answer carries the security headers")
    func headers() throws {
        let f = try APIFixture()
        let r = f.call("GET", "/api/nothing")
        #expect(r.status == 404)
        for name in ["X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy"] {
            #expect(r.headers.contains { $0.0 == name })
        }
    }
}

@Suite("HTTP server over a socket")
struct ServerTests {
    struct Echo: HTTPHandler {
        func handle(_ r: HTTPRequest) -> HTTPResponse {
            .text(200, "\(r.method) \(r.path) q=\(r.query["q"] ?? "") h=\(r.header("x-test") ?? "") body=\(r.body.count)")
        }
    }

    @Test("libmicrohttpd serves requests with bodies and keeps connections alive; oversize bodies get 413")
    func socket() throws {
        let server = HTTPServer(handler: Echo(), maxBodyBytes: 1000)
        let port = try server.start(host: "127.0.0.1", port: 0, threads: 2)
        defer { server.stop() }
        func curl(_ args: [String]) throws -> String {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            p.arguments = ["-s", "-w", " %{http_code} %{num_connects}"] + args
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        let url = "http://127.0.0.1:\(port)/a/b?q=1"
        #expect(try curl(["-H", "X-Test: yes", "-d", "hello", url]) == "POST /a/b q=1 h=yes body=5 200 1")
        #expect(try curl([url, url]).hasSuffix("GET /a/b q=1 h= body=0 200 0"), "the second request reuses the connection")
        #expect(try curl(["-d", String(repeating: "x", count: 2000), url]).contains("413"))
    }
}

@Suite("OpenAPI conformance")
struct OpenAPITests {
    func document() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(WebApp.openAPIDocument.utf8)) as? [String: Any])
    }

    @Test("the document names exactly the routes the app answers")
    func sameRoutes() throws {
        let paths = try #require(try document()["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, ops in ops.keys.map { "\($0.uppercased()) \(path)" } })
        let routed = Set(WebApp.routes.map { "\($0.method) \($0.path)" })
        #expect(documented == routed)
    }

    @Test("every documented route answers, and with a status the document lists")
    func everyRouteAnswers() throws {
        let f = try APIFixture()
        #expect(f.openEscalation().status == 201)
        let dead = try f.seedDeadLetter()
        let pdf = "%PDF-1.4\n% a tiny document\n"
        let paths = try #require(try document()["paths"] as? [String: [String: Any]])
        let bodies = ["/api/imports": "account_id,name,arr_usd\nNEW-1,New,5\n", "/api/escalations": #"{"account_id": "YEL-1", "channel": "email", "text": "x"}"#,
                      "/api/escalations/{id}/events": #"{"event": "ack"}"#, "/api/users": #"{"name": "ana", "role": "csm"}"#,
                      "/api/escalations/{id}/evidence": pdf]
        // The download needs a filed item: the evidence POST comes first.
        #expect(f.call("POST", "/api/escalations/E-1/evidence", as: "lee", body: pdf).status == 201)
        for (path, ops) in paths {
            for (method, op) in ops {
                let id = path.contains("accounts") ? "RED-1" : path.contains("outbox") ? "\(dead)" : "E-1"
                let concrete = path.replacing("{id}", with: id).replacing("{kind}", with: "recap")
                    .replacing("{sha256}", with: Crypto.sha256Hex(Array(pdf.utf8)))
                let r = f.call(method.uppercased(), concrete, as: "lee", body: method == "post" ? bodies[path] : nil)
                let listed = ((op as? [String: Any])?["responses"] as? [String: Any])?.keys.map { $0 } ?? []
                #expect(listed.contains(String(r.status)), "\(method.uppercased()) \(concrete) answered \(r.status), not in \(listed.sorted())")
                #expect(r.status < 300, "\(method.uppercased()) \(concrete): \(r.bodyText.prefix(200))")
            }
        }
    }

    @Test("metrics need a token and count requests per route")
    func metrics() throws {
        let f = try APIFixture()
        #expect(f.call("GET", "/metrics", as: nil).status == 401)
        _ = f.call("GET", "/api/accounts/RED-1")
        let text = f.call("GET", "/metrics").bodyText
        #expect(text.contains("defuse_requests_total{route=\"/api/accounts/{id}\"} 1"))
        #expect(text.contains("defuse_open_escalations 0"))
    }
}

@Suite("Answers reused until the data changes")
struct FreshCacheTests {
    @Test("an account answer is reused within its second, and never after a commit by anyone (this server, the CLI); a revoked token stops at once")
    func invalidation() throws {
        let f = try APIFixture()
        let first = f.call("GET", "/api/accounts/RED-1")
        #expect(first.status == 200)
        #expect(f.call("GET", "/api/accounts/RED-1").body == first.body)
        // A commit through another connection (the CLI, in-process here) shows at once.
        #expect(f.cli(["esc", "open", "--account", "RED-1", "--channel", "email", "--text", "cache check"]).code == 0)
        let after = f.call("GET", "/api/accounts/RED-1")
        #expect(after.body != first.body && after.bodyText.contains("\"id\": \"E-1\""))
        // A write through this server too.
        #expect(f.call("POST", "/api/escalations/E-1/events", body: #"{"event": "call_start"}"#).status == 201)
        #expect(f.call("GET", "/api/accounts/RED-1").bodyText.contains("\"state\": \"triage_call\""))
        // The next second is a new answer even without writes.
        let t = f.clock.now
        f.clock.now = t + .seconds(1)
        #expect(f.json(f.call("GET", "/api/accounts/RED-1"))["as_of"] as? String == ISO8601.format(Timestamp(seconds: t.unixSeconds + 1)))
        #expect(f.call("GET", "/api/report", as: "vic").status == 200)
        #expect(f.cli(["token", "revoke", f.tokens["vic"] ?? ""]).code == 0)
        #expect(f.call("GET", "/api/report", as: "vic").status == 401)
        #expect(f.cli(["user", "add", "kim", "--role", "viewer"]).code == 0)
        #expect(f.call("POST", "/api/escalations/E-1/events", as: "kim", body: #"{"event": "ack"}"#).status == 403, "a role change applies at once")
    }
}
