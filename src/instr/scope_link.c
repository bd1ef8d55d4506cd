/* The exchanges a scope family makes (scope_driver.h): lines, numbers and
 * IEEE 488.2 blocks over the driver's stream, each bounded by a deadline.
 * The sample decoders are in scope_samples.c. */
#include "scope_driver.h"
#include "scope_model.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "qaio/instr/scpi_parser.h"
#include "qaio/task.h"

double qaio__drv_deadline(qaio__scope_drv *d, double seconds)
{
    return qaio_loop_time(d->base.loop) + seconds;
}

double qaio__drv_left(qaio__scope_drv *d, double deadline)
{
    return fmax(0, deadline - qaio_loop_time(d->base.loop));
}

static int write_v(qaio__scope_drv *d, const char *fmt, va_list ap)
{
    if (!d->conn)
        return QAIO_ENOTCONN;
    char line[QAIO_SCPI_LINE_MAX + 2];
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    if (n < 0 || (size_t)n >= sizeof line - 1)
        return QAIO_EMSGSIZE;
    line[n++] = '\n';
    return qaio_stream_write(d->conn, line, (size_t)n);
}

int qaio__drv_write(qaio__scope_drv *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int err = write_v(d, fmt, ap);
    va_end(ap);
    return err;
}

int qaio__drv_read_until(qaio__scope_drv *d, char delim, char *buf, size_t cap, double deadline)
{
    if (!d->conn)
        return QAIO_ENOTCONN;
    if (cap < 2)
        return QAIO_EINVAL;
    ssize_t n = qaio_stream_readuntil(d->conn, &delim, 1, buf, cap - 1,
                                      qaio__drv_left(d, deadline));
    if (n < 0)
        return (int)n;
    buf[--n] = 0;
    return (int)n;
}

int qaio__drv_read_line(qaio__scope_drv *d, char *resp, size_t cap, double deadline)
{
    int n = qaio__drv_read_until(d, '\n', resp, cap, deadline);
    if (n < 0)
        return n;
    while (n > 0 && resp[n - 1] == '\r')
        resp[--n] = 0;
    return n;
}

int qaio__drv_query(qaio__scope_drv *d, char *resp, size_t cap, double deadline, const char *fmt,
                    ...)
{
    va_list ap;
    va_start(ap, fmt);
    int err = write_v(d, fmt, ap);
    va_end(ap);
    return err ? err : qaio__drv_read_line(d, resp, cap, deadline);
}

int qaio__drv_query_number(qaio__scope_drv *d, double *v, double deadline, const char *fmt, ...)
{
    char cmd[256], a[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof cmd)
        return QAIO_EMSGSIZE;
    n = qaio__drv_query(d, a, sizeof a, deadline, "%s", cmd);
    if (n < 0)
        return n;
    /* A header echoed before the value ("C1:VDIV 5.00E-01V", "ACQ:DEC 8")
     * ends at the first blank; a unit after it is ignored. */
    const char *p = a;
    const char *sp = strchr(a, ' ');
    if (sp && !(isdigit((unsigned char)a[0]) || a[0] == '-' || a[0] == '+' || a[0] == '.'))
        p = sp + 1;
    char *end;
    double x = strtod(p, &end);
    if (end == p || !isfinite(x))
        return qaio__drv_fail(d, QAIO_EPROTO, "%s answered '%.60s', not a number", cmd, a);
    *v = x;
    return 0;
}

int qaio__drv_read_exact(qaio__scope_drv *d, void *buf, size_t n, double deadline)
{
    if (!d->conn)
        return QAIO_ENOTCONN;
    ssize_t r = qaio_stream_readexactly(d->conn, buf, n, qaio__drv_left(d, deadline));
    return r < 0 ? (int)r : 0;
}

int qaio__drv_read_block(qaio__scope_drv *d, size_t max, size_t *len, double deadline)
{
    if (!max || max > QAIO_SCPI_MAX_BLOCK)
        max = QAIO_SCPI_MAX_BLOCK;
    char c = ' ';
    int err = 0;
    /* Some instruments put a blank or a line end before the block. */
    for (int i = 0; i < 8 && !err && (c == ' ' || c == '\r' || c == '\n'); i++)
        err = qaio__drv_read_exact(d, &c, 1, deadline);
    if (err)
        return err;
    char digits[10];
    if (c != '#' || (err = qaio__drv_read_exact(d, digits, 1, deadline)))
        return err ? err : qaio__drv_fail(d, QAIO_EPROTO, "a data block was expected, not '%c'", c);
    if (digits[0] < '1' || digits[0] > '9')
        return qaio__drv_fail(d, QAIO_EPROTO, "block header '#%c' (indefinite or malformed)",
                              digits[0]);
    int nd = digits[0] - '0';
    if ((err = qaio__drv_read_exact(d, digits, (size_t)nd, deadline)))
        return err;
    size_t n = 0;
    for (int i = 0; i < nd; i++) {
        if (!isdigit((unsigned char)digits[i]))
            return qaio__drv_fail(d, QAIO_EPROTO, "block length is not a number");
        n = n * 10 + (size_t)(digits[i] - '0');
    }
    if (n > max)
        return qaio__drv_fail(d, QAIO_EMSGSIZE, "a block of %zu bytes (at most %zu accepted)", n,
                              max);
    if (n > d->blkcap) {
        unsigned char *b = realloc(d->blk, n);
        if (!b)
            return QAIO_ENOMEM;
        d->blk = b;
        d->blkcap = n;
    }
    if (n && (err = qaio__drv_read_exact(d, d->blk, n, deadline)))
        return err;
    *len = n;
    return 0;
}

int qaio__drv_read_eol(qaio__scope_drv *d, double deadline)
{
    char c;
    int err = qaio__drv_read_exact(d, &c, 1, deadline);
    if (!err && c == '\r')
        err = qaio__drv_read_exact(d, &c, 1, deadline);
    if (err)
        return err;
    return c == '\n' ? 0 : qaio__drv_fail(d, QAIO_EPROTO, "an answer did not end with a newline");
}

int qaio__drv_sleep(qaio__scope_drv *d, double seconds)
{
    (void)d;
    return qaio_sleep(seconds);
}

int qaio__drv_fail(qaio__scope_drv *d, int err, const char *fmt, ...)
{
    int n = snprintf(d->message, sizeof d->message, "%s: ",
                     d->model[0] ? d->model : d->address);
    if (n < 0 || (size_t)n >= sizeof d->message)
        n = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->message + n, sizeof d->message - (size_t)n, fmt, ap);
    va_end(ap);
    return err;
}

int qaio__drv_check_error(qaio__scope_drv *d, const char *what, double deadline)
{
    char msg[200];
    int r;
    if (d->family->read_error) {
        r = d->family->read_error(d, msg, sizeof msg, deadline);
    } else {
        r = qaio__drv_query(d, msg, sizeof msg, deadline, ":SYSTem:ERRor?");
        if (r >= 0)
            r = atoi(msg) != 0;
    }
    if (r <= 0)
        return r;
    return what ? qaio__drv_fail(d, QAIO_EIO, "%s: %s", what, msg)
                : qaio__drv_fail(d, QAIO_EIO, "%s", msg);
}

int qaio__drv_shape_record(qaio_trace *rec, size_t n, unsigned mask, double x0, double dx)
{
    size_t nch = (mask & 1) + (mask >> 1 & 1);
    int err = qaio_trace_reshape(rec, n, nch);
    if (err)
        return err;
    qaio_trace_set_x(rec, NULL);
    rec->x0 = x0;
    rec->dx = dx;
    size_t c = 0;
    for (int ch = 1; ch <= 2; ch++)
        if (mask & (1u << (ch - 1)))
            rec->channel[c++] = ch;
    for (; c < QAIO_TRACE_MAX_CHANNELS; c++)
        rec->channel[c] = 0;
    rec->domain = QAIO_DOMAIN_TIME;
    strcpy(rec->x_unit, "s");
    strcpy(rec->y_unit, "V");
    rec->enbw_hz = 0;
    rec->averages = 0;
    return 0;
}

/* --- what several families do alike ------------------------------------ */

/* The short form of a word: its capitals and digits ("NEGative" -> "NEG"). */
static size_t short_form(const char *word, char *out, size_t cap)
{
    size_t n = 0;
    for (; *word && n + 1 < cap; word++)
        if (!islower((unsigned char)*word))
            out[n++] = *word;
    out[n] = 0;
    return n;
}

int qaio__drv_word_index(const char *answer, const char *const *words, int n, int dflt)
{
    while (*answer == ' ')
        answer++;
    for (int i = 0; i < n; i++) {
        char sf[32];
        size_t len = short_form(words[i], sf, sizeof sf);
        if (len && strncasecmp(answer, sf, len) == 0)
            return i;
    }
    return dflt;
}

bool qaio__drv_word_is(const char *answer, const char *pattern)
{
    char w[32];
    size_t n = strcspn(answer, " \r\n");
    if (n >= sizeof w)
        return false;
    memcpy(w, answer, n);
    w[n] = 0;
    return qaio_scpi_word_match(w, pattern);
}

bool qaio__drv_contains(const char *s, const char *w)
{
    for (size_t n = strlen(w); *s; s++)
        if (strncasecmp(s, w, n) == 0)
            return true;
    return false;
}

bool qaio__drv_number(const char *t, double *v)
{
    char *end;
    *v = strtod(t, &end);
    return end != t && isfinite(*v);
}

int qaio__drv_split(char *text, char sep, char **f, int n)
{
    char seps[2] = {sep, 0};
    int k = 0;
    char *save = NULL;
    for (char *t = strtok_r(text, seps, &save); t && k < n; t = strtok_r(NULL, seps, &save)) {
        while (*t == ' ')
            t++;
        f[k++] = t;
    }
    return k;
}

void qaio__drv_add(qaio__drv_program *p, const char *fmt, ...)
{
    if (p->len >= sizeof p->text)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(p->text + p->len, sizeof p->text - p->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    p->len += (size_t)n;
    if (p->len + 1 < sizeof p->text)
        p->text[p->len++] = ';', p->text[p->len] = 0;
    else
        p->len = sizeof p->text; /* too long: the write refuses it */
}

int qaio__drv_send_program(qaio__scope_drv *d, const qaio__drv_program *p)
{
    if (p->len == 0)
        return 0;
    if (p->len >= sizeof p->text)
        return QAIO_EMSGSIZE;
    /* Without the last ';'. */
    int err = qaio__drv_write(d, "%.*s", (int)(p->len - 1), p->text);
    return err ? err : qaio__drv_check_error(d, NULL, qaio__drv_deadline(d, d->timeout));
}

qaio_trigger_mode qaio__drv_sweep_for(qaio__scope_drv *d, qaio_trigger_mode mode, int *refused)
{
    if (mode != QAIO_TRIG_FORCE)
        return mode;
    *refused = qaio__drv_fail(d, QAIO_EIO, "free run is not a trigger mode; AUTO is used");
    return QAIO_TRIG_AUTO;
}

int qaio__drv_set_timebase(qaio__scope_drv *d, const qaio_scope_settings *s, double divs,
                           const char *cmd, const char *rate_query, const char *points_query,
                           const char *why)
{
    double tdiv = qaio__nearest_125((double)s->points / (s->rate * divs));
    double dl = qaio__drv_deadline(d, d->timeout), rate, points;
    int err = qaio__drv_write(d, cmd, tdiv);
    if (!err)
        err = qaio__drv_query_number(d, &rate, dl, "%s", rate_query);
    if (!err)
        err = qaio__drv_query_number(d, &points, dl, "%s", points_query);
    if (err)
        return err;
    if ((size_t)llround(points) == s->points && fabs(rate - s->rate) <= 1e-6 * s->rate)
        return 0;
    return qaio__drv_fail(d, QAIO_EIO, "%s; at %.3E s/div it uses %.0f points at %.9g Sa/s", why,
                          tdiv, points, rate);
}

int qaio__drv_put_record(qaio__scope_drv *d, qaio_scope_settings *out, double rate, double points,
                         double level, const char *rate_name, const char *points_name)
{
    if (!(rate > 0) || !(points >= 1))
        return qaio__drv_fail(d, QAIO_EPROTO, "%s %g, %s %g: not a record", rate_name, rate,
                              points_name, points);
    out->rate = rate;
    out->points = (size_t)llround(points);
    out->trigger_level = level;
    return 0;
}

int qaio__drv_apply_done(qaio__scope_drv *d, int err, int refused)
{
    if (err)
        return err;
    /* Reading the queue must not lose the refusal's message. */
    char keep[sizeof d->message];
    snprintf(keep, sizeof keep, "%s", d->message);
    err = qaio__drv_check_error(d, NULL, qaio__drv_deadline(d, d->timeout));
    if (err)
        return err;
    if (refused)
        snprintf(d->message, sizeof d->message, "%s", keep);
    return refused;
}

int qaio__drv_poll(qaio__scope_drv *d, const char *query, bool (*done)(const char *answer),
                   double deadline)
{
    int err = 0;
    for (double wait = 0.0005; !err; wait = fmin(wait * 2, 0.02)) {
        char a[64];
        int n = qaio__drv_query(d, a, sizeof a, deadline, "%s", query);
        if (n < 0)
            return n;
        if (done(a))
            return 0;
        if (qaio__drv_left(d, deadline) <= 0)
            return QAIO_ETIMEDOUT;
        err = qaio__drv_sleep(d, wait);
    }
    return err;
}

int qaio__drv_shape_channel(qaio__scope_drv *d, qaio_trace *rec, size_t c, size_t n, unsigned mask,
                            double x0, double dx)
{
    if (c == 0)
        return qaio__drv_shape_record(rec, n, mask, x0, dx);
    return n == rec->n ? 0
                       : qaio__drv_fail(d, QAIO_EPROTO, "channels of one record differ in length");
}

/* The ';' between two channels' parts of one reply. */
static int read_separator(qaio__scope_drv *d, double deadline)
{
    char sep;
    int err = qaio__drv_read_exact(d, &sep, 1, deadline);
    if (!err && sep != ';')
        err = qaio__drv_fail(d, QAIO_EPROTO, "channels not separated by ';'");
    return err;
}

int qaio__drv_read_parts(qaio__scope_drv *d, qaio_trace *rec, unsigned mask,
                         qaio__drv_read_part *read_part, double deadline)
{
    int err = 0;
    size_t c = 0;
    for (unsigned ch = 1; !err && ch <= 2; ch++) {
        if (!(mask & ch))
            continue;
        if (c > 0 && (err = read_separator(d, deadline)))
            break;
        err = read_part(d, rec, c++, mask, deadline);
    }
    return err ? err : qaio__drv_read_eol(d, deadline);
}
