// Shared helpers for qaio's Qt Test executables.
#pragma once

#include <QElapsedTimer>
#include <QTimer>
#include <QtTest>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <qaio.h>

// Built with ASan or TSan? Their allocators keep freed memory and add
// shadow, so a test bounding the process's RSS can only do it without
// them. (GCC defines __SANITIZE_*__, clang answers __has_feature.)
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// Running under valgrind (CTest's emulator in scripts/test --valgrind)? Its
// preloaded tool library is the tell. Timings there mean nothing.
inline bool underValgrind()
{
    const char *p = getenv("LD_PRELOAD");
    return p && strstr(p, "vgpreload");
}

#ifdef QAIO_TEST_POLL
// The poll backend (tests/poll): Qt's loop never runs while qaio waits, so
// the checker counts ticks of a qaio timer instead, which proves the same
// of qaio's own loop, and QTest::qWait waits in a nested qaio loop.
class LoopChecker {
public:
    explicit LoopChecker(int intervalMs = 1) : interval_(intervalMs / 1e3)
    {
        clock_.start();
        handle_ = qaio_call_later(qaio_loop_get(), interval_, tick, this);
    }
    ~LoopChecker() { qaio_cancel(qaio_loop_get(), handle_); }
    int ticks() const { return ticks_; }
    double maxGapMs() const { return maxGapNs_ / 1e6; }

private:
    static void tick(void *arg)
    {
        auto *c = static_cast<LoopChecker *>(arg);
        qint64 now = c->clock_.nsecsElapsed();
        if (c->ticks_ > 0 && now - c->last_ > c->maxGapNs_)
            c->maxGapNs_ = now - c->last_;
        c->last_ = now;
        c->ticks_++;
        c->handle_ = qaio_call_later(qaio_loop_get(), c->interval_, tick, c);
    }
    double interval_;
    qaio_handle handle_ = 0;
    QElapsedTimer clock_;
    qint64 last_ = 0, maxGapNs_ = 0;
    int ticks_ = 0;
};
namespace QTest {
inline void qWaitQaio(int ms) { qaio_sleep(ms / 1e3); }
} // namespace QTest
#define qWait qWaitQaio
#else
// Proves the Qt event loop kept running while a test waited (QCoro's
// EventLoopChecker): a QTimer counts its ticks and records the longest gap.
class LoopChecker {
public:
    explicit LoopChecker(int intervalMs = 1)
    {
        timer_.setTimerType(Qt::PreciseTimer);
        timer_.setInterval(intervalMs);
        QObject::connect(&timer_, &QTimer::timeout, [this] {
            qint64 now = clock_.nsecsElapsed();
            if (ticks_ > 0 && now - last_ > maxGapNs_)
                maxGapNs_ = now - last_;
            last_ = now;
            ticks_++;
        });
        clock_.start();
        timer_.start();
    }
    int ticks() const { return ticks_; }
    double maxGapMs() const { return maxGapNs_ / 1e6; }

private:
    QTimer timer_;
    QElapsedTimer clock_;
    qint64 last_ = 0, maxGapNs_ = 0;
    int ticks_ = 0;
};
#endif

// CPU time the calling thread has used, in ms.
inline double threadCpuMs()
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

// Runs the calling thread's qaio loop until pred() holds or timeoutMs passes.
template <typename Pred>
bool runUntil(Pred pred, int timeoutMs = 5000)
{
    QElapsedTimer t;
    t.start();
    while (!pred() && t.elapsed() < timeoutMs) {
#ifdef QAIO_TEST_POLL
        qaio_sleep(0.001); // the poll backend: Qt's loop does not run qaio
#else
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
#endif
    }
    return pred();
}

// A future's value that counts its destructor calls.
struct Counted {
    static std::atomic<int> freed;
    int value;
    static void dtor(void *p)
    {
        freed++;
        delete static_cast<Counted *>(p);
    }
};
inline std::atomic<int> Counted::freed{0};

// Captures qaio's log lines for the duration of a scope.
class LogCapture {
public:
    LogCapture() { qaio_set_log_hook(&LogCapture::hook, this); }
    ~LogCapture() { qaio_set_log_hook(nullptr, nullptr); }
    QStringList lines;

private:
    static void hook(const char *msg, void *arg)
    {
        static_cast<LogCapture *>(arg)->lines << QString::fromUtf8(msg);
    }
};

// Runs fn as a task on the calling thread's loop and waits for it (a nested
// loop); returns its result. A task still running after timeout seconds is
// cancelled, and QAIO_ETIMEDOUT returned.
inline int inTask(std::function<int()> fn, double timeout = 20)
{
    auto *f = qaio_spawn(qaio_loop_get(), [](void *arg, qaio_future *) {
        return (*static_cast<std::function<int()> *>(arg))();
    }, &fn);
    int err = qaio_future_result_timeout(f, timeout, nullptr);
    if (err == QAIO_ETIMEDOUT) {
        qaio_future_cancel(f);
        qaio_future_result(f, nullptr);
    }
    qaio_future_unref(f);
    return err;
}

// A qaio stream server on 127.0.0.1 and a port of the kernel's choice
// (port stays 0 if it could not start), closed with the scope.
struct TcpServer {
    qaio_server *srv = nullptr;
    int port = 0;
    explicit TcpServer(qaio_conn_fn fn, void *arg = nullptr)
    {
        if (qaio_start_server(qaio_loop_get(), nullptr, 0, fn, arg, &srv) == 0)
            port = qaio_server_port(srv);
    }
    ~TcpServer()
    {
        if (srv)
            qaio_server_close(srv);
    }
    TcpServer(const TcpServer &) = delete;
    TcpServer &operator=(const TcpServer &) = delete;
};

// A plain blocking socket connected to 127.0.0.1:port (the other side of
// a qaio stream, driven by hand); -1 if the connection failed.
inline int rawConnect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    sockaddr_in sa = {};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(uint16_t(port));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}
