#!/usr/bin/env python3
"""The InfiniiVision 3000 X-Series Programmer's Guide's Python example
(PyVISA: capture a waveform with :DIGitize, read it with :WAVeform:PREamble?,
the :WAVeform:XINCrement?... queries and :WAVeform:DATA? in BYTE format,
checking :SYSTem:ERRor? after every command) against the keysight-3000x
personality, over pyvisa-py's raw socket. The guide's measurement queries
(:MEASure:...) are left out; its channel settings are adapted to the 1 V,
10 kHz sine the simulator serves. Checks amplitude (5 %) and frequency
(1 %). Usage: keysight-3000x_pyvisa.py PORT"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sine_check import check_trace  # noqa: E402

try:
    import pyvisa
except ImportError as e:
    print("skip:", e)
    sys.exit(77)

port = int(sys.argv[1])
rm = pyvisa.ResourceManager("@py")
scope = rm.open_resource(f"TCPIP0::127.0.0.1::{port}::SOCKET",
                         read_termination="\n", write_termination="\n")
scope.timeout = 15000
scope.clear = lambda: None  # a raw socket has no device clear


def check_instrument_errors(command):
    while True:
        error_string = scope.query(":SYSTem:ERRor?")
        if error_string[0:2] == "+0":
            return
        print(f"ERROR: {error_string}, command: '{command}'")
        sys.exit(1)


def do_command(command):
    scope.write(command)
    check_instrument_errors(command)


def do_query_string(query):
    result = scope.query(query)
    check_instrument_errors(query)
    return result


def do_query_number(query):
    return float(do_query_string(query))


def do_query_ieee_block(query):
    result = scope.query_binary_values(query, datatype="s", container=bytes)
    check_instrument_errors(query)
    return result


idn = do_query_string("*IDN?")
print("Identification string:", idn)
if not idn.startswith("KEYSIGHT TECHNOLOGIES,DSOX3024T"):
    print("not the InfiniiVision personality:", idn)
    sys.exit(1)

# Initialize: clear status, load the default setup, autoscale.
do_command("*CLS")
do_command("*RST")
do_command(":AUToscale")

# Capture.
do_command(":TRIGger:MODE EDGE")
do_command(":TRIGger:EDGE:SOURce CHANnel1")
do_command(":TRIGger:EDGE:LEVel 0.0")
do_command(":TRIGger:EDGE:SLOPe POSitive")
do_command(":CHANnel1:SCALe 0.5")
do_command(":CHANnel1:OFFSet 0.0")
do_command(":TIMebase:SCALe 0.0002")
do_command(":TIMebase:POSition 0.0")
do_command(":ACQuire:TYPE NORMal")
do_command(":DIGitize CHANnel1")

# Analyze: the waveform points, format and preamble.
do_command(":WAVeform:POINts:MODE RAW")
do_command(":WAVeform:POINts 10240")
do_command(":WAVeform:SOURce CHANnel1")
print("Waveform source:", do_query_string(":WAVeform:SOURce?"))
do_command(":WAVeform:FORMat BYTE")
print("Waveform format:", do_query_string(":WAVeform:FORMat?"))
preamble = do_query_string(":WAVeform:PREamble?").split(",")
print("Preamble:", preamble)
wav_form = {0: "BYTE", 1: "WORD", 4: "ASCii"}[int(preamble[0])]
points = int(preamble[2])
x_increment = do_query_number(":WAVeform:XINCrement?")
x_origin = do_query_number(":WAVeform:XORigin?")
x_reference = do_query_number(":WAVeform:XREFerence?")
y_increment = do_query_number(":WAVeform:YINCrement?")
y_origin = do_query_number(":WAVeform:YORigin?")
y_reference = do_query_number(":WAVeform:YREFerence?")
if wav_form != "BYTE" or float(preamble[4]) != x_increment:
    print("preamble and queries disagree")
    sys.exit(1)

data = do_query_ieee_block(":WAVeform:DATA?")
values = struct.unpack("%dB" % len(data), data)
print("Number of data values:", len(values))
if len(values) != points:
    print(f"{len(values)} values for {points} points")
    sys.exit(1)
scope.close()
rm.close()

t = [(i - x_reference) * x_increment + x_origin for i in range(points)]
v = [(x - y_reference) * y_increment + y_origin for x in values]
why = check_trace(f"channel 1, {x_increment:g} s apart", t, v, hyst=0.3)
if why:
    print(why)
    sys.exit(1)
