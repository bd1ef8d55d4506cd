// The bad-input audit's runner (see audit.h): makes the objects the rows
// call functions on, runs the rows of libqaio's headers (libqaio) and of
// the instrument library's (instr, when built with it), and checks the
// rows against the functions the headers declare.
#ifdef QAIO_AUDIT_INSTR
#include "audit_instr.h"
#else
#include "audit.h"
#endif

#include <QDir>
#include <QHash>
#include <QSet>
#include <QTimer>

World W, X;
qaio_future *closedTask;
QTemporaryDir *tmp;
QObject *qobj;
int regularFd = -1;
#ifdef QAIO_AUDIT_INSTR
Instr I;
#endif

namespace {

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

// The headers this build audits: libqaio's (but qobject.h and http.h where
// the library under test has no Qt shim: the poll backend) and the
// instrument library's when it is built.
#ifdef QAIO_TEST_POLL
constexpr bool kQtShim = false;
#else
constexpr bool kQtShim = true;
#endif
#ifdef QAIO_AUDIT_INSTR
constexpr bool kInstr = true;
#else
constexpr bool kInstr = false;
#endif
bool audited(const QString &header)
{
    return (kQtShim || (header != "qobject.h" && header != "http.h")) &&
           (kInstr || !header.startsWith("instr/"));
}

// The functions the audited headers declare, each with its header
// ("loop.h", "instr/scope.h"): every identifier qaio_... followed by '('
// outside comments (function-pointer typedefs read `(*qaio_name)(` and do
// not match). A scanner rather than QRegularExpression: valgrind reports
// reads of its JIT code.
QHash<QString, QString> declaredFunctions()
{
    QHash<QString, QString> names;
    auto word = [](char c) { return isalnum((unsigned char)c) || c == '_'; };
    const struct {
        const char *dir, *prefix;
    } dirs[] = {{QAIO_INCLUDE_DIR "/qaio", ""},
                {QAIO_INCLUDE_DIR "/qaio/instr", "instr/"},
                {QAIO_GENERATED_INCLUDE_DIR "/qaio", ""}};
    for (const auto &sub : dirs) {
        QDir dir(QString::fromUtf8(sub.dir));
        for (const QString &name : dir.entryList(QDir::Files)) { // (name filters are regexes too)
            QString header = sub.prefix + name;
            if (!name.endsWith(".h") || !audited(header))
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
                    names.insert(QString::fromLatin1(t.mid(i, j - i)), header);
            }
        }
    }
    return names;
}

// One data row per function of the headers whose name starts (instr) or
// does not start (libqaio) with "instr/".
void addRows(bool instr)
{
    QTest::addColumn<const Row *>("row");
    for (const HeaderRows &h : auditTable())
        if (QString(h.header).startsWith("instr/") == instr)
            for (size_t i = 0; i < h.count; i++)
                QTest::newRow(h.rows[i].fn) << &h.rows[i];
}

} // namespace

Q_DECLARE_METATYPE(const Row *)

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
#ifdef QAIO_AUDIT_INSTR
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
#endif
    }

    // libqaio's headers: include/qaio/*.h.
    void libqaio_data() { addRows(false); }
    void libqaio()
    {
        QFETCH(const Row *, row);
        row->check();
    }

#ifdef QAIO_AUDIT_INSTR
    // The instrument library's: include/qaio/instr/*.h.
    void instr_data() { addRows(true); }
    void instr()
    {
        QFETCH(const Row *, row);
        row->check();
    }
#endif

    // A public function without a row fails here, and so do a row whose
    // function is gone and a row in another header's file.
    void everyDeclaredFunctionHasARow()
    {
        QHash<QString, QString> declared = declaredFunctions();
        QVERIFY2(declared.size() > 50, "the headers were not found");
        QSet<QString> covered;
        QStringList misplaced;
        for (const HeaderRows &h : auditTable()) {
            for (size_t i = 0; i < h.count; i++) {
                const char *fn = h.rows[i].fn;
                QVERIFY2(!covered.contains(fn), fn); // one row each
                covered << fn;
                if (declared.contains(fn) && declared.value(fn) != h.header)
                    misplaced << QString("%1 (in %2's file, declared in %3)")
                                     .arg(fn, h.header, declared.value(fn));
            }
        }
        QSet<QString> names(declared.keyBegin(), declared.keyEnd());
        QStringList missing = (names - covered).values(), stale = (covered - names).values();
        missing.sort();
        stale.sort();
        QVERIFY2(missing.isEmpty(), qPrintable("no row for: " + missing.join(", ")));
        QVERIFY2(stale.isEmpty(), qPrintable("not declared any more: " + stale.join(", ")));
        QVERIFY2(misplaced.isEmpty(), qPrintable("row in the wrong file: " + misplaced.join(", ")));
    }

    void cleanupTestCase()
    {
#ifdef QAIO_AUDIT_INSTR
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
#endif
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
#include "main.moc"
