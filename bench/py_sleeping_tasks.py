#!/usr/bin/python3
"""sleeping_tasks, Python: the figure of qaio_sleeping_tasks.c on asyncio,
uvloop or quamash. N (100k) tasks made with loop.create_task, each sleeping
with asyncio.sleep until one common deadline (deadline_s() after the
first create_task), then finishing. Prints the three lines tasks_spawn,
tasks_complete and tasks_rss as the C program does, each repetition in a
fresh forked process (the loop is made in the child). quamash: N 10k; its
spawn cost per task grows with N (a trial at 100k: 176 us per task, 18 s,
against 27 us at 10k)."""
import asyncio
import os
import statistics
import sys
import time
import traceback

import pybench as pb


def deadline_s(n):
    """As qaio_sleeping_tasks.c: longer than the slowest spawn phase."""
    return 0.5 + 25e-6 * n


a = pb.parse("tasks_spawn", 100000, 1000, quamash_n=10000)


def status_kib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def one_rep():
    """spawn, rss, complete, create (per task) and late, as the C program."""
    loop = pb.make_loop(a.impl, running=True)  # asyncio.sleep(delay) asks for it
    s = {"started": 0, "left": a.n, "late": 0}
    all_done = loop.create_future()

    async def sleeper():
        now = time.monotonic()
        s["started"] += 1
        if s["started"] == a.n:
            s["t_started"] = now
        wait = deadline - now
        if wait < 0:
            s["late"] += 1
            wait = 0
        await asyncio.sleep(wait)
        s["left"] -= 1
        if s["left"] == 0:
            s["t_done"] = time.monotonic()
            all_done.set_result(None)

    base = status_kib("VmRSS")
    t0 = time.monotonic()
    deadline = t0 + deadline_s(a.n)
    for _ in range(a.n):
        loop.create_task(sleeper())
    t_created = time.monotonic()
    loop.run_until_complete(all_done)
    return ((s["t_started"] - t0) * 1e9 / a.n, (status_kib("VmHWM") - base) * 1024 / a.n,
            (s["t_done"] - deadline) * 1e9 / a.n, (t_created - t0) * 1e9 / a.n, s["late"])


vals = []
for r in range(a.reps):
    rfd, wfd = os.pipe()
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:  # the loop and the tasks live only here; never return
        code = 1
        try:
            os.write(wfd, " ".join(map(str, one_rep())).encode())
            code = 0
        except SystemExit as e:  # make_loop's SKIPPED
            code = e.code or 0
        except BaseException:
            traceback.print_exc()
        os._exit(code)
    os.close(wfd)
    with os.fdopen(rfd) as f:
        got = f.read()
    _, status = os.waitpid(pid, 0)
    if not got:  # make_loop printed SKIPPED (status 0), or the child failed
        sys.exit(os.waitstatus_to_exitcode(status))
    vals.append([float(v) for v in got.split()])

spawn, rss, done, create, late = zip(*vals)
impl, late = a.impl, int(sum(late))
pb.report("tasks_spawn", impl, a.n, spawn, "ns/task", f"create_ns={statistics.median(create):.1f} late={late}")
pb.report("tasks_complete", impl, a.n, done, "ns/task", f"late={late}")
pb.report("tasks_rss", impl, a.n, rss, "B/task")
