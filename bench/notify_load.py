"""The scheduler under load: 10,000 open escalations whose recap warnings come due over one
minute, a real `defuse worker`, a real webhook receiver. Lateness of each warning is its
sent_at less its intended moment, from the outbox. Writes a section of BENCHMARKS.md.

usage: notify_load.py DEFUSE_BINARY WORKDIR [ESCALATIONS]
"""
import datetime, json, os, re, signal, sqlite3, subprocess, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BIN, WORK = sys.argv[1], sys.argv[2]
N = int(sys.argv[3]) if len(sys.argv) > 3 else 10_000
os.makedirs(WORK, exist_ok=True)
DB = f"{WORK}/notify-load.db"
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(DB + suffix):
        os.remove(DB + suffix)

received = [0]
class Hook(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        received[0] += 1
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a):
        pass
server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
threading.Thread(target=server.serve_forever, daemon=True).start()

subprocess.run([BIN, "--db", DB, "demo", "--accounts", str(N), "--escalations", "0", "--csv", f"{WORK}/notify-csv"],
               check=True, capture_output=True)
with open(f"{WORK}/defuse.conf", "w") as f:
    f.write(f"webhook.team.url = http://127.0.0.1:{server.server_address[1]}/hook\nwebhook.team.kind = slack\ndaily_report_at = 23:59\n")

# Each escalation: a threat, the call at once (acknowledge and call met), the call's end
# 90 minutes before its recap warning, which falls 20..80 s after the worker starts.
MICRO = 1_000_000
start = int(time.time()) + 20  # seeding and the worker's first plan come first
db = sqlite3.connect(DB)
accounts = [r[0] for r in db.execute("SELECT id FROM accounts ORDER BY id LIMIT ?", (N,))]
warn_at = []
with db:
    for i in range(N):
        w = start + 20 + (60 * i) // N
        call_end = (w - 90 * 60) * MICRO
        threat = call_end - 6 * 60 * MICRO
        warn_at.append(w)
        number = db.execute("INSERT INTO escalations (account, opened_at) VALUES (?, ?) RETURNING number",
                            (accounts[i % len(accounts)], threat)).fetchone()[0]
        for seq, (kind, at, fields) in enumerate([("threat", threat, "channel=twitter\ntext=We post the thread tonight"),
                                                   ("call_start", threat + 60 * MICRO, ""), ("call_end", call_end, "")], 1):
            db.execute("INSERT INTO escalation_events (escalation, sequence, kind, at, logged_at, user, fields) VALUES (?,?,?,?,?,?,?)",
                       (number, seq, kind, at, at, "kim", fields))
db.close()

worker = subprocess.Popen([BIN, "--db", DB, "--config", f"{WORK}/defuse.conf", "worker", "--quiet"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
deadline = max(warn_at) + 30
while time.time() < deadline and received[0] < N:
    time.sleep(0.5)
time.sleep(2)
worker.send_signal(signal.SIGTERM)
worker.communicate(timeout=60)

out = subprocess.run([BIN, "--db", DB, "--config", f"{WORK}/defuse.conf", "outbox", "--all", "--format", "json"],
                     capture_output=True, text=True, check=True).stdout
msgs = [m for m in json.loads(out)["messages"] if m["type"] == "clock.warning"]
def ts(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
late = sorted(ts(m["sent_at"]) - ts(m["intended_at"]) for m in msgs if m["sent_at"])
def pct(p):
    return late[min(len(late) - 1, int(p * len(late)))] if late else float("nan")
sent, total = len(late), len(msgs)
others = [m for m in json.loads(out)["messages"] if m["type"] != "clock.warning"]
section = f"""## Scheduler load ({datetime.date.today()})

`defuse worker` (release build) over {N:,} open escalations whose recap warnings come due across one minute, each sent to a
local webhook receiver (Python `http.server`). Lateness is a message's `sent_at` less its intended moment, from the outbox.

| warnings planned | sent | p50 late | p99 late | max late | other messages | target |
|---|---|---|---|---|---|---|
| {N:,} | {sent:,} of {total:,} queued | {pct(0.5):.2f} s | {pct(0.99):.2f} s | {late[-1] if late else float('nan'):.2f} s | {len(others)} | every warning within 5 s |
"""
path = "BENCHMARKS.md"
text = open(path).read() if os.path.exists(path) else "# Benchmarks\n\n"
text = re.sub(r"\n{3,}", "\n\n", re.sub(r"## Scheduler load \(.*?\)\n.*?(?=\n## |\Z)", "", text, flags=re.S)).rstrip() + "\n\n" + section
open(path, "w").write(text)
print(section)
sys.exit(0 if sent == N and total == N and late and late[-1] <= 5 else 1)
