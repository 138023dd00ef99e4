#!/usr/bin/env bash
# Train across three sites, each with its own files in its own format, and a coordinator that holds no data.
#
#   examples/sites/run.sh [OUT]          (default OUT: runs/sites)
#
# 1. makes three site folders from the shipped digits: IDX files (digits 0-3), a folder of PNGs (3-6), a CSV table (6-9);
# 2. starts a coordinator without a test set (--dataset none) that has the clients evaluate every round (--eval-every 1);
# 3. starts one client per site on its own folder, holding back 20% for validation;
# 4. when the federation is done: OUT/run/summary.json and rounds.csv (federated_eval), and the trained model as
#    OUT/model.safetensors, OUT/model.pt and OUT/model.json.
# PORT, SILO_PORT, GATEWAY_PORT, ROUNDS and SAMPLES (per site) can be set in the environment.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-runs/sites}"
port="${PORT:-5080}"
rounds="${ROUNDS:-3}"
samples="${SAMPLES:-1500}"
cli="$root/poolcompress"

mkdir -p "$out"
"$cli" make-sites --out "$out/data" --samples-per-site "$samples"

"$cli" coordinator --clients 3 --rounds "$rounds" --dataset none --eval-every 1 --seed 42 \
    --port "$port" --silo-port "${SILO_PORT:-11111}" --gateway-port "${GATEWAY_PORT:-30000}" \
    --out "$out/run" --export "$out/model" > "$out/coordinator.log" 2>&1 &
coordinator=$!
trap 'kill "$coordinator" 2>/dev/null || true' EXIT

site() { # index, data path
    "$cli" client --coordinator "http://127.0.0.1:$port" --client-index "$1" --clients 3 --seed 42 \
        --data "$2" --val-fraction 0.2 --input-shape 1x28x28 > "$out/site-$1.log" 2>&1
}
site 0 "$out/data/site-idx" & a=$!
site 1 "$out/data/site-images" & b=$!
site 2 "$out/data/site-csv/digits.csv" & c=$!
status=0
for pid in "$a" "$b" "$c"; do wait "$pid" || status=$?; done
wait "$coordinator" || status=$?
trap - EXIT
cat "$out/coordinator.log"
if [ "$status" -ne 0 ]; then
    echo "a site or the coordinator failed (exit $status): see $out/*.log" >&2
    exit "$status"
fi
echo "federated evaluation per round: $out/run/rounds.csv; trained model: $out/model.safetensors, .pt, .json"
