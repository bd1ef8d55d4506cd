#!/usr/bin/python3
"""An independent client for the rs-rtb2000 personality: the waveform
export of the "R&S RTB2000 User Manual" (1333.1611.02, "Waveform Data
Export" and its programming example), run through PyVISA with the
pyvisa-py backend on a raw socket:
    SING;*OPC?                      one acquisition, complete when answered
    FORM UINT,8 (then FORM REAL and FORM UINT,16)
    CHAN:DATA:HEAD?                 xstart, xstop, samples, values per sample
    CHAN:DATA:XOR?, XINC?, YOR?, YINC?
    CHAN:DATA?                      a definite-length block
converted as the manual says: t(n) = n * xIncrement + xOrigin, Y(n) =
yOrigin + yIncrement * value (UINT; REAL is volts already). Blocks are
read with PyVISA's query_binary_values (IEEE 488.2 header).

Checks the known input (1 V, 10 kHz sine) in each format: amplitude
within 5 %, frequency within 1 %, the header's sample count and start.
Usage: rs-rtb2000_pyvisa.py PORT."""
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
    rtb = rm.open_resource("TCPIP0::127.0.0.1::%d::SOCKET" % port)
    rtb.read_termination = "\n"
    rtb.write_termination = "\n"
    rtb.timeout = 30000
    print(rtb.query("*IDN?").strip())
    if rtb.query("SING;*OPC?").strip() != "1":
        print("SING;*OPC? did not complete")
        return 1
    ok = True
    for fmt, datatype in (("UINT,8", "B"), ("REAL", "f"), ("UINT,16", "H")):
        rtb.write("FORM %s" % fmt)
        rtb.write("FORM:BORD LSBF")
        head = rtb.query("CHAN:DATA:HEAD?").strip().split(",")
        xstart, samples = float(head[0]), int(float(head[2]))
        xor = float(rtb.query("CHAN:DATA:XOR?"))
        xinc = float(rtb.query("CHAN:DATA:XINC?"))
        data = rtb.query_binary_values("CHAN:DATA?", datatype=datatype, is_big_endian=False,
                                       container=list, expect_termination=True)
        if fmt.startswith("UINT"):
            yor = float(rtb.query("CHAN:DATA:YOR?"))
            yinc = float(rtb.query("CHAN:DATA:YINC?"))
            volt = [yor + yinc * v for v in data]
        else:
            volt = list(data)
        time = [n * xinc + xor for n in range(len(volt))]
        why = check_trace("%s from %g s" % (fmt, xstart), time, volt, hyst=0.5)
        if len(volt) != samples or abs(xor - xstart) > xinc / 2:
            why = "%s: %d of %d samples from %g s, the header says %g s" % (
                fmt, len(volt), samples, xor, xstart)
        if why:
            print(why)
            ok = False
    err = rtb.query("SYST:ERR?").strip()
    if not err.startswith("0"):
        print("the scope reports an error: %s" % err)
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
