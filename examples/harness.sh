# What the scripts that run the examples share; sourced by them, with
# set -u in effect. Gives a scratch directory $tmp, removed on exit with
# every tracked background server killed; fail (prints the outputs and
# exits 1), expect and listen_port.

tmp=$(mktemp -d)
tracked=
track() { tracked="$tracked $1"; }
# untrack <pid>: a server the script stopped and reaped itself (its pid
# may be reused by then).
untrack() { tracked=$(echo "$tracked" | tr ' ' '\n' | grep -vx "$1" | tr '\n' ' '); }
cleanup() {
    for pid in $tracked; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null
            wait "$pid" 2>/dev/null
        fi
    done
    rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*"
    for f in "$tmp"/*.out; do [ -f "$f" ] && { echo "--- $(basename "$f")"; cat "$f"; }; done
    exit 1
}

# expect <file> <fixed string>: the program printed this line (or part of one).
expect() { grep -qF -- "$2" "$1" || fail "$(basename "$1" .out) did not print: $2"; }

# listen_port <output file> <pid>: prints the port the server said it
# listens on (it was given port 0: it picks a free one), once it did; fails
# if the server exits first or says nothing for 10 s.
listen_port() {
    for _ in $(seq 100); do
        p=$(sed -n 's/^Serving on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$1")
        [ -n "$p" ] && { echo "$p"; return 0; }
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
