#!/bin/sh
# Builds the sample programs into $1 (default: target/bin). Called by the Maven build.
# Without gcc or make the build goes on without them: nothing but the demos and the tests needs the samples, and
# dev.inspector.core.demo.SampleDirectory builds them from src/ when one is first asked for.
out=${1:-target/bin}
missing=
for tool in gcc make; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
  echo "native-samples: skipped (not installed:$missing); to build them: apt-get install -y gcc make" \
    "(demos and tests build them on first use)" >&2
  exit 0
fi
exec make -s -C src OUT="$(mkdir -p "$out" && cd "$out" && pwd)"
