import DefuseDomain
import DefuseRender

/// The customer's page: no login, no navigation, nothing internal. It is drawn from a
/// `CustomerView` alone, which holds only what the customer may see.
enum SharePage {
    static let csp = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    static func render(_ v: CustomerView) -> String {
        let doc = Node.fragment([.raw("<!doctype html>"), tag("html", ["lang": "en"]) {
            tag("head") {
                tag("meta", ["charset": "utf-8"])
                tag("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"])
                tag("meta", ["name": "robots", "content": "noindex, nofollow"])
                tag("meta", ["name": "referrer", "content": "no-referrer"])
                tag("title") { "\(v.vendor) · shared notes with \(v.customer)" }
                tag("style") { Node.raw(style) }
                tag("script", ["src": "/static/share.js", "defer": "defer"])
            }
            tag("body") {
                tag("header") { tag("strong") { v.vendor }; tag("span") { " · shared with \(v.customer)" } }
                tag("main", ["id": "live"]) { live(v) }
            }
        }])
        return doc.render()
    }

    /// The part that refreshes itself while the call runs.
    @HTMLBuilder static func live(_ v: CustomerView) -> Node {
        tag("p", ["class": "intro"]) {
            "This page is our shared record of the issue you raised on \(LocalTime.describe(v.openedAt, in: v.timeZone)). "
            "While we talk we write down what we heard from you and what we commit to, so you can check we got it right. "
            "It updates by itself; there is nothing to log in to."
        }
        tag("p", ["class": "status \(v.stage)"]) {
            switch v.stage {
            case "resolved": "Resolved. We will follow up to make sure it stays fixed."
            case "closed": "Closed. Thank you for working through this with us."
            default: v.nextUpdateDue.map { "Open. Next update by \(LocalTime.describe($0, in: v.timeZone))." } ?? "Open. We are on it now."
            }
        }
        tag("section") {
            tag("h2") { "What we heard" }
            if v.heard.isEmpty { tag("p", ["class": "mute"]) { "Nothing written down yet: we start when the call does." } }
            for h in v.heard {
                tag("div", ["class": "card heard"]) {
                    for line in h.lines { tag("p") { tag("b") { line.label + ": " }; line.text } }
                    tag("p", ["class": "mute"]) { LocalTime.describe(h.at, in: v.timeZone) }
                }
            }
        }
        tag("section") {
            tag("h2") { "What we committed to" }
            if v.commitments.isEmpty { tag("p", ["class": "mute"]) { "Our commitments, each with a date, will appear here." } }
            tag("ol", ["class": "commitments"]) {
                for c in v.commitments {
                    tag("li", ["class": c.done ? "done" : "open"]) {
                        tag("span") { c.text }
                        tag("span", ["class": "due"]) { "by \(c.due.description)" }
                        tag("span", ["class": "badge"]) { c.done ? "done" : "open" }
                    }
                }
            }
        }
        tag("section") {
            tag("h2") { "Updates" }
            if v.updates.isEmpty { tag("p", ["class": "mute"]) { "We send an update every two days at 17:00 your time until this is resolved." } }
            tag("ul") {
                for u in v.updates { tag("li") { LocalTime.describe(u.at, in: v.timeZone); u.text.map { ": \($0)" } ?? "" } }
            }
        }
        tag("p", ["class": "mute"]) { "Times are in \(v.timeZone). Last refreshed \(LocalTime.describe(v.asOf, in: v.timeZone))." }
    }

    static let style = """
    *{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1d2330;background:#f6f7f9}
    header{padding:14px 18px;background:#1d2330;color:#fff}main{max-width:760px;margin:0 auto;padding:18px}
    h2{font-size:18px;margin:22px 0 8px}.intro{color:#3b4252}.mute{color:#667085;font-size:14px}
    .status{font-weight:600;background:#fff;border:1px solid #e4e6eb;border-left:4px solid #2952cc;padding:10px 12px;border-radius:8px}
    .status.resolved,.status.closed{border-left-color:#2f7d4a}
    .card{background:#fff;border:1px solid #e4e6eb;border-radius:10px;padding:10px 14px;margin:8px 0}.card p{margin:4px 0}
    .commitments{padding-left:22px}.commitments li{background:#fff;border:1px solid #e4e6eb;border-radius:10px;padding:8px 12px;margin:8px 0}
    .commitments span{display:block}.due{color:#667085;font-size:14px}.badge{display:inline-block!important;font-size:13px;padding:0 10px;border-radius:10px;background:#fdf3dc;margin-top:4px}
    .done .badge{background:#e3f3e8;color:#2f7d4a}
    """

    /// Refreshes the live part every 5 s without reloading: the page is fetched again and its
    /// `main` swapped in when it changed (the server escaped every piece of text).
    static let script = """
    (function(){var live=document.getElementById('live');if(!live)return;
    function refresh(){fetch(location.href,{cache:'no-store',credentials:'omit'}).then(function(r){return r.ok?r.text():null}).then(function(html){
      if(!html)return;var doc=new DOMParser().parseFromString(html,'text/html'),next=doc.getElementById('live');
      if(next&&next.innerHTML!==live.innerHTML){live.replaceChildren.apply(live,Array.prototype.map.call(next.childNodes,function(n){return document.importNode(n,true)}));}
    }).catch(function(){});}
    setInterval(refresh,5000);})();
    """
}
