#!/bin/sh
# Runs each fuzz target in turn for SECONDS (default 300) on one core and records executions.
# Run from the repository root: sh fuzz/run.sh [SECONDS] [TARGET...]
# Needs cargo-fuzz (`cargo install cargo-fuzz`); RUSTC_BOOTSTRAP=1 lets stable rustc take the
# sanitizer flags cargo-fuzz passes.
set -u
secs=${1:-300}
[ $# -gt 0 ] && shift
targets=${*:-"text markdown html json yaml csv template_tags decode pack config"}
mkdir -p fuzz/logs
for t in $targets; do
  log="fuzz/logs/$t.log"
  start=$(date +%s)
  RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$secs" -dict=fuzz/copy.dict -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 >"$log" 2>&1
  rc=$?
  end=$(date +%s)
  execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
  echo "$t rc=$rc execs=${execs:-?} seconds=$((end - start)) $(date -u +%H:%M)" | tee -a fuzz/logs/summary.txt
done
