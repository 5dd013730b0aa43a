#!/usr/bin/env bash
# creeplint's benchmark: creeplint check against ripgrep on the same patterns and files, and cat.
#
#   benches/run.sh [--sizes "2 20 200"] [--shared "2000 20000"] [--runs N] [--synthetic [PATTERNS]]
#                  [--pack FILE]...
#
# Generates deterministic corpora of campaign templates under bench-data/ (once; kept between
# runs), exports the regexes of the loaded rules for `rg -f`, and prints a table of wall time,
# MB/s and peak RSS, then the start-up time of a pre-commit-sized run (10 small files).
# Then the shared corpus (../shared/bench/gen_corpus.py N, N files) against the reference pass
# `rg --no-unicode -i -c -f ../shared/bench/patterns.txt`, its 10 first c000/ files and `rules`.
# --sizes "" or --shared "" skips that part.
# --synthetic adds a generated ~300-pattern pack (benches/gen/synth_pack.py) to approximate the
# load of the full built-in packs; --pack adds pack files of your own. See docs/speed.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$ROOT/bench-data"
SIZES="2 20 200"
SHARED_SIZES="2000 20000"
SHARED_BENCH="$ROOT/../shared/bench"
RUNS=5
PACK_ARGS=()
SYNTH=""

while [[ $# -gt 0 ]]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2 ;;
    --shared) SHARED_SIZES="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --pack) PACK_ARGS+=(--pack "$(realpath "$2")"); shift 2 ;;
    --synthetic)
      SYNTH=300
      if [[ "${2:-}" =~ ^[0-9]+$ ]]; then SYNTH="$2"; shift; fi
      shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
SRC_Q=""
for a in "${SRC[@]}"; do SRC_Q+=" $(q "$a")"; done
if [[ -n "${SIZES// /}" ]]; then
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-7s %6s %8s | %-15s | %-15s | %-15s | %6s | %-13s | %-13s\n' \
    corpus files MB "cat s (MB/s)" "rg s (MB/s)" "creeplint s" "cl/rg" "cpu s rg  cl" "rss rg    cl"
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
fi

# The shared corpus of issue 13 against its reference, one ripgrep pass of 302 comparable
# case-insensitive patterns in its fast (non-Unicode) mode. `--no-ignore` because bench-data/ is
# gitignored; the corpus holds no ignore files, so it changes nothing else. Each figure is the
# median of $RUNS runs under /usr/bin/time -v (wall, user + system CPU, and the largest peak RSS),
# after one warm-up pass of rg.
if [[ -n "${SHARED_SIZES// /}" ]]; then
  [[ -f "$SHARED_BENCH/gen_corpus.py" ]] || { echo "error: $SHARED_BENCH/gen_corpus.py not found" >&2; exit 2; }
  [[ -x /usr/bin/time ]] || { echo "error: GNU time (/usr/bin/time) is needed for the shared corpus" >&2; exit 2; }
  SHARED_PATTERNS="$SHARED_BENCH/patterns.txt"
  SH_SUM=$(sha256sum "$SHARED_BENCH/gen_corpus.py" | cut -c1-16)
  echo
  echo "shared corpus (gen_corpus.py N), reference: rg --no-unicode -i -c -f patterns.txt ($(wc -l <"$SHARED_PATTERNS") patterns)"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-8s %6s %7s | %-24s | %-9s | %-16s | %6s\n' \
    case files MB "creeplint s (MB/s)" "peak RSS" "rg s (MB/s)" "cl/rg"
  run_stats() { # N command...: median wall s, median CPU s, max peak RSS MB
    python3 - "$@" <<'PY'
import re, statistics, subprocess, sys
runs, cmd = int(sys.argv[1]), sys.argv[2]
wall, cpu, rss = [], [], []
for _ in range(runs):
    p = subprocess.run(["/usr/bin/time", "-v", "bash", "-c", cmd + " >/dev/null"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = p.stderr
    g = lambda k: re.search(re.escape(k) + r": (.*)", err).group(1).strip()
    t = [float(x) for x in g("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")]
    wall.append(sum(x * 60 ** i for i, x in enumerate(reversed(t))))
    cpu.append(float(g("User time (seconds)")) + float(g("System time (seconds)")))
    rss.append(int(g("Maximum resident set size (kbytes)")) / 1024)
print(statistics.median(wall), statistics.median(cpu), max(rss))
PY
  }
  for n in $SHARED_SIZES; do
    dir="$DATA/shared-$n"
    if [[ "$(cat "$dir/.stamp" 2>/dev/null)" != "$SH_SUM" ]]; then
      rm -rf "$dir"
      python3 "$SHARED_BENCH/gen_corpus.py" "$n" "$dir" >/dev/null
      echo "$SH_SUM" >"$dir/.stamp"
    fi
    files=$(find "$dir" -type f ! -name '.*' | wc -l)
    bytes=$(find "$dir" -type f ! -name '.*' -printf '%s\n' | awk '{s+=$1} END {print s}')
    rg_cmd="rg --no-ignore --no-unicode -i -c -f $(q "$SHARED_PATTERNS") $(q "$dir")"
    cl_cmd="$(q "$CL") check$SRC_Q --format concise $(q "$dir")"
    bash -c "$rg_cmd" >/dev/null || true
    read -r w_rg c_rg m_rg < <(run_stats "$RUNS" "$rg_cmd")
    read -r w_cl c_cl m_cl < <(run_stats "$RUNS" "$cl_cmd")
    python3 - "$n" "$files" "$bytes" "$w_cl" "$c_cl" "$m_cl" "$w_rg" <<'PY'
import sys
n, files, size, wl, cl, ml, wr = sys.argv[1:]
size, wl, cl, ml, wr = int(size) / 1e6, float(wl), float(cl), float(ml), float(wr)
print(f"{'N=' + n:<8} {files:>6} {size:7.1f} | {wl:6.3f} ({size / wl:4.0f}) cpu {cl:6.2f} | {ml:6.0f} MB | {wr:6.3f} ({size / wr:4.0f}) | {wl / wr:5.2f}x")
PY
  done
  first="$DATA/shared-$(echo "$SHARED_SIZES" | awk '{print $1}')"
  mapfile -t few < <(find "$first/c000" -type f | sort | head -10)
  few_q=""
  for f in "${few[@]}"; do few_q+=" $(q "$f")"; done
  read -r w_few c_few m_few < <(run_stats "$RUNS" "$(q "$CL") check$SRC_Q --format concise$few_q")
  read -r w_rules c_rules m_rules < <(run_stats "$RUNS" "$(q "$CL") rules$SRC_Q")
  python3 -c 'import sys; a = [float(x) for x in sys.argv[1:]]; print(f"10 files of c000/: {a[0]*1000:.0f} ms wall, {a[1]*1000:.0f} ms CPU, peak {a[2]:.0f} MB\nrules (load and compile every pack): {a[3]*1000:.0f} ms wall, {a[4]*1000:.0f} ms CPU, peak {a[5]:.0f} MB")' "$w_few" "$c_few" "$m_few" "$w_rules" "$c_rules" "$m_rules"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
fi
