#!/usr/bin/python3
"""yield_roundtrip, Python: one task awaits asyncio.sleep(0) N times (the
task's next step goes through call_soon, as qaio_yield's does), on asyncio,
uvloop or quamash. Reports ns per round trip. quamash: N 20k (its
call_soon costs a Qt timer each; the default N would take minutes)."""
import asyncio

import pybench as pb

a = pb.parse("yield_roundtrip", 200000, 1000, quamash_n=20000)
loop = pb.make_loop(a.impl)


async def yielder(n):
    t0 = pb.now_ns()
    for _ in range(n):
        await asyncio.sleep(0)
    return (pb.now_ns() - t0) / n


per = [loop.run_until_complete(yielder(a.n)) for _ in range(a.reps)]
pb.report("yield_roundtrip", a.impl, a.n, per, "ns/op")
