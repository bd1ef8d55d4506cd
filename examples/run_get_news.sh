#!/bin/sh
# Runs get_news against http_server (CTest: examples_get_news): the server on
# a free port in the background, then get_news with 5 pages that each take
# 300 ms to answer. Checks that every page arrived both ways and that the
# concurrent half took well under the sequential one (5 x 300 ms one after
# another, against about 300 ms together). The server is stopped whatever
# happens.
#   usage: run_get_news.sh <directory with the example programs>
set -u
bin=${1:?usage: $0 <bindir>}
. "$(dirname "$0")/harness.sh"

"$bin/http_server" 0 >"$tmp/server.out" 2>&1 &
server=$!
track $server
port=$(listen_port "$tmp/server.out" "$server") || fail "http_server did not say where it listens"

timeout 30 "$bin/get_news" "http://127.0.0.1:$port" 5 300 >"$tmp/get_news.out" 2>&1 ||
    fail "get_news: exit $?"
for mode in sequential concurrent; do
    for i in 1 2 3 4 5; do
        grep -q "^$mode: News $i ([0-9]* bytes)\$" "$tmp/get_news.out" || fail "$mode: no News $i"
    done
done
seq_s=$(sed -n 's/^sequential: 5 pages in \([0-9.]*\) s$/\1/p' "$tmp/get_news.out")
con_s=$(sed -n 's/^concurrent: 5 pages in \([0-9.]*\) s (OK)$/\1/p' "$tmp/get_news.out")
[ -n "$seq_s" ] && [ -n "$con_s" ] || fail "get_news did not print both times"
# 5 delays in a row cannot take less than 1.5 s; 5 at once should take about
# one delay, and under half the sequential time even on a loaded machine.
awk -v s="$seq_s" -v c="$con_s" 'BEGIN { exit !(s >= 1.5 && c < s / 2) }' ||
    fail "times: sequential $seq_s s, concurrent $con_s s"
echo "get_news: sequential $seq_s s, concurrent $con_s s (port $port)"
