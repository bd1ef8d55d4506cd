// The bad-input audit (hardening, issue 8): one row per public function of
// include/qaio/*.h and include/qaio/instr/*.h, each calling it with what a
// caller may get wrong -- NULL pointers, a closed loop, the wrong thread,
// negative, NaN and zero sizes and timeouts -- and expecting the error the
// header documents (error.h's negative errno values), never a crash.
//
// What test_bad_input.cpp already checks for error.h, loop.h and future.h
// (NULL loops and futures, bad delays, the wrong thread) is not repeated:
// those rows name it and add the rest (a closed loop above all). The
// coverage check at the end compares the rows with the functions the
// headers declare, so a new public function without a row fails the suite.
//
// Conventions the headers share: a loop-thread function called elsewhere
// returns QAIO_EWRONGTHREAD (constructors return NULL with errno
// -QAIO_EWRONGTHREAD); on a closed loop QAIO_ECLOSED (errno -QAIO_ECLOSED)
// or 0/NULL; a NaN timeout is QAIO_EINVAL; a negative one means
// no limit. Instruments name the thread they were made on, so one whose
// loop closed answers QAIO_EWRONGTHREAD from any other thread.
#include "testutil.h"

#include <QDir>
#include <QSet>
#include <QTemporaryDir>
#include <QTimer>
#include <climits>
#include <cmath>
#include <csignal>
#include <fcntl.h>
#include <thread>
#include <unistd.h>

#include <qaio/instr.h>

namespace {

// --- helpers -----------------------------------------------------------------

// The call must return exactly `want` (an error code or a value).
#define EXPECT(call, want) QCOMPARE(qlonglong(call), qlonglong(want))

// The call must return NULL and set errno to `e`.
#define EXPECT_NULL(call, e)                                                                       \
    do {                                                                                           \
        errno = 0;                                                                                 \
        const void *got_ = (call);                                                                 \
        QVERIFY2(!got_, #call " did not fail");                                                    \
        QCOMPARE(errno, int(e));                                                                   \
    } while (0)

// Runs f on a plain thread of its own (no loop of ours) and returns its
// result: the wrong thread for every loop-thread function.
template <typename F>
auto elsewhere(F f) -> decltype(f())
{
    decltype(f()) r{};
    std::thread([&] { r = f(); }).join();
    return r;
}

// errno of a call that must return NULL on another thread; -1 if it did not.
template <typename F>
int elsewhereErrno(F f)
{
    int e = -1;
    std::thread([&] {
        errno = 0;
        if (!f())
            e = errno;
    }).join();
    return e;
}

// Settings refused field by field: check(b) runs on copies b of good
// settings, each spoilt by one of the spoilers.
template <typename S, typename Check, typename... Spoil>
void eachSpoilt(const S &good, Check check, Spoil... spoil)
{
    auto one = [&](auto f) {
        S b = good;
        f(b);
        check(b);
    };
    (one(spoil), ...);
}

void noop(void *) {}
void noopDone(qaio_future *, void *) {}
int noopTask(void *, qaio_future *) { return 0; }
int noopHandler(qaio_stream *, void *) { return 0; }
void *noopJob(void *) { return nullptr; }
int noopJobFn(void *, void **) { return 0; }
void countDtor(void *arg) { ++*static_cast<int *>(arg); }

// Objects to call functions on: W lives on the test thread's loop, X was
// made on a loop that is closed since.
struct World {
    qaio_loop *loop = nullptr;
    qaio_future *fut = nullptr; // pending for good
    qaio_lock *lock = nullptr;
    qaio_event *event = nullptr;
    qaio_semaphore *sem = nullptr;
    qaio_condition *cond = nullptr;
    qaio_queue *queue = nullptr;
    qaio_task_group *group = nullptr;
    qaio_stream *rd = nullptr, *wr = nullptr; // a pipe's two ends
    qaio_server *server = nullptr;
    qaio_process *proc = nullptr;
};
World W, X;

// Test-thread only: instruments, the SCPI pair, and plain objects of the
// instrument library.
struct Instr {
    qaio_instrument *scope = nullptr, *na = nullptr, *analyzer = nullptr, *scpi = nullptr;
    qaio_continuous *cont = nullptr;
    qaio_scpi_server *server = nullptr;
    qaio_averager *mean = nullptr, *spectrum = nullptr;
    qaio_trace *trace = nullptr;
    qaio_signal *signal = nullptr;
} I;

QTemporaryDir *tmp;
QObject *qobj;
int regularFd = -1; // a regular file: cannot be polled

int makeWorld(World &w, const char *const *argv)
{
    w.loop = qaio_loop_get();
    w.fut = qaio_future_new(w.loop);
    w.lock = qaio_lock_new(w.loop);
    w.event = qaio_event_new(w.loop);
    w.sem = qaio_semaphore_new(w.loop, 0, 1);
    w.cond = qaio_condition_new(w.lock);
    w.queue = qaio_queue_new(w.loop, 1, nullptr);
    w.group = qaio_task_group_new(w.loop);
    int err = qaio_open_pipe(w.loop, &w.rd, &w.wr);
    if (!err)
        err = qaio_start_server(w.loop, nullptr, 0, noopHandler, nullptr, &w.server);
    qaio_process_options o{};
    o.argv = argv;
    o.stdio[0].mode = o.stdio[1].mode = QAIO_STDIO_DEVNULL;
    if (!err)
        err = qaio_process_spawn(w.loop, &o, &w.proc);
    if (!err && !(w.fut && w.lock && w.event && w.sem && w.cond && w.queue && w.group))
        err = QAIO_ENOMEM;
    return err;
}

// A task spawned on a loop that closes before it runs.
qaio_future *closedTask;

// qaio_add_reader and qaio_add_writer share their contract, and so do the
// two removals. fd: one the loop may watch.
void checkAddWatcher(int (*add)(qaio_loop *, int, qaio_cb, void *), int fd)
{
    EXPECT(add(nullptr, fd, noop, nullptr), QAIO_EINVAL);
    EXPECT(add(W.loop, fd, nullptr, nullptr), QAIO_EINVAL);
    EXPECT(add(W.loop, -1, noop, nullptr), QAIO_EINVAL);
    EXPECT(add(W.loop, INT_MIN, noop, nullptr), QAIO_EINVAL);
    EXPECT(add(W.loop, INT_MAX, noop, nullptr), QAIO_EBADF); // never open (it hung once)
    EXPECT(add(W.loop, regularFd, noop, nullptr), QAIO_ENOTSUP);
    EXPECT(add(X.loop, fd, noop, nullptr), QAIO_ECLOSED);
    EXPECT(elsewhere([&] { return add(W.loop, fd, noop, nullptr); }), QAIO_EWRONGTHREAD);
}

void checkRemoveWatcher(int (*remove)(qaio_loop *, int))
{
    EXPECT(remove(nullptr, 0), QAIO_EINVAL);
    EXPECT(remove(W.loop, -1), QAIO_EINVAL);
    EXPECT(remove(W.loop, INT_MAX), 0); // none
    EXPECT(remove(W.loop, regularFd), 0);
    EXPECT(remove(X.loop, 0), QAIO_ECLOSED);
    EXPECT(elsewhere([&] { return remove(W.loop, 0); }), QAIO_EWRONGTHREAD);
}

// --- the table -----------------------------------------------------------------

struct Row {
    const char *fn;
    void (*check)();
};

const Row rows[] = {
    // --- error.h (test_bad_input: errors) ---
    {"qaio_strerror", [] {
         QVERIFY(qaio_strerror(INT_MIN) != nullptr);
         QVERIFY(qaio_strerror(INT_MAX) != nullptr);
     }},
    {"qaio_err_name", [] { QCOMPARE(QString(qaio_err_name(INT_MIN)), QString("UNKNOWN")); }},

    // --- version.h (generated): no argument to get wrong; the run-time
    // version is the one the headers were generated with ---
    {"qaio_version", [] { QCOMPARE(qaio_version(), (unsigned)QAIO_VERSION); }},
    {"qaio_version_string", [] { QCOMPARE(QString(qaio_version_string()), QString(QAIO_VERSION_STRING)); }},

    // --- loop.h (test_bad_input: nullLoop, badArguments, wrongThread) ---
    {"qaio_loop_get", [] {
         // After close the thread's next get makes a fresh, working loop.
         bool fresh = elsewhere([] {
             qaio_loop *a = qaio_loop_get();
             qaio_loop_close(a);
             qaio_loop *b = qaio_loop_get();
             bool ok = b && b != a && qaio_call_soon(b, noop, nullptr) != 0;
             qaio_loop_close(b);
             return ok;
         });
         QVERIFY(fresh);
     }},
    {"qaio_loop_run_forever", [] { EXPECT(qaio_loop_run_forever(X.loop), QAIO_ECLOSED); }},
    {"qaio_loop_stop", [] {
         qaio_loop_stop(X.loop);
         // Ignored elsewhere: it must not make the next run return early.
         std::thread([] { qaio_loop_stop(W.loop); }).join();
         static bool stopRan;
         stopRan = false;
         qaio_call_later(W.loop, 0.005, [](void *) { stopRan = true; qaio_loop_stop(W.loop); }, nullptr);
         EXPECT(qaio_loop_run_forever(W.loop), 0);
         QVERIFY(stopRan);
     }},
    {"qaio_loop_run_until_complete", [] {
         EXPECT(qaio_loop_run_until_complete(X.loop, X.fut), QAIO_ECLOSED);
         EXPECT(qaio_loop_run_until_complete(W.loop, X.fut), QAIO_EINVAL); // not its future
     }},
    {"qaio_loop_close", [] {
         EXPECT(qaio_loop_close(X.loop), 0); // twice: 0
         static int busy;
         busy = 0;
         qaio_call_soon(W.loop, [](void *) {
             busy = qaio_loop_close(W.loop);
             qaio_loop_stop(W.loop);
         }, nullptr);
         qaio_loop_run_forever(W.loop);
         EXPECT(busy, QAIO_EBUSY);
     }},
    {"qaio_loop_time", [] { QVERIFY(qaio_loop_time(X.loop) > 0); }},
    {"qaio_call_soon", [] { EXPECT(qaio_call_soon(X.loop, noop, nullptr), 0); }},
    {"qaio_call_later", [] {
         EXPECT(qaio_call_later(X.loop, 0, noop, nullptr), 0);
         EXPECT(qaio_call_later(W.loop, -INFINITY, noop, nullptr), 0);
     }},
    {"qaio_call_at", [] {
         EXPECT(qaio_call_at(X.loop, 0, noop, nullptr), 0);
         EXPECT(qaio_call_at(W.loop, 0, nullptr, nullptr), 0);
     }},
    {"qaio_call_soon_threadsafe", [] {
         EXPECT(qaio_call_soon_threadsafe(X.loop, noop, nullptr), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_call_soon_threadsafe(X.loop, noop, nullptr); }), QAIO_ECLOSED);
     }},
    {"qaio_cancel", [] {
         EXPECT(qaio_cancel(X.loop, 1), QAIO_ECLOSED);
         EXPECT(qaio_cancel(W.loop, 0), 0);
         EXPECT(qaio_cancel(W.loop, ~qaio_handle(0)), 0); // never issued
     }},
    {"qaio_loop_set_debug", [] {
         EXPECT(qaio_loop_set_debug(X.loop, true, 1), QAIO_ECLOSED);
         EXPECT(qaio_loop_set_debug(W.loop, true, INFINITY), QAIO_EINVAL);
     }},
    {"qaio_set_log_hook", [] {
         // Any thread; NULL restores the default.
         std::thread([] { qaio_set_log_hook(nullptr, nullptr); }).join();
         qaio_set_log_hook(nullptr, nullptr);
     }},

    // --- future.h (test_bad_input: nullFuture, badFutureArguments, wrongThread) ---
    {"qaio_future_new", [] {
         EXPECT_NULL(qaio_future_new(X.loop), -QAIO_ECLOSED);
         qaio_future *f = elsewhere([] { return qaio_future_new(W.loop); }); // any thread
         QVERIFY(f);
         qaio_future_unref(f);
     }},
    {"qaio_future_ref", [] {
         qaio_future *f = elsewhere([] { return qaio_future_ref(X.fut); });
         QCOMPARE(f, X.fut);
         qaio_future_unref(f);
     }},
    {"qaio_future_unref", [] {
         qaio_future *f = qaio_future_new(W.loop);
         std::thread([f] { qaio_future_unref(f); }).join(); // any thread
         qaio_future_unref(nullptr);
     }},
    {"qaio_future_set_result", [] {
         // A closed loop's future still completes (its callbacks can never
         // run) and owns the value; a refused value is destroyed at once.
         int freed = 0;
         qaio_future *f = nullptr;
         std::thread([&] {
             f = qaio_future_new(qaio_loop_get());
             qaio_loop_close(qaio_loop_get());
         }).join();
         EXPECT(qaio_future_set_result(f, &freed, countDtor), 0);
         EXPECT(qaio_future_set_result(f, &freed, countDtor), QAIO_EALREADY);
         EXPECT(freed, 1);
         qaio_future_unref(f);
         EXPECT(freed, 2);
     }},
    {"qaio_future_set_error", [] {
         qaio_future *f = qaio_future_new(W.loop);
         EXPECT(qaio_future_set_error(f, 0, nullptr), QAIO_EINVAL);
         EXPECT(qaio_future_set_error(f, INT_MAX, nullptr), QAIO_EINVAL);
         EXPECT(qaio_future_set_error(f, QAIO_ECANCELED, "no"), QAIO_EINVAL);
         QVERIFY(!qaio_future_done(f));
         qaio_future_unref(f);
     }},
    {"qaio_future_cancel", [] {
         qaio_future *f = qaio_future_new(W.loop);
         EXPECT(elsewhere([f] { return qaio_future_cancel(f); }), 1); // any thread
         EXPECT(qaio_future_cancel(f), 0);
         qaio_future_unref(f);
     }},
    {"qaio_future_done", [] { QVERIFY(!elsewhere([] { return qaio_future_done(X.fut); })); }},
    {"qaio_future_cancelled", [] { QVERIFY(!qaio_future_cancelled(X.fut)); }},
    {"qaio_future_error", [] { EXPECT(qaio_future_error(X.fut), 0); }},
    {"qaio_future_error_message", [] { QVERIFY(!qaio_future_error_message(X.fut)); }},
    {"qaio_future_loop", [] { QCOMPARE(qaio_future_loop(X.fut), X.loop); }},
    {"qaio_future_add_done_callback", [] {
         EXPECT(qaio_future_add_done_callback(X.fut, noopDone, nullptr), QAIO_ECLOSED);
     }},
    {"qaio_future_remove_done_callback", [] {
         EXPECT(qaio_future_remove_done_callback(X.fut, noopDone, nullptr), QAIO_ECLOSED);
     }},
    {"qaio_future_result", [] {
         // Nothing can complete it any more: ECLOSED, on any thread.
         EXPECT(qaio_future_result(X.fut, nullptr), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_future_result(X.fut, nullptr); }), QAIO_ECLOSED);
     }},
    {"qaio_future_result_timeout", [] {
         EXPECT(qaio_future_result_timeout(X.fut, 1, nullptr), QAIO_ECLOSED);
         EXPECT(qaio_future_result_timeout(W.fut, NAN, nullptr), QAIO_EINVAL);
         EXPECT(elsewhere([] { return qaio_future_result_timeout(W.fut, NAN, nullptr); }), QAIO_EINVAL);
         EXPECT(qaio_future_result_timeout(W.fut, 0, nullptr), QAIO_ETIMEDOUT);
     }},
    {"qaio_future_try_result", [] {
         void *v = &v;
         EXPECT(qaio_future_try_result(X.fut, &v), QAIO_EAGAIN);
         QCOMPARE(v, (void *)&v); // untouched
     }},

    // --- task.h (test_task: badInput) ---
    {"qaio_spawn", [] {
         EXPECT_NULL(qaio_spawn(X.loop, noopTask, nullptr), -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([] { return qaio_spawn(W.loop, noopTask, nullptr); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_spawn_named", [] {
         EXPECT_NULL(qaio_spawn_named(W.loop, "x", SIZE_MAX, noopTask, nullptr), EINVAL);
         EXPECT_NULL(qaio_spawn_named(W.loop, "x", 0, nullptr, nullptr), EINVAL);
         EXPECT_NULL(qaio_spawn_named(X.loop, nullptr, 0, noopTask, nullptr), -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([] { return qaio_spawn_named(W.loop, "x", 0, noopTask, nullptr); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_await", [] {
         EXPECT(qaio_await(X.fut, nullptr), QAIO_ECLOSED);
         EXPECT(qaio_await(closedTask, nullptr), QAIO_ECANCELED); // the close cancelled it
     }},
    {"qaio_sleep", [] {
         EXPECT(qaio_sleep(INFINITY), QAIO_EINVAL);
         EXPECT(qaio_sleep(-INFINITY), QAIO_EINVAL);
         EXPECT(elsewhere([] { return qaio_sleep(NAN); }), QAIO_EINVAL);
     }},
    {"qaio_yield", [] { EXPECT(qaio_yield(), 0); }},
    {"qaio_in_task", [] { QVERIFY(!elsewhere([] { return qaio_in_task(); })); }},
    {"qaio_current_task", [] { QVERIFY(!elsewhere([] { return qaio_current_task(); })); }},
    {"qaio_task_name", [] {
         QVERIFY(!qaio_task_name(nullptr));
         QVERIFY(!qaio_task_name(X.fut));
         QVERIFY(qaio_task_name(closedTask));
     }},
    {"qaio_run", [] {
         auto inner = [](void *, qaio_future *) { return qaio_run(noopTask, nullptr, nullptr); };
         qaio_future *t = qaio_spawn(W.loop, inner, nullptr);
         EXPECT(qaio_future_result(t, nullptr), QAIO_EBUSY); // not from inside a task
         qaio_future_unref(t);
     }},
    {"qaio_gather", [] {
         qaio_future *fs[2] = {W.fut, nullptr};
         EXPECT_NULL(qaio_gather(fs, 2), EINVAL);
         fs[1] = X.fut; // another loop's
         EXPECT_NULL(qaio_gather(fs, 2), EINVAL);
         qaio_future *xs[1] = {X.fut};
         EXPECT_NULL(qaio_gather(xs, 1), -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([] { return qaio_gather(&W.fut, 1); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_wait_for", [] {
         EXPECT(qaio_wait_for(W.fut, NAN, nullptr), QAIO_EINVAL);
         EXPECT(qaio_wait_for(X.fut, 1, nullptr), QAIO_ECLOSED);
         // Any thread, as qaio_future_result: a timeout there cancels too.
         qaio_future *f = qaio_future_new(W.loop);
         EXPECT(elsewhere([f] { return qaio_wait_for(f, 0.001, nullptr); }), QAIO_ETIMEDOUT);
         QVERIFY(qaio_future_cancelled(f));
         qaio_future_unref(f);
     }},
    {"qaio_wait_any", [] {
         size_t idx = 7;
         EXPECT(qaio_wait_any(&W.fut, 0, 1, &idx), QAIO_EINVAL);
         qaio_future *fs[2] = {W.fut, nullptr};
         EXPECT(qaio_wait_any(fs, 2, 1, &idx), QAIO_EINVAL);
         EXPECT(qaio_wait_any(&W.fut, 1, NAN, &idx), QAIO_EINVAL);
         EXPECT(qaio_wait_any(&X.fut, 1, 1, &idx), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_wait_any(&W.fut, 1, 1, nullptr); }), QAIO_EWRONGTHREAD);
         QCOMPARE(idx, size_t(7));
     }},
    {"qaio_task_group_new", [] {
         EXPECT_NULL(qaio_task_group_new(X.loop), -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([] { return qaio_task_group_new(W.loop); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_task_group_spawn", [] {
         EXPECT_NULL(qaio_task_group_spawn(W.group, "x", nullptr, nullptr), EINVAL);
         EXPECT_NULL(qaio_task_group_spawn(X.group, "x", noopTask, nullptr), -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([] { return qaio_task_group_spawn(W.group, "x", noopTask, nullptr); }),
                -QAIO_EWRONGTHREAD);
     }},
    {"qaio_task_group_wait", [] {
         EXPECT(qaio_task_group_wait(W.group, NAN), QAIO_EINVAL);
         EXPECT(qaio_task_group_wait(X.group, 1), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_task_group_wait(W.group, 1); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_task_group_cancel", [] {
         EXPECT(qaio_task_group_cancel(X.group), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_task_group_cancel(W.group); }), QAIO_EWRONGTHREAD);
         // Refused, so the group still takes children.
         qaio_future *f = qaio_task_group_spawn(W.group, "after", noopTask, nullptr);
         QVERIFY(f);
         EXPECT(qaio_task_group_wait(W.group, 5), 0);
         qaio_future_unref(f);
     }},
    {"qaio_task_group_error", [] {
         EXPECT(qaio_task_group_error(nullptr), QAIO_EINVAL);
         EXPECT(elsewhere([] { return qaio_task_group_error(W.group); }), 0); // a read
     }},
    {"qaio_task_group_free", [] {
         // Elsewhere it cannot wait for the children: it does nothing (the
         // group stays usable); NULL is ignored.
         qaio_task_group *g = qaio_task_group_new(W.loop);
         qaio_future *f = qaio_task_group_spawn(g, "sleeper", [](void *, qaio_future *) {
             return qaio_sleep(10);
         }, nullptr);
         {
             LogCapture log;
             std::thread([g] { qaio_task_group_free(g); }).join();
             QCOMPARE(log.lines.size(), 1);
             QVERIFY(log.lines[0].contains("ignored"));
         }
         QVERIFY(!qaio_future_done(f));
         qaio_task_group_free(g);
         QVERIFY(qaio_future_cancelled(f));
         qaio_future_unref(f);
         qaio_task_group_free(nullptr);
     }},

    // --- sync.h (test_sync covers the semantics) ---
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

    // --- executor.h ---
    {"qaio_run_in_executor", [] {
         EXPECT_NULL(qaio_run_in_executor(nullptr, noopJob, nullptr), EINVAL);
         EXPECT_NULL(qaio_run_in_executor(W.loop, nullptr, nullptr), EINVAL);
         EXPECT_NULL(qaio_run_in_executor(X.loop, noopJob, nullptr), -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([] { return qaio_run_in_executor(W.loop, noopJob, nullptr); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_executor_call", [] {
         EXPECT_NULL(qaio_executor_call(nullptr, noopJobFn, nullptr, nullptr), EINVAL);
         EXPECT_NULL(qaio_executor_call(W.loop, nullptr, nullptr, nullptr), EINVAL);
         EXPECT_NULL(qaio_executor_call(X.loop, noopJobFn, nullptr, nullptr), -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([] { return qaio_executor_call(W.loop, noopJobFn, nullptr, nullptr); }),
                -QAIO_EWRONGTHREAD);
     }},
    {"qaio_executor_set_max_threads", [] {
         EXPECT(qaio_executor_set_max_threads(0), QAIO_EINVAL);
         EXPECT(qaio_executor_set_max_threads(INT_MIN), QAIO_EINVAL);
     }},

    // --- http.h (test_http covers the semantics; no request leaves here) ---
    {"qaio_http_request", [] {
         const char *u = "http://127.0.0.1:1/";
         const char *odd[] = {"X-Name-Only", nullptr};
         qaio_http_options o{};
         EXPECT_NULL(qaio_http_request(nullptr, "GET", u, nullptr, 0, nullptr), EINVAL);
         EXPECT_NULL(qaio_http_request(W.loop, nullptr, u, nullptr, 0, nullptr), EINVAL);
         EXPECT_NULL(qaio_http_request(W.loop, "GET", nullptr, nullptr, 0, nullptr), EINVAL);
         EXPECT_NULL(qaio_http_request(W.loop, "GET\r\n", u, nullptr, 0, nullptr), EINVAL);
         EXPECT_NULL(qaio_http_request(W.loop, "POST", u, nullptr, 5, nullptr), EINVAL);
         EXPECT_NULL(qaio_http_request(W.loop, "GET", "file:///etc/passwd", nullptr, 0, nullptr), EINVAL);
         o.timeout_s = NAN;
         EXPECT_NULL(qaio_http_request(W.loop, "GET", u, nullptr, 0, &o), EINVAL);
         o.timeout_s = 0;
         o.headers = odd;
         EXPECT_NULL(qaio_http_request(W.loop, "GET", u, nullptr, 0, &o), EINVAL);
         EXPECT_NULL(qaio_http_request(X.loop, "GET", u, nullptr, 0, nullptr), -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([u] { return qaio_http_request(W.loop, "GET", u, nullptr, 0, nullptr); }),
                -QAIO_EWRONGTHREAD);
     }},
    {"qaio_http_get", [] {
         EXPECT_NULL(qaio_http_get(nullptr, "http://127.0.0.1:1/", nullptr), EINVAL);
         EXPECT_NULL(qaio_http_get(W.loop, "not a url", nullptr), EINVAL);
         EXPECT_NULL(qaio_http_get(X.loop, "http://127.0.0.1:1/", nullptr), -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([] { return qaio_http_get(W.loop, "http://127.0.0.1:1/", nullptr); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_http_post", [] {
         EXPECT_NULL(qaio_http_post(nullptr, "http://127.0.0.1:1/", nullptr, "a", 1, nullptr), EINVAL);
         EXPECT_NULL(qaio_http_post(W.loop, "http://127.0.0.1:1/", "text/plain\r\nX: 1", "a", 1, nullptr),
                     EINVAL);
         EXPECT_NULL(qaio_http_post(W.loop, "http://127.0.0.1:1/", nullptr, nullptr, 1, nullptr), EINVAL);
         EXPECT_NULL(qaio_http_post(X.loop, "http://127.0.0.1:1/", nullptr, "a", 1, nullptr), -QAIO_ECLOSED);
     }},
    {"qaio_http_put", [] {
         EXPECT_NULL(qaio_http_put(nullptr, "http://127.0.0.1:1/", nullptr, "a", 1, nullptr), EINVAL);
         EXPECT_NULL(qaio_http_put(W.loop, "http://127.0.0.1:1/", nullptr, nullptr, 1, nullptr), EINVAL);
         EXPECT_NULL(qaio_http_put(X.loop, "http://127.0.0.1:1/", nullptr, "a", 1, nullptr), -QAIO_ECLOSED);
     }},
    {"qaio_http_delete", [] {
         EXPECT_NULL(qaio_http_delete(nullptr, "http://127.0.0.1:1/", nullptr), EINVAL);
         EXPECT_NULL(qaio_http_delete(W.loop, nullptr, nullptr), EINVAL);
         EXPECT_NULL(qaio_http_delete(X.loop, "http://127.0.0.1:1/", nullptr), -QAIO_ECLOSED);
     }},
    {"qaio_http_tls_available", [] { EXPECT(qaio_http_tls_available(), qaio_http_tls_available()); }},
    {"qaio_http_response_status", [] { EXPECT(qaio_http_response_status(nullptr), QAIO_EINVAL); }},
    {"qaio_http_response_reason", [] { QVERIFY(!qaio_http_response_reason(nullptr)); }},
    {"qaio_http_response_url", [] { QVERIFY(!qaio_http_response_url(nullptr)); }},
    {"qaio_http_response_body", [] {
         size_t len = 7;
         QVERIFY(!qaio_http_response_body(nullptr, &len));
         EXPECT(len, 0);
         QVERIFY(!qaio_http_response_body(nullptr, nullptr));
     }},
    {"qaio_http_response_header", [] { QVERIFY(!qaio_http_response_header(nullptr, "Host")); }},
    {"qaio_http_response_header_count", [] { EXPECT(qaio_http_response_header_count(nullptr), 0); }},
    {"qaio_http_response_header_at", [] {
         const char *name = "unchanged";
         EXPECT(qaio_http_response_header_at(nullptr, 0, &name, nullptr), QAIO_EINVAL);
         QCOMPARE(name, "unchanged");
     }},
    {"qaio_http_response_ref", [] { QVERIFY(!qaio_http_response_ref(nullptr)); }},
    {"qaio_http_response_unref", [] { qaio_http_response_unref(nullptr); }},

    // --- io.h (test_io covers the semantics) ---
    {"qaio_add_reader", [] { checkAddWatcher(qaio_add_reader, qaio_stream_fd(W.rd)); }},
    {"qaio_add_writer", [] { checkAddWatcher(qaio_add_writer, qaio_stream_fd(W.wr)); }},
    {"qaio_remove_reader", [] { checkRemoveWatcher(qaio_remove_reader); }},
    {"qaio_remove_writer", [] { checkRemoveWatcher(qaio_remove_writer); }},
    {"qaio_add_signal_handler", [] {
         EXPECT(qaio_add_signal_handler(nullptr, SIGUSR2, noop, nullptr), QAIO_EINVAL);
         EXPECT(qaio_add_signal_handler(W.loop, SIGUSR2, nullptr, nullptr), QAIO_EINVAL);
         for (int bad : {0, -1, NSIG, INT_MAX, SIGKILL, SIGSTOP})
             EXPECT(qaio_add_signal_handler(W.loop, bad, noop, nullptr), QAIO_EINVAL);
         EXPECT(qaio_add_signal_handler(X.loop, SIGUSR2, noop, nullptr), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_add_signal_handler(W.loop, SIGUSR2, noop, nullptr); }),
                QAIO_EWRONGTHREAD);
     }},
    {"qaio_remove_signal_handler", [] {
         EXPECT(qaio_remove_signal_handler(nullptr, SIGUSR2), QAIO_EINVAL);
         EXPECT(qaio_remove_signal_handler(W.loop, 0), QAIO_EINVAL);
         EXPECT(qaio_remove_signal_handler(W.loop, NSIG), QAIO_EINVAL);
         EXPECT(qaio_remove_signal_handler(W.loop, SIGUSR2), 0); // none
         EXPECT(qaio_remove_signal_handler(X.loop, SIGUSR2), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_remove_signal_handler(W.loop, SIGUSR2); }),
                QAIO_EWRONGTHREAD);
     }},

    // --- introspect.h and wait_site.h (test_introspect covers the semantics) ---
    {"qaio_wait_site", [] {
         // Outside a task it records nothing; any thread; cannot fail.
         qaio_wait_site(QAIO_WAIT_LOCK, nullptr, 0, nullptr);
         qaio_wait_site(QAIO_WAIT_LOCK, __FILE__, __LINE__, nullptr);
         std::thread([] { qaio_wait_site(QAIO_WAIT_SLEEP, __FILE__, __LINE__, __func__); }).join();
     }},
    {"qaio_loop_tasks", [] {
         qaio_task_info *infos;
         size_t n;
         EXPECT(qaio_loop_tasks(nullptr, &infos, &n), QAIO_EINVAL);
         EXPECT(qaio_loop_tasks(W.loop, nullptr, &n), QAIO_EINVAL);
         EXPECT(qaio_loop_tasks(W.loop, &infos, nullptr), QAIO_EINVAL);
         EXPECT(qaio_loop_tasks(X.loop, &infos, &n), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_loop_tasks(W.loop, &infos, &n); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_task_info_free", [] {
         qaio_task_info_free(nullptr, 0);
         qaio_task_info_free(nullptr, 3);
     }},
    {"qaio_task_info_format", [] {
         qaio_task_info info{};
         char buf[64];
         EXPECT(qaio_task_info_format(nullptr, buf, sizeof buf), QAIO_EINVAL);
         EXPECT(qaio_task_info_format(&info, nullptr, sizeof buf), QAIO_EINVAL);
         QVERIFY(qaio_task_info_format(&info, buf, 0) > 0); // the length it needs
     }},
    {"qaio_wait_kind_name", [] {
         QCOMPARE(QByteArray(qaio_wait_kind_name(QAIO_WAIT_LOCK)), QByteArray("lock"));
         QCOMPARE(QByteArray(qaio_wait_kind_name(qaio_wait_kind(-1))), QByteArray("?"));
         QCOMPARE(QByteArray(qaio_wait_kind_name(qaio_wait_kind(1000))), QByteArray("?"));
     }},
    {"qaio_task_state_name", [] {
         QCOMPARE(QByteArray(qaio_task_state_name(QAIO_TASK_WAITING)), QByteArray("waiting"));
         QCOMPARE(QByteArray(qaio_task_state_name(qaio_task_state(-1))), QByteArray("?"));
     }},
    {"qaio_loop_dump_tasks", [] {
         EXPECT(qaio_loop_dump_tasks(nullptr), QAIO_EINVAL);
         EXPECT(qaio_loop_dump_tasks(X.loop), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_loop_dump_tasks(W.loop); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_loop_dump_on_signal", [] {
         EXPECT(qaio_loop_dump_on_signal(nullptr, SIGUSR2), QAIO_EINVAL);
         for (int bad : {0, -1, NSIG, SIGKILL})
             EXPECT(qaio_loop_dump_on_signal(W.loop, bad), QAIO_EINVAL);
         EXPECT(qaio_loop_dump_on_signal(X.loop, SIGUSR2), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_loop_dump_on_signal(W.loop, SIGUSR2); }),
                QAIO_EWRONGTHREAD);
     }},

    // --- stream.h (test_stream covers the semantics) ---
    {"qaio_open_connection", [] {
         qaio_stream *s = nullptr;
         EXPECT(qaio_open_connection(nullptr, "127.0.0.1", 80, 1, &s), QAIO_EINVAL);
         EXPECT(qaio_open_connection(W.loop, nullptr, 80, 1, &s), QAIO_EINVAL);
         EXPECT(qaio_open_connection(W.loop, "127.0.0.1", 80, 1, nullptr), QAIO_EINVAL);
         for (int port : {0, -1, 65536, INT_MIN})
             EXPECT(qaio_open_connection(W.loop, "127.0.0.1", port, 1, &s), QAIO_EINVAL);
         EXPECT(qaio_open_connection(W.loop, "127.0.0.1", 80, NAN, &s), QAIO_EINVAL);
         EXPECT(qaio_open_connection(X.loop, "127.0.0.1", 80, 1, &s), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_open_connection(W.loop, "127.0.0.1", 80, 1, &s); }),
                QAIO_EWRONGTHREAD);
         QVERIFY(!s);
     }},
    {"qaio_open_unix_connection", [] {
         qaio_stream *s = nullptr;
         std::string longPath(200, 'x');
         EXPECT(qaio_open_unix_connection(nullptr, "/tmp/x", 1, &s), QAIO_EINVAL);
         EXPECT(qaio_open_unix_connection(W.loop, nullptr, 1, &s), QAIO_EINVAL);
         EXPECT(qaio_open_unix_connection(W.loop, "", 1, &s), QAIO_EINVAL);
         EXPECT(qaio_open_unix_connection(W.loop, longPath.c_str(), 1, &s), QAIO_EINVAL);
         EXPECT(qaio_open_unix_connection(W.loop, "/tmp/x", 1, nullptr), QAIO_EINVAL);
         EXPECT(qaio_open_unix_connection(W.loop, "/tmp/x", NAN, &s), QAIO_EINVAL);
         EXPECT(qaio_open_unix_connection(X.loop, "/tmp/x", 1, &s), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_open_unix_connection(W.loop, "/tmp/x", 1, &s); }),
                QAIO_EWRONGTHREAD);
         QVERIFY(!s);
     }},
    {"qaio_stream_open_fd", [] {
         qaio_stream *s = nullptr;
         EXPECT(qaio_stream_open_fd(nullptr, 0, &s), QAIO_EINVAL);
         EXPECT(qaio_stream_open_fd(W.loop, -1, &s), QAIO_EINVAL);
         EXPECT(qaio_stream_open_fd(W.loop, INT_MAX, &s), QAIO_EBADF);
         EXPECT(qaio_stream_open_fd(W.loop, regularFd, &s), QAIO_ENOTSUP);
         QVERIFY(fcntl(regularFd, F_GETFD) >= 0); // still open, still ours
         EXPECT(qaio_stream_open_fd(W.loop, regularFd, nullptr), QAIO_EINVAL);
         EXPECT(qaio_stream_open_fd(X.loop, regularFd, &s), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_stream_open_fd(W.loop, regularFd, &s); }),
                QAIO_EWRONGTHREAD);
         QVERIFY(!s);
     }},
    {"qaio_start_server", [] {
         qaio_server *s = nullptr;
         EXPECT(qaio_start_server(nullptr, nullptr, 0, noopHandler, nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_start_server(W.loop, nullptr, 0, nullptr, nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_start_server(W.loop, nullptr, 0, noopHandler, nullptr, nullptr), QAIO_EINVAL);
         for (int port : {-1, 65536, INT_MAX})
             EXPECT(qaio_start_server(W.loop, nullptr, port, noopHandler, nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_start_server(X.loop, nullptr, 0, noopHandler, nullptr, &s), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_start_server(W.loop, nullptr, 0, noopHandler, nullptr, &s); }),
                QAIO_EWRONGTHREAD);
         QVERIFY(!s);
     }},
    {"qaio_start_unix_server", [] {
         qaio_server *s = nullptr;
         std::string longPath(200, 'x');
         QByteArray path = (tmp->path() + "/audit.sock").toUtf8();
         EXPECT(qaio_start_unix_server(nullptr, path, noopHandler, nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_start_unix_server(W.loop, nullptr, noopHandler, nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_start_unix_server(W.loop, "", noopHandler, nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_start_unix_server(W.loop, longPath.c_str(), noopHandler, nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_start_unix_server(W.loop, path, nullptr, nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_start_unix_server(W.loop, path, noopHandler, nullptr, nullptr), QAIO_EINVAL);
         EXPECT(qaio_start_unix_server(X.loop, path, noopHandler, nullptr, &s), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_start_unix_server(W.loop, path, noopHandler, nullptr, &s); }),
                QAIO_EWRONGTHREAD);
         QVERIFY(!s);
     }},
    {"qaio_server_port", [] {
         EXPECT(qaio_server_port(nullptr), QAIO_EINVAL);
         QVERIFY(elsewhere([] { return qaio_server_port(W.server); }) > 0); // any thread
     }},
    {"qaio_server_connections", [] {
         EXPECT(qaio_server_connections(nullptr), QAIO_EINVAL);
         EXPECT(qaio_server_connections(X.server), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_server_connections(W.server); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_server_close", [] {
         EXPECT(qaio_server_close(nullptr), QAIO_EINVAL);
         EXPECT(elsewhere([] { return qaio_server_close(W.server); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_read", [] {
         char buf[8];
         EXPECT(qaio_stream_read(nullptr, buf, 8, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_read(W.rd, nullptr, 8, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_read(W.rd, buf, 0, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_read(W.rd, buf, SIZE_MAX, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_read(W.rd, buf, 8, NAN), QAIO_EINVAL);
         EXPECT(qaio_stream_read(X.rd, buf, 8, 1), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_stream_read(W.rd, buf, 8, 1); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_readexactly", [] {
         char buf[8];
         EXPECT(qaio_stream_readexactly(nullptr, buf, 8, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_readexactly(W.rd, nullptr, 8, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_readexactly(W.rd, buf, 0, 1), 0);
         EXPECT(qaio_stream_readexactly(W.rd, buf, SIZE_MAX, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_readexactly(W.rd, buf, 8, NAN), QAIO_EINVAL);
         EXPECT(qaio_stream_readexactly(X.rd, buf, 8, 1), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_stream_readexactly(W.rd, buf, 8, 1); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_readuntil", [] {
         char buf[8];
         EXPECT(qaio_stream_readuntil(nullptr, "\n", 1, buf, 8, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_readuntil(W.rd, nullptr, 1, buf, 8, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_readuntil(W.rd, "\n", 0, buf, 8, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_readuntil(W.rd, "\n", 1, nullptr, 8, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_readuntil(W.rd, "\n", 1, buf, 0, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_readuntil(W.rd, "\n", 1, buf, 8, NAN), QAIO_EINVAL);
         EXPECT(qaio_stream_readuntil(X.rd, "\n", 1, buf, 8, 1), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_stream_readuntil(W.rd, "\n", 1, buf, 8, 1); }),
                QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_readline", [] {
         char buf[8];
         EXPECT(qaio_stream_readline(nullptr, buf, 8, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_readline(W.rd, nullptr, 8, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_readline(W.rd, buf, 0, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_readline(W.rd, buf, 1, 1), QAIO_EINVAL); // no room past the NUL
         EXPECT(qaio_stream_readline(W.rd, buf, 8, NAN), QAIO_EINVAL);
         EXPECT(qaio_stream_readline(X.rd, buf, 8, 1), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_stream_readline(W.rd, buf, 8, 1); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_buffered", [] {
         EXPECT(qaio_stream_buffered(nullptr), QAIO_EINVAL);
         EXPECT(qaio_stream_buffered(X.rd), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_stream_buffered(W.rd); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_set_limit", [] {
         EXPECT(qaio_stream_set_limit(nullptr, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_set_limit(W.rd, 0), QAIO_EINVAL);
         EXPECT(qaio_stream_set_limit(X.rd, 1), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_stream_set_limit(W.rd, 1); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_write", [] {
         EXPECT(qaio_stream_write(nullptr, "x", 1), QAIO_EINVAL);
         EXPECT(qaio_stream_write(W.wr, nullptr, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_write(W.wr, nullptr, 0), 0); // nothing to send
         EXPECT(qaio_stream_write(X.wr, "x", 1), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_stream_write(W.wr, "x", 1); }), QAIO_EWRONGTHREAD);
         EXPECT(qaio_stream_buffered(W.rd), 0);
     }},
    {"qaio_stream_drain", [] {
         EXPECT(qaio_stream_drain(nullptr, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_drain(W.wr, NAN), QAIO_EINVAL);
         EXPECT(qaio_stream_drain(X.wr, 1), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_stream_drain(W.wr, 1); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_set_write_limits", [] {
         EXPECT(qaio_stream_set_write_limits(nullptr, 2, 1), QAIO_EINVAL);
         EXPECT(qaio_stream_set_write_limits(W.wr, 1, 2), QAIO_EINVAL);
         EXPECT(qaio_stream_set_write_limits(X.wr, 2, 1), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_stream_set_write_limits(W.wr, 2, 1); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_write_buffered", [] {
         EXPECT(qaio_stream_write_buffered(nullptr), QAIO_EINVAL);
         EXPECT(qaio_stream_write_buffered(X.wr), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_stream_write_buffered(W.wr); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_write_eof", [] {
         EXPECT(qaio_stream_write_eof(nullptr), QAIO_EINVAL);
         EXPECT(qaio_stream_write_eof(X.wr), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_stream_write_eof(W.wr); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_close", [] {
         EXPECT(qaio_stream_close(nullptr), 0);
         EXPECT(elsewhere([] { return qaio_stream_close(W.rd); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_wait_closed", [] {
         EXPECT(qaio_stream_wait_closed(nullptr, 1), QAIO_EINVAL);
         EXPECT(elsewhere([] { return qaio_stream_wait_closed(W.rd, 1); }), QAIO_EWRONGTHREAD);
         EXPECT(qaio_stream_wait_closed(W.rd, NAN), QAIO_EINVAL);
         EXPECT(qaio_stream_buffered(W.rd), 0); // left alone: still open
     }},
    {"qaio_stream_peer_address", [] {
         char buf[64];
         EXPECT(qaio_stream_peer_address(nullptr, buf, sizeof buf), QAIO_EINVAL);
         EXPECT(qaio_stream_peer_address(W.rd, nullptr, sizeof buf), QAIO_EINVAL);
         EXPECT(qaio_stream_peer_address(W.rd, buf, 0), QAIO_EINVAL);
         EXPECT(qaio_stream_peer_address(W.rd, buf, 2), QAIO_EMSGSIZE); // "fd N"
         EXPECT(qaio_stream_peer_address(X.rd, buf, sizeof buf), QAIO_ECLOSED);
         EXPECT(elsewhere([&] { return qaio_stream_peer_address(W.rd, buf, sizeof buf); }),
                QAIO_EWRONGTHREAD);
     }},
    {"qaio_stream_fd", [] {
         EXPECT(qaio_stream_fd(nullptr), QAIO_EINVAL);
         EXPECT(qaio_stream_fd(X.rd), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_stream_fd(W.rd); }), QAIO_EWRONGTHREAD);
     }},

    // --- process.h (test_process covers the semantics) ---
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

    // --- qobject.h (test_qt covers the semantics) ---
    {"qaio_qobject_signal_future", [] {
         EXPECT_NULL(qaio_qobject_signal_future(nullptr, qobj, "destroyed()", 1), EINVAL);
         EXPECT_NULL(qaio_qobject_signal_future(W.loop, nullptr, "destroyed()", 1), EINVAL);
         EXPECT_NULL(qaio_qobject_signal_future(W.loop, qobj, nullptr, 1), EINVAL);
         EXPECT_NULL(qaio_qobject_signal_future(W.loop, qobj, "noSuchSignal()", 1), EINVAL);
         EXPECT_NULL(qaio_qobject_signal_future(W.loop, qobj, "", 1), EINVAL);
         EXPECT_NULL(qaio_qobject_signal_future(W.loop, qobj, "destroyed()", NAN), EINVAL);
         EXPECT_NULL(qaio_qobject_signal_future(X.loop, qobj, "destroyed()", 1), -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([] { return qaio_qobject_signal_future(W.loop, qobj, "destroyed()", 1); }),
                -QAIO_EWRONGTHREAD);
     }},
    {"qaio_qobject_signal_future_ex", [] {
         EXPECT_NULL(qaio_qobject_signal_future_ex(nullptr, qobj, "destroyed()", 1, nullptr, nullptr),
                     EINVAL);
         EXPECT_NULL(qaio_qobject_signal_future_ex(W.loop, qobj, "timeout(", 1, nullptr, nullptr), EINVAL);
         EXPECT_NULL(qaio_qobject_signal_future_ex(W.loop, qobj, "destroyed()", NAN, nullptr, nullptr),
                     EINVAL);
         EXPECT_NULL(qaio_qobject_signal_future_ex(X.loop, qobj, "destroyed()", 1, nullptr, nullptr),
                     -QAIO_ECLOSED);
         EXPECT(elsewhereErrno([] {
                    return qaio_qobject_signal_future_ex(W.loop, qobj, "destroyed()", 1, nullptr, nullptr);
                }),
                -QAIO_EWRONGTHREAD);
     }},
    {"qaio_qobject_bind_task", [] {
         EXPECT(qaio_qobject_bind_task(nullptr, qobj), QAIO_EINVAL);
         EXPECT(qaio_qobject_bind_task(W.fut, nullptr), QAIO_EINVAL);
         EXPECT(qaio_qobject_bind_task(X.fut, qobj), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_qobject_bind_task(W.fut, qobj); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_qobject_spawn_detached", [] {
         // Every failure hands arg back through arg_dtor, exactly once.
         int freed = 0;
         EXPECT(qaio_qobject_spawn_detached(nullptr, qobj, "x", noopTask, &freed, countDtor), QAIO_EINVAL);
         EXPECT(qaio_qobject_spawn_detached(W.loop, qobj, "x", nullptr, &freed, countDtor), QAIO_EINVAL);
         EXPECT(qaio_qobject_spawn_detached(X.loop, qobj, "x", noopTask, &freed, countDtor), QAIO_ECLOSED);
         EXPECT(elsewhere([&] {
                    return qaio_qobject_spawn_detached(W.loop, qobj, "x", noopTask, &freed, countDtor);
                }),
                QAIO_EWRONGTHREAD);
         EXPECT(freed, 4);
     }},

    // --- instr/trace.h ---
    {"qaio_trace_new", [] {
         // Zero sizes are traces too (UBSan once caught NULL + 0 here).
         for (size_t nch : {size_t(0), size_t(2)}) {
             qaio_trace *t = qaio_trace_new(0, nch);
             QVERIFY(t);
             qaio_trace *c = qaio_trace_copy(t);
             QVERIFY(c && c->n == 0 && c->nch == nch);
             qaio_trace_free(c);
             qaio_trace_free(t);
         }
         EXPECT_NULL(qaio_trace_new(8, QAIO_TRACE_MAX_CHANNELS + 1), EINVAL);
         EXPECT_NULL(qaio_trace_new(SIZE_MAX, 2), EINVAL);
         EXPECT_NULL(qaio_trace_new(SIZE_MAX / 2, QAIO_TRACE_MAX_CHANNELS), EINVAL);
     }},
    {"qaio_trace_free", [] { qaio_trace_free(nullptr); }},
    {"qaio_trace_dtor", [] { qaio_trace_dtor(nullptr); }},
    {"qaio_trace_reshape", [] {
         EXPECT(qaio_trace_reshape(nullptr, 1, 1), QAIO_EINVAL);
         EXPECT(qaio_trace_reshape(I.trace, 1, QAIO_TRACE_MAX_CHANNELS + 1), QAIO_EINVAL);
         EXPECT(qaio_trace_reshape(I.trace, SIZE_MAX, 1), QAIO_EINVAL);
         EXPECT(I.trace->n, 16); // unchanged
     }},
    {"qaio_trace_set_x", [] { EXPECT(qaio_trace_set_x(nullptr, nullptr), QAIO_EINVAL); }},
    {"qaio_trace_x", [] {
         QCOMPARE(qaio_trace_x(nullptr, 0), 0.0);
         QCOMPARE(qaio_trace_x(I.trace, 16), 0.0);
         QCOMPARE(qaio_trace_x(I.trace, SIZE_MAX), 0.0);
     }},
    {"qaio_trace_copy_into", [] {
         EXPECT(qaio_trace_copy_into(nullptr, I.trace), QAIO_EINVAL);
         EXPECT(qaio_trace_copy_into(I.trace, nullptr), QAIO_EINVAL);
         EXPECT(qaio_trace_copy_into(I.trace, I.trace), 0);
     }},
    {"qaio_trace_copy", [] { EXPECT_NULL(qaio_trace_copy(nullptr), EINVAL); }},
    {"qaio_trace_domain_name", [] {
         EXPECT(qaio_trace_domain_name(QAIO_DOMAIN_COUNT) == nullptr, 1);
         EXPECT(qaio_trace_domain_name(qaio_trace_domain(-1)) == nullptr, 1);
     }},

    // --- instr/csv.h ---
    {"qaio_csv_meta_init", [] { qaio_csv_meta_init(nullptr, "x"); }},
    {"qaio_csv_meta_set", [] {
         qaio_csv_meta m;
         qaio_csv_meta_init(&m, nullptr);
         EXPECT(qaio_csv_meta_set(nullptr, QAIO_CSV_USED, "k", "v"), QAIO_EINVAL);
         EXPECT(qaio_csv_meta_set(&m, QAIO_CSV_USED, nullptr, "v"), QAIO_EINVAL);
         EXPECT(qaio_csv_meta_set(&m, QAIO_CSV_USED, "k", nullptr), QAIO_EINVAL);
         EXPECT(qaio_csv_meta_set(&m, QAIO_CSV_USED, "", "v"), QAIO_EINVAL);
         EXPECT(qaio_csv_meta_set(&m, qaio_csv_group(-1), "k", "v"), QAIO_EINVAL);
     }},
    {"qaio_csv_meta_get", [] {
         EXPECT(qaio_csv_meta_get(nullptr, QAIO_CSV_USED, "k") == nullptr, 1);
         qaio_csv_meta m;
         qaio_csv_meta_init(&m, nullptr);
         EXPECT(qaio_csv_meta_get(&m, QAIO_CSV_USED, nullptr) == nullptr, 1);
         EXPECT(qaio_csv_meta_get(&m, QAIO_CSV_GROUP_COUNT, "k") == nullptr, 1);
     }},
    {"qaio_csv_write", [] {
         EXPECT(qaio_csv_write(nullptr, I.trace, nullptr), QAIO_EINVAL);
         EXPECT(qaio_csv_write(stdout, nullptr, nullptr), QAIO_EINVAL);
     }},
    {"qaio_csv_parse", [] {
         EXPECT(qaio_csv_parse(nullptr, 0, I.trace, nullptr, nullptr), QAIO_EINVAL);
         EXPECT(qaio_csv_parse("", 0, nullptr, nullptr, nullptr), QAIO_EINVAL);
         EXPECT(qaio_csv_parse("", 0, I.trace, nullptr, nullptr), QAIO_EPROTO);
     }},
    {"qaio_csv_read_file", [] {
         EXPECT(qaio_csv_read_file(nullptr, I.trace, nullptr, nullptr), QAIO_EINVAL);
         EXPECT(qaio_csv_read_file("/nonexistent/x.csv", nullptr, nullptr, nullptr), QAIO_EINVAL);
         EXPECT(qaio_csv_read_file("/nonexistent/x.csv", I.trace, nullptr, nullptr), QAIO_ENOENT);
     }},

    // --- instr/signal.h ---
    {"qaio_signal_parse", [] {
         qaio_signal *s = I.signal;
         char msg[64] = "x";
         EXPECT(qaio_signal_parse(nullptr, &s, msg, sizeof msg), QAIO_EINVAL);
         QVERIFY(!s && msg[0] != 0);
         EXPECT(qaio_signal_parse("dc level=1", nullptr, msg, sizeof msg), QAIO_EINVAL);
         EXPECT(qaio_signal_parse("", &s, nullptr, 0), QAIO_EINVAL);
         EXPECT(qaio_signal_parse("sine freq=-1", &s, msg, 0), QAIO_EINVAL); // msgcap 0: not written
         EXPECT(qaio_signal_parse("sine freq=nan", &s, msg, 1), QAIO_EINVAL);
         QCOMPARE(msg[0], '\0'); // NUL-terminated in 1 byte
         EXPECT(qaio_signal_parse("noise rms=-1", &s, nullptr, 0), QAIO_EINVAL);
     }},
    {"qaio_signal_free", [] { qaio_signal_free(nullptr); }},
    {"qaio_signal_copy", [] { EXPECT_NULL(qaio_signal_copy(nullptr), EINVAL); }},
    {"qaio_signal_generate", [] {
         float out[4];
         EXPECT(qaio_signal_generate(nullptr, 0, 0, 1e3, out, 4), QAIO_EINVAL);
         EXPECT(qaio_signal_generate(I.signal, 0, 0, 1e3, nullptr, 4), QAIO_EINVAL);
         EXPECT(qaio_signal_generate(I.signal, 0, 0, 1e3, nullptr, 0), 0);
         for (double fs : {0.0, -1.0, double(NAN), double(INFINITY)})
             EXPECT(qaio_signal_generate(I.signal, 0, 0, fs, out, 4), QAIO_EINVAL);
         EXPECT(qaio_signal_generate(I.signal, 0, UINT64_MAX - 1, 1e3, out, 4), QAIO_EINVAL);
     }},
    {"qaio_signal_format", [] {
         char buf[8];
         EXPECT(qaio_signal_format(nullptr, buf, sizeof buf), QAIO_EINVAL);
         EXPECT(qaio_signal_format(I.signal, nullptr, 8), QAIO_EINVAL);
         QVERIFY(qaio_signal_format(I.signal, nullptr, 0) > 0); // the length it needs
         QVERIFY(qaio_signal_format(I.signal, buf, sizeof buf) > 0);
         QCOMPARE(strnlen(buf, sizeof buf), sizeof buf - 1); // truncated, terminated
     }},
    {"qaio_signal_seed", [] { EXPECT(qaio_signal_seed(nullptr), 0); }},
    {"qaio_signal_noise_rms", [] { QCOMPARE(qaio_signal_noise_rms(nullptr), 0.0); }},
    {"qaio_signal_set_seed", [] { EXPECT(qaio_signal_set_seed(nullptr, 1), QAIO_EINVAL); }},
    {"qaio_gauss", [] {
         // No input is bad: every (seed, stream, index) gives a finite value.
         QVERIFY(std::isfinite(qaio_gauss(UINT64_MAX, UINT64_MAX, UINT64_MAX)));
         QVERIFY(std::isfinite(qaio_gauss(0, 0, 0)));
     }},

    // --- instr/measure.h ---
    {"qaio_measurements_clear", [] { qaio_measurements_clear(nullptr); }},
    {"qaio_measure", [] {
         float y[4] = {0, 1, 0, -1};
         qaio_measurements m;
         EXPECT(qaio_measure(nullptr, 4, 1, &m), QAIO_EINVAL);
         EXPECT(qaio_measure(y, 4, 1, nullptr), QAIO_EINVAL);
         EXPECT(qaio_measure(y, 0, 1, &m), QAIO_EINVAL);
         EXPECT(qaio_measure(y, 4, 0, &m), QAIO_EINVAL);
         EXPECT(qaio_measure(y, 4, NAN, &m), QAIO_EINVAL);
         y[2] = NAN;
         EXPECT(qaio_measure(y, 4, 1, &m), QAIO_EINVAL);
         QVERIFY(std::isnan(m.mean));
     }},
    {"qaio_measure_trace", [] {
         qaio_measurements m;
         EXPECT(qaio_measure_trace(nullptr, 0, &m), QAIO_EINVAL);
         EXPECT(qaio_measure_trace(I.trace, QAIO_TRACE_MAX_CHANNELS, &m), QAIO_EINVAL);
         EXPECT(qaio_measure_trace(I.trace, 0, nullptr), QAIO_EINVAL);
     }},

    // --- instr/window.h ---
    {"qaio_window_fill", [] {
         float w[4];
         EXPECT(qaio_window_fill(QAIO_WINDOW_COUNT, 4, w), QAIO_EINVAL);
         EXPECT(qaio_window_fill(qaio_window(-1), 4, w), QAIO_EINVAL);
         EXPECT(qaio_window_fill(QAIO_WINDOW_HANN, 4, nullptr), QAIO_EINVAL);
         EXPECT(qaio_window_fill(QAIO_WINDOW_HANN, 0, w), QAIO_EINVAL);
     }},
    {"qaio_window_coefficients", [] {
         const double *a;
         size_t n;
         EXPECT(qaio_window_coefficients(QAIO_WINDOW_COUNT, &a, &n), QAIO_EINVAL);
         EXPECT(qaio_window_coefficients(QAIO_WINDOW_HANN, nullptr, &n), QAIO_EINVAL);
         EXPECT(qaio_window_coefficients(QAIO_WINDOW_HANN, &a, nullptr), QAIO_EINVAL);
     }},
    {"qaio_window_name", [] {
         QVERIFY(!qaio_window_name(QAIO_WINDOW_COUNT));
         QVERIFY(!qaio_window_name(qaio_window(-1)));
     }},
    {"qaio_window_parse", [] {
         qaio_window w = QAIO_WINDOW_RECT;
         EXPECT(qaio_window_parse(nullptr, &w), QAIO_EINVAL);
         EXPECT(qaio_window_parse("hann", nullptr), QAIO_EINVAL);
         EXPECT(qaio_window_parse("", &w), QAIO_EINVAL);
         EXPECT(qaio_window_parse("hannx", &w), QAIO_EINVAL);
         EXPECT(w, QAIO_WINDOW_RECT);
     }},

    // --- instr/fft.h ---
    {"qaio_fft_new", [] {
         qaio_fft *f = nullptr;
         EXPECT(qaio_fft_new(8, nullptr), QAIO_EINVAL);
         for (size_t n : {size_t(0), size_t(1), size_t(3), SIZE_MAX, SIZE_MAX - 1})
             EXPECT(qaio_fft_new(n, &f), QAIO_EINVAL);
         QVERIFY(!f);
     }},
    {"qaio_fft_execute", [] { qaio_fft_execute(nullptr); }},
    {"qaio_fft_free", [] { qaio_fft_free(nullptr); }},
    {"qaio_fft_input", [] { QVERIFY(!qaio_fft_input(nullptr)); }},
    {"qaio_fft_output", [] { QVERIFY(!qaio_fft_output(nullptr)); }},
    {"qaio_fft_size", [] { EXPECT(qaio_fft_size(nullptr), 0); }},
    {"qaio_fft_backend", [] { QVERIFY(qaio_fft_backend() != nullptr); }},

    // --- instr/averager.h ---
    {"qaio_averager_add", [] {
         EXPECT(qaio_averager_add(nullptr, I.trace, 1), QAIO_EINVAL);
         EXPECT(qaio_averager_add(I.mean, nullptr, 1), QAIO_EINVAL);
         for (double w : {0.0, -1.0, 1.5, double(NAN), double(INFINITY)})
             EXPECT(qaio_averager_add(I.mean, I.trace, w), QAIO_EINVAL);
         qaio_trace *empty = qaio_trace_new(0, 1);
         EXPECT(qaio_averager_add(I.mean, empty, 1), QAIO_EINVAL);
         qaio_trace_reshape(empty, 4, 0);
         EXPECT(qaio_averager_add(I.mean, empty, 1), QAIO_EINVAL);
         qaio_trace_free(empty);
         // The spectrum averager's own refusals: odd, short, non-uniform.
         qaio_trace *odd = qaio_trace_new(5, 1);
         odd->dx = 1e-3;
         EXPECT(qaio_averager_add(I.spectrum, odd, 1), QAIO_EINVAL);
         qaio_trace_reshape(odd, 2, 1);
         EXPECT(qaio_averager_add(I.spectrum, odd, 1), QAIO_EINVAL);
         qaio_trace_reshape(odd, 8, 1);
         odd->dx = 0;
         EXPECT(qaio_averager_add(I.spectrum, odd, 1), QAIO_EINVAL);
         odd->dx = NAN;
         EXPECT(qaio_averager_add(I.spectrum, odd, 1), QAIO_EINVAL);
         qaio_trace_free(odd);
     }},
    {"qaio_averager_read", [] {
         EXPECT(qaio_averager_read(nullptr, I.trace), QAIO_EINVAL);
         EXPECT(qaio_averager_read(I.mean, nullptr), QAIO_EINVAL);
         EXPECT(qaio_averager_read(I.mean, I.trace), QAIO_EAGAIN);
     }},
    {"qaio_averager_reset", [] { EXPECT(qaio_averager_reset(nullptr), QAIO_EINVAL); }},
    {"qaio_averager_free", [] { qaio_averager_free(nullptr); }},
    {"qaio_mean_averager_new", [] {
         EXPECT_NULL(qaio_mean_averager_new(qaio_mean_output(2)), EINVAL);
         EXPECT_NULL(qaio_mean_averager_new(qaio_mean_output(-1)), EINVAL);
     }},

    // --- instr/spectrum.h ---
    {"qaio_spectrum_settings_default", [] { qaio_spectrum_settings_default(nullptr); }},
    {"qaio_spectrum_settings_check", [] {
         qaio_spectrum_settings s;
         qaio_spectrum_settings_default(&s);
         EXPECT(qaio_spectrum_settings_check(nullptr), QAIO_EINVAL);
         EXPECT(qaio_spectrum_settings_check(&s), 0);
         eachSpoilt(s, [&](qaio_spectrum_settings &b) { EXPECT(qaio_spectrum_settings_check(&b), QAIO_EINVAL); },
                    [](auto &b) { b.load_ohm = 0; }, [](auto &b) { b.load_ohm = NAN; },
                    [](auto &b) { b.load_ohm = INFINITY; }, [](auto &b) { b.window = QAIO_WINDOW_COUNT; },
                    [](auto &b) { b.mode = qaio_avg_mode(-1); }, [](auto &b) { b.unit = QAIO_UNIT_COUNT; });
     }},
    {"qaio_spectrum_averager_new", [] {
         qaio_spectrum_settings s;
         qaio_spectrum_settings_default(&s);
         EXPECT_NULL(qaio_spectrum_averager_new(nullptr), EINVAL);
         eachSpoilt(s, [&](qaio_spectrum_settings &b) {
             EXPECT_NULL(qaio_spectrum_averager_new(&b), EINVAL);
         },
                    [](auto &b) { b.load_ohm = 0; },
                    [](auto &b) { b.load_ohm = -50; },
                    [](auto &b) { b.load_ohm = NAN; },
                    [](auto &b) { b.load_ohm = INFINITY; },
                    [](auto &b) { b.window = QAIO_WINDOW_COUNT; },
                    [](auto &b) { b.mode = qaio_avg_mode(-1); },
                    [](auto &b) { b.unit = QAIO_UNIT_COUNT; });
     }},
    {"qaio_spectrum_set_unit", [] {
         EXPECT(qaio_spectrum_set_unit(nullptr, QAIO_UNIT_DBV), QAIO_EINVAL);
         EXPECT(qaio_spectrum_set_unit(I.mean, QAIO_UNIT_DBV), QAIO_EINVAL); // not a spectrum one
         EXPECT(qaio_spectrum_set_unit(I.spectrum, QAIO_UNIT_COUNT), QAIO_EINVAL);
         EXPECT(qaio_spectrum_set_unit(I.spectrum, qaio_unit(-1)), QAIO_EINVAL);
     }},
    {"qaio_spectrum_info", [] {
         double s1 = 0;
         EXPECT(qaio_spectrum_info(nullptr, &s1, nullptr, nullptr, nullptr), QAIO_EINVAL);
         EXPECT(qaio_spectrum_info(I.mean, &s1, nullptr, nullptr, nullptr), QAIO_EINVAL);
         EXPECT(qaio_spectrum_info(I.spectrum, &s1, nullptr, nullptr, nullptr), QAIO_EAGAIN);
     }},
    {"qaio_spectrum_convert", [] {
         // Pure arithmetic: degenerate input gives a number, never a trap.
         qaio_spectrum_convert(1, 0, 0, 0, 0, 0, QAIO_UNIT_COUNT, 0);
         qaio_spectrum_convert(NAN, SIZE_MAX, 1, -1, NAN, NAN, QAIO_UNIT_DBM, -1);
     }},
    {"qaio_unit_name", [] {
         QVERIFY(!qaio_unit_name(QAIO_UNIT_COUNT));
         QVERIFY(!qaio_unit_name(qaio_unit(-1)));
     }},
    {"qaio_unit_parse", [] {
         qaio_unit u = QAIO_UNIT_VRMS;
         EXPECT(qaio_unit_parse(nullptr, &u), QAIO_EINVAL);
         EXPECT(qaio_unit_parse("dBV", nullptr), QAIO_EINVAL);
         EXPECT(qaio_unit_parse("", &u), QAIO_EINVAL);
         EXPECT(u, QAIO_UNIT_VRMS);
     }},
    {"qaio_avg_mode_name", [] {
         QVERIFY(!qaio_avg_mode_name(QAIO_AVG_MODE_COUNT));
         QVERIFY(!qaio_avg_mode_name(qaio_avg_mode(-1)));
     }},
    {"qaio_avg_mode_parse", [] {
         qaio_avg_mode m = QAIO_AVG_LOG;
         EXPECT(qaio_avg_mode_parse(nullptr, &m), QAIO_EINVAL);
         EXPECT(qaio_avg_mode_parse("power", nullptr), QAIO_EINVAL);
         EXPECT(qaio_avg_mode_parse("mean", &m), QAIO_EINVAL);
         EXPECT(m, QAIO_AVG_LOG);
     }},

    // --- instr/instrument.h ---
    {"qaio_instrument_init", [] {
         static const qaio_instrument_ops ops = {
             "audit", [](qaio_instrument *, qaio_trace *, double) { return 0; },
             [](qaio_instrument *) { return qaio_mean_averager_new(QAIO_MEAN_LINEAR); },
             [](qaio_instrument *) {}};
         static const qaio_instrument_ops partial = {"audit", nullptr, nullptr, nullptr};
         qaio_instrument inst{};
         EXPECT(qaio_instrument_init(nullptr, &ops, W.loop), QAIO_EINVAL);
         EXPECT(qaio_instrument_init(&inst, nullptr, W.loop), QAIO_EINVAL);
         EXPECT(qaio_instrument_init(&inst, &partial, W.loop), QAIO_EINVAL);
         EXPECT(qaio_instrument_init(&inst, &ops, nullptr), QAIO_EINVAL);
         EXPECT(qaio_instrument_init(&inst, &ops, X.loop), QAIO_EWRONGTHREAD);
         EXPECT(elsewhere([&] { return qaio_instrument_init(&inst, &ops, W.loop); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_instrument_acquire", [] {
         EXPECT(qaio_instrument_acquire(nullptr, I.trace, 1), QAIO_EINVAL);
         EXPECT(qaio_instrument_acquire(I.scope, nullptr, 1), QAIO_EINVAL);
         EXPECT(qaio_instrument_acquire(I.scope, I.trace, NAN), QAIO_EINVAL);
         EXPECT(elsewhere([] { return qaio_instrument_acquire(I.scope, I.trace, 1); }),
                QAIO_EWRONGTHREAD);
     }},
    {"qaio_instrument_averager_new", [] { EXPECT_NULL(qaio_instrument_averager_new(nullptr), EINVAL); }},
    {"qaio_instrument_kind", [] { QVERIFY(!qaio_instrument_kind(nullptr)); }},
    {"qaio_instrument_free", [] {
         EXPECT(qaio_instrument_free(nullptr), 0);
         EXPECT(elsewhere([] { return qaio_instrument_free(I.scope); }), QAIO_EWRONGTHREAD);
     }},

    // --- instr/acquisition.h ---
    {"qaio_run_options_default", [] { qaio_run_options_default(nullptr); }},
    {"qaio_instrument_run_single", [] {
         EXPECT_NULL(qaio_instrument_run_single(nullptr, 1), EINVAL);
         EXPECT_NULL(qaio_instrument_run_single(I.scope, 0), EINVAL);
         EXPECT(elsewhereErrno([] { return qaio_instrument_run_single(I.scope, 1); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_instrument_run_single_opts", [] {
         qaio_run_options o;
         qaio_run_options_default(&o);
         EXPECT_NULL(qaio_instrument_run_single_opts(I.scope, nullptr), EINVAL);
         eachSpoilt(o, [&](qaio_run_options &b) {
             EXPECT_NULL(qaio_instrument_run_single_opts(I.scope, &b), EINVAL);
         },
                    [](auto &b) { b.averages = 0; },
                    [](auto &b) { b.type = qaio_avg_type(7); },
                    [](auto &b) { b.record_timeout_s = NAN; });
         EXPECT(elsewhereErrno([&] { return qaio_instrument_run_single_opts(I.scope, &o); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_continuous_new", [] {
         qaio_run_options o;
         qaio_run_options_default(&o);
         EXPECT_NULL(qaio_continuous_new(nullptr, &o), EINVAL);
         EXPECT_NULL(qaio_continuous_new(I.scope, nullptr), EINVAL);
         o.averages = 0;
         EXPECT_NULL(qaio_continuous_new(I.scope, &o), EINVAL);
         o.averages = 1;
         EXPECT(elsewhereErrno([&] { return qaio_continuous_new(I.scope, &o); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_continuous_start", [] {
         EXPECT(qaio_continuous_start(nullptr), QAIO_EINVAL);
         EXPECT(elsewhere([] { return qaio_continuous_start(I.cont); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_continuous_pause", [] {
         EXPECT(qaio_continuous_pause(nullptr), QAIO_EINVAL);
         EXPECT(qaio_continuous_pause(I.cont), QAIO_EINVAL); // not running
         EXPECT(elsewhere([] { return qaio_continuous_pause(I.cont); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_continuous_resume", [] {
         EXPECT(qaio_continuous_resume(nullptr), QAIO_EINVAL);
         EXPECT(qaio_continuous_resume(I.cont), QAIO_EINVAL); // not paused
         EXPECT(elsewhere([] { return qaio_continuous_resume(I.cont); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_continuous_restart", [] {
         EXPECT(qaio_continuous_restart(nullptr), QAIO_EINVAL);
         EXPECT(qaio_continuous_restart(I.cont), QAIO_EINVAL); // idle
         EXPECT(elsewhere([] { return qaio_continuous_restart(I.cont); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_continuous_set_options", [] {
         qaio_run_options o;
         qaio_run_options_default(&o);
         EXPECT(qaio_continuous_set_options(nullptr, &o), QAIO_EINVAL);
         EXPECT(qaio_continuous_set_options(I.cont, nullptr), QAIO_EINVAL);
         o.averages = 0;
         EXPECT(qaio_continuous_set_options(I.cont, &o), QAIO_EINVAL);
         o.averages = 1;
         EXPECT(elsewhere([&] { return qaio_continuous_set_options(I.cont, &o); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_continuous_stop", [] {
         EXPECT(qaio_continuous_stop(nullptr), QAIO_EINVAL);
         EXPECT(qaio_continuous_stop(I.cont), 0); // idle
         EXPECT(elsewhere([] { return qaio_continuous_stop(I.cont); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_continuous_request_stop", [] {
         EXPECT(qaio_continuous_request_stop(nullptr), QAIO_EINVAL);
         EXPECT(qaio_continuous_request_stop(I.cont), 0); // idle
         EXPECT(elsewhere([] { return qaio_continuous_request_stop(I.cont); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_continuous_state", [] { EXPECT(qaio_continuous_state(nullptr), QAIO_RUN_IDLE); }},
    {"qaio_continuous_count", [] { EXPECT(qaio_continuous_count(nullptr), 0); }},
    {"qaio_continuous_error", [] {
         EXPECT(qaio_continuous_error(nullptr), QAIO_EINVAL);
         EXPECT(qaio_continuous_error(I.cont), 0);
     }},
    {"qaio_continuous_read", [] {
         EXPECT(qaio_continuous_read(nullptr, I.trace), QAIO_EINVAL);
         EXPECT(qaio_continuous_read(I.cont, nullptr), QAIO_EINVAL);
         EXPECT(qaio_continuous_read(I.cont, I.trace), QAIO_EAGAIN);
         EXPECT(elsewhere([] { return qaio_continuous_read(I.cont, I.trace); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_continuous_free", [] {
         qaio_continuous_free(nullptr);
         // Elsewhere it cannot stop the run: it does nothing.
         std::thread([] { qaio_continuous_free(I.cont); }).join();
         EXPECT(qaio_continuous_state(I.cont), QAIO_RUN_IDLE);
         EXPECT(qaio_continuous_error(I.cont), 0);
     }},

    // --- instr/analyzer.h ---
    {"qaio_spectrum_analyzer_new", [] {
         qaio_spectrum_settings s;
         qaio_spectrum_settings_default(&s);
         EXPECT_NULL(qaio_spectrum_analyzer_new(nullptr, &s), EINVAL);
         s.load_ohm = NAN;
         EXPECT_NULL(qaio_spectrum_analyzer_new(I.scope, &s), EINVAL);
         EXPECT(elsewhereErrno([] { return qaio_spectrum_analyzer_new(I.scope, nullptr); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_spectrum_analyzer_set_settings", [] {
         qaio_spectrum_settings s;
         qaio_spectrum_settings_default(&s);
         EXPECT(qaio_spectrum_analyzer_set_settings(nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_spectrum_analyzer_set_settings(I.scope, &s), QAIO_EINVAL); // not an analyzer
         EXPECT(qaio_spectrum_analyzer_set_settings(I.analyzer, nullptr), QAIO_EINVAL);
         qaio_spectrum_settings b = s;
         b.unit = qaio_unit(99);
         EXPECT(qaio_spectrum_analyzer_set_settings(I.analyzer, &b), QAIO_EINVAL);
         EXPECT(elsewhere([&] { return qaio_spectrum_analyzer_set_settings(I.analyzer, &s); }),
                QAIO_EWRONGTHREAD);
     }},
    {"qaio_spectrum_analyzer_get_settings", [] {
         qaio_spectrum_settings s;
         EXPECT(qaio_spectrum_analyzer_get_settings(nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_spectrum_analyzer_get_settings(I.na, &s), QAIO_EINVAL);
         EXPECT(qaio_spectrum_analyzer_get_settings(I.analyzer, nullptr), QAIO_EINVAL);
         EXPECT(elsewhere([&] { return qaio_spectrum_analyzer_get_settings(I.analyzer, &s); }),
                QAIO_EWRONGTHREAD);
     }},
    {"qaio_spectrum_analyzer_keep_source_average", [] {
         EXPECT(qaio_spectrum_analyzer_keep_source_average(nullptr, true), QAIO_EINVAL);
         EXPECT(qaio_spectrum_analyzer_keep_source_average(I.scope, true), QAIO_EINVAL);
         EXPECT(elsewhere([] { return qaio_spectrum_analyzer_keep_source_average(I.analyzer, true); }),
                QAIO_EWRONGTHREAD);
     }},
    {"qaio_spectrum_analyzer_read_source_average", [] {
         EXPECT(qaio_spectrum_analyzer_read_source_average(nullptr, I.trace), QAIO_EINVAL);
         EXPECT(qaio_spectrum_analyzer_read_source_average(I.analyzer, nullptr), QAIO_EINVAL);
         EXPECT(qaio_spectrum_analyzer_read_source_average(I.analyzer, I.trace), QAIO_EAGAIN);
         EXPECT(elsewhere([] { return qaio_spectrum_analyzer_read_source_average(I.analyzer, I.trace); }),
                QAIO_EWRONGTHREAD);
     }},
    {"qaio_spectrum_analyzer_source", [] {
         QVERIFY(!qaio_spectrum_analyzer_source(nullptr));
         QVERIFY(!qaio_spectrum_analyzer_source(I.scope));
     }},

    // --- instr/na.h ---
    {"qaio_na_settings_default", [] { qaio_na_settings_default(nullptr); }},
    {"qaio_na_new", [] {
         qaio_na_settings s;
         qaio_na_settings_default(&s);
         EXPECT_NULL(qaio_na_new(nullptr, &s), EINVAL);
         eachSpoilt(s, [&](qaio_na_settings &b) {
             EXPECT_NULL(qaio_na_new(W.loop, &b), EINVAL);
         },
                    [](auto &b) { b.stop_hz = b.start_hz; },
                    [](auto &b) { b.points = 1; },
                    [](auto &b) { b.q = NAN; },
                    [](auto &b) { b.noise_rms = -1; },
                    [](auto &b) { b.if_bandwidth = 0; });
         EXPECT_NULL(qaio_na_new(X.loop, &s), -QAIO_EWRONGTHREAD); // its thread is gone
         EXPECT(elsewhereErrno([&] { return qaio_na_new(W.loop, &s); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_na_set_settings", [] {
         qaio_na_settings s;
         qaio_na_settings_default(&s);
         EXPECT(qaio_na_set_settings(nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_na_set_settings(I.scope, &s), QAIO_EINVAL);
         EXPECT(qaio_na_set_settings(I.na, nullptr), QAIO_EINVAL);
         qaio_na_settings b = s;
         b.if_bandwidth = 0;
         EXPECT(qaio_na_set_settings(I.na, &b), QAIO_EINVAL);
         EXPECT(elsewhere([&] { return qaio_na_set_settings(I.na, &s); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_na_get_settings", [] {
         qaio_na_settings s;
         EXPECT(qaio_na_get_settings(nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_na_get_settings(I.na, nullptr), QAIO_EINVAL);
         EXPECT(elsewhere([&] { return qaio_na_get_settings(I.na, &s); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_na_model", [] {
         qaio_na_settings s;
         qaio_na_settings_default(&s);
         double re = 1, im = 1;
         qaio_na_model(nullptr, 1e3, &re, &im);
         qaio_na_model(&s, 1e3, nullptr, &im);
         qaio_na_model(&s, 1e3, &re, nullptr);
         QCOMPARE(re, 1.0);
         QCOMPARE(im, 1.0);
     }},
    {"qaio_na_fit_resonance", [] {
         double f0 = 0, q = 0;
         EXPECT(qaio_na_fit_resonance(nullptr, &f0, &q), QAIO_EINVAL);
         EXPECT(qaio_na_fit_resonance(I.trace, nullptr, &q), QAIO_EINVAL);
         EXPECT(qaio_na_fit_resonance(I.trace, &f0, nullptr), QAIO_EINVAL);
         qaio_trace *one = qaio_trace_new(16, 1);
         EXPECT(qaio_na_fit_resonance(one, &f0, &q), QAIO_EINVAL); // no phase channel
         qaio_trace_free(one);
         EXPECT(qaio_na_fit_resonance(I.trace, &f0, &q), QAIO_ENOENT); // all zero: no crossing
     }},

    // --- instr/scope.h ---
    {"qaio_scope_settings_default", [] { qaio_scope_settings_default(nullptr); }},
    {"qaio_scope_new", [] {
         qaio_scope_settings s;
         qaio_scope_settings_default(&s);
         EXPECT_NULL(qaio_scope_new(nullptr, &s), EINVAL);
         eachSpoilt(s, [&](qaio_scope_settings &b) {
             EXPECT_NULL(qaio_scope_new(W.loop, &b), EINVAL);
         },
                    [](auto &b) { b.points = 1; },
                    [](auto &b) { b.rate = NAN; },
                    [](auto &b) { b.channels = 0; },
                    [](auto &b) { b.trigger = QAIO_TRIG_MODE_COUNT; },
                    [](auto &b) { b.trigger_source = 3; },
                    [](auto &b) { b.latency_s = -1; },
                    [](auto &b) { b.auto_timeout_s = NAN; },
                    [](auto &b) { b.pretrigger = 1.5; },
                    [](auto &b) { b.pretrigger = NAN; });
         EXPECT_NULL(qaio_scope_new(X.loop, &s), -QAIO_EWRONGTHREAD); // its thread is gone
         EXPECT(elsewhereErrno([&] { return qaio_scope_new(W.loop, &s); }), -QAIO_EWRONGTHREAD);
     }},
    {"qaio_scope_set_settings", [] {
         qaio_scope_settings s;
         qaio_scope_settings_default(&s);
         EXPECT(qaio_scope_set_settings(nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_scope_set_settings(I.na, &s), QAIO_EINVAL);
         EXPECT(qaio_scope_set_settings(I.scope, nullptr), QAIO_EINVAL);
         s.auto_timeout_s = NAN;
         EXPECT(qaio_scope_set_settings(I.scope, &s), QAIO_EINVAL);
         qaio_scope_settings_default(&s);
         EXPECT(elsewhere([&] { return qaio_scope_set_settings(I.scope, &s); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_scope_get_settings", [] {
         qaio_scope_settings s;
         EXPECT(qaio_scope_get_settings(nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_scope_get_settings(I.scope, nullptr), QAIO_EINVAL);
         EXPECT(elsewhere([&] { return qaio_scope_get_settings(I.scope, &s); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_scope_set_signal", [] {
         char msg[64] = "";
         EXPECT(qaio_scope_set_signal(nullptr, 1, "dc level=1", msg, sizeof msg), QAIO_EINVAL);
         EXPECT(qaio_scope_set_signal(I.scope, 0, "dc level=1", msg, sizeof msg), QAIO_EINVAL);
         EXPECT(qaio_scope_set_signal(I.scope, 3, "dc level=1", msg, sizeof msg), QAIO_EINVAL);
         EXPECT(qaio_scope_set_signal(I.scope, 1, nullptr, msg, sizeof msg), QAIO_EINVAL);
         EXPECT(qaio_scope_set_signal(I.scope, 1, "sine", msg, sizeof msg), QAIO_EINVAL); // no freq
         QVERIFY(msg[0]);
         EXPECT(elsewhere([] { return qaio_scope_set_signal(I.scope, 1, "dc level=1", nullptr, 0); }),
                QAIO_EWRONGTHREAD);
     }},
    {"qaio_scope_signal", [] {
         QVERIFY(!qaio_scope_signal(nullptr, 1));
         QVERIFY(!qaio_scope_signal(I.scope, 0));
         QVERIFY(!qaio_scope_signal(I.scope, 3));
     }},
    {"qaio_scope_arm", [] {
         EXPECT(qaio_scope_arm(nullptr), QAIO_EINVAL);
         EXPECT(qaio_scope_arm(I.na), QAIO_EINVAL);
         EXPECT(elsewhere([] { return qaio_scope_arm(I.scope); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_scope_armed", [] { QVERIFY(!qaio_scope_armed(nullptr)); }},
    {"qaio_scope_force", [] {
         EXPECT(qaio_scope_force(nullptr), QAIO_EINVAL);
         EXPECT(elsewhere([] { return qaio_scope_force(I.scope); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_scope_position", [] { EXPECT(qaio_scope_position(nullptr), 0); }},
    {"qaio_scope_last_start", [] { EXPECT(qaio_scope_last_start(I.na), 0); }},
    {"qaio_trigger_mode_name", [] {
         QVERIFY(!qaio_trigger_mode_name(QAIO_TRIG_MODE_COUNT));
         QVERIFY(!qaio_trigger_mode_name(qaio_trigger_mode(-1)));
     }},
    {"qaio_trigger_mode_parse", [] {
         qaio_trigger_mode m = QAIO_TRIG_SINGLE;
         EXPECT(qaio_trigger_mode_parse(nullptr, &m), QAIO_EINVAL);
         EXPECT(qaio_trigger_mode_parse("auto", nullptr), QAIO_EINVAL);
         EXPECT(qaio_trigger_mode_parse("automatic", &m), QAIO_EINVAL);
         EXPECT(m, QAIO_TRIG_SINGLE);
     }},
    {"qaio_trigger_slope_name", [] { QVERIFY(!qaio_trigger_slope_name(QAIO_SLOPE_COUNT)); }},
    {"qaio_trigger_slope_parse", [] {
         qaio_trigger_slope s = QAIO_SLOPE_EITHER;
         EXPECT(qaio_trigger_slope_parse(nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_trigger_slope_parse("rising", nullptr), QAIO_EINVAL);
         EXPECT(qaio_trigger_slope_parse("up", &s), QAIO_EINVAL);
         EXPECT(s, QAIO_SLOPE_EITHER);
     }},

    // --- instr/scpi.h (test_scpi covers the semantics) ---
    {"qaio_scpi_scope_open", [] {
         qaio_instrument *s = I.scope;
         int port = qaio_scpi_server_port(I.server);
         EXPECT(qaio_scpi_scope_open(nullptr, "127.0.0.1", port, 1, &s), QAIO_EINVAL);
         QVERIFY(!s); // cleared on every error
         EXPECT(qaio_scpi_scope_open(W.loop, nullptr, port, 1, &s), QAIO_EINVAL);
         EXPECT(qaio_scpi_scope_open(W.loop, "127.0.0.1", port, 1, nullptr), QAIO_EINVAL);
         for (double t : {0.0, -1.0, double(NAN)})
             EXPECT(qaio_scpi_scope_open(W.loop, "127.0.0.1", port, t, &s), QAIO_EINVAL);
         EXPECT(qaio_scpi_scope_open(W.loop, "127.0.0.1", 65536, 1, &s), QAIO_EINVAL);
         std::string longHost(300, 'h');
         EXPECT(qaio_scpi_scope_open(W.loop, longHost.c_str(), port, 1, &s), QAIO_EINVAL);
         EXPECT(qaio_scpi_scope_open(X.loop, "127.0.0.1", port, 1, &s), QAIO_EWRONGTHREAD);
         EXPECT(elsewhere([&] { return qaio_scpi_scope_open(W.loop, "127.0.0.1", port, 1, &s); }),
                QAIO_EWRONGTHREAD);
         QVERIFY(!s);
     }},
    {"qaio_scpi_scope_reconnect", [] {
         EXPECT(qaio_scpi_scope_reconnect(nullptr), QAIO_EINVAL);
         EXPECT(qaio_scpi_scope_reconnect(I.scope), QAIO_EINVAL); // not a SCPI scope
         EXPECT(elsewhere([] { return qaio_scpi_scope_reconnect(I.scpi); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_scpi_scope_connected", [] {
         QVERIFY(!qaio_scpi_scope_connected(nullptr));
         QVERIFY(!qaio_scpi_scope_connected(I.scope));
     }},
    {"qaio_scpi_scope_query", [] {
         char resp[4];
         EXPECT(qaio_scpi_scope_query(nullptr, "*IDN?", resp, sizeof resp), QAIO_EINVAL);
         EXPECT(qaio_scpi_scope_query(I.scope, "*IDN?", resp, sizeof resp), QAIO_EINVAL);
         EXPECT(qaio_scpi_scope_query(I.scpi, nullptr, resp, sizeof resp), QAIO_EINVAL);
         EXPECT(qaio_scpi_scope_query(I.scpi, "*IDN?\n*RST", resp, sizeof resp), QAIO_EINVAL);
         EXPECT(qaio_scpi_scope_query(I.scpi, "*IDN?", nullptr, 0), QAIO_EINVAL); // where to?
         EXPECT(qaio_scpi_scope_query(I.scpi, "*IDN?", resp, sizeof resp), QAIO_EMSGSIZE);
         EXPECT(elsewhere([&] { return qaio_scpi_scope_query(I.scpi, "*IDN?", resp, sizeof resp); }),
                QAIO_EWRONGTHREAD);
     }},
    {"qaio_scpi_scope_set_settings", [] {
         qaio_scope_settings s;
         qaio_scope_settings_default(&s);
         EXPECT(qaio_scpi_scope_set_settings(nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_scpi_scope_set_settings(I.scpi, nullptr), QAIO_EINVAL);
         s.points = 0;
         EXPECT(qaio_scpi_scope_set_settings(I.scpi, &s), QAIO_EINVAL);
         qaio_scope_settings_default(&s);
         EXPECT(elsewhere([&] { return qaio_scpi_scope_set_settings(I.scpi, &s); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_scpi_scope_get_settings", [] {
         qaio_scope_settings s;
         EXPECT(qaio_scpi_scope_get_settings(nullptr, &s), QAIO_EINVAL);
         EXPECT(qaio_scpi_scope_get_settings(I.scpi, nullptr), QAIO_EINVAL);
         EXPECT(elsewhere([&] { return qaio_scpi_scope_get_settings(I.scpi, &s); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_scpi_scope_idn", [] {
         QVERIFY(!qaio_scpi_scope_idn(nullptr));
         QVERIFY(!qaio_scpi_scope_idn(I.scope));
     }},
    {"qaio_scpi_scope_last_error", [] { QCOMPARE(QString(qaio_scpi_scope_last_error(nullptr)), QString()); }},
    {"qaio_scpi_scope_address", [] { QVERIFY(!qaio_scpi_scope_address(I.na)); }},
    {"qaio_scpi_scope_driver", [] {
         QVERIFY(!qaio_scpi_scope_driver(nullptr));
         QVERIFY(!qaio_scpi_scope_driver(I.scope));
     }},
    {"qaio_scpi_scope_options_default", [] { qaio_scpi_scope_options_default(nullptr); }},
    {"qaio_scpi_scope_connect", [] {
         qaio_scpi_scope_options o;
         qaio_scpi_scope_options_default(&o);
         qaio_instrument *out = I.scope;
         char msg[200];
         EXPECT(qaio_scpi_scope_connect(W.loop, &o, &out, msg, sizeof msg), QAIO_EINVAL); // no address
         QVERIFY(!out);
         EXPECT(qaio_scpi_scope_connect(nullptr, &o, &out, msg, sizeof msg), QAIO_EINVAL);
         EXPECT(qaio_scpi_scope_connect(W.loop, nullptr, &out, msg, sizeof msg), QAIO_EINVAL);
         o.address = "127.0.0.1:1";
         EXPECT(qaio_scpi_scope_connect(W.loop, &o, nullptr, msg, sizeof msg), QAIO_EINVAL);
         o.driver = "no-such-scope";
         EXPECT(qaio_scpi_scope_connect(W.loop, &o, &out, msg, sizeof msg), QAIO_ENOENT);
         QVERIFY(strstr(msg, "no-such-scope"));
         o.driver = nullptr;
         o.address = "127.0.0.1:0";
         EXPECT(qaio_scpi_scope_connect(W.loop, &o, &out, msg, sizeof msg), QAIO_EINVAL);
         o.address = "127.0.0.1:1";
         o.timeout_s = NAN;
         EXPECT(qaio_scpi_scope_connect(W.loop, &o, &out, msg, sizeof msg), QAIO_EINVAL);
     }},
    {"qaio_scpi_address_parse", [] {
         qaio_scpi_address a;
         char msg[200];
         EXPECT(qaio_scpi_address_parse(nullptr, &a, msg, sizeof msg), QAIO_EINVAL);
         EXPECT(qaio_scpi_address_parse("h", nullptr, msg, sizeof msg), QAIO_EINVAL);
         EXPECT(qaio_scpi_address_parse("", &a, nullptr, 0), QAIO_EINVAL);
         EXPECT(qaio_scpi_address_parse("h:65536", &a, msg, sizeof msg), QAIO_EINVAL);
         EXPECT(qaio_scpi_address_parse("h:+5", &a, msg, sizeof msg), QAIO_EINVAL);
         EXPECT(qaio_scpi_address_parse("TCPIP0::h::inst0::INSTR", &a, msg, sizeof msg),
                QAIO_EINVAL);
         QVERIFY(strstr(msg, "VXI-11"));
     }},
    {"qaio_scpi_server_personality_name", [] {
         QCOMPARE(QString(qaio_scpi_server_personality_name(0)), QString("qaio"));
         QVERIFY(!qaio_scpi_server_personality_name(1000));
     }},
    {"qaio_scpi_server_personality_port", [] {
         EXPECT(qaio_scpi_server_personality_port(nullptr), QAIO_EINVAL);
         EXPECT(qaio_scpi_server_personality_port("no-such-scope"), QAIO_EINVAL);
     }},
    {"qaio_scpi_server_personality", [] { QVERIFY(!qaio_scpi_server_personality(nullptr)); }},
    {"qaio_scpi_driver_name", [] {
         QVERIFY(qaio_scpi_driver_name(0));
         QVERIFY(!qaio_scpi_driver_name(1000));
     }},
    {"qaio_scpi_driver_title", [] { QVERIFY(!qaio_scpi_driver_title(1000)); }},
    {"qaio_scpi_driver_port", [] { EXPECT(qaio_scpi_driver_port(1000), QAIO_EINVAL); }},

    // --- instr/scpi_parser.h (test_scpi_parser covers the grammar) ---
    {"qaio_scpi_parse", [] {
         static qaio_scpi_program prog;
         EXPECT(qaio_scpi_parse("*IDN?", 5, nullptr), QAIO_EINVAL);
         EXPECT(qaio_scpi_parse(nullptr, 1, &prog), QAIO_EINVAL);
         EXPECT(qaio_scpi_parse(nullptr, 0, &prog), 0); // an empty line
         EXPECT(prog.count, 0);
         std::string huge(QAIO_SCPI_LINE_MAX + 1, 'A');
         EXPECT(qaio_scpi_parse(huge.data(), huge.size(), &prog), QAIO_SCPI_ERR_TOO_MUCH_DATA);
         // A NUL byte ends nothing: it is a syntax error (a SCPI error
         // number, not QAIO_EINVAL) wherever it sits.
         for (size_t at : {size_t(0), size_t(2), size_t(5)}) {
             char line[] = "*IDN?x";
             line[at] = '\0';
             int err = qaio_scpi_parse(line, 6, &prog);
             QVERIFY2(err <= QAIO_SCPI_ERR_COMMAND && err > QAIO_SCPI_ERR_EXECUTION, qPrintable(QString::number(err)));
         }
     }},
    {"qaio_scpi_match", [] {
         static qaio_scpi_program prog;
         qaio_scpi_parse("*IDN?", 5, &prog);
         QVERIFY(!qaio_scpi_match(nullptr, "*IDN"));
         QVERIFY(!qaio_scpi_match(&prog.cmd[0], nullptr));
         QVERIFY(!qaio_scpi_match(&prog.cmd[0], ""));
     }},
    {"qaio_scpi_word_match", [] {
         QVERIFY(!qaio_scpi_word_match(nullptr, "CHANnel1"));
         QVERIFY(!qaio_scpi_word_match("CHAN1", nullptr));
         QVERIFY(!qaio_scpi_word_match("", "CHANnel1"));
     }},
    {"qaio_scpi_arg_number", [] {
         static qaio_scpi_program prog;
         double v = 7;
         qaio_scpi_parse(":ACQ:POIN", 9, &prog);
         EXPECT(qaio_scpi_arg_number(nullptr, 0, 0, 1, 0, &v), QAIO_SCPI_ERR_MISSING_PARAM);
         EXPECT(qaio_scpi_arg_number(&prog.cmd[0], 0, 0, 1, 0, &v), QAIO_SCPI_ERR_MISSING_PARAM);
         EXPECT(qaio_scpi_arg_number(&prog.cmd[0], UINT_MAX, 0, 1, 0, &v), QAIO_SCPI_ERR_MISSING_PARAM);
         qaio_scpi_parse(":ACQ:POIN 5", 11, &prog);
         EXPECT(qaio_scpi_arg_number(&prog.cmd[0], 0, 0, 1, 0, nullptr), QAIO_SCPI_ERR_MISSING_PARAM);
         QCOMPARE(v, 7.0);
     }},
    {"qaio_scpi_error_message", [] {
         QCOMPARE(QString(qaio_scpi_error_message(INT_MIN)), QString("Unknown error"));
         QCOMPARE(QString(qaio_scpi_error_message(1)), QString("Unknown error"));
     }},

    // --- instr/scpi_server.h ---
    {"qaio_scpi_server_options_default", [] { qaio_scpi_server_options_default(nullptr); }},
    {"qaio_scpi_server_start", [] {
         qaio_scpi_server *s = nullptr;
         qaio_scpi_server_options o;
         qaio_scpi_server_options_default(&o);
         o.port = 0;
         char msg[96] = "";
         EXPECT(qaio_scpi_server_start(nullptr, &o, &s, msg, sizeof msg), QAIO_EINVAL);
         EXPECT(qaio_scpi_server_start(W.loop, &o, nullptr, msg, sizeof msg), QAIO_EINVAL);
         eachSpoilt(o, [&](qaio_scpi_server_options &b) {
             msg[0] = 0;
             EXPECT(qaio_scpi_server_start(W.loop, &b, &s, msg, sizeof msg), QAIO_EINVAL);
             QVERIFY(msg[0]); // with a reason
         },
                    [](auto &b) { b.points = QAIO_SCPI_SERVER_MAX_POINTS + 1; },
                    [](auto &b) { b.rate = NAN; },
                    [](auto &b) { b.signal = "bogus"; },
                    [](auto &b) { b.port = 65536; },
                    [](auto &b) { b.acquire_timeout_s = -1; },
                    [](auto &b) { b.acquire_timeout_s = NAN; },
                    [](auto &b) { b.max_sessions = -1; },
                    [](auto &b) { b.idle_timeout_s = NAN; },
                    [](auto &b) { b.send_timeout_s = -1; });
         EXPECT(qaio_scpi_server_start(X.loop, &o, &s, msg, sizeof msg), QAIO_EWRONGTHREAD);
         EXPECT(elsewhere([&] { return qaio_scpi_server_start(W.loop, &o, &s, nullptr, 0); }),
                QAIO_EWRONGTHREAD);
         QVERIFY(!s);
     }},
    {"qaio_scpi_server_port", [] {
         EXPECT(qaio_scpi_server_port(nullptr), QAIO_EINVAL);
         QVERIFY(elsewhere([] { return qaio_scpi_server_port(I.server); }) > 0); // any thread
     }},
    {"qaio_scpi_server_sessions", [] {
         EXPECT(qaio_scpi_server_sessions(nullptr), QAIO_EINVAL);
         EXPECT(elsewhere([] { return qaio_scpi_server_sessions(I.server); }), QAIO_EWRONGTHREAD);
     }},
    {"qaio_scpi_server_scope", [] { QVERIFY(!qaio_scpi_server_scope(nullptr)); }},
    {"qaio_scpi_server_stats_get", [] {
         qaio_scpi_server_stats st;
         EXPECT(qaio_scpi_server_stats_get(nullptr, &st), QAIO_EINVAL);
         EXPECT(qaio_scpi_server_stats_get(I.server, nullptr), QAIO_EINVAL);
         EXPECT(elsewhere([&] { return qaio_scpi_server_stats_get(I.server, &st); }),
                QAIO_EWRONGTHREAD);
     }},
    {"qaio_scpi_server_close", [] {
         EXPECT(qaio_scpi_server_close(nullptr), 0);
         EXPECT(elsewhere([] { return qaio_scpi_server_close(I.server); }), QAIO_EWRONGTHREAD);
     }},
};

// The functions the public headers declare: every identifier qaio_...
// followed by '(' outside comments (function-pointer typedefs read
// `(*qaio_name)(` and do not match). A scanner rather than
// QRegularExpression: valgrind reports reads of its JIT code.
QSet<QString> declaredFunctions()
{
    QSet<QString> names;
    auto word = [](char c) { return isalnum((unsigned char)c) || c == '_'; };
    for (const char *sub : {QAIO_INCLUDE_DIR "/qaio", QAIO_INCLUDE_DIR "/qaio/instr",
                            QAIO_GENERATED_INCLUDE_DIR "/qaio"}) {
        QDir dir(QString::fromUtf8(sub));
        for (const QString &name : dir.entryList(QDir::Files)) { // (name filters are regexes too)
            if (!name.endsWith(".h"))
                continue;
            QFile f(dir.filePath(name));
            if (!f.open(QIODevice::ReadOnly))
                continue;
            QByteArray t = f.readAll();
            for (int i = 0; i + 1 < t.size(); i++) { // blank the comments out
                if (t[i] != '/' || (t[i + 1] != '*' && t[i + 1] != '/'))
                    continue;
                bool block = t[i + 1] == '*';
                int end = block ? t.indexOf("*/", i + 2) : t.indexOf('\n', i);
                end = end < 0 ? t.size() : block ? end + 2 : end;
                for (; i < end; i++)
                    t[i] = ' ';
            }
            for (int i = t.indexOf("qaio_"); i >= 0; i = t.indexOf("qaio_", i + 1)) {
                if (i > 0 && word(t[i - 1]))
                    continue;
                int j = i, k;
                while (j < t.size() && word(t[j]))
                    j++;
                for (k = j; k < t.size() && isspace((unsigned char)t[k]); k++)
                    ;
                if (k < t.size() && t[k] == '(')
                    names << QString::fromLatin1(t.mid(i, j - i));
            }
        }
    }
    return names;
}

} // namespace

class TestApiAudit : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        tmp = new QTemporaryDir;
        QVERIFY(tmp->isValid());
        QFile regular(tmp->path() + "/regular");
        QVERIFY(regular.open(QIODevice::WriteOnly));
        regular.close();
        regularFd = open(qPrintable(regular.fileName()), O_RDWR | O_CLOEXEC);
        QVERIFY(regularFd >= 0);
        qobj = new QTimer;

        static const char *const sleeper[] = {"sleep", "60", nullptr};
        static const char *const quick[] = {"true", nullptr};
        EXPECT(makeWorld(W, sleeper), 0);
        // X: the same objects on a loop of another thread, closed there
        // (its child has exited by then), plus a task that never ran.
        int err = -1;
        std::thread([&] {
            err = makeWorld(X, quick);
            if (!err)
                err = qaio_process_wait(X.proc, 30, nullptr);
            closedTask = qaio_spawn(X.loop, noopTask, nullptr);
            if (!err)
                err = qaio_loop_close(X.loop);
        }).join();
        EXPECT(err, 0);

        I.scope = qaio_scope_new(W.loop, nullptr);
        I.na = qaio_na_new(W.loop, nullptr);
        I.analyzer = qaio_spectrum_analyzer_new(I.scope, nullptr);
        qaio_run_options o;
        qaio_run_options_default(&o);
        I.cont = qaio_continuous_new(I.scope, &o);
        qaio_scpi_server_options so;
        qaio_scpi_server_options_default(&so);
        so.port = 0;
        EXPECT(qaio_scpi_server_start(W.loop, &so, &I.server, nullptr, 0), 0);
        EXPECT(qaio_scpi_scope_open(W.loop, "127.0.0.1", qaio_scpi_server_port(I.server), 10, &I.scpi), 0);
        I.mean = qaio_mean_averager_new(QAIO_MEAN_LINEAR);
        qaio_spectrum_settings ss;
        qaio_spectrum_settings_default(&ss);
        I.spectrum = qaio_spectrum_averager_new(&ss);
        I.trace = qaio_trace_new(16, 2);
        EXPECT(qaio_signal_parse(QAIO_SIGNAL_DEFAULT, &I.signal, nullptr, 0), 0);
        QVERIFY(I.scope && I.na && I.analyzer && I.cont && I.mean && I.spectrum && I.trace);
    }

    void audit_data()
    {
        QTest::addColumn<int>("row");
        for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
            QTest::newRow(rows[i].fn) << int(i);
    }

    void audit()
    {
        QFETCH(int, row);
        rows[row].check();
    }

    // A public function without a row fails here, and so does a row whose
    // function is gone.
    void everyDeclaredFunctionHasARow()
    {
        QSet<QString> declared = declaredFunctions(), covered;
        QVERIFY2(declared.size() > 200, "the headers were not found");
        for (const Row &r : rows) {
            QVERIFY2(!covered.contains(r.fn), r.fn); // one row each
            covered << r.fn;
        }
        QStringList missing = (declared - covered).values(), stale = (covered - declared).values();
        missing.sort();
        stale.sort();
        QVERIFY2(missing.isEmpty(), qPrintable("no row for: " + missing.join(", ")));
        QVERIFY2(stale.isEmpty(), qPrintable("not declared any more: " + stale.join(", ")));
    }

    void cleanupTestCase()
    {
        EXPECT(qaio_instrument_free(I.scpi), 0);
        EXPECT(qaio_scpi_server_close(I.server), 0);
        qaio_continuous_free(I.cont);
        EXPECT(qaio_instrument_free(I.analyzer), 0);
        EXPECT(qaio_instrument_free(I.na), 0);
        EXPECT(qaio_instrument_free(I.scope), 0);
        qaio_averager_free(I.mean);
        qaio_averager_free(I.spectrum);
        qaio_trace_free(I.trace);
        qaio_signal_free(I.signal);

        for (World *w : {&W, &X}) {
            if (w == &W) {
                qaio_process_kill(w->proc);
                qaio_process_wait(w->proc, 30, nullptr);
            }
            EXPECT(qaio_process_free(w->proc), 0);
            EXPECT(qaio_server_close(w->server), 0);
            EXPECT(qaio_stream_close(w->rd), 0);
            EXPECT(qaio_stream_close(w->wr), 0);
            qaio_task_group_free(w->group);
            qaio_queue_free(w->queue);
            qaio_condition_free(w->cond);
            qaio_semaphore_free(w->sem);
            qaio_event_free(w->event);
            qaio_lock_free(w->lock);
            qaio_future_cancel(w->fut);
            qaio_future_unref(w->fut);
        }
        qaio_future_unref(closedTask);
        delete qobj;
        close(regularFd);
        delete tmp;
    }
};

QTEST_GUILESS_MAIN(TestApiAudit)
#include "test_api_audit.moc"
