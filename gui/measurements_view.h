// The scope's automatic measurements (measure.h) under its plot: one line
// per channel shown, in the channel's colour, elided to the plot's width
// (the whole line in the tooltip). Like a bench scope it updates a few
// times a second, not at every frame: numbers changing faster cannot be
// read. The curve is copied and measured on a worker thread (a 1M-point
// channel takes 6-15 ms, which the loop would feel).
#pragma once

#include <QThreadPool>
#include <QWidget>
#include <memory>
#include <qaio/instr.h>

class QLabel;
class QTimer;

class MeasurementsView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kIntervalMs = 250;

    explicit MeasurementsView(QWidget *parent = nullptr);
    ~MeasurementsView() override; // waits for a measurement in progress

    // The scope's curve (borrowed: it must stay valid, and is read at the
    // next update) changed; an empty or NULL trace clears the lines.
    void traceChanged(const qaio_trace *scope);
    // Starts measuring the latest curve now (what the timer does); the
    // lines change when the worker is done.
    void refresh();

    // What slot c (0, 1) shows: the channel number (0: none), the values
    // and the whole line.
    int channel(int c) const { return channel_[c]; }
    const qaio_measurements &values(int c) const { return values_[c]; }
    QString text(int c) const { return text_[c]; }

protected:
    void resizeEvent(QResizeEvent *e) override;

private:
    struct Job;
    void show(const Job &job);
    void elide();

    const qaio_trace *trace_ = nullptr;
    bool dirty_ = false, busy_ = false;
    unsigned generation_ = 0; // a cleared view discards results in flight
    QThreadPool pool_;
    QTimer *timer_;
    QLabel *line_[2];
    QString text_[2];
    int channel_[2] = {0, 0};
    qaio_measurements values_[2];
};
