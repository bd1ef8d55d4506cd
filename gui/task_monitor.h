// A debug window listing the GUI thread's qaio tasks: each one's state,
// what it waits on, for how long, its deadline and the source line of the
// wait (qaio_loop_tasks). Refreshed every 500 ms while it is shown, so a
// stuck acquisition shows where it is stuck without a debugger.
#pragma once

#include <QDialog>
#include <QTimer>

class QMainWindow;
class QTreeWidget;

class TaskMonitor : public QDialog {
    Q_OBJECT
public:
    explicit TaskMonitor(QWidget *parent = nullptr);

    // Adds a Debug menu with "Tasks..." (Ctrl+Shift+D) to w, opening one
    // monitor owned by w.
    static void addMenu(QMainWindow *w);

    // The tree: one row per task, columns as kColumns says.
    QTreeWidget *tree() const { return tree_; }

public slots:
    // Reads the loop's tasks again (also the timer's slot).
    void refresh();

protected:
    void showEvent(QShowEvent *e) override;
    void hideEvent(QHideEvent *e) override;

private:
    QTreeWidget *tree_;
    QTimer timer_;
};
