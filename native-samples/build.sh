#!/bin/sh
# Builds the sample programs into $1 (default: target/bin). Called by the Maven build.
out=${1:-target/bin}
for tool in gcc make; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "native-samples: '$tool' not found; install it with: apt-get install -y gcc make" >&2
    exit 1
  fi
done
exec make -s -C src OUT="$(mkdir -p "$out" && cd "$out" && pwd)"
