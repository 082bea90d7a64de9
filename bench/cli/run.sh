#!/usr/bin/env bash
# The command line as a user runs it: whole processes of ./picklejar and of python3 doing the same
# job (bench/cli/python_jobs.py), side by side in one hyperfine run per command and file, and the
# peak memory (max RSS) of each from /usr/bin/time. Writes bench/target/cli/report.md (one Markdown
# table) and each hyperfine table under bench/target/cli/hyperfine/.
#
#   bench/cli/run.sh            # 2 warm-up runs and 10 measured runs each (3 and 1 for the 50 MB file)
#   RUNS=3 bench/cli/run.sh     # fewer runs: quicker, noisier
#   PICKLEJAR="java -jar /tmp/old.jar" OUT=/tmp/old bench/cli/run.sh   # another build, for a before/after
#
# Needs hyperfine and /usr/bin/time (tools/setup-test-deps.sh installs both) and python3.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${OUT:-$root/bench/target/cli}"
runs="${RUNS:-10}"
for tool in hyperfine /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "bench/cli/run.sh: $tool is missing (tools/setup-test-deps.sh installs it)" >&2; exit 2; }
done
mkdir -p "$out/hyperfine"
python3 "$here/make_files.py" "$out"
pj="${PICKLEJAR:-$root/picklejar}"
$pj -V >/dev/null # builds the jar and its class-data archive when needed, outside the timings
# shellcheck source=bench/vm_memory.sh
. "$here/../vm_memory.sh"
vm_memory_hold >&2 # this VM's first touch of a page is slow; see that file
py="python3 $here/python_jobs.py"
rows="$out/rows.tsv"
: >"$rows"

# One row: a label for the command, the file, then picklejar's and python3's arguments.
measure() {
  local label="$1" file="$2" pj_args="$3" py_args="$4"
  local name="${label// /-}-${file%.pickle}" warmup=2 n="$runs"
  if [ "$file" = big.pickle ]; then warmup=1; n=$(( runs < 3 ? runs : 3 )); fi
  echo "== $label $file" >&2
  hyperfine -N --style basic --warmup "$warmup" --runs "$n" \
      --export-json "$out/hyperfine/$name.json" --export-markdown "$out/hyperfine/$name.md" \
      -n picklejar "$pj $pj_args" -n python3 "$py $py_args" >&2
  local pj_kb py_kb
  pj_kb=$(/usr/bin/time -f %M $pj $pj_args 2>&1 >/dev/null | tail -1)
  py_kb=$(/usr/bin/time -f %M $py $py_args 2>&1 >/dev/null | tail -1)
  printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$file" "$out/hyperfine/$name.json" "$pj_kb" "$py_kb" >>"$rows"
}

for file in tiny.pickle records.pickle bytes.pickle big.pickle; do
  f="$out/$file"
  measure "show" "$file" "show $f" "show $f"
  measure "convert --protocol 2" "$file" "convert --protocol 2 $f $out/out-pj.pickle" "convert $f $out/out-py.pickle 2"
  if [ "$file" != bytes.pickle ]; then # json.dump cannot write bytes; picklejar writes {"$bytes": ...}
    measure "convert to JSON" "$file" "convert $f $out/out-pj.json" "json $f $out/out-py.json"
  fi
  measure "scan" "$file" "scan $f" "scan $f"
done

python3 - "$rows" "$out" >"$out/report.md" <<'EOF'
import json, os, sys
rows, out = sys.argv[1], sys.argv[2]
sizes = {f: os.path.getsize(os.path.join(out, f)) for f in os.listdir(out) if f.endswith(".pickle") and not f.startswith("out-")}
def size(n):
    return "%d B" % n if n < 1000 else "%.1f MB" % (n / 1e6)
print("| command | file | picklejar s | python3 s | python3 / picklejar | picklejar MB | python3 MB |")
print("|---|---|---:|---:|---:|---:|---:|")
for line in open(rows):
    label, file, result, pj_kb, py_kb = line.rstrip("\n").split("\t")
    means = {r["command"]: r for r in json.load(open(result))["results"]}
    pj, py = means["picklejar"]["mean"], means["python3"]["mean"]
    print("| %s | %s (%s) | %.3f ± %.3f | %.3f ± %.3f | %.2f× | %.0f | %.0f |" % (
        label, file, size(sizes[file]), pj, means["picklejar"]["stddev"] or 0, py, means["python3"]["stddev"] or 0,
        py / pj, int(pj_kb) / 1024, int(py_kb) / 1024))
EOF
rm -f "$out"/out-pj.* "$out"/out-py.*
cat "$out/report.md"
echo "bench/cli/run.sh: the table is in $out/report.md" >&2
