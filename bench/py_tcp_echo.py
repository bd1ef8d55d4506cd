#!/usr/bin/python3
"""tcp_echo, Python: the figure of qaio_tcp_echo.c with asyncio streams
(asyncio.start_server, asyncio.open_connection) on asyncio, uvloop or
quamash. The server echoes what it reads; each of C client tasks does one
warm-up round trip after connecting (at most WINDOW connecting at a time),
waits for the repetition's barrier (an asyncio.Event), then does R round
trips of 64 bytes (write, readexactly). Only the echo phase is timed.
Reports round trips per second. --mode c100|c10000 picks C, lowered to fit
the fd limit (the figure is named for the C used). quamash: N 20k, and
skipped at 10k clients (see below)."""
import asyncio
import os
import resource
import socket
import sys

import pybench as pb

MSG = b"x" * 64
WINDOW = 500
FD_MARGIN = 200  # fds for the interpreter, the loop, the listener


def fit(want):
    """Raises the soft fd limit to the hard one; how many clients fit (2 fds each)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        soft = hard
    return want if soft == resource.RLIM_INFINITY else min(want, (soft - FD_MARGIN) // 2)


a = pb.parse("tcp_echo", 100000, 1000, modes=("c100", "c10000"), quamash_n=20000)
want = 10000 if a.mode == "c10000" else 100
if a.quick:
    want = min(want, 500)
C = fit(want)
R = max(1, a.n // C)
pb.FIGURE = f"tcp_echo_c{C}"
if a.impl == "quamash" and C > 1000 and not os.environ.get("QUAMASH_MANY"):
    # One QSocketNotifier per fd, polled by Qt's dispatcher each turn: in a
    # trial, 40 s to connect 9900 clients, then ~1.3k rt/s. QUAMASH_MANY=1
    # runs it anyway.
    print(f"{pb.FIGURE} {pb.label(a.impl)} SKIPPED reason=too_slow_with_{C}_sockets_"
          "(a_QSocketNotifier_per_fd;_trial:_40_s_to_connect,_1.3k_rt/s)", flush=True)
    sys.exit(0)
loop = pb.make_loop(a.impl, running=True)  # quamash: see pybench.make_loop


async def echo(reader, writer):
    try:
        while data := await reader.read(4096):
            writer.write(data)
    except ConnectionError:
        pass
    writer.close()


async def main():
    server = await asyncio.start_server(echo, "127.0.0.1", 0, backlog=socket.SOMAXCONN)
    port = server.sockets[0].getsockname()[1]
    window = asyncio.Semaphore(WINDOW)
    all_connected = asyncio.Event()
    go = [asyncio.Event() for _ in range(a.reps)]
    done = [asyncio.Event() for _ in range(a.reps)]
    left = [C] * a.reps
    connected = 0

    async def client():
        nonlocal connected
        async with window:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(MSG)
            await reader.readexactly(len(MSG))
        connected += 1
        if connected == C:
            all_connected.set()
        for r in range(a.reps):
            await go[r].wait()
            for _ in range(R):
                writer.write(MSG)
                await reader.readexactly(len(MSG))
            left[r] -= 1
            if left[r] == 0:
                done[r].set()
        writer.close()

    tasks = [asyncio.create_task(client()) for _ in range(C)]
    await all_connected.wait()
    rates = []
    for r in range(a.reps):
        t0 = pb.now_ns()
        go[r].set()
        await done[r].wait()
        rates.append(C * R / ((pb.now_ns() - t0) / 1e9))
    await asyncio.gather(*tasks)
    server.close()
    await server.wait_closed()
    return rates


rates = loop.run_until_complete(main())
pb.report(pb.FIGURE, a.impl, C * R, rates, "rt/s",
          f"clients={C} requested={want} rt_per_client={R} msg_bytes={len(MSG)}")
