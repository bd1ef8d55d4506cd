// The simulated scope: signal strings, determinism, trigger modes, record
// timing, and time-domain averaging (noise falls as 1/sqrt(K)).
#include "testutil.h"

#include <qaio/instr.h>
#include <algorithm>
#include <cmath>
#include <thread>
#include <vector>

namespace {
qaio_loop *L;

qaio_instrument *makeScope(size_t n, double fs, qaio_trigger_mode mode, const char *sig)
{
    qaio_scope_settings s;
    qaio_scope_settings_default(&s);
    s.points = n;
    s.rate = fs;
    s.trigger = mode;
    qaio_instrument *sc = qaio_scope_new(L, &s);
    char msg[128];
    if (sc && sig && qaio_scope_set_signal(sc, 1, sig, msg, sizeof msg) != 0)
        qWarning("%s", msg);
    return sc;
}

double rmsDiff(const float *a, const std::vector<double> &b)
{
    double s = 0;
    for (size_t i = 0; i < b.size(); i++)
        s += (a[i] - b[i]) * (a[i] - b[i]);
    return std::sqrt(s / b.size());
}
}

class TestInstrScope : public QObject {
    Q_OBJECT
private slots:
    void init() { L = qaio_loop_get(); }

    void signalStrings()
    {
        qaio_signal *sig = nullptr;
        char msg[160];
        QCOMPARE(qaio_signal_parse(QAIO_SIGNAL_DEFAULT, &sig, msg, sizeof msg), 0);
        QCOMPARE(qaio_signal_seed(sig), uint64_t(1));
        QVERIFY(std::fabs(qaio_signal_noise_rms(sig) - 1e-3) < 1e-15);
        // The canonical form parses to the same samples.
        char text[512];
        int len = qaio_signal_format(sig, text, sizeof text);
        QVERIFY(len > 0 && size_t(len) < sizeof text);
        qaio_signal *again = nullptr;
        QCOMPARE(qaio_signal_parse(text, &again, msg, sizeof msg), 0);
        std::vector<float> a(500), b(500);
        QCOMPARE(qaio_signal_generate(sig, 1, 12345, 1e6, a.data(), a.size()), 0);
        QCOMPARE(qaio_signal_generate(again, 1, 12345, 1e6, b.data(), b.size()), 0);
        QCOMPARE(a, b);
        // Harmonics: 2nd at -40 dBc of 1 Vpk = 10 mVpk. Check the sample
        // values against the formula (noise-free).
        qaio_signal_free(again);
        QCOMPARE(qaio_signal_parse(" sine amp=2 freq=1e3 phase=0.5 h2=-40 ;; dc level=-0.25 ", &again, msg, sizeof msg), 0);
        QCOMPARE(qaio_signal_generate(again, 9, 7, 1e5, a.data(), 100), 0);
        for (int i = 0; i < 100; i++) {
            double t = (7 + i) / 1e5, ph = 2 * M_PI * 1e3 * t;
            double v = 2 * std::sin(ph + 0.5) + 0.02 * std::sin(2 * ph + 1.0) - 0.25;
            QVERIFY(std::fabs(a[i] - v) < 1e-6);
        }
        qaio_signal_free(again);
        // Independent noise per stream, identical per (seed, stream, index).
        QCOMPARE(qaio_gauss(1, 2, 3), qaio_gauss(1, 2, 3));
        QVERIFY(qaio_gauss(1, 2, 3) != qaio_gauss(1, 3, 3));
        qaio_signal_free(sig);

        const char *bad[] = {"", "  ;  ", "sine", "sine freq=abc", "sine freq=-1", "bogus amp=1",
                             "sine amp=1 freq=1e3 ampl=3", "noise", "noise rms=-1", "dc",
                             "seed=-1", "seed=12 extra", "sine freq=1e3 h1=-3", "sine freq=1e3 h2",
                             "square amp=1", "sine freq=1e3; noise rms=1e-3; wobble"};
        for (const char *b : bad) {
            qaio_signal *s = (qaio_signal *)1;
            msg[0] = 0;
            QVERIFY2(qaio_signal_parse(b, &s, msg, sizeof msg) == QAIO_EINVAL, b);
            QCOMPARE(s, nullptr);
            QVERIFY2(msg[0] != 0, b);
        }
        QCOMPARE(qaio_signal_parse("sine freq=1 ampl=3", &sig, msg, sizeof msg), int(QAIO_EINVAL));
        QCOMPARE(QByteArray(msg), QByteArray("term 1 'sine': unknown key 'ampl'"));
        QCOMPARE(qaio_signal_parse("sine freq=1; wobble", &sig, msg, sizeof msg), int(QAIO_EINVAL));
        QVERIFY(QByteArray(msg).startsWith("term 2: unknown kind 'wobble'"));
        QCOMPARE(qaio_signal_parse(nullptr, &sig, msg, sizeof msg), int(QAIO_EINVAL));
        QCOMPARE(qaio_signal_parse("dc level=1", nullptr, nullptr, 0), int(QAIO_EINVAL));
        QCOMPARE(qaio_signal_generate(nullptr, 0, 0, 1, a.data(), 1), int(QAIO_EINVAL));
    }

    // A sample's value depends on its index only: a range generated in one
    // call equals the same range generated piecewise, from any start, with
    // every kind of term (the sines are computed in aligned blocks).
    void generationIsSplitInvariant()
    {
        qaio_signal *sig = nullptr;
        QCOMPARE(qaio_signal_parse("sine amp=1 freq=12.3e3 phase=0.7 h2=-20 h3=-30 h9=-60; "
                                   "sine amp=0.1 freq=433e3; square amp=0.2 freq=1e3; "
                                   "noise rms=1e-2; dc level=0.1; seed=42",
                                   &sig, nullptr, 0),
                 0);
        const uint64_t first = (uint64_t(1) << 40) + 77; // far along, unaligned
        std::vector<float> whole(5000), parts(5000);
        QCOMPARE(qaio_signal_generate(sig, 2, first, 1e6, whole.data(), whole.size()), 0);
        const size_t sizes[] = {1, 255, 257, 3, 1024, 17, 2000};
        size_t at = 0;
        for (size_t k = 0; at < parts.size(); k++) {
            size_t n = std::min(sizes[k % 7], parts.size() - at);
            QCOMPARE(qaio_signal_generate(sig, 2, first + at, 1e6, parts.data() + at, n), 0);
            at += n;
        }
        QCOMPARE(whole, parts);
        // And the sines match the formula (1e-6 V: float output), from an
        // unaligned start where the formula's own phase is exact to 1e-10.
        qaio_signal *pure = nullptr;
        QCOMPARE(qaio_signal_parse("sine amp=1 freq=12.3e3 phase=0.7 h2=-20", &pure, nullptr, 0), 0);
        const uint64_t start = 1000077;
        QCOMPARE(qaio_signal_generate(pure, 0, start, 1e6, whole.data(), whole.size()), 0);
        double worst = 0;
        for (size_t i = 0; i < whole.size(); i++) {
            double c = std::fmod(12.3e3 / 1e6 * double(start + i), 1.0);
            double ph = 2 * M_PI * c + 0.7;
            double v = std::sin(ph) + 0.1 * std::sin(2 * ph);
            worst = std::max(worst, std::fabs(whole[i] - v));
        }
        QVERIFY2(worst < 1e-6, qPrintable(QString::number(worst)));
        QCOMPARE(qaio_signal_generate(sig, 0, UINT64_MAX - 10, 1e6, whole.data(), 100), int(QAIO_EINVAL));
        qaio_signal_free(pure);
        qaio_signal_free(sig);
    }

    // Sample indices up to 2^64 - 2 (first + n <= 2^64 - 1) work. A sine
    // used to step its last block past 2^64, wrap to sample 0 and run for
    // 2^56 blocks (found by fuzz/signal.c).
    void generationReachesTheEndOfTheIndexRange()
    {
        qaio_signal *sig = nullptr;
        QCOMPARE(qaio_signal_parse("sine freq=1e3 h2=-20; noise rms=0.1", &sig, nullptr, 0), 0);
        std::vector<float> whole(300), one(1);
        const uint64_t first = UINT64_MAX - 300;
        QCOMPARE(qaio_signal_generate(sig, 1, first, 1e6, whole.data(), whole.size()), 0);
        for (size_t i = 0; i < whole.size(); i += 37) {
            QCOMPARE(qaio_signal_generate(sig, 1, first + i, 1e6, one.data(), 1), 0);
            QCOMPARE(one[0], whole[i]);
        }
        QCOMPARE(qaio_signal_generate(sig, 1, UINT64_MAX, 1e6, one.data(), 0), 0);
        QCOMPARE(qaio_signal_generate(sig, 1, UINT64_MAX, 1e6, one.data(), 1), int(QAIO_EINVAL));
        qaio_signal_free(sig);
    }

    // The generator's values are standard normal: the counts in 34 bins
    // (edges every 0.25 from -4 to 4, plus both tails) against the normal
    // CDF, by chi-square. 2M values; a wrong ziggurat table, wedge or tail
    // shows up as a chi-square in the thousands (34 degrees of freedom:
    // 95 % quantile 48, and the check allows 80).
    void gaussianIsNormal()
    {
        const int n = 2000000, nb = 34;
        std::vector<double> count(nb, 0);
        double sum = 0, sum2 = 0;
        for (int i = 0; i < n; i++) {
            double x = qaio_gauss(7, 1, uint64_t(i));
            sum += x;
            sum2 += x * x;
            int b = x < -4 ? 0 : x >= 4 ? nb - 1 : 1 + int(std::floor((x + 4) / 0.25));
            count[size_t(b)]++;
        }
        auto cdf = [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); };
        double chi2 = 0;
        for (int b = 0; b < nb; b++) {
            double lo = b == 0 ? -INFINITY : -4 + (b - 1) * 0.25;
            double hi = b == nb - 1 ? INFINITY : -4 + b * 0.25;
            double expect = n * (cdf(hi) - cdf(lo));
            chi2 += (count[size_t(b)] - expect) * (count[size_t(b)] - expect) / expect;
        }
        QVERIFY2(chi2 < 80, qPrintable(QString("chi2 %1").arg(chi2)));
        QVERIFY(std::fabs(sum / n) < 5 / std::sqrt(double(n)));
        QVERIFY(std::fabs(sum2 / n - 1) < 5 * std::sqrt(2.0 / n));
    }

    void recordIsDeterministicAndTimed()
    {
        // Force mode: records start at once; one takes N/fs + latency.
        qaio_instrument *a = makeScope(2000, 1e6, QAIO_TRIG_FORCE, nullptr);
        qaio_instrument *b = makeScope(2000, 1e6, QAIO_TRIG_FORCE, nullptr);
        QVERIFY(a && b);
        qaio_scope_settings s;
        QCOMPARE(qaio_scope_get_settings(a, &s), 0);
        s.latency_s = 0.05;
        s.channels = 3;
        QCOMPARE(qaio_scope_set_settings(a, &s), 0);
        QCOMPARE(qaio_scope_set_settings(b, &s), 0);
        qaio_trace *ra = qaio_trace_new(0, 0), *rb = qaio_trace_new(0, 0);
        QElapsedTimer t;
        t.start();
        LoopChecker checker(1);
        QCOMPARE(qaio_instrument_acquire(a, ra, QAIO_FOREVER), 0);
        qint64 ms = t.elapsed();
        QVERIFY2(ms >= 52 && ms < 1000, qPrintable(QString::number(ms))); // 2 ms + 50 ms
        QVERIFY(checker.ticks() > 0); // the loop ran while the scope waited
        QCOMPARE(qaio_instrument_acquire(b, rb, QAIO_FOREVER), 0);
        QCOMPARE(ra->nch, size_t(2));
        QCOMPARE(ra->channel[0], 1);
        QCOMPARE(ra->channel[1], 2);
        QCOMPARE(ra->dx, 1e-6);
        QCOMPARE(QByteArray(ra->y_unit), QByteArray("V"));
        for (size_t c = 0; c < 2; c++)
            for (size_t i = 0; i < ra->n; i++)
                QCOMPARE(ra->y[c][i], rb->y[c][i]);
        // Channel 2's noise is not channel 1's.
        std::vector<float> clean(ra->n);
        qaio_signal *sine;
        QCOMPARE(qaio_signal_parse("sine amp=1 freq=10e3 h2=-40 h3=-50", &sine, nullptr, 0), 0);
        qaio_signal_generate(sine, 1, qaio_scope_last_start(a), 1e6, clean.data(), clean.size());
        double corr = 0;
        for (size_t i = 0; i < ra->n; i++)
            corr += double(ra->y[0][i] - clean[i]) * (ra->y[1][i] - clean[i]);
        QVERIFY(std::fabs(corr / ra->n) < 1e-7); // |rho| < 0.1 for sigma^2 = 1e-6
        qaio_signal_free(sine);
        // The stream moves on: the next record starts after the last + latency.
        QCOMPARE(qaio_scope_position(a), qaio_scope_last_start(a) + 2000 + 50000);
        qaio_trace_free(ra);
        qaio_trace_free(rb);
        QCOMPARE(qaio_instrument_free(a), 0);
        QCOMPARE(qaio_instrument_free(b), 0);
    }

    void triggerFindsTheEdge_data()
    {
        QTest::addColumn<int>("slope");
        QTest::addColumn<double>("level");
        QTest::newRow("rising 0.5") << int(QAIO_SLOPE_RISING) << 0.5;
        QTest::newRow("falling -0.3") << int(QAIO_SLOPE_FALLING) << -0.3;
        QTest::newRow("either 0") << int(QAIO_SLOPE_EITHER) << 0.0;
    }
    void triggerFindsTheEdge()
    {
        QFETCH(int, slope);
        QFETCH(double, level);
        qaio_instrument *sc = makeScope(500, 1e6, QAIO_TRIG_NORMAL, "sine amp=1 freq=7e3; noise rms=1e-3; seed=5");
        qaio_scope_settings s;
        qaio_scope_get_settings(sc, &s);
        s.slope = qaio_trigger_slope(slope);
        s.trigger_level = level;
        QCOMPARE(qaio_scope_set_settings(sc, &s), 0);
        qaio_trace *r = qaio_trace_new(0, 0);
        for (int k = 0; k < 5; k++) {
            QCOMPARE(qaio_instrument_acquire(sc, r, 1.0), 0);
            // The sample before the record is on the other side of the level.
            float prev;
            qaio_signal_generate(qaio_scope_signal(sc, 1), 1, qaio_scope_last_start(sc) - 1, 1e6, &prev, 1);
            float cur = r->y[0][0];
            bool up = prev < level && cur >= level, down = prev > level && cur <= level;
            QVERIFY(slope == QAIO_SLOPE_RISING ? up : slope == QAIO_SLOPE_FALLING ? down : (up || down));
        }
        qaio_trace_free(r);
        qaio_instrument_free(sc);
    }

    // pretrigger: the record starts that part of its length before the
    // trigger sample, which sits at x = 0 (x0 = -pre / fs); 0 and 1 are the
    // first and the last sample; out of 0..1 is refused.
    void pretriggerKeepsSamplesBeforeTheEdge()
    {
        qaio_instrument *sc = makeScope(500, 1e6, QAIO_TRIG_NORMAL, "sine amp=1 freq=7e3");
        qaio_scope_settings s;
        qaio_scope_get_settings(sc, &s);
        s.trigger_level = 0.5;
        qaio_trace *r = qaio_trace_new(0, 0);
        for (double frac : {0.0, 0.25, 1.0}) {
            s.pretrigger = frac;
            QCOMPARE(qaio_scope_set_settings(sc, &s), 0);
            for (int k = 0; k < 3; k++) {
                QCOMPARE(qaio_instrument_acquire(sc, r, 1.0), 0);
                size_t pre = size_t(std::lround(frac * 499));
                QCOMPARE(r->x0, -double(pre) / 1e6);
                QVERIFY(r->y[0][pre] >= 0.5f);
                float prev;
                qaio_signal_generate(qaio_scope_signal(sc, 1), 1, qaio_scope_last_start(sc) + pre - 1, 1e6, &prev, 1);
                QVERIFY2(prev < 0.5f, qPrintable(QString("%1 at %2").arg(prev).arg(frac)));
            }
        }
        for (double bad : {-0.1, 1.5, double(NAN)}) {
            s.pretrigger = bad;
            QCOMPARE(qaio_scope_set_settings(sc, &s), QAIO_EINVAL);
        }
        qaio_trace_free(r);
        qaio_instrument_free(sc);
    }

    void autoFreeRunsNormalTimesOutForceTriggers()
    {
        // No edge ever: level 2 V above a 0.5 V DC.
        qaio_instrument *sc = makeScope(1000, 1e6, QAIO_TRIG_AUTO, "dc level=0.5; noise rms=1e-3");
        qaio_scope_settings s;
        qaio_scope_get_settings(sc, &s);
        s.trigger_level = 2;
        s.auto_timeout_s = 0.02;
        QCOMPARE(qaio_scope_set_settings(sc, &s), 0);
        qaio_trace *r = qaio_trace_new(0, 0);
        uint64_t pos = qaio_scope_position(sc);
        QElapsedTimer t;
        t.start();
        QCOMPARE(qaio_instrument_acquire(sc, r, QAIO_FOREVER), 0); // auto: free-runs
        QCOMPARE(qaio_scope_last_start(sc), pos + 20000);
        QVERIFY(t.elapsed() >= 21);
        // Normal: waits, then times out.
        s.trigger = QAIO_TRIG_NORMAL;
        QCOMPARE(qaio_scope_set_settings(sc, &s), 0);
        t.restart();
        QCOMPARE(qaio_instrument_acquire(sc, r, 0.05), int(QAIO_ETIMEDOUT));
        QVERIFY2(t.elapsed() >= 49 && t.elapsed() < 1000, qPrintable(QString::number(t.elapsed())));
        // Normal + force from elsewhere on the loop after 30 ms.
        qaio_call_later(L, 0.03, [](void *sc) { qaio_scope_force((qaio_instrument *)sc); }, sc);
        t.restart();
        QCOMPARE(qaio_instrument_acquire(sc, r, 5.0), 0);
        QVERIFY2(t.elapsed() >= 30 && t.elapsed() < 1000, qPrintable(QString::number(t.elapsed())));
        // Force mode: immediate.
        s.trigger = QAIO_TRIG_FORCE;
        QCOMPARE(qaio_scope_set_settings(sc, &s), 0);
        pos = qaio_scope_position(sc);
        QCOMPARE(qaio_instrument_acquire(sc, r, QAIO_FOREVER), 0);
        QCOMPARE(qaio_scope_last_start(sc), pos);
        qaio_trace_free(r);
        qaio_instrument_free(sc);
    }

    void singleArmsOnce()
    {
        qaio_instrument *sc = makeScope(256, 1e6, QAIO_TRIG_SINGLE, nullptr);
        qaio_trace *r = qaio_trace_new(0, 0);
        QVERIFY(qaio_scope_armed(sc));
        QCOMPARE(qaio_instrument_acquire(sc, r, 1.0), 0);
        QVERIFY(!qaio_scope_armed(sc));
        QCOMPARE(qaio_instrument_acquire(sc, r, 1.0), int(QAIO_EAGAIN));
        QCOMPARE(qaio_scope_arm(sc), 0);
        QCOMPARE(qaio_instrument_acquire(sc, r, 1.0), 0);
        qaio_trace_free(r);
        qaio_instrument_free(sc);
    }

    void timeDomainAveragingLowersNoiseAsOneOverSqrtK()
    {
        // 10 kHz at 1 MHz is 100 samples a cycle; phase pi/100 puts the
        // samples around each rising zero crossing at -/+0.0314 V, 31 sigma
        // of the 1 mV noise away, so every record starts at the same phase
        // and the clean part of each record is known exactly. The residual
        // of a K-average is then white noise of rms sigma/sqrt(K); its rms
        // estimated from 2048 points has relative std 1/sqrt(2*2048) = 1.6 %,
        // so 8 % is a 5 sigma bound.
        const size_t n = 2048;
        const double fs = 1e6, sigma = 1e-3;
        qaio_instrument *sc = makeScope(n, fs, QAIO_TRIG_NORMAL,
                                        "sine amp=1 freq=10e3 phase=0.031415926535897934; noise rms=1e-3; seed=3");
        std::vector<double> clean(n);
        for (size_t i = 0; i < n; i++)
            clean[i] = std::sin(2 * M_PI * i / 100.0 + M_PI / 100);
        for (unsigned K : {1u, 4u, 16u, 64u}) {
            qaio_future *f = qaio_instrument_run_single(sc, K);
            QVERIFY(f);
            void *v;
            QCOMPARE(qaio_future_result_timeout(f, 20, &v), 0);
            auto *avg = static_cast<qaio_trace *>(v);
            QCOMPARE(avg->averages, K);
            QCOMPARE(avg->n, n);
            double r = rmsDiff(avg->y[0], clean);
            double expect = sigma / std::sqrt(double(K));
            QVERIFY2(std::fabs(r / expect - 1) < 0.08, qPrintable(QString("K=%1: %2 vs %3").arg(K).arg(r).arg(expect)));
            qaio_future_unref(f);
        }
        QCOMPARE(qaio_instrument_free(sc), 0);
    }

    void badInput()
    {
        qaio_scope_settings s;
        qaio_scope_settings_default(&s);
        QVERIFY(qaio_scope_new(nullptr, &s) == nullptr);
        s.points = 0;
        QVERIFY(qaio_scope_new(L, &s) == nullptr);
        QCOMPARE(errno, EINVAL);
        qaio_scope_settings_default(&s);
        s.rate = 0;
        QVERIFY(qaio_scope_new(L, &s) == nullptr);
        qaio_scope_settings_default(&s);
        s.channels = 0;
        QVERIFY(qaio_scope_new(L, &s) == nullptr);
        qaio_scope_settings_default(&s);
        s.trigger_source = 3;
        QVERIFY(qaio_scope_new(L, &s) == nullptr);
        qaio_instrument *sc = qaio_scope_new(L, nullptr);
        QVERIFY(sc);
        QCOMPARE(QByteArray(qaio_instrument_kind(sc)), QByteArray("scope"));
        qaio_scope_settings_default(&s);
        s.latency_s = -1;
        QCOMPARE(qaio_scope_set_settings(sc, &s), int(QAIO_EINVAL));
        QCOMPARE(qaio_scope_set_settings(nullptr, &s), int(QAIO_EINVAL));
        char msg[128];
        QCOMPARE(qaio_scope_set_signal(sc, 3, "dc level=1", msg, sizeof msg), int(QAIO_EINVAL));
        QCOMPARE(qaio_scope_set_signal(sc, 1, "sine amp=1", msg, sizeof msg), int(QAIO_EINVAL));
        QVERIFY(QByteArray(msg).contains("freq"));
        QCOMPARE(qaio_instrument_acquire(sc, nullptr, 1), int(QAIO_EINVAL));
        QCOMPARE(qaio_instrument_acquire(nullptr, nullptr, 1), int(QAIO_EINVAL));
        QCOMPARE(qaio_scope_arm(nullptr), int(QAIO_EINVAL));
        QCOMPARE(qaio_scope_force(nullptr), int(QAIO_EINVAL));
        qaio_trigger_mode m;
        QCOMPARE(qaio_trigger_mode_parse("NORMAL", &m), 0);
        QCOMPARE(m, QAIO_TRIG_NORMAL);
        QCOMPARE(qaio_trigger_mode_parse("sometimes", &m), int(QAIO_EINVAL));
        QCOMPARE(qaio_instrument_free(sc), 0);
        QCOMPARE(qaio_instrument_free(nullptr), 0);
        // A scope is bound to its loop's thread.
        qaio_instrument *mine = qaio_scope_new(L, nullptr);
        int fromThread = 0;
        std::thread th([&] {
            qaio_trace *r = qaio_trace_new(0, 0);
            fromThread = qaio_instrument_acquire(mine, r, 1);
            qaio_trace_free(r);
        });
        th.join();
        QCOMPARE(fromThread, int(QAIO_EWRONGTHREAD));
        QCOMPARE(qaio_instrument_free(mine), 0);
    }
};

QTEST_GUILESS_MAIN(TestInstrScope)
#include "test_instr_scope.moc"
