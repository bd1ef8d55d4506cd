#!/usr/bin/python3
"""spectrum_pipeline / spectrum_processing, Python: the seed's way of doing
the spectrum analyzer's work with numpy + scipy.fftpack, for comparison with
qaio_spectrum_pipeline.c (same modes, same N, same output line).

  --mode pipeline-<size>    each trace: generate the next <size> points of the
                            default signal (sine amp=1 freq=10e3 h2=-40 h3=-50
                            plus noise rms=1e-3, fs 1 MHz, time continuing from
                            trace to trace) with numpy, then process it
  --mode processing-<size>  processing alone on one fixed record

Processing is what the seed did per trace: multiply by a Hann window
(scipy.signal.get_window('hann'), periodic, computed once),
scipy.fftpack.fft (a complex FFT of the real record), keep bins 0..N/2,
|X|^2, and fold into a running power average (avg += (p - avg) / k).

usage: py_spectrum_pipeline.py [--quick] [--n N] [--reps R] [--mode M]"""
import argparse
import os
import statistics
import sys
import time

import numpy as np
import scipy
import scipy.fftpack
import scipy.signal

p = argparse.ArgumentParser()
p.add_argument("--quick", action="store_true")
p.add_argument("--n", type=int)
p.add_argument("--reps", type=int)
p.add_argument("--mode", default="pipeline-16384")
a = p.parse_args()
what, _, size = a.mode.partition("-")
if what not in ("pipeline", "processing") or not size.isdigit():
    sys.exit("--mode pipeline-<size>|processing-<size>")
size = int(size)
pipeline = what == "pipeline"
n = (1 << 22 if pipeline else 1 << 24) // size
reps = 5
if a.quick:
    n, reps = 8, 1
n, reps = a.n or n, a.reps or reps

fs = 1e6
f0, amp = 10e3, 1.0
h = {2: 10 ** (-40 / 20), 3: 10 ** (-50 / 20)}
rng = np.random.default_rng(1)
pos = 0


def acquire():
    global pos
    t = (pos + np.arange(size)) / fs
    pos += size
    ph = 2 * np.pi * f0 * t
    y = amp * np.sin(ph)
    for k, hk in h.items():
        y += amp * hk * np.sin(k * ph)
    y += rng.normal(0, 1e-3, size)
    return y.astype(np.float32)


win = scipy.signal.get_window("hann", size).astype(np.float32)
avg = np.zeros(size // 2 + 1)
count = 0


def process(y):
    global avg, count
    spec = scipy.fftpack.fft(y * win)[: size // 2 + 1]
    pw = np.abs(spec) ** 2
    count += 1
    avg += (pw - avg) / count


rec = acquire()
process(rec)  # warm-up (fftpack caches its plan per size)
rates = []
for _ in range(reps):
    count = 0
    t0 = time.perf_counter()
    for _ in range(n):
        if pipeline:
            rec = acquire()
        process(rec)
    rates.append(n / (time.perf_counter() - t0))
print(f"spectrum_{what}_n{size} numpy+scipy.fftpack N={n} median={statistics.median(rates):.3f} "
      f"traces/s min={min(rates):.3f} max={max(rates):.3f} points={size} window=hann avg=power "
      f"numpy={np.__version__} scipy={scipy.__version__}", flush=True)
