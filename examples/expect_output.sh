#!/bin/sh
# Runs one example and checks what it printed (CTest: example_*).
#   usage: expect_output.sh SECONDS PROGRAM [ARG...] -- PATTERN...
# The program must exit 0 within SECONDS, and each extended regular
# expression must match a line of its output (stdout and stderr), in the
# order given: a pattern is looked for only after the line the previous one
# matched, so the test also checks the order in which things happened.
set -u
limit=${1:?usage: $0 SECONDS PROGRAM [ARG...] -- PATTERN...}
shift
cmd=
while [ $# -gt 0 ] && [ "$1" != -- ]; do
    cmd="$cmd '$(printf '%s' "$1" | sed "s/'/'\\\\''/g")'"
    shift
done
[ $# -gt 0 ] && shift # the --
out=$(mktemp)
trap 'rm -f "$out"' EXIT
eval "timeout $limit $cmd" >"$out" 2>&1
rc=$?
fail() {
    echo "FAIL: $*"
    echo "--- output"
    cat "$out"
    exit 1
}
[ $rc -eq 0 ] || fail "exit status $rc"
line=0
for pattern in "$@"; do
    found=$(tail -n +$((line + 1)) "$out" | grep -n -E -m 1 -- "$pattern" | cut -d: -f1)
    [ -n "$found" ] || fail "no line matching /$pattern/ after line $line"
    line=$((line + found))
done
echo "ok: $# lines matched in order"
