#!/usr/bin/env bash
# Runs Vireo's GPU tests (JUnit tag `cuda`) on a machine with an NVIDIA GPU, driver and CUDA toolkit,
# and writes a report: the GPU and driver (nvidia-smi), the toolkit, each test class's result, and the
# kernels' register use (ptxas -v). Every launch is synchronised and checked (-Dvireo.cuda.sync=true)
# so a fault is blamed on its kernel, and a machine where CUDA turns out to be unavailable fails
# rather than skipping (-Dvireo.cuda.required=true).
#
#   tools/gpu/cuda-tests.sh [REPORT]      default REPORT: target/cuda-tests.txt
#
# Needs nvcc (CUDA_HOME, PATH, or the toolkit's default prefix): without kernels the tests fail.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tools/jdk.sh
report="${1:-target/cuda-tests.txt}"
mkdir -p "$(dirname "$report")"
{
  echo "# Vireo cuda tests, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv 2>&1 || echo "nvidia-smi: not available"
  "${CUDA_HOME:-/usr/local/cuda}/bin/nvcc" --version 2>&1 | tail -n 2 || true
} > "$report"
./mvnw -B -ntp -pl bindings,core,cuda-kernels -am verify -Dgroups=cuda -Dsurefire.failIfNoSpecifiedTests=false \
  -Dvireo.cuda.sync=true -Dvireo.cuda.required=true 2>&1 | tee target/cuda-tests.log
status=${PIPESTATUS[0]}
{
  echo
  grep -E "Tests run:|FAIL|cuda-kernels:|registers" target/cuda-tests.log
  for f in cuda-kernels/target/generated-resources/cuda/dev/vireo/cuda/kernels/*.ptxas.txt; do
    [ -f "$f" ] && { echo; echo "## $(basename "$f")"; cat "$f"; }
  done
  echo
  echo "exit status: $status"
} >> "$report"
echo "report: $report"
exit "$status"
