import DefuseCLI
import DefuseDomain
import DefuseHTTP
import DefuseWeb
import Foundation
import Testing

/// A browser's view of the app, in-process: a session cookie and the CSRF token of the last page.
final class Browser {
    let f: APIFixture
    var cookie: String?

    init(_ f: APIFixture) { self.f = f }

    func get(_ path: String) -> HTTPResponse { send("GET", path, body: "") }

    func post(_ path: String, _ form: [String: String]) -> HTTPResponse {
        let body = form.map { "\(enc($0.key))=\(enc($0.value))" }.joined(separator: "&")
        return send("POST", path, body: body)
    }

    func enc(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s }

    func send(_ method: String, _ path: String, body: String) -> HTTPResponse {
        var headers = ["content-type": "application/x-www-form-urlencoded"]
        if let cookie { headers["cookie"] = "defuse_session=\(cookie)" }
        let r = f.app.handle(HTTPRequest(method: method, path: path, headers: headers, body: Array(body.utf8)))
        if let set = r.headers.first(where: { $0.0 == "Set-Cookie" })?.1, let v = set.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last {
            cookie = v.isEmpty ? nil : String(v)
        }
        return r
    }

    /// The CSRF token in a page's forms.
    func csrf(_ page: String) -> String {
        let html = get(page).bodyText
        guard let r = html.range(of: #"name="csrf" value=""#) else { return "" }
        return String(html[r.upperBound...].prefix { $0 != "\"" })
    }

    func login(_ user: String, _ password: String) -> HTTPResponse { post("/login", ["user": user, "password": password]) }
}

@Suite("Pages")
struct PageTests {
    let payload = "<script>alert('x')</script>\"&"

    func signedIn() throws -> (APIFixture, Browser) {
        let f = try APIFixture()
        _ = f.cli(["user", "add", "pam", "--role", "manager"])
        let ctx = Context(now: { Timestamp(micros: 0) }, environment: [:], stdoutIsTTY: false, stderrIsTTY: false, out: { _ in }, err: { _ in },
                          readStdin: { "correct horse" }, loginName: "t")
        #expect(DefuseCLI.run(["--db", f.db, "user", "passwd", "pam"], context: ctx) == 0)
        let b = Browser(f)
        #expect(b.login("pam", "correct horse").status == 303)
        return (f, b)
    }

    @Test("pages redirect to /login without a session; a wrong password is refused; a good one signs in")
    func loginFlow() throws {
        let (f, _) = try signedIn()
        let b = Browser(f)
        for page in ["/", "/accounts/RED-1", "/escalations/new", "/import", "/escalations/E-1"] {
            let r = b.get(page)
            #expect(r.status == 303 && r.headers.contains { $0 == ("Location", "/login") }, "\(page)")
        }
        #expect(b.get("/login").status == 200)
        #expect(b.login("pam", "wrong password").status == 401)
        #expect(b.cookie == nil)
        let ok = b.login("pam", "correct horse")
        #expect(ok.status == 303)
        let set = ok.headers.first { $0.0 == "Set-Cookie" }?.1 ?? ""
        #expect(set.contains("HttpOnly") && set.contains("SameSite=Strict"))
        #expect(b.get("/").status == 200)
        #expect(b.post("/logout", ["csrf": b.csrf("/")]).status == 303)
        #expect(b.get("/").status == 303, "signed out")
    }

    @Test("login attempts are rate-limited")
    func rateLimit() throws {
        let (f, _) = try signedIn()
        let b = Browser(f)
        for _ in 0..<10 { #expect(b.login("pam", "nope nope").status == 401) }
        #expect(b.login("pam", "correct horse").status == 429)
    }

    @Test("a form without its CSRF token is refused and changes nothing")
    func csrf() throws {
        let (f, b) = try signedIn()
        #expect(b.post("/escalations/new", ["account_id": "YEL-1", "channel": "slack", "text": "x"]).status == 403)
        #expect(b.post("/escalations/new", ["account_id": "YEL-1", "channel": "slack", "text": "x", "csrf": "0000"]).status == 403)
        #expect(f.call("GET", "/api/escalations").bodyText.contains("E-1") == false)
        let ok = b.post("/escalations/new", ["account_id": "YEL-1", "channel": "slack", "text": "x", "csrf": b.csrf("/escalations/new")])
        #expect(ok.status == 303)
        #expect(ok.headers.contains { $0 == ("Location", "/escalations/E-1") })
    }

    @Test("an XSS payload in a customer name, a ticket subject and the threat text comes out escaped on every page")
    func xss() throws {
        let (f, b) = try signedIn()
        let csv = "account_id,name,arr_usd\nXSS-1,\"\(payload.replacing("\"", with: "\"\""))\",999999\n"
        #expect(f.call("POST", "/api/imports", body: csv).status == 200)
        let tickets = "ticket_id,account_id,status,opened_at,subject\nTX,XSS-1,open,2026-01-01,\"\(payload.replacing("\"", with: "\"\""))\"\n"
        #expect(f.call("POST", "/api/imports", body: tickets).status == 200)
        let opened = b.post("/escalations/new", ["account_id": "XSS-1", "channel": "twitter", "text": payload, "csrf": b.csrf("/escalations/new")])
        #expect(opened.status == 303)
        #expect(b.post("/escalations/E-1/events", ["event": "note", "phase": "listen", "what_broke": payload, "csrf": b.csrf("/escalations/E-1")]).status == 409,
                "no call yet: refused, and the page with the error is shown")
        for page in ["/", "/accounts/XSS-1", "/escalations/E-1"] {
            let html = b.get(page).bodyText
            #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;"), "\(page) shows the escaped text")
            #expect(!html.contains("<script>alert"), "\(page) has no live script")
        }
    }

    @Test("the escalation page draws the flow, the clocks with countdowns, drafts and the event form; logging works")
    func escalationPage() throws {
        let (f, b) = try signedIn()
        #expect(f.openEscalation().status == 201)
        let html = b.get("/escalations/E-1").bodyText
        for part in ["class=\"flow\"", "<span class=\"now\">threatened</span>", "class=\"countdown", "acknowledge", "triage_call",
                     "<summary>triage</summary>", "data-copy=\"draft-triage\"", "action=\"/escalations/E-1/events\""] {
            #expect(html.contains(part), "missing \(part)")
        }
        let logged = b.post("/escalations/E-1/events", ["event": "call_start", "at": "2026-03-06T11:20:00Z", "csrf": b.csrf("/escalations/E-1")])
        #expect(logged.status == 303)
        #expect(b.get("/escalations/E-1").bodyText.contains("<span class=\"now\">triage call</span>"))
        let refused = b.post("/escalations/E-1/events", ["event": "ceo_decision", "csrf": b.csrf("/escalations/E-1")])
        #expect(refused.status == 409)
        #expect(refused.bodyText.contains("class=\"error\""))
    }

    @Test("the import page lists bad rows and imports nothing")
    func importPage() throws {
        let (f, b) = try signedIn()
        let bad = b.post("/import", ["csv": "account_id,name,arr_usd\nNEW-1,New,-5\n", "csrf": b.csrf("/import")])
        #expect(bad.status == 400)
        #expect(bad.bodyText.contains("pasted:2: arr_usd: must not be negative"))
        #expect(f.call("GET", "/api/accounts/NEW-1").status == 404)
        let good = b.post("/import", ["csv": "account_id,name,arr_usd\nNEW-1,New,5\n", "csrf": b.csrf("/import")])
        #expect(good.bodyText.contains("accounts: 1 added"))
    }

    @Test("the board's cached report is cleared by an import, so the new account shows at once")
    func boardAfterImport() throws {
        let (f, b) = try signedIn()
        #expect(!b.get("/").bodyText.contains("Fresh Red Co"))
        let tickets = (1...6).map { "FR-\($0),FRESH,open,2026-01-01" }.joined(separator: "\n")
        #expect(f.call("POST", "/api/imports", body: "account_id,name,arr_usd\nFRESH,Fresh Red Co,10\n").status == 200)
        #expect(f.call("POST", "/api/imports", body: "ticket_id,account_id,status,opened_at\n" + tickets + "\n").status == 200)
        #expect(b.get("/").bodyText.contains("Fresh Red Co"))
    }
}

@Suite("Notifications on the web")
struct NotificationPageTests {
    @Test("dead letters: on the board (escaped) with a retry for managers; the outbox API lists and retries; roles hold")
    func deadLetters() throws {
        let (f, b) = try PageTests().signedIn()
        #expect(f.openEscalation().status == 201)
        let id = try f.seedDeadLetter(text: "Acme <script>alert(1)</script>: late")
        let board = b.get("/").bodyText
        #expect(board.contains("1 notification could not be delivered"))
        #expect(board.contains("Acme &lt;script&gt;alert(1)&lt;/script&gt;: late") && !board.contains("<script>alert(1)"))
        #expect(board.contains("action=\"/outbox/\(id)/retry\""))
        // The escalation page lists what was sent (and what was not) about it.
        let page = b.get("/escalations/E-1").bodyText
        #expect(page.contains("Reminders sent") && page.contains("id=\"notifications\"") && page.contains(">dead<"))

        let listed = f.call("GET", "/api/outbox", as: "vic")
        #expect(listed.status == 200 && listed.bodyText.contains("\"state\": \"dead\""))
        #expect(f.call("GET", "/api/outbox", as: "vic", query: ["escalation": "E-1"]).bodyText.contains("\"escalation_id\": \"E-1\""))
        #expect(f.call("GET", "/api/outbox", as: "vic", query: ["escalation": "nope"]).status == 400)
        #expect(f.call("GET", "/api/outbox", as: "vic", query: ["all": "AAA"]).status == 400)
        #expect(f.call("GET", "/api/outbox", as: "vic", query: ["all": "true"]).status == 200)
        #expect(f.call("POST", "/api/outbox/\(id)/retry", as: "kim").status == 403)
        #expect(f.call("POST", "/api/outbox/\(id)/retry", as: nil).status == 401)
        // A manager sends it again from the board (with the form's CSRF token).
        let retried = b.post("/outbox/\(id)/retry", ["csrf": b.csrf("/")])
        #expect(retried.status == 303)
        #expect(!b.get("/").bodyText.contains("could not be delivered"))
        #expect(f.call("POST", "/api/outbox/\(id)/retry", as: "lee").status == 404)  // no longer dead
        #expect(f.call("POST", "/api/outbox/x/retry", as: "lee").status == 404)
    }
}
