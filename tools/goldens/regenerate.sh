#!/usr/bin/env bash
# Regenerates the model goldens in core/src/test/resources/goldens from llama.cpp:
#   1. fetches llama.cpp from npm and builds its logits dumper (tools/llama-cpp/logits.cpp),
#   2. runs the golden tests in regeneration mode: each tiny model is generated (seeded, byte-identical
#      every time), quantized by llama.cpp's own quantizer where needed, and given to the dumper; the
#      JSON it writes records the model's SHA-256 and the llama.cpp version,
#   3. the same run then checks Vireo against the fresh goldens.
# Usage: tools/goldens/regenerate.sh [TEST_CLASS_PATTERN]   (default: every *GoldenTest in core)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. tools/jdk.sh
tools/llama-cpp/build-logits.sh >/dev/null
./mvnw -B -ntp -pl core -am test -Dtest="${1:-*GoldenTest}" -Dsurefire.failIfNoSpecifiedTests=false \
  -Dvireo.goldens.regenerate=true
