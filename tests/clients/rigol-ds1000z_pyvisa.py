#!/usr/bin/env python3
"""PyVISA (pyvisa-py backend) on the rigol-ds1000z personality, running the
MSO1000Z/DS1000Z Programming Guide's own sequences:

  - the screen (:WAV:MODE NORM) of CHAN2 in RUN, in BYTE with :WAV:YINC?,
    :WAV:YOR?, :WAV:YREF?, and in ASCii (volts inside the block);
  - :WAVeform:DATA?'s procedure for the internal memory: :STOP,
    :WAV:SOUR CHAN1, :WAV:MODE RAW, :WAV:FORM BYTE, then :WAV:STAR /
    :WAV:STOP / :WAV:DATA? in pieces of 250000 points, scaled with
    :WAV:PREamble? (volts = (code - yorigin - yreference) * yincrement);
    the memory filled by :ACQ:MDEP (in RUN), :TIM:SCAL and :SINGle polled
    with :TRIGger:STATus? until STOP.

    rigol-ds1000z_pyvisa.py PORT

Exit 0 when every waveform is the 1 V, 10 kHz sine (amplitude within 5 %,
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


def block_text(answer):
    """The text of an ASCii waveform: the '#9' block header removed."""
    n = int(answer[1])
    return answer[2 + n:]


def main():
    port = int(sys.argv[1])
    rm = pyvisa.ResourceManager("@py")
    scope = rm.open_resource(f"TCPIP0::127.0.0.1::{port}::SOCKET",
                             read_termination="\n", write_termination="\n", timeout=20000)
    idn = scope.query("*IDN?")
    print(idn)
    if not idn.startswith("RIGOL TECHNOLOGIES,DS1"):
        return f"*IDN? answered {idn!r}"
    errors = []

    # The screen of CHAN2 while running at 100 us/div: BYTE scaled by
    # YINC/YOR/YREF, then ASCii.
    scope.write(":RUN")
    scope.write(":TIM:SCAL 0.0001")
    scope.write(":WAV:SOUR CHAN2")
    scope.write(":WAV:MODE NORM")
    scope.write(":WAV:FORM BYTE")
    yinc = float(scope.query(":WAV:YINC?"))
    yor = float(scope.query(":WAV:YOR?"))
    yref = float(scope.query(":WAV:YREF?"))
    xinc = float(scope.query(":WAV:XINC?"))
    scope.write(":WAV:STAR 1")
    scope.write(":WAV:STOP 1200")
    codes = scope.query_binary_values(":WAV:DATA?", datatype="B", container=list)
    errors.append(check("CHAN2 screen (BYTE)", [(c - yor - yref) * yinc for c in codes], xinc))
    scope.write(":WAV:FORM ASC")
    volts = [float(v) for v in block_text(scope.query(":WAV:DATA?")).split(",") if v]
    errors.append(check("CHAN2 screen (ASCii)", volts, xinc))


    # Fill the memory: 600000 points (two channels on), 5 ms/div -> 10 MS/s.
    scope.write(":RUN")
    scope.write(":ACQ:MDEP 600000")
    scope.write(":TIM:SCAL 0.005")
    scope.write(":TRIG:MODE EDGE")
    scope.write(":TRIG:EDG:SOUR CHAN1")
    scope.write(":TRIG:EDG:LEV 0")
    scope.write(":SINGle")
    deadline = time.time() + 20
    while scope.query(":TRIG:STAT?") != "STOP":
        if time.time() > deadline:
            return "no STOP after :SINGle"
        time.sleep(0.01)
    srate = float(scope.query(":ACQ:SRAT?"))

    # The internal memory, in the guide's steps.
    scope.write(":STOP")
    scope.write(":WAV:SOUR CHAN1")
    scope.write(":WAV:MODE RAW")
    scope.write(":WAV:FORM BYTE")
    pre = scope.query(":WAV:PRE?").split(",")
    points, xinc = int(pre[2]), float(pre[4])
    yinc, yor, yref = float(pre[7]), float(pre[8]), float(pre[9])
    if abs(xinc * srate - 1) > 1e-6:
        errors.append(f"xincrement {xinc} for a sample rate of {srate}")
    codes = []
    for start in range(1, points + 1, 250000):
        scope.write(f":WAV:STAR {start}")
        scope.write(f":WAV:STOP {min(start + 249999, points)}")
        codes += scope.query_binary_values(":WAV:DATA?", datatype="B", container=list)
    if len(codes) != points:
        errors.append(f"memory: {len(codes)} points of {points}")
    errors.append(check("CHAN1 memory (BYTE)", [(c - yor - yref) * yinc for c in codes], xinc))

    err = scope.query(":SYST:ERR?")
    if not err.startswith("0,"):
        errors.append(f":SYST:ERR? answered {err}")
    scope.close()
    errors = [e for e in errors if e]
    return "\n".join(errors) if errors else None


if __name__ == "__main__":
    why = main()
    if why:
        print(why)
    sys.exit(1 if why else 0)
