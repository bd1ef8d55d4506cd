/* The "tektronix" family: Tektronix TBS, MDO, MSO and DPO oscilloscopes,
 * following the MDO4000/B/C, MSO/DPO4000B and MDO3000 Series Oscilloscopes
 * Programmer Manual (077-0510-xx; the 4/5/6 Series MSO manual has the same
 * commands for what is used here): Miscellaneous (HEADer), Waveform
 * Transfer (DATa:SOUrce, DATa:ENCdg, DATa:STARt/STOP, WFMOutpre:*,
 * CURVe?), Horizontal (HORizontal:RECOrdlength, HORizontal:SCAle),
 * Acquisition (ACQuire:STOPAfter, ACQuire:STATE), Trigger (TRIGger:A:MODe,
 * TRIGger:A:EDGE:SOUrce/SLOpe, TRIGger:A:LEVel:CH<n>) and Status and
 * Events (*ESR?, ALLEv?, *OPC?). Default port 4000 (the socket server).
 *
 * Settings: the record is HORizontal:RECOrdlength points over the 10
 * divisions of HORizontal:SCAle, so a record of N points at rate R is
 * asked for as length N and N / (10 R) s/div. The scope takes only its
 * own lengths (1k, 10k, 100k, 1M, ...) and scales (1-2-4 on many models);
 * what it uses is read back, and a mismatch is QAIO_EIO naming it. Trigger
 * modes are AUTO and NORMal: qaio's SINGLE is NORMal (each record is one
 * ACQuire:STOPAfter SEQuence) and FORCE is AUTO, each reported.
 *
 * Acquisition: "ACQuire:STOPAfter SEQuence;ACQuire:STATE ON;*OPC?" (the
 * *OPC? answers when the sequence is complete), then per channel
 * DATa:SOUrce/STARt/STOP, the WFMOutpre fields and CURVe? in one line.
 * The native encoding is RIBinary with WFMOutpre:BYT_Nr 2 (16-bit signed,
 * MSB first), selected at connection; every encoding (RIBinary, RPBinary,
 * SRIbinary, SRPbinary, 1 or 2 bytes, and ASCIi codes with no block) is
 * decoded from the WFMOutpre:ENCdg, BN_Fmt, BYT_Or and BYT_Nr read with
 * each record. volts = (code - YOFf) * YMUlt + YZEro; time = XZEro +
 * XINcr * (i - PT_Off). HEADer is turned OFF at connection; answers that
 * still carry a header (":WFMOUTPRE:YMULT 4.0E-3") are understood. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scope_driver.h"

#define TK_LINE 512
#define TK_FIELDS 11

static bool tk_matches(const char *maker, const char *model)
{
    if (strncasecmp(maker, "TEKTRONIX", 9) != 0)
        return false;
    static const char *const series[] = {"TBS", "MDO", "MSO", "DPO"};
    for (int i = 0; i < 4; i++)
        if (strncasecmp(model, series[i], 3) == 0)
            return true;
    return false;
}

static int tk_setup(qaio__scope_drv *d)
{
    return qaio__drv_write(d, ":HEADer OFF;:DATa:ENCdg RIBinary;:WFMOutpre:BYT_Nr 2");
}

/* An answer unit without its header (":HORIZONTAL:SCALE 1.0E-4" ->
 * "1.0E-4"): a header starts with ':' and ends at the first blank. */
static char *value_of(char *unit)
{
    while (*unit == ' ')
        unit++;
    if (*unit == ':') {
        char *sp = strchr(unit, ' ');
        unit = sp ? sp + 1 : unit + strlen(unit);
    }
    return unit;
}

/* The ';'-separated values of an answer, headers (HEADer ON) skipped. */
static int split(char *text, char **f, int n)
{
    int k = qaio__drv_split(text, ';', f, n);
    for (int i = 0; i < k; i++)
        f[i] = value_of(f[i]);
    return k;
}

/* The manual's words for the modes (AUTO, NORMal) and the slopes (rising,
 * falling, either). */
static const char *const modes[] = {"AUTO", "NORMal"};
static const char *const slopes[] = {"RISe", "FALL", "EITHer"};

static int tk_read_settings(qaio__scope_drv *d, qaio_scope_settings *out)
{
    double deadline = qaio__drv_deadline(d, d->timeout);
    char a[TK_LINE], copy[TK_LINE], *f[5];
    int n = qaio__drv_query(d, a, sizeof a, deadline,
                            ":HORizontal:RECOrdlength?;:HORizontal:SCAle?;:TRIGger:A:MODe?;"
                            ":TRIGger:A:EDGE:SLOpe?;:TRIGger:A:EDGE:SOUrce?");
    if (n < 0)
        return n;
    snprintf(copy, sizeof copy, "%s", a);
    double len, scale;
    if (split(copy, f, 5) != 5 || !qaio__drv_number(f[0], &len) ||
        !qaio__drv_number(f[1], &scale) || len < 1 || !(scale > 0))
        return qaio__drv_fail(d, QAIO_EPROTO, "settings answer '%.80s' is malformed", a);
    qaio_scope_settings s = *out;
    s.points = (size_t)len;
    s.rate = len / (10 * scale);
    s.trigger = qaio__drv_word_index(f[2], modes, 2, QAIO_TRIG_AUTO);
    s.slope = qaio__drv_word_index(f[3], slopes, 3, QAIO_SLOPE_RISING);
    /* AUX, LINE and channels past 2 are not qaio sources: channel 1. */
    s.trigger_source = strncasecmp(f[4], "CH2", 3) == 0 ? 2 : 1;
    double level;
    n = qaio__drv_query(d, a, sizeof a, deadline, ":TRIGger:A:LEVel:CH%u?", s.trigger_source);
    if (n < 0)
        return n;
    if (!qaio__drv_number(value_of(a), &level))
        return qaio__drv_fail(d, QAIO_EPROTO, "trigger level '%.60s' is not a number", a);
    s.trigger_level = level;
    *out = s;
    return 0;
}

/* *ESR? then, for a command, execution, device or query error, ALLEv?:
 * the events as the scope words them. */
static int tk_read_error(qaio__scope_drv *d, char *msg, size_t cap, double deadline)
{
    char a[TK_LINE];
    int n = qaio__drv_query(d, a, sizeof a, deadline, "*ESR?");
    if (n < 0)
        return n;
    double esr;
    if (!qaio__drv_number(value_of(a), &esr))
        return qaio__drv_fail(d, QAIO_EPROTO, "*ESR? answered '%.60s'", a);
    if (!((unsigned)esr & 0x3C))
        return 0;
    n = qaio__drv_query(d, a, sizeof a, deadline, "ALLEv?");
    if (n < 0 && n != QAIO_EMSGSIZE)
        return n;
    snprintf(msg, cap, "%s", n < 0 ? "(events over 511 bytes)" : value_of(a));
    return 1;
}

static int send_settings(qaio__scope_drv *d, const qaio_scope_settings *s,
                         const qaio_scope_settings *cur)
{
    qaio__drv_program p = {.len = 0};
    if (s->points != cur->points || s->rate != cur->rate)
        qaio__drv_add(&p, ":HORizontal:RECOrdlength %zu;:HORizontal:SCAle %.6g", s->points,
                      (double)s->points / (10 * s->rate));
    bool normal = s->trigger == QAIO_TRIG_NORMAL || s->trigger == QAIO_TRIG_SINGLE;
    if (normal != (cur->trigger == QAIO_TRIG_NORMAL))
        qaio__drv_add(&p, ":TRIGger:A:MODe %s", modes[normal]);
    if (s->slope != cur->slope)
        qaio__drv_add(&p, ":TRIGger:A:EDGE:SLOpe %s", slopes[s->slope]);
    if (s->trigger_source != cur->trigger_source)
        qaio__drv_add(&p, ":TRIGger:A:EDGE:SOUrce CH%u", s->trigger_source);
    if (s->trigger_level != cur->trigger_level || s->trigger_source != cur->trigger_source)
        qaio__drv_add(&p, ":TRIGger:A:LEVel:CH%u %.9g", s->trigger_source, s->trigger_level);
    return qaio__drv_send_program(d, &p);
}

static int tk_apply_settings(qaio__scope_drv *d, const qaio_scope_settings *s,
                             const qaio_scope_settings *cur)
{
    int err = send_settings(d, s, cur);
    if (err)
        return err;
    qaio_scope_settings got = *cur;
    if ((err = tk_read_settings(d, &got)))
        return err;
    if (got.points != s->points || fabs(got.rate - s->rate) > 1e-9 * s->rate)
        return qaio__drv_fail(d, QAIO_EIO,
                              "%zu points at %g Sa/s: the record is a record length over 10 "
                              "divisions of time/div, and the scope has only some of each; it "
                              "uses %zu points at %g s/div (%g Sa/s)",
                              s->points, s->rate, got.points,
                              (double)got.points / got.rate / 10, got.rate);
    if (s->trigger == QAIO_TRIG_SINGLE)
        return qaio__drv_fail(d, QAIO_EIO, "trigger mode SINGLE: the mode is AUTO or NORMal "
                                           "(each record is a single sequence); it uses NORMal");
    if (s->trigger == QAIO_TRIG_FORCE)
        return qaio__drv_fail(d, QAIO_EIO, "trigger mode FORCE: the mode is AUTO or NORMal; it "
                                           "uses AUTO");
    return 0;
}

/* What WFMOutpre says of the curve. */
typedef struct tk_preamble {
    bool ascii, is_unsigned, lsb;
    int width;
    double ymult, yoff, yzero, xincr, xzero, ptoff;
    size_t points;
} tk_preamble;

static int parse_preamble(qaio__scope_drv *d, char **f, tk_preamble *p)
{
    double v[7], w;
    for (int i = 0; i < 7; i++)
        if (!qaio__drv_number(f[4 + i], &v[i]))
            return qaio__drv_fail(d, QAIO_EPROTO, "WFMOutpre field '%.40s' is not a number",
                                  f[4 + i]);
    if (!qaio__drv_number(f[3], &w) || (w != 1 && w != 2))
        return qaio__drv_fail(d, QAIO_EPROTO, "WFMOutpre:BYT_Nr '%.20s'", f[3]);
    p->ascii = strncasecmp(f[0], "ASC", 3) == 0;
    if (!p->ascii && strncasecmp(f[0], "BIN", 3) != 0)
        return qaio__drv_fail(d, QAIO_EPROTO, "WFMOutpre:ENCdg '%.20s'", f[0]);
    p->is_unsigned = strncasecmp(f[1], "RP", 2) == 0;
    if (!p->is_unsigned && strncasecmp(f[1], "RI", 2) != 0)
        return qaio__drv_fail(d, QAIO_EPROTO, "WFMOutpre:BN_Fmt '%.20s'", f[1]);
    p->lsb = strncasecmp(f[2], "LSB", 3) == 0;
    if (!p->lsb && strncasecmp(f[2], "MSB", 3) != 0)
        return qaio__drv_fail(d, QAIO_EPROTO, "WFMOutpre:BYT_Or '%.20s'", f[2]);
    p->width = (int)w;
    p->ymult = v[0], p->yoff = v[1], p->yzero = v[2], p->xincr = v[3], p->xzero = v[4];
    p->ptoff = v[5];
    if (v[6] < 1 || v[6] > (double)((size_t)1 << 26) || !(p->xincr > 0))
        return qaio__drv_fail(d, QAIO_EPROTO, "WFMOutpre: %g points, XINcr %g", v[6], p->xincr);
    p->points = (size_t)v[6];
    return 0;
}

/* The ASCIi curve: comma-separated codes up to the line's end. */
static int read_ascii(qaio__scope_drv *d, const tk_preamble *p, float *y, double deadline)
{
    size_t cap = p->points * 8 + 64;
    if (cap > QAIO_SCPI_MAX_BLOCK)
        return qaio__drv_fail(d, QAIO_EMSGSIZE, "an ASCIi curve of %zu points", p->points);
    char *text = malloc(cap);
    if (!text)
        return QAIO_ENOMEM;
    int n = qaio__drv_read_line(d, text, cap, deadline);
    long got = n < 0 ? 0 : qaio__decode_ascii(value_of(text), strlen(value_of(text)), y,
                                              p->points, p->ymult,
                                              p->yzero - p->yoff * p->ymult);
    free(text);
    if (n < 0)
        return n == QAIO_EMSGSIZE ? qaio__drv_fail(d, QAIO_EPROTO, "ASCIi curve too long") : n;
    if (got != (long)p->points)
        return qaio__drv_fail(d, QAIO_EPROTO, "ASCIi curve holds %ld of %zu points", got,
                              p->points);
    return 0;
}

static int read_binary(qaio__scope_drv *d, const tk_preamble *p, bool header, float *y,
                       double deadline)
{
    char skip[64];
    int err = 0;
    if (header) { /* ":CURVE " before the block */
        int n = qaio__drv_read_until(d, ' ', skip, sizeof skip, deadline);
        err = n < 0 ? n : 0;
    }
    size_t len;
    if (err || (err = qaio__drv_read_block(d, 0, &len, deadline)))
        return err;
    if (len != p->points * (size_t)p->width)
        return qaio__drv_fail(d, QAIO_EPROTO, "a curve of %zu bytes for %zu points of %d bytes",
                              len, p->points, p->width);
    qaio__sample_kind k = p->width == 2 ? (p->is_unsigned ? QAIO__U16 : QAIO__S16)
                                        : (p->is_unsigned ? QAIO__U8 : QAIO__S8);
    qaio__decode_samples(d->blk, p->points, k, !p->lsb, p->ymult, p->yzero - p->yoff * p->ymult,
                         y);
    return qaio__drv_read_eol(d, deadline);
}

static int read_channel(qaio__scope_drv *d, qaio_trace *rec, size_t c, unsigned ch,
                        unsigned mask, size_t length, double deadline)
{
    int err = qaio__drv_write(
        d,
        ":DATa:SOUrce CH%u;:DATa:STARt 1;:DATa:STOP %zu;:WFMOutpre:ENCdg?;:WFMOutpre:BN_Fmt?;"
        ":WFMOutpre:BYT_Or?;:WFMOutpre:BYT_Nr?;:WFMOutpre:YMUlt?;:WFMOutpre:YOFf?;"
        ":WFMOutpre:YZEro?;:WFMOutpre:XINcr?;:WFMOutpre:XZEro?;:WFMOutpre:PT_Off?;"
        ":WFMOutpre:NR_Pt?;:CURVe?",
        ch, length);
    if (err)
        return err;
    char raw[TK_FIELDS][96], *f[TK_FIELDS];
    for (int i = 0; i < TK_FIELDS; i++) {
        int n = qaio__drv_read_until(d, ';', raw[i], sizeof raw[i], deadline);
        if (n < 0)
            return n == QAIO_EMSGSIZE ? qaio__drv_fail(d, QAIO_EPROTO, "WFMOutpre field too long")
                                      : n;
        f[i] = value_of(raw[i]);
    }
    bool header = raw[0][0] == ':';
    tk_preamble p = {0};
    if ((err = parse_preamble(d, f, &p)))
        return err;
    err = qaio__drv_shape_channel(d, rec, c, p.points, mask, p.xzero - p.ptoff * p.xincr,
                                  p.xincr);
    if (err)
        return err;
    return p.ascii ? read_ascii(d, &p, rec->y[c], deadline)
                   : read_binary(d, &p, header, rec->y[c], deadline);
}

static int tk_acquire(qaio__scope_drv *d, qaio_trace *rec, unsigned mask, double deadline)
{
    char a[TK_LINE], *f[2];
    int n = qaio__drv_query(d, a, sizeof a, deadline,
                            ":ACQuire:STOPAfter SEQuence;:ACQuire:STATE ON;*OPC?;"
                            ":HORizontal:RECOrdlength?");
    if (n < 0)
        return n;
    char copy[TK_LINE];
    snprintf(copy, sizeof copy, "%s", a);
    double length;
    if (split(copy, f, 2) != 2 || atoi(f[0]) != 1 || !qaio__drv_number(f[1], &length) ||
        length < 1)
        return qaio__drv_fail(d, QAIO_EPROTO, "the acquisition answered '%.60s'", a);
    size_t c = 0;
    int err = 0;
    for (unsigned ch = 1; !err && ch <= 2; ch++)
        if (mask & ch)
            err = read_channel(d, rec, c++, ch, mask, (size_t)length, deadline);
    return err;
}

const qaio__scope_family qaio__family_tektronix = {
    .name = "tektronix",
    .title = "Tektronix TBS / MDO / MSO / DPO",
    .port = 4000,
    .matches = tk_matches,
    .setup = tk_setup,
    .read_settings = tk_read_settings,
    .apply_settings = tk_apply_settings,
    .acquire = tk_acquire,
    .read_error = tk_read_error,
};
