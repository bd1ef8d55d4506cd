"""pybench.py - what the py_*.py benchmarks share (the Python side of bench.h):
argument parsing, statistics, the one output line, and the event loop under
test: plain asyncio, uvloop (asyncio on libuv), or quamash on a
QCoreApplication. If uvloop or quamash cannot be loaded, the program prints
"<figure> <impl> SKIPPED reason=..." and exits 0.

quamash compatibility shim (Debian's python3-quamash 0.6.1 on Python 3.11):
quamash's _SimpleTimer calls QObject.startTimer(delay * 1000) with a float,
which PyQt5 rejects since Python 3.10 stopped implicit float->int
conversion. The shim converts with int(), i.e. truncation -- exactly what
the conversion did on the Pythons quamash was written for -- so quamash
keeps its own behaviour, including timers that can fire up to 1 ms early
(and Qt::CoarseTimer, quamash's default). Nothing else is patched;
make_loop(impl, running=True) also sets asyncio's running loop, for the
programs whose asyncio calls need one (see there).
"""
import argparse
import asyncio
import os
import statistics
import sys
import time

IMPLS = ("asyncio", "uvloop", "quamash")
FIGURE = None


def parse(figure, default_n, quick_n, modes=None, quamash_n=None):
    """impl [--quick] [--n N] [--reps R] [--mode M]; --n/--reps win over --quick.
    quamash_n: a smaller default N for quamash where its cost grows with N."""
    global FIGURE
    FIGURE = figure
    p = argparse.ArgumentParser()
    p.add_argument("impl", choices=IMPLS)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--n", type=int)
    p.add_argument("--reps", type=int)
    p.add_argument("--mode", choices=modes, default=modes[0] if modes else None)
    a = p.parse_args()
    n = quamash_n if (quamash_n and a.impl == "quamash") else default_n
    reps = 5
    if a.quick:
        n, reps = quick_n, 1
    a.n = a.n or n
    a.reps = a.reps or reps
    return a


def label(impl):
    """The impl label; quamash runs on Qt, so QT_NO_GLIB is part of it."""
    ng = os.environ.get("QT_NO_GLIB", "")
    return impl + ("/noglib" if impl == "quamash" and ng not in ("", "0") else "")


def make_loop(impl, running=False):
    """A fresh event loop of the kind under test, set as the current one.
    running=True: for quamash, also set it as asyncio's running loop, which
    quamash 0.6.1 predates (its run_until_complete never sets it) and which
    the streams API and asyncio.sleep(delay > 0) ask for since Python 3.10;
    it is what get_event_loop() gave them in quamash's day."""
    try:
        if impl == "asyncio":
            loop = asyncio.new_event_loop()
        elif impl == "uvloop":
            import uvloop
            loop = uvloop.new_event_loop()
        else:
            from PyQt5 import QtCore
            app = QtCore.QCoreApplication.instance() or QtCore.QCoreApplication([sys.argv[0]])
            import quamash
            # The shim (see the module docstring).
            quamash._SimpleTimer.startTimer = \
                lambda self, ms, *a: QtCore.QObject.startTimer(self, int(ms), *a)
            loop = quamash.QEventLoop(app)
    except Exception as e:  # a missing or broken module: say so and move on
        reason = f"{type(e).__name__}: {e}".replace(" ", "_")
        print(f"{FIGURE} {label(impl)} SKIPPED reason={reason}", flush=True)
        sys.exit(0)
    asyncio.set_event_loop(loop)
    if running and impl == "quamash":
        asyncio.events._set_running_loop(loop)
    return loop


def now_ns():
    return time.monotonic_ns()


def report(figure, impl, n, vals, unit, extra=""):
    print(f"{figure} {label(impl)} N={n} median={statistics.median(vals):.3f} {unit} "
          f"min={min(vals):.3f} max={max(vals):.3f}" + (f" {extra}" if extra else ""), flush=True)


class Gap:
    """Largest gap between a periodic timer's ticks while a measurement runs
    (the gap from begin to the first tick and from the last to end count)."""

    def begin(self):
        self.last, self.max_gap, self.ticks, self.on = now_ns(), 0, 0, True

    def tick(self):
        if self.on:
            t = now_ns()
            self.max_gap = max(self.max_gap, t - self.last)
            self.last = t
            self.ticks += 1

    def end(self):
        self.tick()
        self.ticks -= 1
        self.on = False
        return self.max_gap / 1e6


def pct(sorted_vals, p):
    """Nearest-rank percentile of a sorted list (bench.h: bench_pct)."""
    k = min(max(int(p / 100.0 * len(sorted_vals) + 0.999999), 1), len(sorted_vals))
    return sorted_vals[k - 1]
