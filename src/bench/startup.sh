#!/usr/bin/env bash
# Measures how long the runnable server takes to be ready, started three ways, in turns:
#
#   src/bench/startup.sh [rounds]     (default 3; needs juggler-ear/target/juggler.jar and curl)
#   JARS="old.jar new.jar" src/bench/startup.sh [rounds]    (several builds, in turns)
#   IDLE=60 src/bench/startup.sh [rounds]    (and the resident set after so many idle seconds; needs
#                                            the JDK's jcmd)
#
#   java -jar          java -jar juggler.jar, each start unpacking into a new WLP_JAR_EXTRACT_DIR
#                      (removed after it)
#   script             src/run/juggler.sh: unpacked once (the first line), then reused
#   script, C1 only    the same with JVM_ARGS=-XX:TieredStopAtLevel=1
#
# "ready" is the first HTTP 200 of /health/ready (polled every 50 ms), which Liberty answers once the
# application has started. Each line gives the wall time to ready, the CPU time the server process
# had used by then (user + system, from /proc: on a shared machine the steadier figure), and the load
# average when the start began; with IDLE=<seconds>, also the server's resident set (VmRSS) after it
# has stood idle that long once ready (no connection; the callee workers wait for calls) and, of it,
# the Java heap that the collector has committed then (jcmd GC.heap_info).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
read -r -a jars <<<"${JARS:-$root/juggler-ear/target/juggler.jar}"
rounds="${1:-3}"
work="$(mktemp -d)"
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
export JUGGLER_HTTP_HOST=127.0.0.1 JUGGLER_HTTP_PORT="$port"
tick="$(getconf CLK_TCK)"

# measure <label> <command…>: one start, one line, then stops the server
measure() {
  local label="$1" load start now
  shift
  load="$(cut -d' ' -f1 /proc/loadavg)"
  start=$(date +%s%N)
  "$@" >"$work/out.log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/out.log" >&2; exit 1; }
    sleep 0.05
  done
  now=$(date +%s%N)
  # the server JVM is this pid: java -jar runs Liberty in its own JVM, the script execs into it
  local stat=($(cut -d')' -f2- "/proc/$pid/stat")) rss=""
  if [[ "${IDLE:-0}" -gt 0 ]]; then
    sleep "$IDLE"
    rss=", RSS after ${IDLE} s idle $(awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status") MB"
    # the Java heap's part of it: what the collector has committed ("garbage-first heap total NNNK")
    rss+=" (heap $(jcmd "$pid" GC.heap_info | awk '/heap +total/ {sub("K,", "", $4); print int($4 / 1024)}') MB)"
  fi
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
  printf '%-40s ready %6d ms, cpu %6d ms (load %s)%s\n' "$label" $(((now - start) / 1000000)) \
    $(((stat[11] + stat[12]) * 1000 / tick)) "$load" "$rss"
}

# tag <index>: the jar's name before each label when several jars are compared
tag() { [[ ${#jars[@]} -gt 1 ]] && printf '%s: ' "$(basename "${jars[$1]}")" || true; }

nproc
java -version 2>&1 | head -1
for j in "${!jars[@]}"; do
  measure "$(tag "$j")script, first start (unpacks)" env WLP_JAR_EXTRACT_DIR="$work/script-$j" \
    "$root/src/run/juggler.sh" "${jars[$j]}"
done
for i in $(seq 1 "$rounds"); do
  for j in "${!jars[@]}"; do
    jar="${jars[$j]}"
    measure "$(tag "$j")java -jar" env WLP_JAR_EXTRACT_DIR="$work/jar-$i" java -jar "$jar"
    rm -rf "$work/jar-$i"
    measure "$(tag "$j")script" env WLP_JAR_EXTRACT_DIR="$work/script-$j" "$root/src/run/juggler.sh" "$jar"
    measure "$(tag "$j")script, C1 only" env WLP_JAR_EXTRACT_DIR="$work/script-$j" \
      JVM_ARGS=-XX:TieredStopAtLevel=1 "$root/src/run/juggler.sh" "$jar"
  done
done
