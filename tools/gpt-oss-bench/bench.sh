#!/usr/bin/env bash
# Decode and prompt speed of gpt-oss-20b's exact shape on the CPU: Vireo against llama.cpp on the same
# random-weight GGUF (MXFP4 experts, Q8_0 elsewhere, as llama.cpp's published gpt-oss-20b GGUF), with
# each one's peak resident memory. The model (12 GB) is written once by the Java tool
# dev.vireo.reference.GptOss20bShape (core test sources) and kept outside the repository.
#
# Usage: tools/gpt-oss-bench/bench.sh [MODEL.gguf]      (default .cache/models/gpt-oss-20b-shape.gguf)
# Environment: LLAMA_BENCH  llama.cpp's llama-bench (default: llama-bench on the PATH; skipped if none)
#              THREADS (default: nproc)  PROMPT tokens (default 64)  GEN tokens (default 32)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. tools/jdk.sh
model="${1:-$root/.cache/models/gpt-oss-20b-shape.gguf}"
threads="${THREADS:-$(nproc)}"
prompt="${PROMPT:-64}"
gen="${GEN:-32}"

if [ ! -f "$model" ]; then
  echo "== writing $model (random weights, gpt-oss-20b shape)" >&2
  ./mvnw -B -q -ntp -pl core -am test-compile >&2
  cp_file="$(mktemp)"
  ./mvnw -B -q -ntp -pl core dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2
  mkdir -p "$(dirname "$model")"
  "$JAVA_HOME/bin/java" -Xmx3g --enable-native-access=ALL-UNNAMED \
    -cp "core/target/test-classes:core/target/classes:$(cat "$cp_file")" dev.vireo.reference.GptOss20bShape "$model"
  rm -f "$cp_file"
fi

ids="$(seq -s, 1000 $((1000 + prompt - 1)))"
echo "== Vireo ($threads threads): $prompt prompt tokens, $gen generated" >&2
/usr/bin/time -f "vireo peak RSS: %M KB" ./vireo run -m "$model" --ids "$ids" -n "$gen" --temp 0 -t "$threads" \
  -c 4096 --print-ids

bench="${LLAMA_BENCH:-$(command -v llama-bench || true)}"
if [ -n "$bench" ]; then
  echo "== llama.cpp llama-bench ($threads threads)" >&2
  /usr/bin/time -f "llama.cpp peak RSS: %M KB" "$bench" -m "$model" -p "$prompt" -n "$gen" -t "$threads" -r 2
else
  echo "== llama-bench not found: set LLAMA_BENCH to compare with llama.cpp" >&2
fi
