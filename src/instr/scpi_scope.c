/* The SCPI client driver (scpi.h): the public API, the connection and its
 * recovery, and the choice of family. What is said on the wire is the
 * family's (scope_<family>.c). Any failed exchange drops the connection,
 * because an answer still in flight would put the next exchange out of
 * step. */
#include "qaio/instr/scpi.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scope_driver.h"
#include "scope_usbtmc.h"

static const qaio_instrument_ops scpi_ops;

static qaio__scope_drv *as_drv(const qaio_instrument *inst)
{
    return inst && inst->ops == &scpi_ops ? (qaio__scope_drv *)inst : NULL;
}

const qaio__scope_family *qaio__scope_family_find(const char *name)
{
    for (size_t i = 0; name && qaio__scope_families[i]; i++)
        if (strcasecmp(qaio__scope_families[i]->name, name) == 0)
            return qaio__scope_families[i];
    return NULL;
}

static size_t family_count(void)
{
    size_t n = 0;
    while (qaio__scope_families[n])
        n++;
    return n;
}

const char *qaio_scpi_driver_name(size_t i)
{
    return i < family_count() ? qaio__scope_families[i]->name : NULL;
}

const char *qaio_scpi_driver_title(size_t i)
{
    return i < family_count() ? qaio__scope_families[i]->title : NULL;
}

int qaio_scpi_driver_port(size_t i)
{
    return i < family_count() ? qaio__scope_families[i]->port : QAIO_EINVAL;
}

static void drop(qaio__scope_drv *d)
{
    qaio_stream_close(d->conn);
    d->conn = NULL;
}

/* "maker,model,serial,version": the first two fields, blanks trimmed. */
static void split_idn(qaio__scope_drv *d)
{
    char copy[sizeof d->idn];
    snprintf(copy, sizeof copy, "%s", d->idn);
    char *save = NULL, *f[2] = {"", ""};
    char *t = strtok_r(copy, ",", &save);
    for (int i = 0; t && i < 2; i++, t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ')
            t++;
        size_t n = strlen(t);
        while (n && t[n - 1] == ' ')
            t[--n] = 0;
        f[i] = t;
    }
    snprintf(d->maker, sizeof d->maker, "%s", f[0]);
    snprintf(d->model, sizeof d->model, "%s", f[1]);
}

static const qaio__scope_family *detect(const qaio__scope_drv *d)
{
    for (size_t i = 0; qaio__scope_families[i]; i++) {
        const qaio__scope_family *f = qaio__scope_families[i];
        if (f->matches && f->matches(d->maker, d->model))
            return f;
    }
    /* No family claims it: the SCPI-99 waveform subset qaio's simulator
     * speaks is the best guess. */
    return qaio__scope_family_find("qaio");
}

static int open_transport(qaio__scope_drv *d)
{
    if (d->device[0])
        return qaio__usbtmc_open(d->base.loop, d->device, &d->conn);
    return qaio_open_connection(d->base.loop, d->host, d->port, d->timeout, &d->conn);
}

static int apply_and_read(qaio__scope_drv *d, const qaio_scope_settings *want)
{
    qaio_scope_settings cur = d->set;
    int err = d->family->read_settings(d, &cur);
    if (err)
        return err;
    d->set = cur;
    int aerr = d->family->apply_settings(d, want, &cur);
    if (aerr && aerr != QAIO_EIO)
        return aerr;
    /* What the instrument made of them, refused or not. */
    cur = d->set;
    err = d->family->read_settings(d, &cur);
    if (err)
        return err;
    cur.channels = want->channels;
    d->set = cur;
    return aerr;
}

/* Opens the connection and brings the instrument to the driver's state. */
static int do_connect(qaio__scope_drv *d)
{
    drop(d);
    int err = open_transport(d);
    if (err) {
        qaio__drv_fail(d, err, "%s", qaio_strerror(err));
        return err;
    }
    /* Records arrive whole: let the stream buffer one of usual size. */
    qaio_stream_set_limit(d->conn, 1 << 20);
    double deadline = qaio__drv_deadline(d, d->timeout);
    int n = qaio__drv_query(d, d->idn, sizeof d->idn, deadline, "*IDN?");
    if (n == QAIO_ETIMEDOUT) {
        qaio__drv_fail(d, QAIO_ETIMEDOUT, "no answer to *IDN? within %g s", d->timeout);
        drop(d);
        return QAIO_ETIMEDOUT;
    }
    if (n >= 0 && (n == 0 || !strchr(d->idn, ','))) {
        qaio__drv_fail(d, QAIO_EPROTO, "'%.60s' is not an *IDN? answer", d->idn);
        n = QAIO_EPROTO; /* not "maker,model,serial,version" */
    }
    if (n >= 0) {
        split_idn(d);
        if (!d->family) {
            d->family = detect(d);
            if (d->family->priv_size && !(d->priv = calloc(1, d->family->priv_size)))
                n = QAIO_ENOMEM;
        }
    }
    if (n >= 0 && d->family->setup)
        n = d->family->setup(d);
    unsigned mask = d->set.channels;
    if (n >= 0)
        n = d->family->read_settings(d, &d->set);
    d->set.channels = mask;
    if (n >= 0 && d->set_by_us)
        n = apply_and_read(d, &d->want);
    if (n < 0 && n != QAIO_EIO) {
        if (!d->message[0])
            qaio__drv_fail(d, n, "%s", qaio_strerror(n));
        drop(d);
        return n == QAIO_EMSGSIZE ? QAIO_EPROTO : n;
    }
    return 0;
}

static int begin(qaio__scope_drv *d)
{
    if (!pthread_equal(pthread_self(), d->base.thread))
        return QAIO_EWRONGTHREAD;
    if (d->busy)
        return QAIO_EBUSY;
    d->busy = true;
    d->message[0] = 0;
    int err = d->conn ? 0 : do_connect(d);
    if (err)
        d->busy = false;
    return err;
}

/* A refused setting (QAIO_EIO) is the instrument's answer, not a broken
 * stream: it keeps the connection. */
static int end(qaio__scope_drv *d, int err)
{
    if (err < 0 && err != QAIO_EIO && d->conn)
        drop(d);
    d->busy = false;
    return err;
}

static int scpi_acquire(qaio_instrument *inst, qaio_trace *rec, double timeout_s)
{
    qaio__scope_drv *d = (qaio__scope_drv *)inst;
    int err = begin(d);
    if (err)
        return err;
    unsigned mask = d->set.channels ? d->set.channels : 1;
    /* With no timeout from the caller, the io timeout on top of the record
     * time still bounds the exchange: a silent server is an error, not a
     * hang. */
    double record_s = d->set.rate > 0 ? (double)d->set.points / d->set.rate : 0;
    double deadline = qaio__drv_deadline(d, timeout_s >= 0 ? timeout_s
                                                           : d->timeout + 2 * record_s);
    err = d->family->acquire(d, rec, mask, deadline);
    return end(d, err);
}

static qaio_averager *scpi_averager_new(qaio_instrument *inst)
{
    (void)inst;
    return qaio_mean_averager_new(QAIO_MEAN_LINEAR);
}

static void scpi_destroy(qaio_instrument *inst)
{
    qaio__scope_drv *d = (qaio__scope_drv *)inst;
    drop(d);
    free(d->blk);
    free(d->priv);
    free(d);
}

static const qaio_instrument_ops scpi_ops = {"scope", scpi_acquire, scpi_averager_new,
                                             scpi_destroy};

/* --- public -------------------------------------------------------------- */

void qaio_scpi_scope_options_default(qaio_scpi_scope_options *o)
{
    if (o)
        *o = (qaio_scpi_scope_options){.address = NULL, .driver = NULL, .timeout_s = 5.0};
}

static void say(char *msg, size_t cap, const char *text)
{
    if (msg && cap)
        snprintf(msg, cap, "%s", text);
}

/* One connection attempt at d->port. */
static int try_open(qaio__scope_drv *d)
{
    if (d->device[0])
        snprintf(d->address, sizeof d->address, "%s", d->device);
    else
        snprintf(d->address, sizeof d->address, strchr(d->host, ':') ? "[%s]:%d" : "%s:%d",
                 d->host, d->port);
    d->busy = true;
    int err = do_connect(d);
    d->busy = false;
    return err;
}

int qaio_scpi_scope_connect(qaio_loop *loop, const qaio_scpi_scope_options *o,
                            qaio_instrument **out, char *msg, size_t msgcap)
{
    say(msg, msgcap, "");
    if (out)
        *out = NULL;
    if (!loop || !o || !out || !o->address || !(o->timeout_s > 0)) {
        say(msg, msgcap, "no address, or a timeout that is not > 0");
        return QAIO_EINVAL;
    }
    const qaio__scope_family *fam = NULL;
    if (o->driver && *o->driver && strcasecmp(o->driver, "auto") != 0 &&
        !(fam = qaio__scope_family_find(o->driver))) {
        if (msg && msgcap) {
            int n = snprintf(msg, msgcap, "no driver '%s'; there are:", o->driver);
            for (size_t i = 0; qaio__scope_families[i] && n >= 0 && (size_t)n < msgcap; i++)
                n += snprintf(msg + n, msgcap - (size_t)n, " %s", qaio__scope_families[i]->name);
        }
        return QAIO_ENOENT;
    }
    qaio_scpi_address a;
    int err = qaio_scpi_address_parse(o->address, &a, msg, msgcap);
    if (err)
        return err;
    qaio__scope_drv *d = calloc(1, sizeof *d);
    if (!d)
        return QAIO_ENOMEM;
    if ((err = qaio_instrument_init(&d->base, &scpi_ops, loop))) {
        free(d);
        return err;
    }
    d->timeout = o->timeout_s;
    d->family = fam;
    if (fam && fam->priv_size && !(d->priv = calloc(1, fam->priv_size))) {
        scpi_destroy(&d->base);
        return QAIO_ENOMEM;
    }
    snprintf(d->host, sizeof d->host, "%s", a.host);
    snprintf(d->device, sizeof d->device, "%s", a.device);
    qaio_scope_settings_default(&d->set);
    if (a.port || d->device[0] || fam) {
        d->port = a.port ? a.port : fam ? fam->port : QAIO_SCPI_PORT;
        err = try_open(d);
    } else {
        /* The families' default ports, each once, while refused. */
        int tried[8], ntried = 0;
        err = QAIO_ECONNREFUSED;
        for (size_t i = 0; qaio__scope_families[i] && err == QAIO_ECONNREFUSED && ntried < 8;
             i++) {
            int port = qaio__scope_families[i]->port;
            bool seen = false;
            for (int k = 0; k < ntried; k++)
                seen |= tried[k] == port;
            if (seen)
                continue;
            tried[ntried++] = d->port = port;
            err = try_open(d);
        }
    }
    if (err) {
        /* The driver's message starts with the model once *IDN? answered,
         * else with the address already. */
        if (msg && msgcap && d->message[0] && !d->model[0])
            snprintf(msg, msgcap, "%s", d->message);
        else if (msg && msgcap)
            snprintf(msg, msgcap, "%s: %s", d->address,
                     d->message[0] ? d->message : qaio_strerror(err));
        scpi_destroy(&d->base);
        return err;
    }
    *out = &d->base;
    return 0;
}

int qaio_scpi_scope_open(qaio_loop *loop, const char *host, int port, double timeout_s,
                         qaio_instrument **out)
{
    if (out)
        *out = NULL;
    if (!host || strlen(host) >= 256 || port > 65535)
        return QAIO_EINVAL;
    char addr[300];
    snprintf(addr, sizeof addr, strchr(host, ':') ? "[%s]:%d" : "%s:%d", host,
             port > 0 ? port : QAIO_SCPI_PORT);
    qaio_scpi_scope_options o;
    qaio_scpi_scope_options_default(&o);
    o.address = addr;
    o.timeout_s = timeout_s;
    return qaio_scpi_scope_connect(loop, &o, out, NULL, 0);
}

int qaio_scpi_scope_reconnect(qaio_instrument *inst)
{
    qaio__scope_drv *d = as_drv(inst);
    if (!d)
        return QAIO_EINVAL;
    if (!pthread_equal(pthread_self(), d->base.thread))
        return QAIO_EWRONGTHREAD;
    if (d->busy || inst->acquiring)
        return QAIO_EBUSY;
    d->busy = true;
    d->message[0] = 0;
    int err = do_connect(d);
    d->busy = false;
    return err;
}

bool qaio_scpi_scope_connected(const qaio_instrument *inst)
{
    qaio__scope_drv *d = as_drv(inst);
    return d && d->conn;
}

int qaio_scpi_scope_query(qaio_instrument *inst, const char *cmd, char *resp, size_t cap)
{
    qaio__scope_drv *d = as_drv(inst);
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
    double deadline = qaio__drv_deadline(d, d->timeout);
    err = query ? qaio__drv_query(d, resp, cap, deadline, "%s", cmd)
                : qaio__drv_write(d, "%s", cmd);
    return end(d, err == QAIO_EIO ? QAIO_EPROTO : err);
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
    qaio__scope_drv *d = as_drv(inst);
    if (!d || !settings_ok(s))
        return QAIO_EINVAL;
    int err = begin(d);
    if (err)
        return err;
    d->want = *s;
    d->set_by_us = true;
    /* Diffed against the instrument's present state, read first: its
     * front panel may have changed since the last read. */
    return end(d, apply_and_read(d, s));
}

int qaio_scpi_scope_get_settings(qaio_instrument *inst, qaio_scope_settings *out)
{
    qaio__scope_drv *d = as_drv(inst);
    if (!d || !out)
        return QAIO_EINVAL;
    int err = begin(d);
    if (err)
        return err;
    unsigned mask = d->set.channels;
    err = d->family->read_settings(d, &d->set);
    d->set.channels = mask;
    err = end(d, err);
    if (!err)
        *out = d->set;
    return err;
}

const char *qaio_scpi_scope_idn(const qaio_instrument *inst)
{
    qaio__scope_drv *d = as_drv(inst);
    return d && d->idn[0] ? d->idn : NULL;
}

const char *qaio_scpi_scope_last_error(const qaio_instrument *inst)
{
    qaio__scope_drv *d = as_drv(inst);
    return d ? d->message : "";
}

const char *qaio_scpi_scope_address(const qaio_instrument *inst)
{
    qaio__scope_drv *d = as_drv(inst);
    return d ? d->address : NULL;
}

const char *qaio_scpi_scope_driver(const qaio_instrument *inst)
{
    qaio__scope_drv *d = as_drv(inst);
    return d && d->family ? d->family->name : NULL;
}
