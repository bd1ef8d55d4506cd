// A small Qt Widgets program: Run starts an averaged acquisition as a task,
// a progress bar follows it, Stop cancels it, and closing the window
// cancels it too and waits for it to end before the window goes.
//
// Original: the GUI of the design qaio started from -- a Qt window whose
// button runs `scope.run_single(avg)` as an asyncio task on quamash's loop
// (qasync's @asyncSlot), the window staying live while it runs.
//
// What differs: the slot is qaio::asyncSlot, which hands back its running
// tasks (so Stop cancels exactly what Run started); the step callback that
// moves the progress bar is a C++ lambda (qaio::runSingle). Closing while a
// run is going is deferred until the run's task has ended, because the task
// uses the scope the window owns; WA_DeleteOnClose then deletes the window.
//
//   $ ./qt_widgets_acquire              # the window
//   $ ./qt_widgets_acquire --selftest   # clicks through it, checks, exits
#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <cstdio>
#include <cstring>
#include <qaio.h>
#include <qaio/instr.h>
#include <qaio/qt.hpp>

namespace {

const unsigned kAverages = 50;
int instrumentsFreed = 0; // what --selftest checks after the window is gone

class AcquireWindow : public QWidget {
public:
    AcquireWindow()
    {
        setAttribute(Qt::WA_DeleteOnClose);
        setWindowTitle("qaio: averaged acquisition");
        auto *layout = new QVBoxLayout(this);
        layout->addWidget(run = new QPushButton("Run"));
        layout->addWidget(stop = new QPushButton("Stop"));
        layout->addWidget(progress = new QProgressBar);
        layout->addWidget(status = new QLabel("idle"));
        progress->setRange(0, kAverages);
        stop->setEnabled(false);

        qaio_scope_settings s;
        qaio_scope_settings_default(&s);
        s.latency_s = 0.02; // a slow instrument: 50 records take about a second
        scope = qaio_scope_new(qaio_loop_get(), &s);

        // Every click runs acquire() as a task bound to this window; the
        // returned handle knows the running task, for Stop and for close.
        task = qaio::asyncSlot(run, &QPushButton::clicked, this, [this] { return acquire(); });
        QObject::connect(stop, &QPushButton::clicked, this, [this] { task.cancel(); });
    }

    ~AcquireWindow() override
    {
        // closeEvent waited for the run: the scope is free again.
        if (qaio_instrument_free(scope) == 0)
            instrumentsFreed++;
    }

    QPushButton *run, *stop;
    QProgressBar *progress;
    QLabel *status;
    qaio::AsyncSlot task;

protected:
    void closeEvent(QCloseEvent *e) override
    {
        qaio::FuturePtr running = task.latest();
        if (!running) {
            e->accept(); // WA_DeleteOnClose: deleted from the event loop
            return;
        }
        // The task uses our scope: cancel it, and close for real once it ended.
        e->ignore();
        status->setText("closing...");
        task.cancel();
        qaio::addDoneCallback(running.get(), [self = QPointer<AcquireWindow>(this)](qaio_future *) {
            if (self)
                self->close();
        });
    }

private:
    int acquire()
    {
        run->setEnabled(false);
        stop->setEnabled(true);
        status->setText("acquiring...");
        qaio_run_options o;
        qaio_run_options_default(&o);
        o.averages = kAverages;
        qaio::FuturePtr curve = qaio::runSingle(
            scope, o, [this](const qaio_trace *, unsigned k, unsigned) { progress->setValue(k); });
        qaio_trace *avg = nullptr;
        int err = curve ? qaio::await(curve, &avg) : -errno; // the window stays live
        if (err == 0) {
            float peak = 0;
            for (size_t i = 0; i < avg->n; i++)
                peak = avg->y[0][i] > peak ? avg->y[0][i] : peak;
            status->setText(QString("done: %1 averages, peak %2 V")
                                .arg(avg->averages)
                                .arg(peak, 0, 'f', 3));
        } else {
            status->setText(QString("stopped: %1").arg(qaio_strerror(err)));
        }
        run->setEnabled(true);
        stop->setEnabled(false);
        return err;
    }

    qaio_instrument *scope;
};

// Runs the loop until pred() holds (at most 10 s): a nested loop, as
// qaio_sleep outside a task is.
template <typename Pred>
bool waitFor(Pred pred)
{
    for (int i = 0; i < 1000 && !pred(); i++)
        qaio_sleep(0.01);
    return pred();
}

int check(bool ok, const char *what)
{
    std::printf("%s: %s\n", what, ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}

// Clicks Run, sees progress, clicks Stop; then Run again and closes the
// window mid-run: the task is cancelled and the window deleted after it.
int selftest(AcquireWindow *w)
{
    QPointer<AcquireWindow> window = w;
    int failed = 0;
    w->run->click();
    failed += check(waitFor([&] { return w->progress->value() >= 3; }), "run: progress moves");
    failed += check(w->task.running() == 1 && !w->run->isEnabled(), "run: one task running");
    w->stop->click();
    failed += check(waitFor([&] { return w->task.running() == 0; }), "stop: the task ended");
    failed += check(w->status->text() == "stopped: operation cancelled", "stop: cancelled");
    failed += check(w->progress->value() < int(kAverages), "stop: before the last record");
    std::printf("status: %s\n", qPrintable(w->status->text()));

    w->run->click();
    failed += check(waitFor([&] { return w->progress->value() >= 2; }), "run again: progress");
    qaio::FuturePtr running = w->task.latest();
    w->close();
    failed += check(window && window->isVisible(), "close: deferred while the task runs");
    failed += check(waitFor([&] { return window.isNull(); }), "close: window deleted");
    failed += check(qaio_future_cancelled(running.get()), "close: the task was cancelled");
    failed += check(instrumentsFreed == 1, "close: scope freed, no run left");
    std::printf("selftest: %s\n", failed ? "FAILED" : "passed");
    return failed ? 1 : 0;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv); // first, so qaio attaches to it
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // --selftest's lines, even if it crashes
    auto *w = new AcquireWindow;
    w->show();
    int rc = argc > 1 && std::strcmp(argv[1], "--selftest") == 0 ? selftest(w) : app.exec();
    qaio::closeLoop(qaio_loop_get()); // before the QApplication goes
    return rc;
}
