#!/usr/bin/env bash
# Issue 6's benchmark: import and report on PostgreSQL next to SQLite, and event appends per
# second with 2 servers x 32 clients on each backend. Called by scripts/bench with
# BIN DATA OUT AS_OF RUNS; prints one line of results for BENCHMARKS.md.
set -euo pipefail
BIN=$1 DATA=$2 OUT=$3 AS_OF=$4 RUNS=$5
scripts/postgres start >/dev/null 2>&1
median() { sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"; }
timeit() { /usr/bin/time -f "%e" -o $OUT/t "$@" >/dev/null 2>$OUT/err || { cat $OUT/err >&2; exit 1; }; cat $OUT/t; }
: > $OUT/pg-imp
for _ in $(seq $RUNS); do U=$(scripts/postgres fresh bench_import); timeit $BIN --db $U import $DATA >> $OUT/pg-imp; done
pg_imp=$(median < $OUT/pg-imp)
sq_imp=$(for _ in $(seq $RUNS); do rm -f $OUT/sq.db*; timeit $BIN --db $OUT/sq.db import $DATA; done | median)
pg_rep=$(for _ in $(seq $RUNS); do timeit $BIN --db $U report --as-of $AS_OF --format json --level all; done | median)
sq_rep=$(for _ in $(seq $RUNS); do timeit $BIN --db $OUT/sq.db report --as-of $AS_OF --format json --level all; done | median)
$BIN --db $U report --as-of $AS_OF --format json --level all > $OUT/pg-report.json
$BIN --db $OUT/sq.db report --as-of $AS_OF --format json --level all > $OUT/sq-report.json
cmp -s $OUT/pg-report.json $OUT/sq-report.json && same=yes || same=NO

# Appends: 1,000 open escalations, two servers, 32 connections each, 10 s.
appends() {  # $1: database; prints appends per second summed over both servers
  local db=$1
  $BIN --db $db demo --accounts 3000 --escalations 1000 --csv $OUT/append-csv >/dev/null
  $BIN --db $db user add benchbot --role csm >/dev/null
  export TOKEN=$($BIN --db $db token create --user benchbot 2>/dev/null)
  $BIN --db $db serve --port 18401 --quiet --no-worker >/dev/null 2>&1 & local a=$!
  $BIN --db $db serve --port 18402 --quiet --no-worker >/dev/null 2>&1 & local b=$!
  for p in 18401 18402; do for _ in $(seq 50); do curl -sf http://127.0.0.1:$p/healthz >/dev/null && break; sleep 0.1; done; done
  wrk -t1 -c32 -d10s -s bench/append.lua http://127.0.0.1:18401 > $OUT/wrk-a.txt &
  wrk -t1 -c32 -d10s -s bench/append.lua http://127.0.0.1:18402 > $OUT/wrk-b.txt
  wait %3 2>/dev/null || sleep 1
  kill -TERM $a $b; wait $a $b 2>/dev/null || true
  local ok=$(python3 - $OUT/wrk-a.txt $OUT/wrk-b.txt <<'PY'
import re, sys
total = 0.0
for p in sys.argv[1:]:
    t = open(p).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
    reqs = int(re.search(r"(\d+) requests in", t).group(1))
    total += rps * (1 - (int(bad.group(1)) / reqs if bad else 0))
print(f"{total:.0f}")
PY
)
  echo $ok
}
# The 200,000-account import database goes first: its autovacuum would run beside the appends.
scripts/postgres fresh bench_import >/dev/null
pg_app=$(appends $(scripts/postgres fresh bench_append))
rm -f $OUT/append.db*
sq_app=$(appends $OUT/append.db)
pg_events=$(/usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p 54329 -U postgres -d bench_append -tAc "SELECT count(*) FROM escalation_events WHERE kind = 'ack' AND fields = 'text=seen'")
echo "$pg_imp $sq_imp $pg_rep $sq_rep $same $pg_app $sq_app $pg_events"
