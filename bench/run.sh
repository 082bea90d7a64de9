#!/usr/bin/env bash
# Benchmarks picklejar against Pyrolite (same JVM, JMH) and CPython's C pickler (python3) on the
# same corpus files, and prints one Markdown table per corpus. See bench/README.md.
#
#   bench/run.sh [quick|full|check] [corpus...]
#
#   quick   about 3 minutes on 2 cores: 1 fork, 1 warm-up and 2 measured iterations of 1 s
#   full    about 40 minutes: 2 forks, 5 warm-up and 5 measured iterations of 2 s; loads of the
#           protocol 2 files too
#   check   no timing: each library loads and dumps each corpus once; is the output CPython's?
#   corpus  records ints floats strings bytes nested records-stream (default: all)
#
# Environment: GC picks the benchmark JVMs' collector: parallel (the default; the throughput
# collector, for batch work) or g1 (the JVM's own default; see bench/README.md, "The collector");
# JVM_ARGS adds options to the benchmark JVMs (e.g. JVM_ARGS=-XX:G1HeapRegionSize=32m);
# JMH_ARGS adds JMH options (e.g. JMH_ARGS="-prof stack"); JAVA picks the java binary;
# PICKLEJAR_BENCH_SLOW_SECONDS: an operation slower than this is timed once, not by JMH (quick 8, full 15).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
TARGET="$BENCH/target"
RESULTS="$TARGET/results"
JAR="$TARGET/benchmarks.jar"
JAVA="${JAVA:-java}"
ALL_CORPORA=(records ints floats strings bytes nested records-stream)

usage() {
    sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

MODE="${1:-quick}"
[ $# -gt 0 ] && shift
case "$MODE" in
    quick | full | check) ;;
    -h | --help | help) usage; exit 0 ;;
    *) echo "run.sh: unknown mode '$MODE'" >&2; usage >&2; exit 2 ;;
esac
CORPORA=("$@")
[ ${#CORPORA[@]} -eq 0 ] && CORPORA=("${ALL_CORPORA[@]}")
WHOLE=()   # corpora of one pickle each (LoadsBenchmark, DumpsBenchmark)
STREAM=()  # corpora of many pickles (StreamLoadsBenchmark)
for c in "${CORPORA[@]}"; do
    case " ${ALL_CORPORA[*]} " in *" $c "*) ;; *) echo "run.sh: unknown corpus '$c' (known: ${ALL_CORPORA[*]})" >&2; exit 2 ;; esac
    if [ "$c" = records-stream ]; then STREAM+=("$c"); else WHOLE+=("$c"); fi
done
join() { local IFS=,; echo "$*"; }
case "${GC:-parallel}" in
    parallel) GC_FLAG=-XX:+UseParallelGC ;;
    g1) GC_FLAG=-XX:+UseG1GC ;;
    *) echo "run.sh: unknown GC '$GC' (parallel or g1)" >&2; exit 2 ;;
esac

for tool in python3 mvn "$JAVA"; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool not found" >&2; exit 2; }
done

start=$(date +%s)
step() { printf '\n== %s (%ds)\n' "$*" $(($(date +%s) - start)); }

step "corpora (python3 bench/make_corpora.py)"
python3 "$BENCH/make_corpora.py"

step "build (mvn -Pbench -pl bench -am package)"
# Tests are not compiled: the benchmarks only need core's main classes.
(cd "$ROOT" && mvn -q -B -Pbench -pl bench -am package -Dmaven.test.skip=true)

mkdir -p "$RESULTS"
rm -rf "$RESULTS/probes" "$RESULTS"/jmh*.json "$RESULTS/cpython.json" "$RESULTS/report.md"
{
    echo "machine: $(uname -srm); $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "memory:  $(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}')"
    echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min averages when the run started)"
    echo "java:    $("$JAVA" -version 2>&1 | sed -n 2p)"
    echo "python:  $(python3 -VV | tr -d '\n')"
    echo "mode:    $MODE ($(date -u '+%Y-%m-%d %H:%M UTC'); $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo 'no git'))"
} >"$RESULTS/machine.txt"
cat "$RESULTS/machine.txt"

if [ "$MODE" = check ]; then
    step "check (each library loads and dumps each corpus once)"
    "$JAVA" -Xmx4g -cp "$JAR" dev.picklejar.bench.Check "${CORPORA[@]}"
    exit 0
fi

case "$MODE" in
    quick) JMH_MODE=(-f 1 -wi 1 -w 1s -i 2 -r 1s); LOAD_PROTOCOLS=5; SLOW=8 ;;
    full) JMH_MODE=(-f 2 -wi 5 -w 2s -i 5 -r 2s); LOAD_PROTOCOLS=5,2; SLOW=15 ;;
esac
# An operation slower than this (seconds, once in setup) is timed once instead of by JMH (Probe.java).
export PICKLEJAR_BENCH_SLOW_SECONDS="${PICKLEJAR_BENCH_SLOW_SECONDS:-$SLOW}"
# shellcheck disable=SC2206
EXTRA=(${JMH_ARGS:-})
# The whole fork command line: -jvmArgs replaces the benchmarks' own (-Xms4g -Xmx4g).
FORK_ARGS="-Xms4g -Xmx4g $GC_FLAG${JVM_ARGS:+ $JVM_ARGS}"
EXTRA+=(-jvmArgs "$FORK_ARGS")
echo "forks:   $FORK_ARGS; JMH ${JMH_MODE[*]} -prof gc ${JMH_ARGS:-}" \
    | tee -a "$RESULTS/machine.txt"

# JMH's own output goes to jmh.log; the console shows which benchmark runs and any failure.
run_jmh() {
    local json="$1"; shift
    set +e
    "$JAVA" -jar "$JAR" "$@" "${JMH_MODE[@]}" -prof gc -rf json -rff "$json" "${EXTRA[@]}" 2>&1 \
        | tee -a "$RESULTS/jmh.log" \
        | grep --line-buffered -E '^# (Benchmark|Parameters):|<failure>|reported as n/a|timed once'
    local status=${PIPESTATUS[0]}
    set -e
    [ "$status" -eq 0 ] || echo "(JMH exited with $status; failures are reported as n/a)"
}
: >"$RESULTS/jmh.log"
if [ ${#WHOLE[@]} -gt 0 ]; then
    step "JMH: loads and dumps, picklejar and Pyrolite (${WHOLE[*]})"
    run_jmh "$RESULTS/jmh.json" 'dev\.picklejar\.bench\.(Loads|Dumps)Benchmark\.' \
        -p corpus="$(join "${WHOLE[@]}")" -p protocol="$LOAD_PROTOCOLS"
fi
if [ ${#STREAM[@]} -gt 0 ]; then
    step "JMH: streaming loads (${STREAM[*]})"
    run_jmh "$RESULTS/jmh-stream.json" 'dev\.picklejar\.bench\.StreamLoadsBenchmark\.' \
        -p corpus="$(join "${STREAM[@]}")"
fi

step "CPython (python3 bench/cpython_bench.py)"
python3 "$BENCH/cpython_bench.py" --mode "$MODE" --out "$RESULTS/cpython.json" "${CORPORA[@]}"

step "report (python3 bench/report.py)"
echo "$(cut -d' ' -f1-3 /proc/loadavg) (load averages when the run ended)" | sed 's/^/end load: /' >>"$RESULTS/machine.txt"
echo "took:    $(($(date +%s) - start)) s" >>"$RESULTS/machine.txt"
python3 "$BENCH/report.py" --results "$RESULTS" --corpora "$TARGET/corpora" \
    --title "picklejar benchmarks ($MODE, ${GC:-parallel} collector$([ "$MODE" = quick ] && echo ', preliminary'))"
echo
echo "report: $RESULTS/report.md; raw: $RESULTS/jmh*.json, $RESULTS/cpython.json, $RESULTS/jmh.log"
