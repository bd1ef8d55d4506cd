// qaio-scope's task window (gui/task_monitor): opened by Debug > Tasks...
// (Ctrl+Shift+D), it lists the GUI thread's tasks with what each waits on
// and the file:line of the wait, and follows them while shown.
#include "testutil.h"

#include <QApplication>
#include <QMainWindow>
#include <QMenuBar>
#include <QTreeWidget>
#include "task_monitor.h"

namespace {
int sleepLine;
int napper(void *, qaio_future *) { sleepLine = __LINE__; return qaio_sleep(30); }

QTreeWidgetItem *rowNamed(QTreeWidget *t, const QString &name)
{
    for (int i = 0; i < t->topLevelItemCount(); i++)
        if (t->topLevelItem(i)->text(0) == name)
            return t->topLevelItem(i);
    return nullptr;
}
} // namespace

class TestTaskMonitor : public QObject {
    Q_OBJECT
private slots:
    void showsWhereEachTaskWaits()
    {
        QMainWindow w;
        TaskMonitor::addMenu(&w);
        QAction *open = nullptr;
        for (QAction *menu : w.menuBar()->actions())
            for (QAction *a : menu->menu()->actions())
                if (a->shortcut() == QKeySequence(Qt::CTRL + Qt::SHIFT + Qt::Key_D))
                    open = a;
        QVERIFY(open);

        qaio_loop *L = qaio_loop_get();
        qaio_future *t = qaio_spawn_named(L, "napper", 0, napper, nullptr);
        QVERIFY(runUntil([] { return sleepLine != 0; }));
        open->trigger();
        auto *monitor = w.findChild<TaskMonitor *>();
        QVERIFY(monitor && monitor->isVisible());
        QTreeWidgetItem *row = rowNamed(monitor->tree(), "napper");
        QVERIFY(row);
        QCOMPARE(row->text(1), QString("waiting"));
        QCOMPARE(row->text(2), QString("sleep"));
        QVERIFY2(row->text(5).contains(QString("test_task_monitor.cpp:%1").arg(sleepLine)),
                 qPrintable(row->text(5)));

        // It follows the loop: the finished task leaves the window by itself.
        qaio_future_cancel(t);
        qaio_future_result_timeout(t, 5, nullptr);
        qaio_future_unref(t);
        QVERIFY(runUntil([&] { return !rowNamed(monitor->tree(), "napper"); }, 3000));
    }
};

QTEST_MAIN(TestTaskMonitor)
#include "test_task_monitor.moc"
