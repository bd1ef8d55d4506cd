/* The "rigol-ds1000z" family: Rigol DS1000Z / MSO1000Z over LAN, port
 * 5555, following the "MSO1000Z/DS1000Z Series Programming Guide" (Rigol,
 * December 2015 edition): :SINGle and :TRIGger:STATus? (TD, WAIT, RUN,
 * AUTO, STOP), :TFORce, :TIMebase[:MAIN]:SCALe, :ACQuire:MDEPth and
 * :ACQuire:SRATe? (query only), :CHANnel<n>:DISPlay, :TRIGger:MODE EDGE,
 * :TRIGger:EDGe:SOURce/SLOPe/LEVel, :SYSTem:ERRor?, and the :WAVeform
 * subsystem with the guide's procedure for reading the memory: :WAV:SOUR,
 * :WAV:MODE RAW, :WAV:FORM, :WAV:PRE?, then :WAV:STARt / :WAV:STOP /
 * :WAV:DATA? in pieces of at most 250000 points (BYTE), 125000 (WORD) or
 * 15625 (ASCii). One command per line, as the guide's examples send them.
 * The MSO5000 takes the same commands for all of this ("MSO5000 Series
 * Programming Guide"); its model differs: 10 divisions, depths 1k .. 200M
 * written "1k".."200M", 8 GS/s (rigol_model below).
 *
 * The model (DS1000Z): 12 horizontal divisions; the memory depth (12k,
 * 120k, 1.2M, 12M, 24M points with one channel on, half with two, a
 * quarter with three or four) and time/div (1-2-5 steps, 5 ns to 50 s)
 * set the sample rate, depth / (12 * time/div), at most 1 GS/s, 500 MS/s
 * or 250 MS/s. The driver picks the depth nearest the requested points
 * and the time/div that gives the requested rate, and reads back what the
 * scope uses; what it cannot make is QAIO_EIO naming the setting
 * ("DS1104Z: the record length is set by memory depth, ...; it uses
 * 12000"). The depth only changes in RUN: the driver sends :RUN first.
 * The channel mask turns :CHANnel1/2:DISPlay on and off (channels 3 and 4
 * are left alone but count for the memory split).
 *
 * Records: every acquisition is :SINGle, polled to STOP (auto: :TFORce
 * when no trigger came in a short while; force: :TFORce at once); the
 * trigger mode is the driver's, since :SINGle itself sets the sweep to
 * SINGle. Data are decoded per the preamble (format 0 BYTE unsigned, 1
 * WORD little-endian 16-bit, 2 ASCii volts; volts = (code - yorigin -
 * yreference) * yincrement), whatever :WAV:FORMat is in effect (the
 * driver selects BYTE at connection); the record length is the
 * preamble's, x0 = xorigin - xreference * xincrement. Left out: channels
 * 3 and 4 as record channels (the driver's records have two), math and
 * digital channels, segmented memory. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scope_driver.h"
#include "scope_model.h"

#define POLL_S 0.003
#define MAX_POINTS 200000000

/* What differs between the series (their programming guides' :ACQuire
 * and :TIMebase chapters): the screen's divisions, the memory depths
 * with one channel on (two channels get half the largest, three or four a
 * quarter; the DS1000Z splits every depth so), the top sample rate with
 * one channel on (split alike), the time/div range, and whether
 * :ACQuire:MDEPth speaks in "1k"/"25M". */
typedef struct rigol_model {
    const char *series;
    int divs;
    long depths[9];
    int ndepths;
    bool split_all; /* every depth is divided by the split, not only the largest */
    double max_rate;
    double tdiv_min, tdiv_max;
    bool suffixed;
} rigol_model;

static const rigol_model ds1000z = {"DS1000Z", 12, {12000, 120000, 1200000, 12000000, 24000000},
                                    5, true, 1e9, 5e-9, 50, false};
/* The MSO5000's: 200 Mpts with the memory option; 8 GS/s. Not checked
 * against an instrument (the simulator is a DS1104Z). */
static const rigol_model mso5000 = {
    "MSO5000", 10, {1000, 10000, 100000, 1000000, 10000000, 25000000, 50000000, 100000000,
                    200000000},
    9, false, 8e9, 1e-9, 1000, true};

typedef struct rigol_priv {
    const rigol_model *m;
    qaio_trigger_mode mode;
    unsigned source; /* the scope's trigger source, 3 and 4 included */
} rigol_priv;

/* The guide's words for the slopes (rising, falling, either). */
static const char *const slopes[] = {"POSitive", "NEGative", "RFALl"};

static const rigol_model *model_of(qaio__scope_drv *d)
{
    rigol_priv *p = d->priv;
    if (!p->m)
        p->m = strncasecmp(d->model, "MSO5", 4) == 0 ? &mso5000 : &ds1000z;
    return p->m;
}

static bool rigol_matches(const char *maker, const char *model)
{
    if (strcasecmp(maker, "RIGOL TECHNOLOGIES") != 0)
        return false;
    /* DS1054Z, DS1104Z(-S) (Plus), MSO1104Z, DS1202Z-E; MSO5074, ... */
    bool z = strlen(model) > 4 && strchr(model + 4, 'Z');
    return ((strncasecmp(model, "DS1", 3) == 0 || strncasecmp(model, "MSO1", 4) == 0) && z) ||
           strncasecmp(model, "MSO5", 4) == 0;
}

static int rigol_setup(qaio__scope_drv *d)
{
    int err = qaio__drv_write(d, ":WAVeform:FORMat BYTE");
    return err ? err : qaio__drv_check_error(d, "setup", qaio__drv_deadline(d, d->timeout));
}

static int query_word(qaio__scope_drv *d, char *a, size_t cap, double deadline, const char *q)
{
    int n = qaio__drv_query(d, a, cap, deadline, "%s", q);
    return n < 0 ? n : 0;
}

static int rigol_read_settings(qaio__scope_drv *d, qaio_scope_settings *out)
{
    rigol_priv *p = d->priv;
    double deadline = qaio__drv_deadline(d, d->timeout);
    double rate, tdiv, level;
    char depth[64], slope[64], source[64];
    int err = qaio__drv_query_number(d, &rate, deadline, ":ACQuire:SRATe?");
    if (!err)
        err = qaio__drv_query_number(d, &tdiv, deadline, ":TIMebase:MAIN:SCALe?");
    if (!err)
        err = query_word(d, depth, sizeof depth, deadline, ":ACQuire:MDEPth?");
    if (!err)
        err = query_word(d, slope, sizeof slope, deadline, ":TRIGger:EDGe:SLOPe?");
    if (!err)
        err = query_word(d, source, sizeof source, deadline, ":TRIGger:EDGe:SOURce?");
    if (!err)
        err = qaio__drv_query_number(d, &level, deadline, ":TRIGger:EDGe:LEVel?");
    if (err)
        return err;
    if (!(rate > 0) || !(tdiv > 0))
        return qaio__drv_fail(d, QAIO_EPROTO, "sample rate %g or time/div %g", rate, tdiv);
    /* AUTO depth fills the screen at the rate it chose; the MSO5000
     * answers "25M". */
    char *end;
    double pts = strtod(depth, &end);
    if (end != depth && (*end == 'k' || *end == 'K'))
        pts *= 1e3, end++;
    else if (end != depth && *end == 'M')
        pts *= 1e6, end++;
    if (strcasecmp(depth, "AUTO") == 0)
        pts = nearbyint(rate * model_of(d)->divs * tdiv);
    else if (end == depth || *end || !(pts >= 1 && pts <= MAX_POINTS))
        return qaio__drv_fail(d, QAIO_EPROTO, ":ACQuire:MDEPth? answered '%.40s'", depth);
    out->points = (size_t)fmax(2, pts);
    out->rate = rate;
    out->trigger_level = level;
    out->trigger = p->mode;
    out->slope = qaio__drv_word_index(slope, slopes, 3, QAIO_SLOPE_RISING);
    unsigned src = strncasecmp(source, "CHAN", 4) == 0 ? (unsigned)atoi(source + 4) : 0;
    p->source = src;
    out->trigger_source = src == 2 ? 2 : 1;
    return 0;
}

/* --- the settings mapping ------------------------------------------------- */

/* How many analog channels will be on: the mask's plus 3 and 4 as they
 * are. */
static int channels_on(qaio__scope_drv *d, unsigned mask, double deadline, int *n)
{
    *n = (int)(mask & 1) + (int)(mask >> 1 & 1);
    for (unsigned ch = 3; ch <= 4; ch++) {
        double on;
        int err = qaio__drv_query_number(d, &on, deadline, ":CHANnel%u:DISPlay?", ch);
        if (err)
            return err;
        *n += on != 0;
    }
    return 0;
}

typedef struct plan {
    long depth;
    double tdiv, rate;
    char why[240]; /* what differs from the request, "" if nothing */
} plan;

/* The depths with nch channels on, ascending; their count. */
static int depths_for(const rigol_model *m, int nch, long *out)
{
    int split = nch <= 1 ? 1 : nch == 2 ? 2 : 4;
    long top = m->depths[m->ndepths - 1] / split;
    int n = 0;
    for (int i = 0; i < m->ndepths; i++) {
        long v = m->split_all ? m->depths[i] / split : m->depths[i];
        if (v <= top)
            out[n++] = v;
    }
    return n;
}

/* The depth and time/div for points at rate with nch channels on. */
static void make_plan(const rigol_model *m, const qaio_scope_settings *want, int nch, plan *p)
{
    int split = nch <= 1 ? 1 : nch == 2 ? 2 : 4;
    long list[9] = {0};
    int n = depths_for(m, nch, list);
    p->why[0] = 0;
    double values[9];
    for (int i = 0; i < n; i++)
        values[i] = (double)list[i];
    p->depth = list[qaio__nearest_index(values, (size_t)n, (double)want->points)];
    if ((size_t)p->depth != want->points) {
        char names[120] = "";
        size_t len = 0;
        for (int i = 0; i < n && len < sizeof names; i++)
            len += (size_t)snprintf(names + len, sizeof names - len, "%s%ld",
                                    i == 0 ? "" : i == n - 1 ? " or " : ", ", list[i]);
        snprintf(p->why, sizeof p->why,
                 "the record length is set by memory depth (%s points with %d channel%s on); "
                 "it uses %ld",
                 names, nch, nch == 1 ? "" : "s", p->depth);
    }
    double max_rate = m->max_rate / split;
    p->tdiv = qaio__step_nearest_in(&qaio__steps_125, (double)p->depth / (m->divs * want->rate),
                                    m->tdiv_min, m->tdiv_max);
    p->rate = fmin(max_rate, (double)p->depth / (m->divs * p->tdiv));
    if (!p->why[0] && fabs(p->rate - want->rate) > 1e-6 * want->rate)
        snprintf(p->why, sizeof p->why,
                 "a sample rate of %g S/s is not depth / (%d x time/div in 1-2-5 steps) with "
                 "%ld points (at most %g S/s); it uses %g S/s at %g s/div",
                 want->rate, m->divs, p->depth, max_rate, p->rate, p->tdiv);
}

/* :ACQuire:MDEPth's argument: "12000", or "25M" on an MSO5000. */
static void depth_word(const rigol_model *m, long depth, char *buf, size_t cap)
{
    if (m->suffixed && depth % 1000000 == 0)
        snprintf(buf, cap, "%ldM", depth / 1000000);
    else if (m->suffixed && depth % 1000 == 0)
        snprintf(buf, cap, "%ldk", depth / 1000);
    else
        snprintf(buf, cap, "%ld", depth);
}

static int rigol_apply_settings(qaio__scope_drv *d, const qaio_scope_settings *want,
                                const qaio_scope_settings *cur)
{
    rigol_priv *p = d->priv;
    double deadline = qaio__drv_deadline(d, d->timeout);
    p->mode = want->trigger;
    int err = 0;
    /* The driver's mask is not read from the scope: its channels are set
     * every time. The memory is planned only when a record length or rate
     * other than the scope's is asked for: turning a channel on or off
     * alone keeps the memory depth and time/div as set, and the record
     * follows (half the depth with two channels on), as on the scope's
     * front panel; the settings read back say what it became. */
    for (unsigned ch = 1; !err && ch <= 2; ch++)
        err = qaio__drv_write(d, ":CHANnel%u:DISPlay %s", ch, want->channels & ch ? "ON" : "OFF");
    plan pl = {.why = ""};
    if (!err && (want->points != cur->points || want->rate != cur->rate)) {
        int nch;
        err = channels_on(d, want->channels, deadline, &nch);
        if (!err) {
            make_plan(model_of(d), want, nch, &pl);
            /* The depth only changes while running. */
            err = qaio__drv_write(d, ":RUN");
        }
        char word[24];
        depth_word(model_of(d), pl.depth, word, sizeof word);
        if (!err)
            err = qaio__drv_write(d, ":ACQuire:MDEPth %s", word);
        if (!err)
            err = qaio__drv_write(d, ":TIMebase:MAIN:SCALe %.9g", pl.tdiv);
    }
    bool trig = want->trigger_source != cur->trigger_source || want->slope != cur->slope ||
                want->trigger_level != cur->trigger_level;
    if (!err && trig)
        err = qaio__drv_write(d, ":TRIGger:MODE EDGE");
    if (!err && (want->trigger_source != cur->trigger_source || p->source > 2))
        err = qaio__drv_write(d, ":TRIGger:EDGe:SOURce CHANnel%u", want->trigger_source);
    if (!err && want->slope != cur->slope)
        err = qaio__drv_write(d, ":TRIGger:EDGe:SLOPe %s", slopes[want->slope]);
    if (!err && want->trigger_level != cur->trigger_level)
        err = qaio__drv_write(d, ":TRIGger:EDGe:LEVel %.9g", want->trigger_level);
    if (!err)
        err = qaio__drv_check_error(d, NULL, deadline);
    if (err)
        return err;
    return pl.why[0] ? qaio__drv_fail(d, QAIO_EIO, "%s", pl.why) : 0;
}

/* --- acquisition --------------------------------------------------------- */

/* :SINGle, then :TRIGger:STATus? until STOP. A scope may still say STOP
 * for a moment after :SINGle: STOP counts once it said something else, or
 * after a while. */
static int single(qaio__scope_drv *d, double auto_wait, double deadline)
{
    rigol_priv *p = d->priv;
    int err = qaio__drv_write(d, ":SINGle");
    bool forced = p->mode == QAIO_TRIG_FORCE;
    if (!err && forced)
        err = qaio__drv_write(d, ":TFORce");
    double t0 = qaio__drv_deadline(d, 0);
    bool armed = false;
    char a[64];
    while (!err) {
        int n = qaio__drv_query(d, a, sizeof a, deadline, ":TRIGger:STATus?");
        if (n < 0)
            return n;
        bool stop = strcasecmp(a, "STOP") == 0;
        if (stop && (armed || qaio__drv_deadline(d, 0) - t0 > 0.2))
            return 0;
        if (!stop && strcasecmp(a, "WAIT") && strcasecmp(a, "TD") && strcasecmp(a, "T'D") &&
            strcasecmp(a, "RUN") && strcasecmp(a, "AUTO"))
            return qaio__drv_fail(d, QAIO_EPROTO, ":TRIGger:STATus? answered '%.40s'", a);
        armed |= !stop;
        /* Forcing is for a scope still waiting: a :TFORce sent to one
         * that already stopped would trigger the next record at once. */
        if (p->mode == QAIO_TRIG_AUTO && !forced && !stop &&
            qaio__drv_deadline(d, 0) - t0 > auto_wait) {
            forced = true;
            err = qaio__drv_write(d, ":TFORce");
            continue;
        }
        if (qaio__drv_left(d, deadline) <= 0)
            return QAIO_ETIMEDOUT;
        err = qaio__drv_sleep(d, POLL_S);
    }
    return err;
}

typedef struct preamble {
    int format, type;
    size_t points;
    double xinc, xorg, xref, yinc, yorg, yref;
} preamble;

static int read_preamble(qaio__scope_drv *d, preamble *p, double deadline)
{
    char a[512];
    int n = qaio__drv_query(d, a, sizeof a, deadline, ":WAVeform:PREamble?");
    if (n < 0)
        return n;
    long long count, points;
    int used = 0;
    if (sscanf(a, "%d,%d,%lld,%lld,%lf,%lf,%lf,%lf,%lf,%lf%n", &p->format, &p->type, &points,
               &count, &p->xinc, &p->xorg, &p->xref, &p->yinc, &p->yorg, &p->yref, &used) != 10 ||
        a[used] != 0 || p->format < 0 || p->format > 2 || points < 1 || points > MAX_POINTS ||
        !(p->xinc > 0) || !isfinite(p->xinc) || !isfinite(p->xorg) || !isfinite(p->xref) ||
        !isfinite(p->yorg) || !isfinite(p->yref) || !isfinite(p->yinc) ||
        (p->format != 2 && !(p->yinc > 0)))
        return qaio__drv_fail(d, QAIO_EPROTO, "preamble '%.100s' is malformed", a);
    p->points = (size_t)points;
    return 0;
}

/* Points [first, first + n) of the source into y, in one :WAV:DATA?. */
static int read_piece(qaio__scope_drv *d, const preamble *p, size_t first, size_t n, float *y,
                      double deadline)
{
    int err = qaio__drv_write(d, ":WAVeform:STARt %zu", first + 1);
    if (!err)
        err = qaio__drv_write(d, ":WAVeform:STOP %zu", first + n);
    if (!err)
        err = qaio__drv_write(d, ":WAVeform:DATA?");
    size_t len;
    if (!err)
        err = qaio__drv_read_block(d, 0, &len, deadline);
    if (!err)
        err = qaio__drv_read_eol(d, deadline);
    if (err)
        return err;
    if (p->format == 2) {
        long got = qaio__decode_ascii((const char *)d->blk, len, y, n, 1, 0);
        if (got < 0 || (size_t)got != n)
            return qaio__drv_fail(d, QAIO_EPROTO, "ASCii data: %ld values for %zu points", got,
                                  n);
        return 0;
    }
    size_t w = p->format == 1 ? 2 : 1;
    if (len != n * w)
        return qaio__drv_fail(d, QAIO_EPROTO, "a block of %zu bytes for %zu points of %s", len,
                              n, w == 2 ? "WORD" : "BYTE");
    qaio__decode_samples(d->blk, n, w == 2 ? QAIO__U16 : QAIO__U8, false, p->yinc,
                         -(p->yorg + p->yref) * p->yinc, y);
    return 0;
}

static size_t piece_limit(int format)
{
    return format == 0 ? 250000 : format == 1 ? 125000 : 15625;
}

static int read_channel(qaio__scope_drv *d, qaio_trace *rec, size_t c, unsigned ch,
                        unsigned mask, double deadline)
{
    int err = qaio__drv_write(d, ":WAVeform:SOURce CHANnel%u", ch);
    if (!err)
        err = qaio__drv_write(d, ":WAVeform:MODE RAW");
    preamble p;
    if (err || (err = read_preamble(d, &p, deadline)))
        return err;
    err = qaio__drv_shape_channel(d, rec, c, p.points, mask, p.xorg - p.xref * p.xinc, p.xinc);
    if (err)
        return err;
    size_t step = piece_limit(p.format);
    for (size_t first = 0; !err && first < p.points; first += step) {
        size_t n = p.points - first < step ? p.points - first : step;
        err = read_piece(d, &p, first, n, rec->y[c] + first, deadline);
    }
    return err;
}

static int rigol_acquire(qaio__scope_drv *d, qaio_trace *rec, unsigned mask, double deadline)
{
    double record_s = d->set.rate > 0 ? (double)d->set.points / d->set.rate : 0;
    int err = single(d, fmax(0.1, 3 * record_s), deadline);
    size_t c = 0;
    for (unsigned ch = 1; !err && ch <= 2; ch++)
        if (mask & ch)
            err = read_channel(d, rec, c++, ch, mask, deadline);
    return err;
}

const qaio__scope_family qaio__family_rigol_ds1000z = {
    .name = "rigol-ds1000z",
    .title = "Rigol DS1000Z / MSO5000",
    .port = 5555,
    .matches = rigol_matches,
    .priv_size = sizeof(rigol_priv),
    .setup = rigol_setup,
    .read_settings = rigol_read_settings,
    .apply_settings = rigol_apply_settings,
    .acquire = rigol_acquire,
};
