#!/usr/bin/python3
"""accept_rate, Python: the figure of qaio_accept_rate.c with asyncio
streams on asyncio, uvloop or quamash. Per repetition a fresh
asyncio.start_server (backlog SOMAXCONN, as the C programs) and N client
tasks calling asyncio.open_connection, at most WINDOW of them not yet
accepted (the server's handler releases the semaphore the client took).
Timed until every open_connection returned and every handler started;
reports connections per second. All N stay open until then (2N fds, N
lowered to fit the fd limit), then everything is closed. quamash: N 2000
(a QSocketNotifier per fd: its cost per connection grows with N)."""
import asyncio
import resource
import socket

import pybench as pb

WINDOW = 1000
FD_MARGIN = 200


def fit(want):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        soft = hard
    return want if soft == resource.RLIM_INFINITY else min(want, (soft - FD_MARGIN) // 2)


a = pb.parse("accept_rate", 10000, 500, quamash_n=2000)
N = fit(a.n)
loop = pb.make_loop(a.impl, running=True)  # quamash: see pybench.make_loop


async def one_rep():
    window = asyncio.Semaphore(WINDOW)
    all_up = asyncio.Event()
    hangup = asyncio.Event()
    count = {"accepted": 0, "connected": 0}

    def up(side):
        count[side] += 1
        if count["accepted"] == N and count["connected"] == N:
            all_up.set()

    async def handler(reader, writer):
        window.release()
        up("accepted")
        await hangup.wait()
        writer.close()

    async def client():
        await window.acquire()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        up("connected")
        await hangup.wait()
        writer.close()

    server = await asyncio.start_server(handler, "127.0.0.1", 0, backlog=socket.SOMAXCONN)
    port = server.sockets[0].getsockname()[1]
    t0 = pb.now_ns()
    tasks = [asyncio.create_task(client()) for _ in range(N)]
    await all_up.wait()
    rate = N / ((pb.now_ns() - t0) / 1e9)
    hangup.set()
    await asyncio.gather(*tasks)
    server.close()
    await server.wait_closed()
    await asyncio.sleep(0.05)  # let the handlers' closes run
    return rate


rates = [loop.run_until_complete(one_rep()) for _ in range(a.reps)]
pb.report("accept_rate", a.impl, N, rates, "conn/s", f"requested={a.n} window={WINDOW}")
