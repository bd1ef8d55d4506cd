// qaio/qt.hpp - C++ helpers for Qt code: typed signal futures, async slots.
//
// Header-only, over the C entries of qaio/qobject.h and qaio/task.h, so
// libqaio exports no C++ symbols. Everything here runs on a loop's thread
// unless noted, like the C functions it wraps.
//
//   auto f = qaio::signalFuture(spin, &QSpinBox::valueChanged, 2.0);
//   qaio::SignalArgs<void (QSpinBox::*)(int)> *args;
//   if (qaio::await(f, &args) == 0) use(std::get<0>(*args));
//
//   qaio::asyncSlot(button, &QPushButton::clicked, window, [=](bool) {
//       return acquireAndPlot(); // a task: may qaio_await and qaio_sleep
//   });
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

#include "qaio/qobject.h"
#include "qaio/task.h"

namespace qaio {

// Owns one reference to a future (a unique_ptr that unrefs).
struct FutureUnref {
    void operator()(qaio_future *f) const noexcept { qaio_future_unref(f); }
};
using FuturePtr = std::unique_ptr<qaio_future, FutureUnref>;

// qaio_await with the value cast to T. *out is borrowed from the future and
// valid while it lives. Same errors and threads as qaio_await.
template <typename T>
int await(qaio_future *fut, T **out)
{
    void *value = nullptr;
    int err = qaio_await(fut, &value);
    if (err == 0 && out)
        *out = static_cast<T *>(value);
    return err;
}
template <typename T>
int await(const FuturePtr &fut, T **out)
{
    return await(fut.get(), out);
}

namespace detail {

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

// One emission's work: the shared slot function and a copy of the arguments.
template <typename Fn, typename Tuple>
struct SlotCall {
    std::shared_ptr<Fn> fn;
    Tuple args;
};

template <typename R>
int toStatus(R &&r)
{
    return static_cast<int>(r);
}

template <typename Fn, typename Tuple>
int runSlot(void *arg, qaio_future *self) noexcept
{
    auto *call = static_cast<SlotCall<Fn, Tuple> *>(arg);
    // An exception must not unwind out of the task's fiber into C: it
    // becomes the task's error (QAIO_EIO, its what() as the message).
    try {
        if constexpr (Invocable<Fn, Tuple>::withArgs) {
            if constexpr (std::is_void_v<decltype(std::apply(*call->fn, call->args))>) {
                std::apply(*call->fn, call->args);
                return 0;
            } else {
                return toStatus(std::apply(*call->fn, call->args));
            }
        } else {
            if constexpr (std::is_void_v<decltype((*call->fn)())>) {
                (*call->fn)();
                return 0;
            } else {
                return toStatus((*call->fn)());
            }
        }
    } catch (const std::exception &e) {
        qaio_future_set_error(self, QAIO_EIO, e.what());
    } catch (...) {
        qaio_future_set_error(self, QAIO_EIO, "unknown C++ exception");
    }
    return QAIO_EIO;
}

// What Qt calls per emission, on the context object's thread.
template <typename Fn, typename Tuple>
struct SlotThunk;
template <typename Fn, typename... A>
struct SlotThunk<Fn, std::tuple<A...>> {
    using Call = SlotCall<Fn, std::tuple<A...>>;
    std::shared_ptr<Fn> fn;
    QByteArray name;
    QObject *bindTo;

    void operator()(const A &...args) const
    {
        auto *call = new Call{fn, std::tuple<A...>(args...)};
        int err = qaio_qobject_spawn_detached(qaio_loop_get(), bindTo, name.constData(),
                                              &runSlot<Fn, std::tuple<A...>>, call,
                                              &deleteAs<Call>);
        if (err)
            qWarning("qaio::asyncSlot: cannot start '%s': %s", name.constData(),
                     qaio_strerror(err));
    }
};

} // namespace detail

// The arguments of a signal as the value of its future: for
// void (QSpinBox::*)(int), std::tuple<int>.
template <typename Signal>
using SignalArgs = typename detail::SignalTraits<Signal>::Tuple;

// qaio_qobject_signal_future, typed: the future's value is a heap
// SignalArgs<Signal> (owned by the future) holding copies of the NEXT
// emission's arguments. Same failures: QAIO_ECANCELED if sender dies first,
// QAIO_ETIMEDOUT after timeout_s (< 0: none). An overloaded signal needs
// qOverload<...>(&Class::signal). loop NULL: the calling thread's loop.
// Returns an owned future, or an empty FuturePtr with errno (EINVAL, -QAIO_EWRONGTHREAD,
// -QAIO_ECLOSED, ENOMEM). sender is borrowed. Loop thread.
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

// Whether asyncSlot's tasks are cancelled when the context object dies.
enum class SlotTasks { BoundToContext, Detached };

// Connects signal to fn so that every emission runs fn as a new qaio task on
// the thread of `context` (its loop), qasync's @asyncSlot: fn receives
// copies of the signal's arguments (or none, if it takes none), may
// qaio_await and qaio_sleep, and returns an int status (negative: an error)
// or void. An error (also a thrown exception, as QAIO_EIO) is reported
// through qaio's log hook with the task's name ("slot <signature>"); a
// cancellation is quiet. With SlotTasks::BoundToContext the running tasks
// are cancelled when context is destroyed. The connection itself ends with
// sender or context, like any Qt connection; the returned handle can
// disconnect it. fn is moved into the connection and shared by its tasks.
// Any thread may connect; tasks run on context's thread.
template <typename Sender, typename Signal, typename Fn>
QMetaObject::Connection asyncSlot(const Sender *sender, Signal signal, const QObject *context,
                                  Fn fn, SlotTasks tasks = SlotTasks::BoundToContext)
{
    using Tuple = SignalArgs<Signal>;
    using Check = detail::Invocable<std::decay_t<Fn>, Tuple>;
    static_assert(Check::withArgs || Check::withoutArgs,
                  "fn must take the signal's arguments, or none");
    QByteArray name = "slot " + QMetaMethod::fromSignal(signal).methodSignature();
    QObject *bindTo = tasks == SlotTasks::BoundToContext ? const_cast<QObject *>(context) : nullptr;
    detail::SlotThunk<std::decay_t<Fn>, Tuple> thunk{
        std::make_shared<std::decay_t<Fn>>(std::move(fn)), name, bindTo};
    return QObject::connect(sender, signal, context, std::move(thunk));
}

} // namespace qaio

#endif
