// The executor: jobs on a QThreadPool of qaio's own, results handed back
// through the thread-safe future completion.
#include "qaio/executor.h"
#include "../core/core_net.h"
#include "../core/sanitizers.h"

#include <QRunnable>
#include <QThread>
#include <QThreadPool>

#include <cerrno>
#include <new>


namespace {

// Never destroyed: QThreadPool's destructor waits for running jobs, and a
// process must be able to exit while a job blocks.
QThreadPool *pool()
{
    static QThreadPool *p = [] {
        auto *tp = new QThreadPool;
        tp->setMaxThreadCount(qMax(2, QThread::idealThreadCount()));
        return tp;
    }();
    return p;
}

class Job final : public QRunnable {
public:
    Job(qaio_future *fut, qaio_job_fn fn, void *(*plain)(void *), void *arg, qaio_dtor dtor)
        : fut_(fut), fn_(fn), plain_(plain), arg_(arg), dtor_(dtor) {}
    ~Job() override { qaio_future_unref(fut_); }
    // fn runs even if the future was cancelled before the job started: it
    // may own arg, and a skipped job would leak it.
    void run() override
    {
        qaio__tsan_acquire(this); // handed over by submit, through QThreadPool
        if (plain_) {
            qaio_future_set_result(fut_, plain_(arg_), nullptr);
            return;
        }
        void *out = nullptr;
        int err = fn_(arg_, &out);
        if (err < 0) {
            if (dtor_ && out)
                dtor_(out);
            if (err == QAIO_ECANCELED)
                qaio_future_cancel(fut_);
            else
                qaio_future_set_error(fut_, err, nullptr);
        } else {
            qaio_future_set_result(fut_, out, dtor_); // frees out if already done
        }
    }

private:
    qaio_future *fut_;
    qaio_job_fn fn_;
    void *(*plain_)(void *);
    void *arg_;
    qaio_dtor dtor_;
};

qaio_future *submit(qaio_loop *loop, qaio_job_fn fn, void *(*plain)(void *), void *arg, qaio_dtor dtor)
{
    int err = (fn || plain) ? qaio__check_loop(loop) : QAIO_EINVAL;
    if (err) {
        errno = -err;
        return nullptr;
    }
    qaio_future *fut = qaio_future_new(loop);
    if (!fut)
        return nullptr;
    auto *job = new (std::nothrow) Job(qaio_future_ref(fut), fn, plain, arg, dtor);
    if (!job) {
        qaio_future_unref(fut);
        qaio_future_unref(fut);
        errno = ENOMEM;
        return nullptr;
    }
    job->setAutoDelete(true);
    qaio__tsan_release(job);
    pool()->start(job);
    return fut;
}

} // namespace

extern "C" qaio_future *qaio_run_in_executor(qaio_loop *loop, void *(*fn)(void *), void *arg)
{
    return submit(loop, nullptr, fn, arg, nullptr);
}

extern "C" qaio_future *qaio_executor_call(qaio_loop *loop, qaio_job_fn fn, void *arg, qaio_dtor dtor)
{
    return submit(loop, fn, nullptr, arg, dtor);
}

extern "C" int qaio_executor_set_max_threads(int n)
{
    if (n < 1)
        return QAIO_EINVAL;
    pool()->setMaxThreadCount(n);
    return 0;
}
