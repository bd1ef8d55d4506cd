"""The known signal of the client tests, a 1 V, 10 kHz sine, and the one
check of a record against it. Shared by the independent clients (imported
from their directory); the clients only get the record the instrument's
own way.

A record is checked on its own time axis: the amplitude is the sine's
component at the known frequency over whole periods (so noise, an offset
and the quantisation of 8-bit codes average out), the frequency comes from
the upward zero crossings, interpolated between samples."""
import math

AMP, FREQ = 1.0, 10e3


def rising_crossings(t, v, hyst=0.0):
    """Times of the upward zero crossings of v (at times t), interpolated.
    With hyst, a crossing counts only after v went below -hyst, so noise
    or coarse steps at a crossing make one."""
    out, armed = [], False
    for i in range(1, len(v)):
        if v[i] < -hyst:
            armed = True
        elif armed and v[i - 1] < 0 <= v[i]:
            out.append(t[i - 1] + (t[i] - t[i - 1]) * (-v[i - 1]) / (v[i] - v[i - 1]))
            armed = False
    return out


def fit(t, v, freq=FREQ, hyst=0.0):
    """(amplitude, frequency) of v at times t: the amplitude at freq over
    the whole periods of the record (all of it when shorter than one), the
    frequency from the rising crossings (0 with fewer than two)."""
    span = math.floor((t[-1] - t[0]) * freq) / freq
    use = [i for i in range(len(t)) if t[i] - t[0] < span] or list(range(len(t)))
    w = 2 * math.pi * freq
    s = sum(v[i] * math.sin(w * t[i]) for i in use)
    c = sum(v[i] * math.cos(w * t[i]) for i in use)
    ups = rising_crossings(t, v, hyst)
    f = (len(ups) - 1) / (ups[-1] - ups[0]) if len(ups) >= 2 else 0.0
    return 2 * math.hypot(s, c) / len(use), f


def check_trace(name, t, v, amp=AMP, freq=FREQ, hyst=0.0):
    """None when v (volts at times t, seconds) is the sine: amplitude
    within 5 %, frequency within 1 %; else why not. Prints what it found."""
    if len(v) < 100:
        return f"{name}: {len(v)} values"
    a, f = fit(t, v, freq, hyst)
    print(f"{name}: {len(v)} points, amplitude {a:.4f} V, frequency {f:.1f} Hz")
    if abs(a - amp) > 0.05 * amp:
        return f"{name}: amplitude {a:.4f} V, expected {amp} V"
    if abs(f - freq) > 0.01 * freq:
        return f"{name}: frequency {f:.1f} Hz, expected {freq} Hz"
    return None


def check(name, y, dt, amp=AMP, freq=FREQ, hyst=0.0):
    """check_trace for values dt seconds apart."""
    return check_trace(name, [i * dt for i in range(len(y))], y, amp, freq, hyst)
