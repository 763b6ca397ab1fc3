#!/usr/bin/env bash
# End-to-end figures of the service on a dataset folder (default: the shared WDI data), as docs/PERFORMANCE.md
# reports them. Starts the service as the README does (dotnet run, Release), measures, stops it.
#   bench/e2e.sh [DATASET_DIR] [SHARED_DIR]
# Needs python3 (stdlib) for shared/tools/panel.py, and wrk for the stress run.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(realpath "${1:-../shared/data/sids}")   # absolute: dotnet run starts the app in its project folder
shared=$(realpath "${2:-../shared}")
port=7455
panel="$shared/tools/panel.py"
dotnet build SidsFunctions -c Release -v q -nologo > /dev/null

serve() { # extra settings as NAME=VALUE; sets $server and $ready (seconds from start to first answer)
  env DATASET_PATH="$data" "$@" \
    setsid dotnet run --project SidsFunctions -c Release --no-build -- --port $port > /tmp/e2e-server.log 2>&1 &
  server=$!
  local start=$(date +%s.%N)
  until curl -sf "http://127.0.0.1:$port/" > /dev/null; do
    kill -0 "$server" 2> /dev/null || { tail -5 /tmp/e2e-server.log >&2; exit 1; }
    sleep 0.02
  done
  ready=$(echo "$(date +%s.%N) - $start" | bc)
}
stop() { kill -TERM -- -"$server" 2> /dev/null || true; wait "$server" 2> /dev/null || true; }
rss() { # resident MB of the worker (the service Azure runs) and of the local Functions host in front of it
  local worker host
  worker=$(pgrep -f "SidsFunctions/bin/Release/net10.0/SidsFunctions.dll" | head -1)
  host=$(pgrep -f "SidsFunctions.LocalHost.dll" | head -1)
  echo "worker $(( $(awk '/VmRSS/{print $2}' /proc/"$worker"/status) / 1024 )) MB, local host $(( $(awk '/VmRSS/{print $2}' /proc/"$host"/status) / 1024 )) MB"
}
wait_ready() { until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready")" = 200 ]; do sleep 0.05; done; }

echo "== cold: answer cache off (every predict computes; level one is still shared)"
serve PREDICTION_CACHE_ENTRIES=0; wait_ready
echo "start to first answer: ${ready} s"
python3 "$panel" speed "http://127.0.0.1:$port" 5
stop

echo "== default settings: cache on"
serve; wait_ready
python3 "$panel" speed "http://127.0.0.1:$port" 3
python3 "$panel" load "http://127.0.0.1:$port" 20 20
echo "resident after speed and load: $(rss)"
if command -v wrk > /dev/null; then
  wrk -t2 -c32 -d45s -s "$shared/tools/stress.lua" "http://127.0.0.1:$port" | grep -E "STRESS|Requests/sec"
  echo "resident after the stress run: $(rss)"
fi
stop
