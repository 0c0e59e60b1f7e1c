"""The four early-warning flags of health-rules.md computed by DuckDB straight from the CSVs.

The benchmark's peer: the same work `defuse report --format json --level all` does, from the
same exports, written to a JSON file. Prints the summary counts so the bench can check both
tools agree. usage: duckdb_flags.py DATA_DIR AS_OF OUT_JSON
"""
import sys, time, duckdb

data, as_of, out = sys.argv[1], sys.argv[2], sys.argv[3]
t0 = time.perf_counter()
con = duckdb.connect()
con.execute("SET threads TO 2")
con.execute(f"SET VARIABLE t = TIMESTAMPTZ '{as_of}'")
csv = "read_csv('{}/{}', header=true, all_varchar=false, timestampformat='%Y-%m-%dT%H:%M:%SZ')"
con.execute(f"CREATE TEMP VIEW accounts AS SELECT * FROM {csv.format(data, 'accounts.csv')}")
con.execute(f"CREATE TEMP VIEW surveys AS SELECT * FROM {csv.format(data, 'surveys.csv')}")
con.execute(f"CREATE TEMP VIEW tickets AS SELECT * FROM {csv.format(data, 'tickets.csv')}")
con.execute(f"CREATE TEMP VIEW events AS SELECT * FROM {csv.format(data, 'events.csv')}")
query = """
WITH a AS (SELECT account_id, name, arr_usd, csm, CAST(onboarded_on AS TIMESTAMPTZ) AS onboarded FROM accounts),
answers AS (
  SELECT s.account_id, lower(s.kind) AS kind, s.score, CAST(s.responded_at AS TIMESTAMPTZ) AS ts
  FROM surveys s JOIN a USING (account_id)
  WHERE CAST(s.responded_at AS TIMESTAMPTZ) <= getvariable('t')
    AND (a.onboarded IS NULL OR CAST(s.responded_at AS TIMESTAMPTZ) >= a.onboarded)),
rounds AS (
  SELECT account_id, kind, year(timezone('UTC', ts)) * 4 + quarter(timezone('UTC', ts)) AS q,
         avg(score) < 7 AS detractor, max(ts) AS latest
  FROM answers GROUP BY ALL),
ranked AS (SELECT *, row_number() OVER (PARTITION BY account_id, kind ORDER BY q DESC) AS rn FROM rounds),
det AS (
  SELECT account_id, max(latest) AS newest FROM (
    SELECT account_id, kind, max(latest) FILTER (WHERE rn = 1) AS latest
    FROM ranked WHERE rn <= 2 GROUP BY account_id, kind HAVING count(*) = 2 AND bool_and(detractor))
  GROUP BY account_id),
unheard AS (SELECT account_id, max(latest) AS newest FROM rounds WHERE detractor GROUP BY account_id),
calls AS (SELECT account_id, max(CAST("at" AS TIMESTAMPTZ)) AS last_call FROM events
          WHERE kind = 'health_call' AND CAST("at" AS TIMESTAMPTZ) <= getvariable('t') GROUP BY account_id),
tk AS (
  SELECT account_id,
    count(*) FILTER (WHERE status IN ('new', 'open', 'pending', 'hold')) AS open_tickets,
    max(CASE WHEN status IN ('new', 'open', 'hold') THEN
          CASE WHEN last_agent_reply_at IS NULL OR CAST(last_agent_reply_at AS TIMESTAMPTZ) > getvariable('t')
                    OR CAST(last_agent_reply_at AS TIMESTAMPTZ) < c
               THEN epoch(getvariable('t')) - epoch(c) END END) / 86400.0 AS max_delay
  FROM (SELECT *, CASE WHEN last_customer_message_at IS NOT NULL AND CAST(last_customer_message_at AS TIMESTAMPTZ) <= getvariable('t')
                       THEN CAST(last_customer_message_at AS TIMESTAMPTZ) ELSE CAST(opened_at AS TIMESTAMPTZ) END AS c
        FROM tickets WHERE CAST(opened_at AS TIMESTAMPTZ) <= getvariable('t'))
  GROUP BY account_id),
sp AS (SELECT DISTINCT account_id FROM events WHERE kind = 'sponsor_change'
       AND CAST("at" AS TIMESTAMPTZ) > getvariable('t') - INTERVAL 90 DAY AND CAST("at" AS TIMESTAMPTZ) <= getvariable('t')),
flags AS (
  SELECT a.account_id, a.name, a.arr_usd, a.csm,
    det.account_id IS NOT NULL AS f1, coalesce(tk.open_tickets, 0) > 5 AS f2, coalesce(tk.max_delay, 0) > 30 AS f3,
    sp.account_id IS NOT NULL AS f4, coalesce(tk.open_tickets, 0) AS open_tickets, tk.max_delay,
    det.account_id IS NOT NULL AND (calls.last_call IS NULL OR calls.last_call <= det.newest) AS health_call_due,
    unheard.newest > getvariable('t') - INTERVAL 90 DAY AND (calls.last_call IS NULL OR calls.last_call <= unheard.newest) AS unheard
  FROM a LEFT JOIN det USING (account_id) LEFT JOIN tk USING (account_id) LEFT JOIN sp USING (account_id)
         LEFT JOIN calls USING (account_id) LEFT JOIN unheard USING (account_id))
SELECT *, CASE f1::int + f2::int + f3::int + f4::int WHEN 0 THEN 'green' WHEN 1 THEN 'yellow' ELSE 'red' END AS level
FROM flags ORDER BY CASE level WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END, arr_usd DESC, account_id
"""
con.execute(f"COPY ({query}) TO '{out}' (FORMAT json, ARRAY true)")
counts = con.execute(f"SELECT level, count(*) FROM read_json('{out}') GROUP BY level ORDER BY level").fetchall()
unheard = con.execute(f"SELECT count(*) FROM read_json('{out}') WHERE unheard").fetchone()[0]
elapsed = time.perf_counter() - t0
print(f"{elapsed:.3f} " + " ".join(f"{k}={v}" for k, v in counts) + f" unheard={unheard}")
