// The Qt side of the seam (backend.h): one QObject per loop that receives the
// coalesced wakeup events, one timer source, and nested QEventLoops.
//
// The timer source is a Linux timerfd armed with an absolute CLOCK_MONOTONIC
// deadline in nanoseconds and watched by one QSocketNotifier: QTimer counts
// whole milliseconds, which makes sub-millisecond deadlines up to 1 ms late.
// Elsewhere (or with QAIO_TIMER=qtimer) one single-shot Qt::PreciseTimer
// armed with the deadline rounded up to the next millisecond is used; it
// cannot fire early either, and the core re-arms if it ever wakes before the
// earliest deadline.
#include "backend.h"
#include "../core/sanitizers.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QEvent>
#include <QEventLoop>
#include <QMutex>
#include <QObject>
#include <QSocketNotifier>
#include <QThread>
#include <QTimer>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <unordered_map>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/timerfd.h>
#endif

namespace {

QEvent::Type wakeupType()
{
    static const QEvent::Type type = static_cast<QEvent::Type>(QEvent::registerEventType());
    return type;
}

class Waker final : public QObject {
public:
    explicit Waker(qaio_loop *loop) : loop_(loop) {}
    bool event(QEvent *e) override
    {
        qaio__tsan_acquire(e); // a wakeup posted from another thread
        if (e->type() != wakeupType())
            return QObject::event(e);
        qaio__loop_on_event(loop_, QAIO__EV_WAKEUP, -1, 0);
        return true;
    }

private:
    qaio_loop *loop_;
};

// A C program that never made a QCoreApplication gets one; it lives for the
// rest of the process, like an application object would.
void ensureApplication()
{
    static QBasicMutex lock;
    static int argc = 1;
    static char name[] = "qaio";
    static char *argv[] = {name, nullptr};
    QMutexLocker guard(&lock);
    if (!QCoreApplication::instance())
        new QCoreApplication(argc, argv);
}

int64_t nowNs()
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

} // namespace

// The notifiers of one watched fd (backend.h's qaio__backend_watch).
struct FdNotifiers {
    QSocketNotifier *read = nullptr;
    QSocketNotifier *write = nullptr;
};

struct qaio__backend {
    qaio_loop *loop = nullptr;
    std::unordered_map<int, FdNotifiers> watched;
    Waker *waker = nullptr;
    int tfd = -1;
    QSocketNotifier *notifier = nullptr;
    QTimer *timer = nullptr;
    QTimer *yield = nullptr;
};

extern "C" int qaio__backend_new(qaio_loop *loop, qaio__backend **out)
{
    ensureApplication();
    // A thread not started by QThread gets its Qt event dispatcher only when
    // a QEventLoop is made; without one, socket notifiers and timers are
    // refused ("Can only be used with threads started with QThread").
    { QEventLoop ensureDispatcher; }
    auto *b = new (std::nothrow) qaio__backend;
    if (!b)
        return QAIO_ENOMEM;
    b->loop = loop;
    b->waker = new Waker(loop);
    b->yield = new QTimer;
    b->yield->setSingleShot(true);
    QObject::connect(b->yield, &QTimer::timeout, b->yield,
                     [b] { qaio__loop_on_event(b->loop, QAIO__EV_YIELD, -1, 0); });
    QObject::connect(QAbstractEventDispatcher::instance(), &QAbstractEventDispatcher::aboutToBlock,
                     b->waker, [b] { qaio__loop_on_event(b->loop, QAIO__EV_IDLE, -1, 0); });
    // The application thread's event dispatcher dies with the application
    // object; after that a QEventLoop there spins without ever dispatching,
    // and every wait of this loop would hang.
    QCoreApplication *app = QCoreApplication::instance();
    if (app->thread() == QThread::currentThread())
        QObject::connect(app, &QObject::destroyed, b->waker,
                         [b] { qaio__loop_on_event(b->loop, QAIO__EV_GONE, -1, 0); },
                         Qt::DirectConnection);
    const char *kind = getenv("QAIO_TIMER");
    bool useQTimer = kind && strcmp(kind, "qtimer") == 0;
#ifdef __linux__
    if (!useQTimer)
        b->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
#endif
    if (b->tfd >= 0) {
        b->notifier = new QSocketNotifier(b->tfd, QSocketNotifier::Read);
        QObject::connect(b->notifier, &QSocketNotifier::activated, b->notifier, [b] {
            uint64_t expirations;
            // Re-arming resets the count, so a stale notification reads
            // nothing and must not be taken for an expiry.
            if (read(b->tfd, &expirations, sizeof expirations) == sizeof expirations)
                qaio__loop_on_event(b->loop, QAIO__EV_TIMER, -1, 0);
        });
    } else {
        b->timer = new QTimer;
        b->timer->setTimerType(Qt::PreciseTimer);
        b->timer->setSingleShot(true);
        QObject::connect(b->timer, &QTimer::timeout, b->timer,
                         [b] { qaio__loop_on_event(b->loop, QAIO__EV_TIMER, -1, 0); });
    }
    *out = b;
    return 0;
}

// A notifier may be dropped from inside its own activated() signal, so it
// is disabled at once and deleted later, not deleted under its emitter.
static void dropNotifier(QSocketNotifier *&n)
{
    if (!n)
        return;
    n->setEnabled(false);
    n->deleteLater();
    n = nullptr;
}

static QSocketNotifier *makeNotifier(qaio__backend *b, int fd, QSocketNotifier::Type type)
{
    auto *n = new (std::nothrow) QSocketNotifier(fd, type);
    if (!n)
        return nullptr;
    int which = type == QSocketNotifier::Read ? QAIO__IO_READ : QAIO__IO_WRITE;
    QObject::connect(n, &QSocketNotifier::activated, n,
                     [b, fd, which] { qaio__loop_on_event(b->loop, QAIO__EV_FD, fd, which); });
    return n;
}

extern "C" int qaio__backend_watch(qaio__backend *b, int fd, int events)
{
    auto it = b->watched.find(fd);
    if (events == 0) {
        if (it != b->watched.end()) {
            dropNotifier(it->second.read);
            dropNotifier(it->second.write);
            b->watched.erase(it);
        }
        return 0;
    }
    FdNotifiers &n = b->watched[fd];
    if ((events & QAIO__IO_READ) && !n.read && !(n.read = makeNotifier(b, fd, QSocketNotifier::Read)))
        return QAIO_ENOMEM;
    if ((events & QAIO__IO_WRITE) && !n.write && !(n.write = makeNotifier(b, fd, QSocketNotifier::Write)))
        return QAIO_ENOMEM;
    if (!(events & QAIO__IO_READ))
        dropNotifier(n.read);
    if (!(events & QAIO__IO_WRITE))
        dropNotifier(n.write);
    return 0;
}

extern "C" void qaio__backend_free(qaio__backend *b)
{
    if (!b)
        return;
    for (auto &w : b->watched) {
        delete w.second.read;
        delete w.second.write;
    }
    delete b->notifier;
    if (b->tfd >= 0)
        close(b->tfd);
    delete b->timer;
    delete b->yield;
    delete b->waker; // drops its pending wakeup events too
    delete b;
}

extern "C" void qaio__backend_wakeup(qaio__backend *b)
{
    auto *e = new QEvent(wakeupType());
    qaio__tsan_release(e);
    QCoreApplication::postEvent(b->waker, e);
}

extern "C" void qaio__backend_yield(qaio__backend *b)
{
    if (!b->yield->isActive())
        b->yield->start(0);
}

extern "C" void qaio__backend_arm_timer(qaio__backend *b, int64_t deadline)
{
#ifdef __linux__
    if (b->tfd >= 0) {
        struct itimerspec its;
        memset(&its, 0, sizeof its);
        if (deadline != INT64_MAX) {
            if (deadline <= 0)
                deadline = 1; // an all-zero it_value would disarm
            its.it_value.tv_sec = deadline / 1000000000;
            its.it_value.tv_nsec = deadline % 1000000000;
        }
        timerfd_settime(b->tfd, TFD_TIMER_ABSTIME, &its, nullptr);
        return;
    }
#endif
    if (deadline == INT64_MAX) {
        b->timer->stop();
        return;
    }
    int64_t wait = deadline - nowNs();
    int ms = wait <= 0 ? 0 : int(std::min<int64_t>((wait + 999999) / 1000000, INT32_MAX));
    b->timer->start(ms);
}

extern "C" void qaio__backend_exec(qaio__backend *, qaio__run *run)
{
    if (run->quit)
        return; // quit before exec: QEventLoop::quit() would have been lost
    if (!QCoreApplication::instance())
        return; // no application: nothing would ever be dispatched
    QEventLoop loop;
    run->impl = &loop;
    loop.exec();
    run->impl = nullptr;
}

extern "C" void qaio__backend_quit(qaio__run *run)
{
    run->quit = 1;
    if (run->impl)
        static_cast<QEventLoop *>(run->impl)->quit();
}
