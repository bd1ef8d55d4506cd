#!/usr/bin/python3
"""tables.py - turns the benchmark lines bench/run collected into
RESULTS-core.md: one table per figure (timer_lateness: per mode) with a
ratio column against the best reference, then qaio's targets.

usage: tables.py <lines-file> <output.md> <quick 0|1> <what was measured>

The best reference of a table is the non-qaio row with the lowest median;
for timer_lateness only rows with early=0 qualify (a timer that fires early
buys its lateness with a broken promise)."""
import datetime
import os
import platform
import subprocess
import sys

lines_file, out_file, quick, state = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4]

TITLES = {
    "call_soon_batch": "call_soon_batch: N no-op callbacks queued, then run (ns per callback)",
    "call_soon_chain": "call_soon_chain: each callback queues the next (ns per callback; "
                       "timer_max_gap_ms = largest gap of a 1 ms timer meanwhile)",
    "future_roundtrip": "future_roundtrip: pending future, call_soon sets it, wait on a nested loop "
                        "(ns per round trip)",
    "timer_lateness": "timer_lateness: N timers at random 1-100 ms (median = p99 lateness over "
                      "repetitions, ms; early = timers that fired before their deadline)",
}
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


def best_ref(rs):
    refs = [r for r in rs if r["status"] == "ok" and not is_qaio(r)
            and int(r["extra"].get("early", 0)) == 0]
    return min(refs, key=lambda r: r["median"]) if refs else None


glib = sh("pkg-config --modversion glib-2.0") or sh("dpkg-query -W -f '${Version}' libglib2.0-0")
cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
md = ["# qaio core benchmarks", ""]
if quick:
    md += ["**Quick run (`bench/run --quick`): tiny N and one repetition; a smoke test, "
           "not a measurement.**", ""]
md += [
    f"- date: {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}",
    f"- measured: {state}",
    f"- machine: {cpu or platform.processor()}, {os.cpu_count()} cores, Linux {platform.release()}",
    f"- Qt {sh('pkg-config --modversion Qt5Core')}, libuv {sh('pkg-config --modversion libuv')}, "
    f"GLib {glib}, Python {platform.python_version()}",
    "- each figure: median / min / max over the repetitions (default 5); `/noglib` rows ran with "
    "`QT_NO_GLIB=1` (Qt's Unix event dispatcher instead of GLib's)",
    "- ratio = this row's median / the best reference's median (lower is better; the best "
    "reference is the non-qaio row with the lowest median, for timer_lateness among rows with "
    "early=0)",
    "",
]
order = ["call_soon_batch", "call_soon_chain", "future_roundtrip", "timer_lateness"]
modes = [None, "paced", "burst"]


def sort_key(k):
    return (order.index(k[0]) if k[0] in order else 99, modes.index(k[1]) if k[1] in modes else 9)


for key in sorted(groups, key=sort_key):
    fig, mode = key
    rs = groups[key]
    best = best_ref(rs)
    md += [f"## {TITLES.get(fig, fig)}" + (f" -- {mode}" if mode else ""), ""]
    md += ["| impl | N | median | min | max | ratio | extra |", "|---|---:|---:|---:|---:|---:|---|"]
    for r in rs:
        if r["status"] != "ok":
            md.append(f"| {r['impl']} | | {r['status']} | | | | {r['reason']} |")
            continue
        ratio = f"{r['median'] / best['median']:.3g}" if best and best["median"] > 0 else ""
        if r is best:
            ratio += " (best ref)"
        extra = " ".join(f"{k}={v}" for k, v in r["extra"].items() if k != "mode")
        md.append(f"| {r['impl']} | {r['n']} | {r['median']:.3f} {r['unit']} | {r['min']:.3f} | "
                  f"{r['max']:.3f} | {ratio} | {extra} |")
    md.append("")

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
md += [
    "",
    "## Notes",
    "",
    "- `uv/idle` is a bare FIFO drained by a uv_idle handle (bench.h): no handles, no "
    "cancellation, no thread check, so it is a floor rather than a peer for the batch figure.",
    "- `qaio/qtimer` arms one QTimer at the deadline rounded up to whole ms, so its lateness is "
    "uniform in 0-1 ms by construction, plus dispatch (p50 ~0.55 ms, p99 ~1.1 ms): it cannot meet "
    "the 0.5 ms target and sits just above the 1 ms one; the targets are meant for the default "
    "timerfd source.",
    "- Rows that fire timers early (`early` > 0: libuv/uvloop's whole-ms cached clock, quamash's "
    "truncated coarse timers) are shown but never chosen as the best reference.",
    "- Run-to-run variance on a shared VM is large; see bench/README.md. Compare rows of one run.",
    "",
    "## Raw lines",
    "",
    "```",
] + [l.rstrip("\n") for l in open(lines_file) if l.strip()] + ["```", ""]
with open(out_file, "w") as f:
    f.write("\n".join(md))
