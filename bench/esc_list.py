#!/usr/bin/env python3
"""Issue 3's benchmark: `esc list --open` over 10,000 open escalations, JSON and table, next to
the floor of reading the same event rows with the sqlite3 shell. The runs alternate (this VM's
speed drifts within a minute); wall times to the millisecond, medians and the spread recorded.
    bench/esc_list.py BIN DB AS_OF RUNS   ->  one line: json_ms table_ms sqlite_ms min max events rss_kib
"""
import os, resource, statistics, subprocess, sys, time

binary, db, as_of, runs = sys.argv[1], sys.argv[2], sys.argv[3], max(11, int(sys.argv[4]) * 5)
peer_sql = ("SELECT count(*), sum(length(v.fields)), sum(length(v.user)), sum(length(v.kind)), sum(v.at % 1000), "
            "sum(v.logged_at % 1000), sum(v.sequence), sum(e.account) "
            "FROM escalations e JOIN escalation_events v ON v.escalation = e.number")
commands = {
    "json": [binary, "--db", db, "esc", "list", "--open", "--as-of", as_of, "--format", "json"],
    "table": [binary, "--db", db, "esc", "list", "--open", "--as-of", as_of],
    "sqlite3": ["sqlite3", db, peer_sql],
}
times = {name: [] for name in commands}
for _ in range(runs):
    for name, cmd in commands.items():
        start = time.perf_counter()
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL if name == "sqlite3" else open(os.path.join(os.path.dirname(db) or ".", f"esc-list.{name}"), "wb"))
        times[name].append((time.perf_counter() - start) * 1000)
        if done.returncode != 0:
            sys.exit(f"{name} failed: exit {done.returncode}")
events = subprocess.run(["sqlite3", db, "SELECT count(*) FROM escalation_events"], capture_output=True, text=True).stdout.strip()
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
j = sorted(times["json"])
print(f"{statistics.median(j):.0f} {statistics.median(times['table']):.0f} {statistics.median(times['sqlite3']):.0f} "
      f"{j[0]:.0f} {j[-1]:.0f} {events} {rss} {runs}")
