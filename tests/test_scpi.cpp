// The SCPI server and client driver: our driver against our server run
// in-process (records bit-exact against the simulation, every waveform
// format, run_single and the spectrum analyzer equal to the simulation's),
// the error queue and status bytes, oversized lines, a client leaving in
// the middle of a block, ten clients at once, broken and silent servers
// (oversized block header, no answer, killed), and the real
// qaio-instrument-sim binary with lxi-tools as an independent client.
#include "fake_family.h"
#include "fake_scpi.h"
#include "sim_process.h"
#include "testutil.h"

#include <QProcess>
#include <QStandardPaths>
#include <qaio/instr.h>
#include <signal.h>
#include <cmath>
#include <vector>

namespace {
qaio_loop *L;
// 12207.03125 Hz is bin 50 of a 4096-point record at 1 MS/s: no scalloping.
const char *kSignal = "sine amp=1 freq=12207.03125 h2=-40; noise rms=1e-3; seed=3";

struct Server {
    qaio_scpi_server *srv = nullptr;
    explicit Server(size_t points = 1024, double rate = 1e6, const char *sig = kSignal)
    {
        qaio_scpi_server_options o;
        qaio_scpi_server_options_default(&o);
        o.port = 0;
        o.points = points;
        o.rate = rate;
        o.signal = sig;
        char msg[200];
        int err = qaio_scpi_server_start(L, &o, &srv, msg, sizeof msg);
        if (err)
            qWarning("server: %s", msg);
    }
    ~Server() { close(); }
    void close()
    {
        if (srv)
            QCOMPARE(qaio_scpi_server_close(srv), 0);
        srv = nullptr;
    }
    int port() const { return qaio_scpi_server_port(srv); }
};

// A plain line-oriented client on a qaio stream (blocking calls: nested loop).
struct Raw {
    qaio_stream *s = nullptr;
    explicit Raw(int port) { qaio_open_connection(L, "127.0.0.1", port, 5, &s); }
    ~Raw() { qaio_stream_close(s); }
    void send(const QByteArray &line) { QCOMPARE(qaio_stream_write(s, line.constData(), size_t(line.size())), 0); }
    QByteArray ask(const QByteArray &line)
    {
        send(line + "\n");
        char buf[8192];
        ssize_t n = qaio_stream_readline(s, buf, sizeof buf, 5);
        if (n <= 0)
            return "<" + QByteArray(qaio_err_name(int(n))) + ">";
        return QByteArray(buf, int(n)).trimmed();
    }
};

// The record the server's scope just took, recomputed from the signal.
std::vector<float> expected(Server &sv, size_t n, double fs, unsigned ch = 1)
{
    qaio_instrument *sc = qaio_scpi_server_scope(sv.srv);
    std::vector<float> y(n);
    qaio_signal_generate(qaio_scope_signal(sc, ch), ch, qaio_scope_last_start(sc), fs, y.data(), n);
    return y;
}

qaio_instrument *simScope(size_t points, double rate, const char *sig)
{
    qaio_scope_settings s;
    qaio_scope_settings_default(&s);
    s.points = points;
    s.rate = rate;
    qaio_instrument *sc = qaio_scope_new(L, &s);
    qaio_scope_set_signal(sc, 1, sig, nullptr, 0);
    return sc;
}

}

class TestScpi : public QObject {
    Q_OBJECT
private slots:
    void init() { L = qaio_loop_get(); }

    void idnStatusAndErrorQueue()
    {
        Server sv;
        QVERIFY(sv.srv);
        Raw r(sv.port());
        QVERIFY(r.s);
        QCOMPARE(r.ask("*IDN?"), QByteArray("qaio,qaio-instrument-sim,0,0.1.0"));
        QCOMPARE(r.ask("*idn?;*OPC?;*TST?"), QByteArray("qaio,qaio-instrument-sim,0,0.1.0;1;0"));
        QCOMPARE(r.ask(":SYST:ERR?"), QByteArray("0,\"No error\""));
        // Each malformed or refused command queues its standard error.
        struct {
            const char *line;
            int err;
        } cases[] = {
            {":FOO:BAR", -113},        {"*IDN", -113},             {":WAV:DATA? 1", -108},
            {":ACQ:POIN", -109},       {":ACQ:POIN 1", -222},      {":ACQ:POIN 1e9", -222},
            {":ACQ:POIN FOO", -104},   {":TRIG:SWE SIDEWAYS", -224}, {":WAV:FORM \"REAL\"", -104},
            {":ACQ:POIN 1 2", -103},   {":ACQ:POIN 1.2.3", -121},  {":WAV:DATA?x", -111},
            {":SIM:SIGN \"bogus\"", -224}, {"@", -102},            {":A \"open", -151},
            {":RUN 5", -108},
        };
        for (auto &c : cases) {
            r.send(QByteArray(c.line) + "\n");
            QByteArray e = r.ask(":SYST:ERR?");
            QVERIFY2(e.startsWith(QByteArray::number(c.err) + ",\""), c.line + QByteArray(" -> ") + e);
            QCOMPARE(r.ask(":SYST:ERR?"), QByteArray("0,\"No error\""));
        }
        // *ESR? bits: command error (0x20) and execution error (0x10); cleared on read.
        r.send(":FOO;:ACQ:POIN 1\n");
        QCOMPARE(r.ask("*ESR?"), QByteArray("48"));
        QCOMPARE(r.ask("*ESR?"), QByteArray("0"));
        QCOMPARE(r.ask("*STB?"), QByteArray("4")); // errors queued
        QCOMPARE(r.ask("*CLS;*STB?"), QByteArray("0"));
        QCOMPARE(r.ask(":SYST:ERR:COUN?"), QByteArray("0"));
        // Overflow: 16 entries, the last is -350; later errors are lost.
        for (int i = 0; i < 20; i++)
            r.send(":NOPE\n");
        QCOMPARE(r.ask(":SYST:ERR:COUN?"), QByteArray("16"));
        for (int i = 0; i < 15; i++)
            QVERIFY(r.ask(":SYST:ERR?").startsWith("-113,"));
        QCOMPARE(r.ask(":SYST:ERR?"), QByteArray("-350,\"Queue overflow\""));
        QCOMPARE(r.ask(":SYST:ERR?"), QByteArray("0,\"No error\""));
        // Settings round trip, short and long forms, relative paths.
        QCOMPARE(r.ask(":TRIGger:EDGE:LEVel 0.25;SLOPe NEG;:trig:edge:lev?;slop?;:TRIG:SWE?"),
                 QByteArray("0.25;NEG;AUTO"));
        QCOMPARE(r.ask(":ACQ:POIN 2048;POIN?;SRAT?;:ACQuire:TYPE?;COUN?"),
                 QByteArray("2048;1000000;NORM;1"));
        QCOMPARE(r.ask("*RST;:ACQ:POIN?;:TRIG:EDGE:LEV?"), QByteArray("1024;0"));
        // The successful commands before a parse error ran.
        r.send(":ACQ:POIN 512;@@;:ACQ:POIN 256\n");
        QCOMPARE(r.ask(":ACQ:POIN?"), QByteArray("512"));
        QVERIFY(r.ask(":SYST:ERR?").startsWith("-102,"));
    }

    void oversizedLinesKeepTheConnection()
    {
        Server sv;
        Raw r(sv.port());
        r.send(QByteArray(10000, 'A') + "\n");
        QCOMPARE(r.ask("*IDN?").left(4), QByteArray("qaio"));
        QVERIFY(r.ask(":SYST:ERR?").startsWith("-223,"));
        // Exactly the limit is fine; one more byte is not.
        QByteArray ok = ":ACQ:POIN 300;" + QByteArray(QAIO_SCPI_LINE_MAX - 18, ' ') + "*CLS";
        QCOMPARE(ok.size(), QAIO_SCPI_LINE_MAX);
        r.send(ok + " \n");
        QVERIFY(r.ask(":SYST:ERR?").startsWith("-223,"));
        QCOMPARE(r.ask(":ACQ:POIN?"), QByteArray("1024")); // nothing of it ran
        r.send(ok + "\r\n");
        QCOMPARE(r.ask(":ACQ:POIN?;:SYST:ERR?"), QByteArray("300;0,\"No error\""));
        // A megabyte without a newline, then a command in the same write.
        r.send(QByteArray(1 << 20, 'x') + "\n*OPC?\n");
        char buf[64];
        ssize_t n = qaio_stream_readline(r.s, buf, sizeof buf, 10);
        QCOMPARE(QByteArray(buf, int(n)), QByteArray("1\n"));
        QVERIFY(r.ask(":SYST:ERR?").startsWith("-223,"));
        QCOMPARE(r.ask(":SYST:ERR?"), QByteArray("0,\"No error\""));
    }

    void everyFormatDecodesToTheSignal()
    {
        const size_t n = 2000;
        const double fs = 2e6;
        Server sv(n, fs);
        qaio_instrument *sc = nullptr;
        QCOMPARE(qaio_scpi_scope_open(L, "127.0.0.1", sv.port(), 5, &sc), 0);
        QVERIFY(QByteArray(qaio_scpi_scope_idn(sc)).startsWith("qaio,"));
        qaio_scope_settings set;
        QCOMPARE(qaio_scpi_scope_get_settings(sc, &set), 0);
        QCOMPARE(set.points, n);
        QCOMPARE(set.rate, fs);
        qaio_trace *rec = qaio_trace_new(0, 0);
        struct {
            const char *fmt;
            double tol; // in units of the record's peak
        } formats[] = {{"REAL", 0}, {"ASC", 0}, {"WORD", 0.5 / 32767 + 1e-7}, {"BYTE", 0.5 / 127 + 1e-6}};
        for (auto &f : formats) {
            for (const char *order : {"LSBF", "MSBF"}) {
                QByteArray cmd = QByteArray(":WAV:FORM ") + f.fmt + ";:WAV:BYT " + order;
                QCOMPARE(qaio_scpi_scope_query(sc, cmd.constData(), nullptr, 0), 0);
                if (QByteArray(order) == "MSBF" && QByteArray(f.fmt) != "BYTE" && QByteArray(f.fmt) != "ASC")
                    continue; // the driver reads LSB first (it asks for it)
                QCOMPARE(qaio_instrument_acquire(sc, rec, 5), 0);
                QCOMPARE(rec->n, n);
                QCOMPARE(rec->dx, 1 / fs);
                std::vector<float> y = expected(sv, n, fs);
                double peak = 0, worst = 0;
                for (size_t i = 0; i < n; i++) {
                    peak = std::max(peak, std::fabs(double(y[i])));
                    worst = std::max(worst, std::fabs(double(rec->y[0][i]) - y[i]));
                }
                QVERIFY2(worst <= f.tol * peak + 1e-7 * peak, qPrintable(QString("%1: %2").arg(f.fmt).arg(worst)));
            }
        }
        // Both channels in one record; channel 2's noise is its own.
        set.channels = 3;
        QCOMPARE(qaio_scpi_scope_query(sc, ":WAV:FORM REAL;:WAV:BYT LSBF", nullptr, 0), 0);
        QCOMPARE(qaio_scpi_scope_set_settings(sc, &set), 0);
        QCOMPARE(qaio_instrument_acquire(sc, rec, 5), 0);
        QCOMPARE(rec->nch, size_t(2));
        QCOMPARE(rec->channel[1], 2);
        std::vector<float> y2 = expected(sv, n, fs, 2);
        QCOMPARE(rec->y[1][17], y2[17]);
        QVERIFY(rec->y[0][17] != y2[17]);
        // A refused setting is QAIO_EIO with the instrument's words.
        char idn[128];
        QVERIFY(qaio_scpi_scope_query(sc, "*IDN?", idn, sizeof idn) > 0);
        set.points = 1 << 23; // over the simulator's 4 Mi points
        QCOMPARE(qaio_scpi_scope_set_settings(sc, &set), int(QAIO_EIO));
        QVERIFY(QByteArray(qaio_scpi_scope_last_error(sc)).contains(": -222,"));
        QVERIFY(qaio_scpi_scope_connected(sc));
        qaio_trace_free(rec);
        QCOMPARE(qaio_instrument_free(sc), 0);
    }

    void spectrumViaScpiEqualsSimulation()
    {
        // Same signal, seed, settings and trigger: the server's scope and a
        // local one produce the same records, and REAL transfers floats as
        // they are, so the averaged spectra agree to float rounding.
        const size_t n = 4096;
        const double fs = 1e6;
        Server sv(n, fs);
        qaio_instrument *remote = nullptr;
        // A generous io timeout: the served analyzer runs for seconds under
        // valgrind, and this test compares values, not speed.
        QCOMPARE(qaio_scpi_scope_open(L, "127.0.0.1", sv.port(), 60, &remote), 0);
        qaio_instrument *local = simScope(n, fs, kSignal);
        qaio_spectrum_settings ss;
        qaio_spectrum_settings_default(&ss);
        ss.window = QAIO_WINDOW_BLACKMAN_HARRIS;
        ss.unit = QAIO_UNIT_DBV;
        qaio_instrument *ra = qaio_spectrum_analyzer_new(remote, &ss);
        qaio_instrument *la = qaio_spectrum_analyzer_new(local, &ss);
        qaio_future *fr = qaio_instrument_run_single(ra, 8);
        qaio_future *fl = qaio_instrument_run_single(la, 8);
        void *vr, *vl;
        QCOMPARE(qaio_future_result_timeout(fr, 120, &vr), 0);
        QCOMPARE(qaio_future_result_timeout(fl, 120, &vl), 0);
        auto *a = static_cast<qaio_trace *>(vr), *b = static_cast<qaio_trace *>(vl);
        QCOMPARE(a->n, n / 2 + 1);
        QCOMPARE(a->n, b->n);
        QCOMPARE(a->enbw_hz, b->enbw_hz);
        QCOMPARE(qaio_trace_x(a, 50), qaio_trace_x(b, 50));
        double worst = 0;
        for (size_t k = 0; k < a->n; k++)
            worst = std::max(worst, std::fabs(double(a->y[0][k]) - b->y[0][k]));
        QVERIFY2(worst < 1e-3, qPrintable(QString::number(worst))); // dB
        // The tone itself: 1 Vpk on bin 50 reads -3.01 dBV.
        const size_t k0 = 50;
        QVERIFY(std::fabs(a->y[0][k0] - (-3.0103)) < 0.1);
        qaio_future_unref(fr);
        qaio_future_unref(fl);
        QCOMPARE(qaio_instrument_free(ra), 0);
        QCOMPARE(qaio_instrument_free(la), 0);
        QCOMPARE(qaio_instrument_free(remote), 0);
        QCOMPARE(qaio_instrument_free(local), 0);
    }

    void continuousModeOverScpi()
    {
        Server sv(1000, 1e6, "dc level=0.5");
        qaio_instrument *sc = nullptr;
        QCOMPARE(qaio_scpi_scope_open(L, "127.0.0.1", sv.port(), 5, &sc), 0);
        qaio_run_options o;
        qaio_run_options_default(&o);
        o.averages = 4;
        qaio_continuous *c = qaio_continuous_new(sc, &o);
        QCOMPARE(qaio_continuous_start(c), 0);
        LoopChecker lc;
        QVERIFY(runUntil([&] { return qaio_continuous_count(c) >= 10; }, 20000));
        QVERIFY(lc.ticks() > 0);
        qaio_trace *t = qaio_trace_new(0, 0);
        QCOMPARE(qaio_continuous_read(c, t), 0);
        QCOMPARE(t->y[0][10], 0.5f);
        QCOMPARE(qaio_continuous_stop(c), 0); // cancels mid-exchange: the driver reconnects
        QCOMPARE(qaio_continuous_start(c), 0);
        unsigned k = qaio_continuous_count(c);
        QVERIFY(runUntil([&] { return qaio_continuous_count(c) >= k + 3; }, 20000));
        qaio_continuous_free(c);
        qaio_trace_free(t);
        QCOMPARE(qaio_instrument_free(sc), 0);
    }

    void clientLeavingMidBlock()
    {
        Server sv;
        {
            Raw r(sv.port());
            r.send(":ACQ:POIN 500000;:ACQ:SRAT 1e9;:WAV:FORM ASC;:DIG;:WAV:DATA?\n"); // ~7 MB of text
            char buf[100];
            QCOMPARE(qaio_stream_readexactly(r.s, buf, sizeof buf, 10), ssize_t(sizeof buf));
            QCOMPARE(buf[0], '#');
        } // closed with megabytes unsent
        QVERIFY(runUntil([&] { return qaio_scpi_server_sessions(sv.srv) == 0; }, 10000));
        Raw r2(sv.port());
        QCOMPARE(r2.ask("*RST;*IDN?").left(4), QByteArray("qaio"));
    }

    void tenClientsAtOnce()
    {
        Server sv(4096, 1e7);
        struct Ctx {
            int port;
            int ok = 0;
            int errors = 0;
        } ctx{sv.port()};
        auto client = [](void *arg, qaio_future *) -> int {
            auto *c = static_cast<Ctx *>(arg);
            qaio_instrument *sc = nullptr;
            int err = qaio_scpi_scope_open(qaio_loop_get(), "127.0.0.1", c->port, 5, &sc);
            if (!err) {
                qaio_future *f = qaio_instrument_run_single(sc, 10);
                void *v;
                err = qaio_await(f, &v);
                if (!err && static_cast<qaio_trace *>(v)->n != 4096)
                    err = QAIO_EPROTO;
                qaio_future_unref(f);
            }
            qaio_instrument_free(sc);
            (err ? c->errors : c->ok)++;
            return err;
        };
        std::vector<qaio_future *> fs;
        for (int i = 0; i < 10; i++)
            fs.push_back(qaio_spawn(L, client, &ctx));
        QVERIFY(runUntil([&] { return qaio_scpi_server_sessions(sv.srv) >= 2; }, 10000));
        qaio_future *all = qaio_gather(fs.data(), fs.size());
        QCOMPARE(qaio_future_result_timeout(all, 60, nullptr), 0);
        QCOMPARE(ctx.ok, 10);
        qaio_future_unref(all);
        for (auto *f : fs)
            qaio_future_unref(f);
    }

    void driverBoundsAndTimeouts()
    {
        qaio_trace *rec = qaio_trace_new(0, 0);
        {
            Fake f(Fake::HugeBlock);
            qaio_instrument *sc = nullptr;
            QCOMPARE(qaio_scpi_scope_open(L, "127.0.0.1", f.port(), 2, &sc), 0);
            QCOMPARE(qaio_instrument_acquire(sc, rec, 2), int(QAIO_EMSGSIZE));
            QVERIFY(!qaio_scpi_scope_connected(sc));
            QCOMPARE(qaio_instrument_free(sc), 0);
        }
        {
            Fake f(Fake::Garbage);
            qaio_instrument *sc = nullptr;
            QCOMPARE(qaio_scpi_scope_open(L, "127.0.0.1", f.port(), 2, &sc), 0);
            QCOMPARE(qaio_instrument_acquire(sc, rec, 2), int(QAIO_EPROTO));
            QCOMPARE(qaio_instrument_free(sc), 0);
        }
        {
            Fake f(Fake::Silent);
            qaio_instrument *sc = nullptr;
            QCOMPARE(qaio_scpi_scope_open(L, "127.0.0.1", f.port(), 0.3, &sc), 0);
            QElapsedTimer t;
            t.start();
            QCOMPARE(qaio_instrument_acquire(sc, rec, 0.3), int(QAIO_ETIMEDOUT));
            // No acquisition timeout: the driver's io timeout still bounds it.
            QCOMPARE(qaio_instrument_acquire(sc, rec, QAIO_FOREVER), int(QAIO_ETIMEDOUT));
            QVERIFY(t.elapsed() < 5000);
            QCOMPARE(qaio_scpi_scope_reconnect(sc), 0);
            QVERIFY(qaio_scpi_scope_connected(sc));
            QCOMPARE(qaio_instrument_free(sc), 0);
        }
        {
            // Only what changed is sent: a scope with a fixed rate takes new
            // points, and refuses a new rate with its own message.
            Fake f(Fake::FixedRate);
            qaio_instrument *sc = nullptr;
            QCOMPARE(qaio_scpi_scope_open(L, "127.0.0.1", f.port(), 2, &sc), 0);
            qaio_scope_settings s;
            QCOMPARE(qaio_scpi_scope_get_settings(sc, &s), 0);
            QCOMPARE(s.rate, 1e6);
            s.points = 2048;
            s.trigger_level = 0.25;
            f.lines.clear();
            QCOMPARE(qaio_scpi_scope_set_settings(sc, &s), 0);
            QVERIFY(f.lines.contains(":ACQ:POIN 2048;:TRIG:EDGE:LEV 0.25;:SYST:ERR?"));
            for (const QByteArray &l : f.lines)
                QVERIFY2(!l.contains(":ACQ:SRAT ") && !l.contains(":TRIG:SWE "), l.constData());
            s.rate = 2e6;
            QCOMPARE(qaio_scpi_scope_set_settings(sc, &s), int(QAIO_EIO));
            QVERIFY(QByteArray(qaio_scpi_scope_last_error(sc)).contains("sample rate is fixed"));
            QVERIFY(qaio_scpi_scope_connected(sc));
            QCOMPARE(qaio_instrument_free(sc), 0);
        }
        // Nothing listening; bad arguments.
        qaio_instrument *sc = nullptr;
        int port;
        {
            Fake f(Fake::Silent);
            port = f.port();
        }
        QCOMPARE(qaio_scpi_scope_open(L, "127.0.0.1", port, 2, &sc), int(QAIO_ECONNREFUSED));
        QVERIFY(!sc);
        QCOMPARE(qaio_scpi_scope_open(L, nullptr, port, 2, &sc), int(QAIO_EINVAL));
        QCOMPARE(qaio_scpi_scope_open(L, "127.0.0.1", port, 0, &sc), int(QAIO_EINVAL));
        QCOMPARE(qaio_scpi_scope_reconnect(nullptr), int(QAIO_EINVAL));
        QCOMPARE(qaio_scpi_scope_query(nullptr, "*IDN?", nullptr, 0), int(QAIO_EINVAL));
        qaio_trace_free(rec);
    }

    // Answers the driver must refuse, each found by fuzz/ (scpi_settings.c,
    // scpi_block.c): points beyond size_t, NaN or an infinite rate in the
    // settings (undefined conversions, settings set_settings would refuse);
    // a format number beyond int (undefined); an ASCii value too long for
    // the decoder (it was read as two values: a wrong record); 16M points
    // announced for a 1-byte block (the record was sized first). Each is
    // QAIO_EPROTO now.
    void driverRefusesMalformedAnswers()
    {
        auto exchange = [](const QByteArray &settings, const QByteArray &record,
                           qaio_trace *rec) {
            ScriptFake s;
            if (!s.srv)
                return int(QAIO_EIO);
            s.onStart("*IDN?", "fake,scope,0,1\n")
                .onStart(":ACQ:POIN?", settings + "\n")
                .onStart(":DIG", record);
            qaio_instrument *sc = nullptr;
            int err = qaio_scpi_scope_open(L, "127.0.0.1", s.port(), 2, &sc);
            if (!err)
                err = qaio_instrument_acquire(sc, rec, 2);
            qaio_instrument_free(sc);
            return err;
        };
        const QByteArray good = "1024;1000000;AUTO;POS;CHAN1;0";
        qaio_trace *rec = qaio_trace_new(0, 0);
        const float two[2] = {0.25f, -1.5f};
        QByteArray real = "8,0,2,1,1e-06,0,0,1,0,0;#18" +
                          QByteArray(reinterpret_cast<const char *>(two), sizeof two) + "\n";
        QCOMPARE(exchange(good, real, rec), 0);
        QCOMPARE(rec->n, size_t(2));
        QCOMPARE(rec->y[0][1], -1.5f);
        for (const char *bad : {"1e300;1000000;AUTO;POS;CHAN1;0", "nan;1000000;AUTO;POS;CHAN1;0",
                                "1024;inf;AUTO;POS;CHAN1;0", "1024;1000000;AUTO;POS;CHAN1;nan"})
            QCOMPARE(exchange(bad, real, rec), int(QAIO_EPROTO));
        const QByteArray longValue = "1." + QByteArray(66, '0') + ",2";
        const QByteArray records[] = {
            "1e10,0,2,1,1e-06,0,0,1,0,0;#18" + real.mid(27),
            "4,0,2,1,1e-06,0,0,1,0,0;#270" + longValue + "\n",
            "4,0,16000000,1,1e-06,0,0,1,0,0;#111\n",
        };
        for (const QByteArray &r : records)
            QCOMPARE(exchange(good, r, rec), int(QAIO_EPROTO));
        qaio_trace_free(rec);
    }

    void serverGoneInProcess()
    {
        Server sv;
        qaio_instrument *sc = nullptr;
        QCOMPARE(qaio_scpi_scope_open(L, "127.0.0.1", sv.port(), 2, &sc), 0);
        qaio_trace *rec = qaio_trace_new(0, 0);
        QCOMPARE(qaio_instrument_acquire(sc, rec, 2), 0);
        sv.close();
        int err = qaio_instrument_acquire(sc, rec, 2);
        QVERIFY2(err == QAIO_ECONNRESET || err == QAIO_EPIPE, qaio_err_name(err));
        QCOMPARE(qaio_instrument_acquire(sc, rec, 2), int(QAIO_ECONNREFUSED)); // tries again
        QCOMPARE(qaio_instrument_free(sc), 0);
        qaio_trace_free(rec);
    }

    void realServerKilled()
    {
        QProcess p;
        int port = startSim(p, {"--points", "8192", "--rate", "1e5"});
        QVERIFY(port > 0);
        qaio_instrument *sc = nullptr;
        QCOMPARE(qaio_scpi_scope_open(L, "127.0.0.1", port, 5, &sc), 0);
        qaio_trace *rec = qaio_trace_new(0, 0);
        QCOMPARE(qaio_instrument_acquire(sc, rec, 5), 0);
        // Kill it while a record (82 ms of signal) is being taken.
        qaio_future *f = qaio_instrument_run_single(sc, 100);
        QVERIFY(runUntil([] { return false; }, 150) == false);
        ::kill(pid_t(p.processId()), SIGKILL);
        QElapsedTimer t;
        t.start();
        int err = qaio_future_result_timeout(f, 10, nullptr);
        QVERIFY2(err == QAIO_ECONNRESET || err == QAIO_EPIPE, qaio_err_name(err));
        QVERIFY(t.elapsed() < 5000);
        qaio_future_unref(f);
        p.waitForFinished(5000);
        QCOMPARE(qaio_scpi_scope_reconnect(sc), int(QAIO_ECONNREFUSED));
        QCOMPARE(qaio_instrument_free(sc), 0);
        qaio_trace_free(rec);
    }

    void realServerWithLxi()
    {
        QProcess p;
        int port = startSim(p);
        QVERIFY(port > 0);
        QString lxi = QStandardPaths::findExecutable("lxi");
        if (lxi.isEmpty()) {
            p.kill();
            p.waitForFinished();
            QSKIP("lxi (Debian lxi-tools) not installed: scripts/install-deps installs it");
        }
        auto lxiScpi = [&](const char *cmd) {
            QProcess q;
            q.start(lxi, {"scpi", "-a", "127.0.0.1", "-p", QString::number(port), "-r", cmd});
            q.waitForFinished(20000);
            return QByteArray(q.readAllStandardOutput().trimmed());
        };
        QCOMPARE(lxiScpi("*IDN?"), QByteArray("qaio,qaio-instrument-sim,0,0.1.0"));
        QCOMPARE(lxiScpi(":ACQ:POIN?"), QByteArray("1024"));
        QCOMPARE(lxiScpi(":FOO;:SYST:ERR?"), QByteArray("-113,\"Undefined header;:FOO\""));
        // Our driver on the same binary, meanwhile.
        qaio_instrument *sc = nullptr;
        QCOMPARE(qaio_scpi_scope_open(L, "127.0.0.1", port, 5, &sc), 0);
        qaio_future *f = qaio_instrument_run_single(sc, 3);
        QCOMPARE(qaio_future_result_timeout(f, 10, nullptr), 0);
        qaio_future_unref(f);
        QCOMPARE(qaio_instrument_free(sc), 0);
        ::kill(pid_t(p.processId()), SIGTERM); // stops cleanly
        // Generous: a sanitized build on a loaded machine tears Qt down
        // slowly. Say what the simulator printed if it does not stop.
        bool stopped = p.waitForFinished(30000);
        QVERIFY2(stopped, p.readAllStandardError().constData());
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
    }

    // Back-to-back 16k-point records over loopback average without a
    // hiccup. (Their rate is a figure: bench/qaio_scpi_waveforms.)
    void manyRecordsOverLoopback()
    {
        Server sv(16384, 1e9);
        qaio_instrument *sc = nullptr;
        QCOMPARE(qaio_scpi_scope_open(L, "127.0.0.1", sv.port(), 5, &sc), 0);
        qaio_future *f = qaio_instrument_run_single(sc, 50);
        QCOMPARE(qaio_future_result_timeout(f, 50, nullptr), 0);
        void *v = nullptr;
        QCOMPARE(qaio_future_try_result(f, &v), 0);
        auto *avg = static_cast<qaio_trace *>(v);
        QCOMPARE(avg->n, size_t(16384));
        QCOMPARE(avg->averages, 50u);
        qaio_future_unref(f);
        QCOMPARE(qaio_instrument_free(sc), 0);
    }
};

QTEST_GUILESS_MAIN(TestScpi)
#include "test_scpi.moc"
