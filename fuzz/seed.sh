#!/bin/sh
# Seeds fuzz/corpus/<target> from the repo's own files (templates, fixtures, examples, packs).
# Run from the repository root: sh fuzz/seed.sh
set -eu
root=$(pwd)
c="$root/fuzz/corpus"
mkdir -p "$c"
for t in text markdown html json yaml csv template_tags decode pack config; do mkdir -p "$c/$t"; done
copy() { # copy <target> <files...>
  t=$1; shift
  for f in "$@"; do [ -f "$f" ] && cp "$f" "$c/$t/$(basename "$f")" || true; done
}
templates=$(find tests/corpus/templates tests/fixtures examples tests/regressions -type f 2>/dev/null | grep -v -E '\.(toml)$' || true)
for t in text markdown html json yaml csv template_tags decode; do copy "$t" $templates; done
copy pack rules/*.toml $(find tests/fixtures examples -name '*.toml' 2>/dev/null | grep -v creeplint.toml || true)
copy config $(find tests examples -name 'creeplint.toml' -o -name '.creeplint.toml' 2>/dev/null || true)
# A config seed even when the repo has none.
printf 'packs = ["local.toml"]\nselect = ["spend.*"]\nignore = ["spend.debt-owed"]\nfail-on = "error"\nmax-file-size = 1048576\nexclude = ["drafts/"]\ninclude = ["*.tpl"]\n[severity]\n"spend.*" = "warning"\n' > "$c/config/seed.toml"
echo "seeded: $(ls "$c" | while read d; do printf '%s=%s ' "$d" "$(ls "$c/$d" | wc -l)"; done)"
