#!/usr/bin/env python3
"""PyMeasure's KeysightDSOX1102G driver (an InfiniiVision 1000 X; Debian's
python3-pymeasure 0.9) against the keysight-3000x personality: the driver's
own channel, timebase, acquisition and waveform properties, digitize() and
download_data(), then check_errors(). Checks the record against the 1 V,
10 kHz sine (amplitude 5 %, frequency 1 %) on the preamble's time axis.
Usage: keysight-3000x_pymeasure.py PORT"""
import logging
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sine_check import check_trace  # noqa: E402

try:
    import numpy as np
    from pymeasure.instruments.keysight import KeysightDSOX1102G
except ImportError as e:
    print("skip:", e)
    sys.exit(77)

errors = []


class Collect(logging.Handler):
    def emit(self, record):
        errors.append(record.getMessage())


logging.getLogger("pymeasure.instruments.keysight.keysightDSOX1102G").addHandler(Collect())

port = int(sys.argv[1])
scope = KeysightDSOX1102G(f"TCPIP0::127.0.0.1::{port}::SOCKET", visa_library="@py",
                          read_termination="\n", write_termination="\n")
print("id:", scope.id)
scope.clear_status()
scope.factory_reset()

scope.ch1.display = True
scope.ch1.coupling = "dc"
scope.ch1.probe_attenuation = 1
scope.ch1.scale = 0.5
scope.ch1.offset = 0
config = scope.ch1.current_configuration
print("channel 1:", config)
if config["RANG"] != 4.0 or config["DISP"] is not True or config["COUP"] != "DC":
    print("channel configuration not as set")
    sys.exit(1)

scope.timebase_mode = "main"
scope.timebase_scale = 100e-6
scope.timebase_offset = 0
tb = scope.timebase
print("timebase:", tb)
if abs(tb["MAIN:RANG"] - 1e-3) > 1e-9 or scope.timebase_range != 1e-3:
    print("timebase not as set")
    sys.exit(1)
scope.acquisition_type = "normal"
scope.acquisition_mode = "realtime"
if scope.acquisition_type != "normal" or scope.acquisition_mode != "realtime":
    print("acquisition settings not as set")
    sys.exit(1)

scope.waveform_points_mode = "normal"
scope.waveform_points = 62500
scope.digitize("channel1")
data, preamble = scope.download_data(source="channel1", points=62500)
print("preamble:", preamble)
scope.check_errors()
if errors:
    print("the scope reported:", errors)
    sys.exit(1)
if preamble["points"] != len(data) or len(data) < 1000:
    print(f"{len(data)} values, preamble {preamble}")
    sys.exit(1)

v = [float(x) for x in data]
t = (np.arange(len(v)) - preamble["xreference"]) * preamble["xincrement"] + preamble["xorigin"]
why = check_trace("channel 1", t.tolist(), v, hyst=0.3)
if why:
    print(why)
    sys.exit(1)
