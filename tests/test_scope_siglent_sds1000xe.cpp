// The siglent-sds1000xe family: the driver against its personality (the
// SDS1202X-E legacy command set): both channels of the known sine through
// C<n>:WF? DAT2 and the guide's scaling, detection from *IDN?, the
// TDIV/memory-depth model (what is asked, what the scope uses, refusals),
// run_single averaging, the instrument's error registers, and broken
// answers from a scripted instrument.
#include "fake_family.h"
#include "scope_family.h"

using namespace scopefamily;

namespace {
qaio_loop *L;
const char *kFamily = "siglent-sds1000xe";

// The answers of an SDS1202X-E with CHDR OFF, but for the waveform.
void scriptScope(ScriptFake &f, const QByteArray &wf)
{
    f.on("*IDN?", "Siglent Technologies,SDS1202X-E,SDS1EBAC0L0098,8.2.6.1.37R9\n")
        .on("SARA?", "1.00E+07\n")
        .on("SANU?", "1.40E+04\n")
        .on("TRMD?", "AUTO\n")
        .on("TRSE?", "EDGE,SR,C1,HT,OFF\n")
        .on("TRSL?", "POS\n")
        .on("TRLV?", "0.00E+00\n")
        .on("SAST?", "Stop\n")
        .on("TDIV?", "1.00E-04\n")
        .on("VDIV?", "5.00E-01\n")
        .on("OFST?", "0.00E+00\n")
        .on("CMR?", "0\n")
        .on("EXR?", "0\n")
        .on("WF?", wf);
}
}

class TestScopeSiglentSds1000xe : public QObject {
    Q_OBJECT
private slots:
    void init() { L = qaio_loop_get(); }

    void bothChannelsReadTheSine()
    {
        Sim sim(L, kFamily);
        QVERIFY(sim.srv);
        qaio_instrument *inst = scopefamily::connect(L, sim, kFamily);
        QVERIFY(inst);
        qaio_scope_settings s = current(inst, 3);
        QCOMPARE(s.points, size_t(14000)); // MSIZ 14K
        QCOMPARE(s.rate, 1e7);             // at TDIV 100 us
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), 0);
        qaio_trace *rec = qaio_trace_new(0, 0);
        QCOMPARE(qaio_instrument_acquire(inst, rec, 10), 0);
        QCOMPARE(rec->n, size_t(14000));
        QCOMPARE(rec->dx, 1e-7);
        QCOMPARE(rec->x0, -7e-4); // -(TDIV * 14 / 2)
        // 8-bit codes at 0.02 V each: the fit averages the quantisation.
        checkBothSines(rec, 0.03);
        // With an offset, volts = code * VDIV / 25 - OFST: the fit still
        // sees the input.
        char a[64];
        QCOMPARE(qaio_scpi_scope_query(inst, "C1:OFST 0.5", a, sizeof a), 0);
        QCOMPARE(qaio_instrument_acquire(inst, rec, 10), 0);
        QAIO_CHECK_SINE(rec, 0, kAmp, kFreq, 0.03);
        qaio_trace_free(rec);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    void detectedFromIdn()
    {
        Sim sim(L, kFamily);
        qaio_instrument *inst = scopefamily::connect(L, sim, nullptr);
        QVERIFY(inst);
        QCOMPARE(QByteArray(qaio_scpi_scope_driver(inst)), QByteArray(kFamily));
        QVERIFY(QByteArray(qaio_scpi_scope_idn(inst)).contains("SDS1202X-E"));
        checkAcquires(inst, 1, 0.03);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    void settingsMapOntoTimeDivAndMemory()
    {
        Sim sim(L, kFamily);
        qaio_instrument *inst = scopefamily::connect(L, sim, kFamily);
        QVERIFY(inst);
        // 14000 points at 1 MSa/s: TDIV 1 ms fills the 14K memory.
        qaio_scope_settings s = current(inst, 1);
        s.points = 14000;
        s.rate = 1e6;
        s.trigger = QAIO_TRIG_NORMAL;
        s.slope = QAIO_SLOPE_FALLING;
        s.trigger_level = 0.25;
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), 0);
        qaio_scope_settings got;
        QCOMPARE(qaio_scpi_scope_get_settings(inst, &got), 0);
        QCOMPARE(got.points, size_t(14000));
        QCOMPARE(got.rate, 1e6);
        QCOMPARE(got.trigger, QAIO_TRIG_NORMAL);
        QCOMPARE(got.slope, QAIO_SLOPE_FALLING);
        QCOMPARE(got.trigger_level, 0.25);
        char a[64];
        QCOMPARE(ask(inst, "TDIV?"), QByteArray("1.00E-03"));
        qaio_trace *rec = qaio_trace_new(0, 0);
        QCOMPARE(qaio_instrument_acquire(inst, rec, 10), 0);
        QCOMPARE(rec->n, size_t(14000));
        QCOMPARE(rec->dx, 1e-6);
        QAIO_CHECK_SINE(rec, 0, kAmp, kFreq, 0.03);
        // 140000 points need the 140K memory: refused, and the message
        // names the scope, the setting and what it uses.
        s.points = 140000;
        s.rate = 1e7;
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), int(QAIO_EIO));
        QByteArray msg = qaio_scpi_scope_last_error(inst);
        QVERIFY2(msg.startsWith("SDS1202X-E: ") && msg.contains("memory depth") &&
                     msg.contains("14000 points"),
                 msg.constData());
        QCOMPARE(qaio_scpi_scope_get_settings(inst, &got), 0);
        QCOMPARE(got.points, size_t(14000)); // read back: what it uses
        QCOMPARE(got.rate, 1e6);
        // With the memory at 140K, the same request is met.
        QCOMPARE(qaio_scpi_scope_query(inst, "MSIZ 140000", a, sizeof a), 0);
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), 0);
        QCOMPARE(qaio_scpi_scope_get_settings(inst, &got), 0);
        QCOMPARE(got.points, size_t(140000));
        QCOMPARE(got.rate, 1e7);
        QCOMPARE(qaio_instrument_acquire(inst, rec, 10), 0);
        QCOMPARE(rec->n, size_t(140000));
        QAIO_CHECK_SINE(rec, 0, kAmp, kFreq, 0.03);
        // Free run and either-edge are not the scope's: refused by name.
        s.trigger = QAIO_TRIG_FORCE;
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), int(QAIO_EIO));
        QVERIFY(QByteArray(qaio_scpi_scope_last_error(inst)).contains("free run"));
        s.trigger = QAIO_TRIG_AUTO;
        s.slope = QAIO_SLOPE_EITHER;
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), int(QAIO_EIO));
        QVERIFY(QByteArray(qaio_scpi_scope_last_error(inst)).contains("either-edge"));
        qaio_trace_free(rec);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    void runSingleAverages()
    {
        Sim sim(L, kFamily);
        qaio_instrument *inst = scopefamily::connect(L, sim, kFamily);
        QVERIFY(inst);
        checkRunSingle(inst, 1, 0.03);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    void instrumentErrorsAreReported()
    {
        Sim sim(L, kFamily);
        qaio_instrument *inst = scopefamily::connect(L, sim, kFamily);
        QVERIFY(inst);
        // An unknown command sets the command error register (CMR 1); the
        // next setting reads it and reports it.
        checkErrorReported(inst, "BOGUS 1", "SDS1202X-E", "CMR 1");
        // Read and cleared: the next setting is fine.
        qaio_scope_settings s = current(inst, 1);
        s.trigger_level = 0.2;
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), 0);
        QCOMPARE(ask(inst, "EXR?"), QByteArray("0"));
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    void answersWithHeadersAndUnits()
    {
        // A scope that kept CHDR SHORT: headers before, units after the
        // numbers; the codes convert by the guide's formula.
        ScriptFake f;
        QByteArray codes("\x00\x19\xe7\x7f\x80\x01\x02\x03\x04\x05", 10);
        f.on("*IDN?", "Siglent Technologies,SDS1104X-E,SDS1EBAC0L0001,8.2.6.1.37R9\n")
            .on("SARA?", "SARA 1.00E+06Sa/s\n")
            .on("SANU?", "SANU 1.00E+01pts\n")
            .on("TRMD?", "TRMD NORM\n")
            .on("TRSE?", "TRSE EDGE,SR,C2,HT,OFF\n")
            .on("TRSL?", "C2:TRSL NEG\n")
            .on("TRLV?", "C2:TRLV 2.50E-01V\n")
            .on("SAST?", "SAST Stop\n")
            .on("TDIV?", "TDIV 5.00E-07S\n")
            .on("VDIV?", "C1:VDIV 2.00E+00V\n")
            .on("OFST?", "C1:OFST 1.00E+00V\n")
            .on("WF?", "C1:WF DAT2,#9000000010" + codes + "\n\n");
        qaio_instrument *inst = connectTo(L, f.address());
        QVERIFY(inst);
        QCOMPARE(QByteArray(qaio_scpi_scope_driver(inst)), QByteArray(kFamily));
        qaio_scope_settings got;
        QCOMPARE(qaio_scpi_scope_get_settings(inst, &got), 0);
        QCOMPARE(got.rate, 1e6);
        QCOMPARE(got.points, size_t(10));
        QCOMPARE(got.trigger, QAIO_TRIG_NORMAL);
        QCOMPARE(got.trigger_source, 2u);
        QCOMPARE(got.slope, QAIO_SLOPE_FALLING);
        QCOMPARE(got.trigger_level, 0.25);
        qaio_trace *rec = qaio_trace_new(0, 0);
        QCOMPARE(qaio_instrument_acquire(inst, rec, 2), 0);
        QCOMPARE(rec->n, size_t(10));
        QCOMPARE(rec->x0, -3.5e-6);
        QCOMPARE(rec->dx, 1e-6);
        // volts = code * 2 / 25 - 1
        const int code[] = {0, 25, -25, 127, -128};
        for (int i = 0; i < 5; i++)
            QCOMPARE(rec->y[0][i], float(code[i] * 2.0 / 25 - 1));
        // The driver turned the headers off and asked for whole waveforms.
        QVERIFY(f.lines.contains("CHDR OFF;WFSU SP,0,NP,0,FP,0"));
        qaio_trace_free(rec);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    void brokenAnswersAreErrors()
    {
        struct {
            QByteArray wf;
            int err;
            const char *words;
        } cases[] = {
            // Not a DAT2 answer.
            {"DAT1,#9000000004abcd\n\n", QAIO_EPROTO, "DAT1"},
            // A block shorter than its header said: the next bytes are not
            // the two line feeds.
            {"DAT2,#9000000010abcd\n\nSARA 1\n", QAIO_EPROTO, "newline"},
            // Not a block at all.
            {"DAT2,XYZ\n\n", QAIO_EPROTO, "block"},
        };
        for (auto &c : cases) {
            ScriptFake f;
            scriptScope(f, c.wf);
            qaio_instrument *inst = connectTo(L, f.address(), nullptr, 2);
            QVERIFY(inst);
            QCOMPARE(QByteArray(qaio_scpi_scope_driver(inst)), QByteArray(kFamily));
            checkAcquireFails(inst, c.err, c.words, nullptr, 2);
            QCOMPARE(qaio_instrument_free(inst), 0);
        }
    }
};

QTEST_GUILESS_MAIN(TestScopeSiglentSds1000xe)
#include "test_scope_siglent_sds1000xe.moc"
