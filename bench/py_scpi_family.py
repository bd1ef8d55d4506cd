#!/usr/bin/python3
"""scpi_family_<family>, PyVISA with the pyvisa-py backend: the reference
for qaio_scpi_family.c. Against the same personality, in a
qaio-instrument-sim process of its own with the same signal, it sends the
commands qaio's driver of that family sends (src/instr/scope_<family>.c:
its setup at connection, the settings, then per record its acquire
function's exact sequence -- the same queries, polls and poll intervals,
the same native data format) and decodes each record to volts with the
same scaling, numpy doing the arithmetic. Only the acquisition loop is
timed. Blocks are read with read_binary_values (numpy container); an
answer holding text fields before its block (the qaio and Keysight
dialects' preamble, Tektronix's WFMOutpre fields) is read field by field
with ';' as the read termination, then the block.

usage: py_scpi_family.py FAMILY [--quick] [--n N] [--reps R]
The simulator: $QAIO_BENCH_SIM (bench/run sets it)."""
import argparse
import os
import socket
import statistics
import struct
import subprocess
import sys
import time

FAMILY_SIGNAL = "sine amp=1 freq=1e6"  # qaio_scpi_family.c's
# family -> (personality, points, rate, trigger, format): qaio_scpi_family.c's table.
FAMILIES = {
    "qaio": ("qaio", 16384, 1e9, "force", "real32"),
    "redpitaya": ("redpitaya", 16384, 125e6, "force", "bin-float32"),
    "rigol-ds1000z": ("rigol-ds1000z", 12000, 1e9, "force", "byte"),
    "keysight-3000x": ("keysight-3000x", 16384, 5e9, "auto", "word"),
    "siglent-sds1000xe": ("siglent-sds1000xe", 14000, 1e9, "auto", "dat2-byte"),
    "siglent-sds2000xp": ("siglent-sds2000xp", 10000, 1e9, "auto", "byte"),
    "tektronix": ("tektronix-mdo", 10000, 1e9, "auto", "ribinary16"),
    "rs-rtb2000": ("rs-rtb2000", 20000, 20000 / 12e-6, "auto", "real32"),
}


def fail(fam, why):
    print(f"scpi_family_{fam}: {why}", file=sys.stderr)
    sys.exit(1)


class Scope:
    """A pyvisa-py raw-socket resource with the few helpers every family
    below uses."""

    def __init__(self, rm, port, term, nodelay):
        self.r = rm.open_resource(f"TCPIP0::127.0.0.1::{port}::SOCKET",
                                  read_termination=term, write_termination="\n")
        self.r.timeout = 10000
        if nodelay:
            # What VISA's VI_ATTR_TCPIP_NODELAY (VI_TRUE) does: pyvisa-py 0.5.1
            # implements it but refuses it on SOCKET resources, so its socket.
            sock = self.r.visalib.sessions[self.r.session].interface
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.term = term
        self.w = self.r.write
        self.q = self.r.query

    def num(self, cmd):
        a = self.q(cmd).strip()
        return float(a.split(" ")[-1]) if a[:1].isalpha() or a[:1] == ":" else float(a)

    def field(self):
        """One ';'-ended answer field."""
        self.r.read_termination = ";"
        try:
            return self.r.read()
        finally:
            self.r.read_termination = self.term

    def block(self, dtype, big, term=True):
        return self.r.read_binary_values(datatype=dtype, is_big_endian=big, container=np.array,
                                         expect_termination=term)

    def syst_err(self):
        a = self.q(":SYSTem:ERRor?")
        if not a.lstrip("+").startswith("0"):
            raise RuntimeError(a)


def qaio_family(s, f):
    s.w(":WAV:FORM REAL;:WAV:BYT LSBF")
    a = s.q(f":ACQ:POIN {f.points};:ACQ:SRAT {f.rate!r};:TRIG:SWE FORC;:SYST:ERR?")
    if int(a.split(",")[0]) != 0:
        raise RuntimeError(a)

    def acquire():
        s.w(":DIG;:WAV:SOUR CHAN1;:WAV:PRE?;:WAV:DATA?")
        p = s.field().split(",")
        fmt, n = int(p[0]), int(p[2])
        xinc, xorg, xref, yinc, yorg, yref = map(float, p[4:10])
        code = s.block({0: "b", 1: "h", 8: "f"}[fmt], False)
        if len(code) != n:
            raise RuntimeError("block length")
        y = code if fmt == 8 else (code - yref) * yinc + yorg
        return y.astype(np.float32), xorg - xref * xinc, xinc
    return acquire


def redpitaya(s, f):
    for c in ("ACQ:RST", "ACQ:DATA:FORMAT BIN", "ACQ:DATA:UNITS VOLTS", "ACQ:TRIG:DLY 8192"):
        s.w(c)
    s.syst_err()
    s.w("ACQ:DEC 1")
    s.syst_err()

    def acquire():
        dec = s.num("ACQ:DEC?")
        delay = s.num("ACQ:TRIG:DLY?")
        units = s.q("ACQ:DATA:UNITS?")
        if units.upper() != "VOLTS":
            raise RuntimeError(units)
        fs = 125e6 / dec
        s.w("ACQ:START")
        s.w("ACQ:TRIG NOW")
        interval = 0.002 / 32  # the driver's poll: 62 us, doubling up to 2 ms
        while True:
            a = s.q("ACQ:TRIG:STAT?")
            if a == "TD":
                break
            if a != "WAIT":
                raise RuntimeError(a)
            time.sleep(interval)
            interval = min(2 * interval, 0.002)
        s.w("ACQ:SOUR1:DATA?")
        y = s.block("f", True)
        return y.astype(np.float32), (delay - 16384) / fs, 1 / fs
    return acquire


def rigol(s, f):
    s.w(":WAVeform:FORMat BYTE")
    s.syst_err()
    s.w(":CHANnel1:DISPlay ON")
    s.w(":CHANnel2:DISPlay OFF")
    s.num(":CHANnel3:DISPlay?")
    s.num(":CHANnel4:DISPlay?")
    s.w(":RUN")
    s.w(":ACQuire:MDEPth 12000")
    s.w(":TIMebase:MAIN:SCALe 1e-06")
    s.syst_err()

    def single():
        s.w(":SINGle")
        s.w(":TFORce")  # free run
        t0 = time.monotonic()
        armed = False
        while True:
            a = s.q(":TRIGger:STATus?")
            stop = a.upper() == "STOP"
            if stop and (armed or time.monotonic() - t0 > 0.2):
                return
            armed |= not stop
            time.sleep(0.003)

    def acquire():
        single()
        s.w(":WAVeform:SOURce CHANnel1")
        s.w(":WAVeform:MODE RAW")
        p = s.q(":WAVeform:PREamble?").split(",")
        n = int(p[2])
        xinc, xorg, xref, yinc, yorg, yref = map(float, p[4:10])
        y = np.empty(n, np.float32)
        for first in range(0, n, 250000):  # BYTE pieces
            m = min(n - first, 250000)
            s.w(f":WAVeform:STARt {first + 1}")
            s.w(f":WAVeform:STOP {first + m}")
            s.w(":WAVeform:DATA?")
            code = s.block("B", False)
            if len(code) != m:
                raise RuntimeError("block length")
            y[first:first + m] = (code - (yorg + yref)) * yinc
        return y, xorg - xref * xinc, xinc
    return acquire


def keysight(s, f):
    s.w(":WAVeform:FORMat WORD;:WAVeform:BYTeorder MSBFirst;:WAVeform:UNSigned ON;"
        ":WAVeform:POINts:MODE RAW")
    s.w(f":TIMebase:RANGe {f.points / f.rate:.10g};:WAVeform:POINts:MODE RAW;"
        f":WAVeform:POINts {f.points};:TRIGger:SWEep AUTO")
    s.syst_err()

    def acquire():
        s.w(":DIGitize CHANnel1;:WAVeform:SOURce CHANnel1;:WAVeform:BYTeorder?;"
            ":WAVeform:UNSigned?;:WAVeform:PREamble?;:WAVeform:DATA?")
        order, sign, pre = s.field(), s.field(), s.field()
        p = pre.split(",")
        fmt, n = int(p[0]), int(p[2])
        xinc, xorg, xref, yinc, yorg, yref = map(float, p[4:10])
        unsigned = sign.strip() in ("1", "ON")
        big = order.strip().upper().startswith("MSBF")
        dtype = ("H" if unsigned else "h") if fmt == 1 else ("B" if unsigned else "b")
        code = s.block(dtype, big)
        if len(code) != n:
            raise RuntimeError("block length")
        return ((code - yref) * yinc + yorg).astype(np.float32), xorg - xref * xinc, xinc
    return acquire


def sds1000xe(s, f):
    s.w("CHDR OFF;WFSU SP,0,NP,0,FP,0")
    s.w("TRMD AUTO")
    s.w("TDIV 1.00E-06")
    s.num("SARA?")
    s.num("SANU? C1")
    if s.num("CMR?") or s.num("EXR?"):
        raise RuntimeError("settings refused")

    def acquire():
        s.w("TRMD SINGLE")
        wait = 0.0005
        while not s.q("SAST?").split(" ")[-1].startswith("Stop"):
            time.sleep(wait)
            wait = min(wait * 2, 0.02)
        tdiv, sara = s.num("TDIV?"), s.num("SARA?")
        vdiv, ofst = s.num("C1:VDIV?"), s.num("C1:OFST?")
        s.w("C1:WF? DAT2")
        code = s.block("b", False)   # "DAT2,#9<len><bytes>\n" ...
        s.r.read_bytes(1)            # ... and its second "\n"
        y = (code * (vdiv / 25) - ofst).astype(np.float32)
        s.w("TRMD AUTO")
        return y, -tdiv * 14 / 2, 1 / sara
    return acquire


DESC = struct.Struct("<32xh82xI36xfff4xh2xfd136xh2xf")  # WAVEDESC fields the driver reads


def sds2000xp(s, f):
    s.w(":WAVeform:STARt 0;:WAVeform:INTerval 1")
    s.w(":TRIGger:MODE AUTO")
    s.w(":TIMebase:SCALe 1.00E-06")
    s.num(":ACQuire:SRATe?")
    s.num(":ACQuire:POINts?")
    s.syst_err()

    def preamble():
        s.w(":WAVeform:SOURce C1;:WAVeform:PREamble?")
        b = s.block("B", False).tobytes()
        if len(b) < 346 or b[:8] != b"WAVEDESC":
            raise RuntimeError("not a WAVEDESC")
        (comm, n, gain, voff, cpd, bits, interval, delay, tb, probe) = DESC.unpack_from(b)
        probe = probe if probe > 0 else 1
        tdiv = (1, 2, 5)[tb % 3] * 10.0 ** (tb // 3 - 10)
        return comm, n, gain * probe, voff * probe, cpd, bits, interval, delay, tdiv

    def acquire():
        s.w(":TRIGger:MODE SINGle")
        wait = 0.0005
        while not s.q(":TRIGger:STATus?").startswith("Stop"):
            time.sleep(wait)
            wait = min(wait * 2, 0.02)
        maxp = int(s.num(":WAVeform:MAXPoint?"))
        comm, n, vdiv, offset, cpd, bits, interval, delay, tdiv = preamble()
        if bits > 8 and comm == 0:
            s.w(":WAVeform:WIDTh WORD")
            comm, n, vdiv, offset, cpd, bits, interval, delay, tdiv = preamble()
        y = np.empty(n, np.float32)
        k = vdiv / cpd
        for start in range(0, n, maxp):
            m = min(n - start, maxp)
            s.w(f":WAVeform:STARt {start};:WAVeform:POINt {m};:WAVeform:DATA?")
            if comm == 0:
                code = s.block("b", False)
            else:
                u = s.block("H", False).astype(np.int32) & ((1 << bits) - 1)
                code = np.where(u >= 1 << (bits - 1), u - (1 << bits), u)
            if len(code) != m:
                raise RuntimeError("block length")
            y[start:start + m] = code * k - offset
        s.w(":TRIGger:MODE AUTO")
        return y, -(tdiv * 10 / 2) + delay, interval
    return acquire


def tektronix(s, f):
    s.w(":HEADer OFF;:DATa:ENCdg RIBinary;:WFMOutpre:BYT_Nr 2")
    s.w(":HORizontal:RECOrdlength 10000;:HORizontal:SCAle 1e-06")
    if int(s.num("*ESR?")) & 0x3C:
        raise RuntimeError(s.q("ALLEv?"))

    def acquire():
        a = s.q(":ACQuire:STOPAfter SEQuence;:ACQuire:STATE ON;*OPC?;"
                ":HORizontal:RECOrdlength?").split(";")
        if int(a[0]) != 1:
            raise RuntimeError(a)
        length = int(float(a[1]))
        s.w(f":DATa:SOUrce CH1;:DATa:STARt 1;:DATa:STOP {length};:WFMOutpre:ENCdg?;"
            ":WFMOutpre:BN_Fmt?;:WFMOutpre:BYT_Or?;:WFMOutpre:BYT_Nr?;:WFMOutpre:YMUlt?;"
            ":WFMOutpre:YOFf?;:WFMOutpre:YZEro?;:WFMOutpre:XINcr?;:WFMOutpre:XZEro?;"
            ":WFMOutpre:PT_Off?;:WFMOutpre:NR_Pt?;:CURVe?")
        enc, bn, order, width = (s.field() for _ in range(4))
        ymult, yoff, yzero, xincr, xzero, ptoff, n = (float(s.field()) for _ in range(7))
        if not enc.upper().startswith("BIN"):
            raise RuntimeError("the native encoding is binary")
        unsigned = bn.upper().startswith("RP")
        dtype = ("H" if unsigned else "h") if int(width) == 2 else ("B" if unsigned else "b")
        code = s.block(dtype, order.upper().startswith("MSB"))
        if len(code) != int(n):
            raise RuntimeError("curve length")
        return ((code - yoff) * ymult + yzero).astype(np.float32), xzero - ptoff * xincr, xincr
    return acquire


def rtb2000(s, f):
    s.w("FORMat:DATA REAL,32;:FORMat:BORDer LSBFirst;:CHANnel1:DATA:POINts DMAXimum;"
        ":CHANnel2:DATA:POINts DMAXimum")
    s.w("TRIGger:A:MODE AUTO")
    s.w("ACQuire:POINts:VALue 20000;:TIMebase:SCALe 1.000E-06")
    s.num("ACQuire:SRATe?")
    s.num("ACQuire:POINts?")
    s.syst_err()

    def acquire():
        if s.q("SINGle;*OPC?") != "1":
            raise RuntimeError("SING;*OPC?")
        msb = s.q("FORMat:BORDer?").upper().startswith("MSBF")
        fmt = s.q("FORMat:DATA?").upper()
        h = s.q("CHANnel1:DATA:HEADer?").split(",")
        n = int(float(h[2]))
        x0 = s.num("CHANnel1:DATA:XORigin?")
        dx = s.num("CHANnel1:DATA:XINCrement?")
        y0, dy = 0.0, 1.0
        if fmt.startswith("UINT"):
            y0 = s.num("CHANnel1:DATA:YORigin?")
            dy = s.num("CHANnel1:DATA:YINCrement?")
        s.w("CHANnel1:DATA?")
        dtype = "f" if fmt.startswith("REAL") else "H" if fmt.startswith("UINT,16") else "B"
        code = s.block(dtype, msb)
        if len(code) != n:
            raise RuntimeError("block length")
        y = code.astype(np.float32) if dtype == "f" else (code * dy + y0).astype(np.float32)
        s.w("RUN")
        return y, x0, dx
    return acquire


SETUP = {"qaio": qaio_family, "redpitaya": redpitaya, "rigol-ds1000z": rigol,
         "keysight-3000x": keysight, "siglent-sds1000xe": sds1000xe,
         "siglent-sds2000xp": sds2000xp, "tektronix": tektronix, "rs-rtb2000": rtb2000}


class Fam:
    def __init__(self, name):
        self.name = name
        (self.personality, self.points, self.rate, self.trigger, self.format) = FAMILIES[name]


def proc_cpu(pid):
    """CPU seconds a process's live threads have run so far (simproc.h's
    bench_proc_cpu_s: each thread's schedstat, in ns)."""
    ns = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                ns += int(f.read().split()[0])
        except OSError:
            pass  # a thread that just ended
    return ns / 1e9


def start_sim(personality):
    sim = os.environ.get("QAIO_BENCH_SIM")
    if not sim:
        sys.exit("py_scpi_family.py: set QAIO_BENCH_SIM to qaio-instrument-sim's path")
    p = subprocess.Popen([sim, "--personality", personality, "--port", "0",
                          "--signal", FAMILY_SIGNAL], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    line = p.stdout.readline()
    if not line.strip().isdigit():
        p.kill()
        sys.exit(f"py_scpi_family.py: {sim} --personality {personality} printed no port")
    return p, int(line)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("family", choices=sorted(FAMILIES))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--n", type=int)
    ap.add_argument("--reps", type=int)
    ap.add_argument("--mode", choices=("nodelay", "default"), default="nodelay")
    a = ap.parse_args()
    n, reps = (10, 1) if a.quick else (300, 5)
    n, reps = a.n or n, a.reps or reps
    f = Fam(a.family)
    fig = f"scpi_family_{f.name}"
    impl = "pyvisa-py" if a.mode == "nodelay" else "pyvisa-py/default"
    global np, pyvisa
    try:
        import numpy as np
        import pyvisa
        rm = pyvisa.ResourceManager("@py")
    except Exception as e:  # a missing module: say so and move on
        print(f"{fig} {impl} SKIPPED reason={type(e).__name__}:_{e}".replace(" ", "_"))
        return
    sim, port = start_sim(f.personality)
    try:
        s = Scope(rm, port, "\r\n" if f.name == "redpitaya" else "\n", a.mode == "nodelay")
        s.q("*IDN?")
        acquire = SETUP[f.name](s, f)
        y, x0, dx = acquire()  # warm-up
        vals, client_us, sim_us = [], [], []
        for _ in range(reps):
            c0, s0 = proc_cpu(os.getpid()), proc_cpu(sim.pid)
            t0 = time.monotonic_ns()
            for _ in range(n):
                y, x0, dx = acquire()
            vals.append(n / ((time.monotonic_ns() - t0) / 1e9))
            client_us.append((proc_cpu(os.getpid()) - c0) / n * 1e6)
            sim_us.append((proc_cpu(sim.pid) - s0) / n * 1e6)
        s.r.close()
    except Exception as e:
        fail(f.name, f"{type(e).__name__}: {e}")
    finally:
        sim.terminate()
        sim.wait()
    if not 0.8 < float(y.max() - y.min()) / 2 < 1.2:
        fail(f.name, f"the record's amplitude is {float(y.max() - y.min()) / 2:.3f} V, not 1 V")
    print(f"{fig} {impl} N={n} median={statistics.median(vals):.3f} waveforms/s "
          f"min={min(vals):.3f} max={max(vals):.3f} points={len(y)} format={f.format} "
          f"fs_hz={1 / dx:.6g} trigger={f.trigger} "
          f"client_us_per_wfm={statistics.median(client_us):.0f} "
          f"sim_us_per_wfm={statistics.median(sim_us):.0f}", flush=True)


if __name__ == "__main__":
    main()
