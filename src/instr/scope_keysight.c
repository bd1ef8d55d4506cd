/* The "keysight-3000x" family: Keysight (Agilent) InfiniiVision 2000 X,
 * 3000 X / 3000T X and 4000 X oscilloscopes (DSO-X / MSO-X / DSOX / MSOX
 * models), following the Keysight InfiniiVision 3000 X-Series
 * Oscilloscopes Programmer's Guide (the 3000T, 2000 X and 4000 X guides
 * describe the same commands): Root (:) Commands (:DIGitize), :WAVeform
 * Commands (:SOURce, :FORMat, :BYTeorder, :UNSigned, :POINts:MODE,
 * :POINts, :PREamble?, :DATA? and "Data Format for Transfer"), :TIMebase
 * Commands (:RANGe), :TRIGger Commands (:SWEep, [:EDGE]:SOURce, :SLOPe,
 * :LEVel) and :SYSTem:ERRor?.
 *
 * Settings: an InfiniiVision has no sample-rate or memory-depth command
 * (:ACQuire:SRATe? and :ACQuire:POINts? are queries only, and this driver
 * never writes them). A record of N points at rate R is asked for as the
 * time range N / R (:TIMebase:RANGe, 10 divisions) and N waveform points
 * of the raw record (:WAVeform:POINts:MODE RAW, :WAVeform:POINts N); the
 * scope decimates its raw record to at most N points. What it will
 * transfer (:WAVeform:POINts?) over the range it uses (:TIMebase:RANGe?)
 * is read back; a record it cannot give is QAIO_EIO naming what it uses
 * instead. Trigger sweeps are AUTO and NORMal only: qaio's SINGLE is
 * NORMal (every :DIGitize is a single acquisition) and FORCE is AUTO, each
 * reported.
 *
 * Acquisition, one line per record:
 *   ":DIGitize CHANnel1,CHANnel2;:WAVeform:SOURce CHANnel1;:WAVeform:BYTeorder?;
 *    :WAVeform:UNSigned?;:WAVeform:PREamble?;:WAVeform:DATA?;..."
 * The native format is WORD (16-bit, unsigned, MSBFirst: the *RST
 * byte order and sign), selected at connection; BYTE, WORD in either byte
 * order, signed or unsigned, and ASCii (comma-separated volts, not scaled
 * again) are all decoded, from the preamble's format field and the byte
 * order and sign read with each record, so a front panel or program
 * changing them is followed. volts = (code - yreference) * yincrement +
 * yorigin; time = (i - xreference) * xincrement + xorigin. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scope_driver.h"

#define KS_LINE 512

static bool ks_matches(const char *maker, const char *model)
{
    if (strncasecmp(maker, "KEYSIGHT", 8) != 0 && strncasecmp(maker, "AGILENT", 7) != 0)
        return false;
    return strncasecmp(model, "DSO-X", 5) == 0 || strncasecmp(model, "MSO-X", 5) == 0 ||
           strncasecmp(model, "DSOX", 4) == 0 || strncasecmp(model, "MSOX", 4) == 0;
}

static int ks_setup(qaio__scope_drv *d)
{
    return qaio__drv_write(d, ":WAVeform:FORMat WORD;:WAVeform:BYTeorder MSBFirst;"
                              ":WAVeform:UNSigned ON;:WAVeform:POINts:MODE RAW");
}

/* The guide's words for the sweeps (AUTO, NORMal) and the slopes (rising,
 * falling, either; ALTernate is read as either too). */
static const char *const sweeps[] = {"AUTO", "NORMal"};
static const char *const slopes[] = {"POSitive", "NEGative", "EITHer"};

static int ks_read_settings(qaio__scope_drv *d, qaio_scope_settings *out)
{
    char a[KS_LINE];
    int n = qaio__drv_query(d, a, sizeof a, qaio__drv_deadline(d, d->timeout),
                            ":WAVeform:POINts?;:TIMebase:RANGe?;:TRIGger:SWEep?;"
                            ":TRIGger:EDGE:SLOPe?;:TRIGger:EDGE:SOURce?;:TRIGger:EDGE:LEVel?");
    if (n < 0)
        return n;
    char copy[KS_LINE], *f[6];
    snprintf(copy, sizeof copy, "%s", a);
    double pts, range, level;
    if (qaio__drv_split(copy, ';', f, 6) != 6 || !qaio__drv_number(f[0], &pts) ||
        !qaio__drv_number(f[1], &range) || !qaio__drv_number(f[5], &level) || pts < 1 ||
        !(range > 0))
        return qaio__drv_fail(d, QAIO_EPROTO, "settings answer '%.80s' is malformed", a);
    qaio_scope_settings s = *out;
    s.points = (size_t)pts;
    s.rate = pts / range;
    s.trigger = qaio__drv_word_index(f[2], sweeps, 2, QAIO_TRIG_AUTO);
    s.slope = strncasecmp(f[3], "ALT", 3) == 0 ? QAIO_SLOPE_EITHER
                                               : qaio__drv_word_index(f[3], slopes, 3, QAIO_SLOPE_RISING);
    /* EXTernal, LINE and the like are not qaio sources: channel 1. */
    s.trigger_source = strncasecmp(f[4], "CHAN2", 5) == 0 ? 2 : 1;
    s.trigger_level = level;
    *out = s;
    return 0;
}

/* Sends what differs, then reads :SYSTem:ERRor?. */
static int send_settings(qaio__scope_drv *d, const qaio_scope_settings *s,
                         const qaio_scope_settings *cur)
{
    qaio__drv_program p = {.len = 0};
    if (s->points != cur->points || s->rate != cur->rate)
        qaio__drv_add(&p, ":TIMebase:RANGe %.10g;:WAVeform:POINts:MODE RAW;:WAVeform:POINts %zu",
                      (double)s->points / s->rate, s->points);
    bool normal = s->trigger == QAIO_TRIG_NORMAL || s->trigger == QAIO_TRIG_SINGLE;
    if (normal != (cur->trigger == QAIO_TRIG_NORMAL))
        qaio__drv_add(&p, ":TRIGger:SWEep %s", sweeps[normal]);
    if (s->slope != cur->slope)
        qaio__drv_add(&p, ":TRIGger:EDGE:SLOPe %s", slopes[s->slope]);
    if (s->trigger_source != cur->trigger_source)
        qaio__drv_add(&p, ":TRIGger:EDGE:SOURce CHANnel%u", s->trigger_source);
    if (s->trigger_level != cur->trigger_level || s->trigger_source != cur->trigger_source)
        qaio__drv_add(&p, ":TRIGger:EDGE:LEVel %.9g", s->trigger_level);
    return qaio__drv_send_program(d, &p);
}

static int ks_apply_settings(qaio__scope_drv *d, const qaio_scope_settings *s,
                             const qaio_scope_settings *cur)
{
    int err = send_settings(d, s, cur);
    if (err)
        return err;
    qaio_scope_settings got = *cur;
    if ((err = ks_read_settings(d, &got)))
        return err;
    if (got.points != s->points || fabs(got.rate - s->rate) > 1e-9 * s->rate)
        return qaio__drv_fail(d, QAIO_EIO,
                              "%zu points at %g Sa/s: the record is the raw record decimated "
                              "over the time range, no sample rate or length is set; it uses "
                              "%zu points at %g Sa/s (%g s/div)",
                              s->points, s->rate, got.points, got.rate,
                              (double)got.points / got.rate / 10);
    if (s->trigger == QAIO_TRIG_SINGLE)
        return qaio__drv_fail(d, QAIO_EIO, "trigger sweep SINGLE: the sweep is AUTO or NORMal "
                                           "(each :DIGitize is single); it uses NORMal");
    if (s->trigger == QAIO_TRIG_FORCE)
        return qaio__drv_fail(d, QAIO_EIO, "trigger sweep FORCE: the sweep is AUTO or NORMal; "
                                           "it uses AUTO");
    return 0;
}

/* The preamble's 10 fields. */
typedef struct ks_preamble {
    int format; /* 0 BYTE, 1 WORD, 4 ASCii */
    size_t points;
    double xinc, xorg, xref, yinc, yorg, yref;
} ks_preamble;

static int parse_preamble(const char *text, ks_preamble *p)
{
    double v[10];
    const char *t = text;
    for (int i = 0; i < 10; i++) {
        char *end;
        v[i] = strtod(t, &end);
        if (end == t || !isfinite(v[i]))
            return QAIO_EPROTO;
        while (*end == ' ')
            end++;
        if (i < 9 && *end != ',')
            return QAIO_EPROTO;
        t = end + (i < 9);
        if (i == 9 && *end)
            return QAIO_EPROTO;
    }
    if ((v[0] != 0 && v[0] != 1 && v[0] != 4) || v[2] < 1 || v[2] > (double)((size_t)1 << 26) ||
        !(v[4] > 0))
        return QAIO_EPROTO;
    *p = (ks_preamble){(int)v[0], (size_t)v[2], v[4], v[5], v[6], v[7], v[8], v[9]};
    return 0;
}

/* Reads one ';'-ended answer field. */
static int field(qaio__scope_drv *d, char *buf, size_t cap, const char *what, double deadline)
{
    int n = qaio__drv_read_until(d, ';', buf, cap, deadline);
    if (n == QAIO_EMSGSIZE)
        return qaio__drv_fail(d, QAIO_EPROTO, "%s: answer over %zu bytes", what, cap - 1);
    return n < 0 ? n : 0;
}

/* Converts the block of one channel per its preamble into y. */
static int decode(qaio__scope_drv *d, const ks_preamble *p, bool msb, bool is_unsigned,
                  size_t len, float *y)
{
    if (p->format == 4) {
        long n = qaio__decode_ascii((const char *)d->blk, len, y, p->points, 1, 0);
        if (n != (long)p->points)
            return qaio__drv_fail(d, QAIO_EPROTO, "ASCii data hold %ld of %zu points", n,
                                  p->points);
        return 0;
    }
    size_t w = p->format == 1 ? 2 : 1;
    qaio__sample_kind k = w == 2 ? (is_unsigned ? QAIO__U16 : QAIO__S16)
                                 : (is_unsigned ? QAIO__U8 : QAIO__S8);
    qaio__decode_samples(d->blk, p->points, k, msb, p->yinc, p->yorg - p->yref * p->yinc, y);
    return 0;
}

/* "MSBF;1;<preamble>;#8<len><bytes>" of one channel into rec->y[c]. */
static int read_channel(qaio__scope_drv *d, qaio_trace *rec, size_t c, unsigned mask,
                        double deadline)
{
    char order[64], sign[64], pre[KS_LINE];
    int err = field(d, order, sizeof order, ":WAVeform:BYTeorder?", deadline);
    if (!err)
        err = field(d, sign, sizeof sign, ":WAVeform:UNSigned?", deadline);
    if (!err)
        err = field(d, pre, sizeof pre, ":WAVeform:PREamble?", deadline);
    if (err)
        return err;
    ks_preamble p = {0};
    if (parse_preamble(pre, &p))
        return qaio__drv_fail(d, QAIO_EPROTO, "preamble '%.80s' is malformed", pre);
    bool lsb = strncasecmp(order, "LSBF", 4) == 0;
    if (!lsb && strncasecmp(order, "MSBF", 4) != 0)
        return qaio__drv_fail(d, QAIO_EPROTO, "byte order '%.20s'", order);
    bool is_unsigned = atoi(sign) != 0 || strncasecmp(sign, "ON", 2) == 0;
    size_t len;
    if ((err = qaio__drv_read_block(d, 0, &len, deadline)))
        return err;
    size_t want = p.format == 1 ? 2 * p.points : p.points;
    if ((p.format != 4 && len != want) || (p.format == 4 && len < 2 * p.points - 1))
        return qaio__drv_fail(d, QAIO_EPROTO, "a block of %zu bytes for %zu points of format %d",
                              len, p.points, p.format);
    err = qaio__drv_shape_channel(d, rec, c, p.points, mask, p.xorg - p.xref * p.xinc, p.xinc);
    if (err)
        return err;
    return decode(d, &p, !lsb, is_unsigned, len, rec->y[c]);
}

static int ks_acquire(qaio__scope_drv *d, qaio_trace *rec, unsigned mask, double deadline)
{
    char cmd[400] = ":DIGitize ";
    for (unsigned ch = 1; ch <= 2; ch++)
        if (mask & ch)
            snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), "%sCHANnel%u",
                     cmd[strlen(cmd) - 1] == ' ' ? "" : ",", ch);
    for (unsigned ch = 1; ch <= 2; ch++)
        if (mask & ch)
            snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd),
                     ";:WAVeform:SOURce CHANnel%u;:WAVeform:BYTeorder?;:WAVeform:UNSigned?;"
                     ":WAVeform:PREamble?;:WAVeform:DATA?",
                     ch);
    int err = qaio__drv_write(d, "%s", cmd);
    return err ? err : qaio__drv_read_parts(d, rec, mask, read_channel, deadline);
}

const qaio__scope_family qaio__family_keysight = {
    .name = "keysight-3000x",
    .title = "Keysight / Agilent InfiniiVision 2000/3000/4000 X",
    .port = 5025,
    .matches = ks_matches,
    .setup = ks_setup,
    .read_settings = ks_read_settings,
    .apply_settings = ks_apply_settings,
    .acquire = ks_acquire,
};
