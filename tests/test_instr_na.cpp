// The simulated network analyzer: the model, the lock-in's noise, and the
// recovery of the resonance frequency and Q from an averaged sweep.
#include "testutil.h"

#include <qaio/instr.h>
#include <cmath>

namespace {
qaio_loop *L;
}

class TestInstrNa : public QObject {
    Q_OBJECT
private slots:
    void init() { L = qaio_loop_get(); }

    void modelIsTheResonator()
    {
        qaio_na_settings s;
        qaio_na_settings_default(&s);
        double re, im;
        qaio_na_model(&s, s.f0, &re, &im);
        QCOMPARE(re, 1.0);
        QCOMPARE(im, 0.0);
        // The +-45 degree points are the -3 dB points, f0/Q apart.
        double x = 1 / (2 * s.q), lo = s.f0 * (std::sqrt(1 + x * x) - x), hi = s.f0 * (std::sqrt(1 + x * x) + x);
        QVERIFY(std::fabs(hi - lo - s.f0 / s.q) < 1e-9);
        qaio_na_model(&s, lo, &re, &im);
        QVERIFY(std::fabs(std::atan2(im, re) * 180 / M_PI - 45) < 1e-9);
        QVERIFY(std::fabs(10 * std::log10(re * re + im * im) + 3.0103) < 1e-3);
    }

    void sweepNoiseMatchesTheLockInTheory()
    {
        // One noisy sweep minus the model: per component the error rms is
        // noise/A * sqrt(2/M), M = 16 samples a cycle x C cycles. With
        // C = f/ifbw = 10 (f ~ 10 kHz, ifbw 1 kHz) and noise 0.01, A = 1:
        // 1.12e-3. Estimated from 2 x 101 values: relative std 5 %, 25 % bound.
        qaio_na_settings s;
        qaio_na_settings_default(&s);
        s.start_hz = 9.5e3;
        s.stop_hz = 10.5e3;
        s.points = 101;
        s.if_bandwidth = 1e3;
        s.noise_rms = 0.01;
        qaio_instrument *na = qaio_na_new(L, &s);
        QVERIFY(na);
        qaio_trace *r = qaio_trace_new(0, 0);
        QElapsedTimer t;
        t.start();
        QCOMPARE(qaio_instrument_acquire(na, r, QAIO_FOREVER), 0);
        QVERIFY(t.elapsed() >= 100); // 101 points / 1 kHz
        QCOMPARE(r->nch, size_t(2));
        double e2 = 0;
        for (size_t i = 0; i < r->n; i++) {
            double f = qaio_trace_x(r, i), re, im;
            qaio_na_model(&s, f, &re, &im);
            QVERIFY(std::lround(f / 1e3) == 10 || std::lround(f / 1e3) == 9 || std::lround(f / 1e3) == 11);
            e2 += std::pow(r->y[0][i] - re, 2) + std::pow(r->y[1][i] - im, 2);
        }
        double rms = std::sqrt(e2 / (2 * r->n)), expect = 0.01 * std::sqrt(2.0 / 160);
        // C is 10 only where round(f/1e3) = 10; 9.5 kHz rounds to 10 too, and
        // 10.5 kHz to 11 (M = 176): the expectation is within 5 %.
        QVERIFY2(std::fabs(rms / expect - 1) < 0.25, qPrintable(QString("%1 vs %2").arg(rms).arg(expect)));
        qaio_trace_free(r);
        QCOMPARE(qaio_instrument_free(na), 0);
    }

    void recoversResonanceFrequencyAndQ_data()
    {
        QTest::addColumn<bool>("logSweep");
        QTest::newRow("linear") << false;
        QTest::newRow("log") << true;
    }
    void recoversResonanceFrequencyAndQ()
    {
        // f0 = 10 kHz, Q = 20 (bandwidth 500 Hz), sweep 9-11 kHz in 401
        // points (5 Hz steps), ifbw 10 kHz (C = 1, M = 16), noise 1e-3, 16
        // vector averages. Per-component error per sweep 3.5e-4, averaged
        // 8.8e-5. Phase noise at f0 (|H| = 1): 8.8e-5 rad; dphi/du = 1 and
        // du/df = 2Q/f0, so f0 is good to 0.022 Hz (bound 0.2 Hz). At the
        // -3 dB points (|H| = 0.707, dphi/du = 1/2) each crossing is good to
        // 0.06 Hz: Q to ~1.7e-4 relative; linear interpolation of the phase
        // over 5 Hz adds < 1e-4 (curvature delta_u^2/8, delta_u = 0.02):
        // bound 1e-3.
        QFETCH(bool, logSweep);
        qaio_na_settings s;
        qaio_na_settings_default(&s);
        s.start_hz = 9e3;
        s.stop_hz = 11e3;
        s.points = 401;
        s.log_sweep = logSweep;
        s.if_bandwidth = 10e3;
        s.noise_rms = 1e-3;
        s.seed = 42;
        qaio_instrument *na = qaio_na_new(L, &s);
        qaio_future *f = qaio_instrument_run_single(na, 16);
        void *v;
        QCOMPARE(qaio_future_result_timeout(f, 30, &v), 0);
        auto *polar = static_cast<qaio_trace *>(v);
        QCOMPARE(polar->averages, 16u);
        QCOMPARE(polar->n, size_t(401));
        QCOMPARE(bool(polar->x), logSweep);
        QVERIFY(std::fabs(qaio_trace_x(polar, 400) - 11e3) < 1e-6);
        double f0, q;
        QCOMPARE(qaio_na_fit_resonance(polar, &f0, &q), 0);
        QVERIFY2(std::fabs(f0 - 10e3) < 0.2, qPrintable(QString::number(f0, 'f', 4)));
        QVERIFY2(std::fabs(q / 20 - 1) < 1e-3, qPrintable(QString::number(q, 'f', 5)));
        // Magnitude at the peak: 0 dB.
        size_t peak = 0;
        for (size_t i = 0; i < polar->n; i++)
            if (polar->y[0][i] > polar->y[0][peak])
                peak = i;
        QVERIFY(std::fabs(polar->y[0][peak]) < 0.01);
        qaio_future_unref(f);
        QCOMPARE(qaio_instrument_free(na), 0);
    }

    void cancelSweep()
    {
        qaio_na_settings s;
        qaio_na_settings_default(&s);
        s.latency_s = 30;
        qaio_instrument *na = qaio_na_new(L, &s);
        qaio_future *f = qaio_instrument_run_single(na, 2);
        QCOMPARE(qaio_sleep(0.01), 0);
        qaio_future_cancel(f);
        QCOMPARE(qaio_future_result_timeout(f, 2, nullptr), int(QAIO_ECANCELED));
        qaio_future_unref(f);
        QCOMPARE(qaio_instrument_free(na), 0);
    }

    void badInput()
    {
        qaio_na_settings s;
        qaio_na_settings_default(&s);
        s.stop_hz = s.start_hz;
        QVERIFY(!qaio_na_new(L, &s));
        qaio_na_settings_default(&s);
        s.points = 1;
        QVERIFY(!qaio_na_new(L, &s));
        qaio_na_settings_default(&s);
        s.q = 0;
        QVERIFY(!qaio_na_new(L, &s));
        QVERIFY(!qaio_na_new(nullptr, nullptr));
        qaio_instrument *na = qaio_na_new(L, nullptr);
        QCOMPARE(qaio_na_set_settings(na, nullptr), int(QAIO_EINVAL));
        double f0, q;
        QCOMPARE(qaio_na_fit_resonance(nullptr, &f0, &q), int(QAIO_EINVAL));
        // A sweep that misses the resonance: no crossing.
        qaio_na_settings_default(&s);
        s.start_hz = 20e3;
        s.stop_hz = 30e3;
        QCOMPARE(qaio_na_set_settings(na, &s), 0);
        qaio_future *f = qaio_instrument_run_single(na, 1);
        void *v;
        QCOMPARE(qaio_future_result_timeout(f, 5, &v), 0);
        QCOMPARE(qaio_na_fit_resonance(static_cast<qaio_trace *>(v), &f0, &q), int(QAIO_ENOENT));
        qaio_future_unref(f);
        QCOMPARE(qaio_instrument_free(na), 0);
    }
};

QTEST_GUILESS_MAIN(TestInstrNa)
#include "test_instr_na.moc"
