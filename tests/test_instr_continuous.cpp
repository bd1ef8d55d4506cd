// Continuous acquisition as a state machine: every call in every state
// does what the table in acquisition.h says (or is refused with its
// error), a requested stop returns before the run has ended (the caller
// never waits in a nested loop) and the run reports its end through the
// finished callback, a start while stopping runs on in a new task, and
// frames hand over both curves at most once per interval, the last record
// included.
#include "testutil.h"

#include <qaio/instr.h>
#include <vector>

namespace {
qaio_loop *L;

// A force-triggered record of n points at 1 MHz, each taking latency s more.
qaio_instrument *scope(double latency = 0, size_t n = 1000)
{
    qaio_scope_settings s;
    qaio_scope_settings_default(&s);
    s.points = n;
    s.rate = 1e6;
    s.trigger = QAIO_TRIG_FORCE;
    s.latency_s = latency;
    qaio_instrument *sc = qaio_scope_new(L, &s);
    if (sc)
        qaio_scope_set_signal(sc, 1, "dc level=0.5", nullptr, 0);
    return sc;
}

struct Log {
    std::vector<unsigned> ks;                  // every frame's k
    std::vector<unsigned long long> records;   // every frame's record count
    std::vector<size_t> sourcePoints;          // every frame's source curve (0: none)
    std::vector<int> domains;                  // every frame's curve, then source, domain
    std::vector<int> finished;                 // every finished callback's error
    std::function<void()> onFrame;
    static void frame(const qaio_frame *f, void *arg)
    {
        auto *l = static_cast<Log *>(arg);
        l->ks.push_back(f->k);
        l->records.push_back(f->records);
        l->sourcePoints.push_back(f->source ? f->source->n : 0);
        l->domains.push_back(f->curve->domain);
        l->domains.push_back(f->source ? f->source->domain : -1);
        if (l->onFrame)
            l->onFrame();
    }
    static void done(int err, void *arg) { static_cast<Log *>(arg)->finished.push_back(err); }
};

qaio_run_options options(Log *log, unsigned n, double interval = 0)
{
    qaio_run_options o;
    qaio_run_options_default(&o);
    o.averages = n;
    o.frame = Log::frame;
    o.frame_arg = log;
    o.frame_interval_s = interval;
    o.finished = Log::done;
    o.finished_arg = log;
    return o;
}
}

class TestInstrContinuous : public QObject {
    Q_OBJECT
private slots:
    void init() { L = qaio_loop_get(); }

    void everyEventInEveryState()
    {
        qaio_instrument *sc = scope(0.002);
        Log log;
        qaio_run_options o = options(&log, 4);
        qaio_continuous *c = qaio_continuous_new(sc, &o);
        QVERIFY(c);
        // IDLE
        QCOMPARE(qaio_continuous_pause(c), int(QAIO_EINVAL));
        QCOMPARE(qaio_continuous_resume(c), int(QAIO_EINVAL));
        QCOMPARE(qaio_continuous_restart(c), int(QAIO_EINVAL));
        QCOMPARE(qaio_continuous_request_stop(c), 0);
        QCOMPARE(qaio_continuous_state(c), QAIO_RUN_IDLE);
        // RUNNING
        QCOMPARE(qaio_continuous_start(c), 0);
        QCOMPARE(qaio_continuous_state(c), QAIO_RUN_RUNNING);
        QCOMPARE(qaio_continuous_start(c), int(QAIO_EALREADY));
        QCOMPARE(qaio_continuous_resume(c), int(QAIO_EINVAL));
        QVERIFY(runUntil([&] { return log.ks.size() >= 2; }));
        QCOMPARE(qaio_continuous_restart(c), 0);
        QCOMPARE(qaio_continuous_count(c), 0u);
        // PAUSED
        QCOMPARE(qaio_continuous_pause(c), 0);
        QCOMPARE(qaio_continuous_state(c), QAIO_RUN_PAUSED);
        QCOMPARE(qaio_continuous_pause(c), int(QAIO_EINVAL));
        QCOMPARE(qaio_continuous_start(c), int(QAIO_EALREADY));
        QCOMPARE(qaio_continuous_resume(c), 0);
        QCOMPARE(qaio_continuous_state(c), QAIO_RUN_RUNNING);
        QCOMPARE(qaio_continuous_pause(c), 0);
        QCOMPARE(qaio_continuous_restart(c), 0); // restart also un-pauses
        QCOMPARE(qaio_continuous_state(c), QAIO_RUN_RUNNING);
        // STOPPING
        QCOMPARE(qaio_continuous_request_stop(c), 0);
        QCOMPARE(qaio_continuous_state(c), QAIO_RUN_STOPPING);
        QCOMPARE(qaio_continuous_pause(c), int(QAIO_EINVAL));
        QCOMPARE(qaio_continuous_resume(c), int(QAIO_EINVAL));
        QCOMPARE(qaio_continuous_restart(c), int(QAIO_EINVAL));
        QCOMPARE(qaio_continuous_request_stop(c), 0); // already stopping
        QCOMPARE(qaio_continuous_state(c), QAIO_RUN_STOPPING);
        QVERIFY(log.finished.empty());
        QVERIFY(runUntil([&] { return !log.finished.empty(); }));
        QCOMPARE(log.finished, std::vector<int>{int(QAIO_ECANCELED)});
        QCOMPARE(qaio_continuous_state(c), QAIO_RUN_IDLE);
        qaio_continuous_free(c);
        QCOMPARE(qaio_instrument_free(sc), 0);
    }

    void requestedStopReturnsBeforeTheRunEnds()
    {
        // What a GUI slot needs: the call returns at once, the run is still
        // unwinding (the instrument busy), and finished says when it ended.
        qaio_instrument *sc = scope(0.02);
        Log log;
        qaio_run_options o = options(&log, 8);
        qaio_continuous *c = qaio_continuous_new(sc, &o);
        QCOMPARE(qaio_continuous_start(c), 0);
        QVERIFY(runUntil([&] { return log.ks.size() >= 1; }));
        QCOMPARE(qaio_continuous_request_stop(c), 0);
        QCOMPARE(qaio_continuous_state(c), QAIO_RUN_STOPPING);
        QVERIFY(log.finished.empty());
        QCOMPARE(qaio_instrument_free(sc), int(QAIO_EBUSY));
        QVERIFY(runUntil([&] { return log.finished.size() == 1; }));
        QCOMPARE(log.finished[0], int(QAIO_ECANCELED));
        QCOMPARE(qaio_continuous_state(c), QAIO_RUN_IDLE);
        qaio_continuous_free(c);
        QCOMPARE(qaio_instrument_free(sc), 0);
    }

    void startWhileStoppingRunsOnInANewTask()
    {
        qaio_instrument *sc = scope(0.005);
        Log log;
        qaio_run_options o = options(&log, 4);
        qaio_continuous *c = qaio_continuous_new(sc, &o);
        QCOMPARE(qaio_continuous_start(c), 0);
        QVERIFY(runUntil([&] { return log.ks.size() >= 3; }));
        QCOMPARE(qaio_continuous_request_stop(c), 0);
        QCOMPARE(qaio_continuous_start(c), 0);
        QCOMPARE(qaio_continuous_state(c), QAIO_RUN_STARTING);
        QCOMPARE(qaio_continuous_start(c), 0); // still starting
        QCOMPARE(qaio_continuous_pause(c), int(QAIO_EINVAL));
        QCOMPARE(qaio_continuous_restart(c), int(QAIO_EINVAL));
        size_t seen = log.ks.size();
        QVERIFY(runUntil([&] { return qaio_continuous_state(c) == QAIO_RUN_RUNNING; }));
        QVERIFY(runUntil([&] { return log.ks.size() >= seen + 2 && log.ks.back() >= 2; }));
        QVERIFY(log.finished.empty()); // the old task's end is not an end of the run
        // A fresh average: the first frame of the new task counts from 1.
        bool restarted = false;
        for (size_t i = seen; i < log.ks.size(); i++)
            restarted |= log.ks[i] == 1;
        QVERIFY(restarted);
        // Stop while starting: no new task.
        QCOMPARE(qaio_continuous_request_stop(c), 0);
        QCOMPARE(qaio_continuous_start(c), 0);
        QCOMPARE(qaio_continuous_request_stop(c), 0);
        QCOMPARE(qaio_continuous_state(c), QAIO_RUN_STOPPING);
        QVERIFY(runUntil([&] { return log.finished.size() == 1; }));
        QCOMPARE(qaio_continuous_state(c), QAIO_RUN_IDLE);
        qaio_continuous_free(c);
        QCOMPARE(qaio_instrument_free(sc), 0);
    }

    void failedRunStartsAgain()
    {
        // Single-trigger mode: the second record fails with EAGAIN.
        qaio_instrument *sc = scope();
        qaio_scope_set_signal(sc, 1, "sine freq=1e4", nullptr, 0); // edges to trigger on
        qaio_scope_settings s;
        qaio_scope_get_settings(sc, &s);
        s.trigger = QAIO_TRIG_SINGLE;
        qaio_scope_set_settings(sc, &s);
        Log log;
        qaio_run_options o = options(&log, 4);
        qaio_continuous *c = qaio_continuous_new(sc, &o);
        QCOMPARE(qaio_continuous_start(c), 0);
        QVERIFY(runUntil([&] { return log.finished.size() == 1; }));
        QCOMPARE(log.finished[0], int(QAIO_EAGAIN));
        QCOMPARE(qaio_continuous_state(c), QAIO_RUN_FAILED);
        QCOMPARE(qaio_continuous_error(c), int(QAIO_EAGAIN));
        QCOMPARE(log.ks, std::vector<unsigned>{1}); // the one record was shown
        QCOMPARE(qaio_continuous_pause(c), int(QAIO_EINVAL));
        QCOMPARE(qaio_continuous_request_stop(c), 0);
        QCOMPARE(qaio_continuous_state(c), QAIO_RUN_FAILED);
        QCOMPARE(qaio_scope_arm(sc), 0);
        QCOMPARE(qaio_continuous_start(c), 0); // from FAILED: a new run
        QCOMPARE(qaio_continuous_error(c), 0);
        QVERIFY(runUntil([&] { return log.finished.size() == 2; }));
        QCOMPARE(qaio_continuous_state(c), QAIO_RUN_FAILED);
        qaio_continuous_free(c);
        QCOMPARE(qaio_instrument_free(sc), 0);
    }

    void framesAtMostOnePerIntervalAndTheLastRecordShown()
    {
        // ~2 ms records, 50 ms frames: many records per frame.
        qaio_instrument *sc = scope(0.002);
        Log log;
        qaio_run_options o = options(&log, 1000, 0.05);
        qaio_continuous *c = qaio_continuous_new(sc, &o);
        QElapsedTimer t;
        t.start();
        QCOMPARE(qaio_continuous_start(c), 0);
        QCOMPARE(qaio_sleep(0.4), 0);
        QCOMPARE(qaio_continuous_request_stop(c), 0);
        QVERIFY(runUntil([&] { return log.finished.size() == 1; }));
        double elapsed = t.elapsed() / 1e3;
        unsigned k = qaio_continuous_count(c);
        // One frame at the start, one per 50 ms, one at the stop.
        QVERIFY2(log.ks.size() >= 3 && log.ks.size() <= elapsed / 0.05 + 2,
                 qPrintable(QStringLiteral("%1 frames in %2 s").arg(log.ks.size()).arg(elapsed)));
        QVERIFY2(k > log.ks.size(), qPrintable(QStringLiteral("%1 records").arg(k)));
        for (size_t i = 1; i < log.records.size(); i++)
            QVERIFY(log.records[i] > log.records[i - 1]);
        QCOMPARE(log.ks.back(), k); // the last record reached the screen
        QCOMPARE(log.records.back(), (unsigned long long)k);
        qaio_continuous_free(c);
        QCOMPARE(qaio_instrument_free(sc), 0);
    }

    void lateFrameComesFromTheTimer()
    {
        // Records every 80 ms, frames at most every 100 ms: record 2 (at
        // 160 ms) is too soon for a frame, and is shown by the timer at
        // 180 ms -- not with record 3 at 240 ms.
        qaio_instrument *sc = scope(0.08);
        Log log;
        qaio_run_options o = options(&log, 4, 0.1);
        qaio_continuous *c = qaio_continuous_new(sc, &o);
        QCOMPARE(qaio_continuous_start(c), 0);
        QVERIFY(runUntil([&] { return log.ks.size() >= 2; }));
        QCOMPARE(log.ks[0], 1u); // the first frame: at once
        QCOMPARE(log.ks[1], 2u); // record 2 by the timer
        qaio_continuous_free(c);
        QCOMPARE(qaio_instrument_free(sc), 0);
    }

    void singleBlockAndTheAnalyzersTwoCurves()
    {
        qaio_instrument *sc = scope(0, 1024);
        qaio_instrument *sa = qaio_spectrum_analyzer_new(sc, nullptr);
        QCOMPARE(qaio_spectrum_analyzer_keep_source_average(sa, true), 0);
        Log log;
        qaio_run_options o = options(&log, 5, 10); // frames only at the start and the end
        o.single_block = true;
        qaio_continuous *c = qaio_continuous_new(sa, &o);
        QCOMPARE(qaio_continuous_start(c), 0);
        QVERIFY(runUntil([&] { return log.finished.size() == 1; }));
        QCOMPARE(log.finished[0], 0);
        QCOMPARE(qaio_continuous_state(c), QAIO_RUN_IDLE);
        QCOMPARE(log.ks, (std::vector<unsigned>{1, 5}));
        QCOMPARE(log.sourcePoints, (std::vector<size_t>{1024, 1024})); // the scope view came along
        const int f = QAIO_DOMAIN_FREQUENCY, t = QAIO_DOMAIN_TIME;
        QCOMPARE(log.domains, (std::vector<int>{f, t, f, t})); // each says what it is
        // Stop from inside a frame: the run ends after the callback.
        log = Log();
        o = options(&log, 100);
        QCOMPARE(qaio_continuous_set_options(c, &o), 0);
        log.onFrame = [&] {
            if (log.ks.size() == 3)
                qaio_continuous_request_stop(c);
        };
        QCOMPARE(qaio_continuous_start(c), 0);
        QVERIFY(runUntil([&] { return log.finished.size() == 1; }));
        QCOMPARE(log.ks.size(), size_t(3));
        qaio_continuous_free(c);
        QCOMPARE(qaio_instrument_free(sa), 0);
        QCOMPARE(qaio_instrument_free(sc), 0);
    }

    // Records this large are folded into the averages on executor workers,
    // while the loop thread may read the source average: each read during
    // the run gives a whole curve of the record's shape (and TSan sees no
    // memory shared without a lock).
    void sourceAverageReadWhileWorkersFoldRecordsIn()
    {
        const size_t n = size_t(1) << 17; // the size from which records go to a worker
        qaio_instrument *sc = scope(0, n);
        qaio_instrument *sa = qaio_spectrum_analyzer_new(sc, nullptr);
        QCOMPARE(qaio_spectrum_analyzer_keep_source_average(sa, true), 0);
        Log log;
        qaio_run_options o = options(&log, 6);
        o.single_block = true; // ends after 6 records
        qaio_continuous *c = qaio_continuous_new(sa, &o);
        QCOMPARE(qaio_continuous_start(c), 0);
        qaio_trace *t = qaio_trace_new(1, 1);
        int reads = 0, whole = 0;
        int err = inTask([&] {
            while (log.finished.empty()) {
                int r = qaio_spectrum_analyzer_read_source_average(sa, t);
                if (r != 0 && r != QAIO_EAGAIN)
                    return r;
                reads++;
                whole += r == 0 && t->n == n;
                if ((r = qaio_sleep(0.0005)) != 0)
                    return r;
            }
            return 0;
        });
        QCOMPARE(err, 0);
        QCOMPARE(log.finished, std::vector<int>{0});
        qInfo("%d reads during the run, %d of them a whole curve", reads, whole);
        QVERIFY(whole > 0);
        QCOMPARE(qaio_spectrum_analyzer_read_source_average(sa, t), 0);
        QCOMPARE(t->n, n);
        qaio_trace_free(t);
        qaio_continuous_free(c);
        QCOMPARE(qaio_instrument_free(sa), 0);
        QCOMPARE(qaio_instrument_free(sc), 0);
    }

    void badFrameInterval()
    {
        qaio_instrument *sc = scope();
        Log log;
        qaio_run_options o = options(&log, 1, -1);
        QVERIFY(!qaio_continuous_new(sc, &o));
        o.frame_interval_s = NAN;
        QVERIFY(!qaio_continuous_new(sc, &o));
        QCOMPARE(qaio_instrument_free(sc), 0);
    }
};

QTEST_GUILESS_MAIN(TestInstrContinuous)
#include "test_instr_continuous.moc"
