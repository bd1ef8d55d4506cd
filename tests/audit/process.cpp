// The bad-input audit of qaio/process.h: one row per function (see audit.h).
// test_process covers the semantics.
#include "audit.h"

namespace {
const Row rows[] = {
    {"qaio_process_spawn", [] {
         static const char *const argv[] = {"true", nullptr};
         static const char *const noArgv0[] = {nullptr};
         static const char *const missing[] = {"/nonexistent/qaio-audit", nullptr};
         qaio_process *p = nullptr;
         qaio_process_options o{};
         o.argv = argv;
         EXPECT(qaio_process_spawn(nullptr, &o, &p), QAIO_EINVAL);
         EXPECT(qaio_process_spawn(W.loop, nullptr, &p), QAIO_EINVAL);
         EXPECT(qaio_process_spawn(W.loop, &o, nullptr), QAIO_EINVAL);
         qaio_process_options bad = o;
         bad.argv = nullptr;
         EXPECT(qaio_process_spawn(W.loop, &bad, &p), QAIO_EINVAL);
         bad.argv = noArgv0;
         EXPECT(qaio_process_spawn(W.loop, &bad, &p), QAIO_EINVAL);
         bad = o;
         bad.stdio[1].mode = qaio_stdio_mode(99);
         EXPECT(qaio_process_spawn(W.loop, &bad, &p), QAIO_EINVAL);
         bad.stdio[1].mode = qaio_stdio_mode(-1);
         EXPECT(qaio_process_spawn(W.loop, &bad, &p), QAIO_EINVAL);
         bad.stdio[1].mode = QAIO_STDIO_STDOUT; // only for stderr
         EXPECT(qaio_process_spawn(W.loop, &bad, &p), QAIO_EINVAL);
         bad = o;
         bad.stdio[0] = {QAIO_STDIO_FD, -1};
         EXPECT(qaio_process_spawn(W.loop, &bad, &p), QAIO_EBADF);
         bad.stdio[0] = {QAIO_STDIO_FD, 1000};
         EXPECT(qaio_process_spawn(W.loop, &bad, &p), QAIO_EBADF);
         // Under valgrind posix_spawn's child cannot hand exec's error back
         // (see test_process's spawnErrors): check those elsewhere only.
         const char *preload = getenv("LD_PRELOAD");
         if (!(preload && strstr(preload, "vgpreload"))) {
             bad = o;
             bad.argv = missing;
             EXPECT(qaio_process_spawn(W.loop, &bad, &p), QAIO_ENOENT);
             bad = o;
             bad.cwd = "/nonexistent/qaio-audit";
             EXPECT(qaio_process_spawn(W.loop, &bad, &p), QAIO_ENOENT);
         }
         EXPECT(qaio_process_spawn(X.loop, &o, &p), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_process_spawn(W.loop, &o, &p); }), QAIO_EWRONGTHREAD);
         QVERIFY(!p);
     }},
    {"qaio_process_stdin", [] {
         QVERIFY(!qaio_process_stdin(nullptr));
         QVERIFY(!qaio_process_stdin(W.proc)); // /dev/null, not a pipe
     }},
    {"qaio_process_stdout", [] {
         QVERIFY(!qaio_process_stdout(nullptr));
         QVERIFY(!qaio_process_stdout(W.proc));
     }},
    {"qaio_process_stderr", [] {
         QVERIFY(!qaio_process_stderr(nullptr));
         QVERIFY(!qaio_process_stderr(X.proc));
     }},
    {"qaio_process_pid", [] {
         EXPECT(qaio_process_pid(nullptr), QAIO_EINVAL);
         QVERIFY(elsewhere([] { return qaio_process_pid(W.proc); }) > 0); // any thread
     }},
    {"qaio_process_wait", [] {
         int rc = 12345;
         EXPECT(qaio_process_wait(nullptr, 1, &rc), QAIO_EINVAL);
         EXPECT(qaio_process_wait(W.proc, NAN, &rc), QAIO_EINVAL);
         EXPECT(qaio_process_wait(W.proc, 0, &rc), QAIO_ETIMEDOUT); // sleeps on
         EXPECT(qaio_process_wait(X.proc, 1, &rc), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_process_wait(W.proc, 1, &rc); }), QAIO_EWRONGTHREAD);
         EXPECT(rc, 12345);
     }},
    {"qaio_process_returncode", [] {
         int rc = 12345;
         EXPECT(qaio_process_returncode(nullptr, &rc, nullptr), QAIO_EINVAL);
         EXPECT(qaio_process_returncode(W.proc, &rc, nullptr), QAIO_EAGAIN);
         EXPECT(qaio_process_returncode(X.proc, &rc, nullptr), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_process_returncode(W.proc, &rc, nullptr); }),
                QAIO_EWRONGTHREAD);
         EXPECT(rc, 12345);
     }},
    {"qaio_process_send_signal", [] {
         EXPECT(qaio_process_send_signal(nullptr, 0), QAIO_EINVAL);
         for (int bad : {-1, NSIG, INT_MAX})
             EXPECT(qaio_process_send_signal(W.proc, bad), QAIO_EINVAL);
         EXPECT(qaio_process_send_signal(W.proc, 0), 0); // alive
         EXPECT(qaio_process_send_signal(X.proc, 0), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_process_send_signal(W.proc, 0); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_process_terminate", [] {
         EXPECT(qaio_process_terminate(nullptr), QAIO_EINVAL);
         EXPECT(qaio_process_terminate(X.proc), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_process_terminate(W.proc); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_process_kill", [] {
         EXPECT(qaio_process_kill(nullptr), QAIO_EINVAL);
         EXPECT(qaio_process_kill(X.proc), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_process_kill(W.proc); }), QAIO_EWRONGTHREAD);
         EXPECT(qaio_process_send_signal(W.proc, 0), 0); // still alive
     }},
    {"qaio_process_communicate", [] {
         qaio_process_output out;
         memset(&out, 0xff, sizeof out);
         EXPECT(qaio_process_communicate(nullptr, nullptr, 0, 0, 1, &out), QAIO_EINVAL);
         QVERIFY(!out.out && !out.err); // filled in also on error
         EXPECT(qaio_process_communicate(W.proc, nullptr, 0, 0, 1, nullptr), QAIO_EINVAL);
         EXPECT(qaio_process_communicate(W.proc, "x", 1, 0, 1, &out), QAIO_EINVAL); // no stdin pipe
         EXPECT(qaio_process_communicate(W.proc, nullptr, 1, 0, 1, &out), QAIO_EINVAL);
         EXPECT(qaio_process_communicate(W.proc, nullptr, 0, 0, NAN, &out), QAIO_EINVAL);
         EXPECT(qaio_process_communicate(X.proc, nullptr, 0, 0, 1, &out), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_process_communicate(W.proc, nullptr, 0, 0, 1, &out); }),
                QAIO_EWRONGTHREAD);
         qaio_process_output_clear(&out);
     }},
    {"qaio_process_output_clear", [] { qaio_process_output_clear(nullptr); }},
    {"qaio_process_free", [] {
         EXPECT(qaio_process_free(nullptr), 0);
         EXPECT(elsewhere([] { return qaio_process_free(W.proc); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_open_pipe", [] {
         qaio_stream *r = nullptr, *w = nullptr;
         EXPECT(qaio_open_pipe(nullptr, &r, &w), QAIO_EINVAL);
         EXPECT(qaio_open_pipe(W.loop, nullptr, &w), QAIO_EINVAL);
         EXPECT(qaio_open_pipe(W.loop, &r, nullptr), QAIO_EINVAL);
         EXPECT(qaio_open_pipe(X.loop, &r, &w), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_open_pipe(W.loop, &r, &w); }), QAIO_EWRONGTHREAD);
         QVERIFY(!r && !w);
     }},
};
const RegisterRows registered("process.h", rows);
} // namespace
