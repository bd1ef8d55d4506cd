// The executor: jobs on worker threads, futures completed on the loop.
#include "testutil.h"

#include <QThread>

namespace {
qaio_loop *L;
std::atomic<Qt::HANDLE> jobThread{nullptr};

std::atomic<int> inside{0}, maxInside{0};
void *square(void *arg)
{
    jobThread = QThread::currentThreadId();
    int now = ++inside;
    for (int seen = maxInside; now > seen && !maxInside.compare_exchange_weak(seen, now);)
        ;
    QThread::msleep(10);
    --inside;
    intptr_t x = intptr_t(arg);
    return (void *)(x * x);
}

int failing(void *, void **) { return QAIO_EIO; }

std::atomic<bool> allocStarted{false};
int allocating(void *, void **out)
{
    allocStarted = true;
    QThread::msleep(50);
    *out = new Counted{3};
    return 0;
}
}

class TestExecutor : public QObject {
    Q_OBJECT
private slots:
    void init() { L = qaio_loop_get(); }

    void jobRunsOnWorkerAndCompletesOnLoop()
    {
        static Qt::HANDLE doneOn;
        LoopChecker checker(1);
        qaio_future *f = qaio_run_in_executor(L, square, (void *)12);
        QVERIFY(f);
        qaio_future_add_done_callback(f, [](qaio_future *, void *) { doneOn = QThread::currentThreadId(); }, nullptr);
        void *v;
        QCOMPARE(qaio_future_result(f, &v), 0);
        QCOMPARE(intptr_t(v), intptr_t(144));
        QVERIFY(jobThread.load() != QThread::currentThreadId());
        QVERIFY(runUntil([] { return doneOn != nullptr; }));
        QCOMPARE(doneOn, QThread::currentThreadId());
        QVERIFY(checker.ticks() >= 1); // the loop ran while the job did
        qaio_future_unref(f);
    }

    void awaitedFromTasksInParallel()
    {
        auto task = [](void *arg, qaio_future *self) {
            qaio_future *job = qaio_run_in_executor(L, square, arg);
            void *v;
            int err = qaio_await(job, &v);
            qaio_future_unref(job);
            return err ? err : qaio_future_set_result(self, v, nullptr);
        };
        qaio_executor_set_max_threads(4);
        maxInside = 0;
        qaio_future *fs[4];
        for (intptr_t i = 0; i < 4; i++)
            fs[i] = qaio_spawn(L, task, (void *)(i + 1));
        qaio_future *g = qaio_gather(fs, 4);
        void *v;
        QCOMPARE(qaio_future_result(g, &v), 0);
        QCOMPARE(intptr_t(static_cast<void **>(v)[3]), intptr_t(16));
        QVERIFY2(maxInside >= 2, qPrintable(QString::number(maxInside))); // jobs overlapped
        qaio_future_unref(g);
        for (auto f : fs)
            qaio_future_unref(f);
    }

    // Cancelled before a worker picked it up: the job never runs.
    // A job whose future was cancelled before it started still runs, once:
    // it may own its arg, which would otherwise leak.
    void jobCancelledBeforeStartStillRunsOnce()
    {
        qaio_executor_set_max_threads(1);
        qaio_future *blocker = qaio_run_in_executor(L, [](void *) -> void * {
            QThread::msleep(50);
            return nullptr;
        }, nullptr);
        static std::atomic<int> freedArgs;
        freedArgs = 0;
        qaio_future *f = qaio_executor_call(L, [](void *arg, void **) {
            delete static_cast<int *>(arg);
            freedArgs++;
            return 0;
        }, new int(7), nullptr);
        QCOMPARE(qaio_future_cancel(f), 1);
        QVERIFY(qaio_future_cancelled(f));
        QCOMPARE(qaio_future_result(blocker, nullptr), 0);
        QVERIFY(runUntil([] { return freedArgs == 1; }));
        QThread::msleep(20);
        QCOMPARE(freedArgs.load(), 1);
        qaio_future_unref(f);
        qaio_future_unref(blocker);
        qaio_executor_set_max_threads(4);
    }

    void failingJobGivesItsError()
    {
        qaio_future *f = qaio_executor_call(L, failing, nullptr, nullptr);
        QCOMPARE(qaio_future_result(f, nullptr), int(QAIO_EIO));
        qaio_future_unref(f);
    }

    void cancelledJobStillFreesItsValue()
    {
        Counted::freed = 0;
        allocStarted = false;
        qaio_future *f = qaio_executor_call(L, allocating, nullptr, Counted::dtor);
        QVERIFY(runUntil([] { return allocStarted.load(); }));
        QCOMPARE(qaio_future_cancel(f), 1); // running: its result is dropped
        qaio_future_unref(f);
        QVERIFY(runUntil([] { return Counted::freed == 1; }, 5000));
    }

    // Closing a loop with a job still running does not wait for it.
    void closingLoopDoesNotHangOnJobs()
    {
        std::atomic<bool> closed{false};
        QElapsedTimer t;
        t.start();
        std::thread([&] {
            qaio_loop *loop = qaio_loop_get();
            qaio_future *f = qaio_run_in_executor(loop, [](void *) -> void * {
                QThread::msleep(300);
                return nullptr;
            }, nullptr);
            QCOMPARE(qaio_loop_close(loop), 0);
            closed = true;
            qaio_future_unref(f);
        }).join();
        QVERIFY(closed);
        QVERIFY(t.elapsed() < 250);
        QThread::msleep(350); // let the job end before the next test
    }

    void badInput()
    {
        QVERIFY(!qaio_run_in_executor(nullptr, square, nullptr));
        QVERIFY(!qaio_run_in_executor(L, nullptr, nullptr));
        QVERIFY(!qaio_executor_call(L, nullptr, nullptr, nullptr));
        QCOMPARE(qaio_executor_set_max_threads(0), int(QAIO_EINVAL));
    }
};

QTEST_GUILESS_MAIN(TestExecutor)
#include "test_executor.moc"
