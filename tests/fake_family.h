// A scripted instrument for the tests' failure paths: a qaio server on
// 127.0.0.1 that answers each received line by rules, then by a table.
//   - Rules, in the order given: the first whose key the line contains
//     (on) or starts with (onStart) sends its answer (raw bytes,
//     terminators included), optionally followed by closing the
//     connection.
//   - The table (answers), when a terminator (eol) is given: a query (a
//     line ending in '?') no rule took gets answers[line] -- exactly the
//     line, empty when absent -- and eol, as a real instrument answers
//     what it does not know with an empty line.
// Anything else gets no answer. Every line received is kept (trimmed).
#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <qaio.h>

struct ScriptFake {
    struct Rule {
        QByteArray key, answer;
        bool close;
        bool prefix;
    };
    QList<Rule> rules;
    QMap<QByteArray, QByteArray> answers;
    QByteArray eol;
    QList<QByteArray> lines;
    qaio_server *srv = nullptr;

    explicit ScriptFake(const QByteArray &table_eol = QByteArray()) : eol(table_eol)
    {
        qaio_start_server(qaio_loop_get(), nullptr, 0, handler, this, &srv);
    }
    ~ScriptFake() { qaio_server_close(srv); }
    int port() const { return qaio_server_port(srv); }
    QByteArray address() const { return "127.0.0.1:" + QByteArray::number(port()); }
    ScriptFake &on(const QByteArray &key, const QByteArray &answer, bool close = false)
    {
        rules.append({key, answer, close, false});
        return *this;
    }
    ScriptFake &onStart(const QByteArray &key, const QByteArray &answer)
    {
        rules.append({key, answer, false, true});
        return *this;
    }

    // The rule that takes line l, or null.
    const Rule *ruleFor(const QByteArray &l) const
    {
        for (const Rule &r : rules)
            if (r.prefix ? l.startsWith(r.key) : l.contains(r.key))
                return &r;
        return nullptr;
    }

    static int handler(qaio_stream *c, void *arg)
    {
        auto *f = static_cast<ScriptFake *>(arg);
        char line[4096];
        for (;;) {
            ssize_t n = qaio_stream_readline(c, line, sizeof line, QAIO_FOREVER);
            if (n <= 0)
                return 0;
            QByteArray l = QByteArray(line, int(n)).trimmed();
            f->lines.append(l);
            QByteArray a;
            const Rule *r = f->ruleFor(l);
            if (r)
                a = r->answer;
            else if (!f->eol.isEmpty() && l.endsWith('?'))
                a = f->answers.value(l) + f->eol;
            if (!a.isEmpty())
                qaio_stream_write(c, a.constData(), size_t(a.size()));
            if (r && r->close) {
                qaio_stream_drain(c, 5);
                return 0;
            }
        }
    }
};
