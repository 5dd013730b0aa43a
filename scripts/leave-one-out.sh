#!/usr/bin/env bash
# Measures the built-in model's reach on a batch it never saw: trains a model on every corpus file
# but BATCH (and the held-out files in tests/corpus/held-out.txt), then evaluates BATCH with that
# model in place of the built-in one, at each threshold given (default: the profile pack's own).
#
# Usage: scripts/leave-one-out.sh [--bin PATH] BATCH [THRESHOLD...]
#   e.g. scripts/leave-one-out.sh heldout25 0.7 0.75 0.8
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/creeplint
if [ "${1:-}" = "--bin" ]; then bin=$2; shift 2; fi
batch=${1:?usage: scripts/leave-one-out.sh [--bin PATH] BATCH [THRESHOLD...]}
shift
[ -x "$bin" ] || { echo "no binary at $bin: cargo build --release first" >&2; exit 2; }
[ -f "tests/corpus/$batch.tsv" ] || { echo "no corpus tests/corpus/$batch.tsv" >&2; exit 2; }
thresholds=("$@")
[ ${#thresholds[@]} -gt 0 ] || thresholds=("$(sed -n 's/^threshold = //p' rules/profile.toml)")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
held=$(grep -v '^#' tests/corpus/held-out.txt | sed '/^[[:space:]]*$/d' || true)
files=()
for f in tests/corpus/*.tsv; do
  name=$(basename "$f")
  [ "$name" = "$batch.tsv" ] && continue
  grep -qxF "$name" <<<"$held" && continue
  files+=("$f")
done
"$bin" rules --no-config train "${files[@]}" -o "$work/left-out.model"
printf 'ignore = ["profile"]\n' >"$work/creeplint.toml"
for t in "${thresholds[@]}"; do
  sed -e 's/^name = "profile"/name = "leftout"/' -e 's/^id = "profile\./id = "leftout./' \
      -e "s/^threshold = .*/threshold = $t/" -e "s#^model = .*#model = \"$work/left-out.model\"#" \
      rules/profile.toml >"$work/leftout.toml"
  printf '%s, threshold %s: ' "$batch" "$t"
  "$bin" rules eval "tests/corpus/$batch.tsv" --config "$work/creeplint.toml" --pack "$work/leftout.toml" \
      --format json >"$work/eval.json"
  python3 - "$work/eval.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
r, f = d["overall_recall"], d["overall_false_positive"]
print("recall %.2f (%d/%d), ok rows flagged %d/%d" % (r["rate"], r["flagged"], r["total"], f["flagged"], f["total"]))
PY
done
