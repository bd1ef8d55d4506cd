// Fuzzes the viewer's CSV reader (gui/csv_export.cpp, readCsv) and its
// round trip with writeTraceCsv. C++ because the code under test is Qt
// (Core only: QFile, QTextStream), and nothing else of the GUI is built.
//
// Input: a mode byte. Even: the rest is a file for readCsv, which must
// either refuse it with a reason or return a table whose every data row
// has one cell per column. Odd: the rest makes a trace (channels, then
// float32 values), written with writeTraceCsv and read back: same shape,
// every value the same float (NaN as NaN), the averages line kept.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "csv_export.h"

#define CHECK(c) ((c) ? (void)0 : abort())

namespace {
QString path;

bool sameFloat(float a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || a == float(b);
}

void parseFile(const uint8_t *data, size_t size)
{
    QFile f(path);
    CHECK(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    CHECK(f.write(reinterpret_cast<const char *>(data), qint64(size)) == qint64(size));
    f.close();
    CsvTable t;
    QString error;
    if (!readCsv(path, &t, &error)) {
        CHECK(!error.isEmpty());
        return;
    }
    CHECK(!t.columns.isEmpty());
    for (const QVector<double> &row : t.rows)
        CHECK(row.size() == t.columns.size());
}

void roundTrip(const uint8_t *data, size_t size)
{
    if (size < 1)
        return;
    size_t nch = data[0] % QAIO_TRACE_MAX_CHANNELS + 1;
    size_t n = (size - 1) / (4 * nch);
    if (n == 0)
        return;
    qaio_trace *t = qaio_trace_new(n, nch);
    CHECK(t);
    static const char *const units[] = {"V", "dBV", "V/sqrt(Hz)", ""};
    strcpy(t->y_unit, units[data[0] >> 4 & 3]);
    strcpy(t->x_unit, data[0] & 0x40 ? "Hz" : "s");
    t->averages = data[0];
    t->dx = 1e-6;
    for (size_t c = 0; c < nch; c++)
        for (size_t i = 0; i < n; i++)
            memcpy(&t->y[c][i], data + 1 + 4 * (c * n + i), 4);
    QString error;
    CHECK(writeTraceCsv(path, t, QStringLiteral("# source: fuzz\n"), &error));
    CsvTable table;
    CHECK(readCsv(path, &table, &error));
    CHECK(size_t(table.columns.size()) == nch + 1);
    CHECK(size_t(table.rows.size()) == n);
    CHECK(table.settings.contains(QStringLiteral("averages_done: %1").arg(t->averages)));
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < nch; c++)
            CHECK(sameFloat(t->y[c][i], table.rows[int(i)][int(c) + 1]));
    qaio_trace_free(t);
}
}

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    // tmpfs when there is one: a file per run.
    static QTemporaryDir dir(QDir(QStringLiteral("/dev/shm")).exists() ? QStringLiteral("/dev/shm/qaio-fuzz-csv-XXXXXX")
                                                      : QDir::tempPath() + "/qaio-fuzz-csv-XXXXXX");
    CHECK(dir.isValid());
    path = dir.filePath(QStringLiteral("trace.csv"));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (data[0] & 1)
        roundTrip(data + 1, size - 1);
    else
        parseFile(data + 1, size - 1);
    return 0;
}
