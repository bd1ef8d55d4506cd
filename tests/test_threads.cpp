// Cross-thread use: threadsafe calls, loops in QThreads and plain threads.
#include "testutil.h"

#include <QThread>
#include <thread>
#include <vector>

namespace {
qaio_loop *L;
}

class TestThreads : public QObject {
    Q_OBJECT
private slots:
    void init() { L = qaio_loop_get(); }

    // 4 threads x 100k calls: none lost, each thread's calls in order.
    void threadsafeFromFourThreadsLosesNothing()
    {
        constexpr int kThreads = 4, kCalls = 100000;
        struct Slot {
            int expect = 0;
            bool inOrder = true;
        };
        static Slot perThread[kThreads];
        static std::atomic<int> total;
        total = 0;
        for (auto &s : perThread)
            s = Slot{};
        auto cb = [](void *arg) {
            uintptr_t v = uintptr_t(arg);
            Slot &s = perThread[v >> 24];
            if (int(v & 0xffffff) != s.expect)
                s.inOrder = false;
            s.expect++;
            if (++total == kThreads * kCalls)
                qaio_loop_stop(L);
        };
        std::vector<std::thread> ts;
        for (uintptr_t t = 0; t < kThreads; t++)
            ts.emplace_back([t, cb] {
                for (uintptr_t i = 0; i < kCalls; i++)
                    while (qaio_call_soon_threadsafe(L, cb, (void *)(t << 24 | i)) != 0) {
                    }
            });
        qaio_call_later(L, 30, [](void *) { qaio_loop_stop(L); }, nullptr); // watchdog
        qaio_loop_run_forever(L);
        for (auto &t : ts)
            t.join();
        QCOMPARE(total.load(), kThreads * kCalls);
        for (auto &s : perThread)
            QVERIFY(s.inOrder);
    }

    void threadsafeFromLoopThreadWorksToo()
    {
        static bool ran;
        ran = false;
        QCOMPARE(qaio_call_soon_threadsafe(L, [](void *) { ran = true; }, nullptr), 0);
        QVERIFY(runUntil([] { return ran; }));
    }

    // A loop in a QThread: its own loop, its callbacks on that thread, and a
    // future of it awaited from the main thread (condition variable).
    void loopInQThread()
    {
        struct Shared {
            std::atomic<qaio_loop *> loop{nullptr};
            std::atomic<qaio_future *> fut{nullptr};
            std::atomic<Qt::HANDLE> ranOn{nullptr};
            Qt::HANDLE threadId = nullptr;
        } sh;
        QThread *th = QThread::create([&sh] {
            qaio_loop *loop = qaio_loop_get();
            sh.threadId = QThread::currentThreadId();
            sh.fut = qaio_future_new(loop);
            sh.loop = loop;
            qaio_loop_run_forever(loop);
            qaio_future_unref(sh.fut);
            QCOMPARE(qaio_loop_close(loop), 0);
        });
        th->start();
        QVERIFY(runUntil([&] { return sh.loop.load() != nullptr; }));
        QVERIFY(sh.loop.load() != L);
        // Schedule work onto the thread's loop that completes the future.
        static Shared *shp;
        shp = &sh;
        QCOMPARE(qaio_call_soon_threadsafe(sh.loop, [](void *) {
                     shp->ranOn = QThread::currentThreadId();
                     qaio_future_set_result(shp->fut, (void *)99, nullptr);
                 }, nullptr), 0);
        void *v = nullptr;
        QCOMPARE(qaio_future_result_timeout(sh.fut, 5.0, &v), 0); // blocks on a condvar
        QCOMPARE(intptr_t(v), intptr_t(99));
        QCOMPARE(sh.ranOn.load(), sh.threadId);
        // Loop-thread-only calls from here fail cleanly.
        QCOMPARE(qaio_call_soon(sh.loop, [](void *) {}, nullptr), qaio_handle(0));
        QCOMPARE(qaio_loop_run_forever(sh.loop), int(QAIO_EWRONGTHREAD));
        QCOMPARE(qaio_loop_close(sh.loop), int(QAIO_EWRONGTHREAD));
        qaio_call_soon_threadsafe(sh.loop, [](void *) { qaio_loop_stop(qaio_loop_get()); }, nullptr);
        QVERIFY(th->wait(5000));
        delete th;
    }

    // A thread blocked in result() on a future of a loop that closes gets
    // QAIO_ECLOSED instead of hanging.
    void closingLoopReleasesForeignWaiters()
    {
        std::atomic<qaio_loop *> loop{nullptr};
        std::atomic<qaio_future *> fut{nullptr};
        std::atomic<bool> close{false};
        std::thread owner([&] {
            qaio_loop *l = qaio_loop_get();
            fut = qaio_future_new(l);
            loop = l;
            while (!close)
                QThread::msleep(1);
            qaio_loop_close(l);
        });
        while (!loop)
            QThread::msleep(1);
        std::atomic<int> err{1};
        std::thread waiter([&] { err = qaio_future_result(fut, nullptr); });
        QThread::msleep(20);
        close = true;
        owner.join();
        waiter.join();
        QCOMPARE(err.load(), int(QAIO_ECLOSED));
        qaio_future_unref(fut);
    }

    // Completed from another thread just before close: the completion's
    // pending callback run holds the future's last reference, and the value
    // must be freed exactly once when close drops that run (it leaked).
    void crossThreadCompletionJustBeforeCloseFreesTheValueOnce()
    {
        static std::atomic<int> freed;
        freed = 0;
        std::thread([] {
            qaio_loop *loop = qaio_loop_get();
            qaio_future *f = qaio_future_new(loop);
            QVERIFY(f);
            std::thread([f] {
                qaio_dtor dtor = [](void *v) {
                    delete static_cast<int *>(v);
                    freed++;
                };
                QCOMPARE(qaio_future_set_result(f, new int(7), dtor), 0);
            }).join();
            qaio_future_unref(f);
            QCOMPARE(freed.load(), 0); // the pending run still holds it
            QCOMPARE(qaio_loop_close(loop), 0);
            QCOMPARE(freed.load(), 1);
        }).join();
        QCOMPARE(freed.load(), 1);
    }

    void plainThreadGetsItsOwnLoop()
    {
        std::atomic<int> result{0};
        std::thread t([&] {
            qaio_loop *loop = qaio_loop_get();
            qaio_future *f = qaio_future_new(loop);
            static qaio_future *sf;
            sf = f;
            qaio_call_later(loop, 0.005, [](void *) { qaio_future_set_result(sf, (void *)3, nullptr); }, nullptr);
            void *v;
            int err = qaio_future_result(f, &v); // nested loop on this thread
            result = err ? err : int(intptr_t(v));
            qaio_future_unref(f);
            qaio_loop_close(loop);
        });
        t.join();
        QCOMPARE(result.load(), 3);
    }
};

QTEST_GUILESS_MAIN(TestThreads)
#include "test_threads.moc"
