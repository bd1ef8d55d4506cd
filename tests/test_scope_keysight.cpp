// The keysight-3000x driver against the keysight-3000x personality: every
// :WAVeform:FORMat (BYTE and WORD, both byte orders, signed and unsigned,
// ASCii in volts) on both channels checked against the known sine through
// the record's own time axis; *IDN? auto-detection; the time-range mapping
// (points and rate -> :TIMebase:RANGe and :WAVeform:POINts, read back, and
// what cannot be had is QAIO_EIO naming the DSOX3024T and the setting);
// run_single averaging; and a fake InfiniiVision giving a short block, a
// malformed preamble and an error in :SYSTem:ERRor?.
#include "scope_family.h"

#include <qaio/instr.h>

using namespace scopefamily;

namespace {
qaio_loop *L;

struct Inst {
    qaio_instrument *p;
    explicit Inst(qaio_instrument *i) : p(i) {}
    ~Inst() { qaio_instrument_free(p); }
};

QByteArray ask(qaio_instrument *inst, const char *cmd)
{
    char a[512];
    int n = qaio_scpi_scope_query(inst, cmd, a, sizeof a);
    return n < 0 ? QByteArray("<") + qaio_err_name(n) + ">" : QByteArray(a, n);
}

int acquire(qaio_instrument *inst, qaio_trace *rec)
{
    return qaio_instrument_acquire(inst, rec, 10);
}

int setBoth(qaio_instrument *inst)
{
    qaio_scope_settings s;
    int err = qaio_scpi_scope_get_settings(inst, &s);
    if (err)
        return err;
    s.channels = 3;
    return qaio_scpi_scope_set_settings(inst, &s);
}

// A fake InfiniiVision: the *IDN? of a DSO-X 3034A, settings answers, and
// per mode a bad record or a bad error queue.
struct FakeKs {
    enum Mode { ShortBlock, BadPreamble, ErrorQueue } mode;
    qaio_server *srv = nullptr;
    explicit FakeKs(Mode m) : mode(m) { qaio_start_server(L, nullptr, 0, handler, this, &srv); }
    ~FakeKs() { qaio_server_close(srv); }
    QByteArray address() const { return "127.0.0.1:" + QByteArray::number(qaio_server_port(srv)); }
    static int handler(qaio_stream *c, void *arg)
    {
        auto *f = static_cast<FakeKs *>(arg);
        char line[4096];
        for (;;) {
            ssize_t n = qaio_stream_readline(c, line, sizeof line, QAIO_FOREVER);
            if (n <= 0)
                return 0;
            QByteArray l(line, int(n)), a;
            if (l.startsWith("*IDN?"))
                a = "AGILENT TECHNOLOGIES,DSO-X 3034A,MY52160000,02.41.2015102200\n";
            else if (l.startsWith(":WAVeform:POINts?"))
                a = "+1000;+1.0000E-03;AUTO;POS;CHAN1;+0.0E+00\n";
            else if (l.startsWith(":SYSTem:ERRor?"))
                a = f->mode == ErrorQueue ? "-222,\"Data out of range\"\n" : "+0,\"No error\"\n";
            else if (l.startsWith(":DIG") && f->mode == ShortBlock)
                // 1000 BYTE points announced, a block of 10 bytes.
                a = "MSBF;1;+0,+0,+1000,+1,+1.0E-06,+0.0E+00,+0,+1.0E-02,+0.0E+00,+128;"
                    "#800000010abcdefghij\n";
            else if (l.startsWith(":DIG"))
                a = "MSBF;1;+0,+0,+1000,banana;#800000010abcdefghij\n";
            if (!a.isEmpty())
                qaio_stream_write(c, a.constData(), size_t(a.size()));
        }
    }
};

qaio_instrument *connectTo(const QByteArray &addr)
{
    qaio_scpi_scope_options o;
    qaio_scpi_scope_options_default(&o);
    o.address = addr.constData();
    o.timeout_s = 2;
    qaio_instrument *inst = nullptr;
    char msg[300];
    int err = qaio_scpi_scope_connect(L, &o, &inst, msg, sizeof msg);
    if (err)
        qWarning("connect: %s", msg);
    return inst;
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
        QCOMPARE(setBoth(inst.p), 0);
        QCOMPARE(qaio_scpi_scope_query(inst.p, setup.constData(), nullptr, 0), 0);
        qaio_trace *rec = qaio_trace_new(0, 0);
        int err = acquire(inst.p, rec);
        QVERIFY2(err == 0, qaio_scpi_scope_last_error(inst.p));
        QCOMPARE(rec->nch, size_t(2));
        QCOMPARE(rec->channel[0], 1);
        QCOMPARE(rec->channel[1], 2);
        // *RST's 100 us/div and 1000 points: 1 us apart, 10 periods.
        QCOMPARE(rec->n, size_t(1000));
        QVERIFY(std::fabs(rec->dx - 1e-6) < 1e-15);
        QAIO_CHECK_SINE(rec, 0, kAmp, kFreq, tol);
        QAIO_CHECK_SINE(rec, 1, kAmp, kFreq, tol);
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
        qaio_future *f = qaio_instrument_run_single(inst.p, 4);
        QVERIFY(f);
        void *v = nullptr;
        QCOMPARE(qaio_future_result_timeout(f, 60, &v), 0);
        auto *t = static_cast<qaio_trace *>(v);
        QCOMPARE(t->averages, 4u);
        QAIO_CHECK_SINE(t, 0, kAmp, kFreq, 0.01);
        qaio_future_unref(f);
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
            FakeKs f(FakeKs::ShortBlock);
            Inst inst(connectTo(f.address()));
            QVERIFY(inst.p);
            QCOMPARE(QByteArray(qaio_scpi_scope_driver(inst.p)), QByteArray("keysight-3000x"));
            qaio_trace *rec = qaio_trace_new(0, 0);
            QCOMPARE(acquire(inst.p, rec), QAIO_EPROTO);
            QByteArray msg = qaio_scpi_scope_last_error(inst.p);
            QVERIFY2(msg.startsWith("DSO-X 3034A: ") && msg.contains("10 bytes"), msg.constData());
            qaio_trace_free(rec);
        }
        {
            FakeKs f(FakeKs::BadPreamble);
            Inst inst(connectTo(f.address()));
            QVERIFY(inst.p);
            qaio_trace *rec = qaio_trace_new(0, 0);
            QCOMPARE(acquire(inst.p, rec), QAIO_EPROTO);
            QVERIFY(QByteArray(qaio_scpi_scope_last_error(inst.p)).contains("banana"));
            qaio_trace_free(rec);
        }
        {
            FakeKs f(FakeKs::ErrorQueue);
            Inst inst(connectTo(f.address()));
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
