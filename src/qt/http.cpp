// HTTP requests as futures: one QNetworkReply per request, watched by an
// Exchange that completes the future and aborts the reply when the future
// is cancelled, times out or its body passes the limit.
#include "qaio/http.h"
#include "../core/core_net.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QThread>
#include <QThreadStorage>
#include <QTimer>
#include <QUrl>
#ifndef QT_NO_SSL
#include <QSslSocket>
#endif

#include <algorithm>
#include <atomic>
#include <climits>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <new>
#include <utility>
#include <vector>

struct qaio_http_response {
    std::atomic<int> refs{1};
    int status = 0;
    QByteArray reason, url, body;
    std::vector<std::pair<QByteArray, QByteArray>> headers;
};

namespace {

// Qt's network objects belong to one thread, so each thread gets its own
// manager (and with it its own pool of keep-alive connections). Never
// destroyed itself: QThreadStorage deletes a thread's manager when the
// thread ends.
QThreadStorage<QNetworkAccessManager *> *managers()
{
    static auto *m = new QThreadStorage<QNetworkAccessManager *>;
    return m;
}

// The application's thread deletes its manager first thing in the
// application's destructor: later, Qt 6's TLS backend would look for the
// application while the manager's connections close.
void dropAppManager()
{
    managers()->setLocalData(nullptr);
}

QNetworkAccessManager *manager()
{
    QNetworkAccessManager *nam = managers()->hasLocalData() ? managers()->localData() : nullptr;
    if (!nam) {
        nam = new QNetworkAccessManager;
        managers()->setLocalData(nam);
        QCoreApplication *app = QCoreApplication::instance();
        if (app && app->thread() == QThread::currentThread())
            qAddPostRoutine(dropAppManager);
    }
    return nam;
}

void unrefValue(void *r)
{
    qaio_http_response_unref(static_cast<qaio_http_response *>(r));
}

// Qt's errors in qaio's terms (see qaio/http.h for what each means).
int mapError(QNetworkReply::NetworkError e)
{
    switch (e) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::ProxyConnectionRefusedError:
        return QAIO_ECONNREFUSED;
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::ProxyConnectionClosedError:
        return QAIO_EPIPE;
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::ProxyNotFoundError:
        return QAIO_ENOENT;
    case QNetworkReply::TimeoutError:
    case QNetworkReply::ProxyTimeoutError:
        return QAIO_ETIMEDOUT;
    case QNetworkReply::SslHandshakeFailedError:
    case QNetworkReply::InsecureRedirectError:
    case QNetworkReply::ProtocolFailure:
        return QAIO_EPROTO;
    case QNetworkReply::TooManyRedirectsError:
        return QAIO_ELOOP;
    case QNetworkReply::ProtocolUnknownError:
        return QAIO_ENOTSUP;
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::BackgroundRequestNotAllowedError:
        return QAIO_ENETUNREACH;
    case QNetworkReply::OperationCanceledError:
        return QAIO_ECONNABORTED; // aborted by someone else than this file
    default:
        return QAIO_EIO;
    }
}

// Whether a finished reply with an HTTP status is a response: Qt reports
// 4xx and 5xx statuses as errors, but for a caller of HTTP they are answers.
bool isAnswer(QNetworkReply::NetworkError e)
{
    return e == QNetworkReply::NoError || (e >= 201 && e <= 299) ||
           e == QNetworkReply::ProtocolInvalidOperationError || (e >= 401 && e <= 499);
}

// One request's watcher. It ends (deletes itself) as the future completes:
// when the reply has finished or failed, or through the future's
// done-callback when the future was cancelled first, whose reply it aborts.
class Exchange final : public QObject {
public:
    Exchange(qaio_future *fut, QNetworkReply *reply, double timeout_s, size_t limit, bool head)
        : fut_(fut), reply_(reply), limit_(limit), head_(head)
    {
        connect(reply, &QNetworkReply::readyRead, this, &Exchange::onReadyRead);
        connect(reply, &QNetworkReply::metaDataChanged, this, &Exchange::onMetaData);
        connect(reply, &QNetworkReply::finished, this, &Exchange::onFinished);
        // The manager deletes its replies when its thread ends: no waiter
        // may be left hanging by that.
        connect(reply, &QObject::destroyed, this, [this] {
            reply_ = nullptr;
            fail(QAIO_ECLOSED, QStringLiteral("the thread's network manager was deleted"));
        });
        if (timeout_s >= 0) {
            timer_.setSingleShot(true);
            timer_.setTimerType(Qt::PreciseTimer);
            connect(&timer_, &QTimer::timeout, this, [this, timeout_s] {
                fail(QAIO_ETIMEDOUT, QStringLiteral("no complete response from %1 within %2 s")
                                         .arg(reply_->url().toString())
                                         .arg(timeout_s));
            });
            timer_.start(int(std::min(timeout_s * 1000.0, 2e9)));
        }
    }

    ~Exchange() override
    {
        if (reply_) {
            disconnect(reply_, nullptr, this, nullptr);
            if (reply_->isRunning())
                reply_->abort();
            reply_->deleteLater(); // we may be inside one of its signals
        }
        qaio_future_unref(fut_);
    }

    static void onDone(qaio_future *, void *self) { delete static_cast<Exchange *>(self); }

private:
    // Completes the future (r: with a result, else with err) and ends.
    // Deleting here, not later, leaves nothing behind when the loop closes
    // right after the last wait (a done-callback would then never run).
    void settle(int err, const QString &message, qaio_http_response *r = nullptr)
    {
        qaio_future_remove_done_callback(fut_, onDone, this);
        if (r)
            qaio_future_set_result(fut_, r, unrefValue); // frees r if cancelled meanwhile
        else
            qaio_future_set_error(fut_, err, message.isEmpty() ? nullptr : message.toUtf8().constData());
        delete this; // Qt allows it inside a signal of the reply or timer
    }

    void fail(int err, const QString &message) { settle(err, message); }

    bool overLimit(qint64 n) const { return n >= 0 && quint64(n) > quint64(limit_); }

    void failOverLimit()
    {
        fail(QAIO_EMSGSIZE,
             QStringLiteral("the response body is over the limit of %1 bytes").arg(qulonglong(limit_)));
    }

    // A declared length over the limit fails before any of the body comes
    // (a HEAD response declares the length of a body it does not send).
    void onMetaData()
    {
        int status = reply_->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        QVariant length = reply_->header(QNetworkRequest::ContentLengthHeader);
        if (!head_ && (status < 300 || status > 399) && length.isValid() &&
            overLimit(length.toLongLong()))
            failOverLimit();
    }

    void onReadyRead()
    {
        body_ += reply_->readAll();
        if (overLimit(body_.size()))
            failOverLimit();
    }

    void onFinished()
    {
        QVariant status = reply_->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        QNetworkReply::NetworkError e = reply_->error();
        if (!status.isValid() || !isAnswer(e)) {
            fail(e == QNetworkReply::NoError ? QAIO_EPROTO : mapError(e), reply_->errorString());
            return;
        }
        body_ += reply_->readAll();
        if (overLimit(body_.size())) {
            failOverLimit();
            return;
        }
        auto *r = new (std::nothrow) qaio_http_response;
        if (!r) {
            fail(QAIO_ENOMEM, QString());
            return;
        }
        r->status = status.toInt();
        r->reason = reply_->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
        r->url = reply_->url().toEncoded();
        r->body = std::move(body_);
        for (const auto &h : reply_->rawHeaderPairs())
            r->headers.emplace_back(h.first, h.second);
        settle(0, QString(), r);
    }

    qaio_future *fut_;
    QPointer<QNetworkReply> reply_; // nulled if the manager deletes it first
    size_t limit_;
    bool head_;
    QByteArray body_;
    QTimer timer_;
};

// Header names and values, and the method, go into the request as they are:
// a CR or LF would let a caller's string smuggle in a header or a request.
bool oneLine(const char *s)
{
    return s && !std::strpbrk(s, "\r\n");
}

bool validMethod(const char *m)
{
    if (!m || !*m)
        return false;
    for (const char *p = m; *p; ++p)
        if (*p <= ' ' || *p >= 127 || std::strchr("()<>@,;:\\\"/[]?={}", *p))
            return false;
    return true;
}

qaio_future *failNull(int err)
{
    errno = -err;
    return nullptr;
}

} // namespace

extern "C" qaio_future *qaio_http_request(qaio_loop *loop, const char *method, const char *url,
                                          const void *body, size_t body_len,
                                          const qaio_http_options *opts)
{
    qaio_http_options o{};
    if (opts)
        o = *opts;
    if (!loop || !validMethod(method) || !url || (!body && body_len) || body_len > INT_MAX ||
        std::isnan(o.timeout_s))
        return failNull(QAIO_EINVAL);
    size_t nheaders = 0;
    if (o.headers) {
        for (; o.headers[nheaders]; nheaders++)
            if (!oneLine(o.headers[nheaders]))
                return failNull(QAIO_EINVAL);
        if (nheaders % 2)
            return failNull(QAIO_EINVAL);
    }
    if (int err = qaio__check_loop(loop))
        return failNull(err);
    QUrl target(QString::fromUtf8(url), QUrl::StrictMode);
    QString scheme = target.scheme().toLower();
    if (!target.isValid() || target.host().isEmpty() || (scheme != "http" && scheme != "https"))
        return failNull(QAIO_EINVAL);

    qaio_future *fut = qaio_future_new(loop);
    if (!fut)
        return nullptr;
#ifndef QT_NO_SSL
    bool tls = QSslSocket::supportsSsl();
#else
    bool tls = false;
#endif
    if (scheme == "https" && !tls) {
        qaio_future_set_error(fut, QAIO_ENOTSUP, "this Qt has no TLS support for https");
        return fut;
    }

    QNetworkRequest req(target);
    // Each request stands alone: no cookie is stored or sent behind the
    // caller's back (a Cookie header in the options is sent as given).
    req.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    req.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    bool typed = false;
    for (size_t i = 0; i < nheaders; i += 2) {
        req.setRawHeader(o.headers[i], o.headers[i + 1]);
        typed = typed || qstricmp(o.headers[i], "Content-Type") == 0;
    }
    if (body && !typed)
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/octet-stream"));
    int redirects = o.max_redirects == 0 ? QAIO_HTTP_MAX_REDIRECTS : o.max_redirects;
    if (redirects < 0) {
        req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    } else {
        req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
        req.setMaximumRedirectsAllowed(redirects);
    }
    double timeout = o.timeout_s == 0 ? QAIO_HTTP_TIMEOUT_S : o.timeout_s;
    size_t limit = o.max_body ? o.max_body : QAIO_HTTP_BODY_LIMIT;
    // A body whose Content-Length is within the limit goes into one buffer
    // of that length, which Qt's network thread fills and never exceeds.
    req.setAttribute(QNetworkRequest::MaximumDownloadBufferSizeAttribute,
                     qlonglong(std::min<size_t>(limit, INT_MAX)));

    QByteArray verb(method);
    QByteArray data = body ? QByteArray(static_cast<const char *>(body), int(body_len)) : QByteArray();
    QNetworkAccessManager *nam = manager();
    QNetworkReply *reply;
    if (verb == "GET" && !body)
        reply = nam->get(req);
    else if (verb == "HEAD" && !body)
        reply = nam->head(req);
    else
        reply = nam->sendCustomRequest(req, verb, data);
    // Qt's network thread reads ahead of this one: a read buffer size makes
    // it stop at 1 MiB not yet taken here (the Exchange takes it at every
    // readyRead). Qt applies the size on its thread, after the request
    // started: a response that comes first, in one unbroken stream, is read
    // on without that stop (see "Limits" in qaio/http.h).
    reply->setReadBufferSize(qint64(std::min<size_t>(limit + 1, 1 << 20)));

    auto *x = new Exchange(qaio_future_ref(fut), reply, timeout, limit, verb == "HEAD");
    if (int err = qaio_future_add_done_callback(fut, Exchange::onDone, x)) {
        delete x; // aborts the reply
        qaio_future_unref(fut);
        return failNull(err);
    }
    return fut;
}

extern "C" qaio_future *qaio_http_get(qaio_loop *loop, const char *url, const qaio_http_options *opts)
{
    return qaio_http_request(loop, "GET", url, nullptr, 0, opts);
}

extern "C" qaio_future *qaio_http_delete(qaio_loop *loop, const char *url, const qaio_http_options *opts)
{
    return qaio_http_request(loop, "DELETE", url, nullptr, 0, opts);
}

namespace {

// POST and PUT: the content type joins the caller's headers.
qaio_future *withBody(qaio_loop *loop, const char *method, const char *url, const char *type,
                      const void *body, size_t len, const qaio_http_options *opts)
{
    if (!type)
        return qaio_http_request(loop, method, url, body, len, opts);
    qaio_http_options o{};
    if (opts)
        o = *opts;
    std::vector<const char *> headers;
    for (const char *const *h = o.headers; h && *h; ++h)
        headers.push_back(*h);
    headers.push_back("Content-Type");
    headers.push_back(type);
    headers.push_back(nullptr);
    o.headers = headers.data();
    return qaio_http_request(loop, method, url, body, len, &o);
}

} // namespace

extern "C" qaio_future *qaio_http_post(qaio_loop *loop, const char *url, const char *content_type,
                                       const void *body, size_t body_len, const qaio_http_options *opts)
{
    return withBody(loop, "POST", url, content_type, body, body_len, opts);
}

extern "C" qaio_future *qaio_http_put(qaio_loop *loop, const char *url, const char *content_type,
                                      const void *body, size_t body_len, const qaio_http_options *opts)
{
    return withBody(loop, "PUT", url, content_type, body, body_len, opts);
}

extern "C" bool qaio_http_tls_available(void)
{
#ifndef QT_NO_SSL
    return QSslSocket::supportsSsl();
#else
    return false;
#endif
}

extern "C" int qaio_http_response_status(const qaio_http_response *r)
{
    return r ? r->status : QAIO_EINVAL;
}

extern "C" const char *qaio_http_response_reason(const qaio_http_response *r)
{
    return r ? r->reason.constData() : nullptr;
}

extern "C" const char *qaio_http_response_url(const qaio_http_response *r)
{
    return r ? r->url.constData() : nullptr;
}

extern "C" const char *qaio_http_response_body(const qaio_http_response *r, size_t *len)
{
    if (len)
        *len = r ? size_t(r->body.size()) : 0;
    return r ? r->body.constData() : nullptr;
}

extern "C" const char *qaio_http_response_header(const qaio_http_response *r, const char *name)
{
    if (!r || !name)
        return nullptr;
    for (const auto &h : r->headers)
        if (qstricmp(h.first.constData(), name) == 0)
            return h.second.constData();
    return nullptr;
}

extern "C" size_t qaio_http_response_header_count(const qaio_http_response *r)
{
    return r ? r->headers.size() : 0;
}

extern "C" int qaio_http_response_header_at(const qaio_http_response *r, size_t i, const char **name,
                                            const char **value)
{
    if (!r || i >= r->headers.size())
        return QAIO_EINVAL;
    if (name)
        *name = r->headers[i].first.constData();
    if (value)
        *value = r->headers[i].second.constData();
    return 0;
}

extern "C" qaio_http_response *qaio_http_response_ref(qaio_http_response *r)
{
    if (r)
        r->refs.fetch_add(1, std::memory_order_relaxed);
    return r;
}

extern "C" void qaio_http_response_unref(qaio_http_response *r)
{
    if (r && r->refs.fetch_sub(1, std::memory_order_acq_rel) == 1)
        delete r;
}
