#!/usr/bin/env bash
# The picklejar-net benchmark: messages per second one way and round-trip latency on loopback, for
# Java<->Java, Python client -> Java server, Java client -> Python server and Python<->Python.
# Builds what it needs (Maven, offline once dependencies are cached), then prints a table.
#   bench/net/run.sh [N one-way messages, default 1000000] [M round trips, default 20000]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
n="${1:-1000000}"
m="${2:-20000}"
key=bench
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

echo "building picklejar-net..." >&2
(cd "$root" && mvn -q -B -DskipTests install -pl net -am >&2)
(cd "$root" && mvn -q -B dependency:build-classpath -pl net -Dmdep.outputFile="$work/cp.txt" >&2)
cp="$(cat "$work/cp.txt"):$root/net/target/classes"
javac -d "$work/classes" -cp "$cp" "$here/NetBench.java"
run_java() { java -Xms512m -Xmx512m -cp "$cp:$work/classes" NetBench "$@"; }

wait_port() {  # the first line a server prints is its port
  local file="$1"
  for _ in $(seq 200); do
    if [ -s "$file" ]; then head -1 "$file"; return; fi
    sleep 0.05
  done
  echo "server did not start" >&2; exit 1
}

echo "1/4 Java client -> Java server" >&2
jj="$(run_java java-java "$n" "$m")"

echo "2/4 Python client -> Java server" >&2
run_java server "$key" > "$work/jserver.out" & pids+=($!)
port="$(wait_port "$work/jserver.out")"
pj="$(python3 "$here/py_bench.py" client 127.0.0.1 "$port" "$key" "$n" "$m" --quit)"

echo "3/4 Java client -> Python server" >&2
python3 "$here/py_bench.py" server "$key" > "$work/pserver1.out" & pids+=($!)
port="$(wait_port "$work/pserver1.out")"
jp="$(run_java client 127.0.0.1 "$port" "$key" "$n" "$m")"

echo "4/4 Python client -> Python server" >&2
python3 "$here/py_bench.py" server "$key" > "$work/pserver2.out" & pids+=($!)
port="$(wait_port "$work/pserver2.out")"
pp="$(python3 "$here/py_bench.py" client 127.0.0.1 "$port" "$key" "$n" "$m" --quit)"

field() { sed -E "s/.*$1=([0-9.]+).*/\1/" <<<"$2"; }
printf '\nloopback, %s one-way messages of (0, %s, 3.5), %s sequential round trips; %s cores\n' \
  "$n" "'hello'" "$m" "$(nproc)"
printf '%-32s %14s %14s %11s %11s %14s\n' "pair" "one-way msg/s" "pre-pickled/s" "RTT p50 us" "RTT p99 us" \
  "round trips/s"
for row in "Java client -> Java server|$jj" "Python client -> Java server|$pj" \
           "Java client -> Python server|$jp" "Python client -> Python server|$pp"; do
  name="${row%%|*}"; r="${row#*|}"
  printf '%-32s %14.0f %14.0f %11s %11s %14.0f\n' "$name" "$(field oneway "$r")" "$(field raw "$r")" \
    "$(field p50 "$r")" "$(field p99 "$r")" "$(field rtt "$r")"
done
