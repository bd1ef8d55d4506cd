// The Red Pitaya STEMlab 125-14 family: the driver against the "redpitaya"
// personality in every data form the board offers (BIN float32 volts and
// int16 codes, ASCII volts and codes, both input jumpers), the trigger in
// the middle of the 16384-sample buffer, detection from *IDN?, the
// settings mapping (fixed record length, rate as a power-of-two
// decimation), the trigger modes, run_single averaging, and a fake board's
// bad answers.
#include "fake_family.h"
#include "scope_family.h"

using namespace scopefamily;

namespace {
qaio_loop *L;
constexpr size_t kBuffer = 16384;
constexpr double kRate64 = 125e6 / 64; // 84 periods of the 10 kHz sine

// A board that answers from a table (exact command -> answer), "\r\n"
// ended, and 0,"No error" to SYST:ERR? unless the table says otherwise.
void scriptBoard(ScriptFake &f)
{
    f.answers["*IDN?"] = "REDPITAYA,INSTR2020,0,01-02";
    f.answers["ACQ:DEC?"] = "64";
    f.answers["ACQ:TRIG:LEV?"] = "0";
    f.answers["ACQ:TRIG:DLY?"] = "8192";
    f.answers["ACQ:DATA:UNITS?"] = "VOLTS";
    f.answers["ACQ:TRIG:STAT?"] = "TD";
    f.answers[":SYSTem:ERRor?"] = "0,\"No error\"";
}
} // namespace

class TestScopeRedPitaya : public QObject {
    Q_OBJECT

    // Both inputs at decimation 64, trigger on IN1's rising edge.
    static void useBothInputs(qaio_instrument *inst)
    {
        qaio_scope_settings s = current(inst);
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
        qaio_scope_settings s = current(inst);
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
        QCOMPARE(ask(inst, "ACQ:DATA:FORMAT?"), QByteArray("BIN"));
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
        qaio_scope_settings s = current(inst);
        s.points = 1000;
        s.trigger_level = 0.25;
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), int(QAIO_EIO));
        QByteArray msg = qaio_scpi_scope_last_error(inst);
        QVERIFY2(msg.startsWith("STEMlab 125-14: ") && msg.contains("16384"), msg.constData());
        QCOMPARE(current(inst).points, kBuffer);
        QCOMPARE(current(inst).trigger_level, 0.25);

        s = current(inst);
        s.rate = 1e6; // 125 -> decimation 128
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), int(QAIO_EIO));
        msg = qaio_scpi_scope_last_error(inst);
        QVERIFY2(msg.contains("rate") && msg.contains("decimation 128"), msg.constData());
        QCOMPARE(current(inst).rate, 125e6 / 128);
        QCOMPARE(ask(inst, "ACQ:DEC?"), QByteArray("128"));

        s = current(inst);
        s.rate = 125e6 / 1024; // exact
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), 0);
        QCOMPARE(current(inst).rate, 125e6 / 1024);

        s.slope = QAIO_SLOPE_EITHER;
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), int(QAIO_EIO));
        QVERIFY(QByteArray(qaio_scpi_scope_last_error(inst)).contains("either"));
        QCOMPARE(current(inst).slope, QAIO_SLOPE_RISING);
        s.slope = QAIO_SLOPE_FALLING;
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), 0);
        QCOMPARE(current(inst).slope, QAIO_SLOPE_FALLING);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    // Falling edge on IN2; force (ACQ:TRIG NOW); auto with no edge in
    // reach falls back to NOW; normal with no edge times out.
    void triggerModes()
    {
        Sim sim(L, "redpitaya");
        qaio_instrument *inst = scopefamily::connect(L, sim);
        QVERIFY(inst);
        qaio_scope_settings s = current(inst);
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
        checkTriggerFallbacks(inst, s, rec);
        qaio_trace_free(rec);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    void runSingleAverages()
    {
        Sim sim(L, "redpitaya");
        qaio_instrument *inst = scopefamily::connect(L, sim);
        QVERIFY(inst);
        useBothInputs(inst);
        // Triggered records average coherently: the sine keeps its size.
        checkRunSingle(inst, 2, 0.05, kBuffer);
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
        ScriptFake fake("\r\n");
        scriptBoard(fake);
        qaio_instrument *inst = connectTo(L, fake.address(), "redpitaya", 2);
        QVERIFY(inst);
        fake.answers[command] = answer;
        checkAcquireFails(inst, error, words.constData(), "STEMlab 125-14", 3);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    void reportedError()
    {
        ScriptFake fake("\r\n");
        scriptBoard(fake);
        qaio_instrument *inst = connectTo(L, fake.address(), "redpitaya", 2);
        QVERIFY(inst);
        fake.answers[":SYSTem:ERRor?"] = "-224,\"Illegal parameter value\"";
        qaio_scope_settings s = current(inst);
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
