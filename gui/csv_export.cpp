#include "csv_export.h"

#include <QFile>
#include <QSaveFile>
#include <QTextStream>

namespace {
QString columnName(const qaio_trace *t, size_t c)
{
    QString unit = QString::fromLatin1(t->y_unit[0] ? t->y_unit : "V");
    int ch = t->channel[c] > 0 ? t->channel[c] : int(c) + 1;
    return QStringLiteral("ch%1_%2").arg(ch).arg(unit.replace('/', '_'));
}
}

bool writeTraceCsv(const QString &path, const qaio_trace *t, const QString &header, QString *error)
{
    if (!t || t->n == 0) {
        *error = QStringLiteral("nothing to export yet");
        return false;
    }
    // Written whole or not at all: a failed export never leaves half a file.
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Text)) {
        *error = f.errorString();
        return false;
    }
    QTextStream out(&f);
    out << header;
    out << "# averages_done: " << t->averages << "\n";
    if (t->enbw_hz > 0)
        out << "# enbw_hz: " << QString::number(t->enbw_hz, 'g', 9) << "\n";
    bool hz = QByteArray(t->x_unit) == "Hz";
    out << (hz ? "frequency_Hz" : "time_s");
    for (size_t c = 0; c < t->nch; c++)
        out << ',' << columnName(t, c);
    out << '\n';
    for (size_t i = 0; i < t->n; i++) {
        out << QString::number(qaio_trace_x(t, i), 'g', 12);
        for (size_t c = 0; c < t->nch; c++)
            out << ',' << QString::number(double(t->y[c][i]), 'g', 9);
        out << '\n';
    }
    out.flush();
    if (!f.commit()) {
        *error = f.errorString();
        return false;
    }
    return true;
}

bool readCsv(const QString &path, CsvTable *out, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error = f.errorString();
        return false;
    }
    *out = CsvTable();
    QTextStream in(&f);
    int line = 0;
    while (!in.atEnd()) {
        QString l = in.readLine();
        line++;
        if (l.startsWith("# ")) {
            out->settings << l.mid(2);
        } else if (out->columns.isEmpty()) {
            out->columns = l.split(',');
        } else if (!l.isEmpty()) {
            QStringList cells = l.split(',');
            if (cells.size() != out->columns.size()) {
                *error = QStringLiteral("line %1: %2 cells, expected %3").arg(line).arg(cells.size()).arg(out->columns.size());
                return false;
            }
            QVector<double> row;
            for (const QString &c : cells) {
                bool ok;
                row << c.toDouble(&ok);
                if (!ok) {
                    *error = QStringLiteral("line %1: '%2' is not a number").arg(line).arg(c);
                    return false;
                }
            }
            out->rows << row;
        }
    }
    if (out->columns.isEmpty()) {
        *error = QStringLiteral("no header row");
        return false;
    }
    return true;
}
