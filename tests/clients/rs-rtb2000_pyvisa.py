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
import math
import sys

try:
    import pyvisa
except ImportError:
    print("skip: PyVISA is not installed")
    sys.exit(77)


def fit(t, v, freq):
    period = 1 / freq
    span = math.floor((t[-1] - t[0]) / period) * period
    use = [i for i in range(len(t)) if t[i] - t[0] < span]
    s = sum(v[i] * math.sin(2 * math.pi * freq * t[i]) for i in use)
    c = sum(v[i] * math.cos(2 * math.pi * freq * t[i]) for i in use)
    ups, armed = [], False
    for i, x in enumerate(v):
        if x < -0.5:
            armed = True
        elif x > 0.5 and armed:
            ups.append(t[i])
            armed = False
    f = (len(ups) - 1) / (ups[-1] - ups[0]) if len(ups) >= 2 else 0
    return 2 * math.hypot(s, c) / len(use), f


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
        amp, freq = fit(time, volt, 10e3)
        print("%s: %d of %d samples from %g s: amplitude %.4f V, frequency %.2f Hz"
              % (fmt, len(volt), samples, xstart, amp, freq))
        if len(volt) != samples or abs(xor - xstart) > xinc / 2 or abs(amp - 1) > 0.05 \
                or abs(freq - 10e3) > 100:
            print("%s: not the 1 V, 10 kHz sine the header describes" % fmt)
            ok = False
    err = rtb.query("SYST:ERR?").strip()
    if not err.startswith("0"):
        print("the scope reports an error: %s" % err)
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
