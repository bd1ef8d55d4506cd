#!/usr/bin/python3
"""An independent client for the rs-rtb2000 personality: Debian's
sigrok-cli with libsigrok's hameg-hmo driver (which drives R&S RTB2000 and
HAMEG HMO scopes) acquires one frame:
    sigrok-cli --driver hameg-hmo:conn=tcp-raw/127.0.0.1/PORT --frames 1 -O analog
and this checks what it printed: every sample of CH1 and CH2 (the record
length the scope reports), the known input (1 V, 10 kHz sine: amplitude
within 5 %, frequency within 1 %, by sine_check on the time axis of the
scope's ACQuire:SRATe?, asked before sigrok-cli connects; a crossing
counts after -0.5 V, against the printed values' 0.1 V steps and the
noise).
sigrok-cli may exit non-zero even when the frame arrived; the printed
values decide. Usage: sigrok_hmo_check.py PORT."""
import os
import re
import shutil
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sine_check import check  # noqa: E402


def ask(port, line):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(line.encode() + b"\n")
        answer = b""
        while not answer.endswith(b"\n"):
            answer += s.recv(4096)
    return answer.decode().strip()


def main():
    port = int(sys.argv[1])
    if not shutil.which("sigrok-cli"):
        print("skip: sigrok-cli is not installed")
        return 77
    rate = float(ask(port, "ACQuire:SRATe?"))
    points = int(float(ask(port, "ACQuire:POINts?")))
    run = subprocess.run(["sigrok-cli", "--driver", "hameg-hmo:conn=tcp-raw/127.0.0.1/%d" % port,
                          "--frames", "1", "-O", "analog"],
                         capture_output=True, text=True, timeout=60)
    values = {"CH1": [], "CH2": []}
    for line in run.stdout.splitlines():
        m = re.match(r"(CH[12]): (\S+) V$", line.strip())
        if m:
            values[m.group(1)].append(float(m.group(2)))
    ok = True
    for ch, v in values.items():
        if len(v) != points:
            print("%s: %d values, the scope's record is %d (sigrok-cli exit %d)\n%s"
                  % (ch, len(v), points, run.returncode, run.stderr[-2000:]))
            ok = False
            continue
        why = check("%s at %g Sa/s" % (ch, rate), v, 1 / rate, hyst=0.5)
        if why:
            print(why)
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
