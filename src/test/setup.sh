#!/usr/bin/env bash
# Installs what `./mvnw verify` needs besides a JDK 17+ (the README's test command runs this first):
#
#   chromium, chromedriver  BrowserIT drives the demo page in Debian's headless Chromium
#                           (/usr/bin/chromium, /usr/bin/chromedriver: packages chromium, chromium-driver)
#   redis-server            the tests' private Redis servers (juggler-test-redis), on free loopback ports
#
# Idempotent: when everything is there it only checks, in well under a second, and changes nothing.
# When something is missing it installs it with apt-get, which needs root on Debian or Ubuntu; anywhere
# else it stops with a message naming what is missing, and exits 1. Nothing is downloaded at test time.
set -euo pipefail

fail() {
  printf 'src/test/setup.sh: %s\n' "$*" >&2
  exit 1
}

# --- a JDK 17 or newer: the one thing this script does not install ---
command -v java >/dev/null || [[ -n "${JAVA_HOME:-}" ]] ||
  fail "no java on the PATH and no JAVA_HOME: install a JDK 17 or newer (Debian: apt-get install openjdk-17-jdk-headless)"
java_cmd="${JAVA_HOME:+$JAVA_HOME/bin/}java"
java_major="$("$java_cmd" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')"
[[ "${java_major:-0}" -ge 17 ]] || fail "$java_cmd is Java ${java_major:-?}; the build needs 17 or newer"

# --- what is missing: Debian package -> the file or command that shows it is installed ---
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
[[ -x /usr/bin/chromedriver ]] || missing+=(chromium-driver)
command -v redis-server >/dev/null || missing+=(redis-server)

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

[[ -f /etc/debian_version ]] && command -v apt-get >/dev/null ||
  fail "missing ${missing[*]} (Debian package names), and this is not Debian or Ubuntu (no apt-get): install Chromium as /usr/bin/chromium, its chromedriver as /usr/bin/chromedriver and redis-server on the PATH, then run again"
[[ "$(id -u)" -eq 0 ]] ||
  fail "missing ${missing[*]}: run this script as root once, or: sudo apt-get install -y ${missing[*]}"
echo "src/test/setup.sh: installing ${missing[*]} (apt-get)"

# Debian's redis-server package may start its own service on port 6379 (not where a policy-rc.d
# forbids it, as on container images). No test may lean on that Redis by accident, so a service
# this install started is stopped again; one that ran before is not this script's to touch.
redis_service() {
  if [[ -d /run/systemd/system ]]; then
    systemctl is-active redis-server 2>/dev/null || true
  else
    local pid
    pid="$(cat /run/redis/redis-server.pid 2>/dev/null || true)"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then echo "pid $pid"; fi
  fi
}
before="$(redis_service)"

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || fail "apt-get update failed"
apt-get install -y -qq "${missing[@]}" >/dev/null ||
  fail "apt-get install ${missing[*]} failed"

after="$(redis_service)"
if [[ "$after" != "$before" && ( "$after" == active || "$after" == pid\ * ) ]]; then
  echo "src/test/setup.sh: stopping the redis-server service ($after) that the package install started"
  if [[ "$after" == active ]]; then
    systemctl stop redis-server
  else
    kill "${after#pid }"
  fi
fi

# check again: a package that installed but left no such file is a failure here, not in a test
[[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] ||
  fail "chromium or chromedriver still missing from /usr/bin after apt-get install"
command -v redis-server >/dev/null || fail "redis-server still missing after apt-get install"
echo "src/test/setup.sh: $(/usr/bin/chromium --version 2>/dev/null || echo chromium), $(redis-server --version | cut -d' ' -f1-3)"
