// The CSV format of libqaio-instr: what is written reads back the same
// (numbers, axis, domain, units, averages, identity, time, settings asked
// and used), older files still load, and bad input is refused with a named
// error and the line at fault -- never a crash, never an unbounded read.
#include "testutil.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <clocale>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <qaio/instr.h>

namespace {
struct Parsed {
    qaio_trace *t = qaio_trace_new(0, 0);
    qaio_csv_meta meta;
    qaio_csv_error err;
    int rc = 0;
    explicit Parsed(const QByteArray &text) { rc = qaio_csv_parse(text.constData(), size_t(text.size()), t, &meta, &err); }
    ~Parsed() { qaio_trace_free(t); }
};

QByteArray written(const qaio_trace *t, const qaio_csv_meta *m)
{
    char *buf = nullptr;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int rc = qaio_csv_write(f, t, m);
    fclose(f);
    QByteArray out = rc == 0 ? QByteArray(buf, int(len)) : QByteArray();
    free(buf);
    return out;
}

qaio_trace *sample(size_t n, size_t nch, qaio_trace_domain d, const char *unit)
{
    qaio_trace *t = qaio_trace_new(n, nch);
    t->domain = d;
    strcpy(t->x_unit, d == QAIO_DOMAIN_TIME ? "s" : "Hz");
    strcpy(t->y_unit, unit);
    t->x0 = d == QAIO_DOMAIN_TIME ? -1e-4 : 0;
    t->dx = d == QAIO_DOMAIN_TIME ? 1.0 / 3e6 : 244.140625;
    for (size_t c = 0; c < nch; c++) {
        t->channel[c] = int(c) + 1;
        for (size_t i = 0; i < n; i++)
            t->y[c][i] = float(std::sin(0.37 * double(i) + double(c)) * 1.2345678e-3 * double(c + 1));
    }
    return t;
}

void compareTraces(const qaio_trace *a, const qaio_trace *b)
{
    QCOMPARE(b->n, a->n);
    QCOMPARE(b->nch, a->nch);
    QCOMPARE(b->domain, a->domain);
    QCOMPARE(QByteArray(b->x_unit), QByteArray(a->x_unit));
    QCOMPARE(QByteArray(b->y_unit), QByteArray(a->y_unit));
    QCOMPARE(b->averages, a->averages);
    QCOMPARE(b->enbw_hz, a->enbw_hz);
    QCOMPARE(bool(b->x), bool(a->x));
    for (size_t c = 0; c < a->nch; c++) {
        QCOMPARE(b->channel[c], a->channel[c]);
        for (size_t i = 0; i < a->n; i++)
            QCOMPARE(b->y[c][i], a->y[c][i]); // 9 digits: the same float
    }
    for (size_t i = 0; i < a->n; i++)
        QCOMPARE(qaio_trace_x(b, i), qaio_trace_x(a, i));
}
}

class TestCsv : public QObject {
    Q_OBJECT
private slots:
    void scopeRoundTripKeepsEverything()
    {
        qaio_trace *t = sample(1000, 2, QAIO_DOMAIN_TIME, "V");
        t->averages = 16;
        qaio_csv_meta m;
        qaio_csv_meta_init(&m, "test_csv");
        strcpy(m.instrument, "qaio,qaio-instrument-sim,0,0.1.0");
        strcpy(m.source, "127.0.0.1:5025");
        QCOMPARE(qaio_csv_meta_set(&m, QAIO_CSV_ASKED, "points", "1000"), 0);
        QCOMPARE(qaio_csv_meta_set(&m, QAIO_CSV_ASKED, "rate_hz", "3e6"), 0);
        QCOMPARE(qaio_csv_meta_set(&m, QAIO_CSV_USED, "rate_hz", "2500000"), 0);
        QCOMPARE(qaio_csv_meta_set(&m, QAIO_CSV_USED, "signal", "sine amp=1 freq=1e3; noise rms=1e-3"), 0);
        QCOMPARE(qaio_csv_meta_set(&m, QAIO_CSV_USED, "rate_hz", "3000000"), 0); // replaces
        QByteArray text = written(t, &m);
        QVERIFY(text.contains("\n# averages: 16\n"));
        QVERIFY(text.contains("\ntime_s,ch1_V,ch2_V\n"));
        QVERIFY(QRegularExpression("# time: \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\n").match(text).hasMatch());
        Parsed p(text);
        QVERIFY2(p.rc == 0, p.err.message);
        compareTraces(t, p.t);
        QCOMPARE(QByteArray(p.meta.program), QByteArray("test_csv"));
        QCOMPARE(QByteArray(p.meta.instrument), QByteArray(m.instrument));
        QCOMPARE(QByteArray(p.meta.source), QByteArray(m.source));
        QCOMPARE(QByteArray(p.meta.time), QByteArray(m.time));
        QCOMPARE(p.meta.count[QAIO_CSV_ASKED], 2u);
        QCOMPARE(p.meta.count[QAIO_CSV_USED], 2u);
        QCOMPARE(QByteArray(qaio_csv_meta_get(&p.meta, QAIO_CSV_USED, "rate_hz")), QByteArray("3000000"));
        QCOMPARE(QByteArray(qaio_csv_meta_get(&p.meta, QAIO_CSV_USED, "signal")), QByteArray(m.settings[1][1].value));
        QCOMPARE(QByteArray(qaio_csv_meta_get(&p.meta, QAIO_CSV_ASKED, "points")), QByteArray("1000"));
        QVERIFY(!qaio_csv_meta_get(&p.meta, QAIO_CSV_ASKED, "signal"));
        qaio_trace_free(t);
    }

    void everyUnitHasOneColumnSpelling()
    {
        const char *want[QAIO_UNIT_COUNT] = {"ch1_Vrms", "ch1_Vpk", "ch1_dBV", "ch1_dBm", "ch1_V_rtHz",
                                             "ch1_dBm_Hz", "ch1_V2", "ch1_V2_Hz"};
        for (int u = 0; u < QAIO_UNIT_COUNT; u++) {
            qaio_trace *t = sample(65, 1, QAIO_DOMAIN_FREQUENCY, qaio_unit_name(qaio_unit(u)));
            t->enbw_hz = 366.2109375;
            t->averages = 3;
            QByteArray text = written(t, nullptr);
            QVERIFY2(text.contains("\nfrequency_Hz," + QByteArray(want[u]) + "\n"), want[u]);
            Parsed p(text);
            QVERIFY2(p.rc == 0, p.err.message);
            compareTraces(t, p.t);
            qaio_trace_free(t);
        }
    }

    void explicitAxisAndPerChannelUnits()
    {
        // A network analyzer's log sweep: magnitude and phase, x explicit.
        qaio_trace *t = sample(51, 2, QAIO_DOMAIN_FREQUENCY, "dB,deg");
        double x[51];
        for (int i = 0; i < 51; i++)
            x[i] = 1e3 * std::pow(10.0, i / 25.0);
        QCOMPARE(qaio_trace_set_x(t, x), 0);
        QByteArray text = written(t, nullptr);
        QVERIFY(text.contains("\nfrequency_Hz,ch1_dB,ch2_deg\n"));
        Parsed p(text);
        QVERIFY2(p.rc == 0, p.err.message);
        compareTraces(t, p.t);
        qaio_trace_free(t);
    }

    void numbersIgnoreTheLocale()
    {
        // A Qt program runs with the user's locale; "0,5" would break the file.
        if (!std::setlocale(LC_ALL, "de_DE.UTF-8") && !std::setlocale(LC_ALL, "fr_FR.UTF-8"))
            QSKIP("no comma-decimal locale installed");
        qaio_trace *t = sample(8, 1, QAIO_DOMAIN_TIME, "V");
        QByteArray text = written(t, nullptr);
        Parsed p(text);
        std::setlocale(LC_ALL, "C");
        QVERIFY(text.contains("0.00"));
        QVERIFY2(p.rc == 0, p.err.message);
        compareTraces(t, p.t);
        qaio_trace_free(t);
    }

    void olderFilesStillLoad()
    {
        // qaio-acquire's and qaio-scope's files before the shared format.
        Parsed acquire("# program: qaio-acquire\n# source: sim\n# instrument: qaio simulated scope\n"
                       "# mode: spectrum\n# averages: 4\n# window: flattop\n# enbw_hz: 3814.69727\n"
                       "frequency_Hz,ch1_dBm/Hz\n0,-120.5\n976.5625,-121\n1953.125,-90\n");
        QVERIFY2(acquire.rc == 0, acquire.err.message);
        QCOMPARE(acquire.t->domain, QAIO_DOMAIN_FREQUENCY);
        QCOMPARE(QByteArray(acquire.t->y_unit), QByteArray("dBm/Hz"));
        QCOMPARE(acquire.t->averages, 4u);
        QCOMPARE(acquire.t->dx, 976.5625);
        QCOMPARE(QByteArray(qaio_csv_meta_get(&acquire.meta, QAIO_CSV_USED, "window")), QByteArray("flattop"));
        Parsed gui("# source: sim\n# points: 4\n# averages: 16\n# averages_done: 3\r\n"
                   "time_s,ch2_V\r\n0,1\r\n1e-06,2\r\n2e-06,3\r\n3e-06,4\r\n");
        QVERIFY2(gui.rc == 0, gui.err.message);
        QCOMPARE(gui.t->averages, 3u);
        QCOMPARE(gui.t->channel[0], 2);
        QCOMPARE(gui.t->y[0][3], 4.0f);
    }

    void badInputNamesTheLine_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("code");
        QTest::addColumn<int>("line");
        QTest::newRow("empty") << QByteArray() << int(QAIO_EPROTO) << 0;
        QTest::newRow("only comments") << QByteArray("# a: b\n# c\n") << int(QAIO_EPROTO) << 0;
        QTest::newRow("no rows") << QByteArray("time_s,ch1_V\n") << int(QAIO_EPROTO) << 0;
        QTest::newRow("one column") << QByteArray("# x: y\ntime_s\n1\n") << int(QAIO_EPROTO) << 2;
        QTest::newRow("not a number") << QByteArray("time_s,ch1_V\n0,1\n1,one\n") << int(QAIO_EPROTO) << 3;
        QTest::newRow("trailing junk") << QByteArray("time_s,ch1_V\n0,1x\n") << int(QAIO_EPROTO) << 2;
        QTest::newRow("empty cell") << QByteArray("time_s,ch1_V\n0,\n") << int(QAIO_EPROTO) << 2;
        QTest::newRow("short row") << QByteArray("time_s,ch1_V,ch2_V\n0,1,2\n\n1,2\n") << int(QAIO_EPROTO) << 4;
        QTest::newRow("long row") << QByteArray("time_s,ch1_V\n0,1,2\n") << int(QAIO_EPROTO) << 2;
        QTest::newRow("five channels") << QByteArray("t_s,a_V,b_V,c_V,d_V,e_V\n") << int(QAIO_ERANGE) << 1;
        QTest::newRow("bad averages") << QByteArray("# averages: -3\ntime_s,ch1_V\n0,1\n") << int(QAIO_EPROTO) << 1;
        QTest::newRow("bad step") << QByteArray("# x_step: nan\ntime_s,ch1_V\n0,1\n") << int(QAIO_EPROTO) << 1;
        QTest::newRow("bad setting key") << QByteArray("# used.a b: 1\ntime_s,ch1_V\n0,1\n") << int(QAIO_EPROTO) << 1;
        QTest::newRow("nul in a cell") << QByteArray("time_s,ch1_V\n0,1\0002\n", 18) << int(QAIO_EPROTO) << 2;
        QTest::newRow("line too long")
            << QByteArray("time_s,ch1_V\n0,1\n" + QByteArray(QAIO_CSV_MAX_LINE + 1, '1') + "\n")
            << int(QAIO_EMSGSIZE) << 3;
    }

    void badInputNamesTheLine()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, code);
        QFETCH(int, line);
        Parsed p(text);
        QCOMPARE(p.rc, code);
        QCOMPARE(p.err.line, size_t(line));
        QVERIFY(p.err.message[0]);
        if (line)
            QVERIFY2(QByteArray(p.err.message).startsWith("line " + QByteArray::number(line) + ": "), p.err.message);
    }

    void metaRefusesWhatTheFormatCannotHold()
    {
        qaio_csv_meta m;
        qaio_csv_meta_init(&m, nullptr);
        QCOMPARE(qaio_csv_meta_set(&m, QAIO_CSV_USED, "two words", "1"), int(QAIO_EINVAL));
        QCOMPARE(qaio_csv_meta_set(&m, QAIO_CSV_USED, "k", "line\nbreak"), int(QAIO_EINVAL));
        QCOMPARE(qaio_csv_meta_set(&m, QAIO_CSV_USED, "k", QByteArray(QAIO_CSV_VALUE_MAX, 'v').constData()),
                 int(QAIO_EMSGSIZE));
        QCOMPARE(qaio_csv_meta_set(&m, QAIO_CSV_GROUP_COUNT, "k", "1"), int(QAIO_EINVAL));
        for (int i = 0; i < QAIO_CSV_MAX_SETTINGS; i++)
            QCOMPARE(qaio_csv_meta_set(&m, QAIO_CSV_ASKED, QByteArray("k" + QByteArray::number(i)).constData(), "1"), 0);
        QCOMPARE(qaio_csv_meta_set(&m, QAIO_CSV_ASKED, "one_more", "1"), int(QAIO_ERANGE));
        qaio_trace *empty = qaio_trace_new(4, 0);
        QCOMPARE(qaio_csv_write(stdout, empty, &m), int(QAIO_EINVAL));
        qaio_trace_free(empty);
    }

    void readFileErrors()
    {
        QTemporaryDir dir;
        qaio_trace *t = qaio_trace_new(0, 0);
        qaio_csv_error err;
        QCOMPARE(qaio_csv_read_file(qPrintable(dir.filePath("none.csv")), t, nullptr, &err), int(QAIO_ENOENT));
        QVERIFY(QByteArray(err.message).contains("none.csv"));
        QCOMPARE(qaio_csv_read_file(qPrintable(dir.path()), t, nullptr, &err), int(QAIO_EIO));
        qaio_trace *s = sample(300, 1, QAIO_DOMAIN_TIME, "V");
        QString path = dir.filePath("s.csv");
        FILE *f = fopen(qPrintable(path), "w");
        QCOMPARE(qaio_csv_write(f, s, nullptr), 0);
        fclose(f);
        QCOMPARE(qaio_csv_read_file(qPrintable(path), t, nullptr, &err), 0);
        compareTraces(s, t);
        qaio_trace_free(s);
        qaio_trace_free(t);
    }
};

QTEST_GUILESS_MAIN(TestCsv)
#include "test_csv.moc"
