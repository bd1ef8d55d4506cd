// HTTP requests as futures (qaio/http.h) against examples/http_server, a
// qaio HTTP server on 127.0.0.1 in a process of its own: methods, headers,
// statuses, redirects, concurrency, timeouts, cancellation, bodies over the
// limit, servers that stall or close early, and the three ways to wait
// (a task, plain code on the loop thread, another thread).
#include "testutil.h"

#include <QProcess>
#include <QRegularExpression>
#include <cmath>
#include <sys/socket.h>
#include <netinet/in.h>
#include <thread>
#include <unistd.h>

namespace {

struct Result {
    int err = 0;
    QByteArray message;
    int status = 0;
    QByteArray body, url;
    QMap<QByteArray, QByteArray> headers; // lower-case names
};

// Waits for fut from plain code (a nested loop) and copies what it gave.
Result take(qaio_future *fut)
{
    Result res;
    if (!fut) {
        res.err = -errno;
        return res;
    }
    qaio_http_response *r = nullptr;
    res.err = qaio_future_result_timeout(fut, 30.0, reinterpret_cast<void **>(&r));
    if (res.err) {
        res.message = qaio_future_error_message(fut);
    } else {
        res.status = qaio_http_response_status(r);
        size_t len;
        const char *body = qaio_http_response_body(r, &len);
        res.body = QByteArray(body, int(len));
        res.url = qaio_http_response_url(r);
        for (size_t i = 0; i < qaio_http_response_header_count(r); i++) {
            const char *name, *value;
            qaio_http_response_header_at(r, i, &name, &value);
            res.headers.insert(QByteArray(name).toLower(), value);
        }
    }
    qaio_future_unref(fut);
    return res;
}

} // namespace

class TestHttp : public QObject {
    Q_OBJECT

    qaio_loop *loop = nullptr;
    QProcess server;
    QByteArray serverOut; // what the server printed after its first line
    QByteArray base;

    QByteArray url(const char *path) const { return base + path; }

    Result get(const char *path, const qaio_http_options *o = nullptr)
    {
        return take(qaio_http_get(loop, url(path).constData(), o));
    }

    // Waits until the server printed a line matching re; returns it.
    QString serverSays(const QRegularExpression &re, int timeoutMs = 10000)
    {
        QString found;
        runUntil(
            [&] {
                serverOut += server.readAllStandardOutput();
                auto m = re.match(QString::fromUtf8(serverOut));
                if (m.hasMatch())
                    found = m.captured(0);
                return m.hasMatch();
            },
            timeoutMs);
        return found;
    }

private slots:
    void initTestCase()
    {
        loop = qaio_loop_get();
        QVERIFY(loop);
        server.setProgram(QStringLiteral(HTTP_SERVER));
        server.setArguments({QStringLiteral("0")});
        server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        server.start();
        QVERIFY(server.waitForStarted());
        QVERIFY(server.waitForReadyRead(10000));
        QByteArray line = server.readLine().trimmed();
        QVERIFY2(line.startsWith("Serving on 127.0.0.1:"), line.constData());
        base = "http://" + line.mid(int(strlen("Serving on ")));
    }

    void cleanupTestCase()
    {
        server.terminate();
        QVERIFY(server.waitForFinished(10000));
        qaio_loop_close(loop);
    }

    void getGivesStatusHeadersAndBody()
    {
        Result r = get("/page/7");
        QCOMPARE(r.err, 0);
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.contains("<title>News 7</title>"));
        QCOMPARE(r.headers.value("content-type"), QByteArray("text/html"));
        QCOMPARE(r.headers.value("content-length").toInt(), r.body.size());
        QCOMPARE(r.url, url("/page/7"));

        qaio_future *f = qaio_http_get(loop, url("/page/7").constData(), nullptr);
        qaio_http_response *resp;
        QCOMPARE(qaio_future_result(f, reinterpret_cast<void **>(&resp)), 0);
        QCOMPARE(QByteArray(qaio_http_response_reason(resp)), QByteArray("OK"));
        QCOMPARE(QByteArray(qaio_http_response_header(resp, "CONTENT-type")), QByteArray("text/html"));
        QVERIFY(!qaio_http_response_header(resp, "X-Not-There"));
        QCOMPARE(qaio_http_response_header_at(resp, qaio_http_response_header_count(resp), nullptr,
                                              nullptr),
                 int(QAIO_EINVAL));
        // A reference of our own keeps the response after its future.
        QCOMPARE(qaio_http_response_ref(resp), resp);
        qaio_future_unref(f);
        QCOMPARE(qaio_http_response_status(resp), 200);
        size_t len;
        QVERIFY(strstr(qaio_http_response_body(resp, &len), "News 7"));
        qaio_http_response_unref(resp);
    }

    void methodsHeadersAndBodiesReachTheServer()
    {
        const char *headers[] = {"X-One", "1", "X-Two", "two words", nullptr};
        qaio_http_options o{};
        o.headers = headers;
        Result r = take(qaio_http_post(loop, url("/echo").constData(), "text/plain", "hello", 5, &o));
        QCOMPARE(r.err, 0);
        QCOMPARE(r.status, 200);
        QVERIFY2(r.body.startsWith("POST /echo\n"), r.body.constData());
        QVERIFY(r.body.contains("\nX-One: 1\r\n"));
        QVERIFY(r.body.contains("\nX-Two: two words\r\n"));
        QVERIFY(r.body.contains("\nContent-Type: text/plain\r\n"));
        QVERIFY(r.body.endsWith("\r\n\nhello"));

        r = take(qaio_http_put(loop, url("/echo").constData(), nullptr, "x\0y", 3, nullptr));
        QCOMPARE(r.headers.value("x-echo-method"), QByteArray("PUT"));
        QVERIFY(r.body.contains("\nContent-Type: application/octet-stream\r\n"));
        QVERIFY(r.body.endsWith(QByteArray("\nx\0y", 4)));
        r = take(qaio_http_delete(loop, url("/echo").constData(), nullptr));
        QCOMPARE(r.headers.value("x-echo-method"), QByteArray("DELETE"));
        // HEAD: the length of a body larger than the limit, and no body.
        qaio_http_options small{};
        small.max_body = 1000;
        r = take(qaio_http_request(loop, "HEAD", url("/bytes/5000000").constData(), nullptr, 0, &small));
        QCOMPARE(r.err, 0);
        QCOMPARE(r.headers.value("content-length"), QByteArray("5000000"));
        QVERIFY(r.body.isEmpty());
        r = take(qaio_http_request(loop, "PATCH", url("/echo").constData(), "{}", 2, nullptr));
        QCOMPARE(r.headers.value("x-echo-method"), QByteArray("PATCH"));
        QVERIFY(r.body.endsWith("\n{}"));
    }

    void noCookieIsKeptBetweenRequests()
    {
        Result r = get("/cookie");
        QCOMPARE(r.headers.value("set-cookie"), QByteArray("session=1; Path=/"));
        r = get("/echo");
        QCOMPARE(r.err, 0);
        QVERIFY2(!r.body.toLower().contains("cookie"), r.body.constData());
    }

    void anyStatusIsAResponse()
    {
        for (int status : {201, 204, 400, 401, 404, 500, 503}) {
            Result r = get(QByteArray("/status/" + QByteArray::number(status)).constData());
            QCOMPARE(r.err, 0);
            QCOMPARE(r.status, status);
        }
    }

    void redirectsAreFollowedUpToTheLimit()
    {
        Result r = get("/redirect/3");
        QCOMPARE(r.err, 0);
        QCOMPARE(r.body, QByteArray("arrived\n"));
        QCOMPARE(r.url, url("/redirect/0"));

        qaio_http_options o{};
        o.max_redirects = 2;
        r = get("/redirect/3", &o);
        QCOMPARE(r.err, int(QAIO_ELOOP));
        o.max_redirects = 3;
        QCOMPARE(get("/redirect/3", &o).err, 0);
        o.max_redirects = -1; // follow none: the 302 is the answer
        r = get("/redirect/3", &o);
        QCOMPARE(r.err, 0);
        QCOMPARE(r.status, 302);
        QCOMPARE(r.headers.value("location"), QByteArray("/redirect/2"));
    }

    void aRedirectLoopFailsByName()
    {
        Result r = get("/loop");
        QCOMPARE(r.err, int(QAIO_ELOOP));
        QVERIFY(!r.message.isEmpty());
    }

    void manyRequestsAtOnce()
    {
        // 60 pages that each answer after 100 ms: one after another that
        // is 6 s; in flight together (six connections) about 1 s.
        LoopChecker checker;
        QElapsedTimer t;
        t.start();
        std::vector<qaio_future *> futs;
        for (int i = 0; i < 60; i++) {
            QByteArray path = "/page/" + QByteArray::number(i) + "?delay=100";
            futs.push_back(qaio_http_get(loop, url(path.constData()).constData(), nullptr));
        }
        for (int i = 0; i < 60; i++) {
            Result r = take(futs[size_t(i)]);
            QCOMPARE(r.err, 0);
            QVERIFY(r.body.contains("News " + QByteArray::number(i) + "</title>"));
        }
        QVERIFY2(t.elapsed() < 4000, qPrintable(QString::number(t.elapsed())));
        QVERIFY(checker.ticks() > 10);
    }

    void aSlowServerTimesOut()
    {
        qaio_http_options o{};
        o.timeout_s = 0.2;
        QElapsedTimer t;
        t.start();
        Result r = get("/page/slow?delay=5000", &o);
        QCOMPARE(r.err, int(QAIO_ETIMEDOUT));
        QVERIFY(r.message.contains("0.2 s"));
        QVERIFY(t.elapsed() < 4000);
        // The timeout bounds the whole exchange, body included.
        r = get("/stall/1000", &o);
        QCOMPARE(r.err, int(QAIO_ETIMEDOUT));
        QVERIFY(!serverSays(QRegularExpression("stall: client hung up after 1000 bytes")).isEmpty());
    }

    void cancellingMidBodyAbortsTheRequest()
    {
        serverOut.clear();
        qaio_future *f = qaio_http_get(loop, url("/stall/50000").constData(), nullptr);
        QVERIFY(f);
        qaio_sleep(0.3); // the headers and half the body arrive meanwhile
        QVERIFY(!qaio_future_done(f));
        int asked = 0; // cancelling works from any thread
        std::thread([&] { asked = qaio_future_cancel(f); }).join();
        QCOMPARE(asked, 1);
        QCOMPARE(qaio_future_result(f, nullptr), int(QAIO_ECANCELED));
        qaio_future_unref(f);
        // The server sees the connection close: nothing waits for the rest.
        QVERIFY(!serverSays(QRegularExpression("stall: client hung up after 50000 bytes")).isEmpty());
    }

    void aServerThatClosesEarlyIsAnError()
    {
        Result r = get("/close/1000");
        QCOMPARE(r.err, int(QAIO_EPIPE));
        QVERIFY(!r.message.isEmpty());
    }

    void aBodyOverTheLimitFails()
    {
        qaio_http_options o{};
        o.max_body = 1 << 20;
        // Exactly the limit is fine; one byte more is not.
        Result r = get("/bytes/1048576", &o);
        QCOMPARE(r.err, 0);
        QCOMPARE(r.body.size(), 1 << 20);
        QVERIFY(r.body.count('x') == r.body.size());
        r = get("/bytes/1048577", &o);
        QCOMPARE(r.err, int(QAIO_EMSGSIZE));

        // Without a length announced: a gigabyte, refused once 1 MiB came,
        // while the server has sent only a fraction of it. (Paced: an
        // unbroken stream may outrun Qt's read-ahead stop, see http.h.)
        serverOut.clear();
        r = get("/chunked/1000000000?pace=1", &o);
        QCOMPARE(r.err, int(QAIO_EMSGSIZE));
        QString line = serverSays(QRegularExpression("chunked: client hung up after (\\d+) of"));
        QVERIFY2(!line.isEmpty(), serverOut.constData());
        qlonglong sent = QRegularExpression("after (\\d+)").match(line).captured(1).toLongLong();
        QVERIFY2(sent < 64ll * 1024 * 1024, qPrintable(line));
    }

    void networkErrorsHaveTheirNames()
    {
        // A port nothing listens on: bind one, and close it unlistened.
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t alen = sizeof a;
        QCOMPARE(bind(fd, reinterpret_cast<sockaddr *>(&a), alen), 0);
        QCOMPARE(getsockname(fd, reinterpret_cast<sockaddr *>(&a), &alen), 0);
        QByteArray refused = "http://127.0.0.1:" + QByteArray::number(ntohs(a.sin_port)) + "/";
        ::close(fd);
        Result r = take(qaio_http_get(loop, refused.constData(), nullptr));
        QCOMPARE(r.err, int(QAIO_ECONNREFUSED));
        QVERIFY(!r.message.isEmpty());

        r = take(qaio_http_get(loop, "http://no-such-host.invalid/", nullptr));
        QCOMPARE(r.err, int(QAIO_ENOENT));

        // TLS against a plain HTTP server: the handshake fails.
        QByteArray tls = base;
        tls.replace("http://", "https://");
        r = take(qaio_http_get(loop, (tls + "/page/1").constData(), nullptr));
        QCOMPARE(r.err, qaio_http_tls_available() ? int(QAIO_EPROTO) : int(QAIO_ENOTSUP));
        QVERIFY(!r.message.isEmpty());
    }

    void aTaskAwaitsWhileTheLoopRuns()
    {
        struct Job {
            QByteArray url;
            int status = 0;
            size_t bytes = 0;
        } job{url("/page/task?delay=200"), 0, 0};
        LoopChecker checker;
        qaio_future *t = qaio_spawn(
            loop,
            [](void *arg, qaio_future *) {
                auto *j = static_cast<Job *>(arg);
                qaio_future *f = qaio_http_get(qaio_loop_get(), j->url.constData(), nullptr);
                qaio_http_response *r;
                int err = qaio_await(f, reinterpret_cast<void **>(&r));
                if (!err) {
                    j->status = qaio_http_response_status(r);
                    qaio_http_response_body(r, &j->bytes);
                }
                qaio_future_unref(f);
                return err;
            },
            &job);
        QCOMPARE(qaio_future_result(t, nullptr), 0);
        qaio_future_unref(t);
        QCOMPARE(job.status, 200);
        QVERIFY(job.bytes > 0);
        QVERIFY(checker.ticks() > 10); // the loop ran while the task waited
    }

    void cancellingTheAwaitingTaskCancelsTheRequest()
    {
        serverOut.clear();
        static QByteArray target;
        target = url("/stall/20000");
        qaio_future *t = qaio_spawn(
            loop,
            [](void *, qaio_future *) {
                qaio_future *f = qaio_http_get(qaio_loop_get(), target.constData(), nullptr);
                int err = qaio_await(f, nullptr);
                qaio_future_unref(f);
                return err;
            },
            nullptr);
        qaio_sleep(0.3);
        qaio_future_cancel(t);
        QCOMPARE(qaio_future_result(t, nullptr), int(QAIO_ECANCELED));
        qaio_future_unref(t);
        QVERIFY(!serverSays(QRegularExpression("stall: client hung up after 20000 bytes")).isEmpty());
    }

    void anotherThreadWaitsOnlyOnTheLoopsThread()
    {
        QByteArray u = url("/page/thread?delay=100");
        // Made on the loop's thread only...
        int err = 0;
        std::thread([&] {
            errno = 0;
            if (!qaio_http_get(loop, u.constData(), nullptr))
                err = errno;
        }).join();
        QCOMPARE(err, -QAIO_EWRONGTHREAD);
        // ... but waited for from anywhere (a condition variable there),
        // while this thread's loop runs.
        qaio_future *f = qaio_http_get(loop, u.constData(), nullptr);
        int status = 0;
        std::thread waiter([&] {
            qaio_http_response *r;
            if (qaio_future_result(f, reinterpret_cast<void **>(&r)) == 0)
                status = qaio_http_response_status(r);
        });
        QVERIFY(runUntil([&] { return qaio_future_done(f); }, 10000));
        waiter.join();
        QCOMPARE(status, 200);
        qaio_future_unref(f);
    }

    void aThreadWithItsOwnLoopMakesItsOwnRequests()
    {
        QByteArray u = url("/page/worker");
        Result r;
        std::thread([&] {
            qaio_loop *mine = qaio_loop_get();
            r = take(qaio_http_get(mine, u.constData(), nullptr));
            qaio_loop_close(mine);
        }).join(); // and its network manager goes with the thread
        QCOMPARE(r.err, 0);
        QVERIFY(r.body.contains("News worker"));
    }

    void badInputIsRefused()
    {
        auto refused = [](qaio_future *f) { return !f && errno == EINVAL; };
        const char *odd[] = {"X-Only-Name", nullptr};
        const char *crlf[] = {"X-A", "1\r\nX-Injected: 2", nullptr};
        qaio_http_options bad{};
        QVERIFY(refused(qaio_http_get(nullptr, "http://127.0.0.1/", nullptr)));
        QVERIFY(refused(qaio_http_get(loop, nullptr, nullptr)));
        QVERIFY(refused(qaio_http_get(loop, "ftp://127.0.0.1/", nullptr)));
        QVERIFY(refused(qaio_http_get(loop, "/relative/path", nullptr)));
        QVERIFY(refused(qaio_http_request(loop, "GET X", "http://127.0.0.1/", nullptr, 0, nullptr)));
        QVERIFY(refused(qaio_http_request(loop, "", "http://127.0.0.1/", nullptr, 0, nullptr)));
        QVERIFY(refused(qaio_http_request(loop, "POST", "http://127.0.0.1/", nullptr, 1, nullptr)));
        bad.headers = odd;
        QVERIFY(refused(qaio_http_get(loop, "http://127.0.0.1/", &bad)));
        bad.headers = crlf;
        QVERIFY(refused(qaio_http_get(loop, "http://127.0.0.1/", &bad)));
        bad.headers = nullptr;
        bad.timeout_s = NAN;
        QVERIFY(refused(qaio_http_get(loop, "http://127.0.0.1/", &bad)));
        QCOMPARE(qaio_http_response_status(nullptr), int(QAIO_EINVAL));
        size_t len = 1;
        QVERIFY(!qaio_http_response_body(nullptr, &len));
        QCOMPARE(len, size_t(0));
        QVERIFY(!qaio_http_response_header(nullptr, "a"));
        qaio_http_response_unref(nullptr);
    }
};

QTEST_GUILESS_MAIN(TestHttp)
#include "test_http.moc"
