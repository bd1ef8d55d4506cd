// Locks, events, semaphores, conditions and queues between tasks.
#include "testutil.h"

#include <vector>

namespace {
qaio_loop *L;
std::vector<int> order;

struct LockUser {
    qaio_lock *lock;
    int id;
    double hold;
};
int useLock(void *arg, qaio_future *)
{
    auto *u = static_cast<LockUser *>(arg);
    int err = qaio_lock_acquire(u->lock, 5);
    if (err)
        return err;
    order.push_back(u->id);
    qaio_sleep(u->hold);
    order.push_back(-u->id);
    return qaio_lock_release(u->lock);
}

void finish(std::vector<qaio_future *> fs)
{
    for (auto f : fs) {
        QCOMPARE(qaio_future_result_timeout(f, 10, nullptr), 0);
        qaio_future_unref(f);
    }
}
}

class TestSync : public QObject {
    Q_OBJECT
private slots:
    void init()
    {
        L = qaio_loop_get();
        order.clear();
    }

    void lockIsExclusiveAndFifo()
    {
        LoopChecker checker;
        qaio_lock *lock = qaio_lock_new(L);
        LockUser u[3] = {{lock, 1, 0.01}, {lock, 2, 0.001}, {lock, 3, 0.001}};
        finish({qaio_spawn(L, useLock, &u[0]), qaio_spawn(L, useLock, &u[1]), qaio_spawn(L, useLock, &u[2])});
        QCOMPARE(order, (std::vector<int>{1, -1, 2, -2, 3, -3}));
        QVERIFY(!qaio_lock_locked(lock));
        QCOMPARE(qaio_lock_release(lock), int(QAIO_EINVAL));
        qaio_lock_free(lock);
        QVERIFY(checker.ticks() > 0); // the loop kept running while it waited
    }

    void lockTimeoutLosesNothing()
    {
        LoopChecker checker;
        qaio_lock *lock = qaio_lock_new(L);
        QCOMPARE(qaio_lock_acquire(lock, 0), 0);
        QCOMPARE(qaio_lock_acquire(lock, 0), int(QAIO_ETIMEDOUT));
        QCOMPARE(qaio_lock_acquire(lock, 0.01), int(QAIO_ETIMEDOUT)); // nested loop wait
        // The waiter that gave up does not swallow the next release.
        QCOMPARE(qaio_lock_release(lock), 0);
        QVERIFY(!qaio_lock_locked(lock));
        QCOMPARE(qaio_lock_acquire(lock, 0), 0);
        QCOMPARE(qaio_lock_release(lock), 0);
        qaio_lock_free(lock);
        QVERIFY(checker.ticks() > 0); // the loop kept running while it waited
    }

    void cancelledWaiterDoesNotStealTheLock()
    {
        LoopChecker checker;
        static qaio_lock *lock;
        lock = qaio_lock_new(L);
        qaio_lock_acquire(lock, 0);
        auto waiter = [](void *, qaio_future *) { return qaio_lock_acquire(lock, QAIO_FOREVER); };
        qaio_future *w = qaio_spawn(L, waiter, nullptr);
        qaio_sleep(0.01);
        qaio_future_cancel(w);
        QCOMPARE(qaio_future_result(w, nullptr), int(QAIO_ECANCELED));
        QCOMPARE(qaio_lock_release(lock), 0);
        QVERIFY(!qaio_lock_locked(lock));
        qaio_future_unref(w);
        qaio_lock_free(lock);
        QVERIFY(checker.ticks() > 0); // the loop kept running while it waited
    }

    void eventWakesAllWaiters()
    {
        LoopChecker checker;
        static qaio_event *ev;
        ev = qaio_event_new(L);
        auto waiter = [](void *arg, qaio_future *) {
            int err = qaio_event_wait(ev, 5);
            order.push_back(int(intptr_t(arg)));
            return err;
        };
        std::vector<qaio_future *> fs;
        for (intptr_t i = 0; i < 5; i++)
            fs.push_back(qaio_spawn(L, waiter, (void *)i));
        qaio_sleep(0.01);
        QVERIFY(order.empty());
        qaio_event_set(ev);
        finish(fs);
        QCOMPARE(order, (std::vector<int>{0, 1, 2, 3, 4}));
        QCOMPARE(qaio_event_wait(ev, 0), 0);
        qaio_event_clear(ev);
        QCOMPARE(qaio_event_wait(ev, 0.01), int(QAIO_ETIMEDOUT));
        qaio_event_free(ev);
        QVERIFY(checker.ticks() > 0); // the loop kept running while it waited
    }

    void semaphoreBoundsConcurrency()
    {
        LoopChecker checker;
        static qaio_semaphore *sem;
        static int inside, maxInside;
        sem = qaio_semaphore_new(L, 2, 2);
        inside = maxInside = 0;
        auto worker = [](void *, qaio_future *) {
            int err = qaio_semaphore_acquire(sem, 5);
            if (err)
                return err;
            maxInside = std::max(maxInside, ++inside);
            qaio_sleep(0.005);
            inside--;
            return qaio_semaphore_release(sem);
        };
        std::vector<qaio_future *> fs;
        for (int i = 0; i < 8; i++)
            fs.push_back(qaio_spawn(L, worker, nullptr));
        finish(fs);
        QCOMPARE(maxInside, 2);
        QCOMPARE(qaio_semaphore_value(sem), 2u);
        QCOMPARE(qaio_semaphore_release(sem), int(QAIO_ERANGE)); // bounded
        qaio_semaphore_free(sem);
        QVERIFY(!qaio_semaphore_new(L, 3, 2));
        QVERIFY(checker.ticks() > 0); // the loop kept running while it waited
    }

    void conditionWaitAndNotify()
    {
        LoopChecker checker;
        static qaio_lock *lock;
        static qaio_condition *cond;
        static int ready;
        lock = qaio_lock_new(L);
        cond = qaio_condition_new(lock);
        ready = 0;
        auto consumer = [](void *, qaio_future *) {
            qaio_lock_acquire(lock, 5);
            while (!ready) {
                int err = qaio_condition_wait(cond, 5);
                if (err) {
                    qaio_lock_release(lock);
                    return err;
                }
            }
            order.push_back(qaio_lock_locked(lock) ? ready : -1); // re-acquired?
            return qaio_lock_release(lock);
        };
        std::vector<qaio_future *> fs{qaio_spawn(L, consumer, nullptr), qaio_spawn(L, consumer, nullptr)};
        qaio_sleep(0.01);
        qaio_lock_acquire(lock, 1);
        ready = 7;
        QCOMPARE(qaio_condition_notify_all(cond), 2);
        qaio_lock_release(lock);
        finish(fs);
        QCOMPARE(order, (std::vector<int>{7, 7}));
        // Waiting without the lock is refused; a timeout re-acquires it.
        QCOMPARE(qaio_condition_wait(cond, 0.01), int(QAIO_EINVAL));
        qaio_lock_acquire(lock, 1);
        QCOMPARE(qaio_condition_wait(cond, 0.01), int(QAIO_ETIMEDOUT));
        QVERIFY(qaio_lock_locked(lock));
        qaio_lock_release(lock);
        qaio_condition_free(cond);
        qaio_lock_free(lock);
        QVERIFY(checker.ticks() > 0); // the loop kept running while it waited
    }

    // A cancelled condition waiter still gets the lock back before it returns.
    void cancelledConditionWaiterReacquires()
    {
        LoopChecker checker;
        static qaio_lock *lock;
        static qaio_condition *cond;
        static bool heldAtReturn;
        lock = qaio_lock_new(L);
        cond = qaio_condition_new(lock);
        auto waiter = [](void *, qaio_future *) {
            qaio_lock_acquire(lock, 5);
            int err = qaio_condition_wait(cond, QAIO_FOREVER);
            heldAtReturn = qaio_lock_locked(lock);
            qaio_lock_release(lock);
            return err;
        };
        qaio_future *w = qaio_spawn(L, waiter, nullptr);
        qaio_sleep(0.01);
        qaio_lock_acquire(lock, 1); // hold it so the re-acquire has to wait
        qaio_future_cancel(w);
        qaio_sleep(0.01);
        QVERIFY(!qaio_future_done(w));
        qaio_lock_release(lock);
        QCOMPARE(qaio_future_result_timeout(w, 5, nullptr), int(QAIO_ECANCELED));
        QVERIFY(heldAtReturn);
        qaio_future_unref(w);
        qaio_condition_free(cond);
        qaio_lock_free(lock);
        QVERIFY(checker.ticks() > 0); // the loop kept running while it waited
    }

    // Cancelled while it re-acquires the lock after being notified: the
    // re-acquire is shielded, so condition_wait returns only once it holds
    // the lock again, not while another task still holds it.
    void cancelDuringReacquireStillWaitsForTheLock()
    {
        LoopChecker checker;
        static qaio_lock *lock;
        static qaio_condition *cond;
        static bool mainReleased, releasedBeforeReturn;
        lock = qaio_lock_new(L);
        cond = qaio_condition_new(lock);
        mainReleased = releasedBeforeReturn = false;
        auto waiter = [](void *, qaio_future *) {
            qaio_lock_acquire(lock, 5);
            int err = qaio_condition_wait(cond, QAIO_FOREVER);
            releasedBeforeReturn = mainReleased;
            qaio_lock_release(lock);
            return err;
        };
        qaio_future *w = qaio_spawn(L, waiter, nullptr);
        qaio_sleep(0.01);
        QCOMPARE(qaio_lock_acquire(lock, 1), 0);
        QCOMPARE(qaio_condition_notify(cond, 1), 1);
        qaio_sleep(0.01); // the waiter now waits for the lock
        qaio_future_cancel(w);
        qaio_sleep(0.01);
        QVERIFY(!qaio_future_done(w));
        mainReleased = true;
        QCOMPARE(qaio_lock_release(lock), 0);
        QCOMPARE(qaio_future_result_timeout(w, 5, nullptr), 0); // notified: served wins
        QVERIFY(releasedBeforeReturn);
        QVERIFY(!qaio_lock_locked(lock));
        qaio_future_unref(w);
        qaio_condition_free(cond);
        qaio_lock_free(lock);
        QVERIFY(checker.ticks() > 0);
    }

    // Producer/consumer through a bounded queue, ended by close(): every
    // item arrives once, in order, and the consumer sees QAIO_EPIPE.
    void boundedQueueProducerConsumer()
    {
        static qaio_queue *q;
        static int endErr;
        q = qaio_queue_new(L, 4, nullptr);
        auto producer = [](void *, qaio_future *) {
            for (intptr_t i = 1; i <= 1000; i++) {
                int err = qaio_queue_put(q, (void *)i, 5);
                if (err)
                    return err;
                if (qaio_queue_size(q) > 4)
                    return int(QAIO_ERANGE); // the bound was not kept
            }
            return qaio_queue_close(q);
        };
        auto consumer = [](void *, qaio_future *) {
            void *item;
            int err;
            while ((err = qaio_queue_get(q, &item, 5)) == 0) {
                order.push_back(int(intptr_t(item)));
                if (order.size() % 7 == 0)
                    qaio_yield();
            }
            endErr = err;
            return 0;
        };
        finish({qaio_spawn(L, consumer, nullptr), qaio_spawn(L, producer, nullptr)});
        QCOMPARE(endErr, int(QAIO_EPIPE));
        QCOMPARE(order.size(), size_t(1000));
        for (int i = 0; i < 1000; i++)
            QCOMPARE(order[size_t(i)], i + 1);
        QCOMPARE(qaio_queue_put(q, (void *)1, 0), int(QAIO_EPIPE));
        qaio_queue_free(q);
    }

    void queueTimeoutsAndFreeWithItems()
    {
        LoopChecker checker;
        Counted::freed = 0;
        qaio_queue *q = qaio_queue_new(L, 1, Counted::dtor);
        void *item;
        QCOMPARE(qaio_queue_get(q, &item, 0.01), int(QAIO_ETIMEDOUT));
        QCOMPARE(qaio_queue_put(q, new Counted{1}, 0), 0);
        Counted *extra = new Counted{2};
        QCOMPARE(qaio_queue_put(q, extra, 0.01), int(QAIO_ETIMEDOUT)); // full; still ours
        delete extra;
        qaio_queue_free(q); // frees the queued item
        QCOMPARE(Counted::freed.load(), 1);
        QVERIFY(checker.ticks() > 0); // the loop kept running while it waited
    }

    void freeingFailsPendingWaiters()
    {
        LoopChecker checker;
        static qaio_event *ev;
        ev = qaio_event_new(L);
        auto waiter = [](void *, qaio_future *) { return qaio_event_wait(ev, QAIO_FOREVER); };
        qaio_future *w = qaio_spawn(L, waiter, nullptr);
        qaio_sleep(0.01);
        qaio_event_free(ev);
        QCOMPARE(qaio_future_result_timeout(w, 2, nullptr), int(QAIO_ECLOSED));
        qaio_future_unref(w);
        QVERIFY(checker.ticks() > 0); // the loop kept running while it waited
    }

    void badInput()
    {
        QVERIFY(!qaio_lock_new(nullptr));
        QCOMPARE(qaio_lock_acquire(nullptr, 0), int(QAIO_EINVAL));
        QCOMPARE(qaio_lock_release(nullptr), int(QAIO_EINVAL));
        QCOMPARE(qaio_event_set(nullptr), int(QAIO_EINVAL));
        QCOMPARE(qaio_event_wait(nullptr, 0), int(QAIO_EINVAL));
        QCOMPARE(qaio_semaphore_acquire(nullptr, 0), int(QAIO_EINVAL));
        QVERIFY(!qaio_condition_new(nullptr));
        QCOMPARE(qaio_condition_notify(nullptr, 1), int(QAIO_EINVAL));
        QCOMPARE(qaio_queue_put(nullptr, nullptr, 0), int(QAIO_EINVAL));
        QCOMPARE(qaio_queue_get(nullptr, nullptr, 0), int(QAIO_EINVAL));
        qaio_queue *q = qaio_queue_new(L, 0, nullptr);
        QCOMPARE(qaio_queue_get(q, nullptr, 0), int(QAIO_EINVAL));
        std::thread([q] { QCOMPARE(qaio_queue_put(q, nullptr, 0), int(QAIO_EWRONGTHREAD)); }).join();
        qaio_queue_free(q);
        qaio_lock_free(nullptr);
        qaio_event_free(nullptr);
        qaio_semaphore_free(nullptr);
        qaio_condition_free(nullptr);
        qaio_queue_free(nullptr);
    }
};

QTEST_GUILESS_MAIN(TestSync)
#include "test_sync.moc"
