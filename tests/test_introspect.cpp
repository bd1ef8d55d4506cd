// Introspection: a known program (tasks sleeping, awaiting a future and a
// task, waiting on a lock, a queue, a stream read and a child process) is
// listed with every task's name, state, kind of wait, deadline, time waited
// and the file:line of its waiting call in this file; the dump through the
// log hook says the same; SIGUSR1 dumps only when the loop opted in.
#include "testutil.h"

#include <csignal>
#include <map>
#include <string>
#include <vector>

namespace {
qaio_loop *L;

// The line of each task's waiting call, stored on that same line.
std::map<std::string, int> siteLine;
#define SITE(name) (siteLine[name] = __LINE__)

struct Program {
    qaio_future *never = nullptr;
    qaio_future *sleeper = nullptr;
    qaio_lock *lock = nullptr;
    qaio_queue *queue = nullptr;
    qaio_stream *rd = nullptr, *wr = nullptr;
    qaio_process *child = nullptr;
};
Program P;

int sleeper(void *, qaio_future *) { SITE("sleeper"); return qaio_sleep(30); }
int futureWaiter(void *, qaio_future *) { SITE("future-waiter"); return qaio_await(P.never, nullptr); }
int taskWaiter(void *, qaio_future *) { SITE("task-waiter"); return qaio_await(P.sleeper, nullptr); }
int lockWaiter(void *, qaio_future *) { SITE("lock-waiter"); return qaio_lock_acquire(P.lock, 20); }
int queueGetter(void *, qaio_future *)
{
    void *item;
    SITE("queue-getter"); return qaio_queue_get(P.queue, &item, QAIO_FOREVER);
}
int reader(void *, qaio_future *)
{
    char buf[16];
    SITE("reader"); return (int)qaio_stream_read(P.rd, buf, sizeof buf, QAIO_FOREVER);
}
int childWaiter(void *, qaio_future *)
{
    int rc;
    SITE("child-waiter"); return qaio_process_wait(P.child, QAIO_FOREVER, &rc);
}
// Waits through the function itself, not the macro: no site, the kind
// still right.
int bareSleeper(void *, qaio_future *) { return (qaio_sleep)(30); }

struct Expect {
    const char *name;
    qaio_task_fn fn;
    qaio_wait_kind kind;
    double timeout; // < 0: none
};
const Expect kProgram[] = {
    {"sleeper", sleeper, QAIO_WAIT_SLEEP, 30},
    {"future-waiter", futureWaiter, QAIO_WAIT_FUTURE, -1},
    {"task-waiter", taskWaiter, QAIO_WAIT_TASK, -1},
    {"lock-waiter", lockWaiter, QAIO_WAIT_LOCK, 20},
    {"queue-getter", queueGetter, QAIO_WAIT_QUEUE_GET, -1},
    {"reader", reader, QAIO_WAIT_STREAM_READ, -1},
    {"child-waiter", childWaiter, QAIO_WAIT_PROCESS, -1},
    {"bare", bareSleeper, QAIO_WAIT_SLEEP, 30},
};

std::vector<qaio_future *> tasks;

int countWaiting()
{
    qaio_task_info *infos;
    size_t n;
    if (qaio_loop_tasks(L, &infos, &n) != 0)
        return -1;
    int waiting = 0;
    for (size_t i = 0; i < n; i++)
        waiting += infos[i].state == QAIO_TASK_WAITING;
    qaio_task_info_free(infos, n);
    return waiting;
}

const qaio_task_info *find(const qaio_task_info *infos, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(infos[i].name, name) == 0)
            return &infos[i];
    return nullptr;
}

bool endsWith(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && strcmp(s + a - b, tail) == 0;
}

int listSelf(void *arg, qaio_future *self)
{
    qaio_task_info *infos;
    size_t n;
    int err = qaio_loop_tasks(L, &infos, &n);
    if (err)
        return err;
    const qaio_task_info *me = find(infos, n, qaio_task_name(self));
    *static_cast<int *>(arg) = me ? me->state : -1;
    qaio_task_info_free(infos, n);
    return 0;
}

size_t dumpLinesNaming(const QStringList &lines, const char *what)
{
    size_t k = 0;
    for (const QString &l : lines)
        k += l.contains(QString::fromUtf8(what));
    return k;
}
} // namespace

class TestIntrospect : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        L = qaio_loop_get();
        P.never = qaio_future_new(L);
        P.lock = qaio_lock_new(L);
        QCOMPARE(qaio_lock_acquire(P.lock, 0), 0); // held: the waiter waits
        P.queue = qaio_queue_new(L, 4, nullptr);
        QCOMPARE(qaio_open_pipe(L, &P.rd, &P.wr), 0);
        const char *argv[] = {"sleep", "30", nullptr};
        qaio_process_options o = {};
        o.argv = argv;
        QCOMPARE(qaio_process_spawn(L, &o, &P.child), 0);
        for (const Expect &e : kProgram) {
            qaio_future *t = qaio_spawn_named(L, e.name, 0, e.fn, nullptr);
            QVERIFY(t);
            if (strcmp(e.name, "sleeper") == 0)
                P.sleeper = t;
            tasks.push_back(t);
        }
        // Before the loop ran them, all are ready and wait on nothing.
        qaio_task_info *infos;
        size_t n;
        QCOMPARE(qaio_loop_tasks(L, &infos, &n), 0);
        QCOMPARE(n, std::size(kProgram));
        for (size_t i = 0; i < n; i++) {
            QCOMPARE(int(infos[i].state), int(QAIO_TASK_READY));
            QCOMPARE(int(infos[i].wait), int(QAIO_WAIT_NONE));
        }
        qaio_task_info_free(infos, n);
        LoopChecker checker;
        QVERIFY(runUntil([] { return countWaiting() == int(std::size(kProgram)); }));
        QTest::qWait(60); // so each has waited a measurable time
        QVERIFY(checker.ticks() > 0);
    }

    void listingNamesEveryWaitAndWhere()
    {
        qaio_task_info *infos;
        size_t n;
        QCOMPARE(qaio_loop_tasks(L, &infos, &n), 0);
        QCOMPARE(n, std::size(kProgram));
        for (const Expect &e : kProgram) {
            const qaio_task_info *i = find(infos, n, e.name);
            QVERIFY2(i, e.name);
            QCOMPARE(i->task != nullptr, true);
            QCOMPARE(int(i->state), int(QAIO_TASK_WAITING));
            QVERIFY(!i->cancelling);
            QCOMPARE(int(i->wait), int(e.kind));
            QVERIFY2(i->waited_s >= 0.05 && i->waited_s < 10, e.name);
            if (e.timeout < 0)
                QCOMPARE(i->timeout_s, QAIO_FOREVER);
            else
                QVERIFY2(i->timeout_s > e.timeout - 5 && i->timeout_s <= e.timeout, e.name);
            if (strcmp(e.name, "bare") == 0) {
                QCOMPARE(i->file, nullptr); // no macro, no site
                continue;
            }
            QVERIFY2(i->file && endsWith(i->file, "test_introspect.cpp"), e.name);
            QCOMPARE(i->line, siteLine[e.name]);
            QVERIFY(i->func && *i->func);
        }
        const qaio_task_info *tw = find(infos, n, "task-waiter");
        QCOMPARE(tw->object, static_cast<const void *>(P.sleeper));
        QCOMPARE(QByteArray(tw->object_name), QByteArray("sleeper"));
        QCOMPARE(find(infos, n, "future-waiter")->object, static_cast<const void *>(P.never));
        QCOMPARE(find(infos, n, "sleeper")->object, nullptr);
        // A lock, queue, stream or process wait names that object.
        QCOMPARE(find(infos, n, "lock-waiter")->object, static_cast<const void *>(P.lock));
        QCOMPARE(find(infos, n, "queue-getter")->object, static_cast<const void *>(P.queue));
        QCOMPARE(find(infos, n, "reader")->object, static_cast<const void *>(P.rd));
        QCOMPARE(find(infos, n, "child-waiter")->object, static_cast<const void *>(P.child));
        qaio_task_info_free(infos, n);
    }

    void dumpNamesEveryTaskAndWhereItWaits()
    {
        LogCapture log;
        QCOMPARE(qaio_loop_dump_tasks(L), int(std::size(kProgram)));
        QCOMPARE(log.lines.size(), int(std::size(kProgram)) + 1);
        QVERIFY(log.lines[0].contains("8 live tasks"));
        for (const Expect &e : kProgram) {
            std::string name = std::string("'") + e.name + "' waiting " + qaio_wait_kind_name(e.kind);
            QVERIFY2(dumpLinesNaming(log.lines, name.c_str()) == 1, name.c_str());
            if (strcmp(e.name, "bare") == 0)
                continue;
            std::string where = "test_introspect.cpp:" + std::to_string(siteLine[e.name]);
            QVERIFY2(dumpLinesNaming(log.lines, where.c_str()) == 1, where.c_str());
        }
        QVERIFY(dumpLinesNaming(log.lines, "task 'sleeper'") == 1);
        QVERIFY(dumpLinesNaming(log.lines, "no deadline") == 5);
    }

    void formatTruncatesLikeSnprintf()
    {
        qaio_task_info *infos;
        size_t n;
        QCOMPARE(qaio_loop_tasks(L, &infos, &n), 0);
        char full[512], small[8];
        int len = qaio_task_info_format(&infos[0], full, sizeof full);
        QCOMPARE(len, int(strlen(full)));
        QCOMPARE(qaio_task_info_format(&infos[0], small, sizeof small), len);
        QCOMPARE(QByteArray(small), QByteArray(full, sizeof small - 1));
        qaio_task_info_free(infos, n);
    }

    void runningAndReadyStates()
    {
        int state = -1;
        qaio_future *t = qaio_spawn_named(L, "self", 0, listSelf, &state);
        QCOMPARE(qaio_future_result_timeout(t, 5, nullptr), 0);
        QCOMPARE(state, int(QAIO_TASK_RUNNING));
        qaio_future_unref(t);
    }

    void signalDumpsOnlyWhenOptedIn()
    {
        // Not opted in: qaio left the signal's disposition alone.
        struct sigaction ign = {}, old;
        QCOMPARE(sigaction(SIGUSR1, nullptr, &old), 0);
        QVERIFY(old.sa_handler == SIG_DFL);
        ign.sa_handler = SIG_IGN; // what opting out must restore
        QCOMPARE(sigaction(SIGUSR1, &ign, nullptr), 0);
        LogCapture log;

        QCOMPARE(qaio_loop_dump_on_signal(L, SIGUSR1), 0);
        raise(SIGUSR1);
        QVERIFY(runUntil([&] { return log.lines.size() > int(std::size(kProgram)); }));
        QVERIFY(log.lines[0].contains("8 live tasks"));
        QCOMPARE(dumpLinesNaming(log.lines, "'reader' waiting stream-read"), size_t(1));

        QCOMPARE(qaio_remove_signal_handler(L, SIGUSR1), 1); // opted out again
        struct sigaction now;
        QCOMPARE(sigaction(SIGUSR1, nullptr, &now), 0);
        QVERIFY(now.sa_handler == SIG_IGN);
        log.lines.clear();
        raise(SIGUSR1); // ignored: no dump
        QTest::qWait(100);
        QCOMPARE(log.lines.size(), 0);
        QCOMPARE(sigaction(SIGUSR1, &old, nullptr), 0);
    }

    void finishedTasksLeaveTheList()
    {
        qaio_process_kill(P.child);
        QCOMPARE(qaio_stream_write(P.wr, "x", 1), 0);
        QCOMPARE(qaio_queue_put(P.queue, nullptr, 0), 0);
        QCOMPARE(qaio_lock_release(P.lock), 0);
        for (qaio_future *t : tasks)
            qaio_future_cancel(t);
        qaio_future_cancel(P.never);
        for (qaio_future *t : tasks) {
            qaio_future_result_timeout(t, 5, nullptr);
            QVERIFY(qaio_future_done(t));
            qaio_future_unref(t);
        }
        qaio_task_info *infos;
        size_t n;
        QCOMPARE(qaio_loop_tasks(L, &infos, &n), 0);
        QCOMPARE(n, size_t(0));
        QCOMPARE(infos, nullptr);
        qaio_future_unref(P.never);
        qaio_lock_free(P.lock);
        qaio_queue_free(P.queue);
        qaio_stream_close(P.rd);
        qaio_stream_close(P.wr);
        QCOMPARE(qaio_process_free(P.child), 0);
    }
};

QTEST_MAIN(TestIntrospect)
#include "test_introspect.moc"
