// The Rigol DS1000Z family: the driver against the "rigol-ds1000z"
// personality in every :WAVeform:FORMat (BYTE, WORD, ASCii), records read
// from memory in the guide's pieces (250000 / 125000 / 15625 points), the
// trigger at the centre, detection from *IDN?, the settings mapping
// (memory depth and time/div for the requested points and rate, the
// memory split between channels, the rate cap), the trigger modes,
// run_single averaging, and a fake scope's bad answers.
#include "fake_family.h"
#include "scope_family.h"

using namespace scopefamily;

namespace {
qaio_loop *L;

// Sets points and rate on channels (mask): 0 or the error.
int setRecord(qaio_instrument *inst, unsigned channels, size_t points, double rate,
              qaio_trigger_mode mode = QAIO_TRIG_NORMAL)
{
    qaio_scope_settings s = current(inst, channels);
    s.points = points;
    s.rate = rate;
    s.trigger = mode;
    return qaio_scpi_scope_set_settings(inst, &s);
}

// A DS1104Z that answers from a table (exact command -> answer).
void scriptScope(ScriptFake &f)
{
    f.answers["*IDN?"] = "RIGOL TECHNOLOGIES,DS1104Z,DS1ZA000000001,00.04.04.SP4";
    f.answers[":ACQuire:SRATe?"] = "1.000000e+07";
    f.answers[":TIMebase:MAIN:SCALe?"] = "1.000000e-04";
    f.answers[":ACQuire:MDEPth?"] = "12000";
    f.answers[":TRIGger:EDGe:SLOPe?"] = "POS";
    f.answers[":TRIGger:EDGe:SOURce?"] = "CHAN1";
    f.answers[":TRIGger:EDGe:LEVel?"] = "0.000000e+00";
    f.answers[":TRIGger:STATus?"] = "STOP";
    f.answers[":CHANnel3:DISPlay?"] = "0";
    f.answers[":CHANnel4:DISPlay?"] = "0";
    f.answers[":WAVeform:PREamble?"] = "0,2,12000,1,1.000000e-07,-6.000000e-04,0,2.000000e-02,0,127";
    f.answers[":WAVeform:DATA?"] = "#9000012000" + QByteArray(12000, char(127));
    f.answers[":SYSTem:ERRor?"] = "0,\"No error\"";
}

// The record: its length and axis (trigger at the centre), channel 1
// rising through 0 V at x = 0, the sine on every channel.
void checkRecord(qaio_instrument *inst, size_t points, double rate, size_t nch)
{
    qaio_trace *rec = qaio_trace_new(0, 0);
    QCOMPARE(qaio_instrument_acquire(inst, rec, 20), 0);
    QCOMPARE(rec->n, points);
    QCOMPARE(rec->nch, nch);
    QVERIFY(std::fabs(rec->dx * rate - 1) < 1e-6);
    QVERIFY2(std::fabs(rec->x0 + double(points / 2) / rate) < 1e-6 / rate,
             qPrintable(QString::number(rec->x0)));
    size_t t = points / 2; // the trigger sample
    size_t k = size_t(std::max(1.0, rate / kFreq / 20)); // a twentieth of a period
    QVERIFY2(rec->y[0][t - 1] <= 0.021f && rec->y[0][t] >= -0.021f && rec->y[0][t + k] > rec->y[0][t - k],
             qPrintable(QString("%1 %2").arg(rec->y[0][t - 1]).arg(rec->y[0][t])));
    for (size_t c = 0; c < nch; c++)
        QAIO_CHECK_SINE(rec, c, kAmp, kFreq, 0.05);
    qaio_trace_free(rec);
}
} // namespace

class TestScopeRigolDs1000z : public QObject {
    Q_OBJECT
private slots:
    void init() { L = qaio_loop_get(); }

    void detectedFromIdn()
    {
        Sim sim(L, "rigol-ds1000z");
        QVERIFY(sim.srv);
        qaio_instrument *inst = scopefamily::connect(L, sim);
        QVERIFY(inst);
        QCOMPARE(QByteArray(qaio_scpi_scope_driver(inst)), QByteArray("rigol-ds1000z"));
        QVERIFY(QByteArray(qaio_scpi_scope_idn(inst)).startsWith("RIGOL TECHNOLOGIES,DS1104Z,"));
        QCOMPARE(qaio_scpi_server_personality_port("rigol-ds1000z"), 5555);
        // The front panel's defaults: AUTO depth, 100 us/div, 2 channels on.
        qaio_scope_settings s = current(inst);
        QCOMPARE(s.rate, 5e8);
        QCOMPARE(s.points, size_t(600000));
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    // The formats a :WAVeform:FORMat may be in; BYTE is the driver's.
    void everyFormat_data()
    {
        QTest::addColumn<QByteArray>("format");
        QTest::newRow("byte") << QByteArray("BYTE");
        QTest::newRow("word") << QByteArray("WORD");
        QTest::newRow("ascii") << QByteArray("ASCii");
    }
    void everyFormat()
    {
        QFETCH(QByteArray, format);
        Sim sim(L, "rigol-ds1000z");
        qaio_instrument *inst = scopefamily::connect(L, sim);
        QVERIFY(inst);
        // 6000 points at 5 MS/s with two channels: 100 us/div.
        QCOMPARE(setRecord(inst, 3, 6000, 5e6), 0);
        QCOMPARE(current(inst).points, size_t(6000));
        QCOMPARE(current(inst).rate, 5e6);
        char a[64];
        QVERIFY(qaio_scpi_scope_query(inst, ":TIM:SCAL?", a, sizeof a) > 0);
        QCOMPARE(atof(a), 1e-4);
        QCOMPARE(qaio_scpi_scope_query(inst, ":WAV:FORM " + format, nullptr, 0), 0);
        checkRecord(inst, 6000, 5e6, 2);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    // Long records come in the guide's pieces: 1.2M points are five BYTE
    // reads or ten WORD reads, 120000 points eight ASCii reads.
    void longRecordInPieces_data()
    {
        QTest::addColumn<QByteArray>("format");
        QTest::newRow("byte") << QByteArray("BYTE");
        QTest::newRow("word") << QByteArray("WORD");
    }
    void longRecordInPieces()
    {
        QFETCH(QByteArray, format);
        Sim sim(L, "rigol-ds1000z");
        qaio_instrument *inst = scopefamily::connect(L, sim);
        QVERIFY(inst);
        QCOMPARE(setRecord(inst, 1, 1200000, 1e7), 0); // one channel: 1.2M, 10 ms/div
        QCOMPARE(qaio_scpi_scope_query(inst, ":WAV:FORM " + format, nullptr, 0), 0);
        checkRecord(inst, 1200000, 1e7, 1);
        // ASCii: 15625 points a read.
        QCOMPARE(setRecord(inst, 1, 120000, 2e6), 0);
        QCOMPARE(qaio_scpi_scope_query(inst, ":WAV:FORM ASC", nullptr, 0), 0);
        checkRecord(inst, 120000, 2e6, 1);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    // What cannot be made is EIO naming the scope and the setting; what
    // the scope uses is read back.
    void settingsMapping()
    {
        Sim sim(L, "rigol-ds1000z");
        qaio_instrument *inst = scopefamily::connect(L, sim);
        QVERIFY(inst);
        // Points that are no memory depth: the nearest one.
        QCOMPARE(setRecord(inst, 1, 10000, 1e6), int(QAIO_EIO));
        QByteArray msg = qaio_scpi_scope_last_error(inst);
        QVERIFY2(msg.startsWith("DS1104Z: the record length is set by memory depth") &&
                     msg.endsWith("it uses 12000"),
                 msg.constData());
        QCOMPARE(current(inst).points, size_t(12000));
        QCOMPARE(current(inst).rate, 1e6);
        // A rate between time/div steps: 12000 / (12 * 333 us) -> 500 us/div, 2 MS/s.
        QCOMPARE(setRecord(inst, 1, 12000, 3e6), int(QAIO_EIO));
        msg = qaio_scpi_scope_last_error(inst);
        QVERIFY2(msg.contains("sample rate of 3e+06") && msg.contains("it uses 2e+06 S/s"),
                 msg.constData());
        QCOMPARE(current(inst).rate, 2e6);
        // Two channels share the memory: 12000 points become 6000 or 60000.
        QCOMPARE(setRecord(inst, 3, 12000, 1e6), int(QAIO_EIO));
        msg = qaio_scpi_scope_last_error(inst);
        QVERIFY2(msg.contains("with 2 channels on") && msg.contains("6000, 60000"), msg.constData());
        // The rate is capped: 500 MS/s with two channels.
        QCOMPARE(setRecord(inst, 3, 6000, 1e9), int(QAIO_EIO));
        msg = qaio_scpi_scope_last_error(inst);
        QVERIFY2(msg.contains("at most 5e+08") && msg.contains("it uses 5e+08"), msg.constData());
        QCOMPARE(current(inst).rate, 5e8);
        // Exact ones go through.
        QCOMPARE(setRecord(inst, 3, 60000, 1e7), 0);
        QCOMPARE(current(inst).points, size_t(60000));
        QCOMPARE(current(inst).rate, 1e7);
        // Trigger settings read back from the scope.
        qaio_scope_settings s = current(inst);
        s.slope = QAIO_SLOPE_EITHER;
        s.trigger_source = 2;
        s.trigger_level = 0.25;
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), 0);
        s = current(inst);
        QCOMPARE(s.slope, QAIO_SLOPE_EITHER);
        QCOMPARE(s.trigger_source, 2u);
        QCOMPARE(s.trigger_level, 0.25);
        QCOMPARE(ask(inst, ":TRIG:EDG:SLOP?"), QByteArray("RFAL"));
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    // Falling edge on channel 2; force (:TFORce at once); auto with no
    // edge in reach (:TFORce after a while); normal with none times out.
    void triggerModes()
    {
        Sim sim(L, "rigol-ds1000z");
        qaio_instrument *inst = scopefamily::connect(L, sim);
        QVERIFY(inst);
        qaio_scope_settings s = current(inst);
        s.channels = 3;
        s.points = 6000;
        s.rate = 5e6;
        s.trigger = QAIO_TRIG_NORMAL;
        s.trigger_source = 2;
        s.slope = QAIO_SLOPE_FALLING;
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), 0);
        qaio_trace *rec = qaio_trace_new(0, 0);
        QCOMPARE(qaio_instrument_acquire(inst, rec, 10), 0);
        QVERIFY(rec->y[1][2999] >= -0.021f && rec->y[1][3000] <= 0.021f && rec->y[1][3005] < rec->y[1][2995]);
        QAIO_CHECK_SINE(rec, 1, kAmp, kFreq, 0.05);
        checkTriggerFallbacks(inst, s, rec);
        qaio_trace_free(rec);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    void runSingleAverages()
    {
        Sim sim(L, "rigol-ds1000z");
        qaio_instrument *inst = scopefamily::connect(L, sim);
        QVERIFY(inst);
        QCOMPARE(setRecord(inst, 3, 6000, 5e6), 0);
        checkRunSingle(inst, 2, 0.05, 6000);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    // The fake's own record works; then each bad answer is EPROTO with
    // the scope's words.
    void badAnswers_data()
    {
        QTest::addColumn<QByteArray>("command");
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<QByteArray>("words");
        QTest::newRow("preamble") << QByteArray(":WAVeform:PREamble?") << QByteArray("0,2,12000,1")
                                  << QByteArray("preamble '0,2,12000,1'");
        QTest::newRow("format") << QByteArray(":WAVeform:PREamble?")
                                << QByteArray("7,2,12000,1,1e-07,-6e-04,0,0.02,0,127")
                                << QByteArray("malformed");
        QTest::newRow("short block") << QByteArray(":WAVeform:DATA?")
                                     << QByteArray("#9000000010" + QByteArray(10, 'x'))
                                     << QByteArray("a block of 10 bytes for 12000 points");
        QTest::newRow("not a block") << QByteArray(":WAVeform:DATA?") << QByteArray("ERR")
                                     << QByteArray("not 'E'");
        QTest::newRow("status") << QByteArray(":TRIGger:STATus?") << QByteArray("HUH")
                                << QByteArray("HUH");
    }
    void badAnswers()
    {
        QFETCH(QByteArray, command);
        QFETCH(QByteArray, answer);
        QFETCH(QByteArray, words);
        ScriptFake fake("\n");
        scriptScope(fake);
        qaio_instrument *inst = connectTo(L, fake.address(), "rigol-ds1000z", 2);
        QVERIFY(inst);
        qaio_trace *rec = qaio_trace_new(0, 0);
        QCOMPARE(qaio_instrument_acquire(inst, rec, 3), 0); // the fake's flat record
        QCOMPARE(rec->n, size_t(12000));
        QCOMPARE(rec->y[0][0], 0.0f);
        qaio_trace_free(rec);
        fake.answers[command] = answer;
        checkAcquireFails(inst, QAIO_EPROTO, words.constData(), "DS1104Z", 3);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    void reportedError()
    {
        ScriptFake fake("\n");
        scriptScope(fake);
        qaio_instrument *inst = connectTo(L, fake.address(), "rigol-ds1000z", 2);
        QVERIFY(inst);
        fake.answers[":SYSTem:ERRor?"] = "-221,\"Settings conflict\"";
        qaio_scope_settings s = current(inst);
        s.trigger_level = 0.5;
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), int(QAIO_EIO));
        QByteArray msg = qaio_scpi_scope_last_error(inst);
        QVERIFY2(msg.startsWith("DS1104Z: ") && msg.contains("-221,\"Settings conflict\""),
                 msg.constData());
        QVERIFY(qaio_scpi_scope_connected(inst));
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    // An MSO5000 answers "1M" for its depth, has 10 divisions and 8 GS/s:
    // the driver reads and writes its depths in its words.
    void mso5000Model()
    {
        ScriptFake fake("\n");
        scriptScope(fake);
        fake.answers["*IDN?"] = "RIGOL TECHNOLOGIES,MSO5074,MS5A000000001,00.01.02.00.02";
        fake.answers[":ACQuire:MDEPth?"] = "1M";
        fake.answers[":ACQuire:SRATe?"] = "1.000000e+08";
        fake.answers[":TIMebase:MAIN:SCALe?"] = "1.000000e-03";
        qaio_instrument *inst = connectTo(L, fake.address());
        QVERIFY(inst);
        QCOMPARE(QByteArray(qaio_scpi_scope_driver(inst)), QByteArray("rigol-ds1000z"));
        QCOMPARE(current(inst).points, size_t(1000000));
        fake.lines.clear();
        QCOMPARE(setRecord(inst, 1, 10000000, 1e9), 0); // 10M at 1 ms/div over 10 divisions
        QVERIFY2(fake.lines.contains(":ACQuire:MDEPth 10M"), fake.lines.join(" | ").constData());
        QVERIFY(fake.lines.contains(":TIMebase:MAIN:SCALe 0.001"));
        fake.answers[":ACQuire:MDEPth?"] = "AUTO"; // 1e8 S/s x 10 x 1 ms
        QCOMPARE(current(inst).points, size_t(1000000));
        QCOMPARE(setRecord(inst, 1, 30000000, 1e9), int(QAIO_EIO));
        QVERIFY(QByteArray(qaio_scpi_scope_last_error(inst)).startsWith("MSO5074: the record length"));
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    // The simulator's DS1000Z rules: no depth change when stopped, only the
    // depths of the channels on, no :ACQ:SRAT setting, 1-2-5 time/div.
    void personalityRules()
    {
        Sim sim(L, "rigol-ds1000z");
        qaio_instrument *inst = scopefamily::connect(L, sim);
        QVERIFY(inst);
        QCOMPARE(ask(inst, ":STOP;:ACQ:MDEP 12000;:SYST:ERR?").left(5), QByteArray("-221,"));
        QCOMPARE(ask(inst, ":RUN;:ACQ:MDEP 12345;:SYST:ERR?").left(5), QByteArray("-224,"));
        QCOMPARE(ask(inst, ":ACQ:SRAT 1e6;:SYST:ERR?").left(5), QByteArray("-113,"));
        QCOMPARE(ask(inst, ":TIM:SCAL 3e-4;:TIM:SCAL?"), QByteArray("2.000000e-04"));
        QCOMPARE(ask(inst, ":CHAN3:DISP ON;:ACQ:MDEP 3000;:ACQ:MDEP?"), QByteArray("3000"));
        QCOMPARE(ask(inst, ":WAV:SOUR CHAN3;:WAV:MODE NORM;:WAV:PRE?"),
                 QByteArray("0,0,1200,1,2.000000e-06,-1.200000e-03,0,2.000000e-02,0,127"));
        QCOMPARE(ask(inst, ":TRIG:SWE?"), QByteArray("AUTO"));
        QCOMPARE(ask(inst, ":SING;:TRIG:SWE?"), QByteArray("SING"));
        QCOMPARE(qaio_instrument_free(inst), 0);
    }
};

QTEST_GUILESS_MAIN(TestScopeRigolDs1000z)
#include "test_scope_rigol-ds1000z.moc"
