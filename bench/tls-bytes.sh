#!/usr/bin/env bash
# Bytes at the coordinator's socket for one small federation in cleartext, over TLS and over mutual TLS: the same
# coordinator and three client processes (one client each; a client certificate names one client), same seed and
# settings, synthetic data, cnn, 2 rounds. Prints a table; run folders and certificates go to OUT (default a temp dir).
#   bench/tls-bytes.sh [OUT]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$(mktemp -d /tmp/poolcompress-tls-bytes.XXXXXX)}"
cli="$root/poolcompress"
clients=3
shared=(--clients "$clients" --dataset synthetic --seed 7)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

rm -rf "$out/fed"
"$cli" certs init --out "$out/fed" --coordinator-dns 127.0.0.1 > /dev/null
for i in $(seq 0 $((clients - 1))); do "$cli" certs issue --dir "$out/fed" --client "$(printf client-%04d "$i")" > /dev/null; done

run() { # MODE SCHEME COORDINATOR-ARGS... -- then per-client args are added below
  local mode=$1 scheme=$2; shift 2
  local dir="$out/$mode" port; port=$(free_port)
  rm -rf "$dir"; mkdir -p "$dir"; : > "$dir/coordinator.log"
  "$cli" coordinator "${shared[@]}" --rounds 2 --port "$port" --silo-port "$(free_port)" --gateway-port "$(free_port)" \
    --out "$dir" "$@" > "$dir/coordinator.log" 2>&1 &
  local coordinator=$!
  until grep -q "listening on" "$dir/coordinator.log"; do
    kill -0 "$coordinator" 2> /dev/null || { cat "$dir/coordinator.log" >&2; exit 3; }
    sleep 0.5
  done
  local pids=()
  for i in $(seq 0 $((clients - 1))); do
    local id; id=$(printf client-%04d "$i")
    local tls=()
    [[ $scheme == https ]] && tls=(--ca "$out/fed/ca.crt")
    [[ $mode == mtls ]] && tls+=(--client-cert "$out/fed/clients/$id.crt" --client-key "$out/fed/clients/$id.key")
    "$cli" client "${shared[@]}" --coordinator "$scheme://127.0.0.1:$port" --client-index "$i" --virtual-clients 1 "${tls[@]}" \
      > "$dir/$id.log" 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}" "$coordinator"
}

run cleartext http
run tls https --tls-cert "$out/fed/coordinator.crt" --tls-key "$out/fed/coordinator.key"
run mtls https --tls-cert "$out/fed/coordinator.crt" --tls-key "$out/fed/coordinator.key" --client-ca "$out/fed/ca.crt"

python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
runs = {m: json.load(open(f"{out}/{m}/summary.json")) for m in ("cleartext", "tls", "mtls")}
base = runs["cleartext"]
print(f"3 clients (one process each), 2 rounds, cnn, synthetic data, seed 7; bytes at the coordinator's socket")
print("| transport | uplink bytes | vs cleartext | downlink bytes | vs cleartext | final accuracy |")
print("|---|---:|---:|---:|---:|---:|")
for mode, s in runs.items():
    up, down = s["uplink_bytes_total"], s["downlink_bytes_total"]
    du, dd = up - base["uplink_bytes_total"], down - base["downlink_bytes_total"]
    print(f"| {mode} | {up:,} | {du:+,} ({du / base['uplink_bytes_total']:+.3%}) | {down:,} | {dd:+,} ({dd / base['downlink_bytes_total']:+.3%}) | {s['final_accuracy']:.4f} |")
PY
