#!/usr/bin/env bash
# The picklejar-kafka benchmark: records per second through a real Kafka broker on loopback (the
# tests' in-process KRaft broker, Apache Kafka 4.4), PickleSerde against StringSerde carrying the
# same records as JSON (Jackson 3). Builds what it needs without installing anything, then prints a
# Markdown table.
#   bench/kafka/run.sh [records per run, default 500000] [runs per serde, default 3]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "building picklejar-kafka and its test classes (the broker)..." >&2
(cd "$root" && mvn -q -B -DskipTests test-compile dependency:build-classpath -pl kafka -am \
  -Dmdep.outputFile="$work/cp.txt" >&2)
cp="$root/kafka/target/test-classes:$root/kafka/target/classes:$root/core/target/classes:$(cat "$work/cp.txt")"
javac -d "$work/classes" -cp "$cp" "$here/KafkaBench.java"
java -Xms2g -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$work/classes:$cp" \
  dev.picklejar.kafka.KafkaBench "$@"
