// Streams and servers (stream.h) on real sockets, 127.0.0.1 and Unix only.
#include "testutil.h"

#include <arpa/inet.h>
#include <csignal>
#include <fcntl.h>
#include <functional>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {
qaio_loop *L;

// Echoes lines until end of stream.
int echoLines(qaio_stream *s, void *)
{
    char line[4096];
    for (;;) {
        ssize_t n = qaio_stream_readline(s, line, sizeof line, 20);
        if (n <= 0)
            return int(n);
        int err = qaio_stream_write(s, line, size_t(n));
        if (!err)
            err = qaio_stream_drain(s, 20);
        if (err)
            return err;
    }
}

// Echoes one line after a pause, so a waiting client has something to wait for.
int slowEcho(qaio_stream *s, void *)
{
    char line[64];
    ssize_t n = qaio_stream_readline(s, line, sizeof line, 20);
    if (n <= 0 || qaio_sleep(0.03) != 0)
        return int(n);
    return qaio_stream_write(s, line, size_t(n));
}

// Waits for a line that never comes (until cancelled).
int waitForever(qaio_stream *s, void *arg)
{
    ++*static_cast<int *>(arg);
    char line[64];
    return int(qaio_stream_readline(s, line, sizeof line, QAIO_FOREVER));
}

// Hands the accepted connection's stream to the test.
struct Acceptor {
    qaio_stream *conn = nullptr;
    qaio_future *release = nullptr;
    static int handler(qaio_stream *s, void *arg)
    {
        auto *a = static_cast<Acceptor *>(arg);
        a->conn = s;
        return qaio_await(a->release, nullptr); // keep the stream alive
    }
};
}

class TestStream : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { L = qaio_loop_get(); }

    void echoInTask()
    {
        TcpServer server(echoLines);
        QVERIFY(server.port > 0);
        QCOMPARE(inTask([&] {
            qaio_stream *s;
            int err = qaio_open_connection(L, "127.0.0.1", server.port, 5, &s);
            if (err)
                return err;
            char buf[64];
            for (int i = 0; i < 100; i++) {
                std::string msg = "hello " + std::to_string(i) + "\n";
                qaio_stream_write(s, msg.data(), msg.size());
                ssize_t n = qaio_stream_readline(s, buf, sizeof buf, 5);
                if (n != ssize_t(msg.size()) || msg != buf)
                    return -1000 - i;
            }
            return qaio_stream_close(s);
        }), 0);
    }

    // Outside a task every call blocks on a nested loop, which keeps running.
    void echoOutsideTask()
    {
        TcpServer server(slowEcho);
        LoopChecker checker;
        qaio_stream *s;
        QCOMPARE(qaio_open_connection(L, "127.0.0.1", server.port, 5, &s), 0);
        QCOMPARE(qaio_stream_write(s, "ping\n", 5), 0);
        char buf[16];
        QCOMPARE(qaio_stream_readline(s, buf, sizeof buf, 5), ssize_t(5));
        QCOMPARE(QByteArray(buf), QByteArray("ping\n"));
        QVERIFY(checker.ticks() > 5);
        char addr[64];
        QVERIFY(qaio_stream_peer_address(s, addr, sizeof addr) > 0);
        QCOMPARE(QByteArray(addr), QByteArray("127.0.0.1:") + QByteArray::number(server.port));
        QCOMPARE(qaio_stream_peer_address(s, addr, 4), QAIO_EMSGSIZE);
        QCOMPARE(qaio_stream_close(s), 0);
    }

    void resolvesNames()
    {
        TcpServer server(echoLines);
        qaio_stream *s;
        QCOMPARE(qaio_open_connection(L, "localhost", server.port, 10, &s), 0);
        QCOMPARE(qaio_stream_write(s, "x\n", 2), 0);
        char buf[8];
        QCOMPARE(qaio_stream_readline(s, buf, sizeof buf, 5), ssize_t(2));
        qaio_stream_close(s);
        QCOMPARE(qaio_open_connection(L, "no-such-host.invalid", server.port, 10, &s), QAIO_ENOENT);
    }

    void ipv6Loopback()
    {
        qaio_server *srv;
        int err = qaio_start_server(L, "::1", 0, echoLines, nullptr, &srv);
        if (err == QAIO_EADDRNOTAVAIL || err == -EAFNOSUPPORT)
            QSKIP("no IPv6 loopback here");
        QCOMPARE(err, 0);
        qaio_stream *s;
        QCOMPARE(qaio_open_connection(L, "::1", qaio_server_port(srv), 5, &s), 0);
        char addr[64];
        QVERIFY(qaio_stream_peer_address(s, addr, sizeof addr) > 0);
        QVERIFY(QByteArray(addr).startsWith("[::1]:"));
        qaio_stream_close(s);
        QCOMPARE(qaio_server_close(srv), 0);
    }

    void manyConcurrentClients()
    {
        TcpServer server(echoLines);
        const int clients = 200, rounds = 20;
        static int port, ok;
        port = server.port;
        ok = 0;
        std::vector<qaio_future *> fs;
        for (int c = 0; c < clients; c++)
            fs.push_back(qaio_spawn(L, [](void *arg, qaio_future *) {
                qaio_stream *s;
                int err = qaio_open_connection(L, "127.0.0.1", port, 10, &s);
                if (err)
                    return err;
                long id = long(arg);
                char buf[64];
                for (int i = 0; i < rounds; i++) {
                    std::string msg = std::to_string(id) + ":" + std::to_string(i) + "\n";
                    qaio_stream_write(s, msg.data(), msg.size());
                    if (qaio_stream_readline(s, buf, sizeof buf, 10) != ssize_t(msg.size()) || msg != buf)
                        return -1;
                }
                ok++;
                return qaio_stream_close(s);
            }, reinterpret_cast<void *>(long(c))));
        qaio_future *all = qaio_gather(fs.data(), fs.size());
        QCOMPARE(qaio_future_result_timeout(all, 30, nullptr), 0);
        qaio_future_unref(all);
        for (auto f : fs)
            qaio_future_unref(f);
        QCOMPARE(ok, clients);
        QVERIFY(runUntil([&] { return qaio_server_connections(server.srv) == 0; }));
    }

    // Big transfers in odd-sized pieces: reads larger than the limit, writes
    // that outrun the socket, drain with water marks.
    void partialReadsAndWrites()
    {
        const size_t size = 4 << 20;
        static std::vector<char> data;
        data.resize(size);
        for (size_t i = 0; i < size; i++)
            data[i] = char(i * 7 + i / 4096);
        TcpServer server([](qaio_stream *s, void *) {
            // Write it all at once: most of it is buffered.
            int err = qaio_stream_write(s, data.data(), data.size());
            if (err)
                return err;
            if (qaio_stream_write_buffered(s) <= 0 ||
                qaio_stream_set_write_limits(s, 1 << 20, 1 << 16) != 0)
                return int(QAIO_EPROTO);
            // Over the high mark, drain waits down to the low one; under
            // it, it returns at once.
            bool over = qaio_stream_write_buffered(s) > 1 << 20;
            err = qaio_stream_drain(s, 20);
            if (err)
                return err;
            if (qaio_stream_write_buffered(s) > (over ? 1 << 16 : 1 << 20))
                return int(QAIO_ERANGE);
            return qaio_stream_wait_closed(s, 20);
        });
        LogCapture log;
        QCOMPARE(inTask([&] {
            qaio_stream *s;
            int err = qaio_open_connection(L, "127.0.0.1", server.port, 5, &s);
            if (err)
                return err;
            std::vector<char> got(size);
            size_t have = 0;
            // Odd pieces first, then one readexactly far over the limit.
            while (have < size / 2) {
                ssize_t n = qaio_stream_read(s, got.data() + have, 777, 10);
                if (n <= 0)
                    return int(n) - 2000;
                have += size_t(n);
            }
            ssize_t n = qaio_stream_readexactly(s, got.data() + have, size - have, 10);
            if (n != ssize_t(size - have))
                return int(n) - 3000;
            if (got != data)
                return -4000;
            char c;
            if (qaio_stream_read(s, &c, 1, 5) != 0) // end of stream
                return -5000;
            return qaio_stream_close(s);
        }), 0);
        QVERIFY2(log.lines.isEmpty(), qPrintable(log.lines.join("; "))); // the server side held
    }

    void readlineLimits()
    {
        Acceptor a;
        a.release = qaio_future_new(L);
        TcpServer server(Acceptor::handler, &a);
        int raw = rawConnect(server.port);
        QVERIFY(raw >= 0);
        QVERIFY(runUntil([&] { return a.conn != nullptr; }));
        qaio_stream *s = a.conn;
        QCOMPARE(qaio_stream_set_limit(s, 100), 0);
        std::string big(150, 'x');
        big += "\n";
        QVERIFY(write(raw, big.data(), big.size()) == ssize_t(big.size()));
        char buf[400];
        // Over the limit: QAIO_EMSGSIZE, and nothing is lost.
        QCOMPARE(qaio_stream_readline(s, buf, sizeof buf, 5), ssize_t(QAIO_EMSGSIZE));
        QVERIFY(qaio_stream_buffered(s) >= 100);
        QCOMPARE(qaio_stream_set_limit(s, 1000), 0);
        // Over cap: QAIO_EMSGSIZE too, then a big enough buffer gets it all.
        QVERIFY(runUntil([&] { return qaio_stream_buffered(s) == ssize_t(big.size()); }));
        QCOMPARE(qaio_stream_readline(s, buf, 50, 5), ssize_t(QAIO_EMSGSIZE));
        QCOMPARE(qaio_stream_readline(s, buf, sizeof buf, 5), ssize_t(big.size()));
        QCOMPARE(std::string(buf), big);
        // A separator split across reads, and a timeout that loses nothing.
        QVERIFY(write(raw, "abc\r", 4) == 4);
        QCOMPARE(qaio_stream_readuntil(s, "\r\n", 2, buf, sizeof buf, 0.05), ssize_t(QAIO_ETIMEDOUT));
        QVERIFY(write(raw, "\nrest", 5) == 5);
        QCOMPARE(qaio_stream_readuntil(s, "\r\n", 2, buf, sizeof buf, 5), ssize_t(5));
        QCOMPARE(QByteArray(buf, 5), QByteArray("abc\r\n"));
        // End of stream: readline hands over the unterminated rest, then 0.
        ::shutdown(raw, SHUT_WR);
        QCOMPARE(qaio_stream_readline(s, buf, sizeof buf, 5), ssize_t(4));
        QCOMPARE(QByteArray(buf), QByteArray("rest"));
        QCOMPARE(qaio_stream_readline(s, buf, sizeof buf, 5), ssize_t(0));
        QCOMPARE(qaio_stream_read(s, buf, 1, 5), ssize_t(0));
        qaio_future_set_result(a.release, nullptr, nullptr);
        qaio_future_unref(a.release);
        close(raw);
    }

    void endOfStreamMidMessage()
    {
        Acceptor a;
        a.release = qaio_future_new(L);
        TcpServer server(Acceptor::handler, &a);
        int raw = rawConnect(server.port);
        QVERIFY(runUntil([&] { return a.conn != nullptr; }));
        QVERIFY(write(raw, "abc", 3) == 3);
        close(raw);
        char buf[16];
        QCOMPARE(qaio_stream_readexactly(a.conn, buf, 5, 5), ssize_t(QAIO_EPIPE));
        QCOMPARE(qaio_stream_readuntil(a.conn, ";", 1, buf, sizeof buf, 5), ssize_t(QAIO_EPIPE));
        QCOMPARE(qaio_stream_read(a.conn, buf, sizeof buf, 5), ssize_t(3)); // kept
        QCOMPARE(qaio_stream_read(a.conn, buf, sizeof buf, 5), ssize_t(0));
        qaio_future_set_result(a.release, nullptr, nullptr);
        qaio_future_unref(a.release);
    }

    void resetMidRead()
    {
        Acceptor a;
        a.release = qaio_future_new(L);
        TcpServer server(Acceptor::handler, &a);
        int raw = rawConnect(server.port);
        QVERIFY(runUntil([&] { return a.conn != nullptr; }));
        char buf[64];
        // A timed-out read starts reading (a connection waits for its first).
        QCOMPARE(qaio_stream_readexactly(a.conn, buf, 20, 0.01), ssize_t(QAIO_ETIMEDOUT));
        QVERIFY(write(raw, "partial", 7) == 7);
        QVERIFY(runUntil([&] { return qaio_stream_buffered(a.conn) == 7; }));
        linger lg = {1, 0}; // close() now sends RST
        setsockopt(raw, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        close(raw);
        QCOMPARE(qaio_stream_readexactly(a.conn, buf, 20, 5), ssize_t(QAIO_ECONNRESET));
        int err = qaio_stream_write(a.conn, "x", 1);
        QVERIFY(err == QAIO_ECONNRESET || err == QAIO_EPIPE || err == 0);
        qaio_future_set_result(a.release, nullptr, nullptr);
        qaio_future_unref(a.release);
    }

    // A connection reads only once asked to: what the peer sends before
    // that waits in the kernel, nothing of it is lost, and the first read
    // then buffers it (a read of 1 byte leaves the rest buffered).
    void connectionReadsFromItsFirstRead()
    {
        Acceptor a;
        a.release = qaio_future_new(L);
        TcpServer server(Acceptor::handler, &a);
        int raw = rawConnect(server.port);
        QVERIFY(raw >= 0);
        QVERIFY(runUntil([&] { return a.conn != nullptr; }));
        QVERIFY(write(raw, "0123456789", 10) == 10);
        // Loop passes with the data arrived: none of them reads it.
        QVERIFY(!runUntil([&] { return qaio_stream_buffered(a.conn) != 0; }, 100));
        char c;
        QCOMPARE(qaio_stream_read(a.conn, &c, 1, 5), ssize_t(1));
        QCOMPARE(c, '0');
        QVERIFY(runUntil([&] { return qaio_stream_buffered(a.conn) == 9; }));
        char rest[16];
        QCOMPARE(qaio_stream_readexactly(a.conn, rest, 9, 5), ssize_t(9));
        QCOMPARE(QByteArray(rest, 9), QByteArray("123456789"));
        close(raw);
        QCOMPARE(qaio_stream_read(a.conn, &c, 1, 5), ssize_t(0));
        qaio_future_set_result(a.release, nullptr, nullptr);
        qaio_future_unref(a.release);
    }

    void serverClosedWithClientsConnected()
    {
        int started = 0;
        qaio_server *srv;
        QCOMPARE(qaio_start_server(L, nullptr, 0, waitForever, &started, &srv), 0);
        std::vector<qaio_stream *> clients(5);
        for (auto &c : clients)
            QCOMPARE(qaio_open_connection(L, "127.0.0.1", qaio_server_port(srv), 5, &c), 0);
        QVERIFY(runUntil([&] { return started == 5; }));
        QCOMPARE(qaio_server_connections(srv), 5);
        QCOMPARE(qaio_server_close(srv), 0); // cancels and waits
        char buf[8];
        for (auto c : clients) {
            QCOMPARE(qaio_stream_read(c, buf, sizeof buf, 5), ssize_t(0));
            qaio_stream_close(c);
        }
    }

    void connectionRefusedAndTimeouts()
    {
        // A port that was just free.
        qaio_server *srv;
        QCOMPARE(qaio_start_server(L, nullptr, 0, echoLines, nullptr, &srv), 0);
        int port = qaio_server_port(srv);
        qaio_server_close(srv);
        qaio_stream *s = nullptr;
        QCOMPARE(qaio_open_connection(L, "127.0.0.1", port, 5, &s), QAIO_ECONNREFUSED);
        QVERIFY(s == nullptr);
        // A listener that never accepts, with a full backlog: the SYN goes
        // unanswered and connect times out.
        int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in sa = {};
        sa.sin_family = AF_INET;
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        QCOMPARE(bind(lfd, reinterpret_cast<sockaddr *>(&sa), sizeof sa), 0);
        QCOMPARE(listen(lfd, 0), 0);
        socklen_t len = sizeof sa;
        getsockname(lfd, reinterpret_cast<sockaddr *>(&sa), &len);
        std::vector<int> fillers;
        for (int i = 0; i < 4; i++) {
            int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            ::connect(fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa);
            fillers.push_back(fd);
        }
        QTest::qWait(50);
        LoopChecker checker;
        int err = qaio_open_connection(L, "127.0.0.1", ntohs(sa.sin_port), 0.2, &s);
        QCOMPARE(err, QAIO_ETIMEDOUT);
        QVERIFY(checker.ticks() > 10);
        for (int fd : fillers)
            close(fd);
        close(lfd);
        // A read timeout leaves the stream usable.
        TcpServer server(echoLines);
        QCOMPARE(qaio_open_connection(L, "127.0.0.1", server.port, 5, &s), 0);
        char buf[8];
        QCOMPARE(qaio_stream_readline(s, buf, sizeof buf, 0.05), ssize_t(QAIO_ETIMEDOUT));
        QCOMPARE(qaio_stream_write(s, "ok\n", 3), 0);
        QCOMPARE(qaio_stream_readline(s, buf, sizeof buf, 5), ssize_t(3));
        qaio_stream_close(s);
    }

    void unixSockets()
    {
        QByteArray path = QByteArray("/tmp/qaio-test-") + QByteArray::number(getpid()) + ".sock";
        // A stale socket file from a dead server is replaced.
        int stale = socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un sun = {};
        sun.sun_family = AF_UNIX;
        strcpy(sun.sun_path, path.constData());
        QCOMPARE(bind(stale, reinterpret_cast<sockaddr *>(&sun), sizeof sun), 0);
        close(stale);
        qaio_server *srv;
        QCOMPARE(qaio_start_unix_server(L, path.constData(), echoLines, nullptr, &srv), 0);
        QCOMPARE(qaio_server_port(srv), 0);
        qaio_server *second;
        QCOMPARE(qaio_start_unix_server(L, path.constData(), echoLines, nullptr, &second), QAIO_EADDRINUSE);
        qaio_stream *s;
        QCOMPARE(qaio_open_unix_connection(L, path.constData(), 5, &s), 0);
        QCOMPARE(qaio_stream_write(s, "unix\n", 5), 0);
        char buf[16];
        QCOMPARE(qaio_stream_readline(s, buf, sizeof buf, 5), ssize_t(5));
        qaio_stream_close(s);
        QCOMPARE(qaio_server_close(srv), 0);
        QVERIFY(access(path.constData(), F_OK) != 0); // removed
        QCOMPARE(qaio_open_unix_connection(L, path.constData(), 5, &s), QAIO_ENOENT);
    }

    // One reader at a time; a close from another task ends the other's wait.
    void concurrentUseAndCloseWhileWaiting()
    {
        Acceptor a;
        a.release = qaio_future_new(L);
        TcpServer server(Acceptor::handler, &a);
        qaio_stream *s;
        QCOMPARE(qaio_open_connection(L, "127.0.0.1", server.port, 5, &s), 0);
        static qaio_stream *shared;
        static ssize_t waiterResult;
        shared = s;
        waiterResult = 1;
        qaio_future *waiter = qaio_spawn(L, [](void *, qaio_future *) {
            char buf[8];
            waiterResult = qaio_stream_readline(shared, buf, sizeof buf, 10);
            return 0;
        }, nullptr);
        QTest::qWait(20);
        char buf[8];
        QCOMPARE(qaio_stream_read(s, buf, sizeof buf, 0.01), ssize_t(QAIO_EBUSY));
        QCOMPARE(qaio_stream_close(s), 0);
        QCOMPARE(qaio_future_result_timeout(waiter, 5, nullptr), 0);
        QCOMPARE(waiterResult, ssize_t(QAIO_ECLOSED));
        qaio_future_unref(waiter);
        qaio_future_set_result(a.release, nullptr, nullptr);
        qaio_future_unref(a.release);
    }

    void cancelledReadKeepsData()
    {
        Acceptor a;
        a.release = qaio_future_new(L);
        TcpServer server(Acceptor::handler, &a);
        int raw = rawConnect(server.port);
        QVERIFY(runUntil([&] { return a.conn != nullptr; }));
        static qaio_stream *shared;
        shared = a.conn;
        qaio_future *reader = qaio_spawn(L, [](void *, qaio_future *) {
            char buf[8];
            return int(qaio_stream_readline(shared, buf, sizeof buf, 10));
        }, nullptr);
        QVERIFY(write(raw, "par", 3) == 3);
        QTest::qWait(20);
        qaio_future_cancel(reader);
        QCOMPARE(qaio_future_result_timeout(reader, 5, nullptr), QAIO_ECANCELED);
        qaio_future_unref(reader);
        QVERIFY(write(raw, "tial\n", 5) == 5);
        char buf[16];
        QCOMPARE(qaio_stream_readline(a.conn, buf, sizeof buf, 5), ssize_t(8));
        QCOMPARE(QByteArray(buf), QByteArray("partial\n"));
        qaio_future_set_result(a.release, nullptr, nullptr);
        qaio_future_unref(a.release);
        close(raw);
    }

    void handlerErrorsAreLoggedAndContained()
    {
        LogCapture log;
        TcpServer server([](qaio_stream *, void *) { return int(QAIO_EPROTO); });
        for (int i = 0; i < 3; i++) {
            qaio_stream *s;
            QCOMPARE(qaio_open_connection(L, "127.0.0.1", server.port, 5, &s), 0);
            char buf[4];
            QCOMPARE(qaio_stream_read(s, buf, sizeof buf, 5), ssize_t(0)); // closed by server
            qaio_stream_close(s);
        }
        QVERIFY(runUntil([&] { return log.lines.size() >= 3; }));
        QVERIFY(log.lines[0].contains("connection handler"));
        QVERIFY(log.lines[0].contains("protocol error"));
    }

    void writeEofAndWaitClosed()
    {
        // The server reads to end of stream, then answers with the count.
        TcpServer server([](qaio_stream *s, void *) {
            std::vector<char> buf(1 << 16);
            size_t total = 0;
            ssize_t n;
            while ((n = qaio_stream_read(s, buf.data(), buf.size(), 20)) > 0)
                total += size_t(n);
            if (n < 0)
                return int(n);
            std::string reply = std::to_string(total) + "\n";
            qaio_stream_write(s, reply.data(), reply.size());
            return 0;
        });
        qaio_stream *s;
        QCOMPARE(qaio_open_connection(L, "127.0.0.1", server.port, 5, &s), 0);
        std::vector<char> big(8 << 20, 'z');
        QCOMPARE(qaio_stream_write(s, big.data(), big.size()), 0);
        QCOMPARE(qaio_stream_write_eof(s), 0); // after the buffer is flushed
        QCOMPARE(qaio_stream_write(s, "late", 4), QAIO_EPIPE);
        char buf[32];
        QCOMPARE(qaio_stream_readline(s, buf, sizeof buf, 20), ssize_t(8));
        QCOMPARE(QByteArray(buf), QByteArray("8388608\n"));
        QCOMPARE(qaio_stream_wait_closed(s, 5), 0);
    }

    void drainTimesOutWhenPeerStalls()
    {
        Acceptor a;
        a.release = qaio_future_new(L);
        TcpServer server(Acceptor::handler, &a);
        qaio_stream *s;
        QCOMPARE(qaio_open_connection(L, "127.0.0.1", server.port, 5, &s), 0);
        std::vector<char> big(32 << 20, 'q'); // more than the kernel buffers
        QCOMPARE(qaio_stream_write(s, big.data(), big.size()), 0);
        QCOMPARE(qaio_stream_drain(s, 0.1), QAIO_ETIMEDOUT);
        QCOMPARE(qaio_stream_wait_closed(s, 0.1), QAIO_ETIMEDOUT); // gives up, frees
        qaio_future_set_result(a.release, nullptr, nullptr);
        qaio_future_unref(a.release);
    }

    void pipesNeverRaiseSigpipe()
    {
        int fds[2];
        QCOMPARE(pipe(fds), 0);
        qaio_stream *r, *w;
        QCOMPARE(qaio_stream_open_fd(L, fds[0], &r), 0);
        QCOMPARE(qaio_stream_open_fd(L, fds[1], &w), 0);
        QCOMPARE(qaio_stream_write(w, "through\n", 8), 0);
        char buf[16];
        QCOMPARE(qaio_stream_readline(r, buf, sizeof buf, 5), ssize_t(8));
        QCOMPARE(qaio_stream_read(w, buf, 1, 1), ssize_t(QAIO_EBADF)); // a write end
        qaio_stream_close(r);
        QCOMPARE(qaio_stream_write(w, "x", 1), QAIO_EPIPE); // and we are alive
        qaio_stream_close(w);
        // write_eof on a pipe closes it: the reader sees end of stream.
        QCOMPARE(pipe(fds), 0);
        QCOMPARE(qaio_stream_open_fd(L, fds[0], &r), 0);
        QCOMPARE(qaio_stream_open_fd(L, fds[1], &w), 0);
        QCOMPARE(qaio_stream_write(w, "end", 3), 0);
        QCOMPARE(qaio_stream_write_eof(w), 0);
        QCOMPARE(qaio_stream_readline(r, buf, sizeof buf, 5), ssize_t(3));
        QCOMPARE(qaio_stream_readline(r, buf, sizeof buf, 5), ssize_t(0));
        qaio_stream_close(r);
        qaio_stream_close(w);
    }

    // The loop closes while a closed stream still flushes in the background
    // (the peer reads nothing): the flush is given up with the loop, and
    // the peer sees the end of the stream after what was sent.
    void loopClosedDuringABackgroundFlush()
    {
        int sv[2];
        QCOMPARE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
        const QByteArray data(4 << 20, 'x');
        int opened = 1, closed = 1;
        ssize_t buffered = -1;
        std::thread([&] {
            qaio_loop *loop = qaio_loop_get();
            qaio_stream *s = nullptr;
            if ((opened = qaio_stream_open_fd(loop, sv[0], &s)) != 0)
                return;
            qaio_stream_write(s, data.constData(), size_t(data.size()));
            buffered = qaio_stream_write_buffered(s);
            qaio_stream_close(s);
            closed = qaio_loop_close(loop);
        }).join();
        QCOMPARE(opened, 0);
        QCOMPARE(closed, 0);
        QVERIFY(buffered > 0); // the flush had work left when the loop closed
        qint64 got = 0;
        char buf[65536];
        for (;;) {
            pollfd pfd{sv[1], POLLIN, 0};
            QVERIFY2(poll(&pfd, 1, 5000) == 1, "no end of stream: the fd outlived its loop");
            ssize_t n = read(sv[1], buf, sizeof buf);
            QVERIFY(n >= 0);
            if (n == 0)
                break;
            got += n;
        }
        QVERIFY(got < data.size());
        close(sv[1]);
    }

    void badArguments()
    {
        qaio_stream *s = nullptr;
        qaio_server *srv = nullptr;
        char buf[8];
        QCOMPARE(qaio_open_connection(nullptr, "127.0.0.1", 80, 1, &s), QAIO_EINVAL);
        QCOMPARE(qaio_open_connection(L, nullptr, 80, 1, &s), QAIO_EINVAL);
        QCOMPARE(qaio_open_connection(L, "127.0.0.1", 0, 1, &s), QAIO_EINVAL);
        QCOMPARE(qaio_open_connection(L, "127.0.0.1", 70000, 1, &s), QAIO_EINVAL);
        QCOMPARE(qaio_open_connection(L, "127.0.0.1", 80, 1, nullptr), QAIO_EINVAL);
        QCOMPARE(qaio_open_unix_connection(L, "", 1, &s), QAIO_EINVAL);
        QCOMPARE(qaio_open_unix_connection(L, std::string(200, 'p').c_str(), 1, &s), QAIO_EINVAL);
        QCOMPARE(qaio_start_server(L, nullptr, -1, echoLines, nullptr, &srv), QAIO_EINVAL);
        QCOMPARE(qaio_start_server(L, nullptr, 0, nullptr, nullptr, &srv), QAIO_EINVAL);
        QCOMPARE(qaio_server_close(nullptr), QAIO_EINVAL);
        QCOMPARE(qaio_server_port(nullptr), QAIO_EINVAL);
        QCOMPARE(qaio_stream_read(nullptr, buf, 1, 1), ssize_t(QAIO_EINVAL));
        QCOMPARE(qaio_stream_readline(nullptr, buf, 8, 1), ssize_t(QAIO_EINVAL));
        QCOMPARE(qaio_stream_write(nullptr, buf, 1), QAIO_EINVAL);
        QCOMPARE(qaio_stream_drain(nullptr, 1), QAIO_EINVAL);
        QCOMPARE(qaio_stream_close(nullptr), 0);
        QCOMPARE(qaio_stream_open_fd(L, -1, &s), QAIO_EINVAL);
        QCOMPARE(qaio_stream_open_fd(L, 100000, &s), QAIO_EBADF);
        // A port in use.
        TcpServer server(echoLines);
        QCOMPARE(qaio_start_server(L, "127.0.0.1", server.port, echoLines, nullptr, &srv), QAIO_EADDRINUSE);
        QCOMPARE(qaio_open_connection(L, "127.0.0.1", server.port, 5, &s), 0);
        QCOMPARE(qaio_stream_read(s, nullptr, 1, 1), ssize_t(QAIO_EINVAL));
        QCOMPARE(qaio_stream_read(s, buf, 0, 1), ssize_t(QAIO_EINVAL));
        QCOMPARE(qaio_stream_readline(s, buf, 1, 1), ssize_t(QAIO_EINVAL));
        QCOMPARE(qaio_stream_readuntil(s, "", 0, buf, 8, 1), ssize_t(QAIO_EINVAL));
        QCOMPARE(qaio_stream_set_limit(s, 0), QAIO_EINVAL);
        QCOMPARE(qaio_stream_set_write_limits(s, 1, 2), QAIO_EINVAL);
        // Another thread may not touch the stream.
        int other = 0;
        std::thread t([&] { other = int(qaio_stream_read(s, buf, 1, 1)); });
        t.join();
        QCOMPARE(other, QAIO_EWRONGTHREAD);
        qaio_stream_close(s);
    }
};

QTEST_GUILESS_MAIN(TestStream)
#include "test_stream.moc"
