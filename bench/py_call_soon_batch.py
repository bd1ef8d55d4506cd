#!/usr/bin/python3
"""call_soon_batch, Python: loop.call_soon() N no-op callbacks, then
loop.stop, then run_forever(). impl asyncio, uvloop or quamash (quamash
starts one Qt timer per call_soon and its cost per call grows with N, so
its default N is 20k). Reports ns per callback."""
import pybench as pb

a = pb.parse("call_soon_batch", 200000, 1000, quamash_n=20000)
loop = pb.make_loop(a.impl)
ran = 0


def noop():
    global ran
    ran += 1


per = []
for _ in range(a.reps):
    ran = 0
    t0 = pb.now_ns()
    for _ in range(a.n):
        loop.call_soon(noop)
    loop.call_soon(loop.stop)
    loop.run_forever()
    per.append((pb.now_ns() - t0) / a.n)
    assert ran == a.n, (ran, a.n)
pb.report("call_soon_batch", a.impl, a.n, per, "ns/cb")
