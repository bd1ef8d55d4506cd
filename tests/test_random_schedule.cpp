// Randomised schedules: random programs of spawn / await / sleep / gather /
// wait_for / wait_any / task groups / cancel / set_result / set_error /
// queue and lock waits, done-callbacks that run nested loops, and calls
// from other threads, run against invariants that must hold however the
// operations interleave:
//   - every future completes exactly once (its done-callback runs once, and
//     at most one set_result / set_error / cancel of ours succeeds on it);
//   - every value destructor runs exactly once (no leak, no double free),
//     and no value is read after it was destroyed;
//   - no task outlives its group or a gather that failed (a wait_for that
//     timed out returns by its deadline and may leave its target finishing);
//   - cancellation is delivered: a cancelled task's waits return
//     QAIO_ECANCELED (sticky), and everything pending ends once cancelled;
//   - nothing is left pending when the round's loop is drained and closed.
//
// Each round runs on its own thread with its own loop, which it closes at
// the end. A round's program -- every random choice in it -- is a pure
// function of its seed (generated up front, printable); how it interleaves
// with timers and the worker threads is not, and the invariants do not
// depend on it.
//
// Environment: QAIO_RANDOM_SEED=S runs rounds S, S+1, ...; a failure names
// the round's seed, so QAIO_RANDOM_SEED=S QAIO_RANDOM_ROUNDS=1 replays it
// (QAIO_RANDOM_VERBOSE=1 prints each program). QAIO_RANDOM_ROUNDS=N sets
// the count; when QAIO_TEST_TASKS is set (the build sets it for TSan
// and valgrind: tests/QaioTest.cmake) the default is smaller.
#include "testutil.h"

#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

// --- the generator -----------------------------------------------------------

// splitmix64: small, fast and well mixed, so consecutive seeds give
// unrelated programs.
struct Rng {
    uint64_t s;
    explicit Rng(uint64_t seed) : s(seed) {}
    uint64_t next()
    {
        uint64_t z = (s += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    int below(int n) { return int(next() % uint64_t(n)); }
    bool chance(int percent) { return below(100) < percent; }
    template <typename T, size_t N>
    T pick(const T (&a)[N]) { return a[below(int(N))]; }
};

enum class Op {
    Sleep,        // qaio_sleep(t)
    AwaitPlain,   // await plain future a (how, t)
    Spawn,        // spawn scripts[0] as a child (not awaited unless later)
    AwaitChild,   // await child a (how, t)
    Gather,       // gather plains + children + new children, await it (how, t)
    WaitAny,      // qaio_wait_any over plains + children, timeout t
    Group,        // a task group of scripts, ended per `mode`
    CancelPlain,  // qaio_future_cancel(plain a)
    CancelChild,  // qaio_future_cancel(child a)
    CancelRoot,   // qaio_future_cancel(root a): maybe itself or an ancestor
    CancelSelf,   // qaio_future_cancel(the running task)
    SetResult,    // qaio_future_set_result(plain a, a counted value)
    SetError,     // qaio_future_set_error(plain a, QAIO_EIO)
    Post,         // call_soon_threadsafe: a callback sets plain a's result
    Blocking,     // a done-callback on plain a that runs a nested loop
    AddRemove,    // add a done-callback to plain a, yield, remove it
    Put,          // qaio_queue_put(a counted value, t) on the round's queue
    Get,          // qaio_queue_get(t); the value got is destroyed
    Lock,         // qaio_lock_acquire(t), hold it over a yield, release
};
const char *const opNames[] = {"sleep",  "await-plain",  "spawn",        "await-child",
                               "gather", "wait-any",     "group",        "cancel-plain",
                               "cancel-child", "cancel-root", "cancel-self", "set-result",
                               "set-error", "post",      "blocking-cb",  "add-remove-cb",
                               "queue-put", "queue-get", "lock"};

// How a wait is made: result(), result_timeout(t) or wait_for(t).
enum class How { Result, Timeout, WaitFor };
const char *const howNames[] = {"result", "timeout", "wait_for"};

// How a task's function ends.
enum class End { Value, Error, Zero, Last };
const char *const endNames[] = {"value", "error", "zero", "last"};

// How a group ends: wait; wait with a timeout; cancel then wait; free
// right away (free cancels and waits); spawn a late child, then wait.
enum GroupMode { GroupWait, GroupWaitTimeout, GroupCancel, GroupFree, GroupLate, GroupModes };
const char *const groupNames[] = {"wait", "wait-timeout", "cancel", "free", "late"};

struct Script;
struct Step {
    Op op;
    int a = 0;
    How how = How::Result;
    double t = 0;
    int mode = 0;
    std::vector<int> plains, children; // Gather, WaitAny: what to wait on
    std::vector<Script> scripts;       // Spawn, Gather: new children; Group: the children
};
struct Script {
    std::vector<Step> steps;
    End end = End::Zero;
};

// Events outside the tasks: timers on the round's loop, and workers'
// actions from other threads.
enum class Ev {
    SetResult, SetError, CancelPlain, CancelRoot, // timers and workers
    CancelLastTask, CancelLastGather,             // whichever was made last
    Blocking, NestedWait,                         // timers: nested loops in callbacks
    Post, ResultFromThread                        // workers
};
const char *const evNames[] = {"set-result",  "set-error",         "cancel-plain",
                               "cancel-root", "cancel-last-task",  "cancel-last-gather",
                               "blocking-cb", "nested-wait",       "post",
                               "result-from-thread"};
struct Event {
    Ev kind;
    int a;
    double at; // timers: seconds after the start; workers: pause before it
};

struct Program {
    int plains = 0;
    size_t queueCapacity = 0; // 0: unbounded
    std::vector<Script> roots;
    std::vector<Event> timers;
    std::vector<std::vector<Event>> workers;
};

const double sleeps[] = {0, 0, 0.0002, 0.001, 0.003, 10}; // 10: only a cancel ends it
const double timeouts[] = {0, 0.0005, 0.002, 0.005};

class Generator {
public:
    explicit Generator(uint64_t seed) : r_(seed) {}

    Program program()
    {
        Program p;
        p.plains = 2 + r_.below(5);
        p.queueCapacity = size_t(r_.below(4));
        plains_ = p.plains;
        roots_ = 1 + r_.below(4);
        for (int i = 0; i < roots_; i++)
            p.roots.push_back(script(0));
        int timers = r_.below(7);
        for (int i = 0; i < timers; i++) {
            static const Ev kinds[] = {Ev::SetResult,      Ev::SetError,         Ev::CancelPlain,
                                       Ev::CancelRoot,     Ev::CancelLastTask,   Ev::CancelLastGather,
                                       Ev::Blocking,       Ev::NestedWait};
            Ev k = r_.pick(kinds);
            p.timers.push_back({k, k == Ev::CancelRoot ? r_.below(roots_) : r_.below(plains_),
                                r_.below(9) * 0.001});
        }
        int workers = r_.below(3);
        for (int w = 0; w < workers; w++) {
            std::vector<Event> evs;
            int n = 1 + r_.below(5);
            for (int i = 0; i < n; i++) {
                static const Ev kinds[] = {Ev::SetResult,      Ev::SetError,
                                           Ev::CancelPlain,    Ev::CancelRoot,
                                           Ev::CancelLastTask, Ev::CancelLastGather,
                                           Ev::Post,           Ev::ResultFromThread};
                Ev k = r_.pick(kinds);
                evs.push_back({k, k == Ev::CancelRoot ? r_.below(roots_) : r_.below(plains_),
                               r_.below(2000) * 1e-6});
            }
            p.workers.push_back(evs);
        }
        return p;
    }

private:
    // A task's script. Deeper tasks get shorter scripts and spawn nothing
    // at depth 2, so a round stays small.
    Script script(int depth)
    {
        Script s;
        int n = 1 + r_.below(depth == 0 ? 6 : depth == 1 ? 4 : 3);
        int children = 0;
        for (int i = 0; i < n; i++) {
            Step st;
            st.op = choose(depth < 2, children);
            switch (st.op) {
            case Op::Sleep:
                st.t = r_.pick(sleeps);
                break;
            case Op::AwaitPlain:
                st.a = r_.below(plains_);
                wait(st);
                break;
            case Op::Spawn:
                st.scripts.push_back(script(depth + 1));
                children++;
                break;
            case Op::AwaitChild:
                st.a = r_.below(children);
                wait(st);
                break;
            case Op::Gather: {
                items(st, children);
                int fresh = r_.below(3);
                if (st.plains.empty() && st.children.empty() && fresh == 0)
                    fresh = 1;
                for (int k = 0; k < fresh; k++)
                    st.scripts.push_back(script(depth + 1));
                children += fresh;
                wait(st);
                break;
            }
            case Op::WaitAny:
                items(st, children);
                if (st.plains.empty() && st.children.empty())
                    st.plains.push_back(r_.below(plains_));
                st.t = r_.chance(70) ? r_.pick(timeouts) : QAIO_FOREVER;
                break;
            case Op::Group: {
                st.mode = r_.below(GroupModes);
                st.t = r_.pick(timeouts);
                int k = 1 + r_.below(3) + (st.mode == GroupLate);
                for (int j = 0; j < k; j++)
                    st.scripts.push_back(script(depth + 1));
                break;
            }
            case Op::CancelChild:
                st.a = r_.below(children);
                break;
            case Op::CancelRoot:
                st.a = r_.below(roots_);
                break;
            case Op::CancelSelf:
                break;
            case Op::CancelPlain:
            case Op::SetResult:
            case Op::SetError:
            case Op::Post:
            case Op::Blocking:
            case Op::AddRemove:
                st.a = r_.below(plains_);
                break;
            case Op::Put:
            case Op::Get:
            case Op::Lock:
                st.t = r_.chance(70) ? r_.pick(timeouts) : QAIO_FOREVER;
                break;
            }
            s.steps.push_back(std::move(st));
        }
        s.end = End(r_.below(4));
        return s;
    }

    // An operation by weight; spawning ones stop at depth 2, and the ones
    // on children need a child.
    Op choose(bool spawns, int children)
    {
        static const int weights[] = {14, 12, 8, 6, 8, 5, 8, 5, 4, 3, 2, 8, 4, 4, 4, 4, 4, 4, 3};
        static_assert(sizeof weights / sizeof *weights == size_t(Op::Lock) + 1, "one per op");
        int total = 0;
        for (int w : weights)
            total += w;
        for (;;) {
            int roll = r_.below(total), k = 0;
            while (roll >= weights[k])
                roll -= weights[k++];
            Op op = Op(k);
            if (!spawns && (op == Op::Spawn || op == Op::Gather || op == Op::Group))
                continue;
            if (children == 0 && (op == Op::AwaitChild || op == Op::CancelChild))
                continue;
            return op;
        }
    }

    void wait(Step &st)
    {
        st.how = How(r_.below(3));
        st.t = r_.pick(timeouts);
    }

    void items(Step &st, int children)
    {
        int n = r_.below(3);
        for (int k = 0; k < n; k++)
            st.plains.push_back(r_.below(plains_));
        for (int c = 0; c < children; c++)
            if (r_.chance(50))
                st.children.push_back(c);
    }

    Rng r_;
    int plains_ = 0, roots_ = 0;
};

void describe(std::ostringstream &o, const Script &s, int indent)
{
    std::string pad(size_t(indent * 2), ' ');
    for (const Step &st : s.steps) {
        o << pad << opNames[int(st.op)] << " a=" << st.a;
        if (st.op == Op::AwaitPlain || st.op == Op::AwaitChild || st.op == Op::Gather)
            o << " " << howNames[int(st.how)];
        if (st.op == Op::Group)
            o << " " << groupNames[st.mode];
        o << " t=" << st.t;
        for (int p : st.plains)
            o << " p" << p;
        for (int c : st.children)
            o << " c" << c;
        o << "\n";
        for (const Script &c : st.scripts)
            describe(o, c, indent + 1);
    }
    o << pad << "end " << endNames[int(s.end)] << "\n";
}

std::string describe(const Program &p)
{
    std::ostringstream o;
    o << "plains " << p.plains << ", queue capacity " << p.queueCapacity << "\n";
    for (size_t i = 0; i < p.roots.size(); i++) {
        o << "root " << i << "\n";
        describe(o, p.roots[i], 1);
    }
    for (const Event &e : p.timers)
        o << "timer " << evNames[int(e.kind)] << " a=" << e.a << " at=" << e.at << "\n";
    for (size_t w = 0; w < p.workers.size(); w++)
        for (const Event &e : p.workers[w])
            o << "worker " << w << " " << evNames[int(e.kind)] << " a=" << e.a
              << " after=" << e.at << "\n";
    return o.str();
}

// --- the run -----------------------------------------------------------------

struct Round;

// A value handed to a future. Values live in the round's pool and are only
// marked when destroyed, so a second destruction or a read after it is
// seen in every build, not only under ASan.
struct Value {
    enum : uint32_t { Alive = 0xa11fe, Dead = 0xdead };
    std::atomic<uint32_t> magic{Alive};
    Round *round;
    explicit Value(Round *r) : round(r) {}
};

// A future the round tracks: every plain future, task and gather it made.
struct Rec {
    enum Kind { Plain, Task, Gather } kind;
    std::string name;
    qaio_future *f = nullptr;
    std::atomic<int> doneCalls{0};
    std::atomic<int> completions{0}; // our set_result/set_error/cancel that succeeded
    std::atomic<bool> cancelRequested{false}; // set before our cancel call
    std::atomic<bool> cancelConfirmed{false}; // set after it returned 1
    std::atomic<int> fnState{0};              // tasks: 0 not run, 1 running, 2 returned
    int group = -1;                           // the task group a task belongs to
    // Tasks: the library cancels children itself (gather, group, wait_for,
    // a cancelled parent), so only a root's cancellation is always ours.
    bool root = false;
    bool sawCancel = false; // a wait said this task was cancelled: sticky from then on
    Rec(Kind k, std::string n) : kind(k), name(std::move(n)) {}
};

struct Task {
    Round *round;
    Rec *rec;
    const Script *script;
    std::vector<Rec *> children;
};

// A done-callback that is added, then removed: exactly one of the two.
struct Registration {
    std::atomic<int> ran{0};
    int removed = 0;
};

struct Deferred { // what a timer, a post or a worker's action refers to
    Round *round;
    Event ev;
};

struct Round {
    uint64_t seed;
    Program prog;
    qaio_loop *loop = nullptr;
    // Loop thread only, except that workers use the plain and root records
    // (made before they start) and the value pool (under its lock).
    std::deque<Rec> recs;
    std::deque<Task> tasks;
    std::deque<Registration> regs;
    std::deque<Deferred> deferred;
    std::vector<std::vector<Deferred>> workerPosts;
    std::vector<Rec *> plains, roots;
    std::vector<std::vector<Rec *>> groups;
    qaio_queue *queue = nullptr; // items are counted values
    qaio_lock *lock = nullptr;
    int lockHolders = 0;
    std::mutex mutex; // values, violations
    std::deque<Value> values;
    std::vector<std::string> violations;
    std::atomic<int> timersFired{0}, workersDone{0}, postsPending{0}, blockingPending{0};
    std::atomic<bool> closing{false};
    // The task and the gather made last, for other threads to cancel.
    std::atomic<Rec *> lastTask{nullptr}, lastGather{nullptr};
    // What ran, to show the rounds are not trivial: steps per op, and how
    // the waits ended.
    int steps[int(Op::Lock) + 1] = {};
    int cancelledWaits = 0, timedOutWaits = 0;

    void fail(const std::string &what)
    {
        std::lock_guard<std::mutex> g(mutex);
        if (violations.size() < 20)
            violations.push_back(what);
    }

    Value *newValue()
    {
        std::lock_guard<std::mutex> g(mutex);
        values.emplace_back(this);
        return &values.back();
    }

    Rec *track(Rec::Kind kind, qaio_future *f, const std::string &name);
    Rec *spawn(const Script &s, const std::string &name, qaio_task_group *g, int group);
};

void valueDtor(void *p)
{
    auto *v = static_cast<Value *>(p);
    uint32_t was = v->magic.exchange(Value::Dead);
    if (was != Value::Alive)
        v->round->fail(was == Value::Dead ? "a value was destroyed twice" : "a destructor got garbage");
}

// A value read from a future must still be alive (NULL: a task that
// returned 0).
void checkValue(Round &r, void *p, const std::string &where)
{
    if (p && static_cast<Value *>(p)->magic.load() != Value::Alive)
        r.fail(where + ": read a destroyed value");
}

void countDone(qaio_future *f, void *arg)
{
    auto *rec = static_cast<Rec *>(arg);
    if (f != rec->f || !qaio_future_done(f))
        rec->doneCalls += 1000; // reported as a wrong count
    rec->doneCalls++;
}

Rec *Round::track(Rec::Kind kind, qaio_future *f, const std::string &name)
{
    recs.emplace_back(kind, name);
    Rec *rec = &recs.back();
    rec->f = f;
    int err = qaio_future_add_done_callback(f, countDone, rec);
    if (err)
        fail(name + ": add_done_callback failed: " + qaio_err_name(err));
    return rec;
}

// Cancels rec's future the way every actor here does: requested before the
// call (so a task that sees QAIO_ECANCELED finds it requested), confirmed
// after a 1 (so a task that sees the confirmation must be cancelled).
void cancel(Round &r, Rec *rec)
{
    if (!rec)
        return; // a task that could not be spawned
    rec->cancelRequested = true;
    int rc = qaio_future_cancel(rec->f);
    if (rc == 1) {
        rec->completions += rec->kind == Rec::Plain;
        rec->cancelConfirmed = true;
    } else if (rc != 0) {
        r.fail(rec->name + ": cancel returned " + qaio_err_name(rc));
    }
}

void setResult(Round &r, Rec *rec)
{
    Value *v = r.newValue();
    int rc = qaio_future_set_result(rec->f, v, valueDtor);
    if (rc == 0)
        rec->completions++;
    else if (rc != QAIO_EALREADY)
        r.fail(rec->name + ": set_result returned " + qaio_err_name(rc));
    else if (v->magic.load() != Value::Dead) // a losing set_result frees its value
        r.fail(rec->name + ": a refused value was not destroyed");
}

void setError(Round &r, Rec *rec)
{
    int rc = qaio_future_set_error(rec->f, QAIO_EIO, "random");
    if (rc == 0)
        rec->completions++;
    else if (rc != QAIO_EALREADY)
        r.fail(rec->name + ": set_error returned " + qaio_err_name(rc));
}

// A wait of self returned QAIO_ECANCELED for self's own cancellation: true
// if that can be so (outside a task it cannot), and from then on every wait
// of self must say so too.
bool cancelledSelf(Round &r, Rec *self, const std::string &where)
{
    if (!self)
        return false;
    if (self->root && !self->cancelRequested)
        r.fail(where + ": ECANCELED, but nobody cancelled " + self->name);
    self->sawCancel = true;
    return true;
}

// Checks what a wait on target returned. self: the waiting task (NULL
// outside a task).
void checkWait(Round &r, const std::string &where, Rec *target, How how, int err, void *v,
               Rec *self)
{
    qaio_future *f = target->f;
    if (err == 0) {
        void *got = nullptr;
        if (!qaio_future_done(f) || qaio_future_try_result(f, &got) != 0 || got != v)
            r.fail(where + ": success, but " + target->name + " has no such result");
        if (target->kind != Rec::Gather)
            checkValue(r, v, where);
    } else if (qaio_future_done(f) && qaio_future_error(f) == err) {
        // The target's own outcome (a task may fail with ETIMEDOUT too).
    } else if (err == QAIO_ETIMEDOUT) {
        if (how == How::Result)
            r.fail(where + ": timed out without a timeout");
        // A wait_for that timed out may leave its target cancelling: it
        // returns within a loop drain of its deadline, and a target whose
        // cleanup waits for a timer (a nested blocking wait inside it)
        // finishes later, before the round ends.
    } else if (err == QAIO_ECANCELED) {
        if (!cancelledSelf(r, self, where))
            r.fail(where + ": ECANCELED, but " + target->name + " was not cancelled");
    } else {
        r.fail(where + ": " + qaio_err_name(err) + " is not " + target->name + "'s outcome");
    }
}

int runTask(void *arg, qaio_future *self);

Rec *Round::spawn(const Script &s, const std::string &name, qaio_task_group *g, int group)
{
    tasks.push_back({this, nullptr, &s, {}});
    Task *t = &tasks.back();
    qaio_future *f = g ? qaio_task_group_spawn(g, name.c_str(), runTask, t)
                       : qaio_spawn_named(loop, name.c_str(), 64 * 1024, runTask, t);
    if (!f) {
        // Only a group that failed or was cancelled refuses a child.
        if (!(g && errno == -QAIO_ECLOSED))
            fail(name + ": spawn failed: errno " + std::to_string(errno));
        return nullptr;
    }
    t->rec = track(Rec::Task, f, name);
    t->rec->group = group;
    lastTask = t->rec;
    return t->rec;
}

// Every child of a group has ended: its future is done and its function
// returned (or never started).
void checkGroupChildren(Round &r, int group, const std::string &where)
{
    for (Rec *c : r.groups[size_t(group)])
        if (!qaio_future_done(c->f) || c->fnState == 1)
            r.fail(where + ": child " + c->name + " outlived it");
}

// The gather's contract: once done, so is every child; with a result, its
// array holds the children's values.
void checkGather(Round &r, Rec *g, const std::vector<Rec *> &items, const std::string &where)
{
    if (!qaio_future_done(g->f))
        return;
    for (Rec *c : items)
        if (!qaio_future_done(c->f))
            r.fail(where + ": gather done while " + c->name + " still runs");
    void *v = nullptr;
    if (qaio_future_try_result(g->f, &v) != 0)
        return;
    void **vals = static_cast<void **>(v);
    for (size_t i = 0; i < items.size(); i++) {
        void *cv = nullptr;
        if (qaio_future_try_result(items[i]->f, &cv) != 0 || cv != vals[i])
            r.fail(where + ": gather's value " + std::to_string(i) + " is not its child's");
        checkValue(r, vals[i], where);
    }
}

int waitOn(Rec *target, How how, double t, void **v)
{
    switch (how) {
    case How::Result:
        return qaio_await(target->f, v);
    case How::Timeout:
        return qaio_future_result_timeout(target->f, t, v);
    case How::WaitFor:
        break;
    }
    return qaio_wait_for(target->f, t, v);
}

void blockingCallback(qaio_future *, void *arg)
{
    // Outside any task: a nested Qt loop runs here, inside a done-callback.
    auto *r = static_cast<Round *>(arg);
    int err = qaio_sleep(0.0005);
    if (err)
        r->fail(std::string("nested sleep in a done-callback: ") + qaio_err_name(err));
    r->blockingPending--;
}

void registrationRan(qaio_future *, void *arg) { static_cast<Registration *>(arg)->ran++; }

void postedSetResult(void *arg)
{
    auto *d = static_cast<Deferred *>(arg);
    setResult(*d->round, d->round->plains[size_t(d->ev.a)]);
    d->round->postsPending--;
}

void post(Round &r, int plain)
{
    r.deferred.push_back({&r, {Ev::Post, plain, 0}});
    r.postsPending++;
    int err = qaio_call_soon_threadsafe(r.loop, postedSetResult, &r.deferred.back());
    if (err) {
        r.postsPending--;
        r.fail(std::string("call_soon_threadsafe: ") + qaio_err_name(err));
    }
}

// A queue or lock wait: success, its timeout, the task's cancellation, or
// the end of the queue (closed at cleanup).
void checkSyncWait(Round &r, Rec *me, const std::string &where, int err, double t)
{
    if (err == QAIO_ECANCELED)
        cancelledSelf(r, me, where);
    else if (err == QAIO_ETIMEDOUT && t < 0)
        r.fail(where + ": timed out without a timeout");
    else if (err && err != QAIO_ETIMEDOUT && err != QAIO_EPIPE)
        r.fail(where + ": " + qaio_err_name(err));
}

int runOp(Task &t, const Step &st, const std::string &where, bool confirmed);

int runStep(Task &t, const Step &st)
{
    Round &r = *t.round;
    Rec *me = t.rec;
    std::string where = me->name + " " + opNames[int(st.op)];
    if (r.closing)
        r.fail(me->name + " still ran when its loop closed");
    bool confirmed = me->cancelConfirmed || me->sawCancel; // sticky from here on
    r.steps[int(st.op)]++;
    int err = runOp(t, st, where, confirmed);
    r.cancelledWaits += err == QAIO_ECANCELED;
    r.timedOutWaits += err == QAIO_ETIMEDOUT;
    return err;
}

int runOp(Task &t, const Step &st, const std::string &where, bool confirmed)
{
    Round &r = *t.round;
    Rec *me = t.rec;
    switch (st.op) {
    case Op::Sleep: {
        double t0 = qaio_loop_time(r.loop);
        int err = qaio_sleep(st.t);
        if (err == 0 && qaio_loop_time(r.loop) + 1e-9 < t0 + st.t)
            r.fail(where + ": returned before its time");
        if (err != 0 && err != QAIO_ECANCELED)
            r.fail(where + ": " + qaio_err_name(err));
        if (err == QAIO_ECANCELED)
            cancelledSelf(r, me, where);
        if (confirmed && err != QAIO_ECANCELED)
            r.fail(where + ": a cancelled task's sleep returned " + qaio_err_name(err));
        return err;
    }
    case Op::AwaitPlain:
    case Op::AwaitChild: {
        Rec *target = st.op == Op::AwaitPlain ? r.plains[size_t(st.a)] : t.children[size_t(st.a)];
        if (!target)
            return 0; // a child that could not be spawned
        void *v = nullptr;
        int err = waitOn(target, st.how, st.t, &v);
        checkWait(r, where, target, st.how, err, v, me);
        return err;
    }
    case Op::Spawn:
        t.children.push_back(r.spawn(st.scripts[0], me->name + "." + std::to_string(t.children.size()),
                                     nullptr, -1));
        return 0;
    case Op::Gather: {
        std::vector<Rec *> items;
        for (int p : st.plains)
            items.push_back(r.plains[size_t(p)]);
        for (int c : st.children)
            if (t.children[size_t(c)])
                items.push_back(t.children[size_t(c)]);
        for (const Script &s : st.scripts) {
            Rec *c = r.spawn(s, me->name + "." + std::to_string(t.children.size()), nullptr, -1);
            t.children.push_back(c);
            if (c)
                items.push_back(c);
        }
        if (items.empty())
            return 0;
        std::vector<qaio_future *> fs;
        for (Rec *c : items)
            fs.push_back(c->f);
        qaio_future *gf = qaio_gather(fs.data(), fs.size());
        if (!gf) {
            r.fail(where + ": gather failed: errno " + std::to_string(errno));
            return 0;
        }
        Rec *g = r.track(Rec::Gather, gf, me->name + ".gather"); // keeps gather's reference
        r.lastGather = g;
        void *v = nullptr;
        int err = waitOn(g, st.how, st.t, &v);
        checkWait(r, where, g, st.how, err, v, me);
        checkGather(r, g, items, where);
        return err;
    }
    case Op::WaitAny: {
        std::vector<qaio_future *> fs;
        for (int p : st.plains)
            fs.push_back(r.plains[size_t(p)]->f);
        for (int c : st.children)
            if (t.children[size_t(c)])
                fs.push_back(t.children[size_t(c)]->f);
        size_t idx = size_t(-1);
        int err = qaio_wait_any(fs.data(), fs.size(), st.t, &idx);
        if (err == 0 && (idx >= fs.size() || !qaio_future_done(fs[idx])))
            r.fail(where + ": index of a future that is not done");
        else if (err == QAIO_ECANCELED)
            cancelledSelf(r, me, where);
        else if (err && err != QAIO_ETIMEDOUT)
            r.fail(where + ": " + qaio_err_name(err));
        if (err == QAIO_ETIMEDOUT && st.t < 0)
            r.fail(where + ": timed out without a timeout");
        return err;
    }
    case Op::Group: {
        qaio_task_group *g = qaio_task_group_new(r.loop);
        if (!g) {
            r.fail(where + ": group_new failed");
            return 0;
        }
        int id = int(r.groups.size());
        r.groups.emplace_back();
        std::string gname = me->name + ".g" + std::to_string(id);
        size_t first = st.mode == GroupLate ? 1 : 0;
        for (size_t i = first; i < st.scripts.size(); i++)
            if (Rec *c = r.spawn(st.scripts[i], gname + "." + std::to_string(i), g, id))
                r.groups[size_t(id)].push_back(c);
        int err = 0;
        switch (st.mode) {
        case GroupWait:
        case GroupWaitTimeout:
            err = qaio_task_group_wait(g, st.mode == GroupWait ? QAIO_FOREVER : st.t);
            break;
        case GroupCancel:
            qaio_task_group_cancel(g);
            err = qaio_task_group_wait(g, QAIO_FOREVER);
            break;
        case GroupLate:
            qaio_yield();
            if (Rec *c = r.spawn(st.scripts[0], gname + ".late", g, id))
                r.groups[size_t(id)].push_back(c);
            err = qaio_task_group_wait(g, QAIO_FOREVER);
            break;
        }
        if (st.mode != GroupFree && err != QAIO_ETIMEDOUT) {
            checkGroupChildren(r, id, where + " wait (" + qaio_err_name(err) + ")");
            int gerr = qaio_task_group_error(g);
            if (err == 0 && gerr != 0)
                r.fail(where + ": wait returned 0 with group error " + qaio_err_name(gerr));
            if (err == 0)
                for (Rec *c : r.groups[size_t(id)]) {
                    int cerr = qaio_future_error(c->f);
                    if (cerr && cerr != QAIO_ECANCELED)
                        r.fail(where + ": wait returned 0, but " + c->name + " failed");
                }
        }
        if (err == QAIO_ECANCELED && qaio_task_group_error(g) != QAIO_ECANCELED)
            cancelledSelf(r, me, where);
        qaio_task_group_free(g);
        checkGroupChildren(r, id, where + " free");
        return err;
    }
    case Op::CancelPlain:
        cancel(r, r.plains[size_t(st.a)]);
        return 0;
    case Op::CancelChild:
        if (t.children[size_t(st.a)])
            cancel(r, t.children[size_t(st.a)]);
        return 0;
    case Op::CancelRoot:
        cancel(r, r.roots[size_t(st.a)]);
        return 0;
    case Op::CancelSelf:
        cancel(r, me);
        return 0;
    case Op::SetResult:
        setResult(r, r.plains[size_t(st.a)]);
        return 0;
    case Op::SetError:
        setError(r, r.plains[size_t(st.a)]);
        return 0;
    case Op::Post:
        post(r, st.a);
        return 0;
    case Op::Blocking: {
        r.blockingPending++;
        int err = qaio_future_add_done_callback(r.plains[size_t(st.a)]->f, blockingCallback, &r);
        if (err) {
            r.blockingPending--;
            r.fail(where + ": " + qaio_err_name(err));
        }
        return 0;
    }
    case Op::AddRemove: {
        r.regs.emplace_back();
        Registration *reg = &r.regs.back();
        qaio_future *f = r.plains[size_t(st.a)]->f;
        int err = qaio_future_add_done_callback(f, registrationRan, reg);
        if (err) {
            reg->removed = 1; // nothing to run
            r.fail(where + ": " + qaio_err_name(err));
            return 0;
        }
        int yerr = qaio_yield();
        reg->removed = qaio_future_remove_done_callback(f, registrationRan, reg);
        return yerr;
    }
    case Op::Put: {
        Value *v = r.newValue();
        int err = qaio_queue_put(r.queue, v, st.t);
        if (err)
            valueDtor(v); // refused: the item is still ours
        checkSyncWait(r, me, where, err, st.t);
        return err;
    }
    case Op::Get: {
        void *item = nullptr;
        int err = qaio_queue_get(r.queue, &item, st.t);
        if (err == 0) {
            checkValue(r, item, where);
            valueDtor(item); // ours now
        }
        checkSyncWait(r, me, where, err, st.t);
        return err;
    }
    case Op::Lock: {
        int err = qaio_lock_acquire(r.lock, st.t);
        checkSyncWait(r, me, where, err, st.t);
        if (err)
            return err;
        if (r.lockHolders++ != 0)
            r.fail(where + ": two tasks hold the lock");
        qaio_yield(); // hold it across a suspension, cancelled or not
        r.lockHolders--;
        if (qaio_lock_release(r.lock) != 0)
            r.fail(where + ": could not release the lock it held");
        return 0;
    }
    }
    return 0;
}

int runTask(void *arg, qaio_future *self)
{
    auto *t = static_cast<Task *>(arg);
    Round &r = *t->round;
    Rec *me = t->rec;
    if (!me || me->f != self) {
        r.fail("a task started before its spawn returned");
        return QAIO_EINVAL;
    }
    me->fnState = 1;
    int last = 0;
    for (const Step &st : t->script->steps)
        last = runStep(*t, st);
    int rc = 0;
    switch (t->script->end) {
    case End::Value: {
        Value *v = r.newValue();
        rc = qaio_future_set_result(self, v, valueDtor);
        if (rc)
            r.fail(me->name + ": set_result on itself returned " + qaio_err_name(rc));
        break;
    }
    case End::Error:
        rc = QAIO_EIO;
        break;
    case End::Zero:
        rc = 0;
        break;
    case End::Last:
        rc = last < 0 ? last : 0;
        break;
    }
    if (r.closing)
        r.fail(me->name + " still ran when its loop closed");
    me->fnState = 2;
    return rc;
}

// The actions timers and workers share; false for the others.
bool completeOrCancel(Round &r, const Event &e)
{
    switch (e.kind) {
    case Ev::SetResult:
        setResult(r, r.plains[size_t(e.a)]);
        return true;
    case Ev::SetError:
        setError(r, r.plains[size_t(e.a)]);
        return true;
    case Ev::CancelPlain:
        cancel(r, r.plains[size_t(e.a)]);
        return true;
    case Ev::CancelRoot:
        cancel(r, r.roots[size_t(e.a)]);
        return true;
    case Ev::CancelLastTask:
        cancel(r, r.lastTask);
        return true;
    case Ev::CancelLastGather:
        cancel(r, r.lastGather);
        return true;
    default:
        return false;
    }
}

void timerEvent(void *arg)
{
    auto *d = static_cast<Deferred *>(arg);
    Round &r = *d->round;
    const Event &e = d->ev;
    if (completeOrCancel(r, e)) {
    } else if (e.kind == Ev::Blocking) {
        r.blockingPending++;
        if (qaio_future_add_done_callback(r.plains[size_t(e.a)]->f, blockingCallback, &r) != 0) {
            r.blockingPending--;
            r.fail("timer: add_done_callback failed");
        }
    } else if (e.kind == Ev::NestedWait) {
        // A callback that waits in a nested loop (the MyFuture pattern).
        void *v = nullptr;
        Rec *target = r.plains[size_t(e.a)];
        int err = qaio_future_result_timeout(target->f, 0.001, &v);
        checkWait(r, "timer nested wait", target, How::Timeout, err, v, nullptr);
    }
    r.timersFired++;
}

void worker(Round *r, size_t w)
{
    const std::vector<Event> &evs = r->prog.workers[w];
    for (size_t i = 0; i < evs.size(); i++) {
        const Event &e = evs[i];
        std::this_thread::sleep_for(std::chrono::microseconds(int(e.at * 1e6)));
        if (completeOrCancel(*r, e)) {
        } else if (e.kind == Ev::Post) {
            r->postsPending++;
            int err = qaio_call_soon_threadsafe(r->loop, postedSetResult, &r->workerPosts[w][i]);
            if (err) {
                r->postsPending--;
                r->fail(std::string("worker: call_soon_threadsafe: ") + qaio_err_name(err));
            }
        } else if (e.kind == Ev::ResultFromThread) {
            void *v = nullptr;
            Rec *plain = r->plains[size_t(e.a)];
            int err = qaio_future_result_timeout(plain->f, 0.002, &v);
            checkWait(*r, "worker result()", plain, How::Timeout, err, v, nullptr);
        }
    }
    r->workersDone++;
}

// Runs the loop (nested, outside any task) until pred() holds.
template <typename Pred>
void spinUntil(Pred pred)
{
    while (!pred())
        qaio_sleep(0.0002);
}

std::mutex logLock;
int stuckReports = 0;
void logHook(const char *msg, void *)
{
    // Unretrieved errors of tasks nobody awaited are expected here; a task
    // that did not finish at close is not.
    if (strstr(msg, "did not finish")) {
        std::lock_guard<std::mutex> g(logLock);
        stuckReports++;
    }
}

void runRound(Round &r)
{
    r.loop = qaio_loop_get();
    const Program &p = r.prog;
    r.queue = qaio_queue_new(r.loop, p.queueCapacity, valueDtor);
    r.lock = qaio_lock_new(r.loop);
    for (int i = 0; i < p.plains; i++) {
        qaio_future *f = qaio_future_new(r.loop);
        r.plains.push_back(r.track(Rec::Plain, f, "plain" + std::to_string(i)));
    }
    for (size_t i = 0; i < p.roots.size(); i++) {
        r.roots.push_back(r.spawn(p.roots[i], "root" + std::to_string(i), nullptr, -1));
        r.roots.back()->root = true;
    }
    for (const Event &e : p.timers) {
        r.deferred.push_back({&r, e});
        if (!qaio_call_later(r.loop, e.at, timerEvent, &r.deferred.back()))
            r.fail("call_later failed");
    }
    // The workers' posts need slots of their own: the deque is the loop's.
    for (const auto &evs : p.workers) {
        r.workerPosts.emplace_back();
        for (const Event &e : evs)
            r.workerPosts.back().push_back({&r, e});
    }
    std::vector<std::thread> workers;
    for (size_t w = 0; w < p.workers.size(); w++)
        workers.emplace_back(worker, &r, w);

    // Let the program run on its own for a while; timers, workers and the
    // calls they posted always finish.
    double natural = qaio_loop_time(r.loop) + 0.03;
    spinUntil([&] {
        bool rootsDone = true;
        for (Rec *root : r.roots)
            rootsDone = rootsDone && (!root || qaio_future_done(root->f));
        return (rootsDone || qaio_loop_time(r.loop) > natural) &&
               r.timersFired == int(p.timers.size()) && r.workersDone == int(workers.size());
    });
    for (auto &w : workers)
        w.join();
    spinUntil([&] { return r.postsPending == 0; });

    // Closing the queue ends every get waiting on it (QAIO_EPIPE); the
    // rest is cancelled.
    qaio_queue_close(r.queue);
    // Cancel whatever is still pending; each must then end. A task may
    // spawn while it winds down, so repeat until no new record appears.
    for (size_t seen = 0; seen < r.recs.size();) {
        size_t n = r.recs.size();
        for (size_t i = 0; i < n; i++)
            if (!qaio_future_done(r.recs[i].f))
                cancel(r, &r.recs[i]);
        for (size_t i = 0; i < n; i++) {
            // A generous hang guard: cancellation must reach every wait.
            qaio_future_result_timeout(r.recs[i].f, 30, nullptr);
            if (!qaio_future_done(r.recs[i].f))
                r.fail("cancellation not delivered: " + r.recs[i].name + " still pending");
        }
        seen = n;
    }
    // Drain: every done-callback runs from a later pass.
    spinUntil([&] {
        for (Rec &rec : r.recs)
            if (rec.doneCalls == 0)
                return false;
        return r.blockingPending == 0;
    });
    for (int i = 0; i < 3; i++)
        qaio_yield(); // a callback run twice would show now

    for (Rec &rec : r.recs) {
        if (rec.doneCalls != 1)
            r.fail(rec.name + ": done-callback ran " + std::to_string(rec.doneCalls) + " times");
        if (rec.completions > 1)
            r.fail(rec.name + ": completed " + std::to_string(rec.completions) + " times");
        if (rec.kind == Rec::Plain && !qaio_future_cancelled(rec.f) && rec.completions != 1)
            r.fail(rec.name + ": has an outcome nobody set");
        if (rec.kind == Rec::Task && rec.fnState == 1)
            r.fail(rec.name + ": done while its function runs");
        if (rec.kind == Rec::Task && rec.fnState == 0 && !qaio_future_cancelled(rec.f))
            r.fail(rec.name + ": never ran, yet not cancelled");
        qaio_future_error(rec.f); // retrieved: no log line at free
    }
    for (Registration &reg : r.regs)
        if (reg.ran + reg.removed != 1)
            r.fail("a done-callback ran " + std::to_string(reg.ran) + " times and was removed " +
                   std::to_string(reg.removed) + " times");

    for (Rec &rec : r.recs)
        qaio_future_unref(rec.f);
    qaio_queue_free(r.queue); // destroys the items still queued
    if (r.lockHolders || qaio_lock_locked(r.lock))
        r.fail("the lock is still held after every task ended");
    qaio_lock_free(r.lock);
    for (int i = 0; i < 3; i++)
        qaio_yield();
    size_t alive = 0;
    {
        std::lock_guard<std::mutex> g(r.mutex);
        for (Value &v : r.values)
            alive += v.magic.load() == Value::Alive;
    }
    if (alive)
        r.fail(std::to_string(alive) + " values never destroyed");
    r.closing = true;
    int err = qaio_loop_close(r.loop);
    if (err)
        r.fail(std::string("loop_close: ") + qaio_err_name(err));
}

uint64_t envU64(const char *name, uint64_t def)
{
    QByteArray v = qgetenv(name);
    bool ok = false;
    qulonglong x = v.toULongLong(&ok, 0);
    return ok ? x : def;
}

} // namespace

class TestRandomSchedule : public QObject {
    Q_OBJECT
private slots:
    void programIsAFunctionOfTheSeed()
    {
        for (uint64_t s = 1; s < 50; s++) {
            QCOMPARE(describe(Generator(s).program()), describe(Generator(s).program()));
            QVERIFY(describe(Generator(s).program()) != describe(Generator(s + 1).program()));
        }
    }

    void randomSchedules()
    {
        uint64_t base = envU64("QAIO_RANDOM_SEED", 20260601);
        bool slow = qEnvironmentVariableIsSet("QAIO_TEST_TASKS"); // TSan, valgrind
        uint64_t rounds = envU64("QAIO_RANDOM_ROUNDS", slow ? 300 : 1000);
        bool verbose = qEnvironmentVariableIntValue("QAIO_RANDOM_VERBOSE") != 0;
        qInfo("seeds %llu..%llu", (unsigned long long)base, (unsigned long long)(base + rounds - 1));
        qaio_set_log_hook(logHook, nullptr);
        int steps[int(Op::Lock) + 1] = {};
        long tasks = 0, cancelled = 0, timedOut = 0;
        for (uint64_t i = 0; i < rounds; i++) {
            uint64_t seed = base + i;
            Round r;
            r.seed = seed;
            r.prog = Generator(seed).program();
            if (verbose)
                qInfo("seed %llu:\n%s", (unsigned long long)seed, describe(r.prog).c_str());
            stuckReports = 0;
            // Each round on a thread of its own, with its own loop; a round
            // that hangs is named before the watchdog kills the test.
            std::mutex m;
            std::condition_variable cv;
            bool finished = false;
            std::thread th([&] {
                runRound(r);
                std::lock_guard<std::mutex> g(m);
                finished = true;
                cv.notify_all();
            });
            {
                std::unique_lock<std::mutex> g(m);
                if (!cv.wait_for(g, std::chrono::seconds(300), [&] { return finished; }))
                    qFatal("round with seed %llu hangs (QAIO_RANDOM_SEED=%llu QAIO_RANDOM_ROUNDS=1)",
                           (unsigned long long)seed, (unsigned long long)seed);
            }
            th.join();
            for (int k = 0; k <= int(Op::Lock); k++)
                steps[k] += r.steps[k];
            tasks += long(r.tasks.size());
            cancelled += r.cancelledWaits;
            timedOut += r.timedOutWaits;
            if (stuckReports)
                r.fail("a task did not finish when the loop closed");
            if (!r.violations.empty()) {
                std::string all;
                for (const auto &v : r.violations)
                    all += "\n  " + v;
                qaio_set_log_hook(nullptr, nullptr);
                QFAIL(qPrintable(QString("seed %1 (QAIO_RANDOM_SEED=%1 QAIO_RANDOM_ROUNDS=1):%2\nprogram:\n%3")
                                     .arg(seed)
                                     .arg(QString::fromStdString(all))
                                     .arg(QString::fromStdString(describe(r.prog)))));
            }
        }
        qaio_set_log_hook(nullptr, nullptr);
        QString summary;
        for (int k = 0; k <= int(Op::Lock); k++)
            summary += QString(" %1 %2").arg(opNames[k]).arg(steps[k]);
        qInfo("%ld tasks; %ld steps ended cancelled, %ld timed out; steps:%s", tasks, cancelled,
              timedOut, qPrintable(summary));
        // A generator that stopped making some operation would pass
        // silently: over enough rounds every one of them must have run.
        if (rounds >= 30)
            for (int k = 0; k <= int(Op::Lock); k++)
                QVERIFY2(steps[k] > 0, opNames[k]);
    }
};

QTEST_GUILESS_MAIN(TestRandomSchedule)
#include "test_random_schedule.moc"
