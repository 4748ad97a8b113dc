#!/usr/bin/env bash
# Writes the benchmark models of issue 7 (random weights, real shapes) outside the repository, for
# tools/bench-models/run.sh:
#   llama-3.2-1b-q8_0 llama-3.2-1b-q4_0 llama-3.2-1b-q4_k_m   Llama-3.2-1B's shape (2.5 GB F16 first)
#   qwen3-1.7b-q8_0                                          Qwen3-1.7B's shape (3.4 GB F16 first)
#   gpt-oss-20b-mxfp4                                        gpt-oss-20b's shape, 12 GB (GptOss20bShape)
# The first four are written as F16 by the Java tool dev.vireo.reference.BenchModels (core test
# sources, hyperparameters from the published config.json files, real vocabularies from llama.cpp's
# vocab GGUFs) and quantized by llama.cpp's own quantizer; the F16 file is removed afterwards unless
# --keep-f16. gpt-oss-20b is written directly in its published types by dev.vireo.reference.GptOss20bShape;
# if tools/gpt-oss-bench/bench.sh already wrote it (GPT_OSS_SHAPE), it is linked, not written again.
# Existing files are kept: delete one to make it again.
#
# Usage: tools/bench-models/make.sh [--dry-run] [--keep-f16] [TARGET...]     (default: every target)
#   --dry-run   print each shape (hyperparameters, tensors of one layer, sizes) and write nothing
# Environment:
#   BENCH_MODELS_DIR  output folder (default: .cache/models/bench)
#   LLAMA_CPP_DIR     llama.cpp fetched by tools/llama-cpp/fetch.sh (default: .cache/llama.cpp)
#   LLAMA_QUANTIZE    a llama-quantize binary to use instead of the in-process libllama quantizer
#   GPT_OSS_SHAPE     an existing gpt-oss-20b-shape GGUF to link (default: .cache/models/gpt-oss-20b-shape.gguf)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
. tools/jdk.sh
dir="${BENCH_MODELS_DIR:-$root/.cache/models/bench}"
llamacpp="${LLAMA_CPP_DIR:-$root/.cache/llama.cpp}"
gptoss_existing="${GPT_OSS_SHAPE:-$root/.cache/models/gpt-oss-20b-shape.gguf}"

java_args=()
targets=()
dry=0
for a in "$@"; do
  case "$a" in
    --dry-run) dry=1; java_args+=("$a") ;;
    --keep-f16) java_args+=("$a") ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print } /^set / { exit }' "$0"; exit 0 ;;
    -*) echo "make.sh: unknown option $a" >&2; exit 2 ;;
    *) targets+=("$a") ;;
  esac
done
all=(llama-3.2-1b-q8_0 llama-3.2-1b-q4_0 llama-3.2-1b-q4_k_m qwen3-1.7b-q8_0 gpt-oss-20b-mxfp4)
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
dense=()
gptoss=0
for t in "${targets[@]}"; do
  case "$t" in
    gpt-oss-20b-mxfp4) gptoss=1 ;;
    llama-3.2-1b-q8_0|llama-3.2-1b-q4_0|llama-3.2-1b-q4_k_m|qwen3-1.7b-q8_0) dense+=("$t") ;;
    *) echo "make.sh: unknown target $t (known: ${all[*]})" >&2; exit 2 ;;
  esac
done
[ -z "${LLAMA_QUANTIZE:-}" ] || java_args+=(--llama-quantize "$LLAMA_QUANTIZE")

mkdir -p "$dir"
free_gb=$(( $(df --output=avail -B1 "$dir" | tail -1) / 1000000000 ))
echo "== $dir: ${free_gb} GB free" >&2

# The core test classes and their classpath (compiled once; later runs reuse them).
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
./mvnw -B -q -ntp -pl core -am test-compile >&2
./mvnw -B -q -ntp -pl core dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2
cp="core/target/test-classes:core/target/classes:$(cat "$cp_file")"
# Weights are built off-heap and written in one go: the F16 Qwen3-1.7B holds 3.4 GB.
java=("$JAVA_HOME/bin/java" -Xmx1g -XX:MaxDirectMemorySize=16g --enable-native-access=ALL-UNNAMED
  -Dvireo.llamacpp.dir="$llamacpp" -cp "$cp")

if [ ${#dense[@]} -gt 0 ]; then
  if [ $dry = 0 ] && [ "$free_gb" -lt 8 ]; then
    echo "make.sh: at least 8 GB free needed in $dir (F16 file plus its quantized copies)" >&2
    exit 1
  fi
  "${java[@]}" dev.vireo.reference.BenchModels "${java_args[@]}" "$dir" "${dense[@]}"
fi

if [ $gptoss = 1 ]; then
  out="$dir/gpt-oss-20b-shape-mxfp4.gguf"
  if [ $dry = 1 ]; then
    echo "gpt-oss-20b-shape (gpt-oss, model-spec.md §1.1): 24 layers, hidden 2880, 64/8 heads × 64," \
      "32 experts × 2880 (4 used), vocab 201088; MXFP4 experts, Q8_0 rest; ≈ 12.1 GB"
    echo "  → $out$([ -e "$out" ] && echo ' present')"
  elif [ -e "$out" ]; then
    echo "have  $out" >&2
  elif [ -f "$gptoss_existing" ]; then
    ln -s "$(readlink -f "$gptoss_existing")" "$out"
    echo "link  $out → $gptoss_existing" >&2
  elif [ "$free_gb" -lt 14 ]; then
    echo "make.sh: at least 14 GB free needed in $dir for gpt-oss-20b's shape" >&2
    exit 1
  else
    echo "write $out (12 GB)" >&2
    "${java[@]}" dev.vireo.reference.GptOss20bShape "$out"
  fi
fi
