"""Two `defuse serve` processes on one PostgreSQL: 1,000 open escalations whose recap
warnings come due during the test, events logged through both servers at once, and one
server killed with SIGKILL mid-work. Every notification must go out (once per key; a repeat
on the wire is allowed only for a message the killed server had in flight), and every event
logged through either server must be in the log exactly once.

usage: two_servers_test.py DEFUSE_BINARY POSTGRES_URL
"""
import collections, json, os, random, signal, socket, subprocess, sys, tempfile, threading, time, urllib.request
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checks import check, finish, free_port  # noqa: E402
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DEFUSE, BASE = os.path.abspath(sys.argv[1]), sys.argv[2]
PSQL = "/usr/lib/postgresql/15/bin/psql"
N = 1000

server_url = BASE.rsplit("/", 1)[0]
db_name = "two_servers"
URL = f"{server_url}/{db_name}"
def psql(sql, db="postgres"):
    host = server_url.split("@")[1].split(":")[0]
    port = server_url.rsplit(":", 1)[1]
    p = subprocess.run([PSQL, "-h", host, "-p", port, "-U", "postgres", "-d", db, "-tAq", "-v", "ON_ERROR_STOP=1", "-f", "-"], input=sql,
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"psql failed: {p.stderr[:500]}")
    return p.stdout.strip()

psql(f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")
psql(f"CREATE DATABASE {db_name}")
work = tempfile.mkdtemp(prefix="defuse-two-")

received = collections.Counter()
lock = threading.Lock()
class Hook(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with lock:
            received[body["key"]] += 1
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a):
        pass
hooks = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
threading.Thread(target=hooks.serve_forever, daemon=True).start()

conf = f"{work}/defuse.conf"
with open(conf, "w") as f:
    f.write(f"webhook.team.url = http://127.0.0.1:{hooks.server_address[1]}/hook\nwebhook.team.kind = signed\n"
            "webhook.team.secret = a-long-random-secret\noutbox_lease = 4s\ndaily_report_at = 23:59\nteam_timezone = Pacific/Kiritimati\n")
def defuse(*args):
    p = subprocess.run([DEFUSE, "--db", URL, "--config", conf, *args], capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        sys.exit(f"defuse {' '.join(args)} failed: {p.stderr}")
    return p.stdout

defuse("demo", "--accounts", "400", "--escalations", "0", "--csv", f"{work}/csv")
defuse("user", "add", "bot", "--role", "csm")
token = defuse("token", "create", "--user", "bot").strip()

# 1,000 escalations: the call came and went, and each recap warning falls 15..45 s from now.
MICRO = 1_000_000
start = int(time.time()) + 15
rows = []
for i in range(N):
    warn = start + (30 * i) // N
    call_end = (warn - 90 * 60) * MICRO
    threat = call_end - 6 * 60 * MICRO
    rows.append((i + 1, threat, call_end))
sql = ["BEGIN;", "INSERT INTO escalations (number, account, opened_at) SELECT n, (SELECT id FROM accounts ORDER BY id OFFSET (n % 400) LIMIT 1), t FROM (VALUES "
       + ", ".join(f"({n}, {t})" for n, t, _ in rows) + ") v(n, t);"]
values = []
for n, t, e in rows:
    values += [f"({n}, 1, 'threat', {t}, {t}, 'kim', 'channel=twitter' || chr(10) || 'text=We post tonight')",
               f"({n}, 2, 'call_start', {t + 60 * MICRO}, {t + 60 * MICRO}, 'kim', '')", f"({n}, 3, 'call_end', {e}, {e}, 'kim', '')"]
sql.append('INSERT INTO escalation_events (escalation, sequence, kind, at, logged_at, "user", fields) VALUES ' + ", ".join(values) + ";")
sql.append(f"SELECT setval(pg_get_serial_sequence('escalations', 'number'), {N});")
sql.append("COMMIT;")
psql("\n".join(sql), db_name)
check(psql("SELECT count(*) FROM escalations", db_name) == str(N), f"{N} escalations seeded")

ports = [free_port(), free_port()]
servers = [subprocess.Popen([DEFUSE, "--db", URL, "--config", conf, "serve", "--port", str(p), "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for p in ports]
for p in ports:
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{p}/healthz", timeout=1)
            break
        except Exception:
            time.sleep(0.1)

# Events through both servers at once: 4 clients, notes with unique texts on random escalations.
logged, log_errors = [], []
def client(k):
    rnd = random.Random(k)
    i = -1
    while time.time() < start + 16:  # until well after the first server is killed
        i += 1
        port = ports[(k + i) % 2]
        text = f"client {k} note {i}"
        body = json.dumps({"event": "note", "phase": "listen", "text": text}).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/escalations/E-{rnd.randint(1, N)}/events", data=body, method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                if r.status == 201:
                    with lock:
                        logged.append(text)
        except Exception as e:
            if port == ports[0] and killed.is_set():
                continue  # the killed server: the client would retry elsewhere
            with lock:
                log_errors.append(str(e))
        time.sleep(0.3)
killed = threading.Event()
clients = [threading.Thread(target=client, args=(k,)) for k in range(4)]
for c in clients:
    c.start()

# Mid-work (a third of the warnings are out), the first server dies.
time.sleep(max(0, start + 10 - time.time()))
servers[0].send_signal(signal.SIGKILL)
killed.set()
print(f"killed the first server {time.time() - start:+.1f} s from the first warning, with {len(logged)} events logged", flush=True)
servers[0].wait()
for c in clients:
    c.join()
deadline = time.time() + 90
while time.time() < deadline and len(received) < N:
    time.sleep(0.5)
time.sleep(3)
servers[1].send_signal(signal.SIGTERM)
_, err = servers[1].communicate(timeout=60)

keys = [k for k in received if "/recap/clock.warning/" in k]
check(len(keys) == N, f"every recap warning arrived: {len(keys)} of {N}")
check(set(received) == set(keys), f"nothing else was sent: {sorted(set(received) - set(keys))[:3]}")
repeats = {k: c for k, c in received.items() if c > 1}
check(len(repeats) <= 1, f"no key repeated on the wire, but for what the killed server had in flight: {repeats}")
sent = psql("SELECT count(*) FROM outbox WHERE state = 'sent'", db_name)
check(psql("SELECT count(*) FROM outbox", db_name) == str(N) and sent == str(N), f"one outbox row per key, all sent ({sent})")
check(not log_errors, f"the live server answered every event: {log_errors[:2]}")
texts = collections.Counter(psql("SELECT fields FROM escalation_events WHERE kind = 'note'", db_name).replace("phase=listen\ntext=", "").splitlines())
check(set(logged) <= set(texts) and len(logged) > 150, f"every event acknowledged by either server is in the log: {len(logged)} acknowledged, {len(texts)} logged")
check(all(c == 1 for c in texts.values()), "and none twice")
check(psql("SELECT count(*) FROM (SELECT escalation, sequence FROM escalation_events GROUP BY 1, 2 HAVING count(*) > 1) d", db_name) == "0",
      "sequences unique per escalation")
check(servers[1].returncode == 0, "the surviving server stopped cleanly")
psql(f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")
finish("two-server test")
