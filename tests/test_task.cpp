// Tasks: spawn/await/sleep, the tworoutine property, cancellation,
// gather/wait_for/wait_any, task groups, qaio_run, many tasks, overflow.
#include "testutil.h"

#include <QProcess>
#include <cstdio>
#include <unistd.h>
#include <vector>

namespace {
qaio_loop *L;
std::vector<int> order;

int returnsArg(void *arg, qaio_future *self)
{
    return qaio_future_set_result(self, arg, nullptr);
}

// The tworoutine: the same function waits both as a task and as plain code.
int acquireAverage(double seconds)
{
    int sum = 0;
    for (int i = 0; i < 4; i++) {
        int err = qaio_sleep(seconds / 4);
        if (err)
            return err;
        sum += i;
    }
    return sum;
}
int acquireTask(void *arg, qaio_future *self)
{
    double *secs = static_cast<double *>(arg);
    int r = acquireAverage(*secs);
    return r < 0 ? r : qaio_future_set_result(self, (void *)intptr_t(r), nullptr);
}

struct SleepProbe {
    double seconds;
    int result = 1;
    bool cleanedUp = false;
};
int sleeper(void *arg, qaio_future *)
{
    auto *p = static_cast<SleepProbe *>(arg);
    p->result = qaio_sleep(p->seconds);
    p->cleanedUp = true;
    return p->result;
}

int failer(void *arg, qaio_future *self)
{
    qaio_sleep(double(intptr_t(arg)) / 1000);
    return qaio_future_set_error(self, QAIO_EIO, "instrument fault") == 0 ? QAIO_EIO : -1;
}
}

class TestTask : public QObject {
    Q_OBJECT
private slots:
    void init()
    {
        L = qaio_loop_get();
        order.clear();
    }

    void spawnRunsInNextPassAndCompletes()
    {
        qaio_future *f = qaio_spawn(L, returnsArg, (void *)5);
        QVERIFY(f);
        QVERIFY(!qaio_future_done(f)); // not run inline
        void *v;
        QCOMPARE(qaio_future_result(f, &v), 0);
        QCOMPARE(intptr_t(v), intptr_t(5));
        QVERIFY(QString(qaio_task_name(f)).startsWith("task-"));
        qaio_future_unref(f);
    }

    void returnCodesBecomeTheOutcome()
    {
        auto err = [](void *, qaio_future *) { return int(QAIO_EPROTO); };
        auto none = [](void *, qaio_future *) { return 0; };
        qaio_future *a = qaio_spawn(L, err, nullptr), *b = qaio_spawn(L, none, nullptr);
        void *v = (void *)1;
        QCOMPARE(qaio_future_result(a, nullptr), int(QAIO_EPROTO));
        QCOMPARE(qaio_future_result(b, &v), 0);
        QCOMPARE(v, nullptr);
        qaio_future_unref(a);
        qaio_future_unref(b);
    }

    void tworoutineWorksAsTaskAndAsBlockingCall()
    {
        double secs = 0.02;
        QCOMPARE(acquireAverage(secs), 6); // plain code: nested loop
        // Concurrent: ten tasks sleeping 0.1 s each take ~0.1 s, not 1 s.
        double tenth = 0.1;
        QElapsedTimer t;
        t.start();
        std::vector<qaio_future *> fs;
        for (int i = 0; i < 10; i++)
            fs.push_back(qaio_spawn(L, acquireTask, &tenth));
        for (auto f : fs) {
            void *v;
            QCOMPARE(qaio_future_result(f, &v), 0);
            QCOMPARE(intptr_t(v), intptr_t(6));
            qaio_future_unref(f);
        }
        QVERIFY2(t.elapsed() < 600, qPrintable(QString::number(t.elapsed())));
    }

    void awaitAndResultInsideTaskSuspend()
    {
        // A task awaiting a future lets other tasks and callbacks run.
        static qaio_future *gate;
        gate = qaio_future_new(L);
        auto waiter = [](void *, qaio_future *self) {
            order.push_back(1);
            void *v;
            int err = qaio_future_result(gate, &v); // suspends, no nested loop
            order.push_back(3);
            return err ? err : qaio_future_set_result(self, v, nullptr);
        };
        auto opener = [](void *, qaio_future *) {
            order.push_back(2);
            return qaio_future_set_result(gate, (void *)9, nullptr);
        };
        qaio_future *w = qaio_spawn(L, waiter, nullptr);
        qaio_future *o = qaio_spawn(L, opener, nullptr);
        LoopChecker checker(1);
        void *v;
        QCOMPARE(qaio_await(w, &v), 0); // outside a task: nested loop
        QCOMPARE(intptr_t(v), intptr_t(9));
        QCOMPARE(order, (std::vector<int>{1, 2, 3}));
        qaio_future_unref(w);
        qaio_future_unref(o);
        qaio_future_unref(gate);
    }

    void qtKeepsRunningWhileTasksWait()
    {
        SleepProbe p{0.05};
        LoopChecker checker(1);
        qaio_future *f = qaio_spawn(L, sleeper, &p);
        QCOMPARE(qaio_future_result(f, nullptr), 0);
        QVERIFY(checker.ticks() >= 1); // Qt timers ran while the task slept
        qaio_future_unref(f);
    }

    void cancelSleepingTask()
    {
        SleepProbe p{10};
        qaio_future *f = qaio_spawn(L, sleeper, &p);
        QCOMPARE(qaio_sleep(0.01), 0);
        QCOMPARE(qaio_future_cancel(f), 1);
        QVERIFY(!qaio_future_done(f)); // done only once the function returned
        QCOMPARE(qaio_future_result_timeout(f, 2, nullptr), int(QAIO_ECANCELED));
        QVERIFY(qaio_future_cancelled(f));
        QCOMPARE(p.result, int(QAIO_ECANCELED));
        QVERIFY(p.cleanedUp);
        qaio_future_unref(f);
    }

    void cancelBeforeStartNeverRunsTheFunction()
    {
        SleepProbe p{0};
        qaio_future *f = qaio_spawn(L, sleeper, &p);
        QCOMPARE(qaio_future_cancel(f), 1);
        QCOMPARE(qaio_future_result(f, nullptr), int(QAIO_ECANCELED));
        QVERIFY(!p.cleanedUp);
        qaio_future_unref(f);
    }

    void cancellationIsSticky()
    {
        auto stubborn = [](void *, qaio_future *) {
            int a = qaio_sleep(10);
            int b = qaio_sleep(10); // the cleanup wait must not hang
            int c = qaio_yield();
            order = {a, b, c};
            return 0;
        };
        qaio_future *f = qaio_spawn(L, stubborn, nullptr);
        qaio_sleep(0.01);
        qaio_future_cancel(f);
        QCOMPARE(qaio_future_result_timeout(f, 2, nullptr), 0); // it chose to return 0
        QCOMPARE(order, (std::vector<int>{QAIO_ECANCELED, QAIO_ECANCELED, QAIO_ECANCELED}));
        qaio_future_unref(f);
    }

    void cancellingParentCancelsAwaitedChild()
    {
        static SleepProbe childProbe;
        childProbe = SleepProbe{10};
        static qaio_future *child;
        auto parent = [](void *, qaio_future *) {
            child = qaio_spawn(L, sleeper, &childProbe);
            int err = qaio_await(child, nullptr);
            return err;
        };
        qaio_future *p = qaio_spawn(L, parent, nullptr);
        qaio_sleep(0.01);
        qaio_future_cancel(p);
        QCOMPARE(qaio_future_result_timeout(p, 2, nullptr), int(QAIO_ECANCELED));
        QVERIFY(qaio_future_cancelled(child)); // no leaked child
        QVERIFY(childProbe.cleanedUp);
        qaio_future_unref(child);
        qaio_future_unref(p);
    }

    void cancelFromAnotherThread()
    {
        SleepProbe p{10};
        qaio_future *f = qaio_spawn(L, sleeper, &p);
        qaio_sleep(0.01);
        std::thread([f] { QCOMPARE(qaio_future_cancel(f), 1); }).join();
        QCOMPARE(qaio_future_result_timeout(f, 2, nullptr), int(QAIO_ECANCELED));
        qaio_future_unref(f);
    }

    void gatherResultsInOrder()
    {
        qaio_future *fs[3] = {qaio_spawn(L, returnsArg, (void *)1), qaio_spawn(L, returnsArg, (void *)2),
                              qaio_spawn(L, returnsArg, (void *)3)};
        qaio_future *g = qaio_gather(fs, 3);
        void *v;
        QCOMPARE(qaio_future_result(g, &v), 0);
        void **vals = static_cast<void **>(v);
        QCOMPARE(intptr_t(vals[0]), intptr_t(1));
        QCOMPARE(intptr_t(vals[2]), intptr_t(3));
        for (auto f : fs)
            qaio_future_unref(f);
        qaio_future_unref(g);
    }

    void gatherFirstErrorCancelsTheRest()
    {
        SleepProbe slow{10};
        qaio_future *fs[2] = {qaio_spawn(L, sleeper, &slow), qaio_spawn(L, failer, (void *)5)};
        qaio_future *g = qaio_gather(fs, 2);
        QCOMPARE(qaio_future_result_timeout(g, 2, nullptr), int(QAIO_EIO));
        QCOMPARE(QString(qaio_future_error_message(g)), QString("instrument fault"));
        QVERIFY(qaio_future_cancelled(fs[0])); // defined fate: cancelled...
        QVERIFY(slow.cleanedUp);               // ...and finished before gather failed
        for (auto f : fs)
            qaio_future_unref(f);
        qaio_future_unref(g);
    }

    void cancellingGatherCancelsChildren()
    {
        SleepProbe a{10}, b{10};
        qaio_future *fs[2] = {qaio_spawn(L, sleeper, &a), qaio_spawn(L, sleeper, &b)};
        qaio_future *g = qaio_gather(fs, 2);
        qaio_sleep(0.01);
        QCOMPARE(qaio_future_cancel(g), 1);
        QCOMPARE(qaio_future_result_timeout(g, 2, nullptr), int(QAIO_ECANCELED));
        QVERIFY(a.cleanedUp && b.cleanedUp);
        for (auto f : fs)
            qaio_future_unref(f);
        qaio_future_unref(g);
    }

    // qaio_future_cancel works from any thread, a gather's too (it used to
    // return QAIO_EWRONGTHREAD there; found by test_random_schedule).
    void cancellingGatherFromAnotherThread()
    {
        SleepProbe a{10}, b{10};
        qaio_future *fs[2] = {qaio_spawn(L, sleeper, &a), qaio_spawn(L, sleeper, &b)};
        qaio_future *g = qaio_gather(fs, 2);
        qaio_sleep(0.01);
        int rc = -1;
        std::thread([g, &rc] { rc = qaio_future_cancel(g); }).join();
        QCOMPARE(rc, 1);
        QCOMPARE(qaio_future_result_timeout(g, 2, nullptr), int(QAIO_ECANCELED));
        QVERIFY(a.cleanedUp && b.cleanedUp);
        QCOMPARE(qaio_future_cancel(g), 0);
        for (auto f : fs)
            qaio_future_unref(f);
        qaio_future_unref(g);
    }

    void waitForTimeoutCancelsAndWaits()
    {
        SleepProbe p{10};
        qaio_future *f = qaio_spawn(L, sleeper, &p);
        QElapsedTimer t;
        t.start();
        QCOMPARE(qaio_wait_for(f, 0.03, nullptr), int(QAIO_ETIMEDOUT));
        QVERIFY(t.elapsed() >= 29);
        QVERIFY(qaio_future_cancelled(f) && p.cleanedUp); // nothing still running
        qaio_future_unref(f);
        qaio_future *g = qaio_spawn(L, returnsArg, (void *)4);
        void *v;
        QCOMPARE(qaio_wait_for(g, 1, &v), 0);
        QCOMPARE(intptr_t(v), intptr_t(4));
        qaio_future_unref(g);
    }

    // A awaits B, then B awaits A: the await that closes the cycle fails
    // with QAIO_EDEADLK at once (the two hung for ever, and so did a
    // wait_for on A), and A sees B's error.
    void awaitCycleIsRefused()
    {
        static qaio_future *a, *b;
        static int bGot;
        bGot = 1;
        a = qaio_spawn_named(L, "A", 0, [](void *, qaio_future *) { return qaio_await(b, nullptr); },
                             nullptr);
        b = qaio_spawn_named(L, "B", 0, [](void *, qaio_future *) {
            qaio_sleep(0.001); // A is awaiting B by now
            return bGot = qaio_await(a, nullptr);
        }, nullptr);
        QElapsedTimer t;
        t.start();
        QCOMPARE(qaio_wait_for(a, 1.0, nullptr), int(QAIO_EDEADLK));
        QVERIFY(t.elapsed() < 900);
        QCOMPARE(bGot, int(QAIO_EDEADLK));
        QCOMPARE(qaio_future_error(b), int(QAIO_EDEADLK));
        qaio_future_unref(a);
        qaio_future_unref(b);
    }

    // A awaits a gather of B and B awaits A: a cycle no await can see, and
    // cancelling A cannot end it. wait_for(A) still returns by its deadline
    // plus what the loop can run at once, leaving A cancelling.
    void waitForReturnsWhenItsFutureCannotFinish()
    {
        static qaio_future *a, *b;
        a = qaio_spawn_named(L, "A", 0, [](void *, qaio_future *) {
            qaio_future *g = qaio_gather(&b, 1);
            int err = qaio_await(g, nullptr);
            qaio_future_unref(g);
            return err;
        }, nullptr);
        b = qaio_spawn_named(L, "B", 0, [](void *, qaio_future *) {
            qaio_sleep(0.001);
            return qaio_await(a, nullptr);
        }, nullptr);
        QElapsedTimer t;
        t.start();
        QCOMPARE(qaio_wait_for(a, 0.1, nullptr), int(QAIO_ETIMEDOUT));
        qint64 ms = t.elapsed();
        QVERIFY2(ms >= 99 && ms < 1000, qPrintable(QString::number(ms)));
        QVERIFY(!qaio_future_done(a)); // still cancelling: the cycle holds it
        // Break the cycle from outside: B's wait for A ends, B finishes
        // (cancelled), the gather fails, and A's function returns.
        QCOMPARE(qaio_future_set_error(a, QAIO_EIO, nullptr), 0);
        QVERIFY(runUntil([] { return qaio_future_done(b); }));
        QCOMPARE(qaio_future_error(a), int(QAIO_EIO));
        qaio_future_unref(a);
        qaio_future_unref(b);
    }

    void waitAny()
    {
        SleepProbe a{10}, b{0.01};
        qaio_future *fs[2] = {qaio_spawn(L, sleeper, &a), qaio_spawn(L, sleeper, &b)};
        size_t idx = 99;
        QCOMPARE(qaio_wait_any(fs, 2, 2, &idx), 0);
        QCOMPARE(idx, size_t(1));
        QVERIFY(!qaio_future_done(fs[0])); // nothing cancelled
        QCOMPARE(qaio_wait_any(fs, 1, 0.01, &idx), int(QAIO_ETIMEDOUT));
        qaio_future_cancel(fs[0]);
        qaio_future_result(fs[0], nullptr);
        for (auto f : fs)
            qaio_future_unref(f);
    }

    void taskGroupWaitsForAll()
    {
        qaio_task_group *g = qaio_task_group_new(L);
        SleepProbe a{0.01}, b{0.02};
        qaio_future_unref(qaio_task_group_spawn(g, "a", sleeper, &a));
        qaio_future_unref(qaio_task_group_spawn(g, "b", sleeper, &b));
        QCOMPARE(qaio_task_group_wait(g, 2), 0);
        QVERIFY(a.cleanedUp && b.cleanedUp);
        qaio_task_group_free(g);
    }

    void taskGroupFirstErrorCancelsSiblings()
    {
        qaio_task_group *g = qaio_task_group_new(L);
        SleepProbe a{10}, b{10};
        qaio_future_unref(qaio_task_group_spawn(g, "a", sleeper, &a));
        qaio_future_unref(qaio_task_group_spawn(g, "fails", failer, (void *)5));
        qaio_future_unref(qaio_task_group_spawn(g, "b", sleeper, &b));
        QCOMPARE(qaio_task_group_wait(g, 2), int(QAIO_EIO));
        QVERIFY(a.cleanedUp && b.cleanedUp);
        QCOMPARE(a.result, int(QAIO_ECANCELED));
        errno = 0;
        QVERIFY(!qaio_task_group_spawn(g, "late", sleeper, &a)); // failed group: no new children
        QCOMPARE(errno, -QAIO_ECLOSED);
        qaio_task_group_free(g);
    }

    void taskGroupFreeCancelsAndWaits()
    {
        qaio_task_group *g = qaio_task_group_new(L);
        SleepProbe a{10};
        qaio_future *f = qaio_task_group_spawn(g, "a", sleeper, &a);
        qaio_sleep(0.01);
        qaio_task_group_free(g); // no child outlives its group
        QVERIFY(a.cleanedUp);
        QVERIFY(qaio_future_cancelled(f));
        qaio_future_unref(f);
    }

    // A task that runs a group and is cancelled: its children are cancelled
    // and have finished before the parent's future is done.
    void cancelledParentWaitsForGroupChildren()
    {
        static SleepProbe a, b;
        a = SleepProbe{10};
        b = SleepProbe{10};
        auto parent = [](void *, qaio_future *) {
            qaio_task_group *g = qaio_task_group_new(L);
            qaio_future_unref(qaio_task_group_spawn(g, "a", sleeper, &a));
            qaio_future_unref(qaio_task_group_spawn(g, "b", sleeper, &b));
            int err = qaio_task_group_wait(g, QAIO_FOREVER);
            qaio_task_group_free(g);
            return err;
        };
        qaio_future *p = qaio_spawn(L, parent, nullptr);
        qaio_sleep(0.01);
        qaio_future_cancel(p);
        QCOMPARE(qaio_future_result_timeout(p, 2, nullptr), int(QAIO_ECANCELED));
        QVERIFY(a.cleanedUp && b.cleanedUp);
        qaio_future_unref(p);
    }

    // A cancel that finds a task in qaio_yield with its wakeup already
    // queued nudges that yield; the nudge must not wake the task's next
    // wait instead. Here that wait is the shielded one in which a cancelled
    // group waiter waits for its children: woken early, it returned with
    // the child still running (found by test_random_schedule).
    void staleCancelNudgeDoesNotEndALaterWait()
    {
        static qaio_future *parent, *child;
        static bool childDoneAtReturn;
        childDoneAtReturn = false;
        static auto childFn = [](void *, qaio_future *) {
            qaio_future_cancel(parent); // the parent is in qaio_yield
            return qaio_sleep(10);
        };
        auto parentFn = [](void *, qaio_future *) {
            qaio_task_group *g = qaio_task_group_new(L);
            child = qaio_task_group_spawn(g, "child", childFn, nullptr);
            int y = qaio_yield(); // the child runs first and cancels us
            int err = qaio_task_group_wait(g, QAIO_FOREVER);
            childDoneAtReturn = qaio_future_done(child);
            qaio_task_group_free(g);
            qaio_future_unref(child);
            return int(y == 0 && err == QAIO_ECANCELED ? QAIO_ECANCELED : QAIO_EPROTO);
        };
        parent = qaio_spawn(L, parentFn, nullptr);
        QCOMPARE(qaio_future_result_timeout(parent, 5, nullptr), int(QAIO_ECANCELED));
        QVERIFY(childDoneAtReturn);
        qaio_future_unref(parent);
    }

    void runReturnsValueWithOwnership()
    {
        Counted::freed = 0;
        auto main = [](void *, qaio_future *self) {
            qaio_sleep(0.001);
            return qaio_future_set_result(self, new Counted{12}, Counted::dtor);
        };
        void *v = nullptr;
        QCOMPARE(qaio_run(main, nullptr, &v), 0);
        QCOMPARE(Counted::freed.load(), 0); // ownership passed to us
        QCOMPARE(static_cast<Counted *>(v)->value, 12);
        Counted::dtor(v);
    }

    void manyConcurrentTasks()
    {
        int n = qEnvironmentVariableIntValue("QAIO_TEST_TASKS");
        if (n <= 0)
            n = 100000;
        static int finished;
        finished = 0;
        auto napper = [](void *, qaio_future *) {
            qaio_sleep(0.05);
            finished++;
            return 0;
        };
        std::vector<qaio_future *> fs(size_t(n), nullptr);
        for (auto &f : fs) {
            f = qaio_spawn_named(L, "napper", 16 * 1024, napper, nullptr);
            QVERIFY(f);
        }
        qaio_future *last = fs.back();
        QCOMPARE(qaio_future_result_timeout(last, 120, nullptr), 0);
        QVERIFY(runUntil([n] { return finished == n; }, 60000));
        for (auto f : fs)
            qaio_future_unref(f);
    }

    // A task takes its stack when it first runs: spawning commits no
    // stack page (it used to commit one or two, 8 KiB of RAM per task, for
    // a million tasks 8 GiB before any ran).
    void spawnedTasksCommitNoStackBeforeTheyRun()
    {
        if (kSanitized)
            QSKIP("the sanitizer's allocator and shadow make RSS meaningless");
        auto rssKiB = [] {
            long pages = 0, rss = 0;
            if (FILE *f = fopen("/proc/self/statm", "r")) {
                if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
                    rss = 0;
                fclose(f);
            }
            return rss * (sysconf(_SC_PAGESIZE) / 1024);
        };
        const int n = 20000;
        static int ran;
        ran = 0;
        std::vector<qaio_future *> fs(size_t(n), nullptr);
        long before = rssKiB();
        for (auto &f : fs) {
            f = qaio_spawn(L, [](void *, qaio_future *) { return ran++, 0; }, nullptr);
            QVERIFY(f);
        }
        long grown = rssKiB() - before;
        QCOMPARE(ran, 0);
        qInfo("%d spawned tasks, none run yet: RSS grew %ld KiB (%.0f B per task)", n, grown,
              grown * 1024.0 / n);
        // The task's own bookkeeping is a few hundred bytes; one stack page
        // alone would be 4 KiB.
        QVERIFY2(grown * 1024 / n < 2048, "spawned tasks committed stack memory");
        QCOMPARE(qaio_future_result_timeout(fs.back(), 60, nullptr), 0);
        QCOMPARE(ran, n);
        for (auto f : fs)
            qaio_future_unref(f);
    }

    void closingLoopCancelsAndFinalisesTasks()
    {
        std::thread([] {
            qaio_loop *loop = qaio_loop_get();
            static SleepProbe p;
            p = SleepProbe{10};
            qaio_future *f = qaio_spawn(loop, sleeper, &p);
            qaio_sleep(0.01);
            QCOMPARE(qaio_loop_close(loop), 0);
            QVERIFY(p.cleanedUp);
            QVERIFY(qaio_future_cancelled(f));
            qaio_future_unref(f);
        }).join();
    }

    void badInput()
    {
        QVERIFY(!qaio_spawn(nullptr, returnsArg, nullptr));
        QVERIFY(!qaio_spawn(L, nullptr, nullptr));
        QCOMPARE(qaio_sleep(-1), int(QAIO_EINVAL));
        QCOMPARE(qaio_sleep(NAN), int(QAIO_EINVAL));
        QCOMPARE(qaio_await(nullptr, nullptr), int(QAIO_EINVAL));
        QVERIFY(!qaio_gather(nullptr, 1));
        qaio_future *f = qaio_future_new(L);
        QVERIFY(!qaio_gather(&f, 0));
        QCOMPARE(qaio_wait_any(nullptr, 1, 0, nullptr), int(QAIO_EINVAL));
        QCOMPARE(qaio_wait_for(nullptr, 1, nullptr), int(QAIO_EINVAL));
        QCOMPARE(qaio_run(nullptr, nullptr, nullptr), int(QAIO_EINVAL));
        QVERIFY(!qaio_task_group_new(nullptr));
        QVERIFY(!qaio_task_group_spawn(nullptr, "x", returnsArg, nullptr));
        QCOMPARE(qaio_task_group_wait(nullptr, 1), int(QAIO_EINVAL));
        QCOMPARE(qaio_task_group_cancel(nullptr), int(QAIO_EINVAL));
        qaio_task_group_free(nullptr);
        QVERIFY(!qaio_in_task());
        QVERIFY(qaio_current_task() == nullptr);
        QVERIFY(qaio_task_name(f) == nullptr); // a plain future is no task
        // A task awaiting itself is refused instead of deadlocking.
        auto selfish = [](void *, qaio_future *self) { return qaio_await(self, nullptr); };
        qaio_future *s = qaio_spawn(L, selfish, nullptr);
        QCOMPARE(qaio_future_result(s, nullptr), int(QAIO_EINVAL));
        qaio_future_unref(s);
        qaio_future_unref(f);
    }

    void stackOverflowIsDiagnosedByName()
    {
        QProcess child;
        child.start(QCoreApplication::applicationDirPath() + "/overflow_child", QStringList());
        QVERIFY(child.waitForFinished(30000));
        QByteArray err = child.readAllStandardError();
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        // Under ASan qaio leaves overflows to ASan's own report.
        bool asan = err.contains("AddressSanitizer: stack-overflow");
        QVERIFY2(asan || err.contains("qaio: task 'deep' overflowed its 64 KiB stack"), err.constData());
    }
};

QTEST_GUILESS_MAIN(TestTask)
#include "test_task.moc"
