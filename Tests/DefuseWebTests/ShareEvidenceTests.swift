import DefuseApp
import DefuseCLI
import DefuseCrypto
import DefuseDomain
import DefuseHTTP
import DefuseWeb
import Foundation
import Testing

/// An escalation on RED-1 with every kind of internal data, each a distinctive value, and the
/// three things the customer may see (listen and clarify notes, commitments, an update).
func fullEscalation(_ f: APIFixture) throws {
    func log(_ body: String, as user: String = "kim") {
        let r = f.call("POST", "/api/escalations/E-1/events", as: user, body: body)
        #expect(r.status == 201, "\(body): \(r.bodyText)")
    }
    #expect(f.call("POST", "/api/escalations", body: #"{"account_id": "RED-1", "channel": "twitter", "text": "INTERNAL-THREAT give us a refund or we post", "at": "2026-03-06T11:00:00Z", "reach": 20000}"#).status == 201)
    #expect(f.call("POST", "/api/escalations", body: #"{"account_id": "RED-1", "channel": "email", "text": "INTERNAL-OTHER-ESCALATION", "at": "2026-03-06T11:05:00Z"}"#).status == 201)
    log(#"{"event": "ack", "text": "INTERNAL-ACK", "at": "2026-03-06T11:02:00Z"}"#)
    log(#"{"event": "call_start", "at": "2026-03-06T11:10:00Z"}"#)
    log(#"{"event": "note", "phase": "opening", "text": "INTERNAL-OPENING-NOTE", "at": "2026-03-06T11:11:00Z"}"#)
    log(#"{"event": "note", "phase": "listen", "what_broke": "Exports time out at 5 pm", "need_now": "The board pack by Friday", "at": "2026-03-06T11:12:00Z"}"#)
    log(#"{"event": "note", "phase": "clarify", "text": "Only the EU region is affected", "at": "2026-03-06T11:13:00Z"}"#)
    log(#"{"event": "note", "phase": "commit", "text": "INTERNAL-COMMIT-NOTE", "at": "2026-03-06T11:14:00Z"}"#)
    for (n, text) in ["Ship the export fix", "Daily export report", "Review with your admin"].enumerated() {
        log(#"{"event": "commitment", "text": "\#(text)", "owner": "INTERNAL-OWNER@example.com", "due": "2026-03-1\#(n)", "at": "2026-03-06T11:1\#(5 + n):00Z"}"#)
    }
    log(#"{"event": "call_end", "at": "2026-03-06T11:30:00Z"}"#)
    log(#"{"event": "marker", "name": "hostile_reference", "at": "2026-03-06T11:31:00Z"}"#)
    log(#"{"event": "diagnosed", "text": "INTERNAL-DIAGNOSIS", "at": "2026-03-06T11:32:00Z"}"#)
    log(#"{"event": "recap_sent", "at": "2026-03-06T11:40:00Z"}"#)
    log(#"{"event": "ceo_briefed", "text": "INTERNAL-CEO-BRIEF", "at": "2026-03-06T11:41:00Z"}"#, as: "eve")
    log(#"{"event": "ceo_decision", "text": "INTERNAL-CEO-DECISION", "at": "2026-03-06T11:42:00Z"}"#, as: "eve")
    log(#"{"event": "concession", "kind": "credit", "amount": "4321.5", "override": "INTERNAL-OVERRIDE", "at": "2026-03-06T11:43:00Z"}"#, as: "lee")
    log(#"{"event": "public_post", "url": "https://x.example/INTERNAL-POST", "reach": 900, "at": "2026-03-06T11:44:00Z"}"#)
    log(#"{"event": "update_sent", "text": "The fix is in testing", "at": "2026-03-06T11:50:00Z"}"#)
    let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array("INTERNAL-PIXELS".utf8)
    let filed = f.call("POST", "/api/escalations/E-1/evidence", query: ["name": "INTERNAL-EVIDENCE.png", "note": "INTERNAL-EVIDENCE-NOTE"], bytes: png)
    #expect(filed.status == 201, "\(filed.bodyText)")
}

@Suite("The customer's share page")
struct SharePageTests {
    func link(_ f: APIFixture) throws -> String {
        let r = f.call("POST", "/api/escalations/E-1/share")
        #expect(r.status == 201)
        return try #require(f.json(r)["url"] as? String)
    }

    func path(_ url: String) -> String { String(url[try! #require(url.range(of: "/s/")).lowerBound...]) }

    @Test("shows what we heard, the commitments and the updates; no internal field, checked by value")
    func nothingInternal() throws {
        let f = try APIFixture(conf: "vendor_name = Contoso Support\nbase_url = https://defuse.example.com/\n")
        try fullEscalation(f)
        #expect(f.call("POST", "/api/escalations/E-1/events", body: #"{"event": "note", "phase": "listen", "expected": "<script>alert('x')</script>", "at": "2026-03-06T11:56:00Z"}"#).status == 201)
        let url = try link(f)
        #expect(url.hasPrefix("https://defuse.example.com/s/s") && url.count == "https://defuse.example.com/s/".count + 65)
        let page = f.app.handle(HTTPRequest(method: "GET", path: path(url)))
        #expect(page.status == 200)
        let html = page.bodyText
        for shown in ["Contoso Support", "Northwind, Inc.", "Exports time out at 5 pm", "The board pack by Friday", "Only the EU region is affected",
                      "Ship the export fix", "Daily export report", "Review with your admin", "by 2026-03-10", "The fix is in testing", "Next update by"] {
            #expect(html.contains(shown), "missing: \(shown)")
        }
        let hidden = ["INTERNAL-THREAT", "refund", "INTERNAL-OTHER-ESCALATION", "E-2", "INTERNAL-ACK", "INTERNAL-OPENING-NOTE", "INTERNAL-COMMIT-NOTE",
                        "INTERNAL-OWNER", "hostile", "INTERNAL-DIAGNOSIS", "INTERNAL-CEO-BRIEF", "INTERNAL-CEO-DECISION", "INTERNAL-OVERRIDE",
                        "4321", "4,321", "credit", "INTERNAL-POST", "INTERNAL-EVIDENCE", "INTERNAL-PIXELS", "evidence", "sha256", "flagship",
                        "press", "serial", "renewal", "ceo", "CEO", "concession", "marker", "risk", "kim", "lee", "eve", "E-1", "/escalations", "/api", "csrf"]
        for value in hidden { #expect(!html.contains(value), "the share page shows \(value)") }
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") || html.contains("&lt;script&gt;alert('x')&lt;/script&gt;"))
        #expect(!html.contains("<script>alert"))
        #expect(page.headers.contains { $0.0 == "Referrer-Policy" && $0.1 == "no-referrer" })
        #expect(page.headers.contains { $0.0 == "Content-Security-Policy" && $0.1.contains("script-src 'self'") && !$0.1.contains("unsafe-inline'; script") })
        #expect(!f.accessLog.joined().contains(path(url).dropFirst(3)), "the token is not written to the access log")
        // Its script is served without a session; nothing else is.
        #expect(f.app.handle(HTTPRequest(method: "GET", path: "/static/share.js")).status == 200)
        #expect(f.app.handle(HTTPRequest(method: "GET", path: "/static/app.js")).status == 303)
    }

    @Test("made-up, malformed and revoked tokens get the same 404, in about the same time; links expire 30 days after closed")
    func notFound() throws {
        let f = try APIFixture()
        try fullEscalation(f)
        let url = try link(f)
        let live = path(url)
        #expect(f.call("POST", "/api/escalations/E-1/share/revoke", as: "vic").status == 403)
        let second = try link(f)
        #expect(f.json(f.call("POST", "/api/escalations/E-1/share/revoke"))["revoked"] as? Int == 2)
        let madeUp = "/s/s" + String(repeating: "0", count: 64)
        var bodies = Set<String>()
        for p in [live, path(second), madeUp, "/s/nope", "/s/", "/s/\(live.dropFirst(3))x"] {
            let r = f.app.handle(HTTPRequest(method: "GET", path: p))
            #expect(r.status == 404, "\(p)")
            bodies.insert(r.bodyText)
        }
        #expect(bodies.count == 1)
        // Timing: the revoked and the made-up token take the same path (hash, one indexed lookup).
        func median(_ p: String) -> Double {
            var times: [Double] = []
            for _ in 0..<200 {
                let t0 = DispatchTime.now().uptimeNanoseconds
                _ = f.app.handle(HTTPRequest(method: "GET", path: p))
                times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            }
            return times.sorted()[100]
        }
        _ = median(madeUp)
        let (revoked, fake) = (median(live), median(madeUp))
        #expect(abs(revoked - fake) < 0.5, "revoked \(revoked) ms, made up \(fake) ms")

        // Expiry: resolved and closed, then 30 days.
        let third = path(try link(f))
        // (After the evidence, filed at the fixture's 12:00: the log keeps its order.)
        #expect(f.call("POST", "/api/escalations/E-1/events", body: #"{"event": "resolved", "at": "2026-03-06T12:00:00Z"}"#).status == 201)
        #expect(f.call("POST", "/api/escalations/E-1/events", body: #"{"event": "closed", "at": "2026-03-06T12:01:00Z"}"#).status == 201)
        f.clock.now = ts("2026-04-05T12:00:59Z")
        let page = f.app.handle(HTTPRequest(method: "GET", path: third))
        #expect(page.status == 200 && page.bodyText.contains("Closed."))
        f.clock.now = ts("2026-04-05T12:01:00Z")
        #expect(f.app.handle(HTTPRequest(method: "GET", path: third)).status == 404)
    }

    @Test("the public reply links to the live share page; without one it says how to make it")
    func publicDraft() throws {
        let f = try APIFixture()
        try fullEscalation(f)
        let before = f.json(f.call("GET", "/api/escalations/E-1/drafts/public"))["markdown"] as? String ?? ""
        #expect(before.contains("[timeline link: defuse esc share E-1]"))
        let url = try link(f)
        let after = f.json(f.call("GET", "/api/escalations/E-1/drafts/public"))["markdown"] as? String ?? ""
        #expect(after.contains("Timeline and updates: \(url)."))
        // The CLI prints the same link in its draft, and its own new link from `esc share`.
        #expect(f.cli(["esc", "draft", "E-1", "public"]).out.contains(url))
        let cliLink = f.cli(["esc", "share", "E-1"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(cliLink.hasPrefix("http://127.0.0.1:8080/s/s") && cliLink != url)
        #expect(f.cli(["esc", "draft", "E-1", "public"]).out.contains(cliLink), "the newest link")
        #expect(f.cli(["esc", "share", "E-1", "--revoke"]).code == 0)
        #expect(f.cli(["esc", "draft", "E-1", "public"]).out.contains("[timeline link: defuse esc share E-1]"))
        #expect(f.cli(["esc", "share", "E-9"]).code == 1)
    }
}

@Suite("The evidence locker")
struct EvidenceTests {
    let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]

    @Test("types by content: a PNG named .pdf is taken as a PNG; HTML named .png is 415; over the limit is 413; nothing is logged for either")
    func types() throws {
        let f = try APIFixture(conf: "evidence_max_mb = 0.001\n")  // 1,048 bytes
        #expect(f.openEscalation().status == 201)
        let ok = f.call("POST", "/api/escalations/E-1/evidence", query: ["name": "report.pdf"], bytes: png)
        #expect(ok.status == 201)
        let html = f.call("POST", "/api/escalations/E-1/evidence", query: ["name": "shot.png"], body: "<html><script>alert(1)</script>")
        #expect(html.status == 415 && f.json(html)["error"] as? String == "shot.png is not a PNG, JPEG, WebP or PDF (judged by its content, not its name)")
        let big = f.call("POST", "/api/escalations/E-1/evidence", query: ["name": "big.png"], bytes: png + [UInt8](repeating: 0, count: 1100))
        #expect(big.status == 413)
        for (bytes, kind) in [([0xFF, 0xD8, 0xFF, 0xE0] as [UInt8], EvidenceFile.Kind.jpeg), (Array("RIFF\0\0\0\0WEBPVP8 ".utf8), .webp),
                              (Array("%PDF-1.7".utf8), .pdf), (png, .png)] {
            #expect(EvidenceFile.sniff(bytes) == kind)
        }
        #expect(EvidenceFile.sniff(Array("RIFF\0\0\0\0WAVE".utf8)) == nil)
        #expect(EvidenceFile.sniff([]) == nil)
        let events = (f.json(f.call("GET", "/api/escalations/E-1"))["events"] as? [[String: Any]] ?? []).filter { $0["event"] as? String == "evidence" }
        #expect(events.count == 1)
        #expect(f.call("POST", "/api/escalations/E-1/evidence", as: "vic", bytes: png).status == 403)
        #expect(f.call("POST", "/api/escalations/E-1/events", body: #"{"event": "evidence", "file": "x.png"}"#).status == 400, "evidence needs the file")
    }

    @Test("hostile names are stored safely; downloads need a login and come with safe headers; the post-mortem lists the hash")
    func names() throws {
        let f = try APIFixture()
        #expect(f.openEscalation().status == 201)
        let nasty = ["../../etc/passwd": "passwd", "..\\..\\boot.ini": "boot.ini", "a\u{0}b\nc\r.png": "a_b_c_.png",
                     "\"><img src=x onerror=alert(1)>.png": "___img src=x onerror=alert(1)_.png", "...": "evidence", "": "evidence"]
        for (i, (name, _)) in nasty.enumerated() {
            var bytes = png
            bytes.append(UInt8(i))
            #expect(f.call("POST", "/api/escalations/E-1/evidence", query: ["name": name], bytes: bytes).status == 201)
        }
        let events = (f.json(f.call("GET", "/api/escalations/E-1"))["events"] as? [[String: Any]] ?? []).filter { $0["event"] as? String == "evidence" }
        let stored = Set(events.compactMap { ($0["fields"] as? [String: Any])?["file"] as? String })
        #expect(stored == Set(nasty.values), "\(stored)")
        // Only the locker holds the files, under their hashes.
        let locker = EvidenceLocker(config: Configuration(), storeLocation: f.db)
        let files = try FileManager.default.subpathsOfDirectory(atPath: locker.directory).filter { !$0.hasSuffix("/") && $0.count > 3 }
        #expect(files.count == nasty.count && files.allSatisfy { $0.split(separator: "/").last?.count == 64 })
        #expect(!FileManager.default.fileExists(atPath: f.dir + "/../etc/passwd"))

        let sha = Crypto.sha256Hex(png + [0])
        #expect(f.call("GET", "/api/escalations/E-1/evidence/\(sha)", as: nil).status == 401)
        let got = f.call("GET", "/api/escalations/E-1/evidence/\(sha)", as: "vic")
        #expect(got.status == 200 && got.body == png + [0])
        #expect(got.headers.contains { $0.0 == "Content-Type" && $0.1 == "image/png" })
        #expect(got.headers.contains { $0.0 == "Content-Disposition" && $0.1.hasPrefix("attachment; filename=\"") })
        #expect(got.headers.contains { $0.0 == "Content-Security-Policy" && $0.1.contains("sandbox") })
        #expect(f.call("GET", "/api/escalations/E-1/evidence/\(String(repeating: "a", count: 64))", as: "vic").status == 404)
        #expect(f.call("GET", "/api/escalations/E-1/evidence/..%2F..%2Fweb.db", as: "vic").status == 404)
        #expect(f.app.handle(HTTPRequest(method: "GET", path: "/escalations/E-1/evidence/\(sha)")).status == 303, "pages: to /login")

        let postmortem = f.json(f.call("GET", "/api/escalations/E-1/drafts/postmortem"))["markdown"] as? String ?? ""
        #expect(postmortem.contains("## Evidence locker: \(nasty.count) items") && postmortem.contains("`\(sha)`"))
    }

    @Test("esc log evidence --file and esc verify: intact, then a tampered file and a missing one are caught")
    func verify() throws {
        let f = try APIFixture()
        #expect(f.openEscalation().status == 201)
        let shot = f.dir + "/post.png", pdf = f.dir + "/thread.pdf"
        try Data(png).write(to: URL(fileURLWithPath: shot))
        try Data(Array("%PDF-1.4 thread".utf8)).write(to: URL(fileURLWithPath: pdf))
        #expect(f.cli(["esc", "log", "E-1", "evidence", "--file", shot, "--note", "the first post"]).code == 0)
        #expect(f.cli(["esc", "log", "E-1", "evidence", "--file", pdf]).code == 0)
        #expect(f.cli(["esc", "log", "E-1", "evidence", "--file", f.dir + "/nope.png"]).code == 1)
        let ok = f.cli(["esc", "verify", "E-1"])
        #expect(ok.code == 0 && ok.out.split(separator: "\n").count == 2 && ok.out.hasPrefix("ok "))
        let locker = EvidenceLocker(config: Configuration(), storeLocation: f.db)
        let target = locker.path(Crypto.sha256Hex(png))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: target)
        try Data(png + [9]).write(to: URL(fileURLWithPath: target))
        try FileManager.default.removeItem(atPath: locker.path(Crypto.sha256Hex(Array("%PDF-1.4 thread".utf8))))
        let bad = f.cli(["esc", "verify", "E-1"])
        #expect(bad.code == 1)
        #expect(bad.out.contains("CHANGED") && bad.out.contains("post.png") && bad.out.contains("MISSING") && bad.out.contains("thread.pdf"))
    }
}

func ts(_ s: String) -> Timestamp { ISO8601.parse(s) ?? Timestamp(micros: 0) }
