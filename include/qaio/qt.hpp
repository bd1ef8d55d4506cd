/**
 * @file qaio/qt.hpp
 * @brief C++ for Qt code: C++ callables wherever the C API takes a callback
 * and a `void *`, typed signal futures, and async slots that hand back their
 * tasks.
 *
 * Header-only, over the C entries of qaio/loop.h, qaio/future.h,
 * qaio/task.h and qaio/qobject.h (and qaio/instr/acquisition.h when it is
 * installed), so libqaio exports no C++ symbols. Everything here runs on a
 * loop's thread unless noted, like the C functions it wraps.
 *
 * Callables, captures included, are moved to the heap and freed exactly
 * once: after they ran, when the call that takes them fails, when the call
 * is cancelled through this header (cancelCall), or -- for a call that can
 * no longer run -- when the loop is closed with qaio::closeLoop() or, at the
 * latest, when the thread ends.
 *
 * @code
 *   qaio::FuturePtr t = qaio::spawn(loop, [&] { return acquireAndPlot(); });
 *   qaio::callLater(loop, 0.5, [label] { label->setText("half a second"); });
 *
 *   qaio::AsyncSlot run = qaio::asyncSlot(runButton, &QPushButton::clicked, window,
 *                                         [=] { return acquireAndPlot(); });
 *   QObject::connect(stopButton, &QPushButton::clicked, [run] { run.cancel(); });
 *
 *   auto f = qaio::signalFuture(spin, &QSpinBox::valueChanged, 2.0);
 *   qaio::SignalArgs<void (QSpinBox::*)(int)> *args;
 *   if (qaio::await(f, &args) == 0) use(std::get<0>(*args));
 * @endcode
 * @ingroup qt
 */
/** @defgroup qt C++ helpers for Qt (qaio/qt.hpp)
 * @ingroup core
 * @{ */
#ifndef QAIO_QT_HPP
#define QAIO_QT_HPP

#include <QByteArray>
#include <QMetaMethod>
#include <QObject>
#include <QtGlobal>

#include <cerrno>
#include <exception>
#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "qaio/qobject.h"
#include "qaio/task.h"

#if __has_include("qaio/instr/acquisition.h")
#include "qaio/instr/acquisition.h"
/** Defined when libqaio-instr's headers are there: qaio::runSingle exists. */
#define QAIO_QT_HPP_INSTR 1
#endif

namespace qaio {

/** Deleter of FuturePtr: drops one reference to a future. */
struct FutureUnref {
    /** Unreferences @p f (NULL is ignored). */
    void operator()(qaio_future *f) const noexcept { qaio_future_unref(f); }
};

/** Owns one reference to a future: a unique_ptr that unrefs. */
using FuturePtr = std::unique_ptr<qaio_future, FutureUnref>;

/**
 * qaio_await with the value cast to T. *out is borrowed from the future and
 * valid while it lives. Same errors and threads as qaio_await.
 */
template <typename T>
int await(qaio_future *fut, T **out)
{
    void *value = nullptr;
    int err = qaio_await(fut, &value);
    if (err == 0 && out)
        *out = static_cast<T *>(value);
    return err;
}

/** await() for a future held in a FuturePtr (which keeps its reference). */
template <typename T>
int await(const FuturePtr &fut, T **out)
{
    return await(fut.get(), out);
}

/** @cond INTERNAL */
// What follows in qaio::detail is not API.
namespace detail {

// --- callables on the heap, each freed exactly once ------------------------

// A callable handed to a C call, in a per-thread list until it is freed.
// C callbacks run on the thread that registered them (every call wrapped
// here is a loop-thread call), so the list needs no lock. It is how a
// callable whose call can never run (a timer of a closed loop, the
// done-callback of a future freed while pending) is still freed: by
// closeLoop(), or when the thread ends.
struct Pending {
    explicit Pending(qaio_loop *l) : loop(l)
    {
        Pending *&head = list().head;
        next = head;
        if (head)
            head->prev = this;
        head = this;
    }
    virtual ~Pending()
    {
        if (prev)
            prev->next = next;
        else
            list().head = next;
        if (next)
            next->prev = prev;
    }
    Pending(const Pending &) = delete;
    Pending &operator=(const Pending &) = delete;

    struct List {
        Pending *head = nullptr;
        ~List() // the thread ends: no callback of its loops can run any more
        {
            while (head)
                delete head;
        }
    };
    static List &list()
    {
        thread_local List pending;
        return pending;
    }
    // Frees the callables registered for loop (closed: they can never run).
    static void releaseLoop(qaio_loop *loop)
    {
        for (Pending *p = list().head; p;) {
            Pending *next = p->next;
            if (p->loop == loop)
                delete p;
            p = next;
        }
    }
    // The callable of call (loop, handle), or NULL.
    static Pending *findCall(qaio_loop *loop, qaio_handle handle)
    {
        for (Pending *p = list().head; p; p = p->next)
            if (p->loop == loop && p->handle == handle)
                return p;
        return nullptr;
    }

    qaio_loop *loop;
    qaio_handle handle = 0; // call_soon / call_later only
    Pending *prev = nullptr, *next = nullptr;
};

template <typename Fn>
struct Boxed : Pending {
    Boxed(qaio_loop *l, Fn &&f) : Pending(l), fn(std::move(f)) {}
    Fn fn;
};

// fn's int status: its return value, or 0 for void.
template <typename F, typename... A>
int callStatus(F &f, A &&...args)
{
    if constexpr (std::is_void_v<std::invoke_result_t<F &, A...>>) {
        f(std::forward<A>(args)...);
        return 0;
    } else {
        return static_cast<int>(f(std::forward<A>(args)...));
    }
}

// A callback that C cannot be unwound through: an exception is reported
// through Qt's message handler instead.
template <typename F>
void callNoThrow(const char *what, F &&f) noexcept
{
    try {
        f();
    } catch (const std::exception &e) {
        qWarning("qaio: %s threw: %s", what, e.what());
    } catch (...) {
        qWarning("qaio: %s threw an unknown C++ exception", what);
    }
}

template <typename Fn>
int runTask(void *arg, qaio_future *self) noexcept
{
    Fn &fn = static_cast<Boxed<Fn> *>(arg)->fn;
    // An exception must not unwind out of the task's fiber into C: it
    // becomes the task's error (QAIO_EIO, its what() as the message).
    try {
        if constexpr (std::is_invocable_v<Fn &, qaio_future *>)
            return callStatus(fn, self);
        else
            return callStatus(fn);
    } catch (const std::exception &e) {
        qaio_future_set_error(self, QAIO_EIO, e.what());
    } catch (...) {
        qaio_future_set_error(self, QAIO_EIO, "unknown C++ exception");
    }
    return QAIO_EIO;
}

template <typename Fn>
void deleteBox(qaio_future *, void *arg)
{
    delete static_cast<Boxed<Fn> *>(arg);
}

template <typename Fn>
void runCall(void *arg)
{
    auto *box = static_cast<Boxed<Fn> *>(arg);
    callNoThrow("a call_soon/call_later callable", box->fn);
    delete box;
}

template <typename Fn>
void runDone(qaio_future *fut, void *arg)
{
    auto *box = static_cast<Boxed<Fn> *>(arg);
    callNoThrow("a done-callback", [&] { box->fn(fut); });
    delete box;
}

inline qaio_loop *orCurrent(qaio_loop *loop)
{
    return loop ? loop : qaio_loop_get();
}

// Boxes fn and schedules runCall with schedule(loop, cb, arg), which
// returns the handle or 0 (then fn is freed here).
template <typename F, typename Schedule>
qaio_handle scheduleCall(qaio_loop *loop, F &&fn, Schedule schedule)
{
    loop = orCurrent(loop);
    auto *box = loop ? new (std::nothrow) Boxed<F>(loop, std::move(fn)) : nullptr;
    if (!box)
        return 0;
    qaio_handle h = schedule(loop, &runCall<F>, box);
    if (!h) {
        delete box;
        return 0;
    }
    box->handle = h;
    return h;
}

} // namespace detail
/** @endcond */

/**
 * qaio_spawn for any C++ callable: runs fn as a task on loop (NULL: the
 * calling thread's). fn takes no argument, or the task's own future
 * (`qaio_future *self`, to set a result); it may qaio_await and qaio_sleep,
 * and returns an int status (negative: the task's error; 0 without a result
 * set: a NULL value) or void. A thrown exception becomes the task's error:
 * QAIO_EIO with what() as the message (qaio_future_error_message).
 *
 * fn is moved to the heap and freed once the task is done (also when it
 * was cancelled before it started), or at once if the spawn fails. With
 * @p bindTo the task is cancelled when that object is destroyed
 * (qaio_qobject_bind_task). @p name is copied (NULL: a default).
 *
 * @return the task's future (the caller's reference; dropping it does not
 * stop the task), or an empty FuturePtr with errno set (EINVAL, ENOMEM,
 * -QAIO_ECLOSED, -QAIO_EWRONGTHREAD). Loop thread.
 */
template <typename Fn>
FuturePtr spawn(qaio_loop *loop, Fn fn, const char *name = nullptr,
                const QObject *bindTo = nullptr, size_t stack_size = 0)
{
    using F = std::decay_t<Fn>;
    static_assert(std::is_invocable_v<F &> || std::is_invocable_v<F &, qaio_future *>,
                  "fn must take no argument, or the task's qaio_future *");
    loop = detail::orCurrent(loop);
    if (!loop) {
        errno = ENOMEM;
        return FuturePtr();
    }
    auto *box = new (std::nothrow) detail::Boxed<F>(loop, std::move(fn));
    if (!box) {
        errno = ENOMEM;
        return FuturePtr();
    }
    FuturePtr task(qaio_spawn_named(loop, name, stack_size, &detail::runTask<F>, box));
    if (!task) {
        int saved = errno;
        delete box;
        errno = saved;
        return FuturePtr();
    }
    // A task starts in the next pass, and one cancelled before it never
    // starts, so until the done-callback is in place box is still ours.
    int err = qaio_future_add_done_callback(task.get(), &detail::deleteBox<F>, box);
    if (err) {
        qaio_future_cancel(task.get());
        delete box;
        errno = -err;
        return FuturePtr();
    }
    if (bindTo && (err = qaio_qobject_bind_task(task.get(), const_cast<QObject *>(bindTo)))) {
        qaio_future_cancel(task.get()); // box goes with the done-callback
        errno = -err;
        return FuturePtr();
    }
    return task;
}

/**
 * qaio_call_soon for any callable: fn() runs in the loop's next pass.
 * fn is freed after it ran, by cancelCall(), or, if the loop closes first,
 * by closeLoop() (at the latest when the thread ends). An exception thrown
 * by fn is reported with qWarning(). loop NULL: the calling thread's.
 * @return the call's handle, or 0 (then fn was freed and never runs).
 * Loop thread.
 */
template <typename Fn>
qaio_handle callSoon(qaio_loop *loop, Fn fn)
{
    return detail::scheduleCall<std::decay_t<Fn>>(
        loop, std::move(fn), [](qaio_loop *l, qaio_cb cb, void *arg) {
            return qaio_call_soon(l, cb, arg);
        });
}

/**
 * qaio_call_later for any callable: fn() runs no earlier than delay_s
 * seconds from now. Lifetime, errors and thread as callSoon().
 */
template <typename Fn>
qaio_handle callLater(qaio_loop *loop, double delay_s, Fn fn)
{
    return detail::scheduleCall<std::decay_t<Fn>>(
        loop, std::move(fn), [delay_s](qaio_loop *l, qaio_cb cb, void *arg) {
            return qaio_call_later(l, delay_s, cb, arg);
        });
}

/**
 * Cancels a callSoon() / callLater() call and frees its callable.
 * @return 1 if the call was pending and will not run, 0 if it already ran
 * or was cancelled, or qaio_cancel's error. Loop thread.
 */
inline int cancelCall(qaio_loop *loop, qaio_handle handle)
{
    int r = qaio_cancel(loop, handle);
    if (r == 1)
        delete detail::Pending::findCall(loop, handle);
    return r;
}

/**
 * qaio_future_add_done_callback for any callable: fn(fut) runs on the loop
 * thread once fut is done (next pass if it already is). fn is freed after
 * it ran, at once if this call fails, or -- if fut is freed while pending,
 * so that fn can never run -- by closeLoop() or when the thread ends. An
 * exception thrown by fn is reported with qWarning(). fut is borrowed.
 * @return 0, or qaio_future_add_done_callback's error. Loop thread.
 */
template <typename Fn>
int addDoneCallback(qaio_future *fut, Fn fn)
{
    using F = std::decay_t<Fn>;
    static_assert(std::is_invocable_v<F &, qaio_future *>, "fn must take the qaio_future *");
    qaio_loop *loop = qaio_future_loop(fut);
    if (!loop)
        return QAIO_EINVAL;
    auto *box = new (std::nothrow) detail::Boxed<F>(loop, std::move(fn));
    if (!box)
        return QAIO_ENOMEM;
    int err = qaio_future_add_done_callback(fut, &detail::runDone<F>, box);
    if (err)
        delete box;
    return err;
}

/**
 * qaio_loop_close, then frees the callables of this header's calls that
 * can no longer run on that loop (timers and soon-calls dropped by the
 * close, done-callbacks of futures that were freed pending). Prefer it to
 * qaio_loop_close in C++ code; otherwise they are freed when the thread
 * ends. Same returns and thread as qaio_loop_close (nothing is freed when
 * it fails).
 */
inline int closeLoop(qaio_loop *loop)
{
    int err = qaio_loop_close(loop);
    if (err == 0)
        detail::Pending::releaseLoop(loop);
    return err;
}

#ifdef QAIO_QT_HPP_INSTR
/**
 * qaio_instrument_run_single_opts with a C++ step callable:
 * step(const qaio_trace *average, unsigned k, unsigned n) runs on the loop
 * thread after every record (see acquisition.h; opts.step and
 * opts.step_arg are replaced). step must not wait. An exception thrown by
 * step is reported with qWarning() and cancels the run. step is freed once
 * the run's future is done, or at once if the run cannot start.
 * @return the run's future (value: the averaged qaio_trace, owned by the
 * future), or an empty FuturePtr with errno as qaio_instrument_run_single.
 * Loop thread. (Only when libqaio-instr's headers are installed.)
 */
template <typename Step>
FuturePtr runSingle(qaio_instrument *inst, qaio_run_options opts, Step step)
{
    using F = std::decay_t<Step>;
    static_assert(std::is_invocable_v<F &, const qaio_trace *, unsigned, unsigned>,
                  "step must take (const qaio_trace *average, unsigned k, unsigned n)");
    struct Run {
        F step;
        qaio_future *run; // borrowed: the box dies with the run
    };
    if (!inst) {
        errno = EINVAL;
        return FuturePtr();
    }
    auto *box =
        new (std::nothrow) detail::Boxed<Run>(qaio_loop_get(), Run{std::move(step), nullptr});
    if (!box) {
        errno = ENOMEM;
        return FuturePtr();
    }
    opts.step = [](const qaio_trace *avg, unsigned k, unsigned n, void *arg) {
        auto *r = &static_cast<detail::Boxed<Run> *>(arg)->fn;
        bool threw = true;
        detail::callNoThrow("a run_single step", [&] {
            r->step(avg, k, n);
            threw = false;
        });
        if (threw)
            qaio_future_cancel(r->run);
    };
    opts.step_arg = box;
    FuturePtr run(qaio_instrument_run_single_opts(inst, &opts));
    int err = run ? qaio_future_add_done_callback(run.get(), &detail::deleteBox<Run>, box) : -errno;
    if (err) {
        if (run)
            qaio_future_cancel(run.get()); // the step may run no more: the run ends
        // The run's task has not started: nothing calls step any more.
        delete box;
        errno = -err;
        return FuturePtr();
    }
    box->fn.run = run.get();
    return run;
}
#endif

/** @cond INTERNAL */
// What follows in qaio::detail is not API.
namespace detail {

// --- typed signal futures ----------------------------------------------------

// Builds std::tuple<decayed Args...> from a signal's parameter list, without
// the QPrivateSignal tag that ends a private signal's parameters (an empty
// class, which no moc signature lists).
template <typename Out, typename... In>
struct ArgsTuple;
template <typename... Out>
struct ArgsTuple<std::tuple<Out...>> {
    using type = std::tuple<Out...>;
};
template <typename... Out, typename Last>
struct ArgsTuple<std::tuple<Out...>, Last> {
    using type = std::conditional_t<std::is_class_v<Last> && std::is_empty_v<Last>,
                                    std::tuple<Out...>, std::tuple<Out..., std::decay_t<Last>>>;
};
template <typename... Out, typename First, typename Second, typename... Rest>
struct ArgsTuple<std::tuple<Out...>, First, Second, Rest...>
    : ArgsTuple<std::tuple<Out..., std::decay_t<First>>, Second, Rest...> {};

template <typename Signal>
struct SignalTraits;
template <typename Class, typename R, typename... Args>
struct SignalTraits<R (Class::*)(Args...)> {
    using Object = Class;
    using Tuple = typename ArgsTuple<std::tuple<>, Args...>::type;
};
template <typename Class, typename R, typename... Args>
struct SignalTraits<R (Class::*)(Args...) const> : SignalTraits<R (Class::*)(Args...)> {};

// Qt passes a direct connection's arguments as pointers to the originals.
template <typename Tuple, std::size_t... I>
Tuple *copyArgs(void *const *args, std::index_sequence<I...>)
{
    return new Tuple(*static_cast<const std::tuple_element_t<I, Tuple> *>(args[I])...);
}

template <typename Tuple>
int captureArgs(void *const *args, void **value) noexcept
{
    try {
        *value = copyArgs<Tuple>(args, std::make_index_sequence<std::tuple_size_v<Tuple>>{});
        return 0;
    } catch (...) { // runs inside someone's emission: never let it unwind
        return QAIO_ENOMEM;
    }
}

template <typename T>
void deleteAs(void *p)
{
    delete static_cast<T *>(p);
}

template <typename Fn, typename Tuple>
struct Invocable;
template <typename Fn, typename... A>
struct Invocable<Fn, std::tuple<A...>> {
    static constexpr bool withArgs = std::is_invocable_v<Fn &, A &...>;
    static constexpr bool withoutArgs = std::is_invocable_v<Fn &>;
};

// --- async slots ---------------------------------------------------------------

// The tasks one asyncSlot connection has running (a reference to each),
// shared by the connection and the AsyncSlot handles. Context thread only.
struct SlotState {
    std::vector<qaio_future *> tasks;
    ~SlotState()
    {
        for (qaio_future *t : tasks)
            qaio_future_unref(t);
    }
    void remove(qaio_future *t)
    {
        for (auto it = tasks.begin(); it != tasks.end(); ++it)
            if (*it == t) {
                tasks.erase(it);
                qaio_future_unref(t);
                return;
            }
    }
};

// What Qt calls per emission, on the context object's thread.
template <typename Fn, typename Tuple>
struct SlotThunk;
template <typename Fn, typename... A>
struct SlotThunk<Fn, std::tuple<A...>> {
    std::shared_ptr<Fn> fn;
    std::shared_ptr<SlotState> state;
    QByteArray name;
    QObject *bindTo;

    void operator()(const A &...args) const
    {
        auto body = [fn = fn, copies = std::tuple<A...>(args...)]() mutable -> int {
            if constexpr (Invocable<Fn, std::tuple<A...>>::withArgs)
                return std::apply([&](A &...a) { return callStatus(*fn, a...); }, copies);
            else
                return callStatus(*fn);
        };
        // Nobody awaits these tasks: an error is reported through the log
        // hook when the task's future is freed with its error unretrieved
        // (unless a holder of AsyncSlot::latest() retrieved it); a
        // cancellation is quiet.
        FuturePtr task = spawn(qaio_loop_get(), std::move(body), name.constData(), bindTo);
        if (!task) {
            qWarning("qaio::asyncSlot: cannot start '%s': %s", name.constData(),
                     qaio_strerror(-errno));
            return;
        }
        std::weak_ptr<SlotState> weak = state;
        int err = addDoneCallback(task.get(), [weak](qaio_future *t) {
            if (auto s = weak.lock())
                s->remove(t);
        });
        if (err) { // untracked, it could not be stopped: do not run it
            qaio_future_cancel(task.get());
            return;
        }
        state->tasks.push_back(qaio_future_ref(task.get()));
    }
};

} // namespace detail
/** @endcond */

/**
 * The arguments of a signal as the value of its future: for
 * void (QSpinBox::*)(int), std::tuple<int>.
 */
template <typename Signal>
using SignalArgs = typename detail::SignalTraits<Signal>::Tuple;

/**
 * qaio_qobject_signal_future, typed: the future's value is a heap
 * SignalArgs<Signal> (owned by the future) holding copies of the NEXT
 * emission's arguments. Same failures: QAIO_ECANCELED if sender dies first,
 * QAIO_ETIMEDOUT after timeout_s (< 0: none). An overloaded signal needs
 * qOverload<...>(&Class::signal). loop NULL: the calling thread's loop.
 * @return an owned future, or an empty FuturePtr with errno (EINVAL,
 * -QAIO_EWRONGTHREAD, -QAIO_ECLOSED, ENOMEM). sender is borrowed. Loop thread.
 */
template <typename Sender, typename Signal>
FuturePtr signalFuture(const Sender *sender, Signal signal, double timeout_s = QAIO_FOREVER,
                       qaio_loop *loop = nullptr)
{
    using Traits = detail::SignalTraits<Signal>;
    using Tuple = typename Traits::Tuple;
    static_assert(std::is_base_of_v<typename Traits::Object, Sender>,
                  "the signal must belong to the sender's class");
    const QMetaMethod method = QMetaMethod::fromSignal(signal);
    if (!sender || !method.isValid() ||
        method.parameterCount() != int(std::tuple_size_v<Tuple>)) {
        errno = EINVAL;
        return FuturePtr();
    }
    // The C side takes the QObject's own address, which differs from a
    // subclass pointer's when the QObject is not the first base.
    auto *object = const_cast<QObject *>(static_cast<const QObject *>(sender));
    return FuturePtr(qaio_qobject_signal_future_ex(
        loop ? loop : qaio_loop_get(), object, method.methodSignature().constData(), timeout_s,
        &detail::captureArgs<Tuple>, &detail::deleteAs<Tuple>));
}

/** Whether asyncSlot's tasks are cancelled when the context object dies. */
enum class SlotTasks {
    BoundToContext, /**< cancelled when the context object is destroyed */
    Detached        /**< run to their end whatever happens to the context */
};

/**
 * What asyncSlot() returns: its Qt connection, and the tasks its emissions
 * started that are still running -- so that a Stop button can cancel the
 * acquisition a Run button started. Copies share the same tasks. Use it on
 * the context object's thread (where the tasks run). It converts to
 * QMetaObject::Connection, so code that kept the connection still works.
 */
class AsyncSlot {
public:
    /** An empty handle: no connection, no tasks. */
    AsyncSlot() = default;
    /** A handle on connection @p c and the tasks in @p s (asyncSlot() makes it). */
    AsyncSlot(QMetaObject::Connection c, std::shared_ptr<detail::SlotState> s)
        : connection_(std::move(c)), state_(std::move(s))
    {
    }

    /** The connection (disconnect it with QObject::disconnect). */
    const QMetaObject::Connection &connection() const { return connection_; }
    /** The connection, for code written before asyncSlot returned a handle. */
    operator QMetaObject::Connection() const { return connection_; }

    /** How many of this slot's tasks are running (started and not done). */
    int running() const { return state_ ? int(state_->tasks.size()) : 0; }

    /**
     * The most recently started task still running, with a reference for
     * the caller (await it to get its result or error), or an empty
     * FuturePtr when none runs.
     */
    FuturePtr latest() const
    {
        if (!state_ || state_->tasks.empty())
            return FuturePtr();
        return FuturePtr(qaio_future_ref(state_->tasks.back()));
    }

    /**
     * Cancels every running task of this slot (each is done once its
     * function has returned, as for qaio_future_cancel). The connection
     * stays: the next emission starts a new task.
     * @return how many tasks were asked to stop.
     */
    int cancel() const
    {
        int n = 0;
        if (state_) {
            std::vector<qaio_future *> tasks = state_->tasks; // done-callbacks may edit it
            for (qaio_future *t : tasks)
                n += qaio_future_cancel(t) == 1;
        }
        return n;
    }

private:
    QMetaObject::Connection connection_;
    std::shared_ptr<detail::SlotState> state_;
};

/**
 * Connects signal to fn so that every emission runs fn as a new qaio task
 * on the thread of `context` (its loop), as qasync's asyncSlot decorator
 * does: fn receives copies of the signal's arguments (or none, if it takes
 * none), may qaio_await and qaio_sleep, and returns an int status
 * (negative: an error) or void. An error (also a thrown exception, as QAIO_EIO with what() as
 * the message) nobody retrieved is reported through qaio's log hook with the
 * task's name ("slot <signature>"); a cancellation is quiet. With
 * SlotTasks::BoundToContext the running tasks are cancelled when context is
 * destroyed. The connection itself ends with sender or context, like any Qt
 * connection. fn is moved into the connection and shared by its tasks.
 * @return an AsyncSlot: the connection and the running tasks (latest(),
 * cancel()). Any thread may connect; tasks run on context's thread.
 */
template <typename Sender, typename Signal, typename Fn>
AsyncSlot asyncSlot(const Sender *sender, Signal signal, const QObject *context, Fn fn,
                    SlotTasks tasks = SlotTasks::BoundToContext)
{
    using Tuple = SignalArgs<Signal>;
    using Check = detail::Invocable<std::decay_t<Fn>, Tuple>;
    static_assert(Check::withArgs || Check::withoutArgs,
                  "fn must take the signal's arguments, or none");
    QByteArray name = "slot " + QMetaMethod::fromSignal(signal).methodSignature();
    QObject *bindTo = tasks == SlotTasks::BoundToContext ? const_cast<QObject *>(context) : nullptr;
    auto state = std::make_shared<detail::SlotState>();
    detail::SlotThunk<std::decay_t<Fn>, Tuple> thunk{
        std::make_shared<std::decay_t<Fn>>(std::move(fn)), state, name, bindTo};
    return AsyncSlot(QObject::connect(sender, signal, context, std::move(thunk)), state);
}

} // namespace qaio

/** @} */
#endif
