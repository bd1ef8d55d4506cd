// The automatic measurements (measure.h) against theory: a sine between
// sample instants and over a non-integer number of periods, a square wave,
// DC, a sine in Gaussian noise (seeded), and the undefined cases (empty,
// one sample, a NaN, a bad interval, a bad channel). Tolerances are what the
// sampling itself allows, stated beside each check.
#include "testutil.h"

#include <qaio/instr.h>
#include <cmath>
#include <random>
#include <vector>

namespace {
const double kRate = 1e6, kDx = 1 / kRate;

// amp * sin(2 pi f t + phase) + dc, plus Gaussian noise of RMS sigma.
std::vector<float> sine(size_t n, double f, double amp, double dc = 0, double sigma = 0, unsigned seed = 1)
{
    std::mt19937 gen(seed);
    std::normal_distribution<double> noise(0, sigma > 0 ? sigma : 1);
    std::vector<float> y(n);
    for (size_t i = 0; i < n; i++)
        y[i] = float(amp * std::sin(2 * M_PI * f * double(i) * kDx + 0.3) + dc + (sigma > 0 ? noise(gen) : 0));
    return y;
}

bool allNan(const qaio_measurements &m)
{
    for (double v : {m.min, m.max, m.vpp, m.mean, m.rms, m.ac_rms, m.top, m.base, m.amplitude, m.frequency, m.period})
        if (!std::isnan(v))
            return false;
    return m.crossings == 0;
}

bool near(double got, double want, double tol) { return std::fabs(got - want) <= tol; }
#define NEAR(got, want, tol)                                                                                  \
    QVERIFY2(near(got, want, tol), qPrintable(QString("%1 = %2, want %3 +- %4").arg(#got).arg(got, 0, 'g', 9) \
                                                  .arg(want).arg(tol)))
}

class TestMeasure : public QObject {
    Q_OBJECT
private slots:
    // 12.3456 kHz, 1 Vpk on 0.25 V DC, 4096 points at 1 MS/s: 50.57
    // periods. Sampled peaks fall short of 1 V by at most
    // 1 - cos(pi f / fs) = 7.5e-4; the partial period moves the mean by at
    // most 1 / (pi 50.57) of the amplitude, the RMS by less.
    void sineMatchesTheory()
    {
        const double f = 12345.6;
        std::vector<float> y = sine(4096, f, 1.0, 0.25);
        qaio_measurements m;
        QCOMPARE(qaio_measure(y.data(), y.size(), kDx, &m), 0);
        NEAR(m.max, 1.25, 1e-3);
        NEAR(m.min, -0.75, 1e-3);
        NEAR(m.vpp, 2.0, 2e-3);
        NEAR(m.mean, 0.25, 1 / (M_PI * 50.5));
        NEAR(m.ac_rms, 1 / std::sqrt(2.0), 4e-3);
        NEAR(m.rms, std::sqrt(0.5 + 0.0625), 4e-3);
        NEAR(m.frequency, f, 1e-5 * f); // interpolation error only
        NEAR(m.period, 1 / f, 1e-5 / f);
        QVERIFY(m.crossings == 50 || m.crossings == 51);
        // A sine's histogram piles up at its peaks: top and base near them.
        NEAR(m.amplitude, 2.0, 0.05);
    }

    // +-1 V, 1 kHz, 50 % duty: exactly 10 periods in 10000 points. The
    // jump between two samples reads as a crossing half-way: the same
    // offset on every edge, so the period is exact.
    void squareMatchesTheory()
    {
        std::vector<float> y(10000);
        for (size_t i = 0; i < y.size(); i++)
            y[i] = (i / 500) % 2 ? -1.0f : 1.0f;
        qaio_measurements m;
        QCOMPARE(qaio_measure(y.data(), y.size(), kDx, &m), 0);
        QCOMPARE(m.vpp, 2.0);
        QCOMPARE(m.mean, 0.0);
        QCOMPARE(m.rms, 1.0);
        QCOMPARE(m.top, 1.0);
        QCOMPARE(m.base, -1.0);
        QCOMPARE(m.amplitude, 2.0);
        QCOMPARE(m.crossings, size_t(9)); // rising edges after the first fall
        NEAR(m.frequency, 1000.0, 1e-9);
        NEAR(m.period, 1e-3, 1e-15);
        // Overshoot: spikes of 1.5 V at every edge leave top and base at the
        // flat levels, but move max and vpp.
        for (size_t i = 0; i < y.size(); i += 500)
            y[i] *= 1.5f;
        QCOMPARE(qaio_measure(y.data(), y.size(), kDx, &m), 0);
        QCOMPARE(m.top, 1.0);
        QCOMPARE(m.base, -1.0);
        QCOMPARE(m.vpp, 3.0);
    }

    // A 5 % duty pulse train (0 to 1 V, 2 kHz): its mean (50 mV) sits near
    // its base, yet every pulse counts; top and base are its levels.
    void lowDutyPulsesCount()
    {
        std::vector<float> y(10000);
        for (size_t i = 0; i < y.size(); i++)
            y[i] = i % 500 < 25 ? 1.0f : 0.0f;
        qaio_measurements m;
        QCOMPARE(qaio_measure(y.data(), y.size(), kDx, &m), 0);
        NEAR(m.mean, 0.05, 1e-9);
        QCOMPARE(m.top, 1.0);
        QCOMPARE(m.base, 0.0);
        QCOMPARE(m.crossings, size_t(19)); // the first pulse starts the record: no rising edge
        NEAR(m.frequency, 2000.0, 1e-9);
    }

    void dcHasNoFrequency()
    {
        std::vector<float> y(1000, 0.5f);
        qaio_measurements m;
        QCOMPARE(qaio_measure(y.data(), y.size(), kDx, &m), 0);
        QCOMPARE(m.mean, 0.5);
        QCOMPARE(m.rms, 0.5);
        QCOMPARE(m.ac_rms, 0.0);
        QCOMPARE(m.vpp, 0.0);
        QCOMPARE(m.amplitude, 0.0);
        QVERIFY(std::isnan(m.frequency) && std::isnan(m.period));
        QCOMPARE(m.crossings, size_t(0));
        // Less than two periods: one rising crossing, no frequency.
        y = sine(1000, 1500, 1.0);
        QCOMPARE(qaio_measure(y.data(), y.size(), kDx, &m), 0);
        QVERIFY(std::isnan(m.frequency));
        QCOMPARE(m.crossings, size_t(1));
    }

    // 10 kHz, 1 Vpk with 0.1 V and 0.3 V RMS of noise (SNR 17 dB and
    // 7.4 dB), 16384 points: the hysteresis keeps noise at the mean from
    // adding edges, so the count is the periods' and the frequency within
    // 0.2 % (the crossings' jitter, sigma / slope = sigma / (2 pi f A),
    // over 163 periods). RMS: sqrt(A^2 / 2 + sigma^2) within 1 %.
    void noisySineMatchesTheory_data()
    {
        QTest::addColumn<double>("sigma");
        QTest::newRow("0.1 V") << 0.1;
        QTest::newRow("0.3 V") << 0.3;
    }
    void noisySineMatchesTheory()
    {
        QFETCH(double, sigma);
        const double f = 10e3;
        std::vector<float> y = sine(16384, f, 1.0, 0, sigma, 7);
        qaio_measurements m;
        QCOMPARE(qaio_measure(y.data(), y.size(), kDx, &m), 0);
        NEAR(m.frequency, f, 2e-3 * f);
        QVERIFY2(m.crossings >= 162 && m.crossings <= 164, qPrintable(QString::number(m.crossings)));
        NEAR(m.rms, std::sqrt(0.5 + sigma * sigma), 0.01 * std::sqrt(0.5 + sigma * sigma));
        NEAR(m.mean, 0.0, 4 * sigma / std::sqrt(16384.0) + 0.01);
        // Peaks ride on the noise: vpp grows beyond 2 V.
        QVERIFY(m.vpp > 2.0);
    }

    void undefinedInputs()
    {
        qaio_measurements m;
        float one = 0.75f;
        QCOMPARE(qaio_measure(&one, 0, kDx, &m), QAIO_EINVAL);
        QVERIFY(allNan(m));
        QCOMPARE(qaio_measure(nullptr, 10, kDx, &m), QAIO_EINVAL);
        QVERIFY(allNan(m));
        QCOMPARE(qaio_measure(&one, 1, kDx, nullptr), QAIO_EINVAL);
        // One sample: levels, no frequency.
        QCOMPARE(qaio_measure(&one, 1, kDx, &m), 0);
        QCOMPARE(m.mean, 0.75);
        QCOMPARE(m.vpp, 0.0);
        QVERIFY(std::isnan(m.frequency));
        // A NaN (or an infinity) anywhere: nothing is defined.
        std::vector<float> y = sine(1000, 10e3, 1.0);
        y[500] = NAN;
        QCOMPARE(qaio_measure(y.data(), y.size(), kDx, &m), QAIO_EINVAL);
        QVERIFY(allNan(m));
        y[500] = INFINITY;
        QCOMPARE(qaio_measure(y.data(), y.size(), kDx, &m), QAIO_EINVAL);
        y[500] = 0;
        for (double dx : {0.0, -1e-6, double(NAN), double(INFINITY)}) {
            QCOMPARE(qaio_measure(y.data(), y.size(), dx, &m), QAIO_EINVAL);
            QVERIFY(allNan(m));
        }
    }

    // A trace's channel slot and its uniform axis; an explicit axis (not
    // evenly sampled) and a missing channel are refused.
    void traceChannels()
    {
        qaio_trace *t = qaio_trace_new(2000, 2);
        QVERIFY(t);
        t->dx = kDx;
        std::vector<float> a = sine(2000, 5e3, 1.0), b = sine(2000, 20e3, 0.5);
        std::copy(a.begin(), a.end(), t->y[0]);
        std::copy(b.begin(), b.end(), t->y[1]);
        qaio_measurements m;
        QCOMPARE(qaio_measure_trace(t, 1, &m), 0);
        NEAR(m.frequency, 20e3, 20e3 * 1e-5);
        NEAR(m.vpp, 1.0, 1e-3);
        QCOMPARE(qaio_measure_trace(t, 0, &m), 0);
        NEAR(m.frequency, 5e3, 5e3 * 1e-5);
        QCOMPARE(qaio_measure_trace(t, 2, &m), QAIO_EINVAL);
        QVERIFY(allNan(m));
        QCOMPARE(qaio_measure_trace(nullptr, 0, &m), QAIO_EINVAL);
        std::vector<double> x(2000);
        for (size_t i = 0; i < x.size(); i++)
            x[i] = double(i * i);
        QCOMPARE(qaio_trace_set_x(t, x.data()), 0);
        QCOMPARE(qaio_measure_trace(t, 0, &m), QAIO_EINVAL);
        qaio_trace_free(t);
    }
};

QTEST_MAIN(TestMeasure)
#include "test_measure.moc"
