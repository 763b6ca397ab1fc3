#!/usr/bin/env bash
# The cold-start sequence of `shared/tools/check.py performance`, repeated: start the service as the README does
# (answers not cached), poll GET / every 0.25 s until it answers, then `panel.py speed URL 3` (the seed's simple
# and heavy predicts, 3 each; the figure is their median). Prints one line per start.
#   bench/cold_start.sh [RUNS=5] [DATA=../shared/data/sids] [SHARED=../shared] [PORT=7401]
# Run from the repository root after `dotnet build SidsFunctions -c Release`.
set -euo pipefail
runs=${1:-5}
data=$(realpath "${2:-../shared/data/sids}")
shared=$(realpath "${3:-../shared}")
port=${4:-7401}
for run in $(seq "$runs"); do
  setsid env PREDICTION_CACHE_ENTRIES=0 DATASET_PATH="$data" \
    dotnet run --project SidsFunctions -c Release --no-build -- --port "$port" > "/tmp/cold-start-$port.log" 2>&1 &
  pid=$!
  started=$(date +%s.%N)
  for _ in $(seq 240); do
    sleep 0.25
    curl -s -o /dev/null -m 5 "http://127.0.0.1:$port/" && break
  done
  ready=$(echo "$(date +%s.%N) - $started" | bc)
  if ! curl -sf -o /dev/null -m 5 "http://127.0.0.1:$port/"; then
    echo "run $run: the service did not answer; its log:" >&2
    tail -5 "/tmp/cold-start-$port.log" >&2
    kill -- -"$pid" 2>/dev/null || true
    exit 1
  fi
  speed=$(python3 "$shared/tools/panel.py" speed "http://127.0.0.1:$port" 3)
  python3 -c "import json,sys; s=json.loads(sys.argv[2]); print('run %s: ready %.2f s, simple %.1f ms, heavy %.0f ms' % (sys.argv[1], float(sys.argv[3]), s['simple']*1000, s['heavy']*1000))" \
    "$run" "$speed" "$ready"
  kill -- -"$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  sleep 0.5
done
