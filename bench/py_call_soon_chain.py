#!/usr/bin/python3
"""call_soon_chain, Python: each callback loop.call_soon()s the next, N in
all, while a 1 ms periodic timer ticks (asyncio/uvloop: a call_later(0.001)
that re-arms itself; quamash: a QTimer with Qt::PreciseTimer). impl asyncio,
uvloop or quamash. Reports ns per callback and the timer's largest gap."""
import pybench as pb

a = pb.parse("call_soon_chain", 200000, 1000)
loop = pb.make_loop(a.impl)
gap = pb.Gap()
left = 0
max_gap = 0.0

if a.impl == "quamash":
    from PyQt5 import QtCore
    timer = QtCore.QTimer()
    timer.setTimerType(QtCore.Qt.PreciseTimer)
    timer.timeout.connect(gap.tick)
    timer.start(1)
else:
    def tick():
        gap.tick()
        loop.call_later(0.001, tick)
    loop.call_later(0.001, tick)


def step():
    global left, max_gap
    left -= 1
    if left > 0:
        loop.call_soon(step)
    else:
        max_gap = gap.end()
        loop.stop()


per, gaps, ticks = [], [], 0
for _ in range(a.reps):
    left = a.n
    t0 = pb.now_ns()
    gap.begin()
    loop.call_soon(step)
    loop.run_forever()
    per.append((pb.now_ns() - t0) / a.n)
    gaps.append(max_gap)
    ticks += gap.ticks
pb.report("call_soon_chain", a.impl, a.n, per, "ns/cb",
          f"timer_max_gap_ms={max(gaps):.3f} timer_ticks={ticks // a.reps}")
