// qaio-acquire end to end: CSV from the simulation (settings lines, header
// row, one row per point) in every mode, from the real qaio-instrument-sim
// over SCPI, the message and exit status on a refused port and on bad
// usage, and Ctrl-C stopping a long run cleanly.
#include "testutil.h"

#include <QDir>
#include <QMap>
#include <cmath>
#include <QProcess>
#include <QTemporaryDir>
#include <qaio/instr.h>
#include <signal.h>

namespace {
struct Result {
    int code = -1;
    QByteArray out, err;
};

Result acquire(const QStringList &args, int timeoutMs = 60000)
{
    QProcess p;
    p.start(QStringLiteral(QAIO_ACQUIRE_PATH), args);
    Result r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// Splits a CSV into '#' lines, the header row and the data rows.
struct Csv {
    QList<QByteArray> comments, rows;
    QByteArray header;
    explicit Csv(const QByteArray &text)
    {
        for (const QByteArray &l : text.split('\n')) {
            if (l.isEmpty())
                continue;
            if (l.startsWith("# "))
                comments << l;
            else if (header.isEmpty())
                header = l;
            else
                rows << l;
        }
    }
    bool has(const QByteArray &line) const { return comments.contains(line); }
};
}

class TestAcquire : public QObject {
    Q_OBJECT
private slots:
    void helpAndUsage()
    {
        Result r = acquire({"--help"});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("--source"));
        r = acquire({"--mode", "bogus"});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("--mode"));
        r = acquire({"--averages", "0"});
        QCOMPARE(r.code, 2);
        r = acquire({"--mode", "na", "--source", "127.0.0.1"});
        QCOMPARE(r.code, 2);
        r = acquire({"--signal", "sine amp=1", "--points", "64"}); // freq is required
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("--signal"));
        // Every usage error is found before anything is opened, exits 2 and
        // names its option.
        const QList<QStringList> bad = {
            {"--window", "hanning-ish"},
            {"--mode", "spectrum", "--unit", "furlongs"},
            {"--unit", "dBV"}, // scope mode records volts
            {"--average", "median"},
            {"--source", "127.0.0.1:5025x"},
            {"--source", "127.0.0.1:0"},
            {"--source", "127.0.0.1:65536"},
            {"--source", "TCPIP0::127.0.0.1::inst0::INSTR"},
            {"--source", "127.0.0.1", "--driver", "no-such-scope"},
            {"--driver", "qaio"}, // a SCPI option on the simulation
        };
        for (const QStringList &args : bad) {
            r = acquire(args);
            QVERIFY2(r.code == 2, qPrintable(args.join(' ')));
            QVERIFY2(r.err.contains(args[args.size() - 2].toUtf8()), r.err.constData());
        }
    }

    void outIsWrittenWholeOrNotAtAll()
    {
        QTemporaryDir dir;
        QString out = dir.filePath("a.csv");
        // An unwritable place fails before the acquisition.
        Result r = acquire({"--out", dir.filePath("no/such/dir/a.csv")});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("--out"));
        // A failed run keeps the previous file whole, and leaves no temporary.
        QFile prev(out);
        QVERIFY(prev.open(QIODevice::WriteOnly));
        prev.write("previous\n");
        prev.close();
        qaio_server *srv = nullptr;
        QCOMPARE(qaio_start_server(qaio_loop_get(), nullptr, 0, [](qaio_stream *, void *) { return 0; },
                                   nullptr, &srv),
                 0);
        int port = qaio_server_port(srv);
        qaio_server_close(srv);
        r = acquire({"--source", QString("127.0.0.1:%1").arg(port), "--out", out});
        QCOMPARE(r.code, 1);
        QVERIFY(prev.open(QIODevice::ReadOnly));
        QCOMPARE(prev.readAll(), QByteArray("previous\n"));
        prev.close();
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"a.csv"});
        // An interrupted run too.
        QProcess p;
        p.start(QStringLiteral(QAIO_ACQUIRE_PATH),
                {"--averages", "1000", "--points", "1000", "--rate", "1e3", "--out", out});
        QVERIFY(p.waitForStarted(10000));
        QTest::qWait(300);
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 130);
        QVERIFY(prev.open(QIODevice::ReadOnly));
        QCOMPARE(prev.readAll(), QByteArray("previous\n"));
        prev.close();
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"a.csv"});
        // A run that completes replaces it.
        r = acquire({"--points", "64", "--out", out});
        QCOMPARE(r.code, 0);
        QVERIFY(prev.open(QIODevice::ReadOnly));
        QVERIFY(prev.readAll().startsWith("# format: qaio-csv 1\n# program: qaio-acquire"));
    }

    void spectrumFromSimulationToFile()
    {
        QTemporaryDir dir;
        QString file = dir.filePath("s.csv");
        Result r = acquire({"--mode", "spectrum", "--averages", "4", "--points", "2048", "--rate",
                            "1.024e6", "--signal", "sine amp=1 freq=100e3; noise rms=1e-4",
                            "--window", "flattop", "--unit", "dBV", "--out", file});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.isEmpty());
        QVERIFY(r.err.contains("4/4")); // plain progress lines (stderr is a pipe)
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        Csv csv(f.readAll());
        QVERIFY(csv.has("# used.mode: spectrum"));
        QVERIFY(csv.has("# averages: 4")); // records in the curve
        QVERIFY(csv.has("# asked.averages: 4"));
        QVERIFY(csv.has("# used.window: flattop"));
        QVERIFY(csv.has("# used.unit: dBV"));
        QVERIFY(csv.has("# domain: frequency"));
        QCOMPARE(csv.header, QByteArray("frequency_Hz,ch1_dBV"));
        // The library's reader takes it back whole.
        qaio_trace *t = qaio_trace_new(0, 0);
        qaio_csv_error err;
        QVERIFY2(qaio_csv_read_file(qPrintable(file), t, nullptr, &err) == 0, err.message);
        QCOMPARE(t->n, size_t(1025));
        QCOMPARE(t->domain, QAIO_DOMAIN_FREQUENCY);
        QCOMPARE(QByteArray(t->y_unit), QByteArray("dBV"));
        QCOMPARE(t->averages, 4u);
        QCOMPARE(qaio_trace_x(t, 200), 100e3);
        qaio_trace_free(t);
        QCOMPARE(csv.rows.size(), 1025);
        // 100 kHz is bin 200: a 1 Vpk tone reads -3.01 dBV through a flat-top.
        QList<QByteArray> peak = csv.rows[200].split(',');
        QCOMPARE(peak[0].toDouble(), 100e3);
        QVERIFY(qAbs(peak[1].toDouble() + 3.0103) < 0.01);
    }

    void scopeAndNaToStdout()
    {
        Result r = acquire({"--mode", "scope", "--points", "100", "--channels", "3", "--signal",
                            "dc level=0.5"});
        QCOMPARE(r.code, 0);
        Csv csv(r.out);
        QCOMPARE(csv.header, QByteArray("time_s,ch1_V,ch2_V"));
        QCOMPARE(csv.rows.size(), 100);
        QCOMPARE(csv.rows[3], QByteArray("3e-06,0.5,0.5"));
        r = acquire({"--mode", "na", "--points", "51", "--averages", "2"});
        QCOMPARE(r.code, 0);
        Csv na(r.out);
        QCOMPARE(na.header, QByteArray("frequency_Hz,ch1_dB,ch2_deg"));
        QCOMPARE(na.rows.size(), 51);
    }

    // --measure: one line per channel on stderr (the CSV stays alone on
    // stdout), values as measure.h computes them: a 1 Vpk 10 kHz sine reads
    // vpp 2 V, rms 0.707 V, 10 kHz; DC has no frequency (nan). Spectra
    // have no such measurements: a usage error.
    void measureOnStderr()
    {
        Result r = acquire({"--points", "4096", "--channels", "3", "--signal", "sine amp=1 freq=10e3", "--measure"});
        QCOMPARE(r.code, 0);
        QCOMPARE(Csv(r.out).rows.size(), 4096);
        QMap<QByteArray, double> m;
        QByteArray ch1;
        for (const QByteArray &l : r.err.split('\n'))
            if (l.startsWith("ch1: "))
                ch1 = l;
        QVERIFY2(!ch1.isEmpty(), r.err.constData());
        for (const QByteArray &kv : ch1.mid(5).split(' '))
            if (kv.contains('='))
                m[kv.left(kv.indexOf('='))] = kv.mid(kv.indexOf('=') + 1).toDouble();
        QVERIFY2(qAbs(m["vpp"] - 2) < 2e-3, ch1.constData());
        QVERIFY2(qAbs(m["rms"] - std::sqrt(0.5)) < 5e-3, ch1.constData());
        QVERIFY2(qAbs(m["frequency"] - 1e4) < 1, ch1.constData());
        QVERIFY2(qAbs(m["period"] - 1e-4) < 1e-8, ch1.constData());
        QVERIFY(r.err.contains("\nch2: vpp=") || r.err.startsWith("ch2: vpp="));
        r = acquire({"--points", "100", "--signal", "dc level=0.5", "--measure"});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.contains("ch1: vpp=0 V") && r.err.contains("mean=0.5 V") &&
                     r.err.contains("frequency=nan Hz"), r.err.constData());
        r = acquire({"--mode", "spectrum", "--measure"});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("--measure"));
    }

    void overScpiFromTheRealServer()
    {
        QProcess sim;
        sim.start(QStringLiteral(QAIO_SIM_PATH), {"--port", "0", "--signal", "dc level=-0.25"});
        QVERIFY(sim.waitForStarted(10000) && sim.waitForReadyRead(10000));
        QByteArray port = sim.readLine().trimmed();
        QVERIFY(port.toInt() > 0);
        Result r = acquire({"--source", "127.0.0.1:" + port, "--points", "256", "--averages", "3",
                            "--rate", "2e6"});
        QCOMPARE(r.code, 0);
        Csv csv(r.out);
        QVERIFY(csv.has("# source: 127.0.0.1:" + port));
        QVERIFY(csv.has("# instrument: qaio,qaio-instrument-sim,0,0.1.0"));
        QCOMPARE(csv.header, QByteArray("time_s,ch1_V"));
        QCOMPARE(csv.rows.size(), 256);
        QCOMPARE(csv.rows[2], QByteArray("1e-06,-0.25"));
        // Without --points and --rate the instrument keeps what it has (now
        // 256 at 2 MS/s), and the header says so.
        r = acquire({"--source", "127.0.0.1:" + port});
        QCOMPARE(r.code, 0);
        Csv again(r.out);
        QVERIFY(again.has("# used.points: 256"));
        QVERIFY(again.has("# used.rate_hz: 2000000"));
        QVERIFY(again.has("# used.driver: qaio"));
        QVERIFY(!again.has("# asked.points: 1024")); // not asked: the instrument's own
        QCOMPARE(again.rows.size(), 256);
        // The VISA raw-socket form and a named driver reach the same scope.
        r = acquire({"--source", "TCPIP0::127.0.0.1::" + port + "::SOCKET", "--driver", "qaio"});
        QCOMPARE(r.code, 0);
        QCOMPARE(Csv(r.out).rows.size(), 256);
        sim.terminate();
        QVERIFY(sim.waitForFinished(10000));
    }

    void refusedPortIsAClearError()
    {
        // A port that was just free: nothing listens there.
        qaio_server *srv = nullptr;
        QCOMPARE(qaio_start_server(qaio_loop_get(), nullptr, 0, [](qaio_stream *, void *) { return 0; },
                                   nullptr, &srv),
                 0);
        int port = qaio_server_port(srv);
        qaio_server_close(srv);
        Result r = acquire({"--source", QString("127.0.0.1:%1").arg(port), "--timeout", "5"});
        QCOMPARE(r.code, 1);
        QCOMPARE(r.err.trimmed(),
                 QString("qaio-acquire: 127.0.0.1:%1: connection refused").arg(port).toUtf8());
        QVERIFY(r.out.isEmpty());
    }

    void ctrlCStopsCleanly()
    {
        // 1000 records of 1 s each: only an interrupt ends this in time.
        QProcess p;
        p.start(QStringLiteral(QAIO_ACQUIRE_PATH),
                {"--averages", "1000", "--points", "1000", "--rate", "1e3"});
        QVERIFY(p.waitForStarted(10000));
        QTest::qWait(500);
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 130);
        QVERIFY(p.readAllStandardError().contains("interrupted"));
        QVERIFY(p.readAllStandardOutput().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestAcquire)
#include "test_acquire.moc"
