#!/usr/bin/python3
"""tables.py - turns the benchmark lines bench/run collected into
RESULTS-core.md or RESULTS-io.md: one table per figure (timer_lateness: per
mode) with a ratio column against the best reference, then qaio's targets.

usage: tables.py <lines-file> <output.md> <quick 0|1> <what was measured> [core|io|instr]

The best reference of a table is the non-qaio row with the best median: the
lowest for times, the highest for rates (units ending in /s, the io
figures); for timer_lateness only rows with early=0 qualify (a timer that
fires early buys its lateness with a broken promise)."""
import datetime
import os
import platform
import subprocess
import sys

lines_file, out_file, quick, state = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4]
group = sys.argv[5] if len(sys.argv) > 5 else "core"

TITLES = {
    "call_soon_batch": "call_soon_batch: N no-op callbacks queued, then run (ns per callback)",
    "call_soon_chain": "call_soon_chain: each callback queues the next (ns per callback; "
                       "timer_max_gap_ms = largest gap of a 1 ms timer meanwhile)",
    "future_roundtrip": "future_roundtrip: pending future, call_soon sets it, wait on a nested loop "
                        "(ns per round trip)",
    "timer_lateness": "timer_lateness: N timers at random 1-100 ms (median = p99 lateness over "
                      "repetitions, ms; early = timers that fired before their deadline)",
    "tcp_echo_c": "tcp_echo: {c} concurrent clients, 64-byte ping-pong over loopback TCP, "
                  "server in the same process (round trips per second; N = round trips per "
                  "repetition)",
    "accept_rate": "accept_rate: N connections opened and accepted over loopback TCP, at most "
                   "1000 waiting to be accepted (connections per second)",
}


TITLES["spectrum_pipeline_n"] = ("spectrum_pipeline: {n}-point traces per second: simulated acquisition "
                                 "(the default signal generated, no real-time wait) + Hann window + FFT + "
                                 "power average")
TITLES["spectrum_processing_n"] = ("spectrum_processing: {n}-point traces per second through window + FFT + "
                                   "power average of a fixed record, vs a bare FFTW r2c of the same size")
TITLES["viewer_lag_p99_n"] = ("viewer_lag: {n}-point records averaged continuously, both plots live, headless "
                              "(offscreen): p99 lateness of a 10 ms timer on the GUI loop (ms)")
TITLES["viewer_redraws_n"] = ("viewer_redraws: the same run: spectrum-plot redraws per second (qaio-scope "
                              "publishes at most one frame per 8 ms; the Python viewer repaints per record)")
TITLES["viewer_acquisitions_n"] = ("viewer_acquisitions: the same run: records acquired, averaged and published "
                                   "per second (simulated at 100 MS/s)")
TITLES["scpi_waveforms"] = ("scpi_waveforms: waveforms per second acquired with the qaio SCPI driver from an "
                            "in-process qaio SCPI server over loopback TCP")


def title(fig):
    for p in ("spectrum_pipeline_n", "spectrum_processing_n", "viewer_lag_p99_n", "viewer_redraws_n",
              "viewer_acquisitions_n"):
        if fig.startswith(p):
            return TITLES[p].format(n=fig[len(p):])
    if fig.startswith("tcp_echo_c"):
        return TITLES["tcp_echo_c"].format(c=fig[len("tcp_echo_c"):])
    return TITLES.get(fig, fig)
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
}


def _r2c(fig):
    rs = [x for x in groups.get((fig, None), []) if x["impl"] == "fftw/r2c" and x["status"] == "ok"]
    return rs[0]["median"] if rs else None


for _s in (1024, 16384, 65536):
    _f = f"spectrum_processing_n{_s}"
    TARGETS[(_f, None)] = ("time <= 1.5x a bare FFTW r2c's (r2c rate / this rate; meant for qaio/fftw)",
                           lambda r, f=_f: bool(_r2c(f)) and _r2c(f) / r["median"] <= 1.5,
                           lambda r, f=_f: f'{_r2c(f) / r["median"]:.2f}x' if _r2c(f) else "no r2c row")
TARGETS[("viewer_lag_p99_n16384", None)] = ("p99 <= 16 ms", lambda r: r["median"] <= 16,
                                            lambda r: f'{r["median"]:.2f} ms')
TARGETS[("viewer_redraws_n16384", None)] = (">= 60 redraws/s", lambda r: r["median"] >= 60,
                                            lambda r: f'{r["median"]:.0f} redraws/s')
TARGETS[("scpi_waveforms", None)] = (">= 200 waveforms/s (16k points)", lambda r: r["median"] >= 200,
                                     lambda r: f'{r["median"]:.0f} waveforms/s')


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
    rest = []
    for i, t in enumerate(tok[2:], 2):
        if t.startswith("median="):
            kv["median"] = float(t[7:])
            row["unit"] = tok[i + 1]
        elif "=" in t:
            k, v = t.split("=", 1)
            kv[k] = v
        elif tok[i - 1].startswith("median="):
            continue
        else:
            rest.append(t)
    row["n"], row["median"] = kv.pop("N"), kv.pop("median")
    row["min"], row["max"] = float(kv.pop("min")), float(kv.pop("max"))
    row["mode"] = kv.get("mode")
    row["extra"] = kv
    return row


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


rows = [r for r in (parse(l) for l in open(lines_file) if l.strip()) if r]
groups = {}
for r in rows:
    groups.setdefault((r["figure"], r["mode"]), []).append(r)
# Failed/skipped timer_lateness lines have no mode: show them under both.
for key in [k for k in groups if k[0] == "timer_lateness" and k[1] is None]:
    for mode in ("paced", "burst"):
        groups.setdefault(("timer_lateness", mode), []).extend(groups[key])
    del groups[key]


def is_qaio(r):
    return r["impl"].split("/")[0] == "qaio"


def higher_is_better(rs):
    return any(r["status"] == "ok" and r["unit"].endswith("/s") for r in rs)


def best_ref(rs):
    refs = [r for r in rs if r["status"] == "ok" and not is_qaio(r)
            and int(r["extra"].get("early", 0)) == 0]
    if not refs:
        return None
    return (max if higher_is_better(rs) else min)(refs, key=lambda r: r["median"])


glib = sh("pkg-config --modversion glib-2.0") or sh("dpkg-query -W -f '${Version}' libglib2.0-0")
cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
md = [f"# qaio {group} benchmarks", ""]
if quick:
    md += ["**Quick run (`bench/run --quick`): tiny N and one repetition; a smoke test, "
           "not a measurement.**", ""]
if group == "instr":
    kiss = sh("dpkg-query -W -f '${Version}' libkissfft-dev")
    md += [f"- libraries: FFTW {sh('pkg-config --modversion fftw3f')}, KissFFT {kiss}, "
           "numpy/scipy: see the raw lines"]
md += [
    f"- date: {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}",
    f"- measured: {state}",
    f"- machine: {cpu or platform.processor()}, {os.cpu_count()} cores, Linux {platform.release()}",
    f"- Qt {sh('pkg-config --modversion Qt5Core')}, libuv {sh('pkg-config --modversion libuv')}, "
    f"GLib {glib}, Python {platform.python_version()}",
    "- each figure: median / min / max over the repetitions (default 5); `/noglib` rows ran with "
    "`QT_NO_GLIB=1` (Qt's Unix event dispatcher instead of GLib's)",
] + ([
    "- ratio = this row's median / the best reference's median (lower is better; the best "
    "reference is the non-qaio row with the lowest median, for timer_lateness among rows with "
    "early=0)",
] if group == "core" else [
    "- ratio = this row's median / the best reference's median (these are rates: higher is "
    "better; the best reference is the non-qaio row with the highest median); spread = "
    "(max - min) / median over the repetitions",
]) + [
    "",
]
order = ["call_soon_batch", "call_soon_chain", "future_roundtrip", "timer_lateness", "tcp_echo_c",
         "accept_rate"]
modes = [None, "paced", "burst"]


def sort_key(k):
    fig, n = k[0], 0
    if fig.startswith("tcp_echo_c"):
        fig, n = "tcp_echo_c", int(k[0][len("tcp_echo_c"):] or 0)
    return (order.index(fig) if fig in order else 99, n,
            modes.index(k[1]) if k[1] in modes else 9)


for key in sorted(groups, key=sort_key):
    fig, mode = key
    rs = groups[key]
    best = best_ref(rs)
    md += [f"## {title(fig)}" + (f" -- {mode}" if mode else ""), ""]
    rates = higher_is_better(rs)
    if rates:
        md += ["| impl | N | median | min | max | spread | ratio | extra |",
               "|---|---:|---:|---:|---:|---:|---:|---|"]
    else:
        md += ["| impl | N | median | min | max | ratio | extra |", "|---|---:|---:|---:|---:|---:|---|"]
    for r in rs:
        if r["status"] != "ok":
            md.append(f"| {r['impl']} | | {r['status']} | | | {'| ' if rates else ''}| {r['reason']} |")
            continue
        ratio = f"{r['median'] / best['median']:.3g}" if best and best["median"] > 0 else ""
        if r is best:
            ratio += " (best ref)"
        extra = " ".join(f"{k}={v}" for k, v in r["extra"].items() if k != "mode")
        if rates:
            spread = f"{(r['max'] - r['min']) / r['median'] * 100:.0f}%" if r["median"] > 0 else ""
            md.append(f"| {r['impl']} | {r['n']} | {r['median']:.0f} {r['unit']} | {r['min']:.0f} | "
                      f"{r['max']:.0f} | {spread} | {ratio} | {extra} |")
            continue
        md.append(f"| {r['impl']} | {r['n']} | {r['median']:.3f} {r['unit']} | {r['min']:.3f} | "
                  f"{r['max']:.3f} | {ratio} | {extra} |")
    md.append("")

if group in ("core", "instr"):
    md += ["## qaio targets", "", "| figure | impl | target | value | met |", "|---|---|---|---|---|"]
for key, rs in sorted(groups.items(), key=lambda kv: sort_key(kv[0])):
    t = TARGETS.get(key)
    if not t:
        continue
    name = " ".join(k for k in key if k)
    for r in rs:
        if not is_qaio(r):
            continue
        if r["status"] != "ok":
            md.append(f"| {name} | {r['impl']} | {t[0]} | {r['status']} | no |")
            continue
        md.append(f"| {name} | {r['impl']} | {t[0]} | {t[2](r)} | "
                  f"{'yes' if t[1](r) else '**no**'} |")
NOTES = {"core": [
    "- `uv/idle` is a bare FIFO drained by a uv_idle handle (bench.h): no handles, no "
    "cancellation, no thread check, so it is a floor rather than a peer for the batch figure.",
    "- `qaio/qtimer` arms one QTimer at the deadline rounded up to whole ms, so its lateness is "
    "uniform in 0-1 ms by construction, plus dispatch (p50 ~0.55 ms, p99 ~1.1 ms): it cannot meet "
    "the 0.5 ms target and sits just above the 1 ms one; the targets are meant for the default "
    "timerfd source.",
    "- Rows that fire timers early (`early` > 0: libuv/uvloop's whole-ms cached clock, quamash's "
    "truncated coarse timers) are shown but never chosen as the best reference.",
    "- Run-to-run variance on a shared VM is large; see bench/README.md. Compare rows of one run.",
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
    "streams program; quamash needs its running loop set (py_tcp_echo.py), and is skipped at "
    "10k clients and runs smaller N (a QSocketNotifier per fd).",
    "- Where qaio's time goes (perf and strace -c on this VM): tcp_echo_c100 is ~90% kernel "
    "(loopback TCP), ~5% libqaio. accept_rate makes ~30 syscalls per connection against "
    "libuv's ~14: 6 epoll_ctl (uv ~3), 3 getsockopt (uv 1), 2 fcntl (qaio__stream_new asks each "
    "new stream SO_TYPE and F_GETFL; uv 0), and for each of its two tasks (client, handler) a fresh 256 KiB "
    "stack: mmap + mprotect (guard page) + madvise, a page fault at its first switch, munmap "
    "later (the hot pool keeps 64). With QAIO_GUARD_PAGES=0 a trial went from 23.7k to 27.6k "
    "conn/s.",
    "- Run-to-run variance on a shared VM is large; see bench/README.md. Compare rows of one run.",
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
    "- Run-to-run variance on a shared VM is large; see bench/README.md. Compare rows of one run.",
]}
md += [
    "",
    "## Notes",
    "",
] + NOTES[group] + [
    "",
    "## Raw lines",
    "",
    "```",
] + [l.rstrip("\n") for l in open(lines_file) if l.strip()] + ["```", ""]
with open(out_file, "w") as f:
    f.write("\n".join(md))
