// Curves to CSV and back, in qaio-acquire's layout: "# key: value" settings
// lines, a header row, then one row per point (x, then one column per
// channel). Values are written with 9 significant digits: a float survives
// the round trip exactly.
#pragma once

#include <QString>
#include <QStringList>
#include <QVector>
#include <qaio/instr.h>

// Writes t to path with `header` (complete "# ..." lines) first. False with
// a reason in *error when the file cannot be written.
bool writeTraceCsv(const QString &path, const qaio_trace *t, const QString &header, QString *error);

struct CsvTable {
    QStringList settings;     // the "# key: value" lines, without "# "
    QStringList columns;      // the header row
    QVector<QVector<double>> rows;
};

// Reads a file written by writeTraceCsv (or qaio-acquire). False with a
// reason on a malformed file.
bool readCsv(const QString &path, CsvTable *out, QString *error);
