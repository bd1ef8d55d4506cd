#!/usr/bin/env python3
"""Debian's sigrok-cli (libsigrok's rigol-ds driver, written against a real
DS1000Z) reads one frame from the rigol-ds1000z personality:

    sigrok_check.py PORT

runs `sigrok-cli --driver rigol-ds:conn=tcp-raw/127.0.0.1/PORT --frames 1
-O analog` and checks what it printed: both channels of the 1 V, 10 kHz
sine (amplitude within 5 %, frequency within 1 %). sigrok-cli's "analog"
output has no time axis: the screen's span, 12 divisions of :TIM:SCAL?,
is asked from the simulator on a connection of our own. sigrok-cli 0.7.2
exits non-zero after a good frame over tcp-raw ("Read should have been
completed": libsigrok 0.5.2's tcp-raw transport takes the one-byte read
of the block's final newline for an incomplete answer, on a real scope
too), so its exit status is reported, not judged. Exit 0 when the
values are right, 1 otherwise, 77 when sigrok-cli is not installed."""
import os
import re
import shutil
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sine_check import check  # noqa: E402


def timebase(port):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b":TIM:SCAL?\n")
        data = b""
        while not data.endswith(b"\n"):
            data += s.recv(100)
    return float(data)


def main():
    if not shutil.which("sigrok-cli"):
        print("skip: sigrok-cli is not installed")
        return 77
    port = int(sys.argv[1])
    cmd = ["sigrok-cli", "--driver", f"rigol-ds:conn=tcp-raw/127.0.0.1/{port}",
           "--frames", "1", "-O", "analog"]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=90)
    print(f"sigrok-cli exited {run.returncode}; stderr: {run.stderr.strip()[:300]}")
    values = {}
    for line in run.stdout.splitlines():
        m = re.fullmatch(r"\s*(CH\d): (-?[0-9.]+(?:e[-+]?\d+)?) (m?)V\s*", line)
        if m:
            v = float(m.group(2)) * (1e-3 if m.group(3) else 1)
            values.setdefault(m.group(1), []).append(v)
    if not values:
        print("no analog values in sigrok-cli's output:\n" + run.stdout[:500])
        return 1
    dt = 12 * timebase(port) / 1200  # NORMal mode: 1200 points over 12 divisions
    errors = [e for e in (check(ch, y, dt) for ch, y in sorted(values.items())) if e]
    errors += [f"{ch}: {len(y)} values, expected 1200" for ch, y in values.items()
               if len(y) != 1200]
    if "CH1" not in values:
        errors.append("no CH1 values")
    for e in errors:
        print(e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
