#!/usr/bin/env bash
# schemathesis against a real `defuse serve` on demo data: usage: schemathesis.sh DEFUSE SCHEMATHESIS
set -euo pipefail
DEFUSE=$1; ST=$2
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
$DEFUSE --db $work/st.db demo --accounts 300 --csv $work/data >/dev/null
$DEFUSE --db $work/st.db user add lee --role manager >/dev/null
TOKEN=$($DEFUSE --db $work/st.db token create --user lee 2>/dev/null)
$DEFUSE --db $work/st.db serve --port 18591 >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf http://127.0.0.1:18591/healthz >/dev/null && break; sleep 0.1; done
curl -sf -H "Authorization: Bearer $TOKEN" http://127.0.0.1:18591/api/openapi.json > $work/openapi.json
$ST run $work/openapi.json --url http://127.0.0.1:18591 -H "Authorization: Bearer $TOKEN" \
  --max-examples 30 --seed 2026 --exclude-checks positive_data_acceptance
