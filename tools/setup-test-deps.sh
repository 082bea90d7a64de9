#!/usr/bin/env bash
# Installs the second oracle and the real peers the tests use, from Debian's packages, for
# /usr/bin/python3 (Debian's CPython 3.11): numpy 1.x (python3 on PATH has numpy 2.x), torch,
# pandas, sklearn, joblib, the Kafka client, aiohttp; and hyperfine for bench/cli.
# Idempotent: does nothing when everything imports already. Never fatal: without root or without
# the package registry, the tests that need a package skip with a message naming it.
set -uo pipefail
modules=(numpy torch pandas sklearn joblib confluent_kafka aiohttp)
packages=(python3-numpy python3-torch python3-pandas python3-sklearn python3-joblib python3-lz4
          python3-confluent-kafka python3-aiohttp hyperfine)
missing=0
if [ -x /usr/bin/python3 ]; then
  for m in "${modules[@]}"; do /usr/bin/python3 -c "import $m" 2>/dev/null || { missing=1; break; }; done
else
  missing=1
fi
command -v hyperfine >/dev/null || missing=1
[ "$missing" = 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "setup-test-deps: cannot install ${packages[*]} (needs root and apt-get); tests that need them will skip" >&2
  exit 0
fi
echo "setup-test-deps: installing ${packages[*]} (once per machine)..." >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q "${packages[@]}" >/tmp/picklejar-setup-test-deps.log 2>&1; then
  apt-get update -q >>/tmp/picklejar-setup-test-deps.log 2>&1
  apt-get install -y -q "${packages[@]}" >>/tmp/picklejar-setup-test-deps.log 2>&1 \
    || echo "setup-test-deps: apt-get install failed (see /tmp/picklejar-setup-test-deps.log); tests that need these packages will skip" >&2
fi
exit 0
