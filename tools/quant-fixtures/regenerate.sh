#!/usr/bin/env bash
# Regenerates core/src/test/resources/quant/ from llama.cpp's own llama-quantize and libggml-base
# (see README.md beside this script for what the fixtures hold and which llama.cpp made them).
#
# Usage: tools/quant-fixtures/regenerate.sh [LLAMA_QUANTIZE]
#   LLAMA_QUANTIZE  path of a built llama-quantize (or env LLAMA_QUANTIZE); required
#   LLAMA_CPP_DIR   llama.cpp fetched by tools/llama-cpp/fetch.sh (default .cache/llama.cpp):
#                   its src/ supplies ggml.h and gguf-py, its lib/ the prebuilt libggml-base.so
#   PYTHON          a Python 3 with numpy (default /usr/bin/python3)
#   OUT             output directory (default core/src/test/resources/quant)
# Needs a C compiler (cc). Takes about a minute, most of it fingerprinting every float conversion.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
quantize="${1:-${LLAMA_QUANTIZE:-}}"
llama="${LLAMA_CPP_DIR:-$root/.cache/llama.cpp}"
python="${PYTHON:-/usr/bin/python3}"
out="${OUT:-$root/core/src/test/resources/quant}"

if [ -z "$quantize" ] || [ ! -x "$quantize" ]; then
  echo "regenerate.sh: pass the path of a built llama-quantize (argument or LLAMA_QUANTIZE)" >&2
  exit 1
fi
if [ ! -f "$llama/src/ggml/include/ggml.h" ] || [ ! -f "$llama/lib/libggml-base.so" ]; then
  echo "regenerate.sh: no llama.cpp at $llama; run tools/llama-cpp/fetch.sh or set LLAMA_CPP_DIR" >&2
  exit 1
fi
llama="$(cd "$llama" && pwd)"
commit="$(git -C "$llama/src" log -1 --format=%h 2>/dev/null || echo unknown)"
release="$(sed -n 's/.*"release":"\([^"]*\)".*/\1/p' "$llama/lib/_nlcBuildMetadata.json" 2>/dev/null || true)"
complete="$(ls "$llama"/.complete-* 2>/dev/null | head -1)"
source_line="node-llama-cpp ${complete##*.complete-}, llama.cpp ${release:-unknown} commit $commit"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cc -O2 -std=c11 -Wall -Wextra -I"$llama/src/ggml/include" "$root/tools/quant-fixtures/ggml_ref.c" \
   -o "$work/ggml_ref" -L"$llama/lib" -lggml-base -Wl,-rpath,"$llama/lib" -lm

rm -rf "$out"
mkdir -p "$out"
PYTHONPATH="$llama/src/gguf-py${PYTHONPATH:+:$PYTHONPATH}" "$python" \
  "$root/tools/quant-fixtures/fixtures.py" --quantize "$quantize" --ggml-ref "$work/ggml_ref" \
  --out "$out" --work "$work" --source "$source_line"
