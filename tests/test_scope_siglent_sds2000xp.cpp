// The siglent-sds2000xp family: the driver against its personality (the
// SDS2104X Plus, SDS Series SCPI): both channels of the known sine through
// the WAVEDESC preamble in BYTE (8 bits) and WORD (10 bits) widths, records
// read in MAXPoint pieces, detection from *IDN?, the timebase/memory-depth
// model, run_single averaging, the error queue, and broken preambles and
// blocks from a scripted instrument.
#include "fake_family.h"
#include "scope_family.h"

#include <cstring>

using namespace scopefamily;

namespace {
qaio_loop *L;
const char *kFamily = "siglent-sds2000xp";

template <typename T> void put(QByteArray &d, int at, T v)
{
    std::memcpy(d.data() + at, &v, sizeof v); // x86: little-endian, as WAVEDESC
}

// A WAVEDESC block of n points of 8-bit bytes at 1 us, 0.5 V/div.
QByteArray wavedesc(uint32_t n, int16_t adc_bit = 8)
{
    QByteArray d(346, '\0');
    std::memcpy(d.data(), "WAVEDESC", 8);
    put<int16_t>(d, 0x20, 0);
    put<int32_t>(d, 0x24, 346);
    put<int32_t>(d, 0x3c, int32_t(n));
    put<int32_t>(d, 0x74, int32_t(n));
    put<float>(d, 0x9c, 0.5f);
    put<float>(d, 0xa4, 30.0f);
    put<int16_t>(d, 0xac, adc_bit);
    put<float>(d, 0xb0, 1e-6f);
    put<int16_t>(d, 0x144, 18); // 100 us/div
    put<float>(d, 0x148, 1.0f);
    return "#9000000346" + d + "\n";
}

void scriptScope(ScriptFake &f, const QByteArray &pre, const QByteArray &data)
{
    f.on("*IDN?", "Siglent Technologies,SDS2104X Plus,SDS2PCBX000000,1.3.9R6\n")
        .on("PREamble?", pre)
        .on("DATA?", data)
        .on(":ACQuire:SRATe?", "1.00E+06\n")
        .on(":ACQuire:POINts?", "1.00E+01\n")
        .on(":TRIGger:MODE?", "AUTO\n")
        .on(":TRIGger:STATus?", "Stop\n")
        .on(":TRIGger:EDGE:SOURce?", "C1\n")
        .on(":TRIGger:EDGE:SLOPe?", "RISing\n")
        .on(":TRIGger:EDGE:LEVel?", "0.00E+00\n")
        .on(":WAVeform:MAXPoint?", "5.00E+05\n")
        .on(":SYSTem:ERRor?", "0,\"No error\"\n");
}
}

class TestScopeSiglentSds2000xp : public QObject {
    Q_OBJECT
private slots:
    void init() { L = qaio_loop_get(); }

    void bothChannelsInBytesAndWords()
    {
        Sim sim(L, kFamily);
        QVERIFY(sim.srv);
        qaio_instrument *inst = scopefamily::connect(L, sim, kFamily);
        QVERIFY(inst);
        qaio_scope_settings s = current(inst, 3);
        QCOMPARE(s.points, size_t(10000)); // 10k memory
        QCOMPARE(s.rate, 1e7);             // at 100 us/div
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), 0);
        qaio_trace *rec = qaio_trace_new(0, 0);
        QCOMPARE(qaio_instrument_acquire(inst, rec, 10), 0);
        QCOMPARE(rec->n, size_t(10000));
        QCOMPARE(float(rec->dx), 1e-7f); // WAVEDESC's interval is a float
        QCOMPARE(rec->x0, -5e-4);        // -(tdiv * 10 / 2) + delay
        char a[64];
        QCOMPARE(ask(inst, ":WAV:WIDT?"), QByteArray("BYTE"));
        checkBothSines(rec, 0.03);
        // 10-bit resolution: the driver switches to WORD (codes of 10 bits
        // in little-endian words, 120 a division).
        QCOMPARE(qaio_scpi_scope_query(inst, ":ACQ:RES 10", a, sizeof a), 0);
        QCOMPARE(qaio_scpi_scope_query(inst, ":CHAN2:OFFS -0.25", a, sizeof a), 0);
        QCOMPARE(qaio_instrument_acquire(inst, rec, 10), 0);
        QCOMPARE(ask(inst, ":WAV:WIDT?"), QByteArray("WORD"));
        checkBothSines(rec, 0.01);
        qaio_trace_free(rec);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    void longRecordsComeInPieces()
    {
        Sim sim(L, kFamily);
        qaio_instrument *inst = scopefamily::connect(L, sim, kFamily);
        QVERIFY(inst);
        char a[64];
        QCOMPARE(qaio_scpi_scope_query(inst, ":ACQ:MDEP 1000000", a, sizeof a), 0);
        qaio_scope_settings s = current(inst, 3);
        s.points = 1000000;
        s.rate = 1e7; // 10 ms/div
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), 0);
        qaio_trace *rec = qaio_trace_new(0, 0);
        QCOMPARE(qaio_instrument_acquire(inst, rec, 30), 0);
        QCOMPARE(rec->n, size_t(1000000)); // two :WAV:DATA? of 500000 each
        checkBothSines(rec, 0.03);
        qaio_trace_free(rec);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    void detectedFromIdn()
    {
        Sim sim(L, kFamily);
        qaio_instrument *inst = scopefamily::connect(L, sim, nullptr);
        QVERIFY(inst);
        QCOMPARE(QByteArray(qaio_scpi_scope_driver(inst)), QByteArray(kFamily));
        checkAcquires(inst, 1, 0.03);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    void settingsMapOntoTimebaseAndMemory()
    {
        Sim sim(L, kFamily);
        qaio_instrument *inst = scopefamily::connect(L, sim, kFamily);
        QVERIFY(inst);
        qaio_scope_settings s = current(inst, 1);
        s.points = 10000;
        s.rate = 1e6; // 1 ms/div fills the 10k memory
        s.trigger = QAIO_TRIG_NORMAL;
        s.slope = QAIO_SLOPE_EITHER; // ALTernate
        s.trigger_source = 2;
        s.trigger_level = -0.1;
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), 0);
        qaio_scope_settings got;
        QCOMPARE(qaio_scpi_scope_get_settings(inst, &got), 0);
        QCOMPARE(got.points, size_t(10000));
        QCOMPARE(got.rate, 1e6);
        QCOMPARE(got.trigger, QAIO_TRIG_NORMAL);
        QCOMPARE(got.slope, QAIO_SLOPE_EITHER);
        QCOMPARE(got.trigger_source, 2u);
        QCOMPARE(got.trigger_level, -0.1);
        QCOMPARE(ask(inst, ":TIM:SCAL?"), QByteArray("1.00E-03"));
        qaio_trace *rec = qaio_trace_new(0, 0);
        QCOMPARE(qaio_instrument_acquire(inst, rec, 10), 0);
        QCOMPARE(rec->n, size_t(10000));
        QAIO_CHECK_SINE(rec, 0, kAmp, kFreq, 0.03);
        // 25000 points: not a memory depth; refused by name, read back.
        s.points = 25000;
        s.rate = 1e7;
        QCOMPARE(qaio_scpi_scope_set_settings(inst, &s), int(QAIO_EIO));
        QByteArray msg = qaio_scpi_scope_last_error(inst);
        QVERIFY2(msg.startsWith("SDS2104X Plus: ") && msg.contains("memory depth") &&
                     msg.contains("10000 points"),
                 msg.constData());
        QCOMPARE(qaio_scpi_scope_get_settings(inst, &got), 0);
        QCOMPARE(got.points, size_t(10000));
        s.trigger = QAIO_TRIG_FORCE;
        s.points = got.points;
        s.rate = got.rate;
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
        checkRunSingle(inst, 1, 0.03);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    void instrumentErrorsAreReported()
    {
        Sim sim(L, kFamily);
        qaio_instrument *inst = scopefamily::connect(L, sim, kFamily);
        QVERIFY(inst);
        checkErrorReported(inst, ":BOGus:COMMand 1", "SDS2104X Plus", "-113");
        QCOMPARE(qaio_instrument_free(inst), 0);
    }

    void brokenAnswersAreErrors()
    {
        QByteArray good = wavedesc(10);
        struct {
            QByteArray pre, data;
            const char *words;
        } cases[] = {
            {"#9000000010ABCDEFGHIJ\n", "", "WAVEDESC"},
            {wavedesc(10, 0), "", "adc_bit"},
            {good, "#9000000005abcde\n", "5 bytes"},
            {good, "#9000000010abcdefghijXX", "newline"},
        };
        for (auto &c : cases) {
            ScriptFake f;
            scriptScope(f, c.pre, c.data);
            qaio_instrument *inst = connectTo(L, f.address(), nullptr, 2);
            QVERIFY(inst);
            QCOMPARE(QByteArray(qaio_scpi_scope_driver(inst)), QByteArray(kFamily));
            checkAcquireFails(inst, int(QAIO_EPROTO), c.words, nullptr, 2);
            QCOMPARE(qaio_instrument_free(inst), 0);
        }
        // And a good one decodes: codes 0..9 at 0.5 V / 30 codes.
        ScriptFake f;
        scriptScope(f, good, "#9000000010" + QByteArray("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09", 10) + "\n");
        qaio_instrument *inst = connectTo(L, f.address());
        QVERIFY(inst);
        qaio_trace *rec = qaio_trace_new(0, 0);
        QCOMPARE(qaio_instrument_acquire(inst, rec, 2), 0);
        QCOMPARE(rec->n, size_t(10));
        QCOMPARE(rec->y[0][9], float(9 * 0.5 / 30));
        qaio_trace_free(rec);
        QCOMPARE(qaio_instrument_free(inst), 0);
    }
};

QTEST_GUILESS_MAIN(TestScopeSiglentSds2000xp)
#include "test_scope_siglent_sds2000xp.moc"
