#!/usr/bin/env bash
# Memory over a soak: the service under a mixed load for MINUTES (default 5), its resident memory sampled
# every 15 s. Not part of CI; docs/RELIABILITY.md reports a run.
#   bench/soak.sh [MINUTES] [DATASET_DIR] [SHARED_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-5}
data=$(realpath "${2:-../shared/data/sids}")
shared=$(realpath "${3:-../shared}")
port=7456
dotnet build SidsFunctions -c Release -v q -nologo > /dev/null
env DATASET_PATH="$data" setsid dotnet run --project SidsFunctions -c Release --no-build -- --port $port \
  > /tmp/soak-server.log 2>&1 &
server=$!
trap 'kill -TERM -- -"$server" 2> /dev/null || true' EXIT
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready")" = 200 ]; do sleep 0.1; done
pid=$(pgrep -f "SidsFunctions/bin/Release/net10.0/SidsFunctions" | head -1)
end=$(( $(date +%s) + minutes * 60 ))

# Light paths and cached predicts through wrk, and a stream of distinct (uncached) predicts beside it.
wrk -t1 -c8 -d"${minutes}m" -s "$shared/tools/stress.lua" "http://127.0.0.1:$port" > /tmp/soak-wrk.txt &
load=$!
(
  i=0
  targets=(key-wdi-EG.ELC.ACCS.ZS key-wdi-SP.DYN.LE00.IN key-wdi-NY.GDP.PCAP.CD key-wdi-IT.CEL.SETS.P2)
  while [ "$(date +%s)" -lt "$end" ]; do
    t=${targets[$((i % 4))]}; y=$((2005 + i % 11)); e=$((10 + i % 50)); i=$((i + 1))
    curl -s -o /dev/null -X POST "http://127.0.0.1:$port/twolvlImp/predict" -H 'Content-Type: application/json' \
      -d "{\"number_predictor\":10,\"target_year\":\"$y\",\"target\":\"$t\",\"interpolator\":\"KNNImputer\",\"scheme\":\"AFS\",\"estimators\":$e,\"model\":\"rfr\",\"interval\":\"quantile\",\"dataset\":\"key\"}"
  done
  echo "distinct predicts: $i"
) &
predicts=$!
echo "seconds resident_MB"
start=$(date +%s)
while [ "$(date +%s)" -lt "$end" ]; do
  echo "$(( $(date +%s) - start )) $(( $(awk '/VmRSS/{print $2}' /proc/"$pid"/status) / 1024 ))"
  sleep 15
done
wait "$load" "$predicts"
grep -E "STRESS" /tmp/soak-wrk.txt
echo "final resident: $(( $(awk '/VmRSS/{print $2}' /proc/"$pid"/status) / 1024 )) MB"
