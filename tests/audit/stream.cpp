// The bad-input audit of qaio/stream.h: one row per function (see audit.h).
// test_stream covers the semantics.
#include "audit.h"

namespace {
const Row rows[] = {
    {"qaio_open_connection", [] {
         qaio_stream *s = nullptr;
         EXPECT(qaio_open_connection(nullptr, "127.0.0.1", 80, 1, &s), QAIO_EINVAL);
         EXPECT(qaio_open_connection(W.loop, nullptr, 80, 1, &s), QAIO_EINVAL);
         EXPECT(qaio_open_connection(W.loop, "127.0.0.1", 80, 1, nullptr), QAIO_EINVAL);
         for (int port : {0, -1, 65536, INT_MIN})
             EXPECT(qaio_open_connection(W.loop, "127.0.0.1", port, 1, &s), QAIO_EINVAL);
         EXPECT(qaio_open_connection(W.loop, "127.0.0.1", 80, NAN, &s), QAIO_EINVAL);
         EXPECT(qaio_open_connection(X.loop, "127.0.0.1", 80, 1, &s), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_open_connection(W.loop, "127.0.0.1", 80, 1, &s); }),
                QAIO_EWRONGTHREAD);
         QVERIFY(!s);
     }},
    {"qaio_open_unix_connection", [] {
         qaio_stream *s = nullptr;
         std::string longPath(200, 'x');
         EXPECT(qaio_open_unix_connection(nullptr, "/tmp/x", 1, &s), QAIO_EINVAL);
         EXPECT(qaio_open_unix_connection(W.loop, nullptr, 1, &s), QAIO_EINVAL);
         EXPECT(qaio_open_unix_connection(W.loop, "", 1, &s), QAIO_EINVAL);
         EXPECT(qaio_open_unix_connection(W.loop, longPath.c_str(), 1, &s), QAIO_EINVAL);
         EXPECT(qaio_open_unix_connection(W.loop, "/tmp/x", 1, nullptr), QAIO_EINVAL);
         EXPECT(qaio_open_unix_connection(W.loop, "/tmp/x", NAN, &s), QAIO_EINVAL);
         EXPECT(qaio_open_unix_connection(X.loop, "/tmp/x", 1, &s), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_open_unix_connection(W.loop, "/tmp/x", 1, &s); }),
                QAIO_EWRONGTHREAD);
         QVERIFY(!s);
     }},
    {"qaio_stream_open_fd", [] {
         qaio_stream *s = nullptr;
         EXPECT(qaio_stream_open_fd(nullptr, 0, &s), QAIO_EINVAL);
         EXPECT(qaio_stream_open_fd(W.loop, -1, &s), QAIO_EINVAL);
         EXPECT(qaio_stream_open_fd(W.loop, INT_MAX, &s), QAIO_EBADF);
         EXPECT(qaio_stream_open_fd(W.loop, regularFd, &s), QAIO_ENOTSUP);
         QVERIFY(fcntl(regularFd, F_GETFD) >= 0); // still open, still ours
         EXPECT(qaio_stream_open_fd(W.loop, regularFd, nullptr), QAIO_EINVAL);
         EXPECT(qaio_stream_open_fd(X.loop, regularFd, &s), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_stream_open_fd(W.loop, regularFd, &s); }),
                QAIO_EWRONGTHREAD);
         QVERIFY(!s);
     }},
    {"qaio_start_server", [] {
         qaio_server *s = nullptr;
         EXPECT(qaio_start_server(nullptr, nullptr, 0, noopHandler, nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_start_server(W.loop, nullptr, 0, nullptr, nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_start_server(W.loop, nullptr, 0, noopHandler, nullptr, nullptr), QAIO_EINVAL);
         for (int port : {-1, 65536, INT_MAX})
             EXPECT(qaio_start_server(W.loop, nullptr, port, noopHandler, nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_start_server(X.loop, nullptr, 0, noopHandler, nullptr, &s), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_start_server(W.loop, nullptr, 0, noopHandler, nullptr, &s); }),
                QAIO_EWRONGTHREAD);
         QVERIFY(!s);
     }},
    {"qaio_start_unix_server", [] {
         qaio_server *s = nullptr;
         std::string longPath(200, 'x');
         QByteArray path = (tmp->path() + "/audit.sock").toUtf8();
         EXPECT(qaio_start_unix_server(nullptr, path, noopHandler, nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_start_unix_server(W.loop, nullptr, noopHandler, nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_start_unix_server(W.loop, "", noopHandler, nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_start_unix_server(W.loop, longPath.c_str(), noopHandler, nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_start_unix_server(W.loop, path, nullptr, nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_start_unix_server(W.loop, path, noopHandler, nullptr, nullptr), QAIO_EINVAL);
         EXPECT(qaio_start_unix_server(X.loop, path, noopHandler, nullptr, &s), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_start_unix_server(W.loop, path, noopHandler, nullptr, &s); }),
                QAIO_EWRONGTHREAD);
         QVERIFY(!s);
     }},
    {"qaio_server_port", [] {
         EXPECT(qaio_server_port(nullptr), QAIO_EINVAL);
         QVERIFY(elsewhere([] { return qaio_server_port(W.server); }) > 0); // any thread
     }},
    {"qaio_server_connections", [] {
         EXPECT(qaio_server_connections(nullptr), QAIO_EINVAL);
         EXPECT(qaio_server_connections(X.server), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_server_connections(W.server); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_server_close", [] {
         EXPECT(qaio_server_close(nullptr), QAIO_EINVAL);
         EXPECT(elsewhere([] { return qaio_server_close(W.server); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_read", [] {
         char buf[8];
         EXPECT(qaio_stream_read(nullptr, buf, 8, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_read(W.rd, nullptr, 8, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_read(W.rd, buf, 0, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_read(W.rd, buf, SIZE_MAX, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_read(W.rd, buf, 8, NAN), QAIO_EINVAL);
         EXPECT(qaio_stream_read(X.rd, buf, 8, 1), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_stream_read(W.rd, buf, 8, 1); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_readexactly", [] {
         char buf[8];
         EXPECT(qaio_stream_readexactly(nullptr, buf, 8, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_readexactly(W.rd, nullptr, 8, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_readexactly(W.rd, buf, 0, 1), 0);
         EXPECT(qaio_stream_readexactly(W.rd, buf, SIZE_MAX, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_readexactly(W.rd, buf, 8, NAN), QAIO_EINVAL);
         EXPECT(qaio_stream_readexactly(X.rd, buf, 8, 1), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_stream_readexactly(W.rd, buf, 8, 1); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_readuntil", [] {
         char buf[8];
         EXPECT(qaio_stream_readuntil(nullptr, "\n", 1, buf, 8, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_readuntil(W.rd, nullptr, 1, buf, 8, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_readuntil(W.rd, "\n", 0, buf, 8, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_readuntil(W.rd, "\n", 1, nullptr, 8, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_readuntil(W.rd, "\n", 1, buf, 0, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_readuntil(W.rd, "\n", 1, buf, 8, NAN), QAIO_EINVAL);
         EXPECT(qaio_stream_readuntil(X.rd, "\n", 1, buf, 8, 1), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_stream_readuntil(W.rd, "\n", 1, buf, 8, 1); }),
                QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_readline", [] {
         char buf[8];
         EXPECT(qaio_stream_readline(nullptr, buf, 8, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_readline(W.rd, nullptr, 8, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_readline(W.rd, buf, 0, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_readline(W.rd, buf, 1, 1), QAIO_EINVAL); // no room past the NUL
         EXPECT(qaio_stream_readline(W.rd, buf, 8, NAN), QAIO_EINVAL);
         EXPECT(qaio_stream_readline(X.rd, buf, 8, 1), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_stream_readline(W.rd, buf, 8, 1); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_buffered", [] {
         EXPECT(qaio_stream_buffered(nullptr), QAIO_EINVAL);
         EXPECT(qaio_stream_buffered(X.rd), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_stream_buffered(W.rd); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_set_limit", [] {
         EXPECT(qaio_stream_set_limit(nullptr, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_set_limit(W.rd, 0), QAIO_EINVAL);
         EXPECT(qaio_stream_set_limit(X.rd, 1), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_stream_set_limit(W.rd, 1); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_write", [] {
         EXPECT(qaio_stream_write(nullptr, "x", 1), QAIO_EINVAL);
         EXPECT(qaio_stream_write(W.wr, nullptr, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_write(W.wr, nullptr, 0), 0); // nothing to send
         EXPECT(qaio_stream_write(X.wr, "x", 1), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_stream_write(W.wr, "x", 1); }), QAIO_EWRONGTHREAD);
         EXPECT(qaio_stream_buffered(W.rd), 0);
     }},
    {"qaio_stream_drain", [] {
         EXPECT(qaio_stream_drain(nullptr, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_drain(W.wr, NAN), QAIO_EINVAL);
         EXPECT(qaio_stream_drain(X.wr, 1), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_stream_drain(W.wr, 1); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_set_write_limits", [] {
         EXPECT(qaio_stream_set_write_limits(nullptr, 2, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_set_write_limits(W.wr, 1, 2), QAIO_EINVAL);
         EXPECT(qaio_stream_set_write_limits(X.wr, 2, 1), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_stream_set_write_limits(W.wr, 2, 1); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_write_buffered", [] {
         EXPECT(qaio_stream_write_buffered(nullptr), QAIO_EINVAL);
         EXPECT(qaio_stream_write_buffered(X.wr), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_stream_write_buffered(W.wr); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_write_eof", [] {
         EXPECT(qaio_stream_write_eof(nullptr), QAIO_EINVAL);
         EXPECT(qaio_stream_write_eof(X.wr), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_stream_write_eof(W.wr); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_close", [] {
         EXPECT(qaio_stream_close(nullptr), 0);
         EXPECT(elsewhere([] { return qaio_stream_close(W.rd); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_wait_closed", [] {
         EXPECT(qaio_stream_wait_closed(nullptr, 1), QAIO_EINVAL);
         EXPECT(elsewhere([] { return qaio_stream_wait_closed(W.rd, 1); }), QAIO_EWRONGTHREAD);
         EXPECT(qaio_stream_wait_closed(W.rd, NAN), QAIO_EINVAL);
         EXPECT(qaio_stream_buffered(W.rd), 0); // left alone: still open
     }},
    {"qaio_stream_peer_address", [] {
         char buf[64];
         EXPECT(qaio_stream_peer_address(nullptr, buf, sizeof buf), QAIO_EINVAL);
         EXPECT(qaio_stream_peer_address(W.rd, nullptr, sizeof buf), QAIO_EINVAL);
         EXPECT(qaio_stream_peer_address(W.rd, buf, 0), QAIO_EINVAL);
         EXPECT(qaio_stream_peer_address(W.rd, buf, 2), QAIO_EMSGSIZE); // "fd N"
         EXPECT(qaio_stream_peer_address(X.rd, buf, sizeof buf), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_stream_peer_address(W.rd, buf, sizeof buf); }),
                QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_fd", [] {
         EXPECT(qaio_stream_fd(nullptr), QAIO_EINVAL);
         EXPECT(qaio_stream_fd(X.rd), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_stream_fd(W.rd); }), QAIO_EWRONGTHREAD);
     }},
};
const RegisterRows registered("stream.h", rows);
} // namespace
