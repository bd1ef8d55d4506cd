// Reference traces: curves kept for comparison -- a frozen copy of the live
// curve, or any CSV that qaio-scope or qaio-acquire wrote (read with
// libqaio-instr's reader) -- drawn over the plot of their domain (time: the
// scope plot, frequency: the spectrum plot) in a dashed pen, each named in
// the legend with the settings it was taken with. Also the panel's CSV
// export, so what it writes is what it loads.
#pragma once

#include <QObject>
#include <QString>
#include <QVector>
#include <qaio/instr.h>

class QwtPlot;
class QwtPlotCurve;

class ReferenceTraces : public QObject {
    Q_OBJECT
public:
    // The plots are borrowed and must outlive this object.
    ReferenceTraces(QwtPlot *scope, QwtPlot *spectrum, QObject *parent = nullptr);
    ~ReferenceTraces() override;

    static constexpr int kMax = 8; // references kept at once; the oldest goes

    // Keeps a copy of t described by meta (NULL: no settings) over the plot
    // of t's domain. False with a reason when t is empty or has no domain.
    bool freeze(const qaio_trace *t, const qaio_csv_meta *meta, QString *error);
    // Loads a CSV file as a reference. False with the reader's reason (it
    // names the line) when the file is not one.
    bool load(const QString &path, QString *error);
    void clear();

    int count() const { return refs_.size(); }
    // Reference i's legend text, e.g. "REF1 CH1 dBV - hann, 4096 pts, 1 MS/s, 16 avg".
    QString title(int i) const;
    QwtPlot *plot(int i) const;
    // Its points per channel.
    size_t points(int i) const;

signals:
    void changed();

private:
    struct Ref {
        QVector<QwtPlotCurve *> curves;
        QwtPlot *plot;
        QString title;
        size_t n;
    };
    void add(const qaio_trace *t, const qaio_csv_meta *meta);

    QwtPlot *scope_, *spectrum_;
    QVector<Ref> refs_;
    int made_ = 0; // numbers the references REF1, REF2, ...
};

// Writes t with the header of meta to path, whole or not at all (a failed
// export never leaves half a file). False with a reason.
bool writeTraceCsv(const QString &path, const qaio_trace *t, const qaio_csv_meta *meta, QString *error);
