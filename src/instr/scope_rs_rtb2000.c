/* The "rs-rtb2000" family: Rohde & Schwarz RTB2000 and RTM3000 (and the
 * HAMEG HMO / R&S RTC1000 scopes sharing their command set), per the
 * "R&S RTB2000 User Manual" (1333.1611.02), chapter "Remote Control
 * Commands":
 *   - Acquisition and setup: SINGle;*OPC? (one record, complete when the
 *     query answers), RUN, TIMebase:SCALe, ACQuire:POINts[:VALue] (the
 *     record length), ACQuire:SRATe?;
 *   - Trigger: TRIGger:A:MODE AUTO|NORMal, TRIGger:A:SOURce CH<n>,
 *     TRIGger:A:EDGE:SLOPe POSitive|NEGative|EITHer,
 *     TRIGger:A:LEVel<n>[:VALue];
 *   - Waveform data export: CHANnel<n>:DATA:POINts DMAXimum (the whole
 *     record), FORMat[:DATA] REAL,32 (the driver's choice:
 *     float32 volts), UINT,8, UINT,16 or ASCii, FORMat:BORDer LSBFirst,
 *     CHANnel<n>:DATA:HEADer? ("xstart,xstop,samples,values per sample"),
 *     CHANnel<n>:DATA:XORigin?/XINCrement? (time of sample n = n x
 *     xIncrement + xOrigin) and, for UINT, YORigin?/YINCrement? (the
 *     manual's "Data conversion": Y = yOrigin + yIncrement x value), then
 *     CHANnel<n>:DATA? (a definite-length block, or comma-separated volts
 *     for ASCii);
 *   - SYSTem:ERRor[:NEXT]? for errors.
 * The time scale follows the 1-2-5 steps of the knob; the rate is the
 * record length over 12 divisions of it: the driver sets the record length
 * and the scale nearest the requested rate, and says what the scope uses
 * when that is not what was asked. A record is SINGle;*OPC?; in AUTO or
 * NORMal the scope is put back running (RUN) after it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scope_driver.h"
#include "scope_model.h"

#define HDIVS 12.0

/* The data formats of FORMat[:DATA]. */
enum { F_REAL, F_UINT8, F_UINT16, F_ASCII };

typedef struct rtb_priv {
    qaio_trigger_mode mode;
    bool mode_known;
} rtb_priv;

/* The manual's words for the sweeps (AUTO, NORMal) and the slopes (rising,
 * falling, either). */
static const char *const modes[] = {"AUTO", "NORMal"};
static const char *const slopes[] = {"POSitive", "NEGative", "EITHer"};

static bool rtb_matches(const char *maker, const char *model)
{
    bool rs = strncasecmp(maker, "Rohde", 5) == 0 || strncasecmp(maker, "HAMEG", 5) == 0;
    return rs && (strncasecmp(model, "RTB", 3) == 0 || strncasecmp(model, "RTM", 3) == 0 ||
                  strncasecmp(model, "RTC", 3) == 0 || strncasecmp(model, "RTA", 3) == 0 ||
                  strncasecmp(model, "HMO", 3) == 0);
}

static int rtb_setup(qaio__scope_drv *d)
{
    /* DMAXimum: CHANnel<n>:DATA? returns the whole record, not the
     * display's resolution. */
    return qaio__drv_write(d, "FORMat:DATA REAL,32;:FORMat:BORDer LSBFirst;"
                              ":CHANnel1:DATA:POINts DMAXimum;:CHANnel2:DATA:POINts DMAXimum");
}

static int rtb_read_settings(qaio__scope_drv *d, qaio_scope_settings *out)
{
    rtb_priv *p = d->priv;
    double dl = qaio__drv_deadline(d, d->timeout), rate, points, level;
    char a[64];
    int err = qaio__drv_query_number(d, &rate, dl, "ACQuire:SRATe?");
    if (!err)
        err = qaio__drv_query_number(d, &points, dl, "ACQuire:POINts?");
    if (!err && qaio__drv_query(d, a, sizeof a, dl, "TRIGger:A:MODE?") < 0)
        err = QAIO_EPROTO;
    if (err)
        return err;
    /* SINGle is not a trigger mode here: the caller's single is kept. */
    qaio_trigger_mode m = qaio__drv_word_index(a, modes, 2, QAIO_TRIG_AUTO);
    out->trigger = p->mode_known && p->mode == QAIO_TRIG_SINGLE ? QAIO_TRIG_SINGLE : m;
    int n = qaio__drv_query(d, a, sizeof a, dl, "TRIGger:A:SOURce?");
    if (n < 0)
        return n;
    out->trigger_source = qaio__drv_word_is(a, "CH2") ? 2 : 1;
    if ((n = qaio__drv_query(d, a, sizeof a, dl, "TRIGger:A:EDGE:SLOPe?")) < 0)
        return n;
    out->slope = qaio__drv_word_index(a, slopes, 3, QAIO_SLOPE_RISING);
    err = qaio__drv_query_number(d, &level, dl, "TRIGger:A:LEVel%u:VALue?", out->trigger_source);
    if (err)
        return err;
    return qaio__drv_put_record(d, out, rate, points, level, "rate", "points");
}

static int set_record(qaio__scope_drv *d, const qaio_scope_settings *s)
{
    /* The record length is a setting of its own; the time scale then
     * sets the rate. */
    int err = qaio__drv_write(d, "ACQuire:POINts:VALue %zu", s->points);
    return err ? err
               : qaio__drv_set_timebase(d, s, HDIVS, "TIMebase:SCALe %.3E", "ACQuire:SRATe?",
                                        "ACQuire:POINts?",
                                        "the rate is the record length over 12 divisions of "
                                        "a 1-2-5 time scale");
}

static int rtb_apply_settings(qaio__scope_drv *d, const qaio_scope_settings *s,
                              const qaio_scope_settings *cur)
{
    rtb_priv *p = d->priv;
    int refused = 0, err = 0;
    if (s->trigger != cur->trigger || !p->mode_known) {
        qaio_trigger_mode m = qaio__drv_sweep_for(d, s->trigger, &refused);
        if (m != QAIO_TRIG_SINGLE)
            err = qaio__drv_write(d, "TRIGger:A:MODE %s", modes[m]);
        p->mode = m;
        p->mode_known = true;
    }
    if (!err && s->trigger_source != cur->trigger_source)
        err = qaio__drv_write(d, "TRIGger:A:SOURce CH%u", s->trigger_source);
    if (!err && s->slope != cur->slope)
        err = qaio__drv_write(d, "TRIGger:A:EDGE:SLOPe %s", slopes[s->slope]);
    if (!err && (s->trigger_level != cur->trigger_level ||
                 s->trigger_source != cur->trigger_source))
        err = qaio__drv_write(d, "TRIGger:A:LEVel%u:VALue %.6E", s->trigger_source,
                              s->trigger_level);
    if (!err && (s->points != cur->points || s->rate != cur->rate)) {
        err = set_record(d, s);
        if (err == QAIO_EIO)
            refused = err, err = 0;
    }
    return qaio__drv_apply_done(d, err, refused);
}

/* The format in force, from FORMat? ("REAL,32", "UINT,8", "ASC,0"). */
static int read_format(qaio__scope_drv *d, int *f, bool *msb, double deadline)
{
    char a[64];
    int n = qaio__drv_query(d, a, sizeof a, deadline, "FORMat:BORDer?");
    if (n < 0)
        return n;
    *msb = qaio__drv_word_is(a, "MSBFirst");
    if ((n = qaio__drv_query(d, a, sizeof a, deadline, "FORMat:DATA?")) < 0)
        return n;
    if (strncasecmp(a, "REAL", 4) == 0)
        *f = F_REAL;
    else if (strncasecmp(a, "UINT,16", 7) == 0)
        *f = F_UINT16;
    else if (strncasecmp(a, "UINT", 4) == 0)
        *f = F_UINT8;
    else if (strncasecmp(a, "ASC", 3) == 0)
        *f = F_ASCII;
    else
        return qaio__drv_fail(d, QAIO_EPROTO, "FORMat? answered '%.40s'", a);
    return 0;
}

typedef struct axis {
    size_t n;
    double x0, dx, y0, dy;
} axis;

/* CHANnel<n>:DATA:HEADer? and the origins and increments of the data. */
static int read_axis(qaio__scope_drv *d, unsigned ch, int f, axis *ax, double deadline)
{
    char a[256];
    int n = qaio__drv_query(d, a, sizeof a, deadline, "CHANnel%u:DATA:HEADer?", ch);
    if (n < 0)
        return n;
    double xs, xe, samples, vps;
    if (sscanf(a, "%lf,%lf,%lf,%lf", &xs, &xe, &samples, &vps) != 4 || !(samples >= 1) ||
        samples > (double)QAIO_SCPI_MAX_BLOCK || vps != 1)
        return qaio__drv_fail(d, QAIO_EPROTO, "CHAN%u:DATA:HEAD? answered '%.60s'", ch, a);
    ax->n = (size_t)samples;
    int err = qaio__drv_query_number(d, &ax->x0, deadline, "CHANnel%u:DATA:XORigin?", ch);
    if (!err)
        err = qaio__drv_query_number(d, &ax->dx, deadline, "CHANnel%u:DATA:XINCrement?", ch);
    ax->y0 = 0, ax->dy = 1;
    if (!err && (f == F_UINT8 || f == F_UINT16)) {
        err = qaio__drv_query_number(d, &ax->y0, deadline, "CHANnel%u:DATA:YORigin?", ch);
        if (!err)
            err = qaio__drv_query_number(d, &ax->dy, deadline, "CHANnel%u:DATA:YINCrement?", ch);
    }
    if (!err && !(ax->dx > 0))
        err = qaio__drv_fail(d, QAIO_EPROTO, "CHAN%u: x increment %g", ch, ax->dx);
    return err;
}

/* Comma-separated volts up to the line end. */
static int read_ascii(qaio__scope_drv *d, size_t n, float *y, double deadline)
{
    size_t cap = n * 32 + 64;
    char *text = malloc(cap);
    if (!text)
        return QAIO_ENOMEM;
    int len = qaio__drv_read_line(d, text, cap, deadline);
    long got = len < 0 ? len : qaio__decode_ascii(text, (size_t)len, y, n, 1, 0);
    free(text);
    if (got < 0)
        return got == QAIO_EPROTO ? qaio__drv_fail(d, QAIO_EPROTO, "ASCii data is malformed")
                                  : (int)got;
    return (size_t)got == n ? 0
                            : qaio__drv_fail(d, QAIO_EPROTO, "%ld ASCii values, %zu expected",
                                             got, n);
}

static int read_channel(qaio__scope_drv *d, qaio_trace *rec, size_t c, unsigned ch, unsigned mask,
                        int f, bool msb, double deadline)
{
    axis ax;
    int err = read_axis(d, ch, f, &ax, deadline);
    if (err)
        return err;
    if ((err = qaio__drv_shape_channel(d, rec, c, ax.n, mask, ax.x0, ax.dx)))
        return err;
    if ((err = qaio__drv_write(d, "CHANnel%u:DATA?", ch)))
        return err;
    if (f == F_ASCII)
        return read_ascii(d, ax.n, rec->y[c], deadline);
    size_t len;
    if ((err = qaio__drv_read_block(d, 0, &len, deadline)) || (err = qaio__drv_read_eol(d, deadline)))
        return err;
    qaio__sample_kind k = f == F_REAL ? QAIO__F32 : f == F_UINT16 ? QAIO__U16 : QAIO__U8;
    if (len != ax.n * qaio__sample_width(k))
        return qaio__drv_fail(d, QAIO_EPROTO, "CHAN%u: a block of %zu bytes for %zu samples", ch,
                              len, ax.n);
    qaio__decode_samples(d->blk, ax.n, k, msb, ax.dy, ax.y0, rec->y[c]);
    return 0;
}

static int rtb_acquire(qaio__scope_drv *d, qaio_trace *rec, unsigned mask, double deadline)
{
    rtb_priv *p = d->priv;
    char a[32];
    int n = qaio__drv_query(d, a, sizeof a, deadline, "SINGle;*OPC?");
    if (n < 0)
        return n;
    if (strcmp(a, "1") != 0)
        return qaio__drv_fail(d, QAIO_EPROTO, "SING;*OPC? answered '%.20s'", a);
    int f = F_REAL;
    bool msb = false;
    int err = read_format(d, &f, &msb, deadline);
    size_t c = 0;
    for (unsigned ch = 1; !err && ch <= 2; ch++)
        if (mask & ch)
            err = read_channel(d, rec, c++, ch, mask, f, msb, deadline);
    if (!err && (!p->mode_known || p->mode != QAIO_TRIG_SINGLE))
        err = qaio__drv_write(d, "RUN");
    return err;
}

const qaio__scope_family qaio__family_rs_rtb2000 = {
    .name = "rs-rtb2000",
    .title = "Rohde & Schwarz RTB2000 / RTM3000",
    .port = 5025,
    .matches = rtb_matches,
    .priv_size = sizeof(rtb_priv),
    .setup = rtb_setup,
    .read_settings = rtb_read_settings,
    .apply_settings = rtb_apply_settings,
    .acquire = rtb_acquire,
};
