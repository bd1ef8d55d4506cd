// fd watching and Unix signal handlers (io.h). CTest runs this file twice:
// with the epoll set (the default on Linux) and with QAIO_IO=notifier (one
// QSocketNotifier per fd, the path other systems take).
#include "testutil.h"

#include <csignal>
#include <fcntl.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {
qaio_loop *L;

struct Pipe {
    int r = -1, w = -1;
    Pipe()
    {
        int fds[2];
        if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0) {
            r = fds[0];
            w = fds[1];
        }
    }
    ~Pipe()
    {
        closeRead();
        closeWrite();
    }
    void closeRead()
    {
        if (r >= 0) {
            qaio_remove_reader(L, r);
            close(r);
        }
        r = -1;
    }
    void closeWrite()
    {
        if (w >= 0) {
            qaio_remove_writer(L, w);
            close(w);
        }
        w = -1;
    }
    void put(const char *s) { QVERIFY(write(w, s, strlen(s)) == ssize_t(strlen(s))); }
};

struct Counter {
    int calls = 0;
    int fd = -1;
    bool drain = true; // read what is there, so level-triggering stops
    static void cb(void *arg)
    {
        auto *c = static_cast<Counter *>(arg);
        c->calls++;
        char buf[256];
        if (c->drain && c->fd >= 0)
            while (read(c->fd, buf, sizeof buf) > 0) {
            }
    }
};

void bump(void *arg) { ++*static_cast<int *>(arg); }

std::atomic<int> usr1Raw{0};
void rawHandler(int) { usr1Raw++; }
}

class TestIo : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { L = qaio_loop_get(); }

    void readerRunsWhileReadable()
    {
        Pipe p;
        Counter c;
        c.fd = p.r;
        QCOMPARE(qaio_add_reader(L, p.r, Counter::cb, &c), 0);
        QTest::qWait(20);
        QCOMPARE(c.calls, 0);
        p.put("x");
        QVERIFY(runUntil([&] { return c.calls == 1; }));
        QTest::qWait(20);
        QCOMPARE(c.calls, 1); // drained: no more calls
        QCOMPARE(qaio_remove_reader(L, p.r), 1);
        QCOMPARE(qaio_remove_reader(L, p.r), 0);
    }

    void levelTriggeredUntilRemoved()
    {
        Pipe p;
        Counter c;
        c.fd = p.r;
        c.drain = false;
        QCOMPARE(qaio_add_reader(L, p.r, Counter::cb, &c), 0);
        p.put("x");
        QVERIFY(runUntil([&] { return c.calls >= 5; }));
        QCOMPARE(qaio_remove_reader(L, p.r), 1);
        int seen = c.calls;
        QTest::qWait(20);
        QCOMPARE(c.calls, seen);
    }

    void writerRunsWhileWritable()
    {
        Pipe p;
        Counter c;
        QCOMPARE(qaio_add_writer(L, p.w, Counter::cb, &c), 0);
        QVERIFY(runUntil([&] { return c.calls >= 2; }));
        QCOMPARE(qaio_remove_writer(L, p.w), 1);
        QCOMPARE(qaio_remove_writer(L, p.w), 0);
    }

    void readerAndWriterOnOneFd()
    {
        int sv[2];
        QCOMPARE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
        Counter r, w;
        r.fd = sv[0];
        QCOMPARE(qaio_add_reader(L, sv[0], Counter::cb, &r), 0);
        QCOMPARE(qaio_add_writer(L, sv[0], Counter::cb, &w), 0);
        QVERIFY(runUntil([&] { return w.calls >= 1; }));
        QCOMPARE(r.calls, 0);
        QCOMPARE(qaio_remove_writer(L, sv[0]), 1); // the reader stays
        QVERIFY(write(sv[1], "a", 1) == 1);
        QVERIFY(runUntil([&] { return r.calls == 1; }));
        QCOMPARE(qaio_remove_reader(L, sv[0]), 1);
        close(sv[0]);
        close(sv[1]);
    }

    void secondReaderReplacesFirst()
    {
        Pipe p;
        Counter a, b;
        a.fd = b.fd = p.r;
        QCOMPARE(qaio_add_reader(L, p.r, Counter::cb, &a), 0);
        QCOMPARE(qaio_add_reader(L, p.r, Counter::cb, &b), 0);
        p.put("x");
        QVERIFY(runUntil([&] { return b.calls == 1; }));
        QCOMPARE(a.calls, 0);
    }

    // A callback removes itself and watches another fd; both run once.
    void callbackChangesWatchers()
    {
        Pipe a, b;
        static Pipe *second;
        static int firstCalls, secondCalls;
        second = &b;
        firstCalls = secondCalls = 0;
        auto onFirst = [](void *arg) {
            firstCalls++;
            int fd = *static_cast<int *>(arg);
            QCOMPARE(qaio_remove_reader(L, fd), 1);
            QCOMPARE(qaio_add_reader(L, second->r, +[](void *) {
                secondCalls++;
                qaio_remove_reader(L, second->r);
            }, nullptr), 0);
        };
        QCOMPARE(qaio_add_reader(L, a.r, onFirst, &a.r), 0);
        a.put("x");
        b.put("y");
        QVERIFY(runUntil([&] { return secondCalls == 1; }));
        QTest::qWait(20);
        QCOMPARE(firstCalls, 1);
        QCOMPARE(secondCalls, 1);
    }

    // A callback that closes another watched fd of the same batch: that fd's
    // stale event must not reach whoever watches its number next.
    void removedInSameBatchDoesNotFire()
    {
        Pipe a, b;
        static int aCalls, bCalls;
        static Pipe *pa, *pb;
        aCalls = bCalls = 0;
        pa = &a;
        pb = &b;
        auto cb = [](void *arg) {
            Pipe *self = static_cast<Pipe *>(arg);
            Pipe *other = self == pa ? pb : pa;
            (self == pa ? aCalls : bCalls)++;
            qaio_remove_reader(L, self->r);
            qaio_remove_reader(L, other->r); // whichever ran first wins
        };
        QCOMPARE(qaio_add_reader(L, a.r, cb, &a), 0);
        QCOMPARE(qaio_add_reader(L, b.r, cb, &b), 0);
        a.put("x");
        b.put("y");
        QVERIFY(runUntil([&] { return aCalls + bCalls >= 1; }));
        QTest::qWait(30);
        QCOMPARE(aCalls + bCalls, 1);
    }

    // quamash's test_scheduling: what a reader schedules runs before the
    // reader runs again.
    void scheduledWorkRunsBeforeNextIo()
    {
        Pipe p;
        static int scheduled, ioCalls;
        static bool ok;
        static int fd;
        scheduled = ioCalls = 0;
        ok = true;
        fd = p.r;
        p.put("abc");
        auto cb = [](void *) {
            if (scheduled != ioCalls)
                ok = false;
            ioCalls++;
            char c;
            if (read(fd, &c, 1) != 1 || ioCalls == 3)
                qaio_remove_reader(L, fd);
            qaio_call_soon(L, bump, &scheduled);
        };
        QCOMPARE(qaio_add_reader(L, p.r, cb, nullptr), 0);
        QVERIFY(runUntil([&] { return scheduled == 3; }));
        QVERIFY(ok);
        QCOMPARE(ioCalls, 3);
    }

    void hangUpWakesReader()
    {
        Pipe p;
        Counter c;
        c.fd = p.r;
        c.drain = false;
        static int eofSeen;
        eofSeen = 0;
        QCOMPARE(qaio_add_reader(L, p.r, +[](void *arg) {
            char b;
            if (read(*static_cast<int *>(arg), &b, 1) == 0) {
                eofSeen++;
                qaio_remove_reader(L, *static_cast<int *>(arg));
            }
        }, &p.r), 0);
        p.closeWrite();
        QVERIFY(runUntil([&] { return eofSeen == 1; }));
    }

    // A future completed by a reader wakes a nested result() on the loop
    // thread, and a task awaiting it.
    void readerCompletesAwaitedFuture()
    {
        Pipe p;
        qaio_future *f = qaio_future_new(L);
        static qaio_future *target;
        target = f;
        QCOMPARE(qaio_add_reader(L, p.r, +[](void *arg) {
            qaio_remove_reader(L, *static_cast<int *>(arg));
            qaio_future_set_result(target, (void *)0x1, nullptr);
        }, &p.r), 0);
        qaio_call_later(L, 0.1, +[](void *arg) {
            QVERIFY(write(*static_cast<int *>(arg), "x", 1) == 1);
        }, &p.w);
        LoopChecker checker;
        void *v = nullptr;
        QCOMPARE(qaio_future_result_timeout(f, 30, &v), 0);
        QCOMPARE(v, (void *)0x1);
        // The nested loop served Qt timers while it waited (a count, not a
        // rate: valgrind on a loaded machine fires few of them in 100 ms).
        QVERIFY(checker.ticks() >= 1);
        qaio_future_unref(f);
    }

    // A watched fd closed without removing its watcher, and its number
    // reused: adding a watcher for the new file works.
    void reusedFdNumberIsWatchedAgain()
    {
        Pipe old;
        Counter stale;
        QCOMPARE(qaio_add_reader(L, old.r, Counter::cb, &stale), 0);
        // dup3 closes the watched file and puts a new one at its number,
        // behind qaio's back (the kernel drops the old one from the set).
        Pipe p;
        QVERIFY(dup3(p.r, old.r, O_CLOEXEC) == old.r);
        close(p.r);
        p.r = old.r;
        old.r = -1;
        Counter fresh;
        fresh.fd = p.r;
        QCOMPARE(qaio_add_reader(L, p.r, Counter::cb, &fresh), 0);
        p.put("x");
        QVERIFY(runUntil([&] { return fresh.calls == 1; }));
        QCOMPARE(stale.calls, 0);
    }

    void manyFds()
    {
        const int n = 1000;
        std::vector<Pipe> pipes(n);
        std::vector<Counter> counters(n);
        for (int i = 0; i < n; i++) {
            QVERIFY(pipes[i].r >= 0);
            counters[i].fd = pipes[i].r;
            QCOMPARE(qaio_add_reader(L, pipes[i].r, Counter::cb, &counters[i]), 0);
        }
        for (int i = 0; i < n; i++)
            pipes[i].put("x");
        QVERIFY(runUntil([&] {
            for (auto &c : counters)
                if (c.calls != 1)
                    return false;
            return true;
        }));
    }

    void badArguments()
    {
        Pipe p;
        Counter c;
        QCOMPARE(qaio_add_reader(nullptr, p.r, Counter::cb, &c), QAIO_EINVAL);
        QCOMPARE(qaio_add_reader(L, -1, Counter::cb, &c), QAIO_EINVAL);
        QCOMPARE(qaio_add_reader(L, p.r, nullptr, &c), QAIO_EINVAL);
        QCOMPARE(qaio_add_writer(L, p.w, nullptr, &c), QAIO_EINVAL);
        QCOMPARE(qaio_remove_reader(nullptr, p.r), QAIO_EINVAL);
        QCOMPARE(qaio_remove_reader(L, -5), QAIO_EINVAL);
        QCOMPARE(qaio_remove_writer(L, 123456), 0);
        // Not open: EBADF, and nothing is left registered.
        int closedFd = dup(p.r);
        close(closedFd);
        QCOMPARE(qaio_add_reader(L, closedFd, Counter::cb, &c), QAIO_EBADF);
        QCOMPARE(qaio_remove_reader(L, closedFd), 0);
        // A regular file cannot be polled by epoll.
        char path[] = "/tmp/qaio-io-XXXXXX";
        int file = mkstemp(path);
        QVERIFY(file >= 0);
        unlink(path);
        int rc = qaio_add_reader(L, file, Counter::cb, &c);
        if (getenv("QAIO_IO") == nullptr)
            QCOMPARE(rc, QAIO_ENOTSUP);
        qaio_remove_reader(L, file);
        close(file);
        // Another thread, and a closed loop.
        int wrongThread = 0, afterClose = 0, removeAfterClose = 0;
        std::thread t([&] {
            wrongThread = qaio_add_reader(L, p.r, Counter::cb, &c);
            qaio_loop *mine = qaio_loop_get();
            qaio_add_reader(mine, p.r, Counter::cb, &c);
            qaio_loop_close(mine);
            afterClose = qaio_add_reader(mine, p.r, Counter::cb, &c);
            removeAfterClose = qaio_remove_reader(mine, p.r);
        });
        t.join();
        QCOMPARE(wrongThread, QAIO_EWRONGTHREAD);
        QCOMPARE(afterClose, QAIO_ECLOSED);
        QCOMPARE(removeAfterClose, QAIO_ECLOSED);
    }

    // --- signals ------------------------------------------------------------

    void signalRunsCallbackInLoopTurn()
    {
        int calls = 0;
        QCOMPARE(qaio_add_signal_handler(L, SIGUSR1, bump, &calls), 0);
        raise(SIGUSR1);
        QCOMPARE(calls, 0); // never from signal context
        QVERIFY(runUntil([&] { return calls == 1; }));
        // Several deliveries before the loop turns coalesce into one call.
        raise(SIGUSR1);
        raise(SIGUSR1);
        raise(SIGUSR1);
        QVERIFY(runUntil([&] { return calls >= 2; }));
        QTest::qWait(20);
        QCOMPARE(calls, 2);
        QCOMPARE(qaio_remove_signal_handler(L, SIGUSR1), 1);
        QCOMPARE(qaio_remove_signal_handler(L, SIGUSR1), 0);
    }

    void removeRestoresPreviousDisposition()
    {
        struct sigaction sa = {}, old = {};
        sa.sa_handler = rawHandler;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGUSR2, &sa, &old);
        usr1Raw = 0;
        int calls = 0;
        QCOMPARE(qaio_add_signal_handler(L, SIGUSR2, bump, &calls), 0);
        raise(SIGUSR2);
        QVERIFY(runUntil([&] { return calls == 1; }));
        QCOMPARE(usr1Raw.load(), 0);
        QCOMPARE(qaio_remove_signal_handler(L, SIGUSR2), 1);
        raise(SIGUSR2);
        QCOMPARE(usr1Raw.load(), 1);
        QTest::qWait(10);
        QCOMPARE(calls, 1);
        sigaction(SIGUSR2, &old, nullptr);
    }

    // Ctrl-C ends run_forever through the loop, not by killing the process.
    void sigintStopsTheLoop()
    {
        QCOMPARE(qaio_add_signal_handler(L, SIGINT, [](void *) { qaio_loop_stop(L); }, nullptr), 0);
        qaio_call_later(L, 0.02, [](void *) { kill(getpid(), SIGINT); }, nullptr);
        int timeouts = 0;
        qaio_handle guard = qaio_call_later(L, 5, [](void *arg) {
            ++*static_cast<int *>(arg);
            qaio_loop_stop(L);
        }, &timeouts);
        QCOMPARE(qaio_loop_run_forever(L), 0);
        QCOMPARE(timeouts, 0);
        qaio_cancel(L, guard);
        QCOMPARE(qaio_remove_signal_handler(L, SIGINT), 1);
    }

    // A signal delivered to another thread still reaches the loop.
    void signalFromAnotherThread()
    {
        int calls = 0;
        QCOMPARE(qaio_add_signal_handler(L, SIGUSR1, bump, &calls), 0);
        std::thread t([] { kill(getpid(), SIGUSR1); });
        t.join();
        QVERIFY(runUntil([&] { return calls == 1; }));
        QCOMPARE(qaio_remove_signal_handler(L, SIGUSR1), 1);
    }

    void signalBadArgumentsAndOwnership()
    {
        int calls = 0;
        QCOMPARE(qaio_add_signal_handler(L, SIGKILL, bump, &calls), QAIO_EINVAL);
        QCOMPARE(qaio_add_signal_handler(L, SIGSTOP, bump, &calls), QAIO_EINVAL);
        QCOMPARE(qaio_add_signal_handler(L, 0, bump, &calls), QAIO_EINVAL);
        QCOMPARE(qaio_add_signal_handler(L, 100000, bump, &calls), QAIO_EINVAL);
        QCOMPARE(qaio_add_signal_handler(L, SIGUSR1, nullptr, &calls), QAIO_EINVAL);
        QCOMPARE(qaio_add_signal_handler(nullptr, SIGUSR1, bump, &calls), QAIO_EINVAL);
        QCOMPARE(qaio_remove_signal_handler(L, -1), QAIO_EINVAL);
        QCOMPARE(qaio_add_signal_handler(L, SIGUSR1, bump, &calls), 0);
        int other = 0, closedAdd = 0;
        std::thread t([&] {
            qaio_loop *mine = qaio_loop_get();
            other = qaio_add_signal_handler(mine, SIGUSR1, bump, &calls);
            qaio_add_signal_handler(mine, SIGUSR2, bump, &calls);
            qaio_loop_close(mine); // gives SIGUSR2 back
            closedAdd = qaio_add_signal_handler(mine, SIGUSR2, bump, &calls);
        });
        t.join();
        QCOMPARE(other, QAIO_EBUSY);
        QCOMPARE(closedAdd, QAIO_ECLOSED);
        QCOMPARE(qaio_add_signal_handler(L, SIGUSR2, bump, &calls), 0); // free again
        QCOMPARE(qaio_remove_signal_handler(L, SIGUSR2), 1);
        QCOMPARE(qaio_remove_signal_handler(L, SIGUSR1), 1);
    }
};

QTEST_GUILESS_MAIN(TestIo)
#include "test_io.moc"
