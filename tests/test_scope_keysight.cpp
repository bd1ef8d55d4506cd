// The keysight-3000x driver against the keysight-3000x personality: every
// :WAVeform:FORMat (BYTE and WORD, both byte orders, signed and unsigned,
// ASCii in volts) on both channels checked against the known sine through
// the record's own time axis; *IDN? auto-detection; the time-range mapping
// (points and rate -> :TIMebase:RANGe and :WAVeform:POINts, read back, and
// what cannot be had is QAIO_EIO naming the DSOX3024T and the setting);
// run_single averaging; and a fake InfiniiVision giving a short block, a
// malformed preamble and an error in :SYSTem:ERRor?.
#include "fake_family.h"
#include "scope_family.h"

#include <qaio/instr.h>

using namespace scopefamily;

namespace {
qaio_loop *L;

// A fake InfiniiVision: the *IDN? of a DSO-X 3034A, settings answers, and
// per mode a bad record or a bad error queue.
enum FakeMode { ShortBlock, BadPreamble, ErrorQueue };
void scriptKs(ScriptFake &f, FakeMode mode)
{
    f.onStart("*IDN?", "AGILENT TECHNOLOGIES,DSO-X 3034A,MY52160000,02.41.2015102200\n")
        .onStart(":WAVeform:POINts?", "+1000;+1.0000E-03;AUTO;POS;CHAN1;+0.0E+00\n")
        .onStart(":SYSTem:ERRor?",
                 mode == ErrorQueue ? "-222,\"Data out of range\"\n" : "+0,\"No error\"\n")
        .onStart(":DIG", mode == ShortBlock
                             // 1000 BYTE points announced, a block of 10 bytes.
                             ? "MSBF;1;+0,+0,+1000,+1,+1.0E-06,+0.0E+00,+0,+1.0E-02,+0.0E+00,+128;"
                               "#800000010abcdefghij\n"
                             : "MSBF;1;+0,+0,+1000,banana;#800000010abcdefghij\n");
}
} // namespace

class TestScopeKeysight : public QObject {
    Q_OBJECT
private slots:
    void init() { L = qaio_loop_get(); }

    void detectsFromIdn()
    {
        Sim sim(L, "keysight-3000x");
        QVERIFY(sim.srv);
        Inst inst(scopefamily::connect(L, sim));
        QVERIFY(inst.p);
        QCOMPARE(QByteArray(qaio_scpi_scope_driver(inst.p)), QByteArray("keysight-3000x"));
        QVERIFY(QByteArray(qaio_scpi_scope_idn(inst.p)).startsWith("KEYSIGHT TECHNOLOGIES,DSOX3024T"));
        QCOMPARE(qaio_scpi_server_personality_port("keysight-3000x"), 5025);
        // The connection selected the native format.
        QCOMPARE(ask(inst.p, ":WAV:FORM?;:WAV:BYT?;:WAV:UNS?;:WAV:POIN:MODE?"),
                 QByteArray("WORD;MSBF;1;RAW"));
    }

    void everyFormat_data()
    {
        QTest::addColumn<QByteArray>("setup");
        QTest::addColumn<double>("tol");
        QTest::newRow("word msb unsigned") << QByteArray(":WAV:FORM WORD;BYT MSBF;UNS ON") << 0.01;
        QTest::newRow("word lsb unsigned") << QByteArray(":WAV:FORM WORD;BYT LSBF;UNS ON") << 0.01;
        QTest::newRow("word msb signed") << QByteArray(":WAV:FORM WORD;BYT MSBF;UNS OFF") << 0.01;
        QTest::newRow("word lsb signed") << QByteArray(":WAV:FORM WORD;BYT LSBF;UNS 0") << 0.01;
        QTest::newRow("byte unsigned") << QByteArray(":WAV:FORM BYTE;UNS 1") << 0.02;
        QTest::newRow("byte signed") << QByteArray(":WAV:FORM BYTE;UNS OFF") << 0.02;
        QTest::newRow("ascii") << QByteArray(":WAV:FORM ASCii") << 0.01;
    }

    void everyFormat()
    {
        QFETCH(QByteArray, setup);
        QFETCH(double, tol);
        Sim sim(L, "keysight-3000x");
        Inst inst(scopefamily::connect(L, sim, "keysight-3000x"));
        QVERIFY(inst.p);
        QCOMPARE(setChannels(inst.p, 3), 0);
        QCOMPARE(qaio_scpi_scope_query(inst.p, setup.constData(), nullptr, 0), 0);
        qaio_trace *rec = qaio_trace_new(0, 0);
        int err = acquire(inst.p, rec);
        QVERIFY2(err == 0, qaio_scpi_scope_last_error(inst.p));
        // *RST's 100 us/div and 1000 points: 1 us apart, 10 periods.
        QCOMPARE(rec->n, size_t(1000));
        QVERIFY(std::fabs(rec->dx - 1e-6) < 1e-15);
        checkBothSines(rec, tol);
        QCOMPARE(ask(inst.p, ":SYST:ERR?"), QByteArray("+0,\"No error\""));
        qaio_trace_free(rec);
    }

    void offsetAndScaleFollowThePreamble()
    {
        // yorigin (the channel offset) and a finer V/div change the codes,
        // not the volts.
        Sim sim(L, "keysight-3000x");
        Inst inst(scopefamily::connect(L, sim));
        QVERIFY(inst.p);
        QCOMPARE(qaio_scpi_scope_query(inst.p, ":CHAN1:SCAL 0.3;OFFS 0.2;:WAV:FORM BYTE", nullptr, 0), 0);
        qaio_trace *rec = qaio_trace_new(0, 0);
        QCOMPARE(acquire(inst.p, rec), 0);
        QAIO_CHECK_SINE(rec, 0, kAmp, kFreq, 0.02);
        qaio_trace_free(rec);
    }

    void settingsMapToTheTimebase()
    {
        Sim sim(L, "keysight-3000x");
        Inst inst(scopefamily::connect(L, sim));
        QVERIFY(inst.p);
        qaio_scope_settings s;
        QCOMPARE(qaio_scpi_scope_get_settings(inst.p, &s), 0);
        QCOMPARE(s.points, size_t(1000));
        QCOMPARE(s.rate, 1e6);
        // 4000 points at 2 MS/s: a 2 ms range, 200 us/div.
        s.points = 4000;
        s.rate = 2e6;
        s.trigger = QAIO_TRIG_NORMAL;
        s.slope = QAIO_SLOPE_FALLING;
        s.trigger_level = 0.1;
        QVERIFY2(qaio_scpi_scope_set_settings(inst.p, &s) == 0, qaio_scpi_scope_last_error(inst.p));
        qaio_scope_settings got;
        QCOMPARE(qaio_scpi_scope_get_settings(inst.p, &got), 0);
        QCOMPARE(got.points, size_t(4000));
        QCOMPARE(got.rate, 2e6);
        QCOMPARE(got.trigger, QAIO_TRIG_NORMAL);
        QCOMPARE(got.slope, QAIO_SLOPE_FALLING);
        QCOMPARE(got.trigger_level, 0.1);
        QCOMPARE(ask(inst.p, ":TIM:SCAL?;:TIM:RANG?;:WAV:POIN?"),
                 QByteArray("+2.0000000000E-04;+2.0000000000E-03;+4000"));
        qaio_trace *rec = qaio_trace_new(0, 0);
        QCOMPARE(acquire(inst.p, rec), 0);
        QCOMPARE(rec->n, size_t(4000));
        QVERIFY(std::fabs(rec->dx - 0.5e-6) < 1e-15);
        QAIO_CHECK_SINE(rec, 0, kAmp, kFreq, 0.01);

        // More points than 4 Mpts of memory give: refused, naming what it uses.
        s.points = 5000000;
        s.rate = 1e6;
        QCOMPARE(qaio_scpi_scope_set_settings(inst.p, &s), QAIO_EIO);
        QByteArray msg = qaio_scpi_scope_last_error(inst.p);
        QVERIFY2(msg.startsWith("DSOX3024T: ") && msg.contains("5000000 points") &&
                     msg.contains("it uses 2500000 points"),
                 msg.constData());
        QVERIFY(qaio_scpi_scope_connected(inst.p));
        QCOMPARE(qaio_scpi_scope_get_settings(inst.p, &got), 0);
        QCOMPARE(got.points, size_t(2500000));
        // Over the ADC's 5 GSa/s.
        s.points = 1000;
        s.rate = 1e10;
        QCOMPARE(qaio_scpi_scope_set_settings(inst.p, &s), QAIO_EIO);
        QVERIFY(QByteArray(qaio_scpi_scope_last_error(inst.p)).contains("1e+10 Sa/s"));
        // A SINGLE sweep is NORMal, and says so.
        s.rate = 1e6;
        s.trigger = QAIO_TRIG_SINGLE;
        QCOMPARE(qaio_scpi_scope_set_settings(inst.p, &s), QAIO_EIO);
        QVERIFY(QByteArray(qaio_scpi_scope_last_error(inst.p)).contains("SINGLE"));
        QCOMPARE(ask(inst.p, ":TRIG:SWE?"), QByteArray("NORM"));
        // Nothing the driver sent was refused (it never writes :ACQ:SRAT
        // or :ACQ:POIN, which are queries only).
        QCOMPARE(ask(inst.p, ":SYST:ERR?"), QByteArray("+0,\"No error\""));
        qaio_trace_free(rec);
    }

    void pointsChangedAfterDigitize()
    {
        // The guide's example: :DIGitize first, then RAW and 10240 points of
        // the 4 Mpt raw record (2 GSa/s over 2 ms): decimated by 391.
        Sim sim(L, "keysight-3000x");
        Inst inst(scopefamily::connect(L, sim));
        QVERIFY(inst.p);
        QCOMPARE(ask(inst.p, ":TIM:SCAL 2e-4;:WAV:POIN:MODE NORM;:WAV:POIN 1000;:DIG CHAN1;"
                             ":ACQ:SRAT?;:ACQ:POIN?;:WAV:POIN?"),
                 QByteArray("+2.00000E+09;+4000000;+1000"));
        QCOMPARE(ask(inst.p, ":WAV:POIN:MODE RAW;:WAV:POIN 10240;:WAV:POIN?"), QByteArray("+10230"));
        QVERIFY2(ask(inst.p, ":WAV:PRE?").startsWith("+1,+0,+10230,+1,+1.9550000000E-07,"),
                 ask(inst.p, ":WAV:PRE?").constData());
        // NORMal: at most the 62,500-point measurement record.
        QCOMPARE(ask(inst.p, ":WAV:POIN:MODE NORM;:WAV:POIN MAX;:WAV:POIN?"), QByteArray("+62500"));
        QCOMPARE(ask(inst.p, ":SYST:ERR?"), QByteArray("+0,\"No error\""));
    }

    void runSingleAverages()
    {
        Sim sim(L, "keysight-3000x");
        Inst inst(scopefamily::connect(L, sim));
        QVERIFY(inst.p);
        checkRunSingle(inst.p, 1, 0.01);
        // The scope's own averaging answers in the preamble (type 2, count).
        QCOMPARE(qaio_scpi_scope_query(inst.p, ":ACQ:TYPE AVER;:ACQ:COUN 4", nullptr, 0), 0);
        qaio_trace *rec = qaio_trace_new(0, 0);
        QCOMPARE(acquire(inst.p, rec), 0);
        QAIO_CHECK_SINE(rec, 0, kAmp, kFreq, 0.01);
        QVERIFY(ask(inst.p, ":WAV:PRE?").startsWith("+1,+2,+1000,+4,"));
        qaio_trace_free(rec);
    }

    void badAnswers()
    {
        {
            ScriptFake f;
            scriptKs(f, ShortBlock);
            Inst inst(connectTo(L, f.address(), nullptr, 2));
            QVERIFY(inst.p);
            QCOMPARE(QByteArray(qaio_scpi_scope_driver(inst.p)), QByteArray("keysight-3000x"));
            checkAcquireFails(inst.p, QAIO_EPROTO, "10 bytes", "DSO-X 3034A", 10);
        }
        {
            ScriptFake f;
            scriptKs(f, BadPreamble);
            Inst inst(connectTo(L, f.address(), nullptr, 2));
            QVERIFY(inst.p);
            checkAcquireFails(inst.p, QAIO_EPROTO, "banana", nullptr, 10);
        }
        {
            ScriptFake f;
            scriptKs(f, ErrorQueue);
            Inst inst(connectTo(L, f.address(), nullptr, 2));
            QVERIFY(inst.p);
            qaio_scope_settings s;
            QCOMPARE(qaio_scpi_scope_get_settings(inst.p, &s), 0);
            s.trigger_level = 50;
            QCOMPARE(qaio_scpi_scope_set_settings(inst.p, &s), QAIO_EIO);
            QByteArray msg = qaio_scpi_scope_last_error(inst.p);
            QVERIFY2(msg == "DSO-X 3034A: -222,\"Data out of range\"", msg.constData());
        }
        // The personality's own error queue, through the driver.
        Sim sim(L, "keysight-3000x");
        Inst inst(scopefamily::connect(L, sim));
        QVERIFY(inst.p);
        QCOMPARE(qaio_scpi_scope_query(inst.p, ":ACQ:SRAT 1e9", nullptr, 0), 0);
        qaio_scope_settings s;
        QCOMPARE(qaio_scpi_scope_get_settings(inst.p, &s), 0);
        s.slope = QAIO_SLOPE_EITHER;
        QCOMPARE(qaio_scpi_scope_set_settings(inst.p, &s), QAIO_EIO);
        QVERIFY2(QByteArray(qaio_scpi_scope_last_error(inst.p)).contains("-113,\"Undefined header"),
                 qaio_scpi_scope_last_error(inst.p));
    }
};

QTEST_GUILESS_MAIN(TestScopeKeysight)
#include "test_scope_keysight.moc"
