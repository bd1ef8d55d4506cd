#!/usr/bin/python3
"""timer_lateness, Python: N loop.call_later() timers at uniform random
delays in [1, 100] ms (exact float delays); --mode paced creates them 100
per pass (a call_soon chain), burst all in one callback. impl asyncio,
uvloop or quamash (which truncates delays to whole ms on a coarse Qt timer,
see pybench.py, so it fires early). Reports the p99 lateness in ms."""
import random
import statistics

import pybench as pb

PER_PASS = 100
a = pb.parse("timer_lateness", 10000, 200, modes=["paced", "burst"])
loop = pb.make_loop(a.impl)
per_pass = PER_PASS if a.mode == "paced" else a.n
deadline = [0.0] * a.n
late = [0.0] * a.n
st = {"created": 0, "fired": 0}
rng = random.Random()


def fire(i):
    late[i] = (pb.now_ns() - deadline[i]) / 1e6
    st["fired"] += 1
    if st["fired"] == a.n:
        loop.stop()


def create():
    end = min(st["created"] + per_pass, a.n)
    for i in range(st["created"], end):
        d = 0.001 + 0.099 * rng.random()
        deadline[i] = pb.now_ns() + d * 1e9
        loop.call_later(d, fire, i)
    st["created"] = end
    if end < a.n:
        loop.call_soon(create)


p50, p99, mx, mn, early = [], [], [], [], 0
for r in range(a.reps):
    rng.seed(12345 + r)
    st["created"] = st["fired"] = 0
    loop.call_soon(create)
    loop.run_forever()
    s = sorted(late)
    early += sum(1 for x in s if x < 0)
    p50.append(pb.pct(s, 50))
    p99.append(pb.pct(s, 99))
    mx.append(s[-1])
    mn.append(s[0])
pb.report("timer_lateness", a.impl, a.n, p99, "ms",
          f"mode={a.mode} p50_ms={statistics.median(p50):.3f} p99_ms={statistics.median(p99):.3f} "
          f"max_ms={max(mx):.3f} min_ms={min(mn):.3f} early={early}")
