// The scope's automatic measurements (measure.h) under its plot: one line
// per channel shown, in the channel's colour, elided to the plot's width
// (the whole line in the tooltip). Like a bench scope it updates a few
// times a second, not at every frame: a 1M-point record takes milliseconds
// to measure, and numbers changing faster cannot be read.
#pragma once

#include <QWidget>
#include <qaio/instr.h>

class QLabel;
class QTimer;

class MeasurementsView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kIntervalMs = 250;

    explicit MeasurementsView(QWidget *parent = nullptr);

    // The scope's curve (borrowed: it must stay valid, and is read at the
    // next update) changed; an empty or NULL trace clears the lines.
    void traceChanged(const qaio_trace *scope);
    // Measures now (what the timer does).
    void refresh();

    // What slot c (0, 1) shows: the channel number (0: none), the values
    // and the whole line.
    int channel(int c) const { return channel_[c]; }
    const qaio_measurements &values(int c) const { return values_[c]; }
    QString text(int c) const { return text_[c]; }

protected:
    void resizeEvent(QResizeEvent *e) override;

private:
    void elide();

    const qaio_trace *trace_ = nullptr;
    bool dirty_ = false;
    QTimer *timer_;
    QLabel *line_[2];
    QString text_[2];
    int channel_[2] = {0, 0};
    qaio_measurements values_[2];
};
