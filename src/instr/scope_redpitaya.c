/* The "redpitaya" family: Red Pitaya STEMlab 125-14 through its SCPI server
 * (port 5000), following the Red Pitaya documentation, "Remote control
 * (SCPI)" (redpitaya.readthedocs.io, appsFeatures/remoteControl): the
 * acquisition command list ("Acquire": control, decimation, trigger, data
 * read-out, data units and format) and the "Acquire a signal" examples,
 * whose sequence this driver follows:
 *     ACQ:RST  ACQ:DEC <n>  ACQ:TRIG:LEV <V>  ACQ:TRIG:DLY <samples>
 *     ACQ:START  ACQ:TRIG <source>  ACQ:TRIG:STAT? (until TD)
 *     ACQ:SOUR<n>:DATA?
 * The board's answers end with "\r\n".
 *
 * The model: one 16384-sample buffer per input at 125 MS/s / decimation
 * (1, 2, 4, ..., 65536: the classic server's), its last sample DLY samples
 * after the trigger (8192, set at connection: the trigger in the middle,
 * x0 = -8192 / fs). The record length is fixed and the rate is a
 * decimation: a request for other points, or a rate that is not 125 MS/s
 * divided by a power of two, is QAIO_EIO naming what is used instead.
 * The board keeps no trigger mode, slope or source (ACQ:TRIG arms once and
 * disables itself): they are the driver's and go out with every record --
 * normal and single as ACQ:TRIG CH<n>_PE / _NE, force as ACQ:TRIG NOW,
 * auto as the edge for a short while and then NOW. No edge on both
 * slopes: "either" is refused and rising used.
 *
 * Data: the driver selects ACQ:DATA:FORMAT BIN with ACQ:DATA:UNITS VOLTS
 * (big-endian float32 volts), and reads whatever form the board is in
 * (someone may have changed it): "{v,...}" ASCII volts or raw codes, BIN
 * float32 volts or big-endian int16 codes. Raw codes are the 14-bit ADC's,
 * volts = code * full scale / 8192 with the full scale of the input's
 * jumper (ACQ:SOUR<n>:GAIN? LV: 1 V, HV: 20 V). Errors: SYST:ERR? (the
 * scpi-parser queue). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scope_driver.h"

#define RP_BUFFER 16384
#define RP_BASE_RATE 125e6
#define RP_MAX_DEC 65536u
#define RP_DELAY (RP_BUFFER / 2)
#define RP_POLL_S 0.002

typedef struct rp_priv {
    qaio_trigger_mode mode;
    qaio_trigger_slope slope;
    unsigned source; /* 1 or 2 */
} rp_priv;

static rp_priv *priv(qaio__scope_drv *d)
{
    rp_priv *p = d->priv;
    if (p->source == 0)
        p->source = 1;
    return p;
}

static bool rp_matches(const char *maker, const char *model)
{
    return strcasecmp(maker, "REDPITAYA") == 0 && strncasecmp(model, "INSTR", 5) == 0;
}

static int rp_setup(qaio__scope_drv *d)
{
    /* The *IDN? model field ("INSTR2020") is the server's, not the
     * board's: messages name the board. */
    snprintf(d->model, sizeof d->model, "STEMlab 125-14");
    double deadline = qaio__drv_deadline(d, d->timeout);
    static const char *const lines[] = {"ACQ:RST", "ACQ:DATA:FORMAT BIN", "ACQ:DATA:UNITS VOLTS"};
    int err = 0;
    for (size_t i = 0; !err && i < sizeof lines / sizeof lines[0]; i++)
        err = qaio__drv_write(d, "%s", lines[i]);
    if (!err)
        err = qaio__drv_write(d, "ACQ:TRIG:DLY %d", RP_DELAY);
    return err ? err : qaio__drv_check_error(d, "setup", deadline);
}

static int rp_read_settings(qaio__scope_drv *d, qaio_scope_settings *out)
{
    double deadline = qaio__drv_deadline(d, d->timeout);
    double dec, level;
    int err = qaio__drv_query_number(d, &dec, deadline, "ACQ:DEC?");
    if (!err)
        err = qaio__drv_query_number(d, &level, deadline, "ACQ:TRIG:LEV?");
    if (err)
        return err;
    if (!(dec >= 1 && dec <= RP_MAX_DEC))
        return qaio__drv_fail(d, QAIO_EPROTO, "ACQ:DEC? answered %g", dec);
    rp_priv *p = priv(d);
    out->points = RP_BUFFER;
    out->rate = RP_BASE_RATE / dec;
    out->trigger_level = level;
    out->trigger = p->mode;
    out->slope = p->slope;
    out->trigger_source = p->source;
    return 0;
}

/* The power-of-two decimation nearest (in ratio) to the wanted rate. */
static unsigned decimation_for(double rate)
{
    double k = nearbyint(log2(RP_BASE_RATE / rate));
    k = fmin(fmax(k, 0), 16);
    return 1u << (unsigned)k;
}

/* Appends one refusal to why (cap bytes), "; " between them. */
static void add_why(char *why, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add_why(char *why, size_t cap, const char *fmt, ...)
{
    size_t n = strlen(why);
    if (n && n + 2 < cap)
        memcpy(why + n, "; ", 3), n += 2;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why + n, cap - n, fmt, ap);
    va_end(ap);
}

static int rp_apply_settings(qaio__scope_drv *d, const qaio_scope_settings *want,
                             const qaio_scope_settings *cur)
{
    rp_priv *p = priv(d);
    int refused = 0;
    char why[320] = "";
    p->mode = want->trigger;
    p->source = want->trigger_source;
    p->slope = want->slope;
    if (want->slope == QAIO_SLOPE_EITHER) {
        p->slope = QAIO_SLOPE_RISING;
        add_why(why, sizeof why, "no trigger on either edge; it uses rising");
        refused = QAIO_EIO;
    }
    if (want->points != cur->points) {
        add_why(why, sizeof why, "the record is always %d samples; it uses %d", RP_BUFFER,
                RP_BUFFER);
        refused = QAIO_EIO;
    }
    int err = 0;
    if (want->rate != cur->rate) {
        unsigned dec = decimation_for(want->rate);
        double rate = RP_BASE_RATE / dec;
        if (fabs(rate - want->rate) > 1e-9 * rate) {
            add_why(why, sizeof why,
                    "a rate of %g S/s is not 125 MS/s / 2^k; it uses %g S/s (decimation %u)",
                    want->rate, rate, dec);
            refused = QAIO_EIO;
        }
        if (rate != cur->rate)
            err = qaio__drv_write(d, "ACQ:DEC %u", dec);
    }
    if (!err && want->trigger_level != cur->trigger_level)
        err = qaio__drv_write(d, "ACQ:TRIG:LEV %.9g", want->trigger_level);
    if (!err)
        err = qaio__drv_check_error(d, NULL, qaio__drv_deadline(d, d->timeout));
    if (err)
        return err;
    return refused ? qaio__drv_fail(d, refused, "%s", why) : 0;
}

/* --- acquisition --------------------------------------------------------- */

static const char *edge_source(const rp_priv *p)
{
    static const char *const names[2][2] = {{"CH1_PE", "CH1_NE"}, {"CH2_PE", "CH2_NE"}};
    return names[p->source == 2][p->slope == QAIO_SLOPE_FALLING];
}

/* Arms and polls ACQ:TRIG:STAT? until TD. Auto: the edge for
 * auto_wait seconds, then NOW. The poll interval starts short (a 16k
 * record at 125 MS/s fills in 131 us) and doubles up to RP_POLL_S, so a
 * fast record is not held up by a fixed sleep and a slow one costs few
 * polls. */
static int wait_trigger(qaio__scope_drv *d, double auto_wait, double deadline)
{
    rp_priv *p = priv(d);
    bool now = p->mode == QAIO_TRIG_FORCE;
    int err = qaio__drv_write(d, "ACQ:START");
    if (!err)
        err = qaio__drv_write(d, "ACQ:TRIG %s", now ? "NOW" : edge_source(p));
    double give_up_edge = qaio__drv_deadline(d, auto_wait);
    double interval = RP_POLL_S / 32;
    char a[64];
    while (!err) {
        int n = qaio__drv_query(d, a, sizeof a, deadline, "ACQ:TRIG:STAT?");
        if (n < 0)
            return n;
        if (strcmp(a, "TD") == 0)
            return 0;
        if (strcmp(a, "WAIT") != 0)
            return qaio__drv_fail(d, QAIO_EPROTO, "ACQ:TRIG:STAT? answered '%.40s'", a);
        if (p->mode == QAIO_TRIG_AUTO && !now && qaio__drv_left(d, give_up_edge) <= 0) {
            now = true;
            err = qaio__drv_write(d, "ACQ:TRIG NOW");
            continue;
        }
        if (qaio__drv_left(d, deadline) <= 0)
            return QAIO_ETIMEDOUT;
        err = qaio__drv_sleep(d, interval);
        interval = fmin(2 * interval, RP_POLL_S);
    }
    return err;
}

/* Reads the answer to ACQ:SOUR<ch>:DATA? into rec->y[c], converted as
 * units say; *n is the number of samples. */
static int read_data(qaio__scope_drv *d, float *y, size_t cap, bool raw, double lsb, size_t *n,
                     double deadline)
{
    char first;
    int err = qaio__drv_read_exact(d, &first, 1, deadline);
    if (err)
        return err;
    double scale = raw ? lsb : 1;
    if (first == '{') {
        /* ASCII: up to "}\r\n"; the text buffer is the block buffer. */
        size_t max = cap * 24 + 8;
        if (d->blkcap < max) {
            unsigned char *b = realloc(d->blk, max);
            if (!b)
                return QAIO_ENOMEM;
            d->blk = b;
            d->blkcap = max;
        }
        int len = qaio__drv_read_until(d, '}', (char *)d->blk, max, deadline);
        if (len < 0)
            return len == QAIO_EMSGSIZE ? qaio__drv_fail(d, QAIO_EPROTO, "ASCII data too long")
                                        : len;
        long got = qaio__decode_ascii((const char *)d->blk, (size_t)len, y, cap, scale, 0);
        if (got < 0)
            return qaio__drv_fail(d, QAIO_EPROTO, "ASCII data: '%.40s'", (const char *)d->blk);
        *n = (size_t)got;
        return qaio__drv_read_eol(d, deadline);
    }
    if (first != '#')
        return qaio__drv_fail(d, QAIO_EPROTO, "data start with '%c', not '{' or '#'", first);
    /* Put the '#' back in front of the block reader: read the rest by hand. */
    char nd;
    if ((err = qaio__drv_read_exact(d, &nd, 1, deadline)))
        return err;
    if (nd < '1' || nd > '9')
        return qaio__drv_fail(d, QAIO_EPROTO, "block header '#%c'", nd);
    char digits[10];
    if ((err = qaio__drv_read_exact(d, digits, (size_t)(nd - '0'), deadline)))
        return err;
    size_t len = 0;
    for (int i = 0; i < nd - '0'; i++) {
        if (digits[i] < '0' || digits[i] > '9')
            return qaio__drv_fail(d, QAIO_EPROTO, "block length is not a number");
        len = len * 10 + (size_t)(digits[i] - '0');
    }
    size_t width = raw ? 2 : 4;
    if (len % width || len / width > cap)
        return qaio__drv_fail(d, QAIO_EPROTO, "a block of %zu bytes for %s samples", len,
                              raw ? "int16" : "float32");
    if (d->blkcap < len) {
        unsigned char *b = realloc(d->blk, len);
        if (!b)
            return QAIO_ENOMEM;
        d->blk = b;
        d->blkcap = len;
    }
    if (len && (err = qaio__drv_read_exact(d, d->blk, len, deadline)))
        return err;
    *n = len / width;
    qaio__decode_samples(d->blk, *n, raw ? QAIO__S16 : QAIO__F32, true, scale, 0, y);
    return qaio__drv_read_eol(d, deadline);
}

static bool answer_is(const char *a, const char *word)
{
    return strcasecmp(a, word) == 0;
}

/* The units in effect, and for raw codes each input's volts per code. */
static int read_units(qaio__scope_drv *d, unsigned mask, bool *raw, double lsb[2],
                      double deadline)
{
    char a[64];
    int n = qaio__drv_query(d, a, sizeof a, deadline, "ACQ:DATA:UNITS?");
    if (n < 0)
        return n;
    if (!answer_is(a, "VOLTS") && !answer_is(a, "RAW"))
        return qaio__drv_fail(d, QAIO_EPROTO, "ACQ:DATA:UNITS? answered '%.40s'", a);
    *raw = answer_is(a, "RAW");
    for (unsigned ch = 1; *raw && ch <= 2; ch++) {
        if (!(mask & ch))
            continue;
        n = qaio__drv_query(d, a, sizeof a, deadline, "ACQ:SOUR%u:GAIN?", ch);
        if (n < 0)
            return n;
        if (!answer_is(a, "LV") && !answer_is(a, "HV"))
            return qaio__drv_fail(d, QAIO_EPROTO, "ACQ:SOUR%u:GAIN? answered '%.40s'", ch, a);
        lsb[ch - 1] = (answer_is(a, "HV") ? 20.0 : 1.0) / 8192.0;
    }
    return 0;
}

static int rp_acquire(qaio__scope_drv *d, qaio_trace *rec, unsigned mask, double deadline)
{
    double dec, delay;
    int err = qaio__drv_query_number(d, &dec, deadline, "ACQ:DEC?");
    if (!err)
        err = qaio__drv_query_number(d, &delay, deadline, "ACQ:TRIG:DLY?");
    if (err)
        return err;
    if (!(dec >= 1 && dec <= RP_MAX_DEC))
        return qaio__drv_fail(d, QAIO_EPROTO, "ACQ:DEC? answered %g", dec);
    double fs = RP_BASE_RATE / dec;
    bool raw = false;
    double lsb[2] = {0, 0};
    if ((err = read_units(d, mask, &raw, lsb, deadline)))
        return err;
    double auto_wait = fmax(0.1, 2.0 * RP_BUFFER / fs);
    if ((err = wait_trigger(d, auto_wait, deadline)))
        return err;
    /* The buffer ends DLY samples after the trigger. */
    err = qaio__drv_shape_record(rec, RP_BUFFER, mask, (delay - RP_BUFFER) / fs, 1.0 / fs);
    size_t c = 0, len = 0;
    for (unsigned ch = 1; !err && ch <= 2; ch++) {
        if (!(mask & ch))
            continue;
        size_t n = 0;
        err = qaio__drv_write(d, "ACQ:SOUR%u:DATA?", ch);
        if (!err)
            err = read_data(d, rec->y[c], RP_BUFFER, raw, lsb[ch - 1], &n, deadline);
        if (!err && c > 0 && n != len)
            err = qaio__drv_fail(d, QAIO_EPROTO, "IN1 and IN2 differ in length");
        len = n;
        c++;
    }
    if (err)
        return err;
    if (len < 2)
        return qaio__drv_fail(d, QAIO_EPROTO, "a record of %zu samples", len);
    if (len == RP_BUFFER)
        return 0;
    /* What the board returned, on the same axis: the channels sit one
     * after the other in the record's buffer, so the second moves down. */
    float *second = rec->nch > 1 ? rec->y[1] : NULL;
    if ((err = qaio_trace_reshape(rec, len, rec->nch)))
        return err;
    if (second)
        memmove(rec->y[1], second, len * sizeof *second);
    return 0;
}

const qaio__scope_family qaio__family_redpitaya = {
    .name = "redpitaya",
    .title = "Red Pitaya STEMlab 125-14",
    .port = 5000,
    .matches = rp_matches,
    .priv_size = sizeof(rp_priv),
    .setup = rp_setup,
    .read_settings = rp_read_settings,
    .apply_settings = rp_apply_settings,
    .acquire = rp_acquire,
};
