/* The "keysight-3000x" personality: a Keysight InfiniiVision 3000T X-Series
 * (DSOX3024T) as its programmer's guide describes it -- Keysight
 * InfiniiVision 3000T X-Series Oscilloscopes Programmer's Guide (the 3000 X,
 * 2000 X and 4000 X guides agree on everything used here): Root (:)
 * Commands (:DIGitize, :RUN, :STOP, :SINGle, :AUToscale), :TIMebase,
 * :CHANnel<n>, :ACQuire, :TRIGger[:EDGE], :WAVeform ("Data Format for
 * Transfer", :PREamble, :POINts, :POINts:MODE, :UNSigned, :BYTeorder) and
 * :SYSTem:ERRor?. Session defaults are *RST's as the guide's :WAVeform?
 * sample shows them: BYTE, MSBFirst, unsigned, 1000 points, CHANnel1.
 *
 * Its model over the shared simulated scope:
 *   - the timebase is a time/div (:TIMebase:SCALe, 10 divisions =
 *     :TIMebase:RANGe); there is no sample-rate or memory-depth command.
 *     The scope samples at Fs = the fastest rate of the 1-2-2.5-5 sequence
 *     that keeps the range within 4 Mpts of memory, at most 5 GSa/s;
 *     the raw record is Fs * range points (:ACQuire:SRATe? and
 *     :ACQuire:POINts?, both queries only);
 *   - :WAVeform:POINts:MODE NORMal transfers at most the 62,500-point
 *     measurement record, RAW the raw record, MAXimum the raw record when
 *     stopped; :WAVeform:POINts asks for fewer points, which the scope
 *     gives by decimating by a whole factor (so it may give fewer than
 *     asked: :WAVeform:POINts? says how many);
 *   - the shared scope takes the transfer's own decimation of the raw
 *     record (not the raw record: its trigger has no noise hysteresis and
 *     would jitter at GSa/s); a :WAVeform:POINts changed after :DIGitize,
 *     as the guide's examples do, that this record cannot give makes the
 *     simulation digitize again with the same settings (the real scope
 *     decimates the raw record it holds);
 *   - codes: BYTE 32 codes and WORD 8192 codes a division around
 *     yreference (128 / 32768 unsigned, 0 with :WAVeform:UNSigned OFF),
 *     yorigin the channel offset; clipped to the code range. WORD uses
 *     all 16 bits (the real scope left-shifts 8 to 12 bits of data).
 *     ASCii is comma-separated volts ("%+.8E"), not scaled again, and its
 *     preamble has yincrement, yorigin and yreference 0;
 *   - :ACQuire:TYPE HRESolution and PEAK are accepted and answered but
 *     acquire as NORMal; AVERage averages :ACQuire:COUNt records;
 *   - data blocks have the 8-digit header "#8NNNNNNNN" the InfiniiVision
 *     sends (PyMeasure relies on it);
 *   - channels 3 and 4 exist (settings) but have no simulated input:
 *     digitizing or reading them is -221 "Settings conflict";
 *   - errors: "+0,\"No error\"" / "-113,\"Undefined header\"" from
 *     :SYSTem:ERRor?; *ESR? as IEEE 488.2.
 * The record starts at the trigger (xorigin = 0): :TIMebase:REFerence and
 * :POSition are kept and answered but do not move it. */
#include "scope_model.h"
#include "scpi_session.h"
#include "sim_family.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef qaio__scpi_session session;
typedef const qaio_scpi_command cmd;

#define KS_CHANNELS 4
#define KS_MEMORY 4000000.0   /* raw record points */
#define KS_MAX_RATE 5e9       /* Sa/s */
#define KS_NORMAL_MAX 62500   /* the measurement record */

enum { PM_NORMAL, PM_MAXIMUM, PM_RAW };
enum { REF_LEFT, REF_CENTER, REF_RIGHT };
enum { AT_NORMAL, AT_AVERAGE, AT_HRES, AT_PEAK };

typedef struct ks_channel {
    double scale, offset, probe;
    bool display, invert, bwlimit, ac;
} ks_channel;

typedef struct ks_server {
    double tscale, tpos;
    int tref;
    int acq_type;
    ks_channel ch[KS_CHANNELS];
    double level[2]; /* trigger level per source channel */
} ks_server;

typedef struct ks_session {
    bool is_unsigned;
    int points_mode;
    size_t held_raw; /* the raw record the held one was taken from */
    size_t held_k;   /* ... and its decimation of it */
} ks_session;

static ks_server *srvst(session *s) { return s->srv->pstate; }
static ks_session *sess(session *s) { return s->pstate; }

/* --- arguments ----------------------------------------------------------- */

/* ON|OFF|1|0: 1, 0, or -1 with the error queued. */
static int bool_arg(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 1))
        return -1;
    const char *t = c->arg[0].text;
    if (qaio_scpi_word_match(t, "ON") || strcmp(t, "1") == 0)
        return 1;
    if (qaio_scpi_word_match(t, "OFF") || strcmp(t, "0") == 0)
        return 0;
    return qaio__sim_fail(s, QAIO_SCPI_ERR_ILLEGAL_VALUE, t), -1;
}

/* The channel number in node 0 ("CHAN2"): 1..4, or 0. */
static unsigned node_channel(cmd *c)
{
    size_t n = strlen(c->node[0]);
    return n && c->node[0][n - 1] >= '1' && c->node[0][n - 1] <= '0' + KS_CHANNELS
               ? (unsigned)(c->node[0][n - 1] - '0')
               : 0;
}

/* "CHANnel<n>" as an argument: 1..4, or 0. */
static unsigned channel_word(const char *t)
{
    static const char *const w[] = {"CHANnel1", "CHANnel2", "CHANnel3", "CHANnel4"};
    for (unsigned i = 0; i < KS_CHANNELS; i++)
        if (qaio_scpi_word_match(t, w[i]))
            return i + 1;
    return 0;
}

/* --- the timebase model -------------------------------------------------- */

static double range_of(session *s) { return 10 * srvst(s)->tscale; }

/* The sample rate: the fastest of 1-2-2.5-5 x 10^k within memory and the
 * ADC's rate. */
static double sample_rate(session *s)
{
    return qaio__step_floor(&qaio__steps_1225, fmin(KS_MAX_RATE, KS_MEMORY / range_of(s)));
}

static size_t raw_points(session *s)
{
    double n = floor(sample_rate(s) * range_of(s) + 0.5);
    return n < 2 ? 2 : (size_t)n;
}

/* What a transfer of a raw record of raw points asks for: :WAVeform:POINts
 * within the mode's record -- the raw record, or the measurement record of
 * at most 62,500 points. */
static size_t wanted(session *s, size_t raw)
{
    int m = sess(s)->points_mode;
    size_t cap = m == PM_RAW || (m == PM_MAXIMUM && !s->running) ? raw
                 : raw < KS_NORMAL_MAX                          ? raw
                                                                : KS_NORMAL_MAX;
    return s->wav_points && s->wav_points < cap ? s->wav_points : cap;
}

/* Decimation of avail points by a whole factor to at most want. */
static size_t decimate(size_t avail, size_t want, size_t *factor)
{
    size_t k = want && want < avail ? (avail + want - 1) / want : 1;
    if (factor)
        *factor = k;
    return avail / k;
}

/* The points the next acquisition transfers, from the present settings;
 * *factor its decimation of the raw record. */
static size_t transfer_points(session *s, size_t *factor)
{
    size_t raw = raw_points(s);
    return decimate(raw, wanted(s, raw), factor);
}

/* Puts the shared scope on the transfer's own decimation of the raw record
 * (keeping its trigger settings), and notes what it was taken from. Not
 * the raw record itself: the simulated trigger has no noise hysteresis, so
 * at the raw record's rate (GSa/s on a 10 kHz sine) a little noise would
 * move it from record to record, which averaging would show. */
static void map_to_scope(session *s)
{
    size_t k, n = transfer_points(s, &k);
    sess(s)->held_raw = raw_points(s);
    sess(s)->held_k = k;
    qaio_scope_settings set = qaio__sim_settings(s);
    set.points = n < 2 ? 2 : n;
    set.rate = sample_rate(s) / (double)k;
    qaio__sim_apply(s, &set);
}

/* --- records ------------------------------------------------------------- */

static int take(session *s)
{
    map_to_scope(s);
    return qaio__sim_take(s);
}

/* A :WAVeform:POINts changed after :DIGitize (the guide's examples do)
 * that the held decimation cannot give: the real scope decimates the raw
 * record it holds; the simulation, holding only the decimation it was
 * asked for then, digitizes again with the same settings. */
static bool needs_retake(session *s)
{
    size_t raw = sess(s)->held_raw, k;
    if (raw != raw_points(s))
        return false; /* the timebase changed since: the record stays */
    decimate(raw, wanted(s, raw), &k);
    return k % sess(s)->held_k != 0;
}

/* The record a waveform query describes (a fresh one while running) and
 * the decimation its :WAVeform:POINts asks of it. */
static int record(session *s, bool *ok, size_t *n, size_t *k)
{
    *ok = false;
    if (s->source > 2)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_SETTINGS_CONFLICT, "no input on this channel");
    if (s->running) {
        int err = take(s);
        if (err)
            return err;
    } else if (!s->rec_valid) {
        return qaio__sim_fail(s, QAIO_SCPI_ERR_DATA_STALE, "no acquisition: :DIGitize first");
    } else if (needs_retake(s)) {
        int err = take(s);
        if (err)
            return err;
    }
    if (!s->rec_valid)
        return 0;
    /* The raw record's decimation for this request, as a multiple of the
     * held record's. */
    size_t raw = sess(s)->held_raw, d = sess(s)->held_k;
    size_t kr, r;
    decimate(raw, wanted(s, raw), &kr);
    r = (kr + d - 1) / d;
    *k = r;
    *n = s->rec->n / r;
    *ok = true;
    return 0;
}

static bool word_format(session *s) { return s->format == QAIO__WAV_WORD; }

static double y_increment(session *s)
{
    double sc = srvst(s)->ch[s->source - 1].scale;
    return word_format(s) ? sc / 8192 : sc / 32;
}

static long y_reference(session *s)
{
    if (!sess(s)->is_unsigned || s->format == QAIO__WAV_ASCII)
        return 0;
    return word_format(s) ? 32768 : 128;
}

static int preamble_type(session *s)
{
    static const int codes[] = {0, 2, 3, 1};
    return codes[srvst(s)->acq_type];
}

/* The volts of the held record as the front end shows them: probe
 * attenuation and inversion applied. n points, every k-th. */
static float *displayed(session *s, size_t n, size_t k)
{
    const ks_channel *ch = &srvst(s)->ch[s->source - 1];
    const float *y = s->rec->y[s->source - 1];
    float *v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return NULL;
    double g = ch->probe * (ch->invert ? -1 : 1);
    for (size_t i = 0; i < n; i++)
        v[i] = (float)(y[i * k] * g);
    return v;
}

static int h_preamble(session *s, cmd *c)
{
    bool ok;
    size_t n = 0, k = 1;
    int err = qaio__sim_nargs(s, c, 0) ? record(s, &ok, &n, &k) : (ok = false, 0);
    if (err || !ok)
        return err;
    int fmt = s->format;
    qaio__scpi_begin_unit(s);
    return qaio__scpi_printf(s, "%+d,%+d,+%zu,+%u,%+.10E,%+.10E,%+d,%+.10E,%+.10E,%+ld", fmt,
                             preamble_type(s), n, s->rec_count > 1 ? s->rec_count : 1,
                             s->rec->dx * (double)k, s->rec->x0, 0,
                             fmt == QAIO__WAV_ASCII ? 0.0 : y_increment(s),
                             fmt == QAIO__WAV_ASCII ? 0.0 : srvst(s)->ch[s->source - 1].offset,
                             y_reference(s));
}

#define ASCII_FMT "%+.8E"

static int h_data(session *s, cmd *c)
{
    bool ok;
    size_t n = 0, k = 1;
    int err = qaio__sim_nargs(s, c, 0) ? record(s, &ok, &n, &k) : (ok = false, 0);
    if (err || !ok)
        return err;
    float *v = displayed(s, n, k);
    if (!v)
        return QAIO_ENOMEM;
    /* Blocks with 8 length digits, as the guide shows them. */
    qaio__scpi_begin_unit(s);
    if (s->format == QAIO__WAV_ASCII)
        err = qaio__simf_put_ascii_block(s, v, n, ASCII_FMT, 8);
    else if (!(err = qaio__simf_block_header(s, n * (word_format(s) ? 2 : 1), 8))) {
        long ref = y_reference(s), top = word_format(s) ? 65535 : 255;
        long lo = ref ? 0 : -(top + 1) / 2, hi = ref ? top : top / 2;
        double yinc = y_increment(s), yorg = srvst(s)->ch[s->source - 1].offset;
        /* code = (v - yorigin) / yincrement + yreference */
        err = qaio__sim_put_codes(s, v, n, yinc, yorg - (double)ref * yinc, lo, hi,
                                  word_format(s) ? 2 : 1, !s->lsb_first);
    }
    free(v);
    return err;
}

/* The preamble's fields one by one (:WAVeform:XINCrement? ...): field is
 * the preamble's index. */
static int wav_field(session *s, cmd *c, int field)
{
    bool ok;
    size_t n = 0, k = 1;
    int err = qaio__sim_nargs(s, c, 0) ? record(s, &ok, &n, &k) : (ok = false, 0);
    if (err || !ok)
        return err;
    bool ascii = s->format == QAIO__WAV_ASCII;
    switch (field) {
    case 4: return qaio__sim_answer(s, "%+.10E", s->rec->dx * (double)k);
    case 5: return qaio__sim_answer(s, "%+.10E", s->rec->x0);
    case 6: return qaio__sim_answer(s, "+0");
    case 7: return qaio__sim_answer(s, "%+.10E", ascii ? 0.0 : y_increment(s));
    case 8: return qaio__sim_answer(s, "%+.10E", ascii ? 0.0 : srvst(s)->ch[s->source - 1].offset);
    default: return qaio__sim_answer(s, "%+ld", y_reference(s));
    }
}

static int h_xinc(session *s, cmd *c) { return wav_field(s, c, 4); }
static int h_xorg(session *s, cmd *c) { return wav_field(s, c, 5); }
static int h_xref(session *s, cmd *c) { return wav_field(s, c, 6); }
static int h_yinc(session *s, cmd *c) { return wav_field(s, c, 7); }
static int h_yorg(session *s, cmd *c) { return wav_field(s, c, 8); }
static int h_yref(session *s, cmd *c) { return wav_field(s, c, 9); }

/* --- root commands ------------------------------------------------------- */

static int h_run(session *s, cmd *c)
{
    if (qaio__sim_nargs(s, c, 0))
        s->running = true;
    return 0;
}

static int h_stop(session *s, cmd *c)
{
    if (qaio__sim_nargs(s, c, 0))
        s->running = false;
    return 0;
}

/* :DIGitize [CHANnel<n>{,CHANnel<n>}] and :SINGle: one record, then
 * stopped; complete before the next command runs. */
static int h_digitize(session *s, cmd *c)
{
    for (unsigned i = 0; i < c->nargs; i++) {
        unsigned ch = c->arg[i].type == QAIO_SCPI_ARG_CHARS ? channel_word(c->arg[i].text) : 0;
        if (!ch)
            return qaio__sim_fail(s, QAIO_SCPI_ERR_ILLEGAL_VALUE, c->arg[i].text);
        if (ch > 2)
            return qaio__sim_fail(s, QAIO_SCPI_ERR_SETTINGS_CONFLICT, "no input on this channel");
    }
    s->running = false;
    return take(s);
}

static void defaults(qaio_scpi_server *srv)
{
    ks_server *k = srv->pstate;
    k->tscale = 100e-6; /* 10 periods of the default 10 kHz */
    k->tpos = 0;
    k->tref = REF_CENTER;
    k->acq_type = AT_NORMAL;
    for (int i = 0; i < KS_CHANNELS; i++)
        k->ch[i] = (ks_channel){.scale = 0.5, .offset = 0, .probe = 1, .display = i < 2};
    k->level[0] = k->level[1] = 0;
}

static void server_reset(qaio_scpi_server *srv) { defaults(srv); }

static int h_autoscale(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    /* What autoscale makes of the default sine. */
    defaults(s->srv);
    qaio_scope_settings set = qaio__sim_settings(s);
    set.trigger = QAIO_TRIG_AUTO;
    set.trigger_source = 1;
    set.trigger_level = 0;
    qaio__sim_apply(s, &set);
    s->running = true;
    return 0;
}

/* --- :TIMebase ----------------------------------------------------------- */

static int h_tscale(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "%+.10E", srvst(s)->tscale) : 0;
    double v;
    if (qaio__sim_nargs(s, c, 1) && qaio__simf_number_arg(s, c, 0, 500e-12, 50, &v))
        srvst(s)->tscale = v;
    return 0;
}

static int h_trange(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "%+.10E", range_of(s)) : 0;
    double v;
    if (qaio__sim_nargs(s, c, 1) && qaio__simf_number_arg(s, c, 0, 5e-9, 500, &v))
        srvst(s)->tscale = v / 10;
    return 0;
}

static int h_tpos(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "%+.10E", srvst(s)->tpos) : 0;
    double v;
    if (qaio__sim_nargs(s, c, 1) && qaio__simf_number_arg(s, c, 0, -500, 500, &v))
        srvst(s)->tpos = v;
    return 0;
}

static const char *const refs[] = {"LEFT", "CENTer", "RIGHt", NULL};

static int h_tref(session *s, cmd *c)
{
    return qaio__simf_word(s, c, refs, &srvst(s)->tref, NULL);
}

static const char *const tmodes[] = {"MAIN", NULL};

static int h_tmode(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "MAIN") : 0;
    qaio__sim_choice(s, c, tmodes); /* WINDow, XY and ROLL: not simulated */
    return 0;
}

/* ":TIMebase?": the subsystem's settings, the way the scope lists them. */
static int h_timebase(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    static const char *const ref_words[] = {"LEFT", "CENT", "RIGH"};
    return qaio__sim_answer(s, ":TIM:MODE MAIN;REF %s;MAIN:RANG %+.2E;POS %+.1E",
                            ref_words[srvst(s)->tref], range_of(s), srvst(s)->tpos);
}

/* --- :CHANnel<n> --------------------------------------------------------- */

static ks_channel *chan(session *s, cmd *c)
{
    unsigned n = node_channel(c);
    return n ? &srvst(s)->ch[n - 1] : NULL;
}

/* V/div and offset are in the volts the scope shows (the probe's
 * attenuation applied). */
static int h_ch_scale(session *s, cmd *c)
{
    ks_channel *ch = chan(s, c);
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "%+.5E", ch->scale) : 0;
    double v;
    if (qaio__sim_nargs(s, c, 1) && qaio__simf_number_arg(s, c, 0, 1e-3, 5, &v))
        ch->scale = v;
    return 0;
}

static int h_ch_range(session *s, cmd *c)
{
    ks_channel *ch = chan(s, c);
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "%+.5E", 8 * ch->scale) : 0;
    double v;
    if (qaio__sim_nargs(s, c, 1) && qaio__simf_number_arg(s, c, 0, 8e-3, 40, &v))
        ch->scale = v / 8;
    return 0;
}

static int h_ch_offset(session *s, cmd *c)
{
    ks_channel *ch = chan(s, c);
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "%+.5E", ch->offset) : 0;
    double v;
    if (qaio__sim_nargs(s, c, 1) && qaio__simf_number_arg(s, c, 0, -500, 500, &v))
        ch->offset = v;
    return 0;
}

static int h_ch_probe(session *s, cmd *c)
{
    ks_channel *ch = chan(s, c);
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "%+.5E", ch->probe) : 0;
    double v;
    if (qaio__sim_nargs(s, c, 1) && qaio__simf_number_arg(s, c, 0, 0.1, 10000, &v))
        ch->probe = v;
    return 0;
}

static int ch_flag(session *s, cmd *c, bool *flag)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "%d", *flag ? 1 : 0) : 0;
    int b = bool_arg(s, c);
    if (b >= 0)
        *flag = b;
    return 0;
}

static int h_ch_display(session *s, cmd *c) { return ch_flag(s, c, &chan(s, c)->display); }
static int h_ch_invert(session *s, cmd *c) { return ch_flag(s, c, &chan(s, c)->invert); }
static int h_ch_bwlimit(session *s, cmd *c) { return ch_flag(s, c, &chan(s, c)->bwlimit); }

static const char *const couplings[] = {"DC", "AC", NULL};

static int h_ch_coupling(session *s, cmd *c)
{
    ks_channel *ch = chan(s, c);
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer_word(s, couplings, ch->ac) : 0;
    int i = qaio__sim_choice(s, c, couplings);
    if (i >= 0)
        ch->ac = i == 1;
    return 0;
}

/* ":CHANnel<n>?": the channel's settings in the scope's own layout. */
static int h_channel(session *s, cmd *c)
{
    ks_channel *ch = chan(s, c);
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    return qaio__sim_answer(s,
                            ":CHAN%u:RANG %+.2E;OFFS %+.5E;COUP %s;IMP ONEM;DISP %d;BWL %d;"
                            "INV %d;LAB \"%u\";UNIT VOLT;PROB %+.2E;PROB:SKEW %+.2E;STYP SING",
                            node_channel(c), 8 * ch->scale, ch->offset,
                            ch->ac ? "AC" : "DC", ch->display, ch->bwlimit, ch->invert,
                            node_channel(c), ch->probe, 0.0);
}

/* --- :ACQuire ------------------------------------------------------------ */

static const char *const acq_types[] = {"NORMal", "AVERage", "HRESolution", "PEAK", NULL};

static int h_acq_type(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer_word(s, acq_types, srvst(s)->acq_type)
                                        : 0;
    int i = qaio__sim_choice(s, c, acq_types);
    if (i >= 0) {
        srvst(s)->acq_type = i;
        s->srv->average = i == AT_AVERAGE;
    }
    return 0;
}

static int h_acq_count(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "+%u", s->srv->count) : 0;
    double v;
    if (qaio__sim_nargs(s, c, 1) && qaio__simf_number_arg(s, c, 0, 2, 65536, &v))
        s->srv->count = (unsigned)v;
    return 0;
}

static int h_acq_points(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "+%zu", raw_points(s)) : 0;
}

static int h_acq_srate(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "%+.5E", sample_rate(s)) : 0;
}

static const char *const acq_modes[] = {"RTIMe", NULL};

static int h_acq_mode(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "RTIM") : 0;
    qaio__sim_choice(s, c, acq_modes); /* SEGMented: not simulated */
    return 0;
}

/* --- :TRIGger ------------------------------------------------------------ */

static const char *const sweeps[] = {"AUTO", "NORMal", NULL};
static const char *const slopes[] = {"POSitive", "NEGative", "EITHer", "ALTernate", NULL};

static int h_sweep(session *s, cmd *c)
{
    qaio_scope_settings set = qaio__sim_settings(s);
    if (c->query)
        return qaio__sim_nargs(s, c, 0)
                   ? qaio__sim_answer_word(s, sweeps, set.trigger == QAIO_TRIG_NORMAL ? 1 : 0)
                   : 0;
    int i = qaio__sim_choice(s, c, sweeps);
    if (i >= 0) {
        set.trigger = i ? QAIO_TRIG_NORMAL : QAIO_TRIG_AUTO;
        qaio__sim_apply(s, &set);
    }
    return 0;
}

static int h_slope(session *s, cmd *c)
{
    qaio_scope_settings set = qaio__sim_settings(s);
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer_word(s, slopes, (int)set.slope) : 0;
    int i = qaio__sim_choice(s, c, slopes);
    if (i >= 0) {
        /* ALTernate (alternate edges) is triggered as EITHer here. */
        set.slope = (qaio_trigger_slope)(i == 3 ? 2 : i);
        qaio__sim_apply(s, &set);
    }
    return 0;
}

static int h_trig_source(session *s, cmd *c)
{
    qaio_scope_settings set = qaio__sim_settings(s);
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "CHAN%u", set.trigger_source) : 0;
    if (!qaio__sim_nargs(s, c, 1))
        return 0;
    unsigned ch = c->arg[0].type == QAIO_SCPI_ARG_CHARS ? channel_word(c->arg[0].text) : 0;
    if (!ch)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_ILLEGAL_VALUE, c->arg[0].text);
    if (ch > 2)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_SETTINGS_CONFLICT, "no input on this channel");
    set.trigger_source = ch;
    set.trigger_level = srvst(s)->level[ch - 1];
    qaio__sim_apply(s, &set);
    return 0;
}

/* :TRIGger[:EDGE]:LEVel <level>[,CHANnel<n>]: each source keeps its own. */
static int h_level(session *s, cmd *c)
{
    qaio_scope_settings set = qaio__sim_settings(s);
    unsigned ch = set.trigger_source;
    if (c->query) {
        if (c->nargs == 1 && !(ch = channel_word(c->arg[0].text)))
            return qaio__sim_fail(s, QAIO_SCPI_ERR_ILLEGAL_VALUE, c->arg[0].text);
        if (c->nargs > 1)
            return qaio__sim_fail(s, QAIO_SCPI_ERR_PARAM_NOT_ALLOWED, NULL);
        return ch > 2 ? qaio__sim_answer(s, "%+.5E", 0.0)
                      : qaio__sim_answer(s, "%+.5E", srvst(s)->level[ch - 1]);
    }
    if (c->nargs == 2 && !(ch = channel_word(c->arg[1].text)))
        return qaio__sim_fail(s, QAIO_SCPI_ERR_ILLEGAL_VALUE, c->arg[1].text);
    if (c->nargs > 2)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_PARAM_NOT_ALLOWED, NULL);
    double v;
    if (!qaio__simf_number_arg(s, c, 0, -100, 100, &v) || ch > 2)
        return 0;
    srvst(s)->level[ch - 1] = v;
    if (ch == set.trigger_source) {
        set.trigger_level = v;
        qaio__sim_apply(s, &set);
    }
    return 0;
}

static const char *const trig_modes[] = {"EDGE", NULL};

static int h_trig_mode(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "EDGE") : 0;
    qaio__sim_choice(s, c, trig_modes); /* other trigger types: not simulated */
    return 0;
}

static int h_force(session *s, cmd *c)
{
    if (qaio__sim_nargs(s, c, 0))
        qaio_scope_force(s->srv->scope);
    return 0;
}

/* --- :WAVeform ----------------------------------------------------------- */

static const char *const formats[] = {"BYTE", "WORD", "ASCii", NULL};
static const int format_codes[] = {QAIO__WAV_BYTE, QAIO__WAV_WORD, QAIO__WAV_ASCII};
static const char *const orders[] = {"MSBFirst", "LSBFirst", NULL};
static const char *const point_modes[] = {"NORMal", "MAXimum", "RAW", NULL};

static int h_wav_source(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "CHAN%u", s->source) : 0;
    if (!qaio__sim_nargs(s, c, 1))
        return 0;
    unsigned ch = c->arg[0].type == QAIO_SCPI_ARG_CHARS ? channel_word(c->arg[0].text) : 0;
    if (!ch)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_ILLEGAL_VALUE, c->arg[0].text);
    s->source = ch;
    return 0;
}

static int h_format(session *s, cmd *c)
{
    if (c->query) {
        if (!qaio__sim_nargs(s, c, 0))
            return 0;
        for (int i = 0; formats[i]; i++)
            if (format_codes[i] == s->format)
                return qaio__sim_answer_word(s, formats, i);
        return 0;
    }
    int i = qaio__sim_choice(s, c, formats);
    if (i >= 0)
        s->format = format_codes[i];
    return 0;
}

static int h_order(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer_word(s, orders, s->lsb_first) : 0;
    int i = qaio__sim_choice(s, c, orders);
    if (i >= 0)
        s->lsb_first = i == 1;
    return 0;
}

static int h_unsigned(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "%d", sess(s)->is_unsigned) : 0;
    int b = bool_arg(s, c);
    if (b >= 0)
        sess(s)->is_unsigned = b;
    return 0;
}

static int h_points_mode(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0)
                   ? qaio__sim_answer_word(s, point_modes, sess(s)->points_mode)
                   : 0;
    int i = qaio__sim_choice(s, c, point_modes);
    if (i >= 0)
        sess(s)->points_mode = i;
    return 0;
}

/* :WAVeform:POINts <n>|MAXimum; the query says what a transfer gives. */
static int h_wav_points(session *s, cmd *c)
{
    if (c->query) {
        if (!qaio__sim_nargs(s, c, 0))
            return 0;
        /* What the next acquisition transfers, from the present settings. */
        return qaio__sim_answer(s, "+%zu", transfer_points(s, NULL));
    }
    double v;
    if (qaio__sim_nargs(s, c, 1) && qaio__simf_number_arg(s, c, 0, 100, 8e6, &v))
        s->wav_points = v >= 8e6 ? 0 : (size_t)v;
    return 0;
}

static int h_wav_type(session *s, cmd *c)
{
    static const char *const w[] = {"NORM", "AVER", "HRES", "PEAK"};
    return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "%s", w[srvst(s)->acq_type]) : 0;
}

static int h_wav_count(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0)
               ? qaio__sim_answer(s, "+%u", s->srv->average ? s->srv->count : 1)
               : 0;
}

/* :SYSTem:ERRor? the InfiniiVision way: "+0,\"No error\"". */
static int h_err(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    if (!s->nerr)
        return qaio__sim_answer(s, "+0,\"No error\"");
    int err = qaio__sim_answer(s, "%+d,\"%s\"", s->errq[0].num, s->errq[0].msg);
    memmove(&s->errq[0], &s->errq[1], (s->nerr - 1) * sizeof s->errq[0]);
    s->nerr--;
    return err;
}

static void session_reset(session *s)
{
    s->format = QAIO__WAV_BYTE;
    s->lsb_first = false;
    s->wav_points = 1000;
    sess(s)->is_unsigned = true;
    sess(s)->points_mode = PM_NORMAL;
    sess(s)->held_raw = 0;
    sess(s)->held_k = 1;
}

enum { Q = QAIO__SIM_Q, S = QAIO__SIM_S };
#define CHANNEL_COMMANDS(n)                                                                    \
    {":CHANnel" #n ":SCALe", h_ch_scale, Q | S}, {":CHANnel" #n ":RANGe", h_ch_range, Q | S},  \
        {":CHANnel" #n ":OFFSet", h_ch_offset, Q | S},                                         \
        {":CHANnel" #n ":PROBe", h_ch_probe, Q | S},                                           \
        {":CHANnel" #n ":DISPlay", h_ch_display, Q | S},                                       \
        {":CHANnel" #n ":INVert", h_ch_invert, Q | S},                                         \
        {":CHANnel" #n ":BWLimit", h_ch_bwlimit, Q | S},                                       \
        {":CHANnel" #n ":COUPling", h_ch_coupling, Q | S}, {":CHANnel" #n, h_channel, Q}

static const qaio__sim_command table[] = {
    {":RUN", h_run, S},
    {":STOP", h_stop, S},
    {":SINGle", h_digitize, S},
    {":DIGitize", h_digitize, S},
    {":AUToscale", h_autoscale, S},
    {":TIMebase[:MAIN]:SCALe", h_tscale, Q | S},
    {":TIMebase[:MAIN]:RANGe", h_trange, Q | S},
    {":TIMebase[:MAIN]:POSition", h_tpos, Q | S},
    {":TIMebase:REFerence", h_tref, Q | S},
    {":TIMebase:MODE", h_tmode, Q | S},
    {":TIMebase", h_timebase, Q},
    CHANNEL_COMMANDS(1),
    CHANNEL_COMMANDS(2),
    CHANNEL_COMMANDS(3),
    CHANNEL_COMMANDS(4),
    {":ACQuire:TYPE", h_acq_type, Q | S},
    {":ACQuire:COUNt", h_acq_count, Q | S},
    {":ACQuire:POINts", h_acq_points, Q},
    {":ACQuire:SRATe", h_acq_srate, Q},
    {":ACQuire:MODE", h_acq_mode, Q | S},
    {":TRIGger:SWEep", h_sweep, Q | S},
    {":TRIGger:MODE", h_trig_mode, Q | S},
    {":TRIGger[:EDGE]:SLOPe", h_slope, Q | S},
    {":TRIGger[:EDGE]:SOURce", h_trig_source, Q | S},
    {":TRIGger[:EDGE]:LEVel", h_level, Q | S},
    {":TRIGger:FORCe", h_force, S},
    {":WAVeform:SOURce", h_wav_source, Q | S},
    {":WAVeform:FORMat", h_format, Q | S},
    {":WAVeform:BYTeorder", h_order, Q | S},
    {":WAVeform:UNSigned", h_unsigned, Q | S},
    {":WAVeform:POINts:MODE", h_points_mode, Q | S},
    {":WAVeform:POINts", h_wav_points, Q | S},
    {":WAVeform:PREamble", h_preamble, Q},
    {":WAVeform:DATA", h_data, Q},
    {":WAVeform:XINCrement", h_xinc, Q},
    {":WAVeform:XORigin", h_xorg, Q},
    {":WAVeform:XREFerence", h_xref, Q},
    {":WAVeform:YINCrement", h_yinc, Q},
    {":WAVeform:YORigin", h_yorg, Q},
    {":WAVeform:YREFerence", h_yref, Q},
    {":WAVeform:TYPE", h_wav_type, Q},
    {":WAVeform:COUNt", h_wav_count, Q},
    {":SYSTem:ERRor[:NEXT]", h_err, Q},
};

const qaio__sim_personality qaio__sim_keysight = {
    .name = "keysight-3000x",
    .title = "Keysight InfiniiVision 3000T X-Series (DSOX3024T)",
    .idn = "KEYSIGHT TECHNOLOGIES,DSOX3024T,MY00000001,07.50.2021102830",
    .port = 5025,
    .eol = "\n",
    .commands = table,
    .ncommands = sizeof table / sizeof table[0],
    .server_state_size = sizeof(ks_server),
    .session_state_size = sizeof(ks_session),
    .server_reset = server_reset,
    .session_reset = session_reset,
};
