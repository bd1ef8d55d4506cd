#!/usr/bin/env bash
# Runs an independent client against qaio-instrument-sim:
#   run_with_sim.sh SIM PERSONALITY [SIM OPTIONS...] -- CLIENT ARGS...
# starts the simulator with --personality PERSONALITY on a free port,
# replaces {PORT} in the client's arguments and exports QAIO_SIM_PORT,
# runs the client, stops the simulator. Exit status: the client's; 77
# (CTest's skip) when the client program is not installed.
set -euo pipefail
sim=$1 personality=$2
shift 2
simargs=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do simargs+=("$1"); shift; done
shift
command -v "$1" >/dev/null 2>&1 || { echo "skip: $1 is not installed"; exit 77; }
out=$(mktemp)
"$sim" --personality "$personality" --port 0 "${simargs[@]}" >"$out" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 100); do [ -s "$out" ] && break; sleep 0.05; done
port=$(head -1 "$out")
[ -n "$port" ] || { echo "the simulator did not start"; exit 1; }
export QAIO_SIM_PORT=$port
args=()
for a in "$@"; do args+=("${a//\{PORT\}/$port}"); done
"${args[@]}"
