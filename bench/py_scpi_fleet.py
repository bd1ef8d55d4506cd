#!/usr/bin/python3
"""scpi_fleet_c<C>, PyVISA-py: the reference for qaio_scpi_fleet.c. C
threads, each with its own pyvisa-py resource (one ResourceManager('@py')),
against S qaio-instrument-sim processes answering as a Keysight
InfiniiVision (instrument i on simulator i mod S), each thread sending
py_scpi_family.py's keysight-3000x sequence (the driver's: setup, settings,
one round trip per record, WORD decoded to volts with numpy), TCP_NODELAY
set as there. All connect, apply the settings and take a warm-up record,
then wait on a threading.Barrier; R = N / C records per thread are timed
until the last thread is done. The line says how many cores the
simulators and this process kept busy meanwhile (sim_cores,
client_cores) and their CPU time per waveform.

usage: py_scpi_fleet.py [--quick] [--n N] [--reps R] [--mode c<C>]
(defaults: C 100 on 4 simulators; --quick: C 10 on 2)."""
import argparse
import os
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import py_scpi_family as fam  # noqa: E402

FAMILY = "keysight-3000x"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--n", type=int)
    ap.add_argument("--reps", type=int)
    ap.add_argument("--mode", default=None)
    a = ap.parse_args()
    clients, nsims, n, reps = (10, 2, 100, 1) if a.quick else (100, 4, 3000, 5)
    if a.mode:
        clients = int(a.mode.lstrip("c"))
    n, reps = a.n or n, a.reps or reps
    per = max(1, n // clients)
    fig = f"scpi_fleet_c{clients}"
    try:
        import numpy
        import pyvisa
        fam.np, fam.pyvisa = numpy, pyvisa
        rm = pyvisa.ResourceManager("@py")
    except Exception as e:
        print(f"{fig} pyvisa-py SKIPPED reason={type(e).__name__}:_{e}".replace(" ", "_"))
        return
    f = fam.Fam(FAMILY)
    sims = [fam.start_sim(f.personality) for _ in range(nsims)]
    go = threading.Barrier(clients + 1)
    done = threading.Barrier(clients + 1)
    errors = []
    lock = threading.Lock()
    finish = threading.Event()  # threads stay until their CPU time is read

    def client(i):
        try:
            with lock:  # opening resources is not what is measured
                s = fam.Scope(rm, sims[i % nsims][1], "\n", True)
            acquire = fam.keysight(s, f)
            y, x0, dx = acquire()
            if len(y) != f.points:
                raise RuntimeError(f"{len(y)} points")
        except Exception as e:
            errors.append(f"{type(e).__name__}: {e}")
            go.abort()
            return
        try:
            for _ in range(reps):
                go.wait()
                for _ in range(per):
                    acquire()
                done.wait()
            finish.wait()
        except Exception as e:
            errors.append(f"{type(e).__name__}: {e}")
            go.abort()
            done.abort()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    vals, sim_c, self_c = [], [], []
    try:
        for _ in range(reps):
            s0 = sum(fam.proc_cpu(p.pid) for p, _ in sims)
            c0 = fam.proc_cpu(os.getpid())
            go.wait(timeout=120)
            t0 = time.monotonic_ns()
            done.wait()
            wall = (time.monotonic_ns() - t0) / 1e9
            vals.append(per * clients / wall)
            sim_c.append((sum(fam.proc_cpu(p.pid) for p, _ in sims) - s0) / wall)
            self_c.append((fam.proc_cpu(os.getpid()) - c0) / wall)
    except threading.BrokenBarrierError:
        pass
    finish.set()
    for p, _ in sims:
        p.terminate()
        p.wait()
    if errors or len(vals) < reps:
        print(f"scpi_fleet: {errors[0] if errors else 'a barrier broke'}", file=sys.stderr)
        sys.exit(1)
    wfm = statistics.median(vals)
    sc, cc = statistics.median(sim_c), statistics.median(self_c)
    print(f"{fig} pyvisa-py N={per * clients} median={wfm:.3f} waveforms/s min={min(vals):.3f} "
          f"max={max(vals):.3f} family={FAMILY} points={f.points} sims={nsims} "
          f"per_instrument={per} sim_cores={sc:.2f} client_cores={cc:.2f} "
          f"sim_us_per_wfm={sc / wfm * 1e6:.0f} client_us_per_wfm={cc / wfm * 1e6:.0f}",
          flush=True)


if __name__ == "__main__":
    main()
