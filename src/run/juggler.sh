#!/usr/bin/env bash
# Runs one of the build's runnable jars the way `java -jar` does, but unpacks it only once:
#
#   src/run/juggler.sh [path/to/juggler.jar]     (default: juggler-ear/target/juggler.jar;
#                                                 juggler-callee.jar works the same way)
#
# `java -jar juggler.jar` unpacks its 57 MB into a new directory at every start, so Liberty starts
# cold every time (no caches), and it leaves that directory's logs behind in ~/wlpExtract; given a
# WLP_JAR_EXTRACT_DIR that is already there, it refuses to start ("Directory already exists").
# This script unpacks the jar into a directory of its own once per build of the jar and starts the
# server from there with Liberty's `server run`, in the foreground, in this process: later starts
# reuse the unpacked server and its caches (workarea), which is what makes them quick.
#
# Where: WLP_JAR_EXTRACT_DIR when set (the same variable as for java -jar), else next to the jar
# (juggler-ear/target/juggler.run/, which `./mvnw clean` removes). The server's logs stay there,
# in wlp/usr/servers/<server>/logs. Settings are the same as for java -jar (JUGGLER_* environment
# variables); two processes at once need two directories, as with java -jar. SIGTERM or Ctrl-C stops
# the server (exit status 143 or 130).
set -euo pipefail

fail() {
  printf 'juggler.sh: %s\n' "$*" >&2
  exit 1
}

here="$(cd "$(dirname "$0")" && pwd)"
jar="${1:-$here/../../juggler-ear/target/juggler.jar}"
[[ -f "$jar" ]] || fail "$jar not found: build it with ./mvnw -pl juggler-ear -am package -DskipTests"
jar="$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")"
dir="${WLP_JAR_EXTRACT_DIR:-${jar%.jar}.run}"

# The jar this directory was unpacked from: its path, size and modification time.
stamp="$jar $(stat -c '%s %Y' "$jar")"
if [[ ! -f "$dir/.unpacked-from" || "$(cat "$dir/.unpacked-from")" != "$stamp" ]]; then
  command -v jar >/dev/null || fail "the JDK's jar tool is not on the PATH (a JDK, not only a JRE, is needed)"
  # replace only what this script unpacked before: never a directory it did not make
  if [[ -e "$dir" && ! -f "$dir/.unpacked-from" && -n "$(ls -A "$dir" 2>/dev/null)" ]]; then
    fail "$dir is not empty and was not unpacked by this script: remove it, or choose another WLP_JAR_EXTRACT_DIR"
  fi
  rm -rf "$dir" "$dir.partial"
  mkdir -p "$dir.partial"
  (cd "$dir.partial" && jar xf "$jar" wlp)
  chmod +x "$dir.partial"/wlp/bin/* "$dir.partial"/wlp/bin/tools/*
  printf '%s\n' "$stamp" >"$dir.partial/.unpacked-from"
  mv "$dir.partial" "$dir" # a start interrupted above leaves no directory that looks complete
fi

servers=("$dir"/wlp/usr/servers/*/)
[[ ${#servers[@]} -eq 1 && -d "${servers[0]}" ]] || fail "expected one server in $dir/wlp/usr/servers"
server="$(basename "${servers[0]}")"
exec "$dir/wlp/bin/server" run "$server"
