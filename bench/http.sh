#!/usr/bin/env bash
# Issue 4's benchmark: GET /api/accounts/ID with an API token against `defuse serve`, next to
# nginx serving the same JSON from a file on another loopback port; wrk, 2 threads, 64
# connections, 10 s a round, three rounds alternating the two (this VM's speed drifts), medians
# recorded in BENCHMARKS.md.   bench/http.sh BIN OUT AS_OF
set -euo pipefail
BIN=$1 OUT=$2 AS_OF=$3
HTTP_DB=$OUT/http.db
rm -f $HTTP_DB*
$BIN --db $HTTP_DB demo --accounts 3000 --csv $OUT/http-data --at $AS_OF >/dev/null
$BIN --db $HTTP_DB user add bench --role viewer >/dev/null
TOKEN=$($BIN --db $HTTP_DB token create --user bench 2>/dev/null)
ACCOUNT=$($BIN --db $HTTP_DB report --as-of $AS_OF --format csv | sed -n 2p | cut -d, -f1)
$BIN --db $HTTP_DB serve --port 18181 --quiet --no-worker >/dev/null 2>&1 &   # like nginx's access_log off
SERVE_PID=$!
NGX=$PWD/$OUT/nginx; mkdir -p $NGX
for _ in $(seq 50); do curl -sf http://127.0.0.1:18181/healthz >/dev/null && break; sleep 0.1; done
curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:18181/api/accounts/$ACCOUNT" > $NGX/account.json
cat > $NGX/nginx.conf <<NGINX
worker_processes 2;
pid $NGX/nginx.pid;
error_log $NGX/error.log;
events { worker_connections 1024; }
http { access_log off; server { listen 127.0.0.1:18182; root $NGX; location / { default_type application/json; } } }
NGINX
nginx -c $NGX/nginx.conf
sleep 0.5
for round in 1 2 3; do
  wrk -t2 -c64 -d10s --latency -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:18181/api/accounts/$ACCOUNT" > $OUT/wrk-defuse-$round.txt
  wrk -t2 -c64 -d10s --latency "http://127.0.0.1:18182/account.json" > $OUT/wrk-nginx-$round.txt
done
nginx -c $NGX/nginx.conf -s stop 2>/dev/null || true
kill -TERM $SERVE_PID; wait $SERVE_PID || true
python3 - $OUT "$(wc -c < $NGX/account.json)" <<'PY'
import sys, re, os, datetime, statistics
out, size = sys.argv[1], sys.argv[2]
def read(p):
    t = open(p).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", t)
    return rps, float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
d = [read(f"{out}/wrk-defuse-{r}.txt") for r in (1, 2, 3)]
n = [read(f"{out}/wrk-nginx-{r}.txt") for r in (1, 2, 3)]
med = lambda xs: statistics.median(xs)
dr, dp, nr, np_ = med([x[0] for x in d]), med([x[1] for x in d]), med([x[0] for x in n]), med([x[1] for x in n])
rounds = ", ".join(f"{a[0]/b[0]*100:.0f}%" for a, b in zip(d, n))
section = f"""## HTTP ({datetime.date.today()})

`GET /api/accounts/ID` with an API token ({size} bytes of JSON), wrk 2 threads, 64 connections, three rounds of 10 s alternating defuse and nginx (which serves the same JSON from a file on another loopback port); medians:

| | requests/s | p99 |
|---|---|---|
| defuse serve | {dr:,.0f} | {dp:.1f} ms |
| nginx | {nr:,.0f} | {np_:.1f} ms |

defuse reaches {dr/nr*100:.0f}% of nginx's rate (rounds: {rounds}). Targets: at least 50%, p99 under 10 ms.
"""
path = "BENCHMARKS.md"
text = open(path).read() if os.path.exists(path) else "# Benchmarks\n\n"
text = re.sub(r"\n{3,}", "\n\n", re.sub(r"## HTTP \(.*?\)\n.*?(?=\n## |\Z)", "", text, flags=re.S)).rstrip() + "\n\n" + section
open(path, "w").write(text)
print(section)
PY
