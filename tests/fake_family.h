// A scripted instrument for the family tests' failure paths: a qaio server
// on 127.0.0.1 that answers each received line with the answer of the
// first rule whose key the line contains (raw bytes, terminators
// included), and nothing when no rule matches. A rule's answer may be
// followed by closing the connection.
#pragma once

#include <QByteArray>
#include <QList>
#include <qaio.h>

struct ScriptFake {
    struct Rule {
        QByteArray key, answer;
        bool close;
    };
    QList<Rule> rules;
    QList<QByteArray> lines;
    qaio_server *srv = nullptr;

    ScriptFake() { qaio_start_server(qaio_loop_get(), nullptr, 0, handler, this, &srv); }
    ~ScriptFake() { qaio_server_close(srv); }
    int port() const { return qaio_server_port(srv); }
    QByteArray address() const { return "127.0.0.1:" + QByteArray::number(port()); }
    ScriptFake &on(const QByteArray &key, const QByteArray &answer, bool close = false)
    {
        rules.append({key, answer, close});
        return *this;
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
            for (const Rule &r : f->rules) {
                if (!l.contains(r.key))
                    continue;
                if (!r.answer.isEmpty())
                    qaio_stream_write(c, r.answer.constData(), size_t(r.answer.size()));
                if (r.close) {
                    qaio_stream_drain(c, 5);
                    return 0;
                }
                break;
            }
        }
    }
};
