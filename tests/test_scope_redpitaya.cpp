// The Red Pitaya STEMlab 125-14 family: the driver against the "redpitaya"
// personality in every data form the board offers (BIN float32 volts and
// int16 codes, ASCII volts and codes, both input jumpers), the trigger in
// the middle of the 16384-sample buffer, detection from *IDN?, the
// settings mapping (fixed record length, rate as a power-of-two
// decimation), the trigger modes, run_single averaging, and a fake board's
// bad answers.
#include "scope_family.h"

#include <QMap>

using namespace scopefamily;

namespace {
qaio_loop *L;
constexpr size_t kBuffer = 16384;
constexpr double kRate64 = 125e6 / 64; // 84 periods of the 10 kHz sine

qaio_scope_settings settings(qaio_instrument *inst)
{
    qaio_scope_settings s;
    qaio_scpi_scope_get_settings(inst, &s);
    return s;
}

// A board that answers from a table (exact command -> answer), "\r\n"
// ended, and 0,"No error" to SYST:ERR? unless the table says otherwise.
struct FakeBoard {
    QMap<QByteArray, QByteArray> answers;
    qaio_server *srv = nullptr;
    FakeBoard()
    {
        answers["*IDN?"] = "REDPITAYA,INSTR2020,0,01-02";
        answers["ACQ:DEC?"] = "64";
        answers["ACQ:TRIG:LEV?"] = "0";
        answers["ACQ:TRIG:DLY?"] = "8192";
        answers["ACQ:DATA:UNITS?"] = "VOLTS";
        answers["ACQ:TRIG:STAT?"] = "TD";
        answers[":SYSTem:ERRor?"] = "0,\"No error\"";
    }
    void start() { qaio_start_server(L, "127.0.0.1", 0, handler, this, &srv); }
    ~FakeBoard() { qaio_server_close(srv); }
    QByteArray address() const { return "127.0.0.1:" + QByteArray::number(qaio_server_port(srv)); }
    static int handler(qaio_stream *c, void *arg)
    {
        auto *f = static_cast<FakeBoard *>(arg);
        char line[512];
        for (;;) {
            ssize_t n = qaio_stream_readline(c, line, sizeof line, QAIO_FOREVER);
            if (n <= 0)
                return 0;
            QByteArray l = QByteArray(line, int(n)).trimmed();
            if (!l.endsWith('?'))
                continue;
            QByteArray a = f->answers.value(l, "") + "\r\n";
            qaio_stream_write(c, a.constData(), size_t(a.size()));
        }
    }
};

qaio_instrument *connectTo(const QByteArray &addr)
{
    qaio_scpi_scope_options o;
    qaio_scpi_scope_options_default(&o);
    o.address = addr.constData();
    o.driver = "redpitaya";
    o.timeout_s = 2;
    qaio_instrument *inst = nullptr;
    char msg[300];
    int err = qaio_scpi_scope_connect(L, &o, &inst, msg, sizeof msg);
    if (err)
        qWarning("connect: %s", msg);
    return inst;
}
} // namespace

class TestScopeRedPitaya : public QObject {
    Q_OBJECT

    // Both inputs at decimation 64, trigger on IN1's rising edge.
    static void useBothInputs(qaio_instrument *inst)
    {
        qaio_scope_settings s = settings(inst);
        s.channels = 3;
        s.rate = kRate64;
        s.trigger = QAIO_TRIG_NORMAL;
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), 0);
    }

    // One record of both inputs, checked: length, axis, trigger in the
    // middle, the sine on each.
    static void checkRecord(qaio_instrument *inst, double amp = kAmp, double tol = 0.05)
    {
        qaio_trace *rec = qaio_trace_new(0, 0);
        QCOMPARE(qaio_instrument_acquire(inst, rec, 10), 0);
        QCOMPARE(rec->n, kBuffer);
        QCOMPARE(rec->nch, size_t(2));
        QCOMPARE(rec->channel[0], 1);
        QCOMPARE(rec->channel[1], 2);
        QVERIFY(std::fabs(rec->dx - 1 / kRate64) < 1e-15);
        QVERIFY(std::fabs(rec->x0 + 8192 / kRate64) < 1e-12);
        // IN1 crosses 0 V upwards at the trigger, sample 8192 (x = 0).
        QVERIFY2(rec->y[0][8191] < 0.02f && rec->y[0][8192] >= -0.02f && rec->y[0][8200] > rec->y[0][8184],
                 qPrintable(QString("%1 %2").arg(rec->y[0][8191]).arg(rec->y[0][8192])));
        QAIO_CHECK_SINE(rec, 0, amp, kFreq, tol);
        QAIO_CHECK_SINE(rec, 1, amp, kFreq, tol);
        qaio_trace_free(rec);
    }

private slots:
    void init() { L = qaio_loop_get(); }

    void detectedFromIdn()
    {
        Sim sim(L, "redpitaya");
        QVERIFY(sim.srv);
        qaio_instrument *inst = scopefamily::connect(L, sim);
        QVERIFY(inst);
        QCOMPARE(QByteArray(qaio_scpi_scope_driver(inst)), QByteArray("redpitaya"));
        QCOMPARE(QByteArray(qaio_scpi_scope_idn(inst)), QByteArray("REDPITAYA,INSTR2020,0,01-02"));
        qaio_scope_settings s = settings(inst);
        QCOMPARE(s.points, kBuffer);
        QCOMPARE(s.rate, 125e6); // ACQ:RST: decimation 1
        QCOMPARE(qaio_scpi_driver_port(1) > 0, true);
        QCOMPARE(qaio_scpi_server_personality_port("redpitaya"), 5000);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    // The driver's own choice: BIN float32 volts.
    void binaryVolts()
    {
        Sim sim(L, "redpitaya");
        qaio_instrument *inst = scopefamily::connect(L, sim);
        QVERIFY(inst);
        useBothInputs(inst);
        checkRecord(inst);
        char a[64];
        QVERIFY(qaio_scpi_scope_query(inst, "ACQ:DATA:FORMAT?", a, sizeof a) > 0);
        QCOMPARE(QByteArray(a), QByteArray("BIN"));
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    // Whatever form someone left the board in is read correctly.
    void everyDataForm_data()
    {
        QTest::addColumn<QByteArray>("format");
        QTest::addColumn<QByteArray>("units");
        QTest::newRow("ascii volts") << QByteArray("ASCII") << QByteArray("VOLTS");
        QTest::newRow("ascii raw") << QByteArray("ASCII") << QByteArray("RAW");
        QTest::newRow("bin raw") << QByteArray("BIN") << QByteArray("RAW");
        QTest::newRow("bin volts") << QByteArray("BIN") << QByteArray("VOLTS");
    }
    void everyDataForm()
    {
        QFETCH(QByteArray, format);
        QFETCH(QByteArray, units);
        Sim sim(L, "redpitaya");
        qaio_instrument *inst = scopefamily::connect(L, sim);
        QVERIFY(inst);
        useBothInputs(inst);
        QCOMPARE(qaio_scpi_scope_query(inst, "ACQ:DATA:FORMAT " + format, nullptr, 0), 0);
        QCOMPARE(qaio_scpi_scope_query(inst, "ACQ:DATA:UNITS " + units, nullptr, 0), 0);
        checkRecord(inst);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    // The LV jumper: +-1 V full scale, raw codes scaled by 1/8192 V.
    void lowVoltageJumper()
    {
        Sim sim(L, "redpitaya", "sine amp=0.5 freq=10e3; noise rms=1e-3; seed=7");
        qaio_instrument *inst = scopefamily::connect(L, sim);
        QVERIFY(inst);
        useBothInputs(inst);
        for (const char *cmd : {"ACQ:SOUR1:GAIN LV", "ACQ:SOUR2:GAIN LV", "ACQ:DATA:UNITS RAW"})
            QCOMPARE(qaio_scpi_scope_query(inst, cmd, nullptr, 0), 0);
        checkRecord(inst, 0.5, 0.02);
        QCOMPARE(qaio_scpi_scope_query(inst, "ACQ:DATA:FORMAT ASCII", nullptr, 0), 0);
        checkRecord(inst, 0.5, 0.02);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    // Fixed length, rates as decimations: what cannot be made is EIO
    // naming the board and the setting, and the rest is still applied.
    void settingsMapping()
    {
        Sim sim(L, "redpitaya");
        qaio_instrument *inst = scopefamily::connect(L, sim);
        QVERIFY(inst);
        qaio_scope_settings s = settings(inst);
        s.points = 1000;
        s.trigger_level = 0.25;
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), int(QAIO_EIO));
        QByteArray msg = qaio_scpi_scope_last_error(inst);
        QVERIFY2(msg.startsWith("STEMlab 125-14: ") && msg.contains("16384"), msg.constData());
        QCOMPARE(settings(inst).points, kBuffer);
        QCOMPARE(settings(inst).trigger_level, 0.25);

        s = settings(inst);
        s.rate = 1e6; // 125 -> decimation 128
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), int(QAIO_EIO));
        msg = qaio_scpi_scope_last_error(inst);
        QVERIFY2(msg.contains("rate") && msg.contains("decimation 128"), msg.constData());
        QCOMPARE(settings(inst).rate, 125e6 / 128);
        char a[64];
        QVERIFY(qaio_scpi_scope_query(inst, "ACQ:DEC?", a, sizeof a) > 0);
        QCOMPARE(QByteArray(a), QByteArray("128"));

        s = settings(inst);
        s.rate = 125e6 / 1024; // exact
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), 0);
        QCOMPARE(settings(inst).rate, 125e6 / 1024);

        s.slope = QAIO_SLOPE_EITHER;
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), int(QAIO_EIO));
        QVERIFY(QByteArray(qaio_scpi_scope_last_error(inst)).contains("either"));
        QCOMPARE(settings(inst).slope, QAIO_SLOPE_RISING);
        s.slope = QAIO_SLOPE_FALLING;
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), 0);
        QCOMPARE(settings(inst).slope, QAIO_SLOPE_FALLING);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    // Falling edge on IN2; force (ACQ:TRIG NOW); auto with no edge in
    // reach falls back to NOW; normal with no edge times out.
    void triggerModes()
    {
        Sim sim(L, "redpitaya");
        qaio_instrument *inst = scopefamily::connect(L, sim);
        QVERIFY(inst);
        qaio_scope_settings s = settings(inst);
        s.channels = 3;
        s.rate = kRate64;
        s.trigger = QAIO_TRIG_NORMAL;
        s.trigger_source = 2;
        s.slope = QAIO_SLOPE_FALLING;
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), 0);
        qaio_trace *rec = qaio_trace_new(0, 0);
        QCOMPARE(qaio_instrument_acquire(inst, rec, 10), 0);
        QVERIFY(rec->y[1][8191] > -0.02f && rec->y[1][8192] <= 0.02f && rec->y[1][8200] < rec->y[1][8184]);
        QAIO_CHECK_SINE(rec, 1, kAmp, kFreq, 0.05);

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
        // The next acquisition reconnects and works.
        s.trigger_level = 0;
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), 0);
        QCOMPARE(qaio_instrument_acquire(inst, rec, 10), 0);
        qaio_trace_free(rec);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    void runSingleAverages()
    {
        Sim sim(L, "redpitaya");
        qaio_instrument *inst = scopefamily::connect(L, sim);
        QVERIFY(inst);
        useBothInputs(inst);
        qaio_future *f = qaio_instrument_run_single(inst, 4);
        QCOMPARE(qaio_future_result_timeout(f, 30, nullptr), 0);
        void *v = nullptr;
        QCOMPARE(qaio_future_try_result(f, &v), 0);
        auto *avg = static_cast<qaio_trace *>(v);
        QCOMPARE(avg->n, kBuffer);
        QCOMPARE(avg->averages, 4u);
        // Triggered records average coherently: the sine keeps its size.
        QAIO_CHECK_SINE(avg, 0, kAmp, kFreq, 0.05);
        QAIO_CHECK_SINE(avg, 1, kAmp, kFreq, 0.05);
        qaio_future_unref(f);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    // Bad answers: malformed data, a block that is not float32, an
    // unknown trigger state, an error the board reports.
    void badAnswers_data()
    {
        QTest::addColumn<QByteArray>("command");
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<int>("error");
        QTest::addColumn<QByteArray>("words");
        QTest::newRow("ascii") << QByteArray("ACQ:SOUR1:DATA?") << QByteArray("{0.1,0.2,abc}")
                               << int(QAIO_EPROTO) << QByteArray("ASCII data");
        QTest::newRow("block") << QByteArray("ACQ:SOUR1:DATA?")
                               << (QByteArray("#3101") + QByteArray(101, '\0'))
                               << int(QAIO_EPROTO) << QByteArray("101 bytes");
        QTest::newRow("neither") << QByteArray("ACQ:SOUR1:DATA?") << QByteArray("ERR")
                                 << int(QAIO_EPROTO) << QByteArray("'E'");
        QTest::newRow("state") << QByteArray("ACQ:TRIG:STAT?") << QByteArray("BOGUS")
                               << int(QAIO_EPROTO) << QByteArray("BOGUS");
        QTest::newRow("units") << QByteArray("ACQ:DATA:UNITS?") << QByteArray("AMPS")
                               << int(QAIO_EPROTO) << QByteArray("AMPS");
        QTest::newRow("dec") << QByteArray("ACQ:DEC?") << QByteArray("0") << int(QAIO_EPROTO)
                             << QByteArray("ACQ:DEC?");
    }
    void badAnswers()
    {
        QFETCH(QByteArray, command);
        QFETCH(QByteArray, answer);
        QFETCH(int, error);
        QFETCH(QByteArray, words);
        FakeBoard fake;
        fake.start();
        qaio_instrument *inst = connectTo(fake.address());
        QVERIFY(inst);
        fake.answers[command] = answer;
        qaio_trace *rec = qaio_trace_new(0, 0);
        QCOMPARE(qaio_instrument_acquire(inst, rec, 3), error);
        QByteArray msg = qaio_scpi_scope_last_error(inst);
        QVERIFY2(msg.startsWith("STEMlab 125-14: ") && msg.contains(words), msg.constData());
        qaio_trace_free(rec);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    void reportedError()
    {
        FakeBoard fake;
        fake.start();
        qaio_instrument *inst = connectTo(fake.address());
        QVERIFY(inst);
        fake.answers[":SYSTem:ERRor?"] = "-224,\"Illegal parameter value\"";
        qaio_scope_settings s = settings(inst);
        s.rate = 125e6 / 2;
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), int(QAIO_EIO));
        QByteArray msg = qaio_scpi_scope_last_error(inst);
        QVERIFY2(msg.contains("-224,\"Illegal parameter value\""), msg.constData());
        QVERIFY(qaio_scpi_scope_connected(inst));
        QCOMPARE(qaio_instrument_free(inst), 0);
    }
};

QTEST_GUILESS_MAIN(TestScopeRedPitaya)
#include "test_scope_redpitaya.moc"
