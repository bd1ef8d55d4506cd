// The rs-rtb2000 family: the driver against its personality (an RTB2004):
// both channels of the known sine in every data format (REAL,32 in both
// byte orders, UINT,8 and UINT,16 through yOrigin/yIncrement, ASCii),
// detection from *IDN?, the record-length/time-scale model, run_single
// averaging, the error queue, and broken headers and blocks from a
// scripted instrument.
#include "fake_family.h"
#include "scope_family.h"

using namespace scopefamily;

namespace {
qaio_loop *L;
const char *kFamily = "rs-rtb2000";

void scriptScope(ScriptFake &f, const QByteArray &header, const QByteArray &data)
{
    f.on("*IDN?", "Rohde&Schwarz,RTB2004,1333.1005k04/123456,02.300\n")
        .on("SINGle;*OPC?", "1\n")
        .on("HEADer?", header)
        .on("XORigin?", "-5E-4\n")
        .on("XINCrement?", "1E-4\n")
        .on("BORDer?", "LSBF\n")
        .on("FORMat:DATA?", "REAL,32\n")
        .on("CHANnel1:DATA?", data)
        .on("ACQuire:SRATe?", "1E4\n")
        .on("ACQuire:POINts?", "10\n")
        .on("TRIGger:A:MODE?", "AUTO\n")
        .on("TRIGger:A:SOURce?", "CH1\n")
        .on("TRIGger:A:EDGE:SLOPe?", "POS\n")
        .on("TRIGger:A:LEVel1:VALue?", "0\n")
        .on(":SYSTem:ERRor?", "0,\"No error\"\n");
}
}

class TestScopeRsRtb2000 : public QObject {
    Q_OBJECT
private slots:
    void init() { L = qaio_loop_get(); }

    void everyFormatBothChannels()
    {
        Sim sim(L, kFamily);
        QVERIFY(sim.srv);
        qaio_instrument *inst = scopefamily::connect(L, sim, kFamily);
        QVERIFY(inst);
        qaio_scope_settings s = current(inst, 3);
        QCOMPARE(s.points, size_t(10000));
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), 0);
        char a[64];
        QCOMPARE(qaio_scpi_scope_query(inst, "CHAN2:OFFS 0.3", a, sizeof a), 0);
        struct {
            const char *cmd;
            double tol;
        } formats[] = {
            {"FORM REAL,32;:FORM:BORD LSBF", 0.01}, // the driver's own choice
            {"FORM:BORD MSBF", 0.01},
            {"FORM UINT,8", 0.03},
            {"FORM UINT,16", 0.01}, // still MSB first
            {"FORM:BORD LSBF", 0.01},
            {"FORM ASC", 0.01},
        };
        qaio_trace *rec = qaio_trace_new(0, 0);
        for (auto &f : formats) {
            QCOMPARE(qaio_scpi_scope_query(inst, f.cmd, a, sizeof a), 0);
            QCOMPARE(qaio_instrument_acquire(inst, rec, 10), 0);
            QCOMPARE(rec->n, size_t(10000));
            QCOMPARE(rec->dx, 1.2e-3 / 10000); // 12 divisions of 100 us
            QVERIFY(std::fabs(rec->x0 + 6e-4) < 1e-12);
            checkBothSines(rec, f.tol);
        }
        qaio_trace_free(rec);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    void detectedFromIdn()
    {
        Sim sim(L, kFamily);
        qaio_instrument *inst = scopefamily::connect(L, sim, nullptr);
        QVERIFY(inst);
        QCOMPARE(QByteArray(qaio_scpi_scope_driver(inst)), QByteArray(kFamily));
        checkAcquires(inst, 1, 0.01);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    void settingsMapOntoRecordLengthAndScale()
    {
        Sim sim(L, kFamily);
        qaio_instrument *inst = scopefamily::connect(L, sim, kFamily);
        QVERIFY(inst);
        qaio_scope_settings s = current(inst, 1);
        s.points = 20000;
        s.rate = 20000 / (12 * 1e-3); // 1 ms/div
        s.trigger = QAIO_TRIG_NORMAL;
        s.slope = QAIO_SLOPE_FALLING;
        s.trigger_source = 2;
        s.trigger_level = 0.2;
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), 0);
        qaio_scope_settings got;
        QCOMPARE(qaio_scpi_scope_get_settings(inst, &got), 0);
        QCOMPARE(got.points, size_t(20000));
        QVERIFY(std::fabs(got.rate - s.rate) < 1e-6 * s.rate);
        QCOMPARE(got.trigger, QAIO_TRIG_NORMAL);
        QCOMPARE(got.slope, QAIO_SLOPE_FALLING);
        QCOMPARE(got.trigger_source, 2u);
        QCOMPARE(got.trigger_level, 0.2);
        qaio_trace *rec = qaio_trace_new(0, 0);
        QCOMPARE(qaio_instrument_acquire(inst, rec, 10), 0);
        QCOMPARE(rec->n, size_t(20000));
        QAIO_CHECK_SINE(rec, 0, kAmp, kFreq, 0.01);
        // 15000 points is no record length: the scope takes 20000.
        s.points = 15000;
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), int(QAIO_EIO));
        QByteArray msg = qaio_scpi_scope_last_error(inst);
        QVERIFY2(msg.startsWith("RTB2004: ") && msg.contains("20000 points"), msg.constData());
        QCOMPARE(qaio_scpi_scope_get_settings(inst, &got), 0);
        QCOMPARE(got.points, size_t(20000));
        s.points = 20000;
        s.trigger = QAIO_TRIG_FORCE;
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), int(QAIO_EIO));
        QVERIFY(QByteArray(qaio_scpi_scope_last_error(inst)).contains("free run"));
        qaio_trace_free(rec);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    void runSingleAverages()
    {
        Sim sim(L, kFamily);
        qaio_instrument *inst = scopefamily::connect(L, sim, kFamily);
        QVERIFY(inst);
        checkRunSingle(inst, 1, 0.01);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    void instrumentErrorsAreReported()
    {
        Sim sim(L, kFamily);
        qaio_instrument *inst = scopefamily::connect(L, sim, kFamily);
        QVERIFY(inst);
        checkErrorReported(inst, "CHAN3:STAT ON", "RTB2004", "-221");
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    void brokenAnswersAreErrors()
    {
        QByteArray good = "-5E-4,4E-4,10,1\n";
        QByteArray floats(40, '\0');
        struct {
            QByteArray header, data;
            const char *words;
        } cases[] = {
            {"-5E-4,4E-4\n", "", "HEAD"},
            {"-5E-4,4E-4,10,2\n", "", "HEAD"},
            {good, "#220" + floats.left(20) + "\n", "20 bytes"},
            {good, "#240" + floats + "X", "newline"},
            {good, "#0" + floats + "\n", "indefinite"},
        };
        for (auto &c : cases) {
            ScriptFake f;
            scriptScope(f, c.header, c.data);
            qaio_instrument *inst = connectTo(L, f.address(), nullptr, 2);
            QVERIFY(inst);
            QCOMPARE(QByteArray(qaio_scpi_scope_driver(inst)), QByteArray(kFamily));
            checkAcquireFails(inst, int(QAIO_EPROTO), c.words, nullptr, 2);
            QCOMPARE(qaio_instrument_free(inst), 0);
        }
    }
};

QTEST_GUILESS_MAIN(TestScopeRsRtb2000)
#include "test_scope_rs_rtb2000.moc"
