// The bad-input audit of qaio/sync.h: one row per function (see audit.h).
// test_sync covers the semantics.
#include "audit.h"

namespace {
const Row rows[] = {
    {"qaio_lock_new", [] {
         EXPECT_NULL(qaio_lock_new(nullptr), EINVAL);
         EXPECT_NULL(qaio_lock_new(X.loop), -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([] { return qaio_lock_new(W.loop); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_lock_free", [] { qaio_lock_free(nullptr); }},
    {"qaio_lock_acquire", [] {
         EXPECT(qaio_lock_acquire(nullptr, 1), QAIO_EINVAL);
         EXPECT(qaio_lock_acquire(W.lock, NAN), QAIO_EINVAL);
         QVERIFY(!qaio_lock_locked(W.lock));
         EXPECT(qaio_lock_acquire(X.lock, 1), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_lock_acquire(W.lock, 1); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_lock_release", [] {
         EXPECT(qaio_lock_release(nullptr), QAIO_EINVAL);
         EXPECT(qaio_lock_release(W.lock), QAIO_EINVAL); // not locked
         EXPECT(qaio_lock_release(X.lock), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_lock_release(W.lock); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_lock_locked", [] {
         QVERIFY(!qaio_lock_locked(nullptr));
         QVERIFY(!qaio_lock_locked(X.lock));
     }},
    {"qaio_event_new", [] {
         EXPECT_NULL(qaio_event_new(nullptr), EINVAL);
         EXPECT_NULL(qaio_event_new(X.loop), -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([] { return qaio_event_new(W.loop); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_event_free", [] { qaio_event_free(nullptr); }},
    {"qaio_event_set", [] {
         EXPECT(qaio_event_set(nullptr), QAIO_EINVAL);
         EXPECT(qaio_event_set(X.event), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_event_set(W.event); }), QAIO_EWRONGTHREAD);
         QVERIFY(!qaio_event_is_set(W.event));
     }},
    {"qaio_event_clear", [] {
         EXPECT(qaio_event_clear(nullptr), QAIO_EINVAL);
         EXPECT(qaio_event_clear(X.event), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_event_clear(W.event); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_event_is_set", [] {
         QVERIFY(!qaio_event_is_set(nullptr));
         QVERIFY(!qaio_event_is_set(X.event));
     }},
    {"qaio_event_wait", [] {
         EXPECT(qaio_event_wait(nullptr, 1), QAIO_EINVAL);
         EXPECT(qaio_event_wait(W.event, NAN), QAIO_EINVAL);
         qaio_event *e = qaio_event_new(W.loop);
         qaio_event_set(e);
         EXPECT(qaio_event_wait(e, NAN), QAIO_EINVAL); // even when it would not wait
         qaio_event_free(e);
         EXPECT(qaio_event_wait(X.event, 1), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_event_wait(W.event, 1); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_semaphore_new", [] {
         EXPECT_NULL(qaio_semaphore_new(nullptr, 0, 0), EINVAL);
         EXPECT_NULL(qaio_semaphore_new(W.loop, 2, 1), EINVAL); // over its bound
         EXPECT_NULL(qaio_semaphore_new(X.loop, 0, 0), -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([] { return qaio_semaphore_new(W.loop, 0, 0); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_semaphore_free", [] { qaio_semaphore_free(nullptr); }},
    {"qaio_semaphore_acquire", [] {
         EXPECT(qaio_semaphore_acquire(nullptr, 1), QAIO_EINVAL);
         EXPECT(qaio_semaphore_acquire(W.sem, NAN), QAIO_EINVAL);
         qaio_semaphore *s = qaio_semaphore_new(W.loop, 1, 0);
         EXPECT(qaio_semaphore_acquire(s, NAN), QAIO_EINVAL); // even when it would not wait
         EXPECT(qaio_semaphore_value(s), 1);
         qaio_semaphore_free(s);
         EXPECT(qaio_semaphore_acquire(X.sem, 1), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_semaphore_acquire(W.sem, 1); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_semaphore_release", [] {
         EXPECT(qaio_semaphore_release(nullptr), QAIO_EINVAL);
         EXPECT(qaio_semaphore_release(X.sem), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_semaphore_release(W.sem); }), QAIO_EWRONGTHREAD);
         qaio_semaphore *s = qaio_semaphore_new(W.loop, 1, 1);
         EXPECT(qaio_semaphore_release(s), QAIO_ERANGE);
         qaio_semaphore_free(s);
     }},
    {"qaio_semaphore_value", [] {
         EXPECT(qaio_semaphore_value(nullptr), 0);
         EXPECT(qaio_semaphore_value(X.sem), 0);
     }},
    {"qaio_condition_new", [] {
         EXPECT_NULL(qaio_condition_new(nullptr), EINVAL);
         EXPECT_NULL(qaio_condition_new(X.lock), -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([] { return qaio_condition_new(W.lock); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_condition_free", [] { qaio_condition_free(nullptr); }},
    {"qaio_condition_wait", [] {
         EXPECT(qaio_condition_wait(nullptr, 1), QAIO_EINVAL);
         EXPECT(qaio_condition_wait(W.cond, 1), QAIO_EINVAL); // lock not held
         EXPECT(qaio_lock_acquire(W.lock, 0), 0);
         EXPECT(qaio_condition_wait(W.cond, NAN), QAIO_EINVAL);
         QVERIFY(qaio_lock_locked(W.lock)); // still ours
         EXPECT(qaio_lock_release(W.lock), 0);
         EXPECT(qaio_condition_wait(X.cond, 1), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_condition_wait(W.cond, 1); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_condition_notify", [] {
         EXPECT(qaio_condition_notify(nullptr, 1), QAIO_EINVAL);
         EXPECT(qaio_condition_notify(W.cond, 0), 0);
         EXPECT(qaio_condition_notify(X.cond, 1), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_condition_notify(W.cond, 1); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_condition_notify_all", [] {
         EXPECT(qaio_condition_notify_all(nullptr), QAIO_EINVAL);
         EXPECT(qaio_condition_notify_all(X.cond), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_condition_notify_all(W.cond); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_queue_new", [] {
         EXPECT_NULL(qaio_queue_new(nullptr, 0, nullptr), EINVAL);
         EXPECT_NULL(qaio_queue_new(X.loop, 0, nullptr), -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([] { return qaio_queue_new(W.loop, 0, nullptr); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_queue_free", [] { qaio_queue_free(nullptr); }},
    {"qaio_queue_put", [] {
         int item = 0;
         EXPECT(qaio_queue_put(nullptr, &item, 1), QAIO_EINVAL);
         EXPECT(qaio_queue_put(W.queue, &item, NAN), QAIO_EINVAL);
         EXPECT(qaio_queue_size(W.queue), 0); // not queued
         EXPECT(qaio_queue_put(X.queue, &item, 1), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_queue_put(W.queue, &item, 1); }), QAIO_EWRONGTHREAD);
         qaio_queue *q = qaio_queue_new(W.loop, 0, nullptr);
         qaio_queue_close(q);
         EXPECT(qaio_queue_put(q, &item, 1), QAIO_EPIPE);
         qaio_queue_free(q);
     }},
    {"qaio_queue_get", [] {
         void *item = &item;
         EXPECT(qaio_queue_get(nullptr, &item, 1), QAIO_EINVAL);
         EXPECT(qaio_queue_get(W.queue, nullptr, 1), QAIO_EINVAL);
         EXPECT(qaio_queue_get(W.queue, &item, NAN), QAIO_EINVAL);
         EXPECT(qaio_queue_get(X.queue, &item, 1), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_queue_get(W.queue, &item, 1); }), QAIO_EWRONGTHREAD);
         QCOMPARE(item, (void *)&item);
     }},
    {"qaio_queue_close", [] {
         EXPECT(qaio_queue_close(nullptr), QAIO_EINVAL);
         EXPECT(qaio_queue_close(X.queue), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_queue_close(W.queue); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_queue_size", [] {
         EXPECT(qaio_queue_size(nullptr), 0);
         EXPECT(qaio_queue_size(X.queue), 0);
     }},
};
const RegisterRows registered("sync.h", rows);
} // namespace
