// What the family tests share: a simulator personality served in-process,
// the SCPI driver connected to it, and the check of a record against the
// known signal (amplitude and phase at the known frequency through the
// record's own time axis, frequency from zero crossings, offset).
#pragma once

#include "testutil.h"

#include <qaio/instr.h>
#include <cmath>

namespace scopefamily {

// A 1 V, 10 kHz sine with a little noise: what every family test reads.
constexpr double kAmp = 1.0, kFreq = 10e3;
inline const char *kSignal = "sine amp=1 freq=10e3; noise rms=1e-3; seed=7";

struct Sim {
    qaio_scpi_server *srv = nullptr;
    Sim(qaio_loop *L, const char *personality, const char *sig = kSignal, size_t points = 0,
        double rate = 0)
    {
        qaio_scpi_server_options o;
        qaio_scpi_server_options_default(&o);
        o.port = 0;
        o.personality = personality;
        o.signal = sig;
        if (points)
            o.points = points;
        if (rate > 0)
            o.rate = rate;
        char msg[200];
        int err = qaio_scpi_server_start(L, &o, &srv, msg, sizeof msg);
        if (err)
            qWarning("server %s: %s", personality, msg);
    }
    ~Sim()
    {
        if (srv)
            qaio_scpi_server_close(srv);
    }
    int port() const { return qaio_scpi_server_port(srv); }
    QByteArray address() const { return "127.0.0.1:" + QByteArray::number(port()); }
};

// Connects the driver (driver NULL: chosen from *IDN?). NULL on failure,
// with the reason in the test log.
inline qaio_instrument *connect(qaio_loop *L, const Sim &sim, const char *driver = nullptr)
{
    qaio_scpi_scope_options o;
    qaio_scpi_scope_options_default(&o);
    QByteArray addr = sim.address();
    o.address = addr.constData();
    o.driver = driver;
    qaio_instrument *inst = nullptr;
    char msg[300];
    int err = qaio_scpi_scope_connect(L, &o, &inst, msg, sizeof msg);
    if (err)
        qWarning("connect: %s (%s)", msg, qaio_err_name(err));
    return inst;
}

struct SineFit {
    double amp, phase, offset, crossing_freq;
};

// Projects channel c of rec onto sin and cos at freq over whole periods,
// using the record's x axis; counts rising zero crossings for the frequency.
inline SineFit fitSine(const qaio_trace *rec, size_t c, double freq)
{
    SineFit f{};
    size_t n = rec->n;
    double period_pts = 1.0 / (freq * rec->dx);
    size_t use = period_pts >= 1 ? size_t(std::floor(double(n) / period_pts) * period_pts) : n;
    if (use < 2)
        use = n;
    double s = 0, co = 0, m = 0;
    for (size_t i = 0; i < use; i++) {
        double t = rec->x0 + double(i) * rec->dx;
        double y = rec->y[c][i];
        s += y * std::sin(2 * M_PI * freq * t);
        co += y * std::cos(2 * M_PI * freq * t);
        m += y;
    }
    f.amp = 2 * std::hypot(s, co) / double(use);
    f.phase = std::atan2(co, s);
    f.offset = m / double(use);
    size_t first = 0, last = 0, count = 0;
    for (size_t i = 1; i < n; i++)
        if (rec->y[c][i - 1] < 0 && rec->y[c][i] >= 0) {
            if (!count)
                first = i;
            last = i;
            count++;
        }
    if (count >= 2)
        f.crossing_freq = double(count - 1) / (double(last - first) * rec->dx);
    return f;
}

// Checks channel c against the known sine: amplitude within rel_tol,
// frequency within 1 %, offset within 2 % of the amplitude.
#define QAIO_CHECK_SINE(rec, c, want_amp, freq, rel_tol)                                       \
    do {                                                                                       \
        QVERIFY((rec)->n >= 16);                                                               \
        QVERIFY((rec)->dx > 0);                                                                \
        QCOMPARE(QByteArray((rec)->y_unit), QByteArray("V"));                                  \
        scopefamily::SineFit fit_ = scopefamily::fitSine((rec), (c), (freq));                  \
        QVERIFY2(std::fabs(fit_.amp - (want_amp)) <= (rel_tol) * (want_amp),                   \
                 qPrintable(QString("amplitude %1, expected %2").arg(fit_.amp).arg(want_amp))); \
        QVERIFY2(std::fabs(fit_.crossing_freq - (freq)) <= 0.01 * (freq),                      \
                 qPrintable(QString("frequency %1, expected %2").arg(fit_.crossing_freq)       \
                                .arg(freq)));                                                  \
        QVERIFY2(std::fabs(fit_.offset) <= 0.02 * (want_amp),                                  \
                 qPrintable(QString("offset %1").arg(fit_.offset)));                           \
    } while (0)

} // namespace scopefamily
