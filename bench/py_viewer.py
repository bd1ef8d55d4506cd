#!/usr/bin/python3
"""viewer, Python: the seed's way of running a live scope + spectrum viewer
(PyQt5 widgets, numpy, scipy.fftpack, a QTimer-driven acquisition loop), for
comparison with qaio-scope doing the same headless (offscreen platform).

One repetition = D seconds of continuous averaging from a fresh state, in a
1200x700 window holding two QPainter plots side by side (left: scope,
-1.2..1.2 V; right: spectrum, -160..10 dBV):
  - acquisition: record k (0-based) is samples [k*N, (k+1)*N) of an endless
    stream at fs and becomes available at t0 + (k+1)*N/fs ("force" trigger,
    records back to back). A single-shot Qt::PreciseTimer is armed for the
    whole milliseconds left until then (rounded up, 0 if late); when it fires
    the record is generated with numpy: sine amp=1 freq=10e3, h2=-40 dBc,
    h3=-50 dBc, Gaussian noise rms 1e-3 (default_rng(1)), float64.
  - processing (per record, as the seed): time-domain running average;
    Hann window (scipy.signal.get_window, once), scipy.fftpack.fft, bins
    0..N/2, |X|^2, running power average, both with weight 1/min(k, averages)
    (k 1-based); power to dBV 10*log10(2P/S1^2), S1 = sum(window), no factor 2
    at bins 0 and N/2, floored before the log.
  - display: both plots get the new curves and update() (Qt coalesces the
    repaints); paintEvent min/max decimates the curve per pixel column
    (2W vertices for W columns) and draws it as one QPolygonF, antialiasing
    off, inside a frame rectangle.
  - lag probe: a 10 ms Qt::PreciseTimer; lateness = (now - previous tick) -
    10 ms, clamped at >= 0 (time.perf_counter()).

Prints three lines (pybench.report format): the p99 lateness of the probe
(ms), spectrum-plot paints per second, records processed per second; median,
min and max over repetitions; the figure names end in _n<points>, N= is the
probe ticks / paints / records of the last repetition.

usage: py_viewer.py [--quick] [--reps R] [--seconds D] [--points N]
                    [--rate HZ] [--averages N]"""
import argparse
import math
import os
import time

import numpy as np
import scipy
import scipy.fftpack
import scipy.signal

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PyQt5 import QtCore, QtGui, QtWidgets  # noqa: E402 (after the platform choice)

import pybench as pb  # noqa: E402

IMPL = "pyqt5+numpy+scipy.fftpack"
p = argparse.ArgumentParser()
p.add_argument("--quick", action="store_true")
p.add_argument("--reps", type=int)
p.add_argument("--seconds", type=float)
p.add_argument("--points", type=int, default=16384)
p.add_argument("--rate", type=float, default=1e7)
p.add_argument("--averages", type=int, default=100)
a = p.parse_args()
reps, secs = (1, 1.0) if a.quick else (3, 5.0)
reps, secs = a.reps or reps, a.seconds or secs
N, fs, navg = a.points, a.rate, a.averages
H = {2: 10 ** (-40 / 20), 3: 10 ** (-50 / 20)}
WIN = scipy.signal.get_window("hann", N)
S1 = WIN.sum()
# One-sided power scale: x2 except at DC and Nyquist.
SCALE = np.full(N // 2 + 1, 2.0 / S1 ** 2)
SCALE[0] = SCALE[-1] = 1.0 / S1 ** 2


def minmax(y, w):
    """(x in columns, y): min and max of y per pixel column, 2w vertices (the
    remainder of an uneven split goes to the last column); y itself spread
    over the w columns if it is shorter."""
    g = len(y) // w
    if g < 1:
        return np.arange(len(y)) * (w / len(y)), y
    m = y[: w * g].reshape(w, g)
    lo, hi = m.min(axis=1), m.max(axis=1)
    if len(y) > w * g:
        lo[-1] = min(lo[-1], y[w * g:].min())
        hi[-1] = max(hi[-1], y[w * g:].max())
    return np.repeat(np.arange(w, dtype=float), 2), np.column_stack((lo, hi)).ravel()


class Plot(QtWidgets.QWidget):
    def __init__(self, ymin, ymax):
        super().__init__()
        self.ymin, self.ymax, self.y, self.paints = ymin, ymax, None, 0

    def set_curve(self, y):
        self.y = y
        self.update()

    def paintEvent(self, ev):
        qp = QtGui.QPainter(self)
        qp.setRenderHint(QtGui.QPainter.Antialiasing, False)
        qp.fillRect(self.rect(), QtCore.Qt.white)
        fr = self.rect().adjusted(40, 10, -10, -30)  # room for axis labels
        qp.setPen(QtCore.Qt.black)
        qp.drawRect(fr)
        if self.y is not None:
            xs, ys = minmax(self.y, fr.width())
            xs = xs + fr.left()
            ys = fr.top() + (self.ymax - np.clip(ys, self.ymin, self.ymax)) * (fr.height() / (self.ymax - self.ymin))
            # Fill the QPolygonF's point array in place through its buffer:
            # one QPointF per vertex from Python would dominate the paint.
            poly = QtGui.QPolygonF(len(xs))
            buf = poly.data()
            buf.setsize(16 * len(xs))
            pts = np.frombuffer(buf, dtype=np.float64).reshape(-1, 2)
            pts[:, 0], pts[:, 1] = xs, ys
            qp.setPen(QtGui.QPen(QtGui.QColor(0, 0, 200), 0))
            qp.drawPolyline(poly)
        qp.end()
        self.paints += 1


class Viewer:
    def __init__(self):
        self.win = QtWidgets.QWidget()
        self.win.resize(1200, 700)
        lay = QtWidgets.QHBoxLayout(self.win)
        self.scope, self.spec = Plot(-1.2, 1.2), Plot(-160.0, 10.0)
        lay.addWidget(self.scope)
        lay.addWidget(self.spec)
        self.acq = QtCore.QTimer(singleShot=True, timerType=QtCore.Qt.PreciseTimer, timeout=self.record)
        self.probe = QtCore.QTimer(interval=10, timerType=QtCore.Qt.PreciseTimer, timeout=self.tick)
        self.win.show()

    def start(self):
        self.rng, self.k = np.random.default_rng(1), 0
        self.tavg, self.pavg = np.zeros(N), np.zeros(N // 2 + 1)
        self.scope.paints = self.spec.paints = 0
        self.scope.y = self.spec.y = None
        self.lat = []
        self.t0 = self.last = time.perf_counter()
        self.probe.start()
        self.arm()

    def stop(self):
        self.acq.stop()
        self.probe.stop()

    def arm(self):
        due = self.t0 + (self.k + 1) * N / fs
        # Rounded up: a record is never read before the scope has it.
        self.acq.start(max(0, math.ceil((due - time.perf_counter()) * 1000)))

    def tick(self):
        t = time.perf_counter()
        self.lat.append(max(0.0, (t - self.last) * 1e3 - 10.0))
        self.last = t

    def record(self):
        t = (self.k * N + np.arange(N)) / fs
        ph = 2 * np.pi * 10e3 * t
        y = np.sin(ph)
        for h, hk in H.items():
            y += hk * np.sin(h * ph)
        y += self.rng.normal(0, 1e-3, N)
        self.k += 1
        w = 1.0 / min(self.k, navg)
        self.tavg += (y - self.tavg) * w
        pw = np.abs(scipy.fftpack.fft(y * WIN)[: N // 2 + 1]) ** 2
        self.pavg += (pw - self.pavg) * w
        self.scope.set_curve(self.tavg)  # updated in place; a paint shows the latest
        self.spec.set_curve(10 * np.log10(np.maximum(self.pavg * SCALE, 1e-30)))
        self.arm()


app = QtWidgets.QApplication([__file__])
v = Viewer()
app.processEvents()  # the first show and paint, outside the measurement
p99, redraws, acqs = [], [], []
for _ in range(reps):
    loop = QtCore.QEventLoop()
    v.start()
    QtCore.QTimer.singleShot(int(secs * 1000), loop.quit)
    loop.exec_()
    el = time.perf_counter() - v.t0
    v.stop()
    p99.append(pb.pct(sorted(v.lat), 99) if v.lat else 0.0)
    redraws.append(v.spec.paints / el)
    acqs.append(v.k / el)
    ticks, paints, records = len(v.lat), v.spec.paints, v.k
    app.processEvents()  # let a pending repaint land before the next rep
extra = f"points={N} rate_hz={fs:.0f} averages={navg} seconds={secs:g}"
pb.report(f"viewer_lag_p99_n{N}", IMPL, ticks, p99, "ms", extra)
pb.report(f"viewer_redraws_n{N}", IMPL, paints, redraws, "redraws/s", extra)
pb.report(f"viewer_acquisitions_n{N}", IMPL, records, acqs, "acquisitions/s",
          f"{extra} numpy={np.__version__} scipy={scipy.__version__}")
