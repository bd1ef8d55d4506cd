#!/usr/bin/python3
"""future_roundtrip, Python: create a future, loop.call_soon() its
set_result, loop.run_until_complete() it. impl asyncio, uvloop or quamash.
Reports ns per round trip."""
import pybench as pb

a = pb.parse("future_roundtrip", 20000, 100)
loop = pb.make_loop(a.impl)
per = []
for _ in range(a.reps):
    t0 = pb.now_ns()
    for _ in range(a.n):
        f = loop.create_future()
        loop.call_soon(f.set_result, 42)
        assert loop.run_until_complete(f) == 42
    per.append((pb.now_ns() - t0) / a.n)
pb.report("future_roundtrip", a.impl, a.n, per, "ns/op")
