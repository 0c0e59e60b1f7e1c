import DefuseDomain
import DefuseRender

/// The frame of every page: title, navigation, the signed-in user, one stylesheet.
enum Layout {
    static func page(_ title: String, user: String?, csrf: String?, @HTMLBuilder _ body: () -> Node) -> String {
        let doc = Node.fragment([.raw("<!doctype html>"), tag("html", ["lang": "en"]) {
            tag("head") {
                tag("meta", ["charset": "utf-8"])
                tag("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"])
                tag("title") { title + " · Defuse" }
                tag("style") { Node.raw(style) }
                if user != nil { tag("script", ["src": "/static/app.js", "defer": "defer"]) }
            }
            tag("body") {
                tag("header") {
                    tag("a", ["href": "/", "class": "brand"]) { "Defuse" }
                    if let user {
                        tag("nav") {
                            tag("a", ["href": "/"]) { "Board" }
                            tag("a", ["href": "/escalations/new"]) { "Open escalation" }
                            tag("a", ["href": "/import"]) { "Import" }
                            tag("form", ["method": "post", "action": "/logout", "class": "inline"]) {
                                hidden("csrf", csrf ?? "")
                                tag("button", ["type": "submit", "class": "link"]) { "Sign out \(user)" }
                            }
                        }
                    }
                }
                tag("main") { body() }
            }
        }])
        return doc.render()
    }

    static func hidden(_ name: String, _ value: String) -> Node {
        tag("input", ["type": "hidden", "name": name, "value": value])
    }

    static func field(_ label: String, _ name: String, type: String = "text", value: String = "", required: Bool = false, placeholder: String = "",
                      id: String? = nil) -> Node {
        let id = id ?? name
        var attrs: [(String, String)] = [("type", type), ("name", name), ("id", id), ("value", value)]
        if required { attrs.append(("required", "required")) }
        if !placeholder.isEmpty { attrs.append(("placeholder", placeholder)) }
        return tag("label", ["for": id]) {
            tag("span") { label }
            tag("input", attributes: attrs)
        }
    }

    static func select(_ label: String, _ name: String, _ options: [String], selected: String? = nil) -> Node {
        tag("label", ["for": name]) {
            tag("span") { label }
            tag("select", ["name": name, "id": name]) {
                for o in options {
                    tag("option", attributes: [("value", o)] + (o == selected ? [("selected", "selected")] : [])) { o.replacing("_", with: " ") }
                }
            }
        }
    }

    static func errorBox(_ message: String?) -> Node {
        guard let message else { return .empty }
        return tag("p", ["class": "error", "role": "alert"]) { message }
    }

    /// `<time>` that the page script turns into a live countdown.
    static func countdown(_ t: Timestamp, state: String) -> Node {
        tag("time", ["datetime": ISO8601.format(t), "class": "countdown \(state)", "data-state": state]) { short(t) }
    }

    /// `2026-03-05 14:20 UTC`: what a person reads; machines get ISO 8601 in the attribute.
    static func short(_ t: Timestamp) -> String {
        let c = t.utc
        func p(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(c.year)-\(p(c.month))-\(p(c.day)) \(p(c.hour)):\(p(c.minute)) UTC"
    }

    static let style = """
    :root{--red:#c73b3b;--yellow:#b7860b;--green:#2f7d4a;--ink:#1d2330;--mute:#667085;--line:#e4e6eb;--bg:#f6f7f9}
    *{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:var(--ink);background:var(--bg)}
    header{display:flex;align-items:center;gap:20px;padding:10px 20px;background:#1d2330;color:#fff;flex-wrap:wrap}
    header a{color:#fff;text-decoration:none}.brand{font-weight:700;font-size:18px}nav{display:flex;gap:16px;align-items:center;flex-wrap:wrap;margin-left:auto}
    main{max-width:1200px;margin:0 auto;padding:20px}h1{font-size:22px;margin:0 0 12px}h2{font-size:17px;margin:24px 0 8px}
    .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:16px}.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:14px 16px}
    table{width:100%;border-collapse:collapse;background:#fff}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:break-word}
    th{font-size:12px;color:var(--mute);text-transform:uppercase}.num{text-align:right;font-variant-numeric:tabular-nums}
    .pill{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;background:#eef0f5;margin:1px 2px 1px 0}
    .red{color:var(--red)}.yellow{color:var(--yellow)}.green{color:var(--green)}.pill.red{background:#fbe9e9}.pill.yellow{background:#fdf3dc}
    .breached{color:var(--red);font-weight:600}.pending{color:var(--yellow)}.met,.met_late{color:var(--mute)}
    form.stack label{display:block;margin:8px 0}form.stack span{display:block;font-size:13px;color:var(--mute)}
    input,select,textarea{font:inherit;padding:7px 9px;border:1px solid #cfd4dc;border-radius:6px;width:100%;max-width:520px;background:#fff}
    textarea{min-height:120px}button{font:inherit;padding:8px 14px;border:0;border-radius:6px;background:#2952cc;color:#fff;cursor:pointer}
    button.link{background:none;color:#fff;padding:0}.inline{display:inline}.error{background:#fbe9e9;border:1px solid #f1b5b5;padding:8px 12px;border-radius:6px}
    .flow{display:flex;gap:6px;flex-wrap:wrap;margin:8px 0 16px}.flow span{padding:4px 10px;border-radius:14px;background:#e9ecf2;font-size:13px}
    .flow span.now{background:#2952cc;color:#fff}.quote{border-left:3px solid #cfd4dc;padding-left:10px;color:#3b4252}
    .draft{background:#fff;border:1px solid var(--line);border-radius:8px;padding:8px 14px}.mute{color:var(--mute);font-size:13px}
    .card h2:first-child{margin-top:0}button.danger{background:#c73b3b}
    .phases{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:12px}.phase h3{font-size:15px;margin:0 0 4px}
    button.timer{background:#eef0f5;color:var(--ink);font-variant-numeric:tabular-nums}button.timer.running{background:#2952cc;color:#fff}button.timer.over{background:#c73b3b;color:#fff}
    #call-guide{margin:12px 0 16px}
    .thumbs{display:flex;flex-wrap:wrap;gap:10px}.thumbs figure{margin:0;width:170px;font-size:12px}
    .thumbs img{width:170px;height:110px;object-fit:cover;border:1px solid var(--line);border-radius:6px;background:#fff}
    .thumbs a.file{display:flex;align-items:center;justify-content:center;width:170px;height:110px;border:1px solid var(--line);border-radius:6px;background:#fff;font-weight:700;color:var(--mute);text-decoration:none}
    @media (max-width:700px){main{padding:12px}table{font-size:13px}th:nth-child(n+5),td:nth-child(n+5){display:none}}
    """

    static let script = """
    // Live countdowns for every <time class="countdown">: time left, or how late.
    function tick(){document.querySelectorAll('time.countdown').forEach(function(el){
      var due=Date.parse(el.getAttribute('datetime')),s=el.getAttribute('data-state');if(s!=='pending'&&s!=='breached')return;
      var d=Math.round((due-Date.now())/60000),a=Math.abs(d),txt=(a>=1440?Math.floor(a/1440)+'d '+Math.floor(a%1440/60)+'h':a>=60?Math.floor(a/60)+'h '+(a%60)+'m':a+'m');
      el.textContent=d>=0?'in '+txt:txt+' late';el.className='countdown '+(d>=0?'pending':'breached');});}
    tick();setInterval(tick,15000);
    document.querySelectorAll('button[data-copy]').forEach(function(b){b.addEventListener('click',function(){
      var t=document.getElementById(b.getAttribute('data-copy'));if(t&&navigator.clipboard){navigator.clipboard.writeText(t.value);b.textContent='Copied';}});});
    // Call guide timers: each phase counts down its time box; the start is kept across reloads.
    document.querySelectorAll('button.timer').forEach(function(b){
      var key='defuse-timer-'+b.getAttribute('data-key'),box=parseInt(b.getAttribute('data-minutes'),10)*60000;
      function show(){var s=localStorage.getItem(key);if(!s)return;var left=box-(Date.now()-parseInt(s,10)),a=Math.abs(left),m=Math.floor(a/60000),sec=Math.floor(a%60000/1000);
        b.textContent=(left<0?'over by ':'')+m+':'+(sec<10?'0':'')+sec;b.className='timer '+(left<0?'over':'running');}
      b.addEventListener('click',function(){if(localStorage.getItem(key)){localStorage.removeItem(key);b.className='timer';b.textContent='Start '+(box/60000)+':00';}else{localStorage.setItem(key,String(Date.now()));show();}});
      show();setInterval(show,1000);});
    // Evidence: the file goes as the request body, exactly as it is on disk.
    (function(){var box=document.getElementById('evidence-upload');if(!box)return;
      var send=document.getElementById('evidence-send'),input=document.getElementById('evidence-file'),status=document.getElementById('evidence-status');
      send.addEventListener('click',function(){var f=input.files[0];if(!f){status.textContent='Choose a file first.';return;}
        var note=document.getElementById('evidence-note').value,q='?name='+encodeURIComponent(f.name)+(note?'&note='+encodeURIComponent(note):'');
        status.textContent='Uploading…';
        fetch(box.getAttribute('data-action')+q,{method:'POST',body:f,credentials:'same-origin',headers:{'X-CSRF-Token':box.getAttribute('data-csrf'),'Content-Type':'application/octet-stream'}})
          .then(function(r){return r.json().then(function(j){if(r.ok){location.reload();}else{status.textContent=j.error||('Failed: '+r.status);}});})
          .catch(function(){status.textContent='The upload failed; try again.';});});})();
    """
}
