#!/usr/bin/env bash
# Fuzzes one of core's fuzz targets for N minutes with Jazzer's standalone driver (libFuzzer).
#
#   tools/fuzz.sh TARGET [MINUTES]      TARGET: loads | strictLoads | dis | scan | roundTrip
#
# Starts from the committed seeds (core/src/test/resources/dev/picklejar/fuzz/PickleFuzzTestInputs/,
# CPython pickles of every type and protocol, and the earlier crashes of that target) and keeps the
# corpus it grows in core/target/fuzz/TARGET/corpus (not committed), so a second run goes on from the
# first. A finding (an exception other than the target's documented one, an OutOfMemoryError, a
# hang of more than 10 s) stops the run; the script copies the input that caused it into
# PickleFuzzTestInputs/TARGET/, where every later `mvn verify` replays it: commit it with the fix.
# One JVM, one core (the targets are single-threaded); -Xmx2g. Prints libFuzzer's statistics.
set -euo pipefail
target=${1:?usage: tools/fuzz.sh loads|strictLoads|dis|scan|roundTrip [MINUTES]}
minutes=${2:-10}
case $target in
  loads) class=Loads ;; strictLoads) class=StrictLoads ;; dis) class=Dis ;; scan) class=Scan ;;
  roundTrip) class=RoundTrip ;;
  *) echo "fuzz.sh: unknown target $target (loads, strictLoads, dis, scan, roundTrip)" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
inputs=core/src/test/resources/dev/picklejar/fuzz/PickleFuzzTestInputs
work=core/target/fuzz/$target
mkdir -p "$work/corpus" "$work/seeds" "$work/artifacts"
echo "fuzz.sh: compiling core's tests (mvn -pl core test-compile)..." >&2
mvn -B -q -pl core test-compile
mvn -B -q -pl core dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/fuzz/classpath >/dev/null
cp="core/target/test-classes:core/target/classes:$(cat core/target/fuzz/classpath)"
# libFuzzer reads seed folders one level deep: the shared seeds, then this target's regressions.
find "$work/seeds" -type f -delete
find "$inputs" -maxdepth 1 -type f -exec cp {} "$work/seeds/" \;
[ -d "$inputs/$target" ] && find "$inputs/$target" -type f -exec cp {} "$work/seeds/" \;
echo "fuzz.sh: fuzzing $target for $minutes minute(s); corpus in $work/corpus" >&2
set +e
java -Xmx2g -Xss8m -cp "$cp" com.code_intelligence.jazzer.Jazzer \
  --target_class="dev.picklejar.fuzz.FuzzTargets\$$class" \
  --instrumentation_includes='dev.picklejar.**' \
  --keep_going=1 \
  -max_total_time=$((minutes * 60)) -timeout=10 -rss_limit_mb=3072 -max_len=16384 \
  -artifact_prefix="$work/artifacts/" -print_final_stats=1 \
  "$work/corpus" "$work/seeds"
status=$?
set -e
found=$(find "$work/artifacts" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'slow-unit-*' \) 2>/dev/null)
if [ -n "$found" ]; then
  mkdir -p "$inputs/$target"
  for f in $found; do cp "$f" "$inputs/$target/"; echo "fuzz.sh: finding kept as $inputs/$target/$(basename "$f")" >&2; done
fi
exit $status
