/* The SCPI server's transport: one task per connection reads lines with its
 * own bounded framing, parses them, runs the commands and sends the joined
 * response. The commands themselves are the personality's (sim_*.c). */
#include "scpi_session.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
                                    .personality = NULL};
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
    if (s->nerr == QAIO_SCPI_ERROR_QUEUE)
        return; /* already overflowed: the newest errors are lost (SCPI 21.8) */
    unsigned i = s->nerr++;
    if (s->nerr == QAIO_SCPI_ERROR_QUEUE) {
        num = QAIO_SCPI_ERR_QUEUE_OVERFLOW;
        detail = NULL;
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
        err = qaio_stream_drain(s->conn, QAIO_SCPI_SERVER_SEND_TIMEOUT_S);
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

int qaio__scpi_printf(qaio__scpi_session *s, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return QAIO_EINVAL;
    return qaio__scpi_out(s, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

void qaio__scpi_begin_unit(qaio__scpi_session *s)
{
    if (s->units++)
        qaio__scpi_out(s, ";", 1); /* cannot flush: a unit precedes */
}

/* --- the session task ---------------------------------------------------- */

static int run_line(qaio__scpi_session *s, const char *line, size_t len)
{
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
    const size_t cap = sizeof s->in;
    for (;;) {
        /* Run every complete line in the buffer. */
        size_t start = 0;
        char *nl;
        while ((nl = memchr(s->in + start, '\n', s->inlen - start))) {
            size_t len = (size_t)(nl - (s->in + start)) + 1;
            if (s->discarding)
                s->discarding = false; /* the end of an oversized line */
            else {
                int err = run_line(s, s->in + start, len);
                if (err)
                    return err;
            }
            start += len;
        }
        memmove(s->in, s->in + start, s->inlen - start);
        s->inlen -= start;
        if (s->inlen == cap) {
            /* No '\n' in a full buffer: the line is too long. Drop it
             * through its end and say so once. */
            if (!s->discarding)
                qaio__scpi_push_error(s, QAIO_SCPI_ERR_TOO_MUCH_DATA, "line over 4096 bytes");
            s->discarding = true;
            s->inlen = 0;
        }
        ssize_t n = qaio_stream_read(s->conn, s->in + s->inlen, cap - s->inlen, QAIO_FOREVER);
        if (n <= 0)
            return (int)n; /* end of stream, reset, or the server closing */
        s->inlen += (size_t)n;
    }
}

static int session_main(qaio_stream *conn, void *arg)
{
    qaio_scpi_server *srv = arg;
    qaio__scpi_session *s = calloc(1, sizeof *s);
    if (!s)
        return QAIO_ENOMEM;
    s->srv = srv;
    s->conn = conn;
    s->rec = qaio_trace_new(0, 0);
    size_t psize = srv->pers->session_state_size;
    s->pstate = psize ? calloc(1, psize) : NULL;
    int err = s->rec && (s->pstate || !psize) ? 0 : QAIO_ENOMEM;
    if (!err)
        qaio__scpi_session_reset(s);
    srv->sessions++;
    if (!err)
        err = session_loop(s);
    srv->sessions--;
    qaio__sim_abort(s);
    qaio_trace_free(s->rec);
    free(s->pstate);
    free(s->out);
    free(s);
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
    qaio_lock_free(srv->acq_lock);
    free(srv->pstate);
    free(srv);
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
    if (!srv->acq_lock) {
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
    /* The sessions aborted their armed records; the tasks end at their
     * next wait, which comes within a loop pass or two. */
    while (srv->background > 0)
        qaio_sleep(0.001);
    server_free(srv);
    return 0;
}
