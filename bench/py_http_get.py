#!/usr/bin/python3
"""http_get, Python: the figure of qaio_http_get.c with asyncio's raw
streams (what aiohttp does underneath, without aiohttp): N small GETs
against examples/http_server in a process of its own, over six keep-alive
connections (as many as Qt's QNetworkAccessManager opens per host), each a
task that takes the next request until all N are answered. Each response
is read as HTTP/1.1 with a Content-Length body and must be a 200. One
warm-up request per connection opens it first. Reports requests per
second, and the CPU time per request of this process (cpu_us_per_req). The server: $QAIO_BENCH_HTTP_SERVER (bench/run sets it), else
bench_http_server next to this file's build (<build>/bench)."""
import asyncio
import os
import resource
import statistics
import subprocess

import pybench as pb

CONNECTIONS = 6
WAIT_S = 300.0  # a guard against a hang, not a target

a = pb.parse("http_get", 1000, 50)
loop = pb.make_loop(a.impl, running=True)  # first: it exits when the impl is missing
server_path = os.environ.get("QAIO_BENCH_HTTP_SERVER") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "build-bench", "bench", "bench_http_server")
server = subprocess.Popen([server_path, "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
line = server.stdout.readline().decode()
if not line.startswith("Serving on 127.0.0.1:"):
    server.kill()
    raise SystemExit(f"py_http_get: {server_path} printed {line!r}")
port = int(line.rsplit(":", 1)[1])


def cpu_s():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


async def get(reader, writer, path):
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    status = await reader.readline()
    if not status.startswith(b"HTTP/1.1 200 "):
        raise RuntimeError(f"status {status!r}")
    length = 0
    while (h := await reader.readline()) not in (b"\r\n", b""):
        if h.lower().startswith(b"content-length:"):
            length = int(h.split(b":", 1)[1])
    return await reader.readexactly(length)


async def main():
    conns = [await asyncio.open_connection("127.0.0.1", port) for _ in range(CONNECTIONS)]
    for reader, writer in conns:
        await get(reader, writer, "/page/warmup")
    rates, cpu_us = [], []
    for _ in range(a.reps):
        left = iter(range(a.n))

        async def worker(reader, writer):
            for i in left:
                await get(reader, writer, f"/page/{i}")

        t0, c0 = pb.now_ns(), cpu_s()
        await asyncio.wait_for(asyncio.gather(*(worker(r, w) for r, w in conns)), WAIT_S)
        rates.append(a.n / ((pb.now_ns() - t0) / 1e9))
        cpu_us.append((cpu_s() - c0) / a.n * 1e6)
    for _, writer in conns:
        writer.close()
    return rates, cpu_us


try:
    rates, cpu_us = loop.run_until_complete(main())
finally:
    server.terminate()
    server.wait()
pb.report("http_get", a.impl, a.n, rates, "req/s",
          f"cpu_us_per_req={statistics.median(cpu_us):.1f} connections={CONNECTIONS} "
          "server=examples/http_server")
