// The bad-input audit: one row per public function, each calling it with
// what a caller may get wrong -- NULL pointers, a closed loop, the wrong
// thread, negative, NaN and zero sizes and timeouts -- and expecting the
// error the header documents (error.h's negative errno values), never a
// crash. One file per public header (tests/audit/<header>.cpp, the
// instrument library's as instr_<header>.cpp) holds that header's rows;
// main.cpp runs them and checks that every function the headers declare
// has exactly one row, so a new public function without a row fails.
//
// Conventions the headers share: a loop-thread function called elsewhere
// returns QAIO_EWRONGTHREAD (constructors return NULL with errno
// -QAIO_EWRONGTHREAD); on a closed loop QAIO_ECLOSED (errno -QAIO_ECLOSED)
// or 0/NULL; a NaN timeout is QAIO_EINVAL; a negative one means
// no limit. Instruments name the thread they were made on, so one whose
// loop closed answers QAIO_EWRONGTHREAD from any other thread.
#pragma once

#include "../testutil.h"

#include <QTemporaryDir>
#include <climits>
#include <cmath>
#include <csignal>
#include <fcntl.h>
#include <thread>
#include <unistd.h>
#include <vector>

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

inline void noop(void *) {}
inline void noopDone(qaio_future *, void *) {}
inline int noopTask(void *, qaio_future *) { return 0; }
inline int noopHandler(qaio_stream *, void *) { return 0; }
inline void *noopJob(void *) { return nullptr; }
inline int noopJobFn(void *, void **) { return 0; }
inline void countDtor(void *arg) { ++*static_cast<int *>(arg); }

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
extern World W, X;

// A task spawned on X's loop, which closed before it ran.
extern qaio_future *closedTask;
extern QTemporaryDir *tmp;
extern QObject *qobj;
extern int regularFd; // a regular file: cannot be polled

// --- the table -----------------------------------------------------------------

// A function's row: its name and the calls that check it.
struct Row {
    const char *fn;
    void (*check)();
};

// A header's rows, as its file registered them.
struct HeaderRows {
    const char *header; // "loop.h", "instr/scope.h"
    const Row *rows;
    size_t count;
};

inline std::vector<HeaderRows> &auditTable()
{
    static std::vector<HeaderRows> table;
    return table;
}

// At namespace scope in a header's file: adds its rows to the table.
struct RegisterRows {
    template <size_t N>
    RegisterRows(const char *header, const Row (&rows)[N])
    {
        auditTable().push_back({header, rows, N});
    }
};
