// A fake SCPI instrument for the client driver's failure paths (test_scpi,
// test_faults): a qaio server on 127.0.0.1 that answers the driver's
// connection handshake, then does `mode` with each :DIGitize line. Every
// line it received is kept, and it counts the connections it accepted.
#pragma once

#include <QByteArray>
#include <QList>
#include <cstring>
#include <qaio.h>
#include <sys/socket.h>

struct Fake {
    enum Mode {
        HugeBlock,     // a block header announcing 100 MB
        Silent,        // never answers :DIG
        Garbage,       // a preamble followed by no block at all
        FixedRate,     // refuses to set the sample rate, as many real scopes do
        ResetMidBlock, // first connection: half a block, then a reset (SO_LINGER 0);
                       // later connections: whole 1024-point records of 0.5 V
    } mode;
    qaio_server *srv = nullptr;
    QList<QByteArray> lines;
    int connections = 0;
    explicit Fake(Mode m) : mode(m)
    {
        qaio_start_server(qaio_loop_get(), nullptr, 0, handler, this, &srv);
    }
    ~Fake() { qaio_server_close(srv); }
    int port() const { return qaio_server_port(srv); }

    // REAL (float32, LSB first) preamble and block of 1024 points at 1 MS/s.
    static constexpr const char *kPreamble = "8,0,1024,1,1e-06,0,0,1,0,0;#44096";
    static constexpr float kVolts = 0.5f;
    static QByteArray record()
    {
        QByteArray r(kPreamble);
        for (int i = 0; i < 1024; i++)
            r.append(reinterpret_cast<const char *>(&kVolts), sizeof kVolts);
        return r + "\n";
    }

    static int handler(qaio_stream *c, void *arg)
    {
        auto *f = static_cast<Fake *>(arg);
        int connection = ++f->connections;
        char line[4096];
        for (;;) {
            ssize_t n = qaio_stream_readline(c, line, sizeof line, QAIO_FOREVER);
            if (n <= 0)
                return 0;
            QByteArray l(line, int(n));
            f->lines.append(l.trimmed());
            QByteArray a;
            if (l.contains(":SYST:ERR?"))
                a = f->mode == FixedRate && l.contains(":ACQ:SRAT ")
                        ? "-221,\"Settings conflict;sample rate is fixed\"\n"
                        : "0,\"No error\"\n";
            else if (l.startsWith("*IDN?"))
                a = "fake,scope,0,1\n";
            else if (l.startsWith(":ACQ:POIN?"))
                a = "1024;1000000;AUTO;POS;CHAN1;0\n";
            else if (l.startsWith(":DIG")) {
                if (f->mode == HugeBlock)
                    a = "8,0,1024,1,1e-06,0,0,1,0,0;#9100000000";
                else if (f->mode == Garbage)
                    a = "8,0,1024,1,1e-06,0,0,1,0,0;$$$$\n";
                else if (f->mode == ResetMidBlock && connection > 1)
                    a = record();
                else if (f->mode == ResetMidBlock)
                    return resetMidBlock(c);
                else
                    continue; // silent
            }
            if (!a.isEmpty())
                qaio_stream_write(c, a.constData(), size_t(a.size()));
        }
    }

    // Sends the header and 2000 of the block's 4096 bytes, lets them reach
    // the driver, then resets the connection: the server closes the fd when
    // the handler returns, and SO_LINGER 0 makes that close an RST.
    static int resetMidBlock(qaio_stream *c)
    {
        QByteArray half = record().left(int(strlen(kPreamble)) + 2000);
        qaio_stream_write(c, half.constData(), size_t(half.size()));
        qaio_stream_set_write_limits(c, 0, 0);
        qaio_stream_drain(c, 5); // all of it handed to the kernel
        qaio_sleep(0.05);        // the driver is most likely reading the block now
        linger lg = {1, 0};
        setsockopt(qaio_stream_fd(c), SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        return 0;
    }
};
