// What the family tests share: a simulator personality served in-process,
// the SCPI driver connected to it, and the check of a record against the
// known signal (amplitude and phase at the known frequency through the
// record's own time axis, frequency from zero crossings, offset).
#pragma once

#include "testutil.h"

#include <QElapsedTimer>
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

// Connects the driver to address (driver NULL: chosen from *IDN?;
// timeout_s 0: the default). NULL on failure, with the reason in the test
// log.
inline qaio_instrument *connectTo(qaio_loop *L, const QByteArray &address,
                                  const char *driver = nullptr, double timeout_s = 0)
{
    qaio_scpi_scope_options o;
    qaio_scpi_scope_options_default(&o);
    o.address = address.constData();
    o.driver = driver;
    if (timeout_s > 0)
        o.timeout_s = timeout_s;
    qaio_instrument *inst = nullptr;
    char msg[300];
    int err = qaio_scpi_scope_connect(L, &o, &inst, msg, sizeof msg);
    if (err)
        qWarning("connect: %s (%s)", msg, qaio_err_name(err));
    return inst;
}

// Connects the driver to a personality served in-process.
inline qaio_instrument *connect(qaio_loop *L, const Sim &sim, const char *driver = nullptr)
{
    return connectTo(L, sim.address(), driver);
}

// An instrument freed at the end of the scope.
struct Inst {
    qaio_instrument *p;
    explicit Inst(qaio_instrument *i) : p(i) {}
    ~Inst() { qaio_instrument_free(p); }
    Inst(const Inst &) = delete;
    Inst &operator=(const Inst &) = delete;
};

// The answer to a query through the driver, or "<error name>".
inline QByteArray ask(qaio_instrument *inst, const char *cmd)
{
    char a[512];
    int n = qaio_scpi_scope_query(inst, cmd, a, sizeof a);
    return n < 0 ? QByteArray("<") + qaio_err_name(n) + ">" : QByteArray(a, n);
}

// One record (within timeout_s): 0 or the error.
inline int acquire(qaio_instrument *inst, qaio_trace *rec, double timeout_s = 10)
{
    return qaio_instrument_acquire(inst, rec, timeout_s);
}

// The settings as the instrument has them; channels, when not 0, set.
inline qaio_scope_settings current(qaio_instrument *inst, unsigned channels = 0)
{
    qaio_scope_settings s;
    qaio_scpi_scope_get_settings(inst, &s);
    if (channels)
        s.channels = channels;
    return s;
}

// Turns the channels of the mask on (the others off): 0 or the error.
inline int setChannels(qaio_instrument *inst, unsigned channels)
{
    qaio_scope_settings s;
    int err = qaio_scpi_scope_get_settings(inst, &s);
    if (err)
        return err;
    s.channels = channels;
    return qaio_scpi_scope_set_settings(inst, &s);
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
#define QAIO_CHECK_SINE(rec, c, amp_, freq_, rel_tol_)                                            \
    do {                                                                                       \
        QVERIFY((rec)->n >= 16);                                                               \
        QVERIFY((rec)->dx > 0);                                                                \
        QCOMPARE(QByteArray((rec)->y_unit), QByteArray("V"));                                  \
        scopefamily::SineFit fit_ = scopefamily::fitSine((rec), (c), (freq_));                  \
        QVERIFY2(std::fabs(fit_.amp - (amp_)) <= (rel_tol_) * (amp_),                             \
                 qPrintable(QString("amplitude %1, expected %2").arg(fit_.amp).arg(amp_)));     \
        QVERIFY2(std::fabs(fit_.crossing_freq - (freq_)) <= 0.01 * (freq_),                      \
                 qPrintable(QString("frequency %1, expected %2").arg(fit_.crossing_freq)       \
                                .arg(freq_)));                                                  \
        QVERIFY2(std::fabs(fit_.offset) <= 0.02 * (amp_),                                       \
                 qPrintable(QString("offset %1").arg(fit_.offset)));                           \
    } while (0)

// rec holds channels 1 and 2, in that order, each the known sine (of
// amplitude amp) within tol.
inline void checkBothSines(const qaio_trace *rec, double tol, double amp = kAmp)
{
    QCOMPARE(rec->nch, size_t(2));
    QCOMPARE(rec->channel[0], 1);
    QCOMPARE(rec->channel[1], 2);
    QAIO_CHECK_SINE(rec, 0, amp, kFreq, tol);
    QAIO_CHECK_SINE(rec, 1, amp, kFreq, tol);
}

// One record (within 10 s): the sine on channels 0..nch-1 within tol.
inline void checkAcquires(qaio_instrument *inst, size_t nch, double tol)
{
    qaio_trace *rec = qaio_trace_new(0, 0);
    int err = acquire(inst, rec);
    if (err)
        qaio_trace_free(rec);
    QVERIFY2(err == 0, qaio_scpi_scope_last_error(inst));
    QVERIFY(rec->nch >= nch);
    for (size_t c = 0; c < nch; c++)
        QAIO_CHECK_SINE(rec, c, kAmp, kFreq, tol);
    qaio_trace_free(rec);
}

// qaio_instrument_run_single of 4 records: averaged, of points points
// (0: any), the sine on channels 0..nch-1 within tol.
inline void checkRunSingle(qaio_instrument *inst, size_t nch, double tol, size_t points = 0)
{
    qaio_future *f = qaio_instrument_run_single(inst, 4);
    QVERIFY(f);
    void *v = nullptr;
    QCOMPARE(qaio_future_result_timeout(f, 60, &v), 0);
    auto *t = static_cast<qaio_trace *>(v);
    if (points)
        QCOMPARE(t->n, points);
    QCOMPARE(t->averages, 4u);
    for (size_t c = 0; c < nch; c++)
        QAIO_CHECK_SINE(t, c, kAmp, kFreq, tol);
    qaio_future_unref(f);
}

// One acquisition (within timeout_s) fails with err, the message naming
// words (and starting with "<model>: " when model is given).
inline void checkAcquireFails(qaio_instrument *inst, int err, const char *words,
                              const char *model = nullptr, double timeout_s = 3)
{
    qaio_trace *rec = qaio_trace_new(0, 0);
    int got = qaio_instrument_acquire(inst, rec, timeout_s);
    qaio_trace_free(rec);
    QCOMPARE(got, err);
    QByteArray msg = qaio_scpi_scope_last_error(inst);
    QVERIFY2(msg.contains(words), msg.constData());
    if (model)
        QVERIFY2(msg.startsWith(QByteArray(model) + ": "), msg.constData());
}

// After a command the instrument refuses (bad), the next setting reads
// its error: QAIO_EIO, the message naming the model and words.
inline void checkErrorReported(qaio_instrument *inst, const char *bad, const char *model,
                               const char *words)
{
    char a[64];
    QCOMPARE(qaio_scpi_scope_query(inst, bad, a, sizeof a), 0);
    qaio_scope_settings s = current(inst, 1);
    s.trigger_level = 0.1;
    QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), int(QAIO_EIO));
    QByteArray msg = qaio_scpi_scope_last_error(inst);
    QVERIFY2(msg.contains(model) && msg.contains(words), msg.constData());
}

// The trigger modes past an edge in reach, on settings s that take a
// record: FORCE takes one at once; AUTO with the level out of reach still
// does, in well under the timeout; NORMAL with it out of reach times out,
// and with the level back the next acquisition (a reconnection) works.
inline void checkTriggerFallbacks(qaio_instrument *inst, qaio_scope_settings s, qaio_trace *rec)
{
    s.trigger = QAIO_TRIG_FORCE;
    QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), 0);
    QCOMPARE(qaio_instrument_acquire(inst, rec, 10), 0);
    QAIO_CHECK_SINE(rec, 0, kAmp, kFreq, 0.05);

    s.trigger = QAIO_TRIG_AUTO;
    s.trigger_level = 5; // never crossed
    QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), 0);
    QElapsedTimer t;
    t.start();
    QCOMPARE(qaio_instrument_acquire(inst, rec, 10), 0);
    QVERIFY(t.elapsed() < 5000);
    QAIO_CHECK_SINE(rec, 0, kAmp, kFreq, 0.05);

    s.trigger = QAIO_TRIG_NORMAL;
    QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), 0);
    QCOMPARE(qaio_instrument_acquire(inst, rec, 0.5), int(QAIO_ETIMEDOUT));
    s.trigger_level = 0;
    QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), 0);
    QCOMPARE(qaio_instrument_acquire(inst, rec, 10), 0);
}

} // namespace scopefamily
