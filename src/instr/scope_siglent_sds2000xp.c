/* The "siglent-sds2000xp" family: Siglent SDS2000X Plus, SDS2000X HD and
 * the other scopes of Siglent's "SDS Series Digital Oscilloscope
 * Programming Guide" (EN11C/EN11D, the SCPI-style command set):
 *   - :TRIGger:MODE SINGle|NORMal|AUTO, :TRIGger:STATus?, :TRIGger:EDGE:
 *     SOURce|SLOPe|LEVel (TRIGger commands);
 *   - :TIMebase:SCALe, :ACQuire:SRATe?, :ACQuire:POINts? (the memory
 *     depth, :ACQuire:MDEPth, is not changed);
 *   - :WAVeform:SOURce, :STARt, :POINt, :MAXPoint?, :WIDTh BYTE|WORD,
 *     :PREamble? (a block holding the 346-byte WAVEDESC structure,
 *     little-endian) and :DATA? (a block of signed codes), read in pieces
 *     of at most MAXPoint points as the guide's example does;
 *   - :SYSTem:ERRor? for errors.
 * Conversion, per the guide's example and WAVEDESC: vdiv = vertical_gain
 * (0x9c) x probe (0x148), offset = vertical_offset (0xa0) x probe, volts =
 * code / code_per_div (0xa4) x vdiv - offset; codes are adc_bit (0xac)
 * bits wide, two's complement, in one byte (comm_type 0) or one
 * little-endian word (comm_type 1, for more than 8 bits); time of point i
 * = -(tdiv x 10 / 2) + i x interval (0xb0) + delay (0xb4), tdiv from the
 * timebase index (0x144). The record length is wave_array_count (0x74).
 * The rate follows from :TIMebase:SCALe and the memory depth; the driver
 * picks the scale giving the requested rate and says what the scope uses
 * when that is not what was asked. A record is one :TRIGger:MODE SINGle
 * acquisition (status polled until "Stop"); AUTO and NORMal are restored
 * after it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scope_driver.h"
#include "scope_model.h"

#define HDIVS 10.0
#define DESC_LEN 346

typedef struct sdx_priv {
    qaio_trigger_mode mode;
    bool mode_known;
} sdx_priv;

/* The guide's words for the sweeps kept between records (AUTO, NORMal)
 * and the slopes (rising, falling, either). */
static const char *const modes[] = {"AUTO", "NORMal"};
static const char *const slopes[] = {"RISing", "FALLing", "ALTernate"};

static bool sdx_matches(const char *maker, const char *model)
{
    return strncasecmp(maker, "Siglent", 7) == 0 &&
           (qaio__drv_contains(model, "Plus") || qaio__drv_contains(model, " HD") ||
            strncasecmp(model, "SDS5", 4) == 0 || strncasecmp(model, "SDS6", 4) == 0 ||
            strncasecmp(model, "SDS7", 4) == 0);
}

static int sdx_setup(qaio__scope_drv *d)
{
    return qaio__drv_write(d, ":WAVeform:STARt 0;:WAVeform:INTerval 1");
}

static int query_word(qaio__scope_drv *d, char *a, size_t cap, const char *cmd)
{
    int n = qaio__drv_query(d, a, cap, qaio__drv_deadline(d, d->timeout), "%s", cmd);
    return n < 0 ? n : 0;
}

static int sdx_read_settings(qaio__scope_drv *d, qaio_scope_settings *out)
{
    sdx_priv *p = d->priv;
    double dl = qaio__drv_deadline(d, d->timeout), rate, points, level;
    char a[128];
    int err = qaio__drv_query_number(d, &rate, dl, ":ACQuire:SRATe?");
    if (!err)
        err = qaio__drv_query_number(d, &points, dl, ":ACQuire:POINts?");
    if (!err)
        err = query_word(d, a, sizeof a, ":TRIGger:MODE?");
    if (err)
        return err;
    int sweep = qaio__drv_word_index(a, modes, 2, -1);
    if (sweep >= 0) {
        out->trigger = (qaio_trigger_mode)sweep;
        p->mode = out->trigger;
        p->mode_known = true;
    } else {
        /* SINGle or STOP is what the driver's own records leave: the
         * mode is the caller's. */
        out->trigger = p->mode_known ? p->mode : QAIO_TRIG_SINGLE;
    }
    if ((err = query_word(d, a, sizeof a, ":TRIGger:EDGE:SOURce?")))
        return err;
    out->trigger_source = qaio__drv_word_is(a, "C2") ? 2 : 1;
    if ((err = query_word(d, a, sizeof a, ":TRIGger:EDGE:SLOPe?")))
        return err;
    out->slope = qaio__drv_word_index(a, slopes, 3, QAIO_SLOPE_RISING);
    if ((err = qaio__drv_query_number(d, &level, dl, ":TRIGger:EDGE:LEVel?")))
        return err;
    return qaio__drv_put_record(d, out, rate, points, level, "rate", "points");
}

static int set_record(qaio__scope_drv *d, const qaio_scope_settings *s)
{
    return qaio__drv_set_timebase(d, s, HDIVS, ":TIMebase:SCALe %.2E", ":ACQuire:SRATe?",
                                  ":ACQuire:POINts?",
                                  "the record is set by time/div and memory depth "
                                  "(:ACQuire:MDEPth), not points and rate");
}

static int sdx_apply_settings(qaio__scope_drv *d, const qaio_scope_settings *s,
                              const qaio_scope_settings *cur)
{
    sdx_priv *p = d->priv;
    int refused = 0, err = 0;
    if (s->trigger != cur->trigger || !p->mode_known) {
        qaio_trigger_mode m = qaio__drv_sweep_for(d, s->trigger, &refused);
        if (m != QAIO_TRIG_SINGLE)
            err = qaio__drv_write(d, ":TRIGger:MODE %s", modes[m]);
        p->mode = m;
        p->mode_known = true;
    }
    if (!err && s->trigger_source != cur->trigger_source)
        err = qaio__drv_write(d, ":TRIGger:EDGE:SOURce C%u", s->trigger_source);
    if (!err && s->slope != cur->slope)
        err = qaio__drv_write(d, ":TRIGger:EDGE:SLOPe %s", slopes[s->slope]);
    if (!err && s->trigger_level != cur->trigger_level)
        err = qaio__drv_write(d, ":TRIGger:EDGE:LEVel %.6E", s->trigger_level);
    if (!err && (s->points != cur->points || s->rate != cur->rate)) {
        err = set_record(d, s);
        if (err == QAIO_EIO)
            refused = err, err = 0;
    }
    return qaio__drv_apply_done(d, err, refused);
}

/* :TRIGger:STATus? "Stop": the scope has stopped on its record. */
static bool stopped(const char *a)
{
    return qaio__drv_word_is(a, "Stop");
}

/* :TRIGger:MODE SINGle, then :TRIGger:STATus? until it has stopped. */
static int take_single(qaio__scope_drv *d, double deadline)
{
    int err = qaio__drv_write(d, ":TRIGger:MODE SINGle");
    return err ? err : qaio__drv_poll(d, ":TRIGger:STATus?", stopped, deadline);
}

/* --- WAVEDESC ------------------------------------------------------------ */

typedef struct wavedesc {
    int comm_type;  /* 0 byte, 1 word */
    size_t points;  /* wave_array_count */
    double vdiv, offset, code_per_div, interval, delay, tdiv;
    int adc_bit;
} wavedesc;

static uint32_t le32(const unsigned char *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static float lef(const unsigned char *b)
{
    uint32_t u = le32(b);
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static double led(const unsigned char *b)
{
    uint64_t u = le32(b) | (uint64_t)le32(b + 4) << 32;
    double f;
    memcpy(&f, &u, 8);
    return f;
}

/* The timebase index of WAVEDESC (0x144): 100 ps .. 1000 s in 1-2-5. */
static double tdiv_of(int index)
{
    return (double[]){1, 2, 5}[index % 3] * pow(10, index / 3 - 10);
}

static int parse_desc(qaio__scope_drv *d, const unsigned char *b, size_t len, wavedesc *w)
{
    if (len < DESC_LEN || memcmp(b, "WAVEDESC", 8) != 0)
        return qaio__drv_fail(d, QAIO_EPROTO, "the preamble is not a WAVEDESC of %d bytes",
                              DESC_LEN);
    w->comm_type = (int16_t)(b[0x20] | b[0x21] << 8);
    w->points = le32(b + 0x74);
    float probe = lef(b + 0x148);
    if (!(probe > 0) || !isfinite(probe))
        probe = 1;
    w->vdiv = lef(b + 0x9c) * probe;
    w->offset = lef(b + 0xa0) * probe;
    w->code_per_div = lef(b + 0xa4);
    w->adc_bit = (int16_t)(b[0xac] | b[0xad] << 8);
    w->interval = lef(b + 0xb0);
    w->delay = led(b + 0xb4);
    int idx = (int16_t)(b[0x144] | b[0x145] << 8);
    w->tdiv = idx >= 0 && idx < 40 ? tdiv_of(idx) : NAN;
    if ((w->comm_type != 0 && w->comm_type != 1) || w->adc_bit < 8 || w->adc_bit > 16 ||
        !(w->code_per_div > 0) || !(w->interval > 0) || !isfinite(w->vdiv) ||
        !isfinite(w->offset) || !isfinite(w->delay) || !isfinite(w->tdiv) || w->points == 0 ||
        w->points > QAIO_SCPI_MAX_BLOCK)
        return qaio__drv_fail(d, QAIO_EPROTO,
                              "a WAVEDESC with comm_type %d, adc_bit %d, code_per_div %g, "
                              "interval %g, %zu points, timebase %d",
                              w->comm_type, w->adc_bit, w->code_per_div, w->interval, w->points,
                              idx);
    return 0;
}

static int read_preamble(qaio__scope_drv *d, unsigned ch, wavedesc *w, double deadline)
{
    size_t len;
    int err = qaio__drv_write(d, ":WAVeform:SOURce C%u;:WAVeform:PREamble?", ch);
    if (!err)
        err = qaio__drv_read_block(d, 4096, &len, deadline);
    if (!err)
        err = qaio__drv_read_eol(d, deadline);
    return err ? err : parse_desc(d, d->blk, len, w);
}

/* Codes of bits width, two's complement, in bytes or little-endian words. */
static void decode(const unsigned char *b, size_t n, const wavedesc *w, float *y)
{
    double k = w->vdiv / w->code_per_div;
    if (w->comm_type == 0) {
        qaio__decode_samples(b, n, QAIO__S8, false, k, -w->offset, y);
        return;
    }
    long half = 1L << (w->adc_bit - 1), mask = (half << 1) - 1;
    for (size_t i = 0; i < n; i++) {
        long u = (long)(b[2 * i] | b[2 * i + 1] << 8) & mask;
        if (u >= half)
            u -= 2 * half;
        y[i] = (float)(u * k - w->offset);
    }
}

static int read_channel(qaio__scope_drv *d, qaio_trace *rec, size_t c, unsigned ch, unsigned mask,
                        size_t maxp, double deadline)
{
    wavedesc w;
    int err = read_preamble(d, ch, &w, deadline);
    if (!err && w.adc_bit > 8 && w.comm_type == 0) {
        /* More than 8 bits fit only in words (the guide's example does the same). */
        err = qaio__drv_write(d, ":WAVeform:WIDTh WORD");
        if (!err)
            err = read_preamble(d, ch, &w, deadline);
    }
    if (err)
        return err;
    err = qaio__drv_shape_channel(d, rec, c, w.points, mask, -(w.tdiv * HDIVS / 2) + w.delay,
                                  w.interval);
    if (err)
        return err;
    size_t width = w.comm_type ? 2 : 1;
    for (size_t start = 0; start < w.points;) {
        size_t want = w.points - start < maxp ? w.points - start : maxp, len;
        err = qaio__drv_write(d, ":WAVeform:STARt %zu;:WAVeform:POINt %zu;:WAVeform:DATA?", start,
                              want);
        if (!err)
            err = qaio__drv_read_block(d, 0, &len, deadline);
        if (!err)
            err = qaio__drv_read_eol(d, deadline);
        if (err)
            return err;
        if (len != want * width)
            return qaio__drv_fail(d, QAIO_EPROTO,
                                  "C%u: %zu bytes from point %zu, %zu points of %zu bytes asked",
                                  ch, len, start, want, width);
        decode(d->blk, want, &w, rec->y[c] + start);
        start += want;
    }
    return 0;
}

static int sdx_acquire(qaio__scope_drv *d, qaio_trace *rec, unsigned mask, double deadline)
{
    sdx_priv *p = d->priv;
    double maxp;
    int err = take_single(d, deadline);
    if (!err)
        err = qaio__drv_query_number(d, &maxp, deadline, ":WAVeform:MAXPoint?");
    if (err)
        return err;
    if (!(maxp >= 1))
        return qaio__drv_fail(d, QAIO_EPROTO, ":WAVeform:MAXPoint? answered %g", maxp);
    size_t c = 0;
    for (unsigned ch = 1; !err && ch <= 2; ch++)
        if (mask & ch)
            err = read_channel(d, rec, c++, ch, mask, (size_t)maxp, deadline);
    if (!err && p->mode_known && p->mode != QAIO_TRIG_SINGLE)
        err = qaio__drv_write(d, ":TRIGger:MODE %s", modes[p->mode]);
    return err;
}

const qaio__scope_family qaio__family_siglent_sds2000xp = {
    .name = "siglent-sds2000xp",
    .title = "Siglent SDS2000X Plus / HD (SDS Series SCPI)",
    .port = 5025,
    .matches = sdx_matches,
    .priv_size = sizeof(sdx_priv),
    .setup = sdx_setup,
    .read_settings = sdx_read_settings,
    .apply_settings = sdx_apply_settings,
    .acquire = sdx_acquire,
};
