#!/usr/bin/env bash
# The fetch benchmark: pages per second at the same concurrency, from one local nginx serving
# small static pages, for picklejar-fetch (in a warmed-up JVM), the seed's Python example
# (asyncio + aiohttp), the JDK's own HttpClient (for comparison) and wrk (the ceiling).
# Not a test: it prints a table and exits 0.
#
#   bench/fetch/run.sh                       # from anywhere in the repository
#   PAGES=2000 CONCURRENCY=64 ROUNDS=5 bench/fetch/run.sh
#
# Installs nginx, wrk and python3-aiohttp with apt-get when missing (needs root, as on the
# project's machines). nginx runs as the current user from a temporary prefix, on a free loopback
# port, and is stopped on exit.
set -euo pipefail

PAGES="${PAGES:-5000}"              # distinct pages; every round fetches each once
CONCURRENCY="${CONCURRENCY:-64}"    # requests in flight, the same for every client
ROUNDS="${ROUNDS:-5}"               # measured rounds per client (the median and the best are shown)
WARMUP_SECONDS="${WARMUP_SECONDS:-15}"  # picklejar's unmeasured rounds first, for the JIT
WRK_SECONDS="${WRK_SECONDS:-5}"
NGINX_WORKERS="${NGINX_WORKERS:-1}"
PY=/usr/bin/python3                 # Debian's python, the one python3-aiohttp installs for

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

need=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
"$PY" -c 'import aiohttp' >/dev/null 2>&1 || need+=(python3-aiohttp)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}..." >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${need[@]}" >&2
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

work="$(mktemp -d "${TMPDIR:-/tmp}/picklejar-fetch-bench.XXXXXX")"
nginx_pid=""
cleanup() {
  if [ -n "$nginx_pid" ]; then
    kill "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "building picklejar-fetch..." >&2
# Built in the reactor, never installed: ~/.m2 may be shared. Each module of the build writes its
# class path to cp.txt in turn; fetch, built last, writes the one kept (core as core/target's jar).
(cd "$root" && mvn -q -B -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -pl fetch -am \
  package dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >&2)
cp="$root/fetch/target/classes:$(cat "$work/cp.txt")"

# The pages: small HTML documents (about 1 KiB), UTF-8 with some Korean, as a site would serve.
mkdir -p "$work/www/p" "$work/tmp"
"$PY" - "$work/www/p" "$PAGES" <<'PYEOF'
import os, sys
folder, n = sys.argv[1], int(sys.argv[2])
for i in range(1, n + 1):
    body = "".join(f"<li>항목 {i}.{j}: lorem ipsum dolor sit amet</li>\n" for j in range(20))
    page = f"<!doctype html>\n<html><head><meta charset='utf-8'><title>Page {i}</title></head>\n<body><ul>\n{body}</ul></body></html>\n"
    with open(os.path.join(folder, f"{i}.html"), "w", encoding="utf-8") as f:
        f.write(page)
PYEOF

port="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
user_line=""
[ "$(id -u)" -eq 0 ] && user_line="user $(id -un) $(id -gn);"
sed -e "s|@PREFIX@|$work|g" -e "s|@PORT@|$port|g" -e "s|@WORKERS@|$NGINX_WORKERS|g" -e "s|@USER@|$user_line|g" \
  "$here/nginx.conf.template" > "$work/nginx.conf"
"$NGINX" -p "$work" -c "$work/nginx.conf" 2>"$work/nginx.stderr" &
nginx_pid=$!
for _ in $(seq 100); do
  if "$PY" -c "import socket,sys; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null; then break; fi
  kill -0 "$nginx_pid" 2>/dev/null || { cat "$work/nginx.stderr" "$work/error.log" >&2 2>/dev/null; echo "nginx did not start" >&2; exit 1; }
  sleep 0.1
done

urls="$work/urls.txt"
for i in $(seq 1 "$PAGES"); do echo "http://127.0.0.1:$port/p/$i.html"; done > "$urls"
page_bytes="$(stat -c %s "$work/www/p/1.html")"

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }
best() { sort -n | tail -1; }

load_at_start="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "picklejar-fetch: warm-up for $WARMUP_SECONDS s, then $ROUNDS measured rounds..." >&2
javac -d "$work/classes" -cp "$cp" "$here/FetchBench.java"
java ${JAVA_OPTS:-} -cp "$work/classes:$cp" FetchBench "$urls" "$CONCURRENCY" "$WARMUP_SECONDS" "$ROUNDS" > "$work/java.txt"

echo "JDK HttpClient: warm-up for $WARMUP_SECONDS s, then $ROUNDS measured rounds..." >&2
javac -d "$work/classes" "$here/JdkClientBench.java"
java ${JAVA_OPTS:-} -cp "$work/classes" JdkClientBench "$urls" "$CONCURRENCY" "$WARMUP_SECONDS" "$ROUNDS" > "$work/jdk.txt"

echo "seed example (asyncio + aiohttp): $ROUNDS rounds..." >&2
"$PY" "$here/seed_fetch.py" "$urls" "$CONCURRENCY" "$ROUNDS" > "$work/python.txt"

echo "wrk: $WRK_SECONDS s..." >&2
wrk_threads=$(( CONCURRENCY < 2 ? 1 : 2 ))
PAGES="$PAGES" wrk -t "$wrk_threads" -c "$CONCURRENCY" -d "${WRK_SECONDS}s" -s "$here/pages.lua" \
  "http://127.0.0.1:$port/" > "$work/wrk.txt"
wrk_rate="$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$work/wrk.txt")"

java_median="$(median < "$work/java.txt")"; java_best="$(best < "$work/java.txt")"
jdk_median="$(median < "$work/jdk.txt")"; jdk_best="$(best < "$work/jdk.txt")"
py_median="$(median < "$work/python.txt")"; py_best="$(best < "$work/python.txt")"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f×", a / b}'; }

echo
echo "fetch benchmark: $PAGES pages of $page_bytes bytes from nginx ($NGINX_WORKERS worker) on 127.0.0.1, concurrency $CONCURRENCY, $(nproc) cores, load average before $load_at_start"
printf '%-44s %12s %12s %12s\n' "client" "pages/s" "best" "vs Python"
printf '%-44s %12s %12s %12s\n' "picklejar-fetch (Reactor Netty, warmed JVM)" "$java_median" "$java_best" "$(ratio "$java_median" "$py_median")"
printf '%-44s %12s %12s %12s\n' "seed example (asyncio + aiohttp $("$PY" -c 'import aiohttp; print(aiohttp.__version__)'))" "$py_median" "$py_best" "1.0×"
printf '%-44s %12s %12s %12s\n' "JDK java.net.http.HttpClient (warmed JVM)" "$jdk_median" "$jdk_best" "$(ratio "$jdk_median" "$py_median")"
printf '%-44s %12s %12s %12s\n' "wrk (ceiling: no parsing, no decoding)" "$wrk_rate" "" "$(ratio "$wrk_rate" "$py_median")"
echo "(pages/s: median of $ROUNDS rounds of $PAGES pages each; wrk: ${WRK_SECONDS} s run)"
