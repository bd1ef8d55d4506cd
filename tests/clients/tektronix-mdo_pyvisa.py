#!/usr/bin/env python3
"""Tektronix's PyVISA example for the MDO/MSO/DPO series ("get waveform of
channel 1": *RST, AUTOSet EXECute, HEADer 0, DATa:ENCdg SRIBINARY,
DATa:SOUrce/STARt/STOP from HORizontal:RECOrdlength?, WFMOutpre:BYT_Nr 1,
ACQuire:STOPAfter SEQuence, ACQuire:STATE 1, *OPC?, CURVe? with
query_binary_values, the WFMOutpre:XINcr/XZEro/YMUlt/YZEro/YOFf scaling,
*ESR? and ALLEv?) against the tektronix-mdo personality over pyvisa-py's
raw socket (the example's write termination None becomes '\\n': a socket
has no END). Checks the scaled waveform against the 1 V, 10 kHz sine
(amplitude 5 %, frequency 1 %). Usage: tektronix-mdo_pyvisa.py PORT"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sine_check import check_trace  # noqa: E402

try:
    import numpy as np
    import pyvisa
except ImportError as e:
    print("skip:", e)
    sys.exit(77)


port = int(sys.argv[1])
rm = pyvisa.ResourceManager("@py")
scope = rm.open_resource(f"TCPIP0::127.0.0.1::{port}::SOCKET")
scope.timeout = 10000  # ms
scope.encoding = "latin_1"
scope.read_termination = "\n"
scope.write_termination = "\n"
scope.write("*cls")  # clear ESR
idn = scope.query("*idn?")
print(idn)
if not idn.startswith("TEKTRONIX,MDO3024"):
    sys.exit(1)

# default setup, autoset
scope.write("*rst")
r = scope.query("*opc?")
scope.write("autoset EXECUTE")
r = scope.query("*opc?")

# io config
scope.write("header 0")
scope.write("data:encdg SRIBINARY")
scope.write("data:source CH1")
scope.write("data:start 1")
record = int(scope.query("horizontal:recordlength?"))
scope.write("data:stop {}".format(record))
scope.write("wfmoutpre:byt_n 1")

# acq config
scope.write("acquire:state 0")
scope.write("acquire:stopafter SEQUENCE")
scope.write("acquire:state 1")
r = scope.query("*opc?")

# data query
bin_wave = scope.query_binary_values("curve?", datatype="b", container=np.array)

# retrieve scaling factors
tscale = float(scope.query("wfmoutpre:xincr?"))
tstart = float(scope.query("wfmoutpre:xzero?"))
vscale = float(scope.query("wfmoutpre:ymult?"))  # volts / level
voff = float(scope.query("wfmoutpre:yzero?"))  # reference voltage
vpos = float(scope.query("wfmoutpre:yoff?"))  # reference position (level)

# error checking
esr = int(scope.query("*esr?"))
print("event status register: 0b{:08b}".format(esr))
allev = scope.query("allev?").strip()
print("all event messages: {}".format(allev))
scope.close()
rm.close()
if esr & 0x3C or not allev.startswith("0,"):
    sys.exit(1)

# create scaled vectors
total_time = tscale * record
tstop = tstart + total_time
t = np.linspace(tstart, tstop, num=record, endpoint=False)
v = (np.array(bin_wave, dtype="double") - vpos) * vscale + voff
if len(v) != record:
    print(f"{len(v)} samples for a record of {record}")
    sys.exit(1)

why = check_trace(f"CH1, {tscale:g} s apart", t.tolist(), v.tolist(), hyst=0.3)
if why:
    print(why)
    sys.exit(1)
