#!/bin/sh
# Runs the networking examples against each other (CTest: examples_tcp_echo):
# tcp_echo_server on a free port in the background, then tcp_echo_client and
# trio_sender_receiver against it, then trio_sender_receiver against
# trio_echo_server, and checks what each printed. Every step is bounded in time; the server is
# stopped (SIGTERM, then SIGKILL) whatever happens.
#   usage: run_examples.sh <directory with the example programs>
set -u
bin=${1:?usage: $0 <bindir>}
. "$(dirname "$0")/harness.sh"

# Port 0: the server picks a free port and prints it.
"$bin/tcp_echo_server" 0 >"$tmp/server.out" 2>&1 &
server=$!
track $server
port=$(listen_port "$tmp/server.out" "$server") ||
    fail "tcp_echo_server did not say where it listens"

timeout 10 "$bin/tcp_echo_client" "$port" >"$tmp/client.out" 2>&1 || fail "tcp_echo_client: exit $?"
expect "$tmp/client.out" 'Send: "Hello World!"'
expect "$tmp/client.out" 'Received: "Hello World!"'
expect "$tmp/client.out" 'Close the connection'

# Against the one-shot echo server: one echo, then the server hangs up.
timeout 20 "$bin/trio_sender_receiver" "$port" >"$tmp/trio_vs_server.out" 2>&1 ||
    fail "trio_sender_receiver $port: exit $?"
expect "$tmp/trio_vs_server.out" "parent: connecting to 127.0.0.1:$port"
message='async can sometimes be confusing, but I believe in you!'
expect "$tmp/trio_vs_server.out" "receiver: got data \"$message\""
expect "$tmp/trio_vs_server.out" 'receiver: connection closed'
expect "$tmp/trio_vs_server.out" 'parent: nursery done (ok)'

# Against trio's echo server: two messages out, two echoes back, and the
# server sees the connection close once the client shut its sending side.
"$bin/trio_echo_server" 0 >"$tmp/trio_server.out" 2>&1 &
trio_server=$!
track $trio_server
trio_port=$(listen_port "$tmp/trio_server.out" "$trio_server") ||
    fail "trio_echo_server did not say where it listens"
timeout 20 "$bin/trio_sender_receiver" "$trio_port" 2 >"$tmp/trio_alone.out" 2>&1 ||
    fail "trio_sender_receiver $trio_port 2: exit $?"
[ "$(grep -c '^receiver: got data' "$tmp/trio_alone.out")" -ge 1 ] || fail "no echo received"
expect "$tmp/trio_alone.out" 'sender: done, closing the sending side'
expect "$tmp/trio_alone.out" 'receiver: connection closed'
expect "$tmp/trio_alone.out" 'parent: nursery done (ok)'
kill -TERM "$trio_server"
wait "$trio_server" || fail "trio_echo_server: exit $?"
untrack $trio_server
[ "$(grep -c '^echo_server 1: received data' "$tmp/trio_server.out")" -ge 1 ] ||
    fail "the echo server got no message"
[ "$(grep -o "$message" "$tmp/trio_server.out" | wc -l)" -eq 2 ] ||
    fail "the echo server did not get both messages"
expect "$tmp/trio_server.out" 'echo_server 1: started'
expect "$tmp/trio_server.out" 'echo_server 1: connection closed'
expect "$tmp/trio_server.out" 'Server stopped after 1 connections'

# The server saw both connections and stops cleanly on SIGTERM.
kill -TERM "$server"
for _ in $(seq 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
kill -0 "$server" 2>/dev/null && fail "tcp_echo_server ignored SIGTERM"
wait "$server"
rc=$?
untrack $server
[ $rc -eq 0 ] || fail "tcp_echo_server: exit $rc"
expect "$tmp/server.out" 'Received "Hello World!" from 127.0.0.1:'
expect "$tmp/server.out" 'Send: "Hello World!"'
expect "$tmp/server.out" 'Server stopped'
echo "examples: all passed (port $port)"
