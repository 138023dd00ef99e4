#!/usr/bin/env bash
# The Kubernetes topology of deploy/k8s (overlay redis) on one machine, without Kubernetes: a Redis for Orleans
# membership and grain state, several coordinator silos sharing a model store, and client processes that each host
# several virtual clients, spread over the silos' gRPC ports (each failing over to the other silos). Loopback only,
# bounded by --timeout, and everything it started is stopped on exit. Run with --help for the interface.
set -euo pipefail

readonly EXIT_OK=0 EXIT_FAILED=1 EXIT_USAGE=2 EXIT_ENVIRONMENT=3 EXIT_TIMEOUT=124 EXIT_INTERRUPTED=130
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

usage() {
  cat <<EOF
Usage: deploy/local/multi-silo.sh [options] [-- coordinator-options...]

Starts a federation on 127.0.0.1: redis-server (Debian package redis-server; started in the work directory unless
one already answers on the Redis port), SILOS coordinator silos with Coordinator:Clustering=redis and
Coordinator:Storage=redis sharing one --model-store, then ceil(CLIENTS / VIRTUAL) client processes, process p
hosting clients p*VIRTUAL .. p*VIRTUAL+VIRTUAL-1 (the last one fewer if VIRTUAL does not divide CLIENTS). Every
client process is given every silo's gRPC URL: client I dials silo I mod SILOS and fails over to the others in order
when that silo is lost. Waits until every process has exited.

Options (environment variable in brackets, then default):
  --clients N          clients in the federation              [MULTI_SILO_CLIENTS]          4
  --virtual-clients M  clients hosted by one client process   [MULTI_SILO_VIRTUAL_CLIENTS]  2
  --silos K            coordinator silos                      [MULTI_SILO_SILOS]            2
  --rounds R           federated rounds                       [MULTI_SILO_ROUNDS]           3
  --dataset NAME       mnist | synthetic                      [MULTI_SILO_DATASET]          synthetic
  --partition SPEC     iid | dirichlet:A | shards:K           [MULTI_SILO_PARTITION]        iid
  --seed S                                                    [MULTI_SILO_SEED]             42
  --port-base B        silo k uses gRPC B+k, silo port B+100+k, gateway B+200+k
                                                              [MULTI_SILO_PORT_BASE]        15080
  --redis-port P                                              [MULTI_SILO_REDIS_PORT]       B+300
  --timeout SECS       overall bound, build included          [MULTI_SILO_TIMEOUT]          900
  --work-dir DIR       logs/, models/, out/silo-K/, redis/    [MULTI_SILO_WORK_DIR]         a new temp dir
  --keep               keep the work directory after a successful run (it is always kept after a failure)
  --dry-run            print the plan (ports, shard ranges, commands) and exit 0 without starting anything
  -h, --help           this text
  -- ARGS              passed to every coordinator (federation options such as --codec topk:0.01 --lr 0.1);
                       data options that clients must share (--clients --partition --seed --dataset) go above.

Environment: POOLCOMPRESS_BIN is the CLI to run (default: $repo/poolcompress, which builds on first use;
e.g. "/app/poolcompress" in the image). POOLCOMPRESS_DATA_CACHE is passed through (MNIST cache). The Orleans
ClusterId/ServiceId are unique per run (override: MULTI_SILO_CLUSTER_ID), so a reused Redis holds no stale state.

Exit codes: $EXIT_OK all processes exited 0; $EXIT_FAILED a coordinator or client failed (log tails are printed);
$EXIT_USAGE usage error; $EXIT_ENVIRONMENT missing tool or a port in use; $EXIT_TIMEOUT timed out;
$EXIT_INTERRUPTED interrupted.
EOF
}

die() { local code=$1; shift; echo "multi-silo: $*" >&2; exit "$code"; }
log() { echo "multi-silo: $*" >&2; }

clients=${MULTI_SILO_CLIENTS:-4}
virtual=${MULTI_SILO_VIRTUAL_CLIENTS:-2}
silos=${MULTI_SILO_SILOS:-2}
rounds=${MULTI_SILO_ROUNDS:-3}
dataset=${MULTI_SILO_DATASET:-synthetic}
partition=${MULTI_SILO_PARTITION:-iid}
seed=${MULTI_SILO_SEED:-42}
port_base=${MULTI_SILO_PORT_BASE:-15080}
redis_port=${MULTI_SILO_REDIS_PORT:-}
timeout_secs=${MULTI_SILO_TIMEOUT:-900}
work_dir=${MULTI_SILO_WORK_DIR:-}
keep=0
dry_run=0
coordinator_extra=()

need_value() { [[ $# -ge 2 && -n $2 ]] || die $EXIT_USAGE "$1 needs a value (see --help)"; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --clients) need_value "$@"; clients=$2; shift 2 ;;
    --virtual-clients) need_value "$@"; virtual=$2; shift 2 ;;
    --silos) need_value "$@"; silos=$2; shift 2 ;;
    --rounds) need_value "$@"; rounds=$2; shift 2 ;;
    --dataset) need_value "$@"; dataset=$2; shift 2 ;;
    --partition) need_value "$@"; partition=$2; shift 2 ;;
    --seed) need_value "$@"; seed=$2; shift 2 ;;
    --port-base) need_value "$@"; port_base=$2; shift 2 ;;
    --redis-port) need_value "$@"; redis_port=$2; shift 2 ;;
    --timeout) need_value "$@"; timeout_secs=$2; shift 2 ;;
    --work-dir) need_value "$@"; work_dir=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --dry-run) dry_run=1; shift ;;
    -h|--help) usage; exit $EXIT_OK ;;
    --) shift; coordinator_extra=("$@"); break ;;
    *) echo "multi-silo: unknown argument '$1'" >&2; usage >&2; exit $EXIT_USAGE ;;
  esac
done

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }
for name in clients virtual silos rounds timeout_secs port_base; do
  is_uint "${!name}" && (( ${!name} > 0 )) || die $EXIT_USAGE "$name must be a positive integer, got '${!name}'"
done
is_uint "$seed" || die $EXIT_USAGE "--seed must be a non-negative integer, got '$seed'"
redis_port=${redis_port:-$((port_base + 300))}
is_uint "$redis_port" || die $EXIT_USAGE "--redis-port must be a port number, got '$redis_port'"
(( port_base + 200 + silos <= 65535 && redis_port <= 65535 )) || die $EXIT_USAGE "ports above 65535 (--port-base $port_base)"
(( virtual <= clients )) || virtual=$clients

grpc_port() { echo $((port_base + $1)); }
silo_port() { echo $((port_base + 100 + $1)); }
gateway_port() { echo $((port_base + 200 + $1)); }
client_processes=$(( (clients + virtual - 1) / virtual ))

read -r -a cli <<<"${POOLCOMPRESS_BIN:-$repo/poolcompress}"
cluster_id=${MULTI_SILO_CLUSTER_ID:-multi-silo-$$-$RANDOM}
token=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')

coordinator_args() { # silo index
  local k=$1
  printf '%s\n' coordinator --clients "$clients" --rounds "$rounds" --dataset "$dataset" --partition "$partition" \
    --seed "$seed" --listen 127.0.0.1 --port "$(grpc_port "$k")" --silo-port "$(silo_port "$k")" \
    --gateway-port "$(gateway_port "$k")" --token "$token" --model-store "$work_dir/models" --out "$work_dir/out/silo-$k" \
    "${coordinator_extra[@]}"
}
coordinator_urls() { # every silo's gRPC URL, comma-separated
  local k urls=()
  for ((k = 0; k < silos; k++)); do urls+=("http://127.0.0.1:$(grpc_port "$k")"); done
  (IFS=,; echo "${urls[*]}")
}
client_args() { # client process index
  local p=$1 first count
  first=$((p * virtual)); count=$((clients - first < virtual ? clients - first : virtual))
  printf '%s\n' client --coordinator "$(coordinator_urls)" --clients "$clients" \
    --client-index "$first" --virtual-clients "$count" --partition "$partition" --seed "$seed" --dataset "$dataset" \
    --token "$token"
}
coordinator_env=(
  POOLCOMPRESS_Coordinator__Clustering=redis
  POOLCOMPRESS_Coordinator__Storage=redis
  "POOLCOMPRESS_Coordinator__Redis=127.0.0.1:$redis_port"
  "POOLCOMPRESS_Coordinator__ClusterId=$cluster_id"
  "POOLCOMPRESS_Coordinator__ServiceId=$cluster_id"
)

if (( dry_run )); then
  work_dir=${work_dir:-WORK}
  echo "redis 127.0.0.1:$redis_port"
  for ((k = 0; k < silos; k++)); do
    mapfile -t args < <(coordinator_args "$k")
    echo "silo $k: ${coordinator_env[*]} ${cli[*]} ${args[*]}"
  done
  for ((p = 0; p < client_processes; p++)); do
    mapfile -t args < <(client_args "$p")
    echo "client-process $p: ${cli[*]} ${args[*]}"
  done
  exit $EXIT_OK
fi

# --- environment -------------------------------------------------------------------------------------------
command -v redis-server >/dev/null || die $EXIT_ENVIRONMENT "redis-server not found: apt-get install redis-server"
command -v timeout >/dev/null || die $EXIT_ENVIRONMENT "timeout (coreutils) not found"
[[ -x ${cli[0]} ]] || command -v "${cli[0]}" >/dev/null || die $EXIT_ENVIRONMENT "cannot run '${cli[0]}' (POOLCOMPRESS_BIN)"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
redis_answers() {
  ( exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'PING\r\n' >&3 && IFS= read -r -t 2 reply <&3 && [[ $reply == +PONG* ]] ) 2>/dev/null
}
for ((k = 0; k < silos; k++)); do
  for port in "$(grpc_port "$k")" "$(silo_port "$k")" "$(gateway_port "$k")"; do
    port_open "$port" && die $EXIT_ENVIRONMENT "port $port is in use (choose another --port-base)"
  done
done

deadline=$((SECONDS + timeout_secs))
remaining() { local r=$((deadline - SECONDS)); echo $((r > 0 ? r : 0)); }

created_work_dir=0
if [[ -z $work_dir ]]; then work_dir=$(mktemp -d "${TMPDIR:-/tmp}/multi-silo.XXXXXX"); created_work_dir=1; fi
mkdir -p "$work_dir/logs" "$work_dir/models" "$work_dir/out" "$work_dir/redis"
work_dir=$(cd "$work_dir" && pwd)
logs="$work_dir/logs"

names=() pids=() outcome=$EXIT_FAILED redis_pid=
stop_pid() { # pid: TERM it and its children, KILL after 10 s
  local pid=$1 child
  kill -0 "$pid" 2>/dev/null || return 0
  for child in $(pgrep -P "$pid" 2>/dev/null); do kill -TERM "$child" 2>/dev/null || true; done
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  for child in $(pgrep -P "$pid" 2>/dev/null); do kill -KILL "$child" 2>/dev/null || true; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  outcome=$rc
  local i
  for i in "${!pids[@]}"; do stop_pid "${pids[$i]}"; done
  if [[ -n $redis_pid ]]; then stop_pid "$redis_pid"; fi
  wait 2>/dev/null || true
  if (( outcome == EXIT_OK && keep == 0 && created_work_dir == 1 )); then
    rm -rf "$work_dir"
    log "removed the work directory (--keep or --work-dir keeps the logs and the reports in out/silo-K)"
  else
    log "work directory (logs/, models/, out/silo-K reports): $work_dir"
  fi
  exit "$outcome"
}
trap cleanup EXIT
trap 'log "interrupted"; exit $EXIT_INTERRUPTED' INT TERM

start() { # name command...
  local name=$1; shift
  "$@" >"$logs/$name.log" 2>&1 &
  names+=("$name"); pids+=("$!")
}
show_failure() { # name rc
  log "$1 exited with $2; last lines of $logs/$1.log:"
  tail -n 25 "$logs/$1.log" >&2 || true
}

# --- redis ---------------------------------------------------------------------------------------------------
if redis_answers "$redis_port"; then
  log "using the Redis already answering on 127.0.0.1:$redis_port (left running)"
elif port_open "$redis_port"; then
  die $EXIT_ENVIRONMENT "port $redis_port is in use by something that is not Redis (choose --redis-port)"
else
  redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$work_dir/redis" --save "" --appendonly no \
    --daemonize no --logfile "$logs/redis.log" >/dev/null 2>&1 &
  redis_pid=$!
  for _ in $(seq 1 100); do redis_answers "$redis_port" && break; sleep 0.1; done
  redis_answers "$redis_port" || die $EXIT_ENVIRONMENT "redis-server did not answer on 127.0.0.1:$redis_port (see $logs/redis.log)"
  log "redis-server on 127.0.0.1:$redis_port (pid $redis_pid)"
fi

# --- build once, before several processes would race to build -----------------------------------------------
log "preparing ${cli[*]}"
(( $(remaining) > 0 )) || die $EXIT_TIMEOUT "timed out before building"
if ! timeout "$(remaining)" "${cli[@]}" --help >"$logs/build.log" 2>&1; then
  (( $(remaining) > 0 )) || die $EXIT_TIMEOUT "timed out while building (see $logs/build.log)"
  die $EXIT_ENVIRONMENT "'${cli[*]} --help' failed (see $logs/build.log)"
fi

# --- silos ---------------------------------------------------------------------------------------------------
for ((k = 0; k < silos; k++)); do
  mapfile -t args < <(coordinator_args "$k")
  start "silo-$k" env "${coordinator_env[@]}" "${cli[@]}" "${args[@]}"
  log "silo $k: gRPC 127.0.0.1:$(grpc_port "$k"), silo port $(silo_port "$k"), gateway $(gateway_port "$k") (pid ${pids[-1]})"
done
for ((k = 0; k < silos; k++)); do
  until grep -q 'listening on' "$logs/silo-$k.log" 2>/dev/null; do
    if ! kill -0 "${pids[$k]}" 2>/dev/null; then
      rc=0; wait "${pids[$k]}" || rc=$?
      show_failure "silo-$k" "$rc"; exit $EXIT_FAILED
    fi
    (( $(remaining) > 0 )) || die $EXIT_TIMEOUT "silo $k did not start listening within ${timeout_secs}s"
    sleep 0.2
  done
done

# --- clients -------------------------------------------------------------------------------------------------
for ((p = 0; p < client_processes; p++)); do
  mapfile -t args < <(client_args "$p")
  start "clients-$p" "${cli[@]}" "${args[@]}"
done
log "$clients clients in $client_processes processes of up to $virtual, over $silos silos; cluster $cluster_id"

# --- wait for everything -----------------------------------------------------------------------------------------
declare -A done_rc=()
while (( ${#done_rc[@]} < ${#pids[@]} )); do
  for i in "${!pids[@]}"; do
    [[ -n ${done_rc[$i]:-} ]] && continue
    kill -0 "${pids[$i]}" 2>/dev/null && continue
    rc=0; wait "${pids[$i]}" || rc=$?
    done_rc[$i]=$rc
    if (( rc != 0 )); then show_failure "${names[$i]}" "$rc"; exit $EXIT_FAILED; fi
  done
  (( $(remaining) > 0 )) || die $EXIT_TIMEOUT "timed out after ${timeout_secs}s; still running: $(
    for i in "${!pids[@]}"; do [[ -n ${done_rc[$i]:-} ]] || printf '%s ' "${names[$i]}"; done)"
  sleep 0.5
done

log "done in ${SECONDS}s: every silo and client process exited 0"
