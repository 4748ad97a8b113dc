#!/usr/bin/env bash
# Compiles Vireo's CUDA kernels: each src/main/cuda/<stem>.cu into OUT_DIR/<stem>.fatbin holding SASS
# for sm_80, sm_86, sm_89 and sm_90a and PTX for compute_90 (which the driver compiles for newer
# GPUs), plus OUT_DIR/kernels.properties recording what was built (read by CudaKernels for its
# messages). The Maven build runs this in generate-resources and packages OUT_DIR as a resource.
#
#   cuda-kernels/build.sh [OUT_DIR]     default: cuda-kernels/target/generated-resources/cuda/dev/vireo/cuda/kernels
#
# nvcc is optional: where it is not found (NVCC, CUDA_HOME/bin, PATH, the toolkit's default prefix)
# or is older than 12.0 (sm_90a), this prints one line and exits 0, and the build has no kernels
# (the CUDA backend then says how to get them). A compile error fails. Register use and spills
# (ptxas -v) are summarised per kernel and architecture; the full ptxas output is kept beside the
# fatbin as <stem>.ptxas.txt (not packaged). A fatbin newer than its sources and this script is kept.
#
# Environment: NVCC (the compiler; "none" skips), CUDA_HOME, VIREO_CUDA_ARCHS (SASS targets, default
# "80 86 89 90a"), VIREO_CUDA_PTX (PTX target, default 90).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="$here/src/main/cuda"
out="${1:-$here/target/generated-resources/cuda/dev/vireo/cuda/kernels}"
archs="${VIREO_CUDA_ARCHS:-80 86 89 90a}"
ptx="${VIREO_CUDA_PTX:-90}"

if [ "${NVCC:-}" = none ]; then
  echo "cuda-kernels: NVCC=none; building without CUDA kernels"
  exit 0
fi
nvcc=""
for candidate in "${NVCC:-}" "${CUDA_HOME:+$CUDA_HOME/bin/nvcc}" "$(command -v nvcc 2>/dev/null || true)" \
                 /usr/local/cuda/bin/nvcc; do
  if [ -z "$nvcc" ] && [ -n "$candidate" ] && [ -x "$candidate" ]; then nvcc="$candidate"; fi
done
if [ -z "$nvcc" ]; then
  echo "cuda-kernels: nvcc not found (set CUDA_HOME or put nvcc on the PATH); building without CUDA kernels"
  exit 0
fi
version="$("$nvcc" --version 2>/dev/null | sed -n 's/.*release \([0-9][0-9]*\.[0-9][0-9]*\).*/\1/p' || true)"
if [ -z "$version" ] || [ "${version%%.*}" -lt 12 ]; then
  echo "cuda-kernels: $nvcc is CUDA ${version:-of unknown version}, older than 12.0 (needed for sm_90a); building without CUDA kernels"
  exit 0
fi

gencode=()
sass=""
for a in $archs; do
  gencode+=(-gencode "arch=compute_${a},code=sm_${a}")
  sass="$sass sm_$a"
done
gencode+=(-gencode "arch=compute_${ptx},code=compute_${ptx}")

mkdir -p "$out"
stems=""
built=0
for cu in "$src"/*.cu; do
  stem="$(basename "$cu" .cu)"
  stems="$stems $stem"
  fatbin="$out/$stem.fatbin"
  stale=0
  for dep in "$cu" "$src"/*.cuh "$0"; do
    [ "$dep" -nt "$fatbin" ] && stale=1
  done
  [ -f "$fatbin" ] && [ "$stale" = 0 ] && continue
  log="$out/$stem.ptxas.txt"
  # -lineinfo: source lines for compute-sanitizer and profilers, at no cost in speed.
  if ! "$nvcc" -std=c++17 -O3 -lineinfo -Xptxas -v "${gencode[@]}" -fatbin -o "$fatbin.tmp" "$cu" > "$log" 2>&1; then
    cat "$log" >&2
    rm -f "$fatbin.tmp"
    echo "cuda-kernels: nvcc failed on $stem.cu" >&2
    exit 1
  fi
  mv "$fatbin.tmp" "$fatbin"
  built=$((built + 1))
  echo "cuda-kernels: $stem.fatbin ($(wc -c < "$fatbin") bytes)"
  # One line per kernel and architecture: registers, spills, shared memory.
  awk '
    /Compiling entry function/ { match($0, /function .[^'"'"']*/); fn = substr($0, RSTART + 10, RLENGTH - 10);
                                 match($0, /for .sm_[0-9a-z]*/); arch = substr($0, RSTART + 5, RLENGTH - 5) }
    /spill stores/             { spills = $5 " spill stores, " $9 " spill loads" }
    /Used [0-9]+ registers/    { match($0, /Used [0-9]+ registers/); regs = substr($0, RSTART + 5, RLENGTH - 5);
                                 smem = ""; if (match($0, /[0-9]+ bytes smem/)) smem = ", " substr($0, RSTART, RLENGTH);
                                 printf "  %-20s %-7s %s, %s%s\n", fn, arch, regs, spills, smem }' "$log"
done

info="$out/kernels.properties"
{
  echo "# Written by cuda-kernels/build.sh"
  echo "nvcc=$version"
  echo "sass=${sass# }"
  echo "ptx=compute_$ptx"
  echo "modules=${stems# }"
} > "$info.tmp"
if cmp -s "$info.tmp" "$info"; then rm "$info.tmp"; else mv "$info.tmp" "$info"; fi
[ "$built" = 0 ] && echo "cuda-kernels: fatbins up to date ($out)"
exit 0
