// Shared helpers for qaio's Qt Test executables.
#pragma once

#include <QElapsedTimer>
#include <QTimer>
#include <QtTest>
#include <time.h>
#include <cstdlib>
#include <cstring>
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

// Running under valgrind (CTest's emulator in scripts/test --valgrind)? Its
// preloaded tool library is the tell. Timings there mean nothing.
inline bool underValgrind()
{
    const char *p = getenv("LD_PRELOAD");
    return p && strstr(p, "vgpreload");
}
#else
constexpr bool kSanitized = false;
#endif

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
    while (!pred() && t.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
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
