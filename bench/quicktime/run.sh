#!/usr/bin/env bash
# A rough timer of picklejar's loads and dumps on pickle files (best and mean over ~3 s after warm-up):
#   bench/quicktime/run.sh [JVM options...] -- FILE...
# e.g. bench/quicktime/run.sh -XX:+UseParallelGC -- bench/target/corpora/records.p5.pickle
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jvm=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do jvm+=("$1"); shift; done
[ $# -gt 0 ] && shift
(cd "$root" && mvn -q -B -Dstyle.color=never -Dmaven.test.skip=true -pl core package >&2)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
jar="$(ls "$root"/core/target/picklejar-core-*.jar | grep -v -e -sources -e -javadoc | head -1)"
javac -d "$work" -cp "$jar" "$here/QuickTime.java"
java "${jvm[@]}" -cp "$jar:$work" QuickTime "$@"
