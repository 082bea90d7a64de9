#!/usr/bin/env bash
# Benchmarks picklejar against Pyrolite (same JVM, JMH) and CPython's C pickler (python3) on the
# same corpus files, on G1 (the JVM's default collector) and on the parallel collector, and prints
# one report with both. See bench/README.md.
#
#   bench/run.sh [quick|full|check] [corpus...]
#
#   quick   about 12 minutes on 2 cores (both collectors, every corpus): one round per corpus
#           (CPython, JMH on G1, JMH on parallel, CPython), each JMH benchmark 1 fork of 1 warm-up
#           and 2 measured iterations of 1 s
#   full    about 40 minutes: two rounds per corpus (CPython, G1, parallel, CPython, G1, parallel,
#           CPython), each 1 fork of 2 warm-up and 3 measured iterations of 1 s; loads of the
#           protocol 2 files too; all six data-binding formats
#   check   no timing: each library loads and dumps each corpus once; is the output CPython's?
#   corpus  records ints floats strings bytes nested records-stream numpy-f32 torch binding
#           (default: all)
#
# Environment: GC picks the collectors, in order (default "g1 parallel"; GC=g1 or GC=parallel for
# one); JVM_ARGS adds options to the benchmark JVMs (e.g. JVM_ARGS=-XX:G1HeapRegionSize=32m);
# JMH_ARGS adds JMH options (e.g. JMH_ARGS="-prof stack"); ROUNDS overrides the mode's rounds;
# JAVA picks the java binary; TORCH_PYTHON the python3 with torch (default /usr/bin/python3);
# PICKLEJAR_BENCH_SLOW_SECONDS: an operation slower than this is timed once, not by JMH (quick 8, full 15).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
TARGET="$BENCH/target"
RESULTS="$TARGET/results"
JAR="$TARGET/benchmarks.jar"
JAVA="${JAVA:-java}"
TORCH_PYTHON="${TORCH_PYTHON:-/usr/bin/python3}"
ALL_CORPORA=(records ints floats strings bytes nested records-stream numpy-f32 torch binding)

usage() {
    sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
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
MADE=()  # corpora make_corpora.py writes (all but binding, whose rows are made in Java)
for c in "${CORPORA[@]}"; do
    case " ${ALL_CORPORA[*]} " in *" $c "*) ;; *) echo "run.sh: unknown corpus '$c' (known: ${ALL_CORPORA[*]})" >&2; exit 2 ;; esac
    [ "$c" = binding ] || MADE+=("$c")
done
join() { local IFS=,; echo "$*"; }
# shellcheck disable=SC2206
GCS=(${GC:-g1 parallel})
gc_flag() {
    case "$1" in
        parallel) echo -XX:+UseParallelGC ;;
        g1) echo -XX:+UseG1GC ;;
        *) echo "run.sh: unknown GC '$1' (g1, parallel, or both: GC='g1 parallel')" >&2; exit 2 ;;
    esac
}
for gc in "${GCS[@]}"; do gc_flag "$gc" >/dev/null; done

for tool in python3 mvn "$JAVA"; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool not found" >&2; exit 2; }
done

start=$(date +%s)
step() { printf '\n== %s (%ds)\n' "$*" $(($(date +%s) - start)); }

step "corpora (python3 bench/make_corpora.py)"
[ ${#MADE[@]} -eq 0 ] || TORCH_PYTHON="$TORCH_PYTHON" python3 "$BENCH/make_corpora.py" "${MADE[@]}"

step "build (mvn -Pbench -pl bench -am package)"
# Tests are not compiled: the benchmarks only need core's main classes.
(cd "$ROOT" && mvn -q -B -Pbench -pl bench -am package -Dmaven.test.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true)

# shellcheck source=bench/vm_memory.sh
. "$BENCH/vm_memory.sh"
VM_MEMORY="not touched (check mode)"
if [ "$MODE" != check ]; then
    step "memory (bench/vm_memory.sh: the VM's first touch of a page is paid here, not in a timing)"
    mkdir -p "$TARGET"
    vm_memory_hold >"$TARGET/vm_memory.txt" # not in a subshell: its trap restores the settings at exit
    cat "$TARGET/vm_memory.txt"
    VM_MEMORY="$(tr '\n' ';' <"$TARGET/vm_memory.txt" | sed 's/;$//; s/;/; /g')"
fi

mkdir -p "$RESULTS"
rm -rf "$RESULTS/probes" "$RESULTS/jmh" "$RESULTS/cpython" "$RESULTS"/jmh*.json "$RESULTS/cpython.json" "$RESULTS/report.md"
{
    echo "machine: $(uname -srm); $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "memory:  $(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}')"
    echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min averages when the run started)"
    echo "java:    $("$JAVA" -version 2>&1 | sed -n 2p)"
    echo "python:  $(python3 -VV | tr -d '\n'); numpy $(python3 -c 'import numpy; print(numpy.__version__)' 2>/dev/null || echo none)"
    case " ${CORPORA[*]} " in *" torch "*)
        echo "torch:   $("$TORCH_PYTHON" -c 'import sys, torch; print("torch", torch.__version__, "on python", sys.version.split()[0])' 2>&1 | tail -1) ($TORCH_PYTHON)" ;;
    esac
    echo "vm:      $VM_MEMORY"
    echo "mode:    $MODE ($(date -u '+%Y-%m-%d %H:%M UTC'); $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo 'no git'))"
} >"$RESULTS/machine.txt"
cat "$RESULTS/machine.txt"

if [ "$MODE" = check ]; then
    step "check (each library loads and dumps each corpus once)"
    "$JAVA" -Xmx4g -Dpicklejar.bench.collector=check -cp "$JAR" dev.picklejar.bench.Check "${CORPORA[@]}"
    exit 0
fi

case "$MODE" in
    quick) JMH_MODE=(-f 1 -wi 1 -w 1s -i 2 -r 1s); LOAD_PROTOCOLS=5; SLOW=8; MODE_ROUNDS=1
        FORMATS=pickle,msgpack ;;
    full) JMH_MODE=(-f 1 -wi 2 -w 1s -i 3 -r 1s); LOAD_PROTOCOLS=5,2; SLOW=15; MODE_ROUNDS=2
        FORMATS=pickle,msgpack,pickle-p2,cbor,smile,json ;;
esac
ROUNDS="${ROUNDS:-$MODE_ROUNDS}"
# An operation slower than this (seconds, once in setup) is timed once instead of by JMH (Probe.java).
export PICKLEJAR_BENCH_SLOW_SECONDS="${PICKLEJAR_BENCH_SLOW_SECONDS:-$SLOW}"
# shellcheck disable=SC2206
EXTRA=(${JMH_ARGS:-})
# The whole fork command line. G1: the collector and nothing else, so the heap is the JVM's default
# (a quarter of the machine's memory, 6 GiB here, starting at 1/64: 384 MiB), as users run it. A
# fixed -Xms4g had made G1 grow its young generation to 2.4 GB of memory the process had never
# touched, and in this VM the first touch of a page cost more than the benchmark's own work (see
# bench/README.md, "The collector"). Parallel: as a batch job runs the throughput collector, with a
# fixed 4 GiB heap; with the default heap the 64-100 MiB arrays of the bytes and numpy corpora go
# straight to its old generation and each load costs a full collection (bytes loads 185 ms, against
# 6.7 ms on G1). (-Dpicklejar.bench.collector only names the probe files' folder.)
heap_flags() { [ "$1" = parallel ] && echo "-Xms4g -Xmx4g " || true; }
fork_args() { echo "$(heap_flags "$1")$(gc_flag "$1") -Dpicklejar.bench.collector=$1${JVM_ARGS:+ $JVM_ARGS}"; }
for gc in "${GCS[@]}"; do
    echo "forks:   $gc: $(fork_args "$gc")"
done | tee -a "$RESULTS/machine.txt"
echo "jmh:     ${JMH_MODE[*]} -prof gc ${JMH_ARGS:-}; $ROUNDS round(s) per corpus and collector, CPython before and after each" \
    | tee -a "$RESULTS/machine.txt"

# JMH's own output goes to jmh.log; the console shows which benchmark runs and any failure.
run_jmh() {
    local json="$1" gc="$2"; shift 2
    mkdir -p "$(dirname "$json")"
    set +e
    "$JAVA" -jar "$JAR" "$@" "${JMH_MODE[@]}" -prof gc -rf json -rff "$json" "${EXTRA[@]}" -jvmArgs "$(fork_args "$gc")" 2>&1 \
        | tee -a "$RESULTS/jmh.log" \
        | grep --line-buffered -E '^# (Benchmark|Parameters):|<failure>|reported as n/a|timed once|^# Run complete'
    local status=${PIPESTATUS[0]}
    set -e
    [ "$status" -eq 0 ] || echo "(JMH exited with $status; failures are reported as n/a)"
}
# One corpus's JMH benchmarks on one collector.
jmh_corpus() {
    local corpus="$1" gc="$2" round="$3"
    local json="$RESULTS/jmh/$gc/$corpus.r$round.json"
    case "$corpus" in
        records-stream) run_jmh "$json" "$gc" 'dev\.picklejar\.bench\.StreamLoadsBenchmark\.' -p corpus="$corpus" ;;
        numpy-f32) run_jmh "$json" "$gc" 'dev\.picklejar\.bench\.NumpyBenchmark\.' ;;
        torch) run_jmh "$json" "$gc" 'dev\.picklejar\.bench\.TorchBenchmark\.' ;;
        binding) run_jmh "$json" "$gc" 'dev\.picklejar\.bench\.BindingBenchmark\.' -p format="$FORMATS" ;;
        *) run_jmh "$json" "$gc" 'dev\.picklejar\.bench\.(Loads|Dumps)Benchmark\.' \
            -p corpus="$corpus" -p protocol="$LOAD_PROTOCOLS" ;;
    esac
}
# One CPython run of one corpus, in a new process (torch's with the python3 that has torch).
cpython_corpus() {
    local corpus="$1" round="$2" python=python3
    [ "$corpus" = binding ] && return 0
    [ "$corpus" = torch ] && python="$TORCH_PYTHON"
    "$python" "$BENCH/cpython_bench.py" --mode "$MODE" --out "$RESULTS/cpython/$corpus.r$round.json" "$corpus"
}

# Interleaved, so that a change in the machine's load moves both sides of a ratio: per corpus,
# CPython, then JMH on each collector, then CPython again, ROUNDS times.
: >"$RESULTS/jmh.log"
for corpus in "${CORPORA[@]}"; do
    step "$corpus: CPython (round 0)"
    cpython_corpus "$corpus" 0
    for round in $(seq 1 "$ROUNDS"); do
        for gc in "${GCS[@]}"; do
            step "$corpus: JMH on $gc (round $round)"
            jmh_corpus "$corpus" "$gc" "$round"
        done
        step "$corpus: CPython (round $round)"
        cpython_corpus "$corpus" "$round"
    done
done

step "report (python3 bench/report.py)"
echo "$(cut -d' ' -f1-3 /proc/loadavg) (load averages when the run ended)" | sed 's/^/end load: /' >>"$RESULTS/machine.txt"
echo "took:    $(($(date +%s) - start)) s" >>"$RESULTS/machine.txt"
python3 "$BENCH/report.py" --results "$RESULTS" --corpora "$TARGET/corpora" --collectors "${GCS[*]}" \
    --title "picklejar benchmarks ($MODE$([ "$MODE" = quick ] && echo ', preliminary'))"
echo
echo "report: $RESULTS/report.md; raw: $RESULTS/jmh/*/*.json, $RESULTS/cpython/*.json, $RESULTS/jmh.log"
