#!/usr/bin/env bash
# creeplint's benchmark: creeplint check against ripgrep on the same patterns and files, and cat.
#
#   benches/run.sh [--sizes "2 20 200"] [--runs N] [--synthetic [PATTERNS]] [--pack FILE]...
#
# Generates deterministic corpora of campaign templates under bench-data/ (once; kept between
# runs), exports the regexes of the loaded rules for `rg -f`, and prints a table of wall time,
# MB/s and peak RSS, then the start-up time of a pre-commit-sized run (10 small files).
# --synthetic adds a generated ~300-pattern pack (benches/gen/synth_pack.py) to approximate the
# load of the full built-in packs; --pack adds pack files of your own. See docs/speed.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$ROOT/bench-data"
SIZES="2 20 200"
RUNS=5
PACK_ARGS=()
SYNTH=""

while [[ $# -gt 0 ]]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --pack) PACK_ARGS+=(--pack "$(realpath "$2")"); shift 2 ;;
    --synthetic)
      SYNTH=300
      if [[ "${2:-}" =~ ^[0-9]+$ ]]; then SYNTH="$2"; shift; fi
      shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
  esac
done

need_apt=()
command -v rg >/dev/null || need_apt+=(ripgrep)
command -v hyperfine >/dev/null || need_apt+=(hyperfine)
[[ -x /usr/bin/time ]] || need_apt+=(time)
if [[ ${#need_apt[@]} -gt 0 ]]; then
  if command -v apt-get >/dev/null && [[ $(id -u) -eq 0 ]]; then
    echo "installing ${need_apt[*]} with apt-get" >&2
    apt-get update -qq >/dev/null && apt-get install -y -qq "${need_apt[@]}" >/dev/null || true
  fi
  command -v rg >/dev/null || { echo "error: ripgrep (rg) is needed; install it" >&2; exit 2; }
fi

echo "building creeplint (release)" >&2
(cd "$ROOT" && cargo build --release --quiet)
CL="$ROOT/target/release/creeplint"
mkdir -p "$DATA"

if [[ -n "$SYNTH" ]]; then
  python3 "$ROOT/benches/gen/synth_pack.py" "$DATA/synthetic-pack.toml" "$SYNTH"
  PACK_ARGS+=(--pack "$DATA/synthetic-pack.toml")
fi
SRC=(--no-config "${PACK_ARGS[@]}")

# Patterns exactly as the engine runs them. ripgrep builds older than regex 1.10 do not know the
# half word boundaries `\b{start-half}`/`\b{end-half}`; for them, plain `\b` is the nearest form.
"$CL" rules "${SRC[@]}" export-patterns >"$DATA/patterns.txt"
if ! printf 'a\n' | rg -q -f <(printf '%s\n' '(?-u:\b{start-half})a') 2>/dev/null; then
  sed -e 's/\\b{start-half}/\\b/g; s/\\b{end-half}/\\b/g' "$DATA/patterns.txt" >"$DATA/patterns-rg.txt"
else
  cp "$DATA/patterns.txt" "$DATA/patterns-rg.txt"
fi
NPAT=$(wc -l <"$DATA/patterns.txt")

# Regenerate a corpus only when the generator or its sentences changed.
GEN_SUM=$(cat "$ROOT/benches/gen/corpus.py" "$ROOT/tests/corpus/messages.tsv" | sha256sum | cut -c1-16)
for mb in $SIZES; do
  dir="$DATA/corpus-${mb}mb"
  if [[ "$(cat "$dir/.stamp" 2>/dev/null)" != "$GEN_SUM" ]]; then
    rm -rf "$dir"
    python3 "$ROOT/benches/gen/corpus.py" "$dir" "$mb"
    echo "$GEN_SUM" >"$dir/.stamp"
  fi
done

# Mean wall seconds of a command line (hyperfine when present, else the median of $RUNS runs),
# then the mean user+system CPU seconds (load on a shared machine inflates wall time, not CPU).
# Exit status 1 (findings) is expected from creeplint, so failures are ignored.
mean_time() {
  if command -v hyperfine >/dev/null; then
    hyperfine --style none --warmup 1 --runs "$RUNS" -i --export-json "$DATA/.hf.json" "$1" >/dev/null 2>&1
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(r["mean"], r["user"]+r["system"])' "$DATA/.hf.json"
  else
    python3 - "$1" "$RUNS" <<'PY'
import os, subprocess, sys, time, statistics
cmd, runs = sys.argv[1], int(sys.argv[2])
subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
ts, cpu = [], []
for _ in range(runs):
    t, c = time.perf_counter(), os.times()
    subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    e = os.times()
    ts.append(time.perf_counter() - t)
    cpu.append(e.children_user - c.children_user + e.children_system - c.children_system)
print(statistics.median(ts), statistics.median(cpu))
PY
  fi
}

# Peak resident set size in MB of one run.
peak_rss() {
  if [[ -x /usr/bin/time ]]; then
    { /usr/bin/time -v bash -c "$1" 2>&1 >/dev/null || true; } |
      awk -F': ' '/Maximum resident/ {printf "%.0f", $2/1024}'
  else
    echo "?"
  fi
}

q() { printf '%q' "$1"; }

echo
echo "machine: $(nproc) cores, $(uname -sr); rg $(rg --version | head -1 | cut -d' ' -f2); creeplint $("$CL" --version | cut -d' ' -f2)"
echo "rules: $("$CL" rules "${SRC[@]}" | wc -l) rules, $NPAT patterns${SYNTH:+ (incl. $SYNTH synthetic)}; runs per figure: $RUNS; page cache warm"
echo
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-7s %6s %8s | %-15s | %-15s | %-15s | %6s | %-13s | %-13s\n' \
  corpus files MB "cat s (MB/s)" "rg s (MB/s)" "creeplint s" "cl/rg" "cpu s rg  cl" "rss rg    cl"
SRC_Q=""
for a in "${SRC[@]}"; do SRC_Q+=" $(q "$a")"; done
for mb in $SIZES; do
  dir="$DATA/corpus-${mb}mb"
  files=$(find "$dir" -type f ! -name '.*' | wc -l)
  bytes=$(find "$dir" -type f ! -name '.*' -printf '%s\n' | awk '{s+=$1} END {print s}')
  cat_cmd="find $(q "$dir") -type f ! -name '.*' -exec cat {} + >/dev/null"
  rg_cmd="rg --no-ignore -i -c -f $(q "$DATA/patterns-rg.txt") $(q "$dir") >/dev/null"
  cl_cmd="$(q "$CL") check$SRC_Q --format concise $(q "$dir") >/dev/null"
  read -r t_cat _ < <(mean_time "$cat_cmd")
  read -r t_rg c_rg < <(mean_time "$rg_cmd")
  read -r t_cl c_cl < <(mean_time "$cl_cmd")
  r_rg=$(peak_rss "$rg_cmd")
  r_cl=$(peak_rss "$cl_cmd")
  python3 - "$mb" "$files" "$bytes" "$t_cat" "$t_rg" "$t_cl" "$r_rg" "$r_cl" "$c_rg" "$c_cl" <<'PY'
import sys
mb, files, size, tc, tr, tl, rr, rl, cr, cl = sys.argv[1:]
size = int(size) / 1e6
tc, tr, tl, cr, cl = float(tc), float(tr), float(tl), float(cr), float(cl)
f = lambda t: f"{t:6.3f} ({size / t:5.0f})"
print(f"{mb + 'MB':<7} {files:>6} {size:8.1f} | {f(tc):<15} | {f(tr):<15} | {f(tl):<15} | {tl / tr:5.2f}x | {cr:6.2f} {cl:6.2f} | {rr + 'MB':>6} {rl + 'MB':>6}")
PY
done

# Start-up: a pre-commit run passes a handful of small files.
mapfile -t small < <(find "$DATA/corpus-$(echo "$SIZES" | awk '{print $1}')mb" -type f \( -name '*.md' -o -name '*.liquid' \) | sort | head -10)
small_q=""
for f in "${small[@]}"; do small_q+=" $(q "$f")"; done
read -r t_small c_small < <(mean_time "$(q "$CL") check$SRC_Q --format concise$small_q >/dev/null")
read -r t_rules c_rules < <(mean_time "$(q "$CL") rules$SRC_Q >/dev/null")
python3 -c 'import sys; a = [float(x) * 1000 for x in sys.argv[1:]]; print(f"\nstart-up: check of 10 small files {a[0]:.1f} ms wall, {a[1]:.1f} ms CPU; loading the packs alone (rules list) {a[2]:.1f} ms wall, {a[3]:.1f} ms CPU")' "$t_small" "$c_small" "$t_rules" "$c_rules"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "phases of the largest run (creeplint check --timings):"
"$CL" check "${SRC[@]}" --timings --format concise "$DATA/corpus-$(echo "$SIZES" | awk '{print $NF}')mb" 2>&1 >/dev/null | grep -E '^ ' || true
