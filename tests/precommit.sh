#!/usr/bin/env bash
# Runs this repository's pre-commit hook (.pre-commit-hooks.yaml) for real, with pre-commit from
# PyPI, against a copy of examples/ made into its own git repo, using the example's own
# .pre-commit-config.yaml with `repo:` pointed at this repository and `rev:` at its HEAD commit:
# a creepy file must fail the hook, clean files (and a receipt exempted by the example's
# [[overrides]]) must pass, and with the hook installed a commit of a creepy line is refused.
#
# pre-commit builds the hook with `cargo install` (a release build) from the committed HEAD of this
# repository: uncommitted changes are not part of the hook under test. It builds it once, in its
# cache, for all the runs below.
#
# pre-commit comes from $PRE_COMMIT, target/ci-tools/venv (made by .ci/run) or PATH. Without it the
# script fails under CI (CI=true) and is skipped loudly elsewhere.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/target/ci-tools"

pc="${PRE_COMMIT:-}"
if [ -z "$pc" ]; then
    if [ -x "$tools/venv/bin/pre-commit" ]; then
        pc="$tools/venv/bin/pre-commit"
    elif command -v pre-commit >/dev/null 2>&1; then
        pc="$(command -v pre-commit)"
    fi
fi
if [ -z "$pc" ]; then
    if [ "${CI:-}" = "true" ]; then
        echo "tests/precommit.sh: pre-commit not found (.ci/run installs it from PyPI)" >&2
        exit 1
    fi
    echo "!!!!!!!! SKIPPED tests/precommit.sh: pre-commit not found; pip install pre-commit !!!!!!!!" >&2
    exit 0
fi

rev="$(git -C "$root" rev-parse HEAD)"
if ! git -C "$root" diff --quiet HEAD -- .pre-commit-hooks.yaml src Cargo.toml rules 2>/dev/null; then
    echo "note: uncommitted changes to the hook or the crate are not tested; the hook is built from $rev" >&2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -R "$root/examples/." "$work/"
cd "$work"
sed -i -e "s|^\(\s*- repo:\).*|\1 $root|" -e "s|^\(\s*rev:\).*|\1 $rev|" .pre-commit-config.yaml
grep -q "repo: $root" .pre-commit-config.yaml || { echo "could not point the example config at $root" >&2; exit 1; }
git init -q
git config user.name creeplint-ci
git config user.email ci@creeplint.invalid
git add -A
git commit -qm "example campaign repo"

# Keep pre-commit's cache and the hook's build under target/ so repeated local runs are fast.
export PRE_COMMIT_HOME="$tools/pre-commit-home"
export CARGO_TARGET_DIR="$tools/pre-commit-build"
# The hook's behaviour, not its speed, is under test: skip LTO to build it faster.
export CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16

passed=0
failed=0
expect() {
    local want="$1"
    shift
    local got=0 t0=$SECONDS
    "$@" >"$work/out.log" 2>&1 || got=$?
    if [ "$got" = "$want" ]; then
        echo "ok: exit $got for $* ($((SECONDS - t0)) s)"
        passed=$((passed + 1))
    else
        echo "FAILED: expected exit $want, got $got for $*" >&2
        cat "$work/out.log" >&2
        failed=$((failed + 1))
    fi
}

# The last run's output must contain `$1` (so that an exit code alone, from a broken install or
# from files the hook skipped, cannot pass).
output_has() {
    if grep -q -- "$1" "$work/out.log"; then
        passed=$((passed + 1))
    else
        echo "FAILED: the hook output lacks '$1':" >&2
        cat "$work/out.log" >&2
        failed=$((failed + 1))
    fi
}

start=$SECONDS
expect 1 "$pc" run creeplint --files emails/winback.html
output_has "emails/winback.html"
output_has "spend.quoted-total"
expect 0 "$pc" run creeplint --files emails/spring-newsletter.md emails/vip-thank-you.liquid sms/week14.txt transactional/receipt.html
output_has "creeplint.*Passed"
expect 1 "$pc" run --all-files
output_has "push/notifications.json"

# `pre-commit try-repo`, as a user tries the hook before pinning it: against this clone at HEAD.
expect 1 "$pc" try-repo "$root" creeplint --ref "$rev" --files emails/winback.html
output_has "spend.quoted-total"

# As a git hook: a creepy line cannot be committed, a clean one can.
expect 0 "$pc" install
echo "You spent \$342 with us last month." >>sms/week14.txt
git add sms/week14.txt
expect 1 git commit -qm "creepy sms"
output_has "sms/week14.txt"
git reset -q --hard
echo "Members save 10% this weekend." >>sms/week14.txt
git add sms/week14.txt
expect 0 git commit -qm "clean sms"
echo "pre-commit hook: $((SECONDS - start)) s (includes building the hook once)"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
