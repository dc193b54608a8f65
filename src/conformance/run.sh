#!/usr/bin/env bash
# Runs the conformance check against the runnable jar: starts a private redis-server and the jar on
# free loopback ports, runs conformance.mjs, checks that /juggler.js is served and runs its tests
# (juggler-web/src/main/js/test), and stops both.
#
#   src/conformance/run.sh [path/to/juggler.jar]   (default: juggler-ear/target/juggler.jar)
#
# Needs java, node (20.10+), npm, curl and redis-server on the PATH.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
jar="$(realpath "${1:-$here/../../juggler-ear/target/juggler.jar}")"
work="$(mktemp -d)"
redis_pid=""
server_pid=""

cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null ||
    node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

redis_port="$(free_port)"
http_port="$(free_port)"

redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --dir "$work" \
  >"$work/redis.log" 2>&1 &
redis_pid=$!

JUGGLER_REDIS_URL="redis://127.0.0.1:$redis_port" JUGGLER_HTTP_HOST=127.0.0.1 \
  JUGGLER_HTTP_PORT="$http_port" WLP_JAR_EXTRACT_DIR="$work/wlp" \
  java -jar "$jar" >"$work/server.log" 2>&1 &
server_pid=$!

ready=""
for _ in $(seq 1 120); do
  if grep -q "CWWKF0011I" "$work/server.log" 2>/dev/null; then ready=yes; break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
  sleep 0.5
done
if [ -z "$ready" ]; then
  echo "the server did not start; its log:" >&2
  cat "$work/server.log" >&2
  exit 1
fi
echo "juggler.jar ready on port $http_port with Redis on port $redis_port"

cd "$here"
npm ci --no-audit --no-fund --silent
node conformance.mjs "ws://127.0.0.1:$http_port/ws"

# the JavaScript client: served by the jar as it is in the source tree, and its tests against it
js="$here/../../juggler-web/src/main/js"
served="$(curl -fsS "http://127.0.0.1:$http_port/juggler.js")"
if [ "$served" != "$(cat "$js/juggler.js")" ]; then
  echo "/juggler.js is not juggler-web/src/main/js/juggler.js" >&2
  exit 1
fi
echo "/juggler.js served"
ws_flag=""
[ "$(node -e 'console.log(typeof WebSocket)')" = "function" ] || ws_flag="--experimental-websocket"
JUGGLER_URL="ws://127.0.0.1:$http_port/ws" node $ws_flag --test "$js/test/juggler.test.mjs"
