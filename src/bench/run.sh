#!/usr/bin/env bash
# The benchmark of BENCHMARKS.md: a private Redis, the server (runnable jar, no callees in it), a
# callee process (callee jar) and the load generator, all on this machine.
#
#   src/bench/run.sh [calls] [pubsub] [idle] [calls-cluster]    (no argument: the first three)
#
# calls-cluster runs test.echo at c=1, 10 and 50 on one Redis and on a private 3-master Redis
# Cluster (redis-server --cluster-enabled yes, redis-cli --cluster create), each with a server and
# a callee of their own, alternating between the two.
#
# Prints each run's report, the CPU seconds that the server, the callee, Redis and the load tool
# used during it (and how much of the server's and the callee's went to their JIT compiler
# threads), the context switches of the first three (summed over their threads; a thread that ended
# during the run is left out), and the warnings and errors the server and the callee logged
# meanwhile (their logs are not kept).
# Needs the jars: ./mvnw -pl juggler-ear,juggler-tools -am package -DskipTests
# Settings (environment): REDIS_SERVER (redis-server), WARMUP (60s), DURATION (20s),
# SERVER_JAR, CALLEE_JAR, TOOLS_JAR (the builds in target/, to compare with copies of older ones),
# EXECUTOR_THREADS (8: Liberty's core threads of the server), CALLEE_WORKERS (8), SERVER_JVM_ARGS
# (JVM options of the server: java $SERVER_JVM_ARGS -jar …; none by default).
set -euo pipefail
# a command that fails stops the benchmark: say which, so that a run cut short is not mistaken for
# a finished one
set -E
trap 'echo "run.sh: stopped: \"$BASH_COMMAND\" failed (exit $?) at line $LINENO" >&2' ERR

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SERVER_JAR=${SERVER_JAR:-$ROOT/juggler-ear/target/juggler.jar}
CALLEE_JAR=${CALLEE_JAR:-$ROOT/juggler-ear/target/juggler-callee.jar}
TOOLS_JAR=${TOOLS_JAR:-$ROOT/juggler-tools/target/juggler-tools.jar}
for jar in "$SERVER_JAR" "$CALLEE_JAR" "$TOOLS_JAR"; do
  [[ -f $jar ]] || { echo "missing $jar: run ./mvnw -pl juggler-ear,juggler-tools -am package -DskipTests" >&2; exit 2; }
done
REDIS_SERVER=${REDIS_SERVER:-redis-server}
WARMUP=${WARMUP:-60s}
DURATION=${DURATION:-20s}
SCENARIOS=("$@")
[[ ${#SCENARIOS[@]} -gt 0 ]] || SCENARIOS=(calls pubsub idle)

WORK=$(mktemp -d /tmp/juggler-bench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  local port
  for port in $(seq "$1" $(($1 + 200))); do
    if ! (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port from $1" >&2; exit 2
}

REDIS_PORT=$(free_port 16400)
HTTP_PORT=$(free_port 19180)
"$REDIS_SERVER" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
  --dir "$WORK" --logfile "$WORK/redis.log" &
PIDS+=($!)
REDIS_PID=$!
REDIS_PIDS=($REDIS_PID)
export JUGGLER_REDIS_URL=redis://127.0.0.1:$REDIS_PORT

# start_apps NAME: the server and the callee, on whatever JUGGLER_REDIS_* says, the server on
# HTTP_PORT; waits until both run, then remembers them as stack NAME (see use_stack)
declare -A STACK_SERVER STACK_CALLEE STACK_URL STACK_REDIS
start_apps() {
  local name=$1
  JUGGLER_CALLEE_ENABLED=false JUGGLER_HTTP_PORT=$HTTP_PORT \
    JUGGLER_EXECUTOR_CORE_THREADS=${EXECUTOR_THREADS:-8} WLP_JAR_EXTRACT_DIR=$WORK/server-$name \
    java ${SERVER_JVM_ARGS:-} -jar "$SERVER_JAR" >"$WORK/server-$name.log" 2>&1 &
  PIDS+=($!)
  SERVER_PID=$!
  JUGGLER_CALLEE_WORKERS=${CALLEE_WORKERS:-8} WLP_JAR_EXTRACT_DIR=$WORK/callee-$name \
    java -jar "$CALLEE_JAR" >"$WORK/callee-$name.log" 2>&1 &
  PIDS+=($!)
  CALLEE_PID=$!
  for _ in $(seq 120); do
    if grep -q CWWKF0011I "$WORK/server-$name.log" 2>/dev/null && grep -q CWWKF0011I "$WORK/callee-$name.log" 2>/dev/null; then
      break
    fi
    sleep 1
  done
  grep -q CWWKF0011I "$WORK/server-$name.log" || { echo "server did not start:" >&2; tail -20 "$WORK/server-$name.log" >&2; exit 1; }
  grep -q CWWKF0011I "$WORK/callee-$name.log" || { echo "callee did not start:" >&2; tail -20 "$WORK/callee-$name.log" >&2; exit 1; }
  STACK_SERVER[$name]=$SERVER_PID
  STACK_CALLEE[$name]=$CALLEE_PID
  STACK_URL[$name]=ws://127.0.0.1:$HTTP_PORT/ws
  STACK_REDIS[$name]="${REDIS_PIDS[*]}"
  STACK=$name
}

# use_stack NAME: the next runs go to stack NAME, and count its processes' CPU
use_stack() {
  SERVER_PID=${STACK_SERVER[$1]}
  CALLEE_PID=${STACK_CALLEE[$1]}
  URL=${STACK_URL[$1]}
  read -r -a REDIS_PIDS <<<"${STACK_REDIS[$1]}"
  STACK=$1
}

# stop_apps: stops the server and the callee (SIGTERM, then waits)
stop_apps() {
  kill "$SERVER_PID" "$CALLEE_PID" 2>/dev/null || true
  wait "$SERVER_PID" "$CALLEE_PID" 2>/dev/null || true
}

# start_cluster: a private Redis Cluster of 3 masters (no replicas) on free ports; sets
# CLUSTER_NODES and adds the nodes to REDIS_PIDS
start_cluster() {
  local ports=() port from=17400 node
  while [[ ${#ports[@]} -lt 3 ]]; do
    port=$(free_port "$from")
    from=$((port + 1))
    # the cluster bus listens on port + 10000
    if (echo >"/dev/tcp/127.0.0.1/$((port + 10000))") 2>/dev/null; then continue; fi
    ports+=("$port")
  done
  for port in "${ports[@]}"; do
    mkdir -p "$WORK/cluster-$port"
    "$REDIS_SERVER" --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
      --cluster-enabled yes --cluster-config-file "$WORK/cluster-$port/nodes.conf" \
      --dir "$WORK/cluster-$port" --logfile "$WORK/cluster-$port/redis.log" &
    PIDS+=($!)
    REDIS_PIDS+=($!)
  done
  for port in "${ports[@]}"; do
    for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  done
  redis-cli --cluster create $(printf '127.0.0.1:%s ' "${ports[@]}") --cluster-replicas 0 \
    --cluster-yes >"$WORK/cluster-create.log" 2>&1 || { cat "$WORK/cluster-create.log" >&2; exit 1; }
  for port in "${ports[@]}"; do
    for _ in $(seq 300); do
      redis-cli -p "$port" cluster info | grep -q cluster_state:ok && break
      sleep 0.1
    done
    redis-cli -p "$port" cluster info | grep -q cluster_state:ok || { echo "cluster not ok at $port" >&2; exit 1; }
  done
  CLUSTER_NODES=$(printf '127.0.0.1:%s,' "${ports[@]}")
  CLUSTER_NODES=${CLUSTER_NODES%,}
}

URL=ws://127.0.0.1:$HTTP_PORT/ws
TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
redis_ticks() { local pid sum=0; for pid in "${REDIS_PIDS[@]}"; do sum=$((sum + $(cpu_ticks "$pid"))); done; echo $sum; }
# context switches of a process's live threads, voluntary and not (steadier than CPU time on a busy
# machine: a thread hand-off or a wait for a socket costs one each); a thread that ends while they
# are read is left out, not an error
switches() { { cat /proc/"$1"/task/*/status 2>/dev/null || true; } | awk '/ctxt_switches/ {n += $2} END {print n + 0}'; }
# CPU ticks of a JVM's JIT compiler threads (C1, C2), part of its cpu_ticks: how much of a run's
# CPU went to compiling rather than to the work itself (a compiler thread that ended during the run
# takes its ticks with it, as for switches)
jit_ticks() {
  local task stat sum=0
  local -a f
  for task in /proc/"$1"/task/*; do
    stat=$(cat "$task/stat" 2>/dev/null) || continue
    case $stat in
      *"(C1 CompilerThre) "* | *"(C2 CompilerThre) "*)
        read -r -a f <<<"${stat##*) }" # from the state on: utime and stime are the 12th and 13th
        sum=$((sum + f[11] + f[12]))
        ;;
    esac
  done
  echo $sum
}
redis_switches() { local pid sum=0; for pid in "${REDIS_PIDS[@]}"; do sum=$((sum + $(switches "$pid"))); done; echo $sum; }

# run LABEL ARGS...: one load tool run, with the CPU each process used meanwhile
run() {
  local label=$1; shift
  local s0 c0 r0 t0 t1 log lines
  declare -A lines
  for log in server callee; do lines[$log]=$(wc -l <"$WORK/$log-$STACK.log"); done
  s0=$(cpu_ticks $SERVER_PID); c0=$(cpu_ticks $CALLEE_PID); r0=$(redis_ticks)
  local sj0 cj0
  sj0=$(jit_ticks $SERVER_PID); cj0=$(jit_ticks $CALLEE_PID)
  local sx0 cx0 rx0
  sx0=$(switches $SERVER_PID); cx0=$(switches $CALLEE_PID); rx0=$(redis_switches)
  t0=$(date +%s%N)
  echo "== $label"
  /usr/bin/env time -f "cpu: load tool %U s user + %S s system" java -jar "$TOOLS_JAR" "$@" --url "$URL" 2>&1 | grep -v '^\s*at '
  t1=$(date +%s%N)
  awk -v s=$(( $(cpu_ticks $SERVER_PID) - s0 )) -v c=$(( $(cpu_ticks $CALLEE_PID) - c0 )) \
      -v r=$(( $(redis_ticks) - r0 )) -v t=$TCK -v w=$(( (t1 - t0) / 1000000 )) \
      'BEGIN { printf "cpu: server %.1f s, callee %.1f s, redis %.1f s, over %.1f s of wall time\n", s/t, c/t, r/t, w/1000 }'
  awk -v s=$(( $(jit_ticks $SERVER_PID) - sj0 )) -v c=$(( $(jit_ticks $CALLEE_PID) - cj0 )) -v t=$TCK \
      'BEGIN { printf "cpu of the JIT compiler threads (part of the above): server %.1f s, callee %.1f s\n", s/t, c/t }'
  echo "context switches: server $(( $(switches $SERVER_PID) - sx0 )), callee $(( $(switches $CALLEE_PID) - cx0 )), redis $(( $(redis_switches) - rx0 ))"
  echo "server resident set at the end: $(( $(ps -o rss= -p "$SERVER_PID") / 1024 )) MB"
  # What the server and the callee logged as warnings or errors during the run (Liberty's W, E)
  for log in server callee; do
    tail -n +$((lines[$log] + 1)) "$WORK/$log-$STACK.log" | grep -E '^\[[^]]*\] [0-9a-f]{8} \S+ +[WE] ' |
      head -20 | sed "s/^/$log log: /" || true
  done
}

# The scenarios but calls-cluster run on one Redis, with one server and one callee for all of them.
if [[ " ${SCENARIOS[*]} " =~ \ (calls|pubsub|idle)\  ]]; then
  start_apps single
fi

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1), $("$REDIS_SERVER" --version | cut -d' ' -f1-3)"
echo "server executor core threads ${EXECUTOR_THREADS:-8}, callee workers ${CALLEE_WORKERS:-8}, warm-up $WARMUP, runs of $DURATION${SERVER_JVM_ARGS:+, server JVM options $SERVER_JVM_ARGS}"

for scenario in "${SCENARIOS[@]}"; do
  case $scenario in
    calls)
      run "warm-up (not a result)" load --connections 100 --duration "$WARMUP" | tail -3
      run "test.echo, c=10" load --connections 10 --duration "$DURATION" --metrics
      run "test.echo, c=100" load --connections 100 --duration "$DURATION" --metrics
      run "test.delay 10 ms, c=100" load --connections 100 --duration "$DURATION" --uri test.delay --payload 10 --metrics
      ;;
    pubsub)
      run "warm-up (not a result)" load pubsub --publishers 2 --subscribers 100 --duration "$DURATION" | tail -3
      sleep 5
      run "pub-sub 1 -> 1000" load pubsub --publishers 1 --subscribers 1000 --duration "$DURATION"
      sleep 20 # the server drains what the last run left queued
      run "pub-sub 10 -> 100" load pubsub --publishers 10 --subscribers 100 --duration "$DURATION"
      sleep 20
      run "pub-sub 1 -> 1, one PUB in flight" load pubsub --publishers 1 --subscribers 1 --in-flight 1 --duration "$DURATION"
      ;;
    idle)
      heap() { jcmd $SERVER_PID GC.run >/dev/null; sleep 2; jcmd $SERVER_PID GC.heap_info | grep -m1 -o 'used [0-9]*K' | tr -dc 0-9; }
      before=$(heap)
      java -jar "$TOOLS_JAR" load idle --url "$URL" --connections 10000 --hold 60s >"$WORK/idle.txt" 2>&1 &
      idle=$!
      for _ in $(seq 300); do grep -q holding "$WORK/idle.txt" && break; sleep 1; done
      sleep 10
      during=$(heap)
      echo "== 10,000 idle connections, each subscribed to a channel of its own"
      echo "server heap after full GC: $((before / 1024)) MB before, $((during / 1024)) MB while held: $(( (during - before) * 1024 / 10000 )) bytes per connection"
      echo "server resident set: $(( $(ps -o rss= -p $SERVER_PID) / 1024 )) MB"
      echo "Redis connections of the server: $(ss -tnp | grep "pid=$SERVER_PID," | grep -c ":$REDIS_PORT ") (of all processes, by name: $(redis-cli -p "$REDIS_PORT" client list | grep -o 'name=[a-z-]*' | sort | uniq -c | xargs))"
      wait $idle || true
      cat "$WORK/idle.txt"
      ;;
    calls-cluster)
      # The same build on one Redis and on a 3-master cluster, each with a server and a callee of
      # its own, all running at once; the cases alternate between the two, so that both see about
      # the same machine load (on a shared machine it changes from minute to minute).
      [[ -n ${SERVER_PID:-} ]] && stop_apps
      single_redis=("${REDIS_PIDS[@]}")
      start_apps single
      start_cluster
      REDIS_PIDS=("${REDIS_PIDS[@]:${#single_redis[@]}}")
      HTTP_PORT=$(free_port $((HTTP_PORT + 1)))
      unset JUGGLER_REDIS_URL
      export JUGGLER_REDIS_CLUSTER_NODES=$CLUSTER_NODES
      start_apps cluster
      unset JUGGLER_REDIS_CLUSTER_NODES
      export JUGGLER_REDIS_URL=redis://127.0.0.1:$REDIS_PORT
      echo "cluster: 3 masters at $CLUSTER_NODES"
      for backend in single cluster; do
        use_stack "$backend"
        run "$backend: warm-up (not a result)" load --connections 50 --duration "$WARMUP" | tail -3
      done
      for c in 1 10 50; do
        for backend in single cluster; do
          use_stack "$backend"
          echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
          run "$backend: test.echo, c=$c" load --connections "$c" --duration "$DURATION" --metrics
        done
      done
      ;;
    *) echo "unknown scenario $scenario" >&2; exit 2 ;;
  esac
done
