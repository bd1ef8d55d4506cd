/* The SCPI server's transport: one task per connection reads lines with its
 * own bounded framing, parses them, runs the commands and sends the joined
 * response. The commands themselves are the personality's (sim_*.c). */
#include "scpi_session.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "instrument_internal.h"
#include "qaio/instr/signal.h"
#include "qaio/task.h"

/* Responses are sent once they reach this size, so a block of any length
 * costs bounded memory per session. */
#define OUT_FLUSH (256 * 1024)

void qaio_scpi_server_options_default(qaio_scpi_server_options *o)
{
    if (!o)
        return;
    *o = (qaio_scpi_server_options){.host = NULL, .port = QAIO_SCPI_PORT, .signal = NULL,
                                    .rate = 1e6, .points = 1024, .latency_s = 0,
                                    .personality = NULL,
                                    .acquire_timeout_s = QAIO_SCPI_SERVER_ACQUIRE_TIMEOUT_S,
                                    .max_sessions = QAIO_SCPI_SERVER_MAX_SESSIONS,
                                    .idle_timeout_s = QAIO_SCPI_SERVER_IDLE_TIMEOUT_S,
                                    .send_timeout_s = QAIO_SCPI_SERVER_SEND_TIMEOUT_S,
                                    .max_record_bytes = QAIO_SCPI_SERVER_RECORD_BYTES};
}

/* --- errors and responses ------------------------------------------------ */

void qaio__scpi_push_error(qaio__scpi_session *s, int num, const char *detail)
{
    /* *ESR bits (IEEE 488.2 11.5.1): command, execution, device-dependent
     * and query errors. */
    if (num <= -100 && num > -200)
        s->esr |= 0x20;
    else if (num <= -200 && num > -300)
        s->esr |= 0x10;
    else if (num <= -300 && num > -400)
        s->esr |= 0x08;
    else if (num <= -400 && num > -500)
        s->esr |= 0x04;
    unsigned i;
    if (s->nerr == QAIO_SCPI_ERROR_QUEUE) {
        /* Full: the last entry becomes -350 and the new error is lost
         * (SCPI-99 21.8.2). */
        i = QAIO_SCPI_ERROR_QUEUE - 1;
        num = QAIO_SCPI_ERR_QUEUE_OVERFLOW;
        detail = NULL;
    } else {
        i = s->nerr++;
    }
    s->errq[i].num = num;
    if (detail && *detail)
        snprintf(s->errq[i].msg, sizeof s->errq[i].msg, "%s;%s", qaio_scpi_error_message(num),
                 detail);
    else
        snprintf(s->errq[i].msg, sizeof s->errq[i].msg, "%s", qaio_scpi_error_message(num));
    /* The message goes inside a quoted string: keep it one. */
    for (char *p = s->errq[i].msg; *p; p++)
        if (*p == '"' || (unsigned char)*p < 0x20)
            *p = '\'';
}

static int out_flush(qaio__scpi_session *s)
{
    if (!s->outlen)
        return 0;
    int err = qaio_stream_write(s->conn, s->out, s->outlen);
    s->outlen = 0;
    if (!err)
        err = qaio_stream_drain(s->conn, s->srv->send_timeout_s);
    return err;
}

char *qaio__scpi_reserve(qaio__scpi_session *s, size_t n, int *err)
{
    *err = 0;
    if (s->outlen + n > OUT_FLUSH && s->outlen) {
        *err = out_flush(s);
        if (*err)
            return NULL;
    }
    if (s->outlen + n > s->outcap) {
        size_t cap = s->outcap ? s->outcap : 1024;
        while (cap < s->outlen + n)
            cap *= 2;
        char *b = realloc(s->out, cap);
        if (!b) {
            *err = QAIO_ENOMEM;
            return NULL;
        }
        s->out = b;
        s->outcap = cap;
    }
    return s->out + s->outlen;
}

int qaio__scpi_out(qaio__scpi_session *s, const void *data, size_t n)
{
    int err;
    char *d = qaio__scpi_reserve(s, n, &err);
    if (!d)
        return err;
    memcpy(d, data, n);
    s->outlen += n;
    return 0;
}

int qaio__scpi_vprintf(qaio__scpi_session *s, const char *fmt, va_list ap)
{
    char buf[512];
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    if (n < 0)
        return QAIO_EINVAL;
    return qaio__scpi_out(s, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

int qaio__scpi_printf(qaio__scpi_session *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int err = qaio__scpi_vprintf(s, fmt, ap);
    va_end(ap);
    return err;
}

void qaio__scpi_begin_unit(qaio__scpi_session *s)
{
    if (s->units++)
        qaio__scpi_out(s, ";", 1); /* cannot flush: a unit precedes */
}

bool qaio__scpi_lagging(const qaio__scpi_session *s)
{
    /* Bytes in the kernel's send queue the peer has not taken yet. */
    int fd = qaio_stream_fd(s->conn), queued = 0;
    ssize_t buffered = qaio_stream_write_buffered(s->conn);
    if (buffered > 0 || s->outlen)
        return true;
    return fd >= 0 && ioctl(fd, TIOCOUTQ, &queued) == 0 && queued > QAIO_SCPI_SERVER_SNDBUF / 2;
}

/* --- the session: a reader and an executor ------------------------------
 *
 * The reader task frames lines (bounded, oversized ones dropped) into a
 * queue of QAIO_SCPI_SERVER_QUEUED_LINES; when it is full the reader stops
 * reading, so a client that pipelines without reading back fills its own
 * socket, not the server's memory. The reader looks at every line as it
 * arrives: an interrupting command (*RST, *CLS, :STOP, :ABORt, the
 * personality's own) aborts the acquisitions of the lines before it, and
 * the end of the stream (the peer left) aborts everything. The executor
 * (the connection's handler task) runs the lines in order and answers. */

typedef struct line_item {
    uint64_t no;
    size_t len;
    char text[];
} line_item;

static bool common_interrupt(const qaio_scpi_command *c)
{
    return qaio_scpi_match(c, "*RST") || qaio_scpi_match(c, "*CLS") ||
           qaio_scpi_match(c, ":STOP") || qaio_scpi_match(c, ":ABORt");
}

/* Does this line interrupt what the lines before it do? */
static bool line_interrupts(qaio__scpi_session *s, const char *line, size_t len)
{
    qaio_scpi_parse(line, len, &s->scan);
    for (unsigned i = 0; i < s->scan.count; i++) {
        const qaio_scpi_command *c = &s->scan.cmd[i];
        if (c->query)
            continue;
        if (common_interrupt(c) || (s->srv->pers->interrupts && s->srv->pers->interrupts(c)))
            return true;
    }
    return false;
}

/* Wakes an acquisition the executor waits for, if it should stop. */
static void wake(qaio__scpi_session *s)
{
    if (s->interrupt && !qaio_future_done(s->interrupt) && qaio__scpi_interrupted(s))
        qaio_future_set_result(s->interrupt, NULL, NULL);
}

/* Queues one framed line: 0 or an error that ends the reader. */
static int reader_line(qaio__scpi_session *s, const char *text, size_t len)
{
    line_item *it = malloc(sizeof *it + len);
    if (!it)
        return QAIO_ENOMEM;
    it->no = ++s->lines_read;
    it->len = len;
    memcpy(it->text, text, len);
    if (line_interrupts(s, text, len)) {
        s->abort_before = it->no;
        wake(s);
    }
    int err = qaio_queue_put(s->lines, it, QAIO_FOREVER); /* back-pressure */
    if (err)
        free(it);
    return err;
}

static int reader_main(void *arg, qaio_future *self)
{
    (void)self;
    qaio__scpi_session *s = arg;
    const size_t cap = sizeof s->in;
    double idle = s->srv->idle_timeout_s;
    int err = 0;
    for (;;) {
        /* Queue every complete line in the buffer. */
        size_t start = 0;
        char *nl;
        while (!err && (nl = memchr(s->in + start, '\n', s->inlen - start))) {
            size_t len = (size_t)(nl - (s->in + start)) + 1;
            if (s->discarding)
                s->discarding = false; /* the end of an oversized line */
            else
                err = reader_line(s, s->in + start, len);
            start += len;
        }
        if (err)
            break;
        memmove(s->in, s->in + start, s->inlen - start);
        s->inlen -= start;
        if (s->inlen == cap) {
            /* No '\n' in a full buffer: the line is too long. Drop it
             * through its end; the executor says so once, in order. */
            if (!s->discarding && (err = reader_line(s, "\x01", 1)))
                break;
            s->discarding = true;
            s->inlen = 0;
        }
        ssize_t n = qaio_stream_read(s->conn, s->in + s->inlen, cap - s->inlen, idle);
        if (n == QAIO_ETIMEDOUT) {
            /* Idle: nothing from the peer and nothing to do for it. */
            if (s->busy || qaio_queue_size(s->lines))
                continue;
            err = n;
            break;
        }
        if (n <= 0) {
            err = n ? (int)n : QAIO_EPIPE; /* end of stream, reset, or cancelled */
            break;
        }
        s->inlen += (size_t)n;
    }
    /* The peer left (or went idle, or the session ends): stop what runs. */
    s->gone = true;
    wake(s);
    qaio_queue_close(s->lines);
    return err == QAIO_ECANCELED ? err : 0;
}

static int run_line(qaio__scpi_session *s, const char *line, size_t len)
{
    if (len == 1 && line[0] == '\x01') {
        qaio__scpi_push_error(s, QAIO_SCPI_ERR_TOO_MUCH_DATA, "line over 4096 bytes");
        return 0;
    }
    qaio_scpi_parse(line, len, &s->prog);
    s->units = 0;
    for (unsigned i = 0; i < s->prog.count; i++) {
        int err = qaio__scpi_execute(s, &s->prog.cmd[i]);
        if (err)
            return err;
    }
    if (s->prog.error)
        qaio__scpi_push_error(s, s->prog.error, strchr(s->prog.error_msg, ';')
                                                    ? strchr(s->prog.error_msg, ';') + 1
                                                    : NULL);
    if (s->units) {
        const char *eol = s->srv->pers->eol;
        int err = qaio__scpi_out(s, eol, strlen(eol));
        if (err)
            return err;
    }
    return out_flush(s);
}

static int session_loop(qaio__scpi_session *s)
{
    for (;;) {
        void *v;
        int err = qaio_queue_get(s->lines, &v, QAIO_FOREVER);
        if (err)
            return err == QAIO_EPIPE ? 0 : err; /* the reader ended */
        line_item *it = v;
        /* After the peer's end of stream the lines it sent before still
         * run (settings sent by "echo ... | nc" apply), but their
         * acquisitions abort at once (qaio__scpi_interrupted). */
        s->line_no = it->no;
        s->busy = true;
        err = run_line(s, it->text, it->len);
        s->busy = false;
        free(it);
        if (err)
            return err;
    }
}

static void free_line(void *item) { free(item); }

static qaio__scpi_session *session_new(qaio_scpi_server *srv, qaio_stream *conn)
{
    qaio__scpi_session *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->srv = srv;
    s->conn = conn;
    s->rec = srv->empty;
    s->lines = qaio_queue_new(srv->loop, QAIO_SCPI_SERVER_QUEUED_LINES, free_line);
    size_t psize = srv->pers->session_state_size;
    s->pstate = psize ? calloc(1, psize) : NULL;
    if (!s->lines || (psize && !s->pstate)) {
        qaio_queue_free(s->lines);
        free(s->pstate);
        free(s);
        return NULL;
    }
    return s;
}

static void session_free(qaio__scpi_session *s)
{
    qaio__sim_abort(s);
    qaio__sim_release(s);
    qaio_queue_free(s->lines);
    free(s->pstate);
    free(s->out);
    free(s);
}

static int session_main(qaio_stream *conn, void *arg)
{
    qaio_scpi_server *srv = arg;
    if (srv->sessions >= srv->max_sessions) {
        /* Over the cap: closed at once (the peer reads end of stream). */
        srv->refused++;
        return 0;
    }
    /* The kernel's send buffer is the session's memory too, and what a
     * client that never reads can make the server fill: capped, so such
     * a client is throttled after a few responses instead of megabytes. */
    int fd = qaio_stream_fd(conn);
    int sndbuf = QAIO_SCPI_SERVER_SNDBUF;
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    qaio__scpi_session *s = session_new(srv, conn);
    qaio_task_group *g = s ? qaio_task_group_new(srv->loop) : NULL;
    qaio_future *reader = g ? qaio_task_group_spawn(g, "scpi-reader", reader_main, s) : NULL;
    int err = reader ? 0 : QAIO_ENOMEM;
    qaio_future_unref(reader);
    srv->sessions++;
    if (s) {
        s->next = srv->list;
        if (srv->list)
            srv->list->prev = s;
        srv->list = s;
    }
    if (!err) {
        qaio__scpi_session_reset(s);
        err = session_loop(s);
    }
    if (s) {
        if (s->prev)
            s->prev->next = s->next;
        else
            srv->list = s->next;
        if (s->next)
            s->next->prev = s->prev;
        s->gone = true;
        /* The reader may wait in a read or a put: cancelled and waited for
         * (shielded) before the stream and the session go. */
        qaio_task_group_free(g);
        session_free(s);
    }
    srv->sessions--; /* the slot frees with the session's memory */
    /* A peer that went away is the normal end of a session. */
    if (err == QAIO_ECONNRESET || err == QAIO_EPIPE || err == QAIO_ETIMEDOUT)
        err = 0;
    return err;
}

/* --- the server ---------------------------------------------------------- */

static void server_free(qaio_scpi_server *srv)
{
    if (srv->scope)
        qaio_instrument_free(srv->scope);
    qaio_trace_free(srv->empty);
    qaio_lock_free(srv->acq_lock);
    free(srv->pstate);
    free(srv);
}

/* The bounds of o, 0 meaning the default: 0 or -1 (bad, said in msg). */
static int bounds(qaio_scpi_server *srv, const qaio_scpi_server_options *o, char *msg,
                  size_t msgcap)
{
    srv->acquire_timeout_s =
        o->acquire_timeout_s ? o->acquire_timeout_s : QAIO_SCPI_SERVER_ACQUIRE_TIMEOUT_S;
    srv->max_sessions = o->max_sessions ? o->max_sessions : QAIO_SCPI_SERVER_MAX_SESSIONS;
    srv->idle_timeout_s = o->idle_timeout_s ? o->idle_timeout_s : QAIO_SCPI_SERVER_IDLE_TIMEOUT_S;
    if (srv->idle_timeout_s < 0)
        srv->idle_timeout_s = QAIO_FOREVER;
    srv->send_timeout_s = o->send_timeout_s ? o->send_timeout_s : QAIO_SCPI_SERVER_SEND_TIMEOUT_S;
    srv->max_record_bytes =
        o->max_record_bytes ? o->max_record_bytes : QAIO_SCPI_SERVER_RECORD_BYTES;
    if (srv->acquire_timeout_s > 0 && isfinite(srv->acquire_timeout_s) &&
        srv->max_sessions > 0 && !isnan(srv->idle_timeout_s) && srv->send_timeout_s > 0 &&
        isfinite(srv->send_timeout_s))
        return 0;
    if (msg && msgcap)
        snprintf(msg, msgcap, "bad bounds (acquire_timeout_s %g, max_sessions %d, "
                              "idle_timeout_s %g, send_timeout_s %g)",
                 o->acquire_timeout_s, o->max_sessions, o->idle_timeout_s, o->send_timeout_s);
    return -1;
}

int qaio_scpi_server_start(qaio_loop *loop, const qaio_scpi_server_options *o,
                           qaio_scpi_server **out, char *msg, size_t msgcap)
{
    qaio_scpi_server_options def;
    if (msg && msgcap)
        msg[0] = 0;
    if (!o) {
        qaio_scpi_server_options_default(&def);
        o = &def;
    }
    if (!loop || !out)
        return QAIO_EINVAL;
    *out = NULL;
    qaio_scpi_server *srv = calloc(1, sizeof *srv);
    if (!srv)
        return QAIO_ENOMEM;
    srv->loop = loop;
    srv->count = 1;
    if (bounds(srv, o, msg, msgcap)) {
        free(srv);
        return QAIO_EINVAL;
    }
    srv->pers = qaio__sim_personality_find(o->personality ? o->personality : "qaio");
    if (!srv->pers) {
        if (msg && msgcap)
            snprintf(msg, msgcap, "no personality '%s'", o->personality);
        free(srv);
        return QAIO_EINVAL;
    }
    if (srv->pers->server_state_size &&
        !(srv->pstate = calloc(1, srv->pers->server_state_size))) {
        free(srv);
        return QAIO_ENOMEM;
    }
    qaio_scope_settings_default(&srv->reset);
    srv->reset.points = o->points;
    srv->reset.rate = o->rate;
    srv->reset.channels = 3;
    srv->reset.latency_s = o->latency_s;
    if (o->points > QAIO_SCPI_SERVER_MAX_POINTS) {
        if (msg && msgcap)
            snprintf(msg, msgcap, "points over %zu", QAIO_SCPI_SERVER_MAX_POINTS);
        server_free(srv);
        return QAIO_EINVAL;
    }
    srv->scope = qaio_scope_new(loop, &srv->reset);
    if (!srv->scope) {
        int err = errno == EINVAL ? QAIO_EINVAL : -errno;
        if (msg && msgcap)
            snprintf(msg, msgcap, "bad scope settings (points %zu, rate %g)", o->points, o->rate);
        server_free(srv);
        return err;
    }
    for (unsigned ch = 1; ch <= 2; ch++) {
        int err = qaio_scope_set_signal(srv->scope, ch, o->signal ? o->signal : QAIO_SIGNAL_DEFAULT,
                                        msg, msgcap);
        if (err) {
            server_free(srv);
            return err;
        }
    }
    srv->acq_lock = qaio_lock_new(loop);
    srv->empty = qaio_trace_new(0, 0);
    if (!srv->acq_lock || !srv->empty) {
        server_free(srv);
        return QAIO_ENOMEM;
    }
    qaio__scpi_server_reset(srv);
    int err = qaio_start_server(loop, o->host ? o->host : "127.0.0.1", o->port, session_main, srv,
                                &srv->srv);
    if (err) {
        if (msg && msgcap)
            snprintf(msg, msgcap, "%s:%d: %s", o->host ? o->host : "127.0.0.1", o->port,
                     qaio_strerror(err));
        server_free(srv);
        return err;
    }
    *out = srv;
    return 0;
}

int qaio_scpi_server_port(const qaio_scpi_server *srv)
{
    return srv ? qaio_server_port(srv->srv) : QAIO_EINVAL;
}

int qaio_scpi_server_sessions(const qaio_scpi_server *srv)
{
    /* The served scope was made on the server's loop thread. */
    int err = srv ? qaio__instrument_check(srv->scope) : QAIO_EINVAL;
    return err ? err : srv->sessions;
}

int qaio_scpi_server_stats_get(const qaio_scpi_server *srv, qaio_scpi_server_stats *out)
{
    int err = srv && out ? qaio__instrument_check(srv->scope) : QAIO_EINVAL;
    if (err)
        return err;
    *out = (qaio_scpi_server_stats){.sessions = srv->sessions, .records = srv->records,
                                    .record_bytes = srv->record_bytes,
                                    .acquisitions = srv->acquisitions, .shared = srv->shared,
                                    .refused = srv->refused};
    for (qaio__scpi_session *s = srv->list; s; s = s->next) {
        out->queued_lines += qaio_queue_size(s->lines);
        ssize_t b = qaio_stream_write_buffered(s->conn);
        out->output_bytes += s->outlen + (b > 0 ? (size_t)b : 0);
    }
    return 0;
}

qaio_instrument *qaio_scpi_server_scope(const qaio_scpi_server *srv)
{
    return srv ? srv->scope : NULL;
}

const char *qaio_scpi_server_personality_name(size_t i)
{
    for (size_t k = 0; qaio__sim_personalities[k]; k++)
        if (k == i)
            return qaio__sim_personalities[k]->name;
    return NULL;
}

int qaio_scpi_server_personality_port(const char *name)
{
    const qaio__sim_personality *p = qaio__sim_personality_find(name);
    return p ? p->port : QAIO_EINVAL;
}

const char *qaio_scpi_server_personality(const qaio_scpi_server *srv)
{
    return srv ? srv->pers->name : NULL;
}

int qaio_scpi_server_close(qaio_scpi_server *srv)
{
    if (!srv)
        return 0;
    int err = qaio_server_close(srv->srv);
    if (err)
        return err;
    /* The sessions aborted their armed records and left their jobs (which
     * were cancelled); the tasks end at their next wait, which comes
     * within a loop pass or two. */
    while (srv->background > 0 || srv->jobs > 0)
        qaio_sleep(0.001);
    server_free(srv);
    return 0;
}
