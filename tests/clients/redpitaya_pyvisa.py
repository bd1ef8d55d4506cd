#!/usr/bin/env python3
"""PyVISA (pyvisa-py backend) on the redpitaya personality, running the Red
Pitaya documentation's "Acquire a signal on trigger" example sequence:
ACQ:RST, ACQ:DEC, ACQ:TRIG:LEV, ACQ:TRIG:DLY, ACQ:START, ACQ:TRIG CH1_PE,
ACQ:TRIG:STAT? until TD (and ACQ:TRIG:FILL? until 1, as the newer
examples do), then ACQ:SOUR1:DATA? as "{v1,v2,...}" volts; then the
binary forms the documentation gives: ACQ:DATA:FORMAT BIN with
ACQ:DATA:UNITS VOLTS (big-endian float32) and RAW (big-endian int16 codes,
scaled by the input's ACQ:SOUR<n>:GAIN? full scale / 8192). Commands and
answers end with "\\r\\n" as in redpitaya_scpi.py.

    redpitaya_pyvisa.py PORT

Exit 0 when every record is the 1 V, 10 kHz sine (amplitude within 5 %,
frequency within 1 %), 1 otherwise, 77 without PyVISA / pyvisa-py."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sine_check import check  # noqa: E402

try:
    import pyvisa
except ImportError:
    print("skip: PyVISA is not installed (Debian python3-pyvisa, python3-pyvisa-py)")
    sys.exit(77)

DECIMATION = 64
DT = DECIMATION / 125e6


def acquire(rp):
    """One triggered buffer, the documentation's way."""
    rp.write("ACQ:START")
    rp.write("ACQ:TRIG CH1_PE")
    deadline = time.time() + 20
    while rp.query("ACQ:TRIG:STAT?") != "TD":
        if time.time() > deadline:
            raise RuntimeError("no TD")
    while rp.query("ACQ:TRIG:FILL?") != "1":
        if time.time() > deadline:
            raise RuntimeError("buffer not filled")


def main():
    port = int(sys.argv[1])
    rm = pyvisa.ResourceManager("@py")
    rp = rm.open_resource(f"TCPIP0::127.0.0.1::{port}::SOCKET",
                          read_termination="\r\n", write_termination="\r\n", timeout=20000)
    idn = rp.query("*IDN?")
    print(idn)
    if not idn.startswith("REDPITAYA,"):
        return f"*IDN? answered {idn!r}"
    errors = []
    rp.write("ACQ:RST")
    rp.write(f"ACQ:DEC {DECIMATION}")
    rp.write("ACQ:TRIG:LEV 0")
    rp.write("ACQ:TRIG:DLY 8192")
    acquire(rp)
    text = rp.query("ACQ:SOUR1:DATA?")
    volts = [float(v) for v in text.strip("{}\n\r").replace("  ", "").split(",")]
    if len(volts) != 16384:
        errors.append(f"ASCII: {len(volts)} samples")
    errors.append(check("IN1 ASCII volts", volts, DT))

    rp.write("ACQ:DATA:FORMAT BIN")
    rp.write("ACQ:DATA:UNITS VOLTS")
    acquire(rp)
    volts = rp.query_binary_values("ACQ:SOUR2:DATA?", datatype="f", is_big_endian=True)
    errors.append(check("IN2 BIN volts", volts, DT))

    rp.write("ACQ:DATA:UNITS RAW")
    full_scale = {"LV": 1.0, "HV": 20.0}[rp.query("ACQ:SOUR1:GAIN?")]
    acquire(rp)
    codes = rp.query_binary_values("ACQ:SOUR1:DATA?", datatype="h", is_big_endian=True)
    errors.append(check("IN1 BIN raw", [c * full_scale / 8192 for c in codes], DT))

    err = rp.query("SYST:ERR?")
    if not err.startswith("0,"):
        errors.append(f"SYST:ERR? answered {err}")
    rp.close()
    errors = [e for e in errors if e]
    return "\n".join(errors) if errors else None


if __name__ == "__main__":
    why = main()
    if why:
        print(why)
    sys.exit(1 if why else 0)
