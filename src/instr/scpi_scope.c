/* The SCPI client driver: qaio_instrument_ops over a qaio stream. One
 * round trip per record; any failed exchange drops the connection, because
 * an answer still in flight would put the next exchange out of step. */
#include "qaio/instr/scpi.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qaio/stream.h"
#include "qaio/task.h"
#include "scpi_decode.h"

#define PREAMBLE_MAX 1024
#define LINE_MAX_ANSWER 4096

typedef struct scpi_scope {
    qaio_instrument base;
    char host[256];
    int port;
    double timeout;
    char address[300];
    qaio_stream *conn;
    char idn[256];
    char last_error[200];
    qaio_scope_settings set;  /* the instrument's, as last read */
    qaio_scope_settings want; /* the caller's, re-applied on reconnect */
    bool set_by_us;           /* want holds something */
    bool busy;
    unsigned char *blk;
    size_t blkcap;
} scpi_scope;

static const qaio_instrument_ops scpi_ops;

static scpi_scope *as_scpi(const qaio_instrument *inst)
{
    return inst && inst->ops == &scpi_ops ? (scpi_scope *)inst : NULL;
}

static void drop(scpi_scope *d)
{
    qaio_stream_close(d->conn);
    d->conn = NULL;
}

static double left(scpi_scope *d, double deadline)
{
    return fmax(0, deadline - qaio_loop_time(d->base.loop));
}

/* Writes cmd + '\n'; reads one answer line into resp when resp != NULL.
 * The line's terminator is removed. Returns its length or an error. */
static int exchange(scpi_scope *d, const char *cmd, char *resp, size_t cap, double deadline)
{
    if (!d->conn)
        return QAIO_ENOTCONN;
    int err = qaio_stream_write(d->conn, cmd, strlen(cmd));
    if (!err)
        err = qaio_stream_write(d->conn, "\n", 1);
    if (err || !resp)
        return err;
    ssize_t n = qaio_stream_readline(d->conn, resp, cap, left(d, deadline));
    if (n < 0)
        return (int)n;
    if (n == 0 || resp[n - 1] != '\n')
        return QAIO_EPIPE; /* the server closed before answering */
    while (n > 0 && (resp[n - 1] == '\n' || resp[n - 1] == '\r'))
        resp[--n] = 0;
    return (int)n;
}

static int read_settings(scpi_scope *d)
{
    char a[512];
    int n = exchange(d,
                     ":ACQ:POIN?;:ACQ:SRAT?;:TRIG:SWE?;:TRIG:EDGE:SLOP?;:TRIG:EDGE:SOUR?;"
                     ":TRIG:EDGE:LEV?",
                     a, sizeof a, qaio_loop_time(d->base.loop) + d->timeout);
    return n < 0 ? n : qaio__scpi_parse_settings(a, &d->set);
}

/* Sends only the settings that differ from the instrument's as last read:
 * a real scope may refuse a command it treats as read-only (many take no
 * :ACQuire:SRATe, a qaio extension), and a caller changing the points
 * should not fail on the rate it left alone. Then reads the error queue. */
static int apply_settings(scpi_scope *d, const qaio_scope_settings *s)
{
    const qaio_scope_settings *cur = &d->set;
    char cmd[400], a[200];
    size_t len = 0;
#define ADD(...) len += (size_t)snprintf(cmd + len, sizeof cmd - len, __VA_ARGS__)
    if (s->points != cur->points)
        ADD(":ACQ:POIN %zu;", s->points);
    if (s->rate != cur->rate)
        ADD(":ACQ:SRAT %.17g;", s->rate);
    if (s->trigger != cur->trigger)
        ADD(":TRIG:SWE %s;", qaio__scpi_sweep_words[s->trigger]);
    if (s->slope != cur->slope)
        ADD(":TRIG:EDGE:SLOP %s;", qaio__scpi_slope_words[s->slope]);
    if (s->trigger_source != cur->trigger_source)
        ADD(":TRIG:EDGE:SOUR CHAN%u;", s->trigger_source);
    if (s->trigger_level != cur->trigger_level)
        ADD(":TRIG:EDGE:LEV %.9g;", s->trigger_level);
#undef ADD
    d->set.channels = s->channels; /* the driver's own, never sent */
    if (len == 0)
        return 0;
    snprintf(cmd + len, sizeof cmd - len, ":SYST:ERR?");
    int n = exchange(d, cmd, a, sizeof a, qaio_loop_time(d->base.loop) + d->timeout);
    if (n < 0)
        return n;
    if (atoi(a) != 0) {
        snprintf(d->last_error, sizeof d->last_error, "%s", a);
        return QAIO_EIO;
    }
    return 0;
}

/* Opens the connection and brings the instrument to the driver's state. */
static int do_connect(scpi_scope *d)
{
    drop(d);
    int err = qaio_open_connection(d->base.loop, d->host, d->port, d->timeout, &d->conn);
    if (err)
        return err;
    /* Records arrive whole: let the stream buffer one of usual size. */
    qaio_stream_set_limit(d->conn, 1 << 20);
    int n = exchange(d, "*IDN?", d->idn, sizeof d->idn, qaio_loop_time(d->base.loop) + d->timeout);
    if (n >= 0 && (n == 0 || !strchr(d->idn, ',')))
        n = QAIO_EPROTO; /* not "maker,model,serial,version" */
    if (n >= 0)
        n = exchange(d, ":WAV:FORM REAL;:WAV:BYT LSBF", NULL, 0, 0);
    if (n >= 0)
        n = read_settings(d);
    if (n >= 0 && d->set_by_us && (n = apply_settings(d, &d->want)) >= 0)
        n = read_settings(d); /* what the instrument made of them */
    if (n < 0) {
        drop(d);
        return n == QAIO_EMSGSIZE ? QAIO_EPROTO : n;
    }
    return 0;
}

static int begin(scpi_scope *d)
{
    if (!pthread_equal(pthread_self(), d->base.thread))
        return QAIO_EWRONGTHREAD;
    if (d->busy)
        return QAIO_EBUSY;
    d->busy = true;
    int err = d->conn ? 0 : do_connect(d);
    if (err)
        d->busy = false;
    return err;
}

static int end(scpi_scope *d, int err)
{
    if (err < 0 && d->conn)
        drop(d);
    d->busy = false;
    return err;
}

/* --- records ------------------------------------------------------------- */

/* Reads "<preamble>;#<d><len><bytes>" of one channel into rec->y[c]. */
static int read_channel(scpi_scope *d, qaio_trace *rec, size_t c, size_t nch, double deadline)
{
    char pre[PREAMBLE_MAX + 1];
    ssize_t n = qaio_stream_readuntil(d->conn, ";", 1, pre, PREAMBLE_MAX, left(d, deadline));
    if (n < 0)
        return (int)n;
    pre[n - 1] = 0;
    qaio__scpi_preamble p;
    int err = qaio__scpi_parse_preamble(pre, &p);
    if (err)
        return err;
    char head[12];
    n = qaio_stream_readexactly(d->conn, head, 2, left(d, deadline));
    if (n < 0)
        return (int)n;
    int digits = qaio__scpi_block_digits(head);
    if (digits < 0)
        return digits;
    n = qaio_stream_readexactly(d->conn, head, (size_t)digits, left(d, deadline));
    if (n < 0)
        return (int)n;
    size_t len;
    if ((err = qaio__scpi_block_length(head, digits, &len)) != 0 ||
        (err = qaio__scpi_check_block(&p, len)) != 0)
        return err;
    if (len > d->blkcap) {
        unsigned char *b = realloc(d->blk, len);
        if (!b)
            return QAIO_ENOMEM;
        d->blk = b;
        d->blkcap = len;
    }
    if (len) {
        n = qaio_stream_readexactly(d->conn, d->blk, len, left(d, deadline));
        if (n < 0)
            return (int)n;
    }
    if (c == 0) {
        err = qaio_trace_reshape(rec, p.points, nch);
        if (err)
            return err;
        qaio_trace_set_x(rec, NULL);
        rec->x0 = p.xorg - p.xref * p.xinc;
        rec->dx = p.xinc;
    } else if (p.points != rec->n) {
        return QAIO_EPROTO; /* channels of one record must agree */
    }
    return qaio__scpi_convert(&p, d->blk, len, rec->y[c]);
}

static int scpi_acquire(qaio_instrument *inst, qaio_trace *rec, double timeout_s)
{
    scpi_scope *d = (scpi_scope *)inst;
    int err = begin(d);
    if (err)
        return err;
    unsigned mask = d->set.channels ? d->set.channels : 1;
    size_t nch = (mask & 1) + (mask >> 1 & 1);
    /* With no timeout from the caller, the io timeout on top of the record
     * time still bounds the exchange: a silent server is an error, not a
     * hang. */
    double record_s = (double)d->set.points / d->set.rate;
    double deadline = qaio_loop_time(inst->loop) +
                      (timeout_s >= 0 ? timeout_s : d->timeout + 2 * record_s);
    char cmd[200] = ":DIG";
    for (unsigned ch = 1; ch <= 2; ch++)
        if (mask & ch)
            snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd),
                     ";:WAV:SOUR CHAN%u;:WAV:PRE?;:WAV:DATA?", ch);
    err = exchange(d, cmd, NULL, 0, deadline);
    size_t c = 0;
    for (unsigned ch = 1; !err && ch <= 2; ch++) {
        if (!(mask & ch))
            continue;
        if (c > 0) {
            char sep;
            ssize_t n = qaio_stream_readexactly(d->conn, &sep, 1, left(d, deadline));
            err = n < 0 ? (int)n : sep == ';' ? 0 : QAIO_EPROTO;
            if (err)
                break;
        }
        err = read_channel(d, rec, c, nch, deadline);
        if (!err)
            rec->channel[c++] = (int)ch;
    }
    if (!err) {
        char nl;
        ssize_t n = qaio_stream_readexactly(d->conn, &nl, 1, left(d, deadline));
        if (n == 1 && nl == '\r')
            n = qaio_stream_readexactly(d->conn, &nl, 1, left(d, deadline));
        err = n < 0 ? (int)n : nl == '\n' ? 0 : QAIO_EPROTO;
    }
    if (!err) {
        for (; c < QAIO_TRACE_MAX_CHANNELS; c++)
            rec->channel[c] = 0;
        strcpy(rec->x_unit, "s");
        strcpy(rec->y_unit, "V");
        rec->enbw_hz = 0;
        rec->averages = 0;
    }
    return end(d, err);
}

static qaio_averager *scpi_averager_new(qaio_instrument *inst)
{
    (void)inst;
    return qaio_mean_averager_new(QAIO_MEAN_LINEAR);
}

static void scpi_destroy(qaio_instrument *inst)
{
    scpi_scope *d = (scpi_scope *)inst;
    drop(d);
    free(d->blk);
    free(d);
}

static const qaio_instrument_ops scpi_ops = {"scope", scpi_acquire, scpi_averager_new,
                                             scpi_destroy};

/* --- public -------------------------------------------------------------- */

int qaio_scpi_scope_open(qaio_loop *loop, const char *host, int port, double timeout_s,
                         qaio_instrument **out)
{
    if (out)
        *out = NULL;
    if (!loop || !host || !out || !(timeout_s > 0) || strlen(host) >= 256 || port > 65535)
        return QAIO_EINVAL;
    scpi_scope *d = calloc(1, sizeof *d);
    if (!d)
        return QAIO_ENOMEM;
    int err = qaio_instrument_init(&d->base, &scpi_ops, loop);
    if (err) {
        free(d);
        return err;
    }
    snprintf(d->host, sizeof d->host, "%s", host);
    d->port = port > 0 ? port : QAIO_SCPI_PORT;
    d->timeout = timeout_s;
    snprintf(d->address, sizeof d->address, strchr(host, ':') ? "[%s]:%d" : "%s:%d", host,
             d->port);
    qaio_scope_settings_default(&d->set);
    d->busy = true;
    err = do_connect(d);
    d->busy = false;
    if (err) {
        scpi_destroy(&d->base);
        return err;
    }
    *out = &d->base;
    return 0;
}

int qaio_scpi_scope_reconnect(qaio_instrument *inst)
{
    scpi_scope *d = as_scpi(inst);
    if (!d)
        return QAIO_EINVAL;
    if (!pthread_equal(pthread_self(), d->base.thread))
        return QAIO_EWRONGTHREAD;
    if (d->busy || inst->acquiring)
        return QAIO_EBUSY;
    d->busy = true;
    int err = do_connect(d);
    d->busy = false;
    return err;
}

bool qaio_scpi_scope_connected(const qaio_instrument *inst)
{
    scpi_scope *d = as_scpi(inst);
    return d && d->conn;
}

int qaio_scpi_scope_query(qaio_instrument *inst, const char *cmd, char *resp, size_t cap)
{
    scpi_scope *d = as_scpi(inst);
    if (!d || !cmd || strchr(cmd, '\n'))
        return QAIO_EINVAL;
    /* Whether an answer comes is the parser's call, not a guess on '?'. */
    qaio_scpi_program *prog = malloc(sizeof *prog);
    if (!prog)
        return QAIO_ENOMEM;
    qaio_scpi_parse(cmd, strlen(cmd), prog);
    bool query = false;
    for (unsigned i = 0; i < prog->count; i++)
        query |= prog->cmd[i].query;
    free(prog);
    if (query && (!resp || cap < 2))
        return QAIO_EINVAL;
    int err = begin(d);
    if (err)
        return err;
    err = exchange(d, cmd, query ? resp : NULL, cap, qaio_loop_time(inst->loop) + d->timeout);
    return end(d, err);
}

static bool settings_ok(const qaio_scope_settings *s)
{
    return s && s->points >= 2 && s->points <= ((size_t)1 << 26) && s->rate > 0 &&
           isfinite(s->rate) && s->channels >= 1 && s->channels <= 3 &&
           (unsigned)s->trigger < QAIO_TRIG_MODE_COUNT && (unsigned)s->slope < QAIO_SLOPE_COUNT &&
           (s->trigger_source == 1 || s->trigger_source == 2) && isfinite(s->trigger_level);
}

int qaio_scpi_scope_set_settings(qaio_instrument *inst, const qaio_scope_settings *s)
{
    scpi_scope *d = as_scpi(inst);
    if (!d || !settings_ok(s))
        return QAIO_EINVAL;
    int err = begin(d);
    if (err)
        return err;
    /* Diff against the instrument's present state: its front panel may
     * have changed since the last read. */
    err = read_settings(d);
    if (!err)
        err = apply_settings(d, s);
    if (!err) {
        d->want = *s;
        d->set_by_us = true;
        err = read_settings(d);
    }
    /* A refused setting is the instrument's answer, not a broken stream:
     * keep the connection, and learn which of the others it took. */
    if (err == QAIO_EIO) {
        int rerr = read_settings(d);
        if (rerr < 0)
            return end(d, rerr);
        d->busy = false;
        return err;
    }
    return end(d, err);
}

int qaio_scpi_scope_get_settings(qaio_instrument *inst, qaio_scope_settings *out)
{
    scpi_scope *d = as_scpi(inst);
    if (!d || !out)
        return QAIO_EINVAL;
    int err = begin(d);
    if (err)
        return err;
    err = end(d, read_settings(d));
    if (!err)
        *out = d->set;
    return err;
}

const char *qaio_scpi_scope_idn(const qaio_instrument *inst)
{
    scpi_scope *d = as_scpi(inst);
    return d && d->idn[0] ? d->idn : NULL;
}

const char *qaio_scpi_scope_last_error(const qaio_instrument *inst)
{
    scpi_scope *d = as_scpi(inst);
    return d ? d->last_error : "";
}

const char *qaio_scpi_scope_address(const qaio_instrument *inst)
{
    scpi_scope *d = as_scpi(inst);
    return d ? d->address : NULL;
}
