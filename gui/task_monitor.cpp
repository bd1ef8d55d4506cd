#include "task_monitor.h"

#include <QHeaderView>
#include <QMainWindow>
#include <QMenuBar>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <qaio/introspect.h>

namespace {
QStringList row(const qaio_task_info &t)
{
    QString state = QString::fromLatin1(qaio_task_state_name(t.state));
    if (t.cancelling)
        state += QStringLiteral(" (cancelling)");
    QString what, waited, deadline;
    if (t.state == QAIO_TASK_WAITING) {
        what = QString::fromLatin1(qaio_wait_kind_name(t.wait));
        if (t.object_name[0])
            what += QStringLiteral(" '%1'").arg(QString::fromUtf8(t.object_name));
        waited = QString::number(t.waited_s, 'f', 1);
        deadline = t.timeout_s < 0 ? QStringLiteral("none") : QString::number(t.timeout_s, 'f', 1);
    }
    QString where;
    if (t.file)
        where = QStringLiteral("%1:%2 (%3)").arg(QString::fromUtf8(t.file)).arg(t.line)
                    .arg(QString::fromUtf8(t.func ? t.func : "?"));
    return {QString::fromUtf8(t.name), state, what, waited, deadline, where};
}
} // namespace

TaskMonitor::TaskMonitor(QWidget *parent) : QDialog(parent), tree_(new QTreeWidget(this))
{
    setWindowTitle(tr("qaio tasks"));
    tree_->setRootIsDecorated(false);
    tree_->setHeaderLabels({tr("Task"), tr("State"), tr("Waits on"), tr("For (s)"),
                            tr("Deadline in (s)"), tr("Where")});
    tree_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(tree_);
    resize(800, 300);
    timer_.setInterval(500);
    connect(&timer_, &QTimer::timeout, this, &TaskMonitor::refresh);
}

void TaskMonitor::addMenu(QMainWindow *w)
{
    QMenu *debug = w->menuBar()->addMenu(tr("&Debug"));
    TaskMonitor *monitor = nullptr;
    debug->addAction(tr("Tasks..."), w, [w, monitor]() mutable {
        if (!monitor)
            monitor = new TaskMonitor(w);
        monitor->show();
        monitor->raise();
    }, QKeySequence(Qt::CTRL + Qt::SHIFT + Qt::Key_D));
}

void TaskMonitor::refresh()
{
    qaio_task_info *infos = nullptr;
    size_t n = 0;
    if (qaio_loop_tasks(qaio_loop_get(), &infos, &n) != 0)
        return; // closed loop: keep the last picture
    // Rebuilt each time: a debug view of a few dozen tasks, twice a second.
    tree_->clear();
    for (size_t i = 0; i < n; i++)
        new QTreeWidgetItem(tree_, row(infos[i]));
    qaio_task_info_free(infos, n);
}

void TaskMonitor::showEvent(QShowEvent *e)
{
    refresh();
    timer_.start();
    QDialog::showEvent(e);
}

void TaskMonitor::hideEvent(QHideEvent *e)
{
    timer_.stop();
    QDialog::hideEvent(e);
}
