#!/usr/bin/env bash
# Reproduces issue 7's comparison table with one command: `vireo bench` (Vireo and llama.cpp in the
# same process, alternating repetition by repetition) over every benchmark model present, then one
# markdown table appended to a results file with the machine, the date and the command:
#   model | size | pp t/s Vireo, llama.cpp, ratio | tg t/s likewise | Vireo's peak RSS against file + KV
# Vireo's peak resident memory comes from a second, Vireo-only run (-r 1, --no-llama-cpp): in the
# side-by-side run the process also holds llama.cpp's mapping of the file and its buffers.
# Make the models first with tools/bench-models/make.sh. Run it on a quiet machine: the load average
# at the start is recorded next to the figures.
#
# Usage: tools/bench-models/run.sh [MODEL.gguf ...]   (default: every *.gguf in BENCH_MODELS_DIR)
# Environment:
#   BENCH_MODELS_DIR  where make.sh put the models (default: .cache/models/bench)
#   PROMPT GEN        pp and tg lengths (default: 512 and 128, llama-bench's pp512 / tg128)
#   REPS              repetitions per test (default: 5)
#   THREADS           threads for both engines (default: every processor)
#   RESULTS           markdown file the table is appended to (default: docs/benchmarks.md)
#   MEMORY            1: the Vireo-only run for peak RSS (default); 0: skip it
#   LLAMA_CPP_LIB     llama.cpp's prebuilt libraries (default: vireo bench's, .cache/llama.cpp/lib)
set -euo pipefail
case "${1:-}" in
  -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print } /^set / { exit }' "$0"; exit 0 ;;
esac
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
dir="${BENCH_MODELS_DIR:-$root/.cache/models/bench}"
prompt="${PROMPT:-512}"
gen="${GEN:-128}"
reps="${REPS:-5}"
results="${RESULTS:-$root/docs/benchmarks.md}"
memory="${MEMORY:-1}"
command -v python3 >/dev/null || { echo "run.sh: python3 is needed to read vireo bench's JSON" >&2; exit 1; }

models=("$@")
if [ ${#models[@]} -eq 0 ]; then
  shopt -s nullglob
  models=("$dir"/*.gguf)
  shopt -u nullglob
fi
if [ ${#models[@]} -eq 0 ]; then
  echo "run.sh: no models in $dir; make them with tools/bench-models/make.sh" >&2
  exit 1
fi

bench_args=(-p "$prompt" -n "$gen")
[ -z "${THREADS:-}" ] || bench_args+=(-t "$THREADS")
[ -z "${LLAMA_CPP_LIB:-}" ] || bench_args+=(--llama-cpp "$LLAMA_CPP_LIB")

# What the record says about the run, gathered before the machine gets busy with it.
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
[ -n "$cpu" ] || cpu="$(uname -m)"
cores="$(nproc) logical CPUs"
if command -v lscpu >/dev/null; then
  per_socket="$(LC_ALL=C lscpu | sed -n 's/^Core(s) per socket:[[:space:]]*//p')"
  sockets="$(LC_ALL=C lscpu | sed -n 's/^Socket(s):[[:space:]]*//p')"
  [ -z "$per_socket" ] || [ -z "$sockets" ] || cores="$cores ($((per_socket * sockets)) cores)"
fi
ram="$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
load="$(cut -d' ' -f1-3 /proc/loadavg)"
when="$(date -u '+%Y-%m-%d %H:%M UTC')"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
[ -z "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] || commit="$commit (with local changes)"
llamacpp="$(ls "$root"/.cache/llama.cpp/.complete-* 2>/dev/null | sed 's/.*\.complete-//' | head -1)"
cmd=""
for v in BENCH_MODELS_DIR PROMPT GEN REPS THREADS MEMORY LLAMA_CPP_LIB; do
  [ -z "${!v:-}" ] || cmd="$cmd$v=${!v} "
done
cmd="${cmd}tools/bench-models/run.sh${*:+ $*}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
i=0
for m in "${models[@]}"; do
  i=$((i + 1))
  echo "== [$i/${#models[@]}] $m" >&2
  # llama.cpp's loader is talkative: its messages (and Vireo's) go to a log, shown if the run fails.
  if ! ./vireo bench -m "$m" "${bench_args[@]}" -r "$reps" --json "$work/$i.json" 2> "$work/$i.log"; then
    tail -20 "$work/$i.log" >&2
    echo "run.sh: vireo bench failed on $m" >&2
    echo "{\"model\": \"$(basename "$m")\", \"failed\": true}" > "$work/$i.json"
    continue
  fi
  if [ "$memory" = 1 ] && grep -q '"peak_rss_includes_llama_cpp": true' "$work/$i.json"; then
    echo "== [$i/${#models[@]}] Vireo alone, for its peak RSS" >&2
    ./vireo bench -m "$m" "${bench_args[@]}" -r 1 --no-llama-cpp --json "$work/$i.mem.json" 2> "$work/$i.mem.log" \
      || { tail -20 "$work/$i.mem.log" >&2; echo "run.sh: the Vireo-only run failed on $m" >&2; }
  fi
done

python3 - "$work" "${#models[@]}" "$prompt" "$gen" "$reps" > "$work/table.md" <<'EOF'
import json, os, sys

work, count, prompt, gen, reps = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]

def size(n):
    if n is None or n < 0:
        return "?"
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.2f} {unit}"
    return f"{n} B"

def rate(r):
    return f"{r['tps_mean']:.2f} ± {r['tps_stddev']:.2f}" if r else "–"

def ratio(a, b):
    return f"{a['tps_mean'] / b['tps_mean']:.2f}×" if a and b and b["tps_mean"] > 0 else "–"

print(f"| model | size | pp{prompt} Vireo t/s | pp{prompt} llama.cpp t/s | pp ratio "
      f"| tg{gen} Vireo t/s | tg{gen} llama.cpp t/s | tg ratio | Vireo peak RSS | file + KV | RSS / (file + KV) |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
threads = set()
for i in range(1, count + 1):
    with open(os.path.join(work, f"{i}.json")) as f:
        d = json.load(f)
    if d.get("failed"):
        print(f"| {d['model']} | | failed | | | | | | | | |")
        continue
    threads.add(d["threads"])
    by = {(r["engine"], r["test"][:2]): r for r in d["results"]}
    mem = d
    mem_file = os.path.join(work, f"{i}.mem.json")
    if d["peak_rss_includes_llama_cpp"]:
        if os.path.exists(mem_file):
            with open(mem_file) as f:
                mem = json.load(f)
        else:
            mem = None
    need = d["file_bytes"] + d["kv_bytes"]
    rss = mem["peak_rss_bytes"] if mem else -1
    vp, lp = by.get(("vireo", "pp")), by.get(("llama.cpp", "pp"))
    vt, lt = by.get(("vireo", "tg")), by.get(("llama.cpp", "tg"))
    print(f"| {d['model']} | {size(d['file_bytes'])} | {rate(vp)} | {rate(lp)} | {ratio(vp, lp)} "
          f"| {rate(vt)} | {rate(lt)} | {ratio(vt, lt)} | {size(rss) if rss >= 0 else '–'} "
          f"| {size(d['file_bytes'])} + {size(d['kv_bytes'])} | {f'{rss / need:.2f}' if rss >= 0 else '–'} |")
print()
print(f"Threads: {', '.join(str(t) for t in sorted(threads)) or '?'}; {reps} repetitions, mean ± standard deviation. "
      "KV: Vireo's F32 K and V rows for the benchmark's context (prompt + generated + 1).")
EOF

{
  echo
  echo "### $when — $cpu"
  echo
  echo "- Machine: $cpu, $cores, $ram RAM; load average at start: $load"
  echo "- Vireo $commit, llama.cpp ${llamacpp:+node-llama-cpp $llamacpp }(in process, prebuilt libllama)"
  echo "- Command: \`$cmd\`"
  echo
  cat "$work/table.md"
} >> "$results"
cat "$work/table.md"
echo "run.sh: appended to $results" >&2
