#!/usr/bin/python3
"""An independent client for the siglent-sds1000xe personality: the
waveform example of Siglent's "Digital Oscilloscope Series Programming
Guide" (PG01-E02D, "Read waveform data (WF) with Python"), run through
PyVISA with the pyvisa-py backend on a raw socket.

The sequence and the conversion are the guide's: CHDR OFF, C1:VDIV?,
C1:OFST?, TDIV?, SARA? (a G/M/k prefix multiplied out), C1:WF? DAT2,
volts = code / 25 * VDIV - OFST with codes over 127 taken as negative,
time = -(TDIV * 14 / 2) + i / SARA. One change: the guide reads the answer
with read_raw() (USB and VXI-11 end it with EOI) and slices the header
off; a raw socket has no EOI and the bytes may hold line feeds, so the
block is read by its "#9<len>" header instead.

Checks the known input (1 V, 10 kHz sine): amplitude within 5 %,
frequency within 1 %. Usage: siglent-sds1000xe_pyvisa.py PORT."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sine_check import check_trace  # noqa: E402

try:
    import pyvisa
except ImportError:
    print("skip: PyVISA is not installed")
    sys.exit(77)


def main():
    port = int(sys.argv[1])
    rm = pyvisa.ResourceManager("@py")
    sds = rm.open_resource("TCPIP0::127.0.0.1::%d::SOCKET" % port)
    sds.read_termination = "\n"
    sds.write_termination = "\n"
    sds.timeout = 30000
    sds.chunk_size = 20 * 1024 * 1024
    print(sds.query("*IDN?").strip())
    sds.write("chdr off")
    vdiv = sds.query("c1:vdiv?")
    ofst = sds.query("c1:ofst?")
    tdiv = sds.query("tdiv?")
    sara = sds.query("sara?")
    sara_unit = {"G": 1e9, "M": 1e6, "k": 1e3}
    for unit in sara_unit:
        if sara.find(unit) != -1:
            sara = float(sara.split(unit)[0]) * sara_unit[unit]
            break
    sara = float(sara)
    sds.write("c1:wf? dat2")
    head = b""
    while not head.endswith(b"#9"):
        head += sds.read_bytes(1)
        if len(head) > 32:
            print("no block in the answer: %r" % head)
            return 1
    n = int(sds.read_bytes(9))
    recv = list(sds.read_bytes(n))
    tail = sds.read_bytes(2)
    if tail != b"\n\n":
        print("the block is not followed by two line feeds: %r" % tail)
        return 1
    volt = []
    for data in recv:
        if data > 127:
            data -= 256
        volt.append(data / 25 * float(vdiv) - float(ofst))
    time = [-(float(tdiv) * 14 / 2) + idx * (1 / sara) for idx in range(len(volt))]
    why = check_trace("C1 at %g Sa/s" % sara, time, volt)
    if why:
        print(why)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
