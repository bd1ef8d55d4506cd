// Drags the line of a plot marker (a cursor, the trigger level) with the
// left button: a press within a few pixels of a visible line takes the
// drag from the zoomer's rubber band, moves the marker as the pointer
// moves, and reports each position and the release.
#pragma once

#include <QObject>
#include <functional>
#include <vector>

class QwtPlot;
class QwtPlotMarker;

class LineDragger : public QObject {
    Q_OBJECT
public:
    // Filters plot's canvas; install it after the plot's pickers so it sees
    // a press first.
    explicit LineDragger(QwtPlot *plot);

    // m (a HLine or a VLine marker of the plot, not owned): moved calls
    // with its new plot coordinate (y for a HLine, x for a VLine) while
    // dragged; finished (may be empty) at the release.
    void add(QwtPlotMarker *m, std::function<void(double)> moved, std::function<void(double)> finished = {});
    bool dragging() const { return active_ >= 0; }

protected:
    bool eventFilter(QObject *o, QEvent *e) override;

private:
    struct Line {
        QwtPlotMarker *marker;
        std::function<void(double)> moved, finished;
    };
    int lineAt(const QPointF &pos) const;
    double coordinate(const Line &l, const QPointF &pos) const;

    QwtPlot *plot_;
    // The canvas filtered, kept here: while the plot is being destroyed its
    // canvas still gets events (its pickers' destructors send them), and
    // plot_->canvas() may no longer be asked.
    QWidget *canvas_;
    std::vector<Line> lines_;
    int active_ = -1;
};
