"""Notifications against real receivers: an SMTP server (aiosmtpd) and an HTTP webhook
receiver that verifies the signature as notifications.md tells receivers to. Then the faults:
the SMTP server down for a while, and a worker killed with SIGKILL between claim and send.

usage: notify_test.py DEFUSE_BINARY OUTPUT_DIR
"""
import collections, datetime, email, email.policy, hashlib, hmac, json, os, shutil, signal, socket
import subprocess, sys, tempfile, threading, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checks import check, finish, free_port  # noqa: E402
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

DEFUSE = os.path.abspath(sys.argv[1])
OUT = sys.argv[2]
SECRET = "a-long-random-secret"


class Mailbox:
    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=email.policy.default)))
        return "250 OK"


class Hooks:
    """Receives webhook POSTs; checks each signature like a careful receiver would."""
    def __init__(self):
        self.posts = []  # (path, json, signature_ok)
        self.lock = threading.Lock()
        hooks = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                ok = None
                sig = self.headers.get("Defuse-Signature")
                if sig:
                    parts = dict(p.split("=", 1) for p in sig.split(","))
                    mac = hmac.new(SECRET.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
                    ok = hmac.compare_digest(mac, parts["v1"]) and abs(time.time() - int(parts["t"])) < 300
                with hooks.lock:
                    hooks.posts.append((self.path, json.loads(body), ok))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *a):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def desk(smtp_port, hook_port, extra=""):
    """A database with one account, a manager, and an escalation whose triage call is late."""
    d = tempfile.mkdtemp(prefix="defuse-notify-")
    with open(f"{d}/accounts.csv", "w") as f:
        f.write("account_id,name,arr_usd,csm,timezone\nACME,\"Acme, Inc.\",50000,kim@example.com,America/New_York\n")
    with open(f"{d}/defuse.conf", "w") as f:
        f.write(f"smtp_url = smtp://127.0.0.1:{smtp_port}\nsmtp_from = defuse@example.com\n"
                f"webhook.team.url = http://127.0.0.1:{hook_port}/signed\nwebhook.team.kind = signed\nwebhook.team.secret = {SECRET}\n"
                f"webhook.chat.url = http://127.0.0.1:{hook_port}/slack\nwebhook.chat.kind = slack\n"
                "daily_report_at = 00:00\n" + extra)
    run(d, "import", f"{d}/accounts.csv")
    run(d, "user", "add", "lee", "--role", "manager", "--email", "lee@example.com")
    at = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
    run(d, "esc", "open", "--account", "ACME", "--channel", "twitter", "--text", "Fix it or we post", "--at", at)
    return d


def run(d, *args, env=None, check_rc=True):
    p = subprocess.run([DEFUSE, "--db", f"{d}/defuse.db", *args], capture_output=True, text=True, env=env, timeout=120)
    if check_rc and p.returncode != 0:
        raise SystemExit(f"defuse {' '.join(args)} failed ({p.returncode}): {p.stderr}")
    return p



def delivery():
    # 20 minutes after the threat: the triage call's breach (CSM, manager, both channels) and
    # today's report (manager, both channels). The acknowledgement's warning is 25 minutes away.
    print("-- delivery to a real SMTP server and webhook receiver")
    mailbox, hooks = Mailbox(), Hooks()
    smtp_port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    d = desk(smtp_port, hooks.port)
    p = run(d, "worker", "--once")
    # 3 mails (CSM and manager: the breach; manager: the report) and 2 posts on each of the 2 webhooks.
    check(p.stdout.startswith("7 queued, 7 sent, 0 failed"), f"worker --once: {p.stdout.strip()}")
    controller.stop()
    mails = {m["X-Defuse-Key"]: (rcpt, m) for rcpt, m in mailbox.messages}
    check(sorted(mails) == sorted(["E-1/triage_call/clock.breached/kim@example.com", "E-1/triage_call/clock.breached/lee@example.com",
                                   f"report.daily/{datetime.date.today().isoformat()}/lee@example.com"]),
          f"one mail per recipient: {sorted(mails)}")
    rcpt, m = mails.get("E-1/triage_call/clock.breached/kim@example.com", (None, None))
    if m is not None:
        check(rcpt == ["kim@example.com"] and "kim@example.com" in str(m["To"]), f"the CSM's mail goes to the CSM: {rcpt} {m['To']}")
        check(m["Subject"].startswith("[Defuse] Acme, Inc.: triage call is late"), f"subject names account and clock: {m['Subject']}")
        check(m["From"].endswith("<defuse@example.com>"), "from smtp_from")
        check(m.get_content_type() in ("multipart/mixed", "multipart/alternative"), f"multipart: {m.get_content_type()}")
        plain = m.get_body(preferencelist=("plain",))
        html = m.get_body(preferencelist=("html",))
        check(plain is not None and "triage call is late" in plain.get_content(), "a plain-text part with the line")
        check(html is not None and "<strong>" in html.get_content() and "defuse esc show E-1" in html.get_content(), "an HTML part from the Markdown")
    report = [m for k, (_, m) in mails.items() if k.startswith("report.daily/")]
    check(report and "Early-warning report" in report[0]["Subject"], "the daily report mail")
    signed = [p for p in hooks.posts if p[0] == "/signed"]
    check(len(signed) == 2 and all(p[2] for p in signed), "signed webhooks: two posts, each signature verifies")
    breach = next((p[1] for p in signed if p[1]["type"] == "clock.breached"), {})
    check(set(breach) >= {"type", "key", "escalation_id", "account_id", "account_name", "clock", "due", "sent_at", "text"}
          and breach.get("escalation_id") == "E-1" and breach.get("clock") == "triage_call" and breach.get("account_name") == "Acme, Inc.",
          f"signed JSON: {breach}")
    slack = [p[1] for p in hooks.posts if p[0] == "/slack"]
    check(len(slack) == 2 and all(list(s) == ["text"] for s in slack), f"slack-style: only text: {slack}")
    # Again: nothing new is sent.
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    p = run(d, "worker", "--once")
    controller.stop()
    check(p.stdout.startswith("0 queued, 0 sent"), f"a second run sends nothing: {p.stdout.strip()}")
    shutil.rmtree(d)


def smtp_outage():
    print("-- the SMTP server is down for a while, then returns")
    mailbox, hooks = Mailbox(), Hooks()
    smtp_port = free_port()
    d = desk(smtp_port, hooks.port)
    worker = subprocess.Popen([DEFUSE, "--db", f"{d}/defuse.db", "worker"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(7)  # the first attempt and the retry after 5 s both fail
    out = run(d, "outbox").stdout
    check("pending" in out and "E-1/triage_call/clock.breached/kim@" in out, "while down, the mails wait in the outbox")
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    deadline = time.time() + 40
    while time.time() < deadline and len(mailbox.messages) < 3:
        time.sleep(0.5)
    time.sleep(2)
    worker.send_signal(signal.SIGTERM)
    _, err = worker.communicate(timeout=30)
    controller.stop()
    counts = collections.Counter(m["X-Defuse-Key"] for _, m in mailbox.messages)
    check(len(counts) == 3 and set(counts.values()) == {1}, f"every mail arrived exactly once: {dict(counts)}")
    check("failed" in err, "the failed attempts were logged")
    check(worker.returncode == 0, "SIGTERM stops the worker cleanly")
    out = run(d, "outbox").stdout
    check(out.startswith("Nothing waiting"), f"the outbox is clear: {out.strip()}")
    shutil.rmtree(d)


def crash():
    print("-- a worker killed with SIGKILL between claiming and sending")
    mailbox, hooks = Mailbox(), Hooks()
    smtp_port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    d = desk(smtp_port, hooks.port, extra="outbox_lease = 2s\n")
    env = dict(os.environ, DEFUSE_FAULT="kill-after-claim")
    p = run(d, "worker", "--once", env=env, check_rc=False)
    check(p.returncode == -signal.SIGKILL, f"the worker died by SIGKILL ({p.returncode})")
    check(not mailbox.messages and not hooks.posts, "nothing was sent before it died")
    out = run(d, "outbox", "--format", "json").stdout
    check(all(m["state"] == "sending" for m in json.loads(out)["messages"]), "the claimed messages are visibly held")
    time.sleep(2.5)  # the lease runs out
    p = run(d, "worker", "--once")
    controller.stop()
    counts = collections.Counter(m["X-Defuse-Key"] for _, m in mailbox.messages)
    hook_counts = collections.Counter(p[1].get("key") for p in hooks.posts if p[0] == "/signed")
    check(len(counts) == 3 and set(counts.values()) == {1}, f"after the restart every mail went once: {dict(counts)}")
    check(len(hook_counts) == 2 and set(hook_counts.values()) == {1}, f"and every signed webhook once: {dict(hook_counts)}")
    shutil.rmtree(d)


def dead_letters():
    print("-- a receiver that keeps failing: parked as dead, listed, retried")
    hooks = Hooks()
    d = desk(free_port(), free_port(), extra="max_attempts = 1\n")  # nothing listens on either port
    run(d, "worker", "--once")
    out = run(d, "outbox").stdout
    check("dead" in out and "defuse outbox retry" in out, "dead letters are listed with what to do")
    dead = json.loads(run(d, "outbox", "--format", "json").stdout)["messages"]
    check(len(dead) == 7 and all(m["state"] == "dead" and m["last_error"] for m in dead), f"all 7 parked with their error")
    p = run(d, "outbox", "retry", str(dead[0]["id"]))
    check(p.returncode == 0, "outbox retry ID")
    p = run(d, "outbox", "retry", "99999", check_rc=False)
    check(p.returncode == 1 and "no dead message #99999" in p.stderr and "Traceback" not in p.stderr, "retry of an unknown id: one line, exit 1")
    shutil.rmtree(d)


os.makedirs(OUT, exist_ok=True)
delivery()
smtp_outage()
crash()
dead_letters()
finish("notification tests")
