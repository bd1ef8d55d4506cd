/* The "siglent-sds1000xe" family: Siglent SDS1000X-E (SDS1102X-E,
 * SDS1202X-E, SDS1104X-E, SDS1204X-E) and the other SDS models of
 * Siglent's legacy, LeCroy-style command set (SDS1000X, SDS1000X+,
 * SDS2000X), per Siglent's "Digital Oscilloscope Series Programming
 * Guide" (PG01-E02D):
 *   - Common commands: CHDR (OFF: no header, no units in answers), CMR?
 *     and EXR? (the command and execution error registers);
 *   - Acquisition: TRMD, ARM, SAST?, SARA?, SANU?, MSIZ, TDIV;
 *   - Channel: C<n>:VDIV, C<n>:OFST;
 *   - Trigger: TRSE EDGE,SR,C<n>,HT,OFF, C<n>:TRLV, C<n>:TRSL;
 *   - Waveform: WFSU SP,0,NP,0,FP,0 (every point, from the first) and
 *     C<n>:WF? DAT2, answered "DAT2,#9<len><signed bytes>\n\n" (with the
 *     header "C1:WF " when CHDR is on); the guide's example converts
 *     volts = code * VDIV / 25 - OFST, time of point i =
 *     -(TDIV * 14 / 2) + i / SARA (14 horizontal divisions).
 * The scope has no sample-rate or record-length command: the rate follows
 * from TDIV and the memory depth (MSIZ), and the record is the memory
 * depth. The driver picks the TDIV giving the requested rate and reports
 * what the scope then uses (SARA?, SANU?) when that is not what was asked.
 * A record is one single-shot acquisition (TRMD SINGLE, SAST? polled until
 * "Stop"); in AUTO or NORM the scope is put back running after it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scope_driver.h"
#include "scope_model.h"

#define HDIVS 14.0
#define CODES_PER_DIV 25.0

typedef struct sds_priv {
    qaio_trigger_mode mode; /* the caller's, while the scope shows STOP */
    bool mode_known;
} sds_priv;

/* The guide's words for the sweeps kept between records (TRMD AUTO|NORM)
 * and the slopes (TRSL POS|NEG: no either-edge). */
static const char *const modes[] = {"AUTO", "NORM"};
static const char *const slopes[] = {"POS", "NEG"};

/* The SDS models of the legacy command set: SDS1000X-E, SDS1000X(+),
 * SDS2000X; not the SCPI-style SDS2000X Plus, the HD models and SDS5000
 * and up (siglent-sds2000xp). */
static bool sds_matches(const char *maker, const char *model)
{
    return strncasecmp(maker, "Siglent", 7) == 0 && strncasecmp(model, "SDS", 3) == 0 &&
           !qaio__drv_contains(model, "Plus") && !qaio__drv_contains(model, " HD") &&
           !(model[3] >= '5' && model[3] <= '9');
}

static int sds_setup(qaio__scope_drv *d)
{
    /* Bare numbers in answers; whole waveforms, every point. */
    return qaio__drv_write(d, "CHDR OFF;WFSU SP,0,NP,0,FP,0");
}

/* An answer word of a query (header, if any, skipped). */
static int query_word(qaio__scope_drv *d, char *a, size_t cap, const char *cmd)
{
    int n = qaio__drv_query(d, a, cap, qaio__drv_deadline(d, d->timeout), "%s", cmd);
    if (n < 0)
        return n;
    char *sp = strrchr(a, ' ');
    if (sp)
        memmove(a, sp + 1, strlen(sp + 1) + 1);
    return 0;
}

static int sds_read_settings(qaio__scope_drv *d, qaio_scope_settings *out)
{
    sds_priv *p = d->priv;
    double dl = qaio__drv_deadline(d, d->timeout), rate, points, level;
    char a[128];
    int err = qaio__drv_query_number(d, &rate, dl, "SARA?");
    if (!err)
        err = qaio__drv_query_number(d, &points, dl, "SANU? C1");
    if (!err)
        err = query_word(d, a, sizeof a, "TRMD?");
    if (err)
        return err;
    int sweep = qaio__drv_word_index(a, modes, 2, -1);
    if (sweep >= 0) {
        out->trigger = (qaio_trigger_mode)sweep;
        p->mode = out->trigger;
        p->mode_known = true;
    } else {
        /* SINGLE or STOP is what the driver's own records leave: the
         * mode is the caller's. */
        out->trigger = p->mode_known ? p->mode : QAIO_TRIG_SINGLE;
    }
    if ((err = query_word(d, a, sizeof a, "TRSE?")))
        return err;
    /* "EDGE,SR,C1,HT,OFF" */
    const char *src = strstr(a, ",C");
    out->trigger_source = src && src[2] == '2' ? 2 : 1;
    char q[32];
    snprintf(q, sizeof q, "C%u:TRSL?", out->trigger_source);
    if ((err = query_word(d, a, sizeof a, q)))
        return err;
    out->slope = qaio__drv_word_index(a, slopes, 2, QAIO_SLOPE_RISING);
    err = qaio__drv_query_number(d, &level, dl, "C%u:TRLV?", out->trigger_source);
    return err ? err : qaio__drv_put_record(d, out, rate, points, level, "SARA", "SANU");
}

static int set_record(qaio__scope_drv *d, const qaio_scope_settings *s)
{
    return qaio__drv_set_timebase(d, s, HDIVS, "TDIV %.2E", "SARA?", "SANU? C1",
                                  "the record is set by time/div and memory depth (MSIZ), not "
                                  "points and rate");
}

static int sds_apply_settings(qaio__scope_drv *d, const qaio_scope_settings *s,
                              const qaio_scope_settings *cur)
{
    sds_priv *p = d->priv;
    int refused = 0, err = 0;
    if (s->trigger != cur->trigger || !p->mode_known) {
        qaio_trigger_mode m = qaio__drv_sweep_for(d, s->trigger, &refused);
        /* SINGLE is what every record does; the scope keeps the
         * caller's AUTO or NORM between records. */
        if (m != QAIO_TRIG_SINGLE)
            err = qaio__drv_write(d, "TRMD %s", modes[m]);
        p->mode = m;
        p->mode_known = true;
    }
    if (!err && s->trigger_source != cur->trigger_source)
        err = qaio__drv_write(d, "TRSE EDGE,SR,C%u,HT,OFF", s->trigger_source);
    if (!err && (s->slope != cur->slope || s->trigger_source != cur->trigger_source)) {
        err = qaio__drv_write(d, "C%u:TRSL %s", s->trigger_source,
                              slopes[s->slope == QAIO_SLOPE_FALLING]);
        if (!err && s->slope == QAIO_SLOPE_EITHER)
            refused = qaio__drv_fail(d, QAIO_EIO,
                                     "no either-edge trigger (TRSL POS|NEG); rising is used");
    }
    if (!err && (s->trigger_level != cur->trigger_level ||
                 s->trigger_source != cur->trigger_source))
        err = qaio__drv_write(d, "C%u:TRLV %.6E", s->trigger_source, s->trigger_level);
    if (!err && (s->points != cur->points || s->rate != cur->rate)) {
        err = set_record(d, s);
        if (err == QAIO_EIO)
            refused = err, err = 0;
    }
    return qaio__drv_apply_done(d, err, refused);
}

/* SAST? ("[SAST ]Stop"): the scope has stopped on its record. */
static bool stopped(const char *a)
{
    const char *w = strrchr(a, ' ') ? strrchr(a, ' ') + 1 : a;
    return strncasecmp(w, "Stop", 4) == 0;
}

/* TRMD SINGLE, then SAST? until the scope has stopped on its record. */
static int take_single(qaio__scope_drv *d, double deadline)
{
    int err = qaio__drv_write(d, "TRMD SINGLE");
    return err ? err : qaio__drv_poll(d, "SAST?", stopped, deadline);
}

/* "[C1:WF ]DAT2,#9<len><bytes>\n\n" of channel ch into rec->y[c]. */
static int read_channel(qaio__scope_drv *d, qaio_trace *rec, size_t c, unsigned ch, unsigned mask,
                        double x0, double dx, double deadline)
{
    double vdiv, ofst;
    int err = qaio__drv_query_number(d, &vdiv, deadline, "C%u:VDIV?", ch);
    if (!err)
        err = qaio__drv_query_number(d, &ofst, deadline, "C%u:OFST?", ch);
    if (!err)
        err = qaio__drv_write(d, "C%u:WF? DAT2", ch);
    if (err)
        return err;
    char head[64];
    int n = qaio__drv_read_until(d, ',', head, sizeof head, deadline);
    if (n < 0)
        return n == QAIO_EMSGSIZE ? qaio__drv_fail(d, QAIO_EPROTO, "no waveform header") : n;
    if (n < 4 || strcasecmp(head + n - 4, "DAT2") != 0)
        return qaio__drv_fail(d, QAIO_EPROTO, "C%u:WF? DAT2 answered '%.40s'", ch, head);
    size_t len;
    if ((err = qaio__drv_read_block(d, 0, &len, deadline)))
        return err;
    /* The block ends with two line feeds. */
    if ((err = qaio__drv_read_eol(d, deadline)) || (err = qaio__drv_read_eol(d, deadline)))
        return err;
    if (len == 0)
        return qaio__drv_fail(d, QAIO_EPROTO, "C%u: an empty waveform", ch);
    if ((err = qaio__drv_shape_channel(d, rec, c, len, mask, x0, dx)))
        return err;
    qaio__decode_samples(d->blk, len, QAIO__S8, false, vdiv / CODES_PER_DIV, -ofst, rec->y[c]);
    return 0;
}

static int sds_acquire(qaio__scope_drv *d, qaio_trace *rec, unsigned mask, double deadline)
{
    sds_priv *p = d->priv;
    int err = take_single(d, deadline);
    double tdiv, sara;
    if (!err)
        err = qaio__drv_query_number(d, &tdiv, deadline, "TDIV?");
    if (!err)
        err = qaio__drv_query_number(d, &sara, deadline, "SARA?");
    if (err)
        return err;
    if (!(sara > 0) || !(tdiv > 0))
        return qaio__drv_fail(d, QAIO_EPROTO, "TDIV %g, SARA %g: no time axis", tdiv, sara);
    size_t c = 0;
    for (unsigned ch = 1; !err && ch <= 2; ch++)
        if (mask & ch)
            err = read_channel(d, rec, c++, ch, mask, -tdiv * HDIVS / 2, 1 / sara, deadline);
    if (!err && p->mode_known && p->mode != QAIO_TRIG_SINGLE)
        err = qaio__drv_write(d, "TRMD %s", modes[p->mode]);
    return err;
}

/* CMR? then EXR?: a non-zero register is the error. */
static int sds_read_error(qaio__scope_drv *d, char *msg, size_t cap, double deadline)
{
    static const char *const regs[] = {"CMR", "EXR"};
    for (int i = 0; i < 2; i++) {
        double v;
        int err = qaio__drv_query_number(d, &v, deadline, "%s?", regs[i]);
        if (err)
            return err;
        if (v != 0) {
            snprintf(msg, cap, "%s %.0f (%s error)", regs[i], v,
                     i == 0 ? "command" : "execution");
            return 1;
        }
    }
    return 0;
}

const qaio__scope_family qaio__family_siglent_sds1000xe = {
    .name = "siglent-sds1000xe",
    .title = "Siglent SDS1000X-E (legacy command set)",
    .port = 5025,
    .matches = sds_matches,
    .priv_size = sizeof(sds_priv),
    .setup = sds_setup,
    .read_settings = sds_read_settings,
    .apply_settings = sds_apply_settings,
    .acquire = sds_acquire,
    .read_error = sds_read_error,
};
