#!/usr/bin/python3
"""tables.py - turns the benchmark lines bench/run collected into one
report: a header (date, machine, package versions, how the run went), how
to read it, a summary (one line per figure: qaio against the best
reference), then per group of figures one table per figure (timer_lateness:
per mode) with a ratio column, qaio's targets, the group's notes, and the
raw lines.

usage: tables.py <output.md> <quick 0|1> <command> <what was measured> <wall seconds>
                 <group>=<lines-file> [<group>=<lines-file> ...]

The best reference of a table is the non-qaio row with the best median: the
lowest for times, sizes and lateness, the highest for rates (units ending in
/s); rows that broke the figure's promise do not qualify: early > 0 (a timer
fired before its deadline) or late > 0 (a task started after the common
deadline it was to sleep until)."""
import datetime
import os
import platform
import subprocess
import sys

out_file, quick, command, state = sys.argv[1], sys.argv[2] == "1", sys.argv[3], sys.argv[4]
wall = float(sys.argv[5])
inputs = [a.split("=", 1) for a in sys.argv[6:]]

GROUPS = {
    "core": "Scheduling, futures and timers",
    "tasks": "Tasks: yield round trip and 100k sleeping tasks",
    "io": "Loopback TCP",
    "instr": "Instruments and the viewer",
}

TITLES = {
    "call_soon_batch": "call_soon_batch: N no-op callbacks queued, then run (ns per callback)",
    "call_soon_chain": "call_soon_chain: each callback queues the next (ns per callback; "
                       "timer_max_gap_ms = largest gap of a 1 ms timer meanwhile)",
    "future_roundtrip": "future_roundtrip: pending future, call_soon sets it, wait on a nested loop "
                        "(ns per round trip)",
    "timer_lateness": "timer_lateness: N timers at random 1-100 ms (median = p99 lateness over "
                      "repetitions, ms; early = timers that fired before their deadline)",
    "yield_roundtrip": "yield_roundtrip: one task yields to the loop N times (qaio_yield; "
                       "`await asyncio.sleep(0)`) (ns per round trip)",
    "tasks_spawn": "tasks_spawn: N tasks spawned, each running until it sleeps (ns per task; "
                   "create_ns = the spawn calls alone)",
    "tasks_complete": "tasks_complete: the N sleeps end at one common deadline: ns per task from "
                      "the deadline until the last task finished",
    "tasks_rss": "tasks_rss: peak RSS growth while the N tasks sleep, per task (bytes)",
    "tcp_echo_c": "tcp_echo: {n} concurrent clients, 64-byte ping-pong over loopback TCP, "
                  "server in the same process (round trips per second; N = round trips per "
                  "repetition)",
    "accept_rate": "accept_rate: N connections opened and accepted over loopback TCP, at most "
                   "1000 waiting to be accepted (connections per second)",
    "http_get": "http_get: N small GETs over six keep-alive loopback connections to "
                "examples/http_server in a child process (requests per second; qaio: "
                "qaio_http_get over QNetworkAccessManager, Python: asyncio raw streams)",
    "spectrum_pipeline_n": "spectrum_pipeline: {n}-point traces per second: simulated acquisition "
                           "(the default signal generated, no real-time wait) + Hann window + FFT + "
                           "power average",
    "spectrum_processing_n": "spectrum_processing: {n}-point traces per second through window + FFT + "
                             "power average of a fixed record, vs a bare FFTW r2c of the same size",
    "scpi_waveforms": "scpi_waveforms: waveforms per second acquired with the qaio SCPI driver from an "
                      "in-process qaio SCPI server over loopback TCP",
    "scpi_flood_p99": "scpi_flood: p99 latency (ms) of a well-behaved client's :WAV:DATA? (16k points "
                      "at 1 MS/s, a fresh record each) from the qaio SCPI server in a child process "
                      "while 50 clients pipeline waveform queries and never read (unloaded_p99_ms: "
                      "the same client alone)",
    "viewer_lag_p99_n": "viewer_lag: {n}-point records averaged continuously, both plots live, headless "
                        "(offscreen): p99 lateness of a 10 ms timer on the GUI loop (ms)",
    "viewer_redraws_n": "viewer_redraws: the same run: spectrum-plot redraws per second (qaio-scope "
                        "publishes at most one frame per 8 ms; the Python viewer repaints per record)",
    "viewer_acquisitions_n": "viewer_acquisitions: the same run: records acquired, averaged and "
                             "published per second (simulated at 100 MS/s)",
    "viewer_waterfall_frames_n": "viewer_waterfall_frames: the same run: waterfall repaints per second "
                                 "(qaio-scope's bench turns on the waterfall and max/min hold)",
}
# The order of the tables; a figure named <prefix><number> sorts by number.
ORDER = ["call_soon_batch", "call_soon_chain", "future_roundtrip", "timer_lateness",
         "yield_roundtrip", "tasks_spawn", "tasks_complete", "tasks_rss", "tcp_echo_c", "accept_rate",
         "http_get",
         "spectrum_pipeline_n", "spectrum_processing_n", "scpi_waveforms", "scpi_flood_p99",
         "viewer_lag_p99_n",
         "viewer_redraws_n", "viewer_acquisitions_n",
         "viewer_waterfall_frames_n"]
MODES = [None, "paced", "burst"]


def split_fig(fig):
    """(the TITLES/ORDER key, its number or 0): tcp_echo_c9900 -> (tcp_echo_c, 9900)."""
    for p in ORDER:
        if fig.startswith(p) and fig[len(p):].isdigit():
            return p, int(fig[len(p):])
    return fig, 0


def title(fig):
    key, n = split_fig(fig)
    return TITLES.get(key, fig).format(n=n)


def parse(line):
    tok = line.split()
    if len(tok) < 3:
        return None
    row = {"figure": tok[0], "impl": tok[1], "status": "ok", "extra": {}, "mode": None}
    if tok[2] in ("SKIPPED", "FAILED"):
        row["status"] = tok[2]
        row["reason"] = " ".join(tok[3:]).replace("reason=", "").replace("_", " ")
        return row
    kv = {}
    for i, t in enumerate(tok[2:], 2):
        if t.startswith("median="):
            kv["median"] = float(t[7:])
            row["unit"] = tok[i + 1]
        elif "=" in t:
            k, v = t.split("=", 1)
            kv[k] = v
    row["n"], row["median"] = kv.pop("N"), kv.pop("median")
    row["min"], row["max"] = float(kv.pop("min")), float(kv.pop("max"))
    row["mode"] = kv.get("mode")
    row["extra"] = kv
    return row


# groups[(figure, mode)] = rows, in the order they ran; keys_of[group] = its keys.
groups, keys_of, raw = {}, {}, {}
for group, lines_file in inputs:
    raw[group] = [l.rstrip("\n") for l in open(lines_file) if l.strip()]
    for r in filter(None, map(parse, raw[group])):
        groups.setdefault((r["figure"], r["mode"]), []).append(r)
        keys_of.setdefault(group, [])
        if (r["figure"], r["mode"]) not in keys_of[group]:
            keys_of[group].append((r["figure"], r["mode"]))
# Failed/skipped timer_lateness lines have no mode: show them under both.
for keys in keys_of.values():
    if ("timer_lateness", None) in keys:
        keys.remove(("timer_lateness", None))
        for mode in ("paced", "burst"):
            groups.setdefault(("timer_lateness", mode), []).extend(groups[("timer_lateness", None)])
            keys += [] if ("timer_lateness", mode) in keys else [("timer_lateness", mode)]
        del groups[("timer_lateness", None)]


def sort_key(k):
    key, n = split_fig(k[0])
    return (ORDER.index(key) if key in ORDER else 99, n, MODES.index(k[1]) if k[1] in MODES else 9)


def is_qaio(r):
    return r["impl"].split("/")[0] == "qaio"


def higher_is_better(rs):
    return any(r["status"] == "ok" and r["unit"].endswith("/s") for r in rs)


def best_ref(rs):
    # A median <= 0 is no measurement to compare with: quamash's timers can
    # fire before their deadline, so in a quick run its tasks_complete (time
    # from the deadline to the last task's end) came out negative.
    refs = [r for r in rs if r["status"] == "ok" and not is_qaio(r) and r["median"] > 0
            and int(r["extra"].get("early", 0)) == 0 and int(r["extra"].get("late", 0)) == 0]
    if not refs:
        return None
    return (max if higher_is_better(rs) else min)(refs, key=lambda r: r["median"])


def fmt(v):
    """About four significant digits, never in exponent notation."""
    return f"{v:.0f}" if abs(v) >= 1000 else f"{v:.1f}" if abs(v) >= 100 else f"{v:.2f}" if abs(v) >= 10 else f"{v:.3f}"


def _r2c(fig):
    rs = [x for x in groups.get((fig, None), []) if x["impl"] == "fftw/r2c" and x["status"] == "ok"]
    return rs[0]["median"] if rs else None


# (figure, mode) -> (description, predicate on a row, value shown)
TARGETS = {
    ("call_soon_batch", None): ("<= 10 ns/callback", lambda r: r["median"] <= 10, lambda r: f'{r["median"]:.3f} ns'),
    ("call_soon_chain", None): ("1 ms timer served at least every 5 ms",
                                lambda r: float(r["extra"]["timer_max_gap_ms"]) <= 5,
                                lambda r: f'max gap {float(r["extra"]["timer_max_gap_ms"]):.3f} ms'),
    ("future_roundtrip", None): ("<= 2 us/round trip", lambda r: r["median"] <= 2000, lambda r: f'{r["median"]:.1f} ns'),
    ("timer_lateness", "paced"): ("p99 <= 0.5 ms, early = 0",
                                  lambda r: r["median"] <= 0.5 and int(r["extra"]["early"]) == 0,
                                  lambda r: f'p99 {r["median"]:.3f} ms, early {r["extra"]["early"]}'),
    ("timer_lateness", "burst"): ("p99 <= 1 ms, early = 0",
                                  lambda r: r["median"] <= 1 and int(r["extra"]["early"]) == 0,
                                  lambda r: f'p99 {r["median"]:.3f} ms, early {r["extra"]["early"]}'),
    ("viewer_lag_p99_n16384", None): ("p99 <= 16 ms", lambda r: r["median"] <= 16, lambda r: f'{r["median"]:.2f} ms'),
    ("viewer_redraws_n16384", None): (">= 60 redraws/s", lambda r: r["median"] >= 60,
                                      lambda r: f'{r["median"]:.0f} redraws/s'),
    ("scpi_waveforms", None): (">= 200 waveforms/s (16k points)", lambda r: r["median"] >= 200,
                               lambda r: f'{r["median"]:.0f} waveforms/s'),
    ("scpi_flood_p99", None): ("loaded p99 <= 2x unloaded p99",
                               lambda r: float(r["extra"]["ratio"]) <= 2,
                               lambda r: f'{r["median"]:.1f} ms loaded, '
                                         f'{float(r["extra"]["unloaded_p99_ms"]):.1f} ms alone '
                                         f'({r["extra"]["ratio"]}x)'),
}
for _s in (1024, 16384, 65536):
    _f = f"spectrum_processing_n{_s}"
    TARGETS[(_f, None)] = ("time <= 1.5x a bare FFTW r2c's (r2c rate / this rate; meant for qaio/fftw)",
                           lambda r, f=_f: bool(_r2c(f)) and _r2c(f) / r["median"] <= 1.5,
                           lambda r, f=_f: f'{_r2c(f) / r["median"]:.2f}x' if _r2c(f) else "no r2c row")

NOTES = {"core": [
    "- `uv/idle` is a bare FIFO drained by a uv_idle handle (bench.h): no handles, no "
    "cancellation, no thread check, so it is a floor rather than a peer for the batch figure.",
    "- `qaio/qtimer` arms one QTimer at the deadline rounded up to whole ms, so its lateness is "
    "uniform in 0-1 ms by construction, plus dispatch (p50 ~0.55 ms, p99 ~1.1 ms): it cannot meet "
    "the 0.5 ms target and sits just above the 1 ms one; the targets are meant for the default "
    "timerfd source.",
    "- Rows that fire timers early (`early` > 0: libuv/uvloop's whole-ms cached clock, quamash's "
    "truncated coarse timers) are shown but never chosen as the best reference.",
], "tasks": [
    "- Coroutines have no counterpart in raw Qt or libuv, so the references are asyncio, uvloop "
    "and quamash running the same program (`await asyncio.sleep(0)`; `loop.create_task` of a "
    "coroutine that awaits `asyncio.sleep(deadline - now)`).",
    "- yield_roundtrip: one task alone, so each round trip is one call_soon, one pass of the "
    "loop and one resume (a fiber switch in qaio, a coroutine `send` in Python). quamash runs "
    "N 20k (its call_soon costs a Qt timer).",
    "- sleeping tasks: every repetition is a fresh forked process (RSS growth and first-touch "
    "page faults count every time). All tasks sleep until one deadline, 0.5 s + 25 us x N after "
    "the first spawn (3 s at 100k), so the spawn phase is over before any wakes; "
    "`late` counts tasks that started after it (their rows cannot be the best reference). "
    "quamash runs N 10k: its spawn cost per task grows with N (a trial at 100k: 176 us per "
    "task, 18 s).",
    "- qaio's rows: `qaio` spawns with 16 KiB stacks (the smallest qaio allows), "
    "`qaio/stack256k` with the default 256 KiB. Stacks are committed page by page, so both "
    "touch about the same RAM: the stack's top page, and for stacks past the guard-page budget "
    "(16k) the lowest page, where the overflow canary lives.",
    "- tasks_rss is VmHWM at the end minus VmRSS before the first spawn, over N: everything the "
    "tasks and their timers cost, allocator slack included.",
    "- Where qaio's spawn and completion time goes (strace -c at N 100k): each task's stack is "
    "its own mapping, so a task costs about 4 system calls (mmap and madvise(NOHUGEPAGE) at "
    "spawn, madvise(DONTNEED) when it is parked after the task ends, munmap once all are done; "
    "plus mprotect for the 16k guarded ones) and two page faults; about 80% of the CPU time is "
    "in the kernel. Python's tasks are heap objects.",
], "io": [
    "- Everything runs in one process on 127.0.0.1: the loop serves both the server and the "
    "clients, so each round trip costs the loop two reads and two writes, and the kernel's "
    "loopback TCP (a few us per send on this VM) is most of it.",
    "- C and N are lowered to fit the fd limit (2 fds per connection; 200 kept in reserve): "
    "`requested=` shows what was asked, and the figure is named for the C used.",
    "- Connecting is windowed (500 clients connecting at a time for tcp_echo, 1000 connections "
    "not yet accepted for accept_rate) with a listen backlog of SOMAXCONN everywhere, so no SYN "
    "is dropped: a drop costs a 1 s retransmission, which would time the kernel.",
    "- `uv` is raw libuv callbacks (uv_try_write, one shared read buffer): no tasks, no stream "
    "buffering, a floor rather than a peer. asyncio, uvloop and quamash run the same asyncio "
    "streams program; quamash needs its running loop set (pybench.make_loop), and is skipped at "
    "10k clients and runs smaller N (a QSocketNotifier per fd).",
    "- Where qaio's time goes (perf and strace -c on this VM): tcp_echo_c100 is ~92% kernel "
    "(loopback TCP) and ~7.5% libqaio, libc and Boost.Context, with system calls matching libuv's "
    "one for one. accept_rate makes ~9.4 system calls per connection against libuv's ~11.2 (one "
    "epoll_ctl; libuv ~3); what it pays on top is its two tasks per connection (the client and "
    "the server's handler): their switches touch 19,800 cold stack tops, and a process's first "
    "repetition faults their pages in (later ones reuse them: the stack pool keeps a finished "
    "burst's slabs, lazily freed). bench/PROFILES.md gives the profiles.",
], "instr": [
    "- spectrum_pipeline: qaio generates each record with qaio_signal_generate (sines by rotating "
    "phasors re-anchored every 256 samples, a counter-based ziggurat Gaussian), exactly what the "
    "simulated scope does minus its real-time wait; the Python row generates the "
    "same signal vectorised with numpy (np.sin, numpy's normal generator: same statistics, not the "
    "same samples). Subtract the processing figure to see the generation's share.",
    "- The Python rows are the seed's way: scipy.signal.get_window('hann') once, scipy.fftpack.fft "
    "(complex FFT of the real record), bins 0..N/2, |X|^2, running mean.",
    "- qaio/kissfft is the same program linked to a static KissFFT build of the spectrum sources "
    "(bench/CMakeLists.txt); the 1.5x target is meant for the FFTW build (its row is listed for "
    "both).",
    "- scpi_waveforms: the served scope runs at 1 GHz with a forced trigger, so the record time "
    "(16 us) and no trigger search are in the figure: it times the SCPI path (REAL float32 blocks "
    "of 64 KiB, one round trip per waveform), not the simulated wait.",
    "- viewer: qaio-scope's simulated scope charges each record its time (0.16 ms) after it is "
    "asked for, while py_viewer.py schedules records back to back on an absolute clock, so its "
    "waiting overlaps its work: the comparison favours Python. qaio-scope decouples drawing from "
    "acquisition (a frame at most every 8 ms); the Python viewer repaints once per record, as the "
    "seed did, which is why its redraws/s equal its acquisitions/s.",
]}

# --- the families group (bench/run's families_figures) ------------------------
# One figure per SCPI driver family (qaio's driver, PyVISA-py sending the same
# commands), then 100 instruments at once; an overview table puts each
# family's ratios side by side.
FAMILIES = ["qaio", "redpitaya", "rigol-ds1000z", "keysight-3000x", "siglent-sds1000xe",
            "siglent-sds2000xp", "tektronix", "rs-rtb2000"]
GROUPS["families"] = "SCPI driver families against qaio-instrument-sim, PyVISA-py alongside"
for _f in FAMILIES:
    TITLES[f"scpi_family_{_f}"] = (f"scpi_family_{_f}: waveforms per second, qaio's {_f} driver vs "
                                   "PyVISA-py sending the same commands, against the personality "
                                   "in a simulator process of its own")
    ORDER.append(f"scpi_family_{_f}")
TITLES["scpi_fleet_c"] = ("scpi_fleet: {n} Keysight instruments at once on 4 simulator processes: "
                          "one qaio thread (a task each) vs PyVISA-py with a thread each "
                          "(aggregate waveforms per second)")
ORDER.append("scpi_fleet_c")


def _pyvisa(fig):
    """The faster PyVISA-py row (TCP_NODELAY set, or as opened)."""
    rs = [x for x in groups.get((fig, None), []) if x["impl"].startswith("pyvisa-py")
          and x["status"] == "ok"]
    return max(rs, key=lambda r: r["median"]) if rs else None


for _f in FAMILIES:
    _g = f"scpi_family_{_f}"
    TARGETS[(_g, None)] = (">= 3x PyVISA-py's waveforms/s",
                           lambda r, g=_g: bool(_pyvisa(g)) and r["median"] >= 3 * _pyvisa(g)["median"],
                           lambda r, g=_g: (f'{r["median"] / _pyvisa(g)["median"]:.2f}x'
                                            if _pyvisa(g) else "no pyvisa-py row"))


def families_overview():
    """Per family: the points and format, both rates, their ratio, and each
    client's own CPU time per waveform (the simulator's is in both)."""
    md = ["### Overview: qaio / PyVISA-py per family", "",
          "| family | points | format | trigger | qaio wfm/s | PyVISA-py wfm/s (faster row) | ratio | "
          "qaio client us/wfm | PyVISA-py client us/wfm | client CPU ratio | sim us/wfm |",
          "|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for f in FAMILIES:
        rs = groups.get((f"scpi_family_{f}", None), [])
        q = next((r for r in rs if r["impl"] == "qaio" and r["status"] == "ok"), None)
        p = _pyvisa(f"scpi_family_{f}")
        if not q or not p:
            md.append(f"| {f} | | | | {fmt(q['median']) if q else 'no row'} | "
                      f"{fmt(p['median']) if p else 'no row'} | | | | | |")
            continue
        qc, pc = float(q["extra"]["client_us_per_wfm"]), float(p["extra"]["client_us_per_wfm"])
        md.append(f"| {f} | {q['extra']['points']} | {q['extra']['format']} | {q['extra']['trigger']} | "
                  f"{fmt(q['median'])} | {fmt(p['median'])} | {q['median'] / p['median']:.2f} | "
                  f"{qc:.0f} | {pc:.0f} | {pc / qc if qc else float('inf'):.1f} | "
                  f"{q['extra']['sim_us_per_wfm']} |")
    return md + [""]


OVERVIEW = {"families": families_overview}
NOTES["families"] = [
    "- Each program starts its own qaio-instrument-sim (`--personality <family> --port 0`) and "
    "drives it over loopback TCP: client and server are separate processes sharing the 2 cores. "
    "The served signal is a pure 1 V, 1 MHz sine (the simulator's cheapest; an edge every "
    "microsecond for the AUTO-trigger families). Each family runs at the record length nearest "
    "16k points its personality offers (points=), at about 1 GSa/s, in its driver's native "
    "format; free run where the family has one, else AUTO.",
    "- The PyVISA-py rows send the commands qaio's driver of that family sends, in the same "
    "order, with the same polls and poll intervals, and decode to volts with the same scaling "
    "(numpy for the arithmetic, read_binary_values for the blocks). `pyvisa-py` sets TCP_NODELAY "
    "(pyvisa-py 0.5.1 implements VISA's VI_ATTR_TCPIP_NODELAY but refuses it for SOCKET "
    "resources, so on its socket); `pyvisa-py/default` is the resource as opened, Nagle on: "
    "every write-write-read exchange then waits for a delayed ACK (~40 ms).",
    "- One record's exchanges are sequential, so a waveform costs the client's CPU time, the "
    "simulator's (sim_us_per_wfm: generating, triggering and encoding the record) and the "
    "families' poll sleeps. The client CPU ratio (PyVISA-py's client_us_per_wfm / qaio's) is "
    "what the client alone costs (CPU times from each thread's /proc schedstat).",
    "- Exchanges per record in the drivers (queries answered, + lines without an answer; k = "
    "status polls): qaio 1; keysight-3000x 1; tektronix 2; rs-rtb2000 7 (+1: FORMat:BORDer?, "
    "FORMat:DATA?, DATA:HEADer?, XORigin?, XINCrement? each on a line of its own); "
    "siglent-sds1000xe 5 + k (+2: TDIV?, SARA?, VDIV?, OFST? each record); siglent-sds2000xp "
    "3 + k (+2); redpitaya 4 + k (+2: ACQ:DEC?, ACQ:TRIG:DLY?, ACQ:DATA:UNITS? each record); "
    "rigol-ds1000z 2 + k (+6).",
    "- Poll-bound families: redpitaya polls ACQ:TRIG:STAT? every 2 ms and rigol-ds1000z "
    ":TRIGger:STATus? every 3 ms, so one sleep per record dominates both clients. The Rigol "
    "driver also counts STOP only after the scope said something else or after 0.2 s: when the "
    "record is complete before the first poll (the slower client's usual case here), a record "
    "costs 0.2 s.",
    "- scpi_fleet: a simulator takes one acquisition at a time across its sessions, so 100 "
    "instruments spread over 4 processes (25 sessions each). sim_cores / client_cores are the "
    "cores each side kept busy while timed; with both near the machine's 2 cores the figure is "
    "bound by the simulators' CPU (sim_us_per_wfm against the client's), not by the client.",
]


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def machine():
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip() or platform.processor()
    virt = " (virtual machine)" if sh("grep -m1 -w hypervisor /proc/cpuinfo") else ""
    mem = sh("awk '/^MemTotal/ {printf \"%.0f\", $2 / 1048576}' /proc/meminfo")
    osname = sh(". /etc/os-release 2>/dev/null && echo \"$PRETTY_NAME\"")
    return f"{cpu}{virt}, {os.cpu_count()} cores, {mem} GiB RAM, {osname}, Linux {platform.release()}"


# The packages scripts/install-deps installs that the figures depend on.
PACKAGES = ("qtbase5-dev libglib2.0-0 libboost-context-dev libuv1-dev libfftw3-dev libkissfft-dev "
            "libqwt-qt5-dev gcc g++ python3 python3-uvloop python3-quamash python3-pyqt5 "
            "python3-numpy python3-scipy python3-pyvisa python3-pyvisa-py")


def versions():
    deb = sh(f"dpkg-query -W -f '${{Package}} ${{Version}}\\n' {PACKAGES} 2>/dev/null")
    if deb:
        return ", ".join(f"{p} {v}" for p, v in (l.split(" ", 1) for l in deb.splitlines()))
    return (f"Qt {sh('pkg-config --modversion Qt5Core')}, libuv {sh('pkg-config --modversion libuv')}, "
            f"Python {platform.python_version()} (no dpkg-query: Python modules unknown)")


def ratio(r, best):
    return r["median"] / best["median"] if best and best["median"] > 0 else None


def summary():
    """One line per figure: qaio's first row (the default dispatcher and
    build) against the best reference."""
    md = ["| figure | better is | qaio | median | best reference | median | qaio / best |",
          "|---|---|---|---:|---|---:|---:|"]
    for group in keys_of:
        for key in sorted(keys_of[group], key=sort_key):
            rs = groups[key]
            q = next((r for r in rs if is_qaio(r) and r["status"] == "ok"), None)
            best = best_ref(rs)
            name = " ".join(k for k in key if k)
            if not q:
                md.append(f"| {name} | | | no qaio row | | | |")
                continue
            way = "higher" if higher_is_better(rs) else "lower"
            qv = f"{fmt(q['median'])} {q['unit']}"
            if not best:
                md.append(f"| {name} | {way} | {q['impl']} | {qv} | (none) | | |")
                continue
            md.append(f"| {name} | {way} | {q['impl']} | {qv} | {best['impl']} | {fmt(best['median'])} | "
                      f"{ratio(q, best):.3g} |")
    return md + [""]


def table(key):
    fig, mode = key
    rs = groups[key]
    best = best_ref(rs)
    md = [f"### {title(fig)}" + (f" -- {mode}" if mode else ""), "",
          "| impl | N | median | min | max | spread | ratio | extra |",
          "|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in rs:
        if r["status"] != "ok":
            md.append(f"| {r['impl']} | | {r['status']} | | | | | {r['reason']} |")
            continue
        x = ratio(r, best)
        shown = (f"{x:.3g}" if x is not None else "") + (" (best ref)" if r is best else "")
        extra = " ".join(f"{k}={v}" for k, v in r["extra"].items() if k != "mode")
        spread = f"{(r['max'] - r['min']) / r['median'] * 100:.0f}%" if r["median"] > 0 else ""
        md.append(f"| {r['impl']} | {r['n']} | {fmt(r['median'])} {r['unit']} | {fmt(r['min'])} | "
                  f"{fmt(r['max'])} | {spread} | {shown} | {extra} |")
    return md + [""]


def targets(group):
    md = []
    for key in sorted(keys_of[group], key=sort_key):
        t = TARGETS.get(key)
        for r in (x for x in groups[key] if t and is_qaio(x)):
            name = " ".join(k for k in key if k)
            if r["status"] != "ok":
                md.append(f"| {name} | {r['impl']} | {t[0]} | {r['status']} | no |")
            else:
                md.append(f"| {name} | {r['impl']} | {t[0]} | {t[2](r)} | {'yes' if t[1](r) else '**no**'} |")
    if not md:
        return []
    return ["### qaio targets", "", "| figure | impl | target | value | met |", "|---|---|---|---|---|"] + md + [""]


outcome = "; ".join(f"{g}: {sum(1 for l in raw[g] if ' FAILED ' in l)} failed, "
                 f"{sum(1 for l in raw[g] if ' SKIPPED ' in l)} skipped" for g in raw)
md = ["# qaio benchmark report", ""]
if quick:
    md += ["**Quick run (`--quick`): tiny N and one repetition; a smoke test, not a measurement.**", ""]
md += [
    f"- date: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
    f"- command: `{command.strip()}` (groups: {', '.join(raw)}); wall time {wall / 60:.1f} min, "
    f"build included; programs {outcome}",
    f"- measured: {state}",
    f"- machine: {machine()}",
    f"- packages: {versions()}",
    "",
    "## How to read this report",
    "",
    "- Every program prints one line per figure: the median, min and max over R repetitions "
    "(default 5) of its value, in the unit shown. Nothing here is a test: no time is asserted.",
    "- **ratio** = this row's median / the best reference's median, where the best reference is "
    "the fastest non-qaio row (lowest time, size or lateness; highest rate: units ending in /s). "
    "For times a qaio ratio below 1 means qaio wins; for rates, above 1. Rows with early > 0 "
    "(timers fired before their deadline) or late > 0 (tasks started after the deadline they "
    "were to sleep until) are shown but never the best reference. spread = (max - min) / median.",
    "- `/noglib` rows ran with `QT_NO_GLIB=1` (Qt's own Unix event dispatcher instead of GLib's); "
    "every Qt-based program (qaio, raw Qt, quamash, the viewers) runs under both.",
    "- References do the same work with the same parameters: raw Qt C++ (`qt/...`), libuv "
    "(`uv/...`), Python 3 asyncio, uvloop and quamash (Debian's packages, /usr/bin/python3), numpy "
    "+ scipy for the instrument figures. Where a reference runs a smaller N, its line says so and "
    "the notes say why. What each program does: [bench/README.md](README.md).",
    "- The summary takes qaio's first row of each figure (default dispatcher, 16 KiB stacks for "
    "the sleeping tasks, the FFTW build) against the best reference. \"better is\" is the unit's "
    "direction, not a verdict: qaio-scope caps its redraws at one per 8 ms on purpose, and a bare "
    "FFTW r2c or a libuv callback FIFO is a floor rather than a peer (see the notes).",
    "- The machine is shared and virtual: compare rows of one run, and rerun before trusting a "
    "small difference (bench/README.md, \"How to read the figures\").",
    "- Where the time goes, and each change measured against the library before it "
    "(interleaved, with perf, strace and callgrind): [bench/PROFILES.md](PROFILES.md), "
    "written by hand and kept across runs.",
    "",
    "## Summary: qaio against the best reference",
    "",
] + summary()
for group in keys_of:
    md += [f"## {group}: {GROUPS.get(group, group)}", ""] + OVERVIEW.get(group, lambda: [])()
    for key in sorted(keys_of[group], key=sort_key):
        md += table(key)
    md += targets(group)
    md += ["### Notes", ""] + NOTES.get(group, []) + [""]
md += ["## Raw lines", ""]
for group, lines in raw.items():
    md += [f"### {group}", "", "```"] + lines + ["```", ""]
with open(out_file, "w") as f:
    f.write("\n".join(md))
