// Spectrum processing against theory: window ENBW, tone levels in every
// unit and window, scalloping, white-noise density, Parseval, the bias of
// log averaging, hold modes, the FFT itself, and bad input. No loop needed:
// records are built with the signal generator and fed to the averager.
#include "testutil.h"

#include <qaio/instr.h>
#include <cmath>
#include <complex>
#include <vector>

namespace {
const double kEulerGamma = 0.57721566490153286;

struct Traces {
    qaio_trace *rec = qaio_trace_new(0, 0), *out = qaio_trace_new(0, 0);
    ~Traces()
    {
        qaio_trace_free(rec);
        qaio_trace_free(out);
    }
};

// One record of `desc` at fs, n points, starting at sample `first`.
void makeRecord(qaio_trace *rec, const char *desc, double fs, size_t n, uint64_t first = 0)
{
    qaio_signal *sig = nullptr;
    char msg[128];
    QCOMPARE(qaio_signal_parse(desc, &sig, msg, sizeof msg), 0);
    QCOMPARE(qaio_trace_reshape(rec, n, 1), 0);
    rec->dx = 1.0 / fs;
    rec->x0 = 0;
    QCOMPARE(qaio_signal_generate(sig, 1, first, fs, rec->y[0], n), 0);
    qaio_signal_free(sig);
}

qaio_averager *spectrumAv(qaio_window w, qaio_avg_mode m, qaio_unit u)
{
    qaio_spectrum_settings s;
    qaio_spectrum_settings_default(&s);
    s.window = w;
    s.mode = m;
    s.unit = u;
    return qaio_spectrum_averager_new(&s);
}

double dB(double x) { return 10 * std::log10(x); }
}

class TestInstrSpectrum : public QObject {
    Q_OBJECT
private slots:
    void fftMatchesDirectDft()
    {
        // Float FFT vs a double DFT: error bound ~ eps_float * log2(N) * sum|x|.
        const size_t n = 96; // mixed radix on purpose
        qaio_fft *f = nullptr;
        QCOMPARE(qaio_fft_new(n, &f), 0);
        float *in = qaio_fft_input(f);
        double sumAbs = 0;
        for (size_t i = 0; i < n; i++) {
            in[i] = float(qaio_gauss(5, 0, i));
            sumAbs += std::fabs(in[i]);
        }
        qaio_fft_execute(f);
        const qaio_cpx *X = qaio_fft_output(f);
        for (size_t k = 0; k <= n / 2; k++) {
            std::complex<double> acc = 0;
            for (size_t i = 0; i < n; i++)
                acc += double(in[i]) * std::polar(1.0, -2 * M_PI * double(k * i) / n);
            QVERIFY(std::abs(std::complex<double>(X[k].re, X[k].im) - acc) < 1e-5 * sumAbs);
        }
        qaio_fft_free(f);
        QVERIFY(QByteArray(qaio_fft_backend()) == "fftw" || QByteArray(qaio_fft_backend()) == "kissfft");
        QCOMPARE(qaio_fft_new(7, &f), int(QAIO_EINVAL)); // odd
        QCOMPARE(qaio_fft_new(0, &f), int(QAIO_EINVAL));
        QCOMPARE(qaio_fft_new(8, nullptr), int(QAIO_EINVAL));
        qaio_fft_execute(nullptr);
        qaio_fft_free(nullptr);
    }

    void enbwOfEveryWindow_data()
    {
        QTest::addColumn<int>("window");
        QTest::addColumn<double>("enbwBins");
        // Published values (Heinzel et al. 2002, table; scipy flattop 3.7702).
        QTest::newRow("rect") << int(QAIO_WINDOW_RECT) << 1.0;
        QTest::newRow("hann") << int(QAIO_WINDOW_HANN) << 1.5;
        QTest::newRow("hamming") << int(QAIO_WINDOW_HAMMING) << 1.3628;
        QTest::newRow("blackman-harris") << int(QAIO_WINDOW_BLACKMAN_HARRIS) << 2.0044;
        QTest::newRow("flattop") << int(QAIO_WINDOW_FLATTOP) << 3.7702;
    }
    void enbwOfEveryWindow()
    {
        QFETCH(int, window);
        QFETCH(double, enbwBins);
        // Closed form for a periodic cosine sum: (a0^2 + sum a_k^2 / 2) / a0^2.
        const double *a;
        size_t cnt;
        QCOMPARE(qaio_window_coefficients(qaio_window(window), &a, &cnt), 0);
        double s2 = a[0] * a[0];
        for (size_t k = 1; k < cnt; k++)
            s2 += a[k] * a[k] / 2;
        QVERIFY(std::fabs(s2 / (a[0] * a[0]) - enbwBins) < 1e-4); // table has 4-5 digits
        // What the averager reports, from the float window it applies.
        Traces t;
        const double fs = 1e6;
        makeRecord(t.rec, "dc level=0", fs, 2048);
        qaio_averager *av = spectrumAv(qaio_window(window), QAIO_AVG_POWER, QAIO_UNIT_DBV);
        double bins, hz;
        QCOMPARE(qaio_spectrum_info(av, nullptr, nullptr, &bins, &hz), int(QAIO_EAGAIN));
        QCOMPARE(qaio_averager_add(av, t.rec, 1), 0);
        QCOMPARE(qaio_spectrum_info(av, nullptr, nullptr, &bins, &hz), 0);
        QVERIFY(std::fabs(bins - enbwBins) < 1e-4);
        QVERIFY(std::fabs(hz - enbwBins * fs / 2048) < 1e-4 * fs / 2048);
        QCOMPARE(qaio_averager_read(av, t.out), 0);
        QCOMPARE(t.out->enbw_hz, hz);
        qaio_averager_free(av);
    }

    void toneLevelInEveryUnitAndWindow_data()
    {
        QTest::addColumn<int>("window");
        for (int w = 0; w < QAIO_WINDOW_COUNT; w++)
            QTest::newRow(qaio_window_name(qaio_window(w))) << w;
    }
    void toneLevelInEveryUnitAndWindow()
    {
        // A 1 Vpk sine on bin 400 of 4096 with 1 mV rms noise. Theory:
        // 0.70711 Vrms, 1 Vpk, -3.0103 dBV, +10.0 dBm into 50 ohm. The noise
        // in the tone's bin is ~sigma^2 * 2 ENBW / N (< 2e-9 V^2 for the
        // flat-top): an amplitude error < 1e-4 relative, < 0.001 dB, so
        // 0.005 dB (and 5e-4 relative) is a >5 sigma bound.
        QFETCH(int, window);
        const double fs = 1.024e6, n = 4096, k0 = 400, f = k0 * fs / n;
        Traces t;
        makeRecord(t.rec, qPrintable(QString("sine amp=1 freq=%1 phase=0.3; noise rms=1e-3; seed=7").arg(f, 0, 'g', 17)), fs, size_t(n));
        struct {
            qaio_unit unit;
            double expect;
            bool log;
        } cases[] = {{QAIO_UNIT_VRMS, std::sqrt(0.5), false}, {QAIO_UNIT_VPK, 1.0, false},
                     {QAIO_UNIT_DBV, dB(0.5), true},         {QAIO_UNIT_DBM, dB(0.5 / 50 / 1e-3), true},
                     {QAIO_UNIT_VRMS2, 0.5, false}};
        for (auto &c : cases) {
            qaio_averager *av = spectrumAv(qaio_window(window), QAIO_AVG_POWER, c.unit);
            QCOMPARE(qaio_averager_add(av, t.rec, 1), 0);
            QCOMPARE(qaio_averager_read(av, t.out), 0);
            QCOMPARE(t.out->n, size_t(n / 2 + 1));
            QCOMPARE(qaio_trace_x(t.out, size_t(k0)), f);
            QCOMPARE(QByteArray(t.out->y_unit), QByteArray(qaio_unit_name(c.unit)));
            double got = t.out->y[0][size_t(k0)];
            double err = c.log ? std::fabs(got - c.expect) : std::fabs(got / c.expect - 1);
            QVERIFY2(err < (c.log ? 0.005 : 5e-4),
                     qPrintable(QString("%1: %2 vs %3").arg(qaio_unit_name(c.unit)).arg(got, 0, 'g', 8).arg(c.expect)));
            qaio_averager_free(av);
        }
    }

    void scallopingAtHalfBin_data()
    {
        QTest::addColumn<int>("window");
        QTest::addColumn<double>("lossDb");
        QTest::addColumn<double>("tol");
        // Worst-case (half-bin) amplitude loss, Heinzel 2002 / Harris 1978:
        // rect 3.9224, hann 1.4236, hamming 1.7514, BH4 0.8256 dB; the
        // flat-top is flat to its design bound (|loss| < 0.02 dB).
        QTest::newRow("rect") << int(QAIO_WINDOW_RECT) << 3.9224 << 0.01;
        QTest::newRow("hann") << int(QAIO_WINDOW_HANN) << 1.4236 << 0.01;
        QTest::newRow("hamming") << int(QAIO_WINDOW_HAMMING) << 1.7514 << 0.01;
        QTest::newRow("blackman-harris") << int(QAIO_WINDOW_BLACKMAN_HARRIS) << 0.8256 << 0.01;
        QTest::newRow("flattop") << int(QAIO_WINDOW_FLATTOP) << 0.0 << 0.02;
    }
    void scallopingAtHalfBin()
    {
        // The tone sits halfway between bins 400 and 401: both read low by
        // the window's scalloping loss. Noise-free; leakage from the
        // negative-frequency image is < 1/(pi*800) relative (< 0.004 dB).
        QFETCH(int, window);
        QFETCH(double, lossDb);
        QFETCH(double, tol);
        const double fs = 1.024e6, n = 4096, f = 400.5 * fs / n;
        Traces t;
        makeRecord(t.rec, qPrintable(QString("sine amp=1 freq=%1").arg(f, 0, 'g', 17)), fs, size_t(n));
        qaio_averager *av = spectrumAv(qaio_window(window), QAIO_AVG_POWER, QAIO_UNIT_DBV);
        QCOMPARE(qaio_averager_add(av, t.rec, 1), 0);
        QCOMPARE(qaio_averager_read(av, t.out), 0);
        double got = std::max(t.out->y[0][400], t.out->y[0][401]);
        QVERIFY2(std::fabs(got - (dB(0.5) - lossDb)) < tol, qPrintable(QString::number(got - dB(0.5))));
        qaio_averager_free(av);
    }

    void dcAndNyquistAreNotDoubled()
    {
        // x = 0.25 + 0.5 (-1)^i: DC reads 0.25 Vrms, Nyquist 0.5 Vrms (the rms
        // of +-0.5), in every window (both are exact in the periodic form).
        const size_t n = 1024;
        Traces t;
        QCOMPARE(qaio_trace_reshape(t.rec, n, 1), 0);
        t.rec->dx = 1e-6;
        for (size_t i = 0; i < n; i++)
            t.rec->y[0][i] = 0.25f + (i % 2 ? -0.5f : 0.5f);
        for (int w = 0; w < QAIO_WINDOW_COUNT; w++) {
            qaio_averager *av = spectrumAv(qaio_window(w), QAIO_AVG_POWER, QAIO_UNIT_VRMS);
            QCOMPARE(qaio_averager_add(av, t.rec, 1), 0);
            QCOMPARE(qaio_averager_read(av, t.out), 0);
            QVERIFY(std::fabs(t.out->y[0][0] - 0.25) < 1e-5);
            QVERIFY(std::fabs(t.out->y[0][n / 2] - 0.5) < 1e-5);
            QCOMPARE(qaio_spectrum_set_unit(av, QAIO_UNIT_VPK), 0);
            QCOMPARE(qaio_averager_read(av, t.out), 0);
            QVERIFY(std::fabs(t.out->y[0][0] - 0.25) < 1e-5);
            qaio_averager_free(av);
        }
    }

    void parseval()
    {
        // Single record, every window: sum_k PSD[k] * fs/N equals the
        // windowed mean square sum (w x)^2 / S2 (Parseval with the one-sided
        // d_k); for rect that is mean(x^2), and sum_k PS[k] too. Float
        // rounding over 8192 terms: 1e-5 relative.
        const size_t n = 8192;
        const double fs = 2e6;
        Traces t;
        makeRecord(t.rec, "sine amp=0.7 freq=12345.6 h3=-20; square amp=0.1 freq=3e3; noise rms=0.05; dc level=0.02; seed=11", fs, n);
        for (int w = 0; w < QAIO_WINDOW_COUNT; w++) {
            std::vector<float> win(n);
            qaio_window_fill(qaio_window(w), n, win.data());
            double wx2 = 0, s2 = 0, x2 = 0;
            for (size_t i = 0; i < n; i++) {
                double v = double(win[i]) * t.rec->y[0][i];
                wx2 += v * v;
                s2 += double(win[i]) * win[i];
                x2 += double(t.rec->y[0][i]) * t.rec->y[0][i];
            }
            qaio_averager *av = spectrumAv(qaio_window(w), QAIO_AVG_POWER, QAIO_UNIT_V2_HZ);
            QCOMPARE(qaio_averager_add(av, t.rec, 1), 0);
            QCOMPARE(qaio_averager_read(av, t.out), 0);
            double sum = 0;
            for (size_t k = 0; k < t.out->n; k++)
                sum += t.out->y[0][k] * t.out->dx;
            QVERIFY2(std::fabs(sum / (wx2 / s2) - 1) < 1e-5, qPrintable(QString::number(sum / (wx2 / s2) - 1)));
            if (w == QAIO_WINDOW_RECT) {
                QCOMPARE(qaio_spectrum_set_unit(av, QAIO_UNIT_VRMS2), 0);
                QCOMPARE(qaio_averager_read(av, t.out), 0);
                double ps = 0;
                for (size_t k = 0; k < t.out->n; k++)
                    ps += t.out->y[0][k];
                QVERIFY(std::fabs(ps / (x2 / n) - 1) < 1e-5);
            }
            qaio_averager_free(av);
        }
    }

    void whiteNoiseDensityWithPowerAveraging_data()
    {
        QTest::addColumn<int>("window");
        for (int w = 0; w < QAIO_WINDOW_COUNT; w++)
            QTest::newRow(qaio_window_name(qaio_window(w))) << w;
    }
    void whiteNoiseDensityWithPowerAveraging()
    {
        // sigma = 1 mV rms at 1 MHz: one-sided PSD = 2 sigma^2 / fs
        // = 2e-12 V^2/Hz = -103.98 dBm/Hz in 50 ohm, in every window (the
        // S2 normalisation). K = 64 records of 1024: each bin's mean has
        // relative std 1/sqrt(K) = 0.125; the mean over the 511 inner bins
        // has relative std <= sqrt(ENBW_bins / (K * 511)) = 0.0095 (flat-top),
        // so 5 % is a >5 sigma bound. Bins 1..N/2-1 only: DC and Nyquist
        // are not doubled, so white noise reads half there.
        QFETCH(int, window);
        const size_t n = 1024, K = 64;
        const double fs = 1e6, sigma = 1e-3, psd = 2 * sigma * sigma / fs;
        Traces t;
        qaio_averager *av = spectrumAv(qaio_window(window), QAIO_AVG_POWER, QAIO_UNIT_V2_HZ);
        for (size_t r = 0; r < K; r++) {
            makeRecord(t.rec, "noise rms=1e-3; seed=21", fs, n, r * n);
            QCOMPARE(qaio_averager_add(av, t.rec, 1.0 / (r + 1)), 0);
        }
        QCOMPARE(qaio_averager_read(av, t.out), 0);
        QCOMPARE(t.out->averages, unsigned(K));
        double mean = 0, var = 0;
        for (size_t k = 1; k < n / 2; k++)
            mean += t.out->y[0][k];
        mean /= (n / 2 - 1);
        for (size_t k = 1; k < n / 2; k++)
            var += std::pow(t.out->y[0][k] / mean - 1, 2);
        var /= (n / 2 - 2);
        QVERIFY2(std::fabs(mean / psd - 1) < 0.05, qPrintable(QString::number(mean / psd)));
        if (window == QAIO_WINDOW_RECT) {
            // Rect bins are independent chi^2(2K)/2K: relative spread
            // 1/sqrt(K) = 0.125; the spread's own estimate from 511 bins is
            // good to ~4 %, so 20 % is a 5 sigma bound.
            QVERIFY2(std::fabs(std::sqrt(var) / 0.125 - 1) < 0.2, qPrintable(QString::number(std::sqrt(var))));
        }
        // The other density units agree.
        QCOMPARE(qaio_spectrum_set_unit(av, QAIO_UNIT_DBM_HZ), 0);
        QCOMPARE(qaio_averager_read(av, t.out), 0);
        QVERIFY(std::fabs(dB(psd / 50 / 1e-3) - (-103.979)) < 0.001);
        double dbm = 0;
        for (size_t k = 1; k < n / 2; k++)
            dbm += std::pow(10, t.out->y[0][k] / 10) * 50 * 1e-3;
        QVERIFY(std::fabs(dbm / (n / 2 - 1) / mean - 1) < 1e-4);
        QCOMPARE(qaio_spectrum_set_unit(av, QAIO_UNIT_V_RTHZ), 0);
        QCOMPARE(qaio_averager_read(av, t.out), 0);
        double rt = 0;
        for (size_t k = 1; k < n / 2; k++)
            rt += double(t.out->y[0][k]) * t.out->y[0][k];
        QVERIFY(std::fabs(rt / (n / 2 - 1) / mean - 1) < 1e-4);
        qaio_averager_free(av);
    }

    void logAveragingBiasIsMinus2p51dB()
    {
        // For Gaussian noise each bin's |X|^2 is exponential, and the mean of
        // 10 log10 of an exponential is 10 log10(mean) + 10 log10(e^-gamma)
        // = -2.507 dB, for any K. Its per-record std is 5.57 dB; the mean of
        // 511 independent (rect) bins x 64 records has std 0.031 dB, so
        // 0.15 dB is a 5 sigma bound. The power average of the same records
        // is unbiased (checked to 5 %, as above).
        const size_t n = 1024, K = 64;
        const double fs = 1e6, psd = 2e-12;
        Traces t;
        qaio_averager *lg = spectrumAv(QAIO_WINDOW_RECT, QAIO_AVG_LOG, QAIO_UNIT_V2_HZ);
        qaio_averager *pw = spectrumAv(QAIO_WINDOW_RECT, QAIO_AVG_POWER, QAIO_UNIT_V2_HZ);
        for (size_t r = 0; r < K; r++) {
            makeRecord(t.rec, "noise rms=1e-3; seed=33", fs, n, r * n);
            QCOMPARE(qaio_averager_add(lg, t.rec, 1.0 / (r + 1)), 0);
            QCOMPARE(qaio_averager_add(pw, t.rec, 1.0 / (r + 1)), 0);
        }
        QCOMPARE(qaio_averager_read(lg, t.out), 0);
        double meanDb = 0;
        for (size_t k = 1; k < n / 2; k++)
            meanDb += dB(t.out->y[0][k]);
        meanDb /= (n / 2 - 1);
        double bias = meanDb - dB(psd), theory = dB(std::exp(-kEulerGamma));
        QVERIFY(std::fabs(theory - (-2.507)) < 0.001);
        QVERIFY2(std::fabs(bias - theory) < 0.15, qPrintable(QString::number(bias)));
        QCOMPARE(qaio_averager_read(pw, t.out), 0);
        double mean = 0;
        for (size_t k = 1; k < n / 2; k++)
            mean += t.out->y[0][k];
        QVERIFY(std::fabs(mean / (n / 2 - 1) / psd - 1) < 0.05);
        qaio_averager_free(lg);
        qaio_averager_free(pw);
    }

    void peakAndMinHold()
    {
        // Per bin: min hold <= every record <= peak hold, and the power mean
        // lies between. Holds ignore the weights; a reset forgets.
        const size_t n = 256;
        Traces t;
        qaio_averager *pk = spectrumAv(QAIO_WINDOW_HANN, QAIO_AVG_PEAK, QAIO_UNIT_VRMS2);
        qaio_averager *mn = spectrumAv(QAIO_WINDOW_HANN, QAIO_AVG_MIN, QAIO_UNIT_VRMS2);
        qaio_averager *pw = spectrumAv(QAIO_WINDOW_HANN, QAIO_AVG_POWER, QAIO_UNIT_VRMS2);
        qaio_averager *one = spectrumAv(QAIO_WINDOW_HANN, QAIO_AVG_POWER, QAIO_UNIT_VRMS2);
        std::vector<std::vector<float>> each;
        for (size_t r = 0; r < 10; r++) {
            makeRecord(t.rec, "noise rms=1; seed=4", 1e3, n, r * n);
            QCOMPARE(qaio_averager_add(pk, t.rec, 0.5), 0);
            QCOMPARE(qaio_averager_add(mn, t.rec, 0.5), 0);
            QCOMPARE(qaio_averager_add(pw, t.rec, 1.0 / (r + 1)), 0);
            QCOMPARE(qaio_averager_add(one, t.rec, 1), 0);
            QCOMPARE(qaio_averager_read(one, t.out), 0);
            each.emplace_back(t.out->y[0], t.out->y[0] + t.out->n);
        }
        qaio_trace *p = qaio_trace_new(0, 0), *m = qaio_trace_new(0, 0), *a = qaio_trace_new(0, 0);
        QCOMPARE(qaio_averager_read(pk, p), 0);
        QCOMPARE(qaio_averager_read(mn, m), 0);
        QCOMPARE(qaio_averager_read(pw, a), 0);
        for (size_t k = 0; k < p->n; k++) {
            float hi = 0, lo = INFINITY;
            double sum = 0;
            for (auto &e : each) {
                hi = std::max(hi, e[k]);
                lo = std::min(lo, e[k]);
                sum += e[k];
            }
            QCOMPARE(p->y[0][k], hi);
            QCOMPARE(m->y[0][k], lo);
            QVERIFY(std::fabs(a->y[0][k] / (sum / 10) - 1) < 1e-4);
        }
        QCOMPARE(qaio_averager_reset(pk), 0);
        QCOMPARE(qaio_averager_read(pk, p), int(QAIO_EAGAIN));
        qaio_trace_free(p);
        qaio_trace_free(m);
        qaio_trace_free(a);
        for (auto av : {pk, mn, pw, one})
            qaio_averager_free(av);
    }

    void shapeChangeRestartsTheAverage()
    {
        Traces t;
        qaio_averager *av = spectrumAv(QAIO_WINDOW_HANN, QAIO_AVG_POWER, QAIO_UNIT_DBV);
        makeRecord(t.rec, "noise rms=1", 1e3, 256);
        QCOMPARE(qaio_averager_add(av, t.rec, 1), 0);
        QCOMPARE(qaio_averager_add(av, t.rec, 0.5), 0);
        makeRecord(t.rec, "noise rms=1", 1e3, 512);
        QCOMPARE(qaio_averager_add(av, t.rec, 1.0 / 3), 1);
        QCOMPARE(av->count, 1u);
        QCOMPARE(qaio_averager_read(av, t.out), 0);
        QCOMPARE(t.out->n, size_t(257));
        qaio_averager_free(av);
    }

    void badInput()
    {
        qaio_spectrum_settings s;
        qaio_spectrum_settings_default(&s);
        QCOMPARE(qaio_spectrum_averager_new(nullptr), nullptr);
        s.window = qaio_window(99);
        QCOMPARE(qaio_spectrum_averager_new(&s), nullptr);
        qaio_spectrum_settings_default(&s);
        s.load_ohm = 0;
        QCOMPARE(qaio_spectrum_averager_new(&s), nullptr);
        QCOMPARE(errno, EINVAL);
        qaio_spectrum_settings_default(&s);
        qaio_averager *av = qaio_spectrum_averager_new(&s);
        Traces t;
        QCOMPARE(qaio_averager_add(av, nullptr, 1), int(QAIO_EINVAL));
        QCOMPARE(qaio_averager_add(nullptr, t.rec, 1), int(QAIO_EINVAL));
        QCOMPARE(qaio_averager_add(av, t.rec, 1), int(QAIO_EINVAL)); // zero points
        makeRecord(t.rec, "dc level=1", 1e3, 255);
        QCOMPARE(qaio_averager_add(av, t.rec, 1), int(QAIO_EINVAL)); // odd
        makeRecord(t.rec, "dc level=1", 1e3, 256);
        QCOMPARE(qaio_averager_add(av, t.rec, 0), int(QAIO_EINVAL));
        QCOMPARE(qaio_averager_add(av, t.rec, 1.5), int(QAIO_EINVAL));
        t.rec->dx = 0;
        QCOMPARE(qaio_averager_add(av, t.rec, 1), int(QAIO_EINVAL));
        QCOMPARE(qaio_averager_read(av, t.out), int(QAIO_EAGAIN));
        QCOMPARE(qaio_averager_read(av, nullptr), int(QAIO_EINVAL));
        QCOMPARE(qaio_spectrum_set_unit(av, qaio_unit(42)), int(QAIO_EINVAL));
        qaio_averager *mean = qaio_mean_averager_new(QAIO_MEAN_LINEAR);
        QCOMPARE(qaio_spectrum_set_unit(mean, QAIO_UNIT_DBV), int(QAIO_EINVAL));
        QCOMPARE(qaio_spectrum_info(mean, nullptr, nullptr, nullptr, nullptr), int(QAIO_EINVAL));
        qaio_averager_free(mean);
        qaio_averager_free(av);
        qaio_averager_free(nullptr);
        QCOMPARE(qaio_averager_reset(nullptr), int(QAIO_EINVAL));
        QCOMPARE(qaio_window_fill(QAIO_WINDOW_HANN, 0, nullptr), int(QAIO_EINVAL));
        qaio_window w;
        QCOMPARE(qaio_window_parse("Blackman-Harris", &w), 0);
        QCOMPARE(w, QAIO_WINDOW_BLACKMAN_HARRIS);
        QCOMPARE(qaio_window_parse("kaiser", &w), int(QAIO_EINVAL));
        qaio_unit u;
        QCOMPARE(qaio_unit_parse("dbm/hz", &u), 0);
        QCOMPARE(u, QAIO_UNIT_DBM_HZ);
        QCOMPARE(qaio_unit_parse("furlongs", &u), int(QAIO_EINVAL));
        qaio_avg_mode m;
        QCOMPARE(qaio_avg_mode_parse("peak", &m), 0);
        QCOMPARE(m, QAIO_AVG_PEAK);
        QCOMPARE(qaio_avg_mode_parse(nullptr, &m), int(QAIO_EINVAL));
        QCOMPARE(qaio_trace_new(4, QAIO_TRACE_MAX_CHANNELS + 1), nullptr);
        QCOMPARE(qaio_trace_reshape(nullptr, 1, 1), int(QAIO_EINVAL));
        QCOMPARE(qaio_trace_copy(nullptr), nullptr);
        qaio_trace_free(nullptr);
    }
};

QTEST_GUILESS_MAIN(TestInstrSpectrum)
#include "test_instr_spectrum.moc"
