"""The known signal of the client tests: a 1 V, 10 kHz sine. Shared by the
PyVISA clients (imported from their directory)."""

AMP, FREQ = 1.0, 10e3


def rising_crossings(y):
    """Interpolated sample positions of the upward zero crossings."""
    return [i - 1 + y[i - 1] / (y[i - 1] - y[i])
            for i in range(1, len(y)) if y[i - 1] < 0 <= y[i]]


def check(name, y, dt, amp=AMP, freq=FREQ):
    """None when y (volts, dt seconds apart) is the sine: amplitude within
    5 %, frequency within 1 %; else why not."""
    if len(y) < 100:
        return f"{name}: {len(y)} values"
    a = (max(y) - min(y)) / 2
    if abs(a - amp) > 0.05 * amp:
        return f"{name}: amplitude {a:.4f} V, expected {amp} V"
    x = rising_crossings(y)
    if len(x) < 3:
        return f"{name}: {len(x)} rising crossings"
    f = (len(x) - 1) / ((x[-1] - x[0]) * dt)
    if abs(f - freq) > 0.01 * freq:
        return f"{name}: frequency {f:.1f} Hz, expected {freq} Hz"
    print(f"{name}: {len(y)} points, amplitude {a:.4f} V, frequency {f:.1f} Hz")
    return None
