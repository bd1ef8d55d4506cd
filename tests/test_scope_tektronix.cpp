// The tektronix driver against the tektronix-mdo personality: every
// DATa:ENCdg (RIBinary, RPBinary, SRIbinary, SRPbinary with 1 and 2 bytes,
// ASCIi codes) on both channels checked against the known sine through the
// record's own time axis; answers with HEADer ON (long and short) still
// understood; *IDN? auto-detection; the record length / time-per-division
// mapping (read back, and what the scope cannot do is QAIO_EIO naming the
// MDO3024 and the setting); run_single averaging; events read with *ESR?
// and ALLEv?; and a fake MSO giving a short curve and a malformed
// WFMOutpre.
#include "fake_family.h"
#include "scope_family.h"

#include <qaio/instr.h>

using namespace scopefamily;

namespace {
qaio_loop *L;

// A fake MSO: the *IDN? of an MSO54, settings answers, and per mode a
// curve shorter than WFMOutpre says or a WFMOutpre that is not numbers.
enum FakeMode { ShortCurve, BadPreamble };
void scriptTek(ScriptFake &f, FakeMode mode)
{
    f.onStart("*IDN?", "TEKTRONIX,MSO54,B010000,CF:91.1CT FV:1.28.8.6616\n")
        .onStart(":HORizontal:RECOrdlength?", "1000;1.0E-4;AUTO;RISE;CH1\n")
        .onStart(":TRIGger:A:LEVel", "0.0E+0\n")
        .onStart(":ACQuire:STOPAfter", "1;1000\n")
        .onStart(":DATa:SOUrce", mode == ShortCurve
                                     ? "BIN;RI;MSB;1;4.0E-3;0;0;1.0E-7;0;0;1000;#210abcdefghij\n"
                                     : "BIN;RI;MSB;1;4.0E-3;0;0;1.0E-7;0;0;lots;#210abcdefghij\n");
}
} // namespace

class TestScopeTektronix : public QObject {
    Q_OBJECT
private slots:
    void init() { L = qaio_loop_get(); }

    void detectsFromIdn()
    {
        Sim sim(L, "tektronix-mdo");
        QVERIFY(sim.srv);
        Inst inst(scopefamily::connect(L, sim));
        QVERIFY(inst.p);
        QCOMPARE(QByteArray(qaio_scpi_scope_driver(inst.p)), QByteArray("tektronix"));
        QVERIFY(QByteArray(qaio_scpi_scope_idn(inst.p)).startsWith("TEKTRONIX,MDO3024,"));
        QCOMPARE(qaio_scpi_server_personality_port("tektronix-mdo"), 4000);
        // The connection turned headers off and chose 16-bit RIBinary.
        QCOMPARE(ask(inst.p, "HEADer?;:DATa:ENCdg?;:WFMOutpre:BYT_Nr?"),
                 QByteArray("0;RIBINARY;2"));
    }

    void everyEncoding_data()
    {
        QTest::addColumn<QByteArray>("setup");
        QTest::addColumn<double>("tol");
        QTest::newRow("ribinary 2") << QByteArray("DATa:ENCdg RIBinary;:WFMO:BYT_N 2") << 0.01;
        QTest::newRow("ribinary 1") << QByteArray("DATa:ENCdg RIB;:WFMO:BYT_N 1") << 0.02;
        QTest::newRow("rpbinary 2") << QByteArray("DATa:ENCdg RPBinary;:WFMO:BYT_N 2") << 0.01;
        QTest::newRow("rpbinary 1") << QByteArray("DATa:ENCdg RPB;:WFMO:BYT_N 1") << 0.02;
        QTest::newRow("sribinary 2") << QByteArray("DATa:ENCdg SRIbinary;:WFMO:BYT_N 2") << 0.01;
        QTest::newRow("sribinary 1") << QByteArray("DATa:ENCdg SRI;:DATa:WIDth 1") << 0.02;
        QTest::newRow("srpbinary 2") << QByteArray("DATa:ENCdg SRPbinary;:WFMO:BYT_N 2") << 0.01;
        QTest::newRow("srpbinary 1") << QByteArray("DATa:ENCdg SRP;:WFMO:BYT_N 1") << 0.02;
        QTest::newRow("ascii 2") << QByteArray("DATa:ENCdg ASCIi;:WFMO:BYT_N 2") << 0.01;
        QTest::newRow("ascii 1") << QByteArray("DATa:ENCdg ASCii;:WFMO:BYT_N 1") << 0.02;
        QTest::newRow("headers long") << QByteArray("HEADer ON;:VERBose ON") << 0.01;
        QTest::newRow("headers short") << QByteArray("HEADer ON;:VERBose OFF") << 0.01;
        QTest::newRow("headers ascii") << QByteArray("HEADer 1;:DATa:ENCdg ASCIi") << 0.01;
        QTest::newRow("position and offset")
            << QByteArray("CH1:SCAle 0.3;POSition 1;OFFSet 0.2;:CH2:SCAle 0.4;POSition -2") << 0.02;
    }

    void everyEncoding()
    {
        QFETCH(QByteArray, setup);
        QFETCH(double, tol);
        Sim sim(L, "tektronix-mdo");
        Inst inst(scopefamily::connect(L, sim, "tektronix"));
        QVERIFY(inst.p);
        QCOMPARE(setChannels(inst.p, 3), 0);
        QCOMPARE(qaio_scpi_scope_query(inst.p, setup.constData(), nullptr, 0), 0);
        qaio_trace *rec = qaio_trace_new(0, 0);
        int err = acquire(inst.p, rec);
        QVERIFY2(err == 0, qaio_scpi_scope_last_error(inst.p));
        // *RST's 10000 points over 100 us/div: 100 ns apart, 10 periods.
        QCOMPARE(rec->n, size_t(10000));
        QVERIFY(std::fabs(rec->dx - 1e-7) < 1e-15);
        checkBothSines(rec, tol);
        qaio_trace_free(rec);
        // Headers as the manual shows them.
        if (setup.startsWith("HEADer ON;:VERBose ON"))
            QVERIFY(ask(inst.p, "WFMOutpre:YMUlt?").startsWith(":WFMOUTPRE:YMULT "));
        if (setup.startsWith("HEADer ON;:VERBose OFF"))
            QCOMPARE(ask(inst.p, "DATA:ENCDG?;:HOR:RECO?"), QByteArray(":DAT:ENC RIB;:HOR:RECO 10000"));
    }

    void settingsMapToRecordLengthAndScale()
    {
        Sim sim(L, "tektronix-mdo");
        Inst inst(scopefamily::connect(L, sim));
        QVERIFY(inst.p);
        qaio_scope_settings s;
        QCOMPARE(qaio_scpi_scope_get_settings(inst.p, &s), 0);
        QCOMPARE(s.points, size_t(10000));
        QCOMPARE(s.rate, 1e7);
        // 1000 points at 1 MS/s: 100 us/div.
        s.points = 1000;
        s.rate = 1e6;
        s.trigger = QAIO_TRIG_NORMAL;
        s.slope = QAIO_SLOPE_FALLING;
        s.trigger_source = 2;
        s.trigger_level = -0.2;
        QVERIFY2(qaio_scpi_scope_set_settings(inst.p, &s) == 0, qaio_scpi_scope_last_error(inst.p));
        qaio_scope_settings got;
        QCOMPARE(qaio_scpi_scope_get_settings(inst.p, &got), 0);
        QCOMPARE(got.points, size_t(1000));
        QCOMPARE(got.rate, 1e6);
        QCOMPARE(got.trigger, QAIO_TRIG_NORMAL);
        QCOMPARE(got.slope, QAIO_SLOPE_FALLING);
        QCOMPARE(got.trigger_source, 2u);
        QCOMPARE(got.trigger_level, -0.2);
        QCOMPARE(ask(inst.p, "HORizontal:SCAle?;RECOrdlength?;:TRIGger:A:LEVel:CH2?;:TRIG:A:EDGE:SOU?"),
                 QByteArray("1.000000E-04;1000;-2.000000E-01;CH2"));
        qaio_trace *rec = qaio_trace_new(0, 0);
        QCOMPARE(acquire(inst.p, rec), 0);
        QCOMPARE(rec->n, size_t(1000));
        QAIO_CHECK_SINE(rec, 0, kAmp, kFreq, 0.01);
        qaio_trace_free(rec);

        // 1024 points: the MDO's lengths are 1k, 10k, 100k, 1M.
        s.points = 1024;
        QCOMPARE(qaio_scpi_scope_set_settings(inst.p, &s), QAIO_EIO);
        QByteArray msg = qaio_scpi_scope_last_error(inst.p);
        QVERIFY2(msg.startsWith("MDO3024: ") && msg.contains("1024 points") &&
                     msg.contains("it uses 1000 points"),
                 msg.constData());
        QVERIFY(qaio_scpi_scope_connected(inst.p));
        // 3 MS/s on 10000 points wants 333 us/div; the 1-2-4 sequence has 400.
        s.points = 10000;
        s.rate = 3e6;
        QCOMPARE(qaio_scpi_scope_set_settings(inst.p, &s), QAIO_EIO);
        msg = qaio_scpi_scope_last_error(inst.p);
        QVERIFY2(msg.contains("0.0004 s/div") && msg.contains("2.5e+06 Sa/s"), msg.constData());
        QCOMPARE(qaio_scpi_scope_get_settings(inst.p, &got), 0);
        QCOMPARE(got.rate, 2.5e6);
        // FORCE is AUTO, and says so.
        s.rate = 1e7;
        s.trigger = QAIO_TRIG_FORCE;
        QCOMPARE(qaio_scpi_scope_set_settings(inst.p, &s), QAIO_EIO);
        QVERIFY(QByteArray(qaio_scpi_scope_last_error(inst.p)).contains("FORCE"));
        QCOMPARE(ask(inst.p, "TRIGger:A:MODe?"), QByteArray("AUTO"));
    }

    void runSingleAverages()
    {
        Sim sim(L, "tektronix-mdo");
        Inst inst(scopefamily::connect(L, sim));
        QVERIFY(inst.p);
        checkRunSingle(inst.p, 1, 0.01);
        // The scope's own averaging.
        QCOMPARE(qaio_scpi_scope_query(inst.p, "ACQuire:MODe AVErage;NUMAVg 4", nullptr, 0), 0);
        qaio_trace *rec = qaio_trace_new(0, 0);
        QCOMPARE(acquire(inst.p, rec), 0);
        QAIO_CHECK_SINE(rec, 0, kAmp, kFreq, 0.01);
        QCOMPARE(ask(inst.p, "ACQuire:MODe?;NUMAVg?"), QByteArray("AVERAGE;4"));
        qaio_trace_free(rec);
    }

    void eventsAndBadAnswers()
    {
        {
            // An event in the scope's queue: *ESR? makes it readable,
            // ALLEv? words it, the driver reports it.
            Sim sim(L, "tektronix-mdo");
            Inst inst(scopefamily::connect(L, sim));
            QVERIFY(inst.p);
            QCOMPARE(ask(inst.p, "EVMsg?"), QByteArray("0,\"No events to report - queue empty\""));
            QCOMPARE(qaio_scpi_scope_query(inst.p, "HORizontal:FOO 1", nullptr, 0), 0);
            QCOMPARE(ask(inst.p, "EVMsg?"),
                     QByteArray("1,\"No events to report - new events pending *ESR?\""));
            qaio_scope_settings s;
            QCOMPARE(qaio_scpi_scope_get_settings(inst.p, &s), 0);
            s.slope = QAIO_SLOPE_EITHER;
            QCOMPARE(qaio_scpi_scope_set_settings(inst.p, &s), QAIO_EIO);
            QByteArray msg = qaio_scpi_scope_last_error(inst.p);
            QVERIFY2(msg.startsWith("MDO3024: 113,\"Undefined header"), msg.constData());
            QCOMPARE(ask(inst.p, "*ESR?;ALLEv?"), QByteArray("0;0,\"No events to report - queue empty\""));
        }
        {
            ScriptFake f;
            scriptTek(f, ShortCurve);
            Inst inst(connectTo(L, f.address(), nullptr, 2));
            QVERIFY(inst.p);
            QCOMPARE(QByteArray(qaio_scpi_scope_driver(inst.p)), QByteArray("tektronix"));
            checkAcquireFails(inst.p, QAIO_EPROTO, "10 bytes", "MSO54", 10);
        }
        {
            ScriptFake f;
            scriptTek(f, BadPreamble);
            Inst inst(connectTo(L, f.address(), nullptr, 2));
            QVERIFY(inst.p);
            checkAcquireFails(inst.p, QAIO_EPROTO, "lots", nullptr, 10);
        }
    }
};

QTEST_GUILESS_MAIN(TestScopeTektronix)
#include "test_scope_tektronix.moc"
