#!/usr/bin/env bash
# Builds tools/llama-cpp/logits.cpp against llama.cpp's prebuilt libraries (fetch.sh puts them in
# .cache/llama.cpp). Output: .cache/llama.cpp/bin/vireo-llama-logits. Needs g++.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
lc="${1:-$root/.cache/llama.cpp}"
"$root/tools/llama-cpp/fetch.sh" "$lc"
mkdir -p "$lc/bin"
g++ -O2 -std=c++17 "$root/tools/llama-cpp/logits.cpp" -o "$lc/bin/vireo-llama-logits" \
  -I "$lc/src/include" -I "$lc/src/ggml/include" \
  "$lc/lib/libllama.v0.5.0.so" "$lc/lib/libggml.v0.5.0.so" "$lc/lib/libggml-base.so" \
  -Wl,-rpath,"$lc/lib"
echo "$lc/bin/vireo-llama-logits"
