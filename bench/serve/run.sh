#!/usr/bin/env bash
# Load on `shopcast serve`: open-loop recommendations at fixed rates, then closed-loop event ingestion, against a server
# this script starts (127.0.0.1, a free port, a temporary event store) and stops. Usage:
#   bash bench/serve/run.sh [BUNDLE]     (default runs/serve-beauty/models/sasrec, a next-item bundle trained on Beauty)
# Settings (environment): RATES (200,500,1000 rps), DURATION (20 s per rate and per batch size), WARMUP (5 s), USERS (22363:
# Beauty's ids 1..22363), ITEMS (12101), K (10), BATCHES (1,100), CONCURRENCY (8). The recommendations run first, so
# their users' histories are the bundle's run's history; the events phase then adds to those users' histories.
# The load generator shares the machine's cores with the server: read the numbers as what one box does with both.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUNDLE="${1:-runs/serve-beauty/models/sasrec}"
RATES="${RATES:-200,500,1000}"; SECONDS_EACH="${DURATION:-20}"; WARMUP="${WARMUP:-5}"
USERS="${USERS:-22363}"; ITEMS="${ITEMS:-12101}"; K="${K:-10}"; BATCHES="${BATCHES:-1,100}"; CONCURRENCY="${CONCURRENCY:-8}"
[ -f "$BUNDLE/manifest.json" ] || { echo "no bundle at $BUNDLE (train one: shopcast run --data .../Beauty.txt --models sasrec --out runs/serve-beauty)"; exit 1; }

dotnet build src/Shopcast.Cli -c Release -v q -nologo >/dev/null
dotnet build bench/Shopcast.Bench -c Release -v q -nologo >/dev/null
SHOPCAST=src/Shopcast.Cli/bin/Release/net10.0/linux-x64/shopcast
BENCH=bench/Shopcast.Bench/bin/Release/net10.0/linux-x64/Shopcast.Bench

TMP=$(mktemp -d /tmp/shopcast-serve-bench.XXXXXX)
KEY="bench-$RANDOM$RANDOM"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
PID=
stop() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID" 2>/dev/null || true
    for _ in $(seq 30); do kill -0 "$PID" 2>/dev/null || break; sleep 1; done
    kill -0 "$PID" 2>/dev/null && { echo "server did not stop in 30 s: SIGKILL"; kill -KILL "$PID" 2>/dev/null || true; }
  fi
  rm -rf "$TMP"
}
trap stop EXIT

echo "== shopcast serve --model $BUNDLE on $URL, event store $TMP/events.duckdb"
SHOPCAST_API_KEY="$KEY" "$SHOPCAST" serve --model "$BUNDLE" --store "$TMP/events.duckdb" --urls "$URL" >"$TMP/server.log" 2>&1 &
PID=$!
for i in $(seq 120); do
  curl -sf "$URL/health" >/dev/null 2>&1 && break
  kill -0 "$PID" 2>/dev/null || { echo "the server exited:"; cat "$TMP/server.log"; exit 1; }
  [ "$i" -eq 120 ] && { echo "no /health after 120 s:"; cat "$TMP/server.log"; exit 1; }
  sleep 1
done
sed 's/^/   /' "$TMP/server.log"
echo "   started in ${i} s or less; resident memory before load: $(awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' /proc/$PID/status)"

# Each phase is bounded: warmup + rates x seconds plus the drain (timeouts are 5 s), with room to spare.
n_rates=$(tr ',' '\n' <<<"$RATES" | wc -l); n_batches=$(tr ',' '\n' <<<"$BATCHES" | wc -l)
timeout $(( ${WARMUP%.*} + n_rates * (${SECONDS_EACH%.*} + 15) + 60 )) \
  "$BENCH" serve-load recs --url "$URL" --rates "$RATES" --seconds "$SECONDS_EACH" --warmup "$WARMUP" --users "$USERS" --k "$K" --pid "$PID"
timeout $(( 2 + n_batches * (${SECONDS_EACH%.*} + 15) + 60 )) \
  env SHOPCAST_API_KEY="$KEY" "$BENCH" serve-load events --url "$URL" --seconds "$SECONDS_EACH" --batch "$BATCHES" --concurrency "$CONCURRENCY" \
  --users "$USERS" --items "$ITEMS" --pid "$PID"

echo "== server: peak resident memory (VmHWM) $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' /proc/$PID/status), now $(awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' /proc/$PID/status); event store $(du -h "$TMP/events.duckdb" | cut -f1)"
grep -v '^shopcast serve: ' "$TMP/server.log" | sed 's/^/   server log: /' | head -20 || true
stop
PID=
echo "== server stopped"
