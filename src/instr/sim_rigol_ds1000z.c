/* The "rigol-ds1000z" personality: a Rigol DS1104Z (DS1000Z series) on its
 * LAN port 5555, per the "MSO1000Z/DS1000Z Series Programming Guide"
 * (Rigol, 2014/2015 editions): :RUN :STOP :SINGle :TFORce,
 * :TRIGger:STATus? (TD, WAIT, RUN, AUTO, STOP), :TRIGger:SWEep, :MODE EDGE,
 * :EDGe:SOURce/SLOPe/LEVel, :TIMebase[:MAIN]:SCALe/OFFSet,
 * :ACQuire:MDEPth, :ACQuire:SRATe? (query only), :CHANnel<n>:DISPlay/
 * SCALe/OFFSet/COUPling/PROBe, :WAVeform:SOURce/MODE/FORMat/STARt/STOP/
 * PREamble?/DATA?/XINCrement?/XORigin?/XREFerence?/YINCrement?/YORigin?/
 * YREFerence?, and the common *IDN? *RST *CLS *OPC? :SYSTem:ERRor?. It
 * answers everything Debian's sigrok-cli (libsigrok 0.5.2, rigol-ds,
 * protocol V4) asks a DS1000Z.
 *
 * The model: 4 channels (1 and 2 carry the simulated inputs, 3 and 4
 * none), 12 horizontal divisions with the trigger at the centre plus
 * :TIMebase:OFFSet; memory depth AUTO or 12k/120k/1.2M/12M/24M points
 * with one channel on, half with two, a quarter with three or four; the
 * sample rate is depth / (12 * time/div), at most 1 GS/s, 500 MS/s or
 * 250 MS/s (AUTO: the highest rate whose screen fits the memory). Time/div
 * takes 1-2-5 steps from 5 ns to 50 s (a value in between is rounded to
 * the nearest). The depth can only change in RUN (-221 otherwise): Rigol
 * scopes ignore :ACQuire:MDEPth when stopped, and their users' scripts
 * send :RUN first.
 *
 * Waveforms: NORMal is the screen (1200 points), RAW the memory (STOPped;
 * in RUN it is the screen, as MAXimum), MAXimum the screen in RUN and the
 * memory when stopped. :STARt/:STOP select the points a :DATA? returns, at
 * most 250000 (BYTE), 125000 (WORD) or 15625 (ASCii) per read. BYTE codes
 * are unsigned, volts = (code - YORigin - YREFerence) * YINCrement with
 * YINCrement = V/div / 25, YREFerence = 127 and YORigin = offset / YINC
 * (rounded: the offset moves in code steps); WORD is the same code in the
 * low byte of a little-endian 16-bit word; ASCii is volts ("%e"), comma
 * separated, inside the block. Preamble: format (0 BYTE, 1 WORD, 2 ASC),
 * type (0 NORM, 1 MAX, 2 RAW), points, count 1, xincrement, xorigin,
 * xreference 0, yincrement, yorigin, yreference.
 *
 * Not simulated: coupling (kept and answered), probe ratio (kept; the
 * signal is given at the probe tip), bandwidth limit, averaging and the
 * other trigger types (:TRIGger:MODE takes EDGE only). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scope_model.h"
#include "scpi_session.h"
#include "sim_family.h"
#include "sim_pretrig.h"

typedef qaio__scpi_session session;
typedef const qaio_scpi_command cmd;

#define SCREEN_POINTS 1200
#define DIVS 12
#define YREF 127
#define CODES_PER_DIV 25.0

enum { MODE_NORM, MODE_MAX, MODE_RAW };
enum { FORM_BYTE, FORM_WORD, FORM_ASC };
enum { SWEEP_AUTO, SWEEP_NORM, SWEEP_SING };

typedef struct chan_state {
    bool disp;
    double scale, offset, probe;
    int coupling;
} chan_state;

typedef struct rigol_state {
    chan_state ch[4];
    double tdiv, toffs;
    int depth;          /* index into the depth list, -1: AUTO */
    int sweep;
    unsigned trig_src;  /* 1..4 */
    int slope;          /* POS, NEG, RFAL */
    double level;
} rigol_state;

typedef struct rigol_session {
    unsigned source;    /* 1..4 */
    int mode, format;
    size_t start, stop;
    bool placed;        /* the held record was moved around its trigger */
    bool single;        /* :SINGle under way (or done: then STOP) */
    bool no_signal;     /* :SINGle on channel 3 or 4: waits for :TFORce */
} rigol_session;

static const char *const onoff[] = {"OFF", "ON", "0", "1", NULL};
static const char *const sweeps[] = {"AUTO", "NORMal", "SINGle", NULL};
static const char *const slopes[] = {"POSitive", "NEGative", "RFALl", NULL};
static const char *const chans[] = {"CHANnel1", "CHANnel2", "CHANnel3", "CHANnel4", NULL};
static const char *const modes[] = {"NORMal", "MAXimum", "RAW", NULL};
static const char *const formats[] = {"BYTE", "WORD", "ASCii", NULL};
static const char *const couplings[] = {"DC", "AC", "GND", NULL};
static const char *const trig_modes[] = {"EDGe", NULL};

static rigol_state *st(session *s)
{
    return s->srv->pstate;
}

static rigol_session *ses(session *s)
{
    return s->pstate;
}

/* --- the acquisition model ------------------------------------------------ */

static int channels_on(const rigol_state *r)
{
    int n = 0;
    for (int i = 0; i < 4; i++)
        n += r->ch[i].disp;
    return n;
}

/* The memory split: 1 with one channel on, 2 with two, 4 with more. */
static int split(const rigol_state *r)
{
    int n = channels_on(r);
    return n <= 1 ? 1 : n == 2 ? 2 : 4;
}

static long depth_value(const rigol_state *r, int i)
{
    static const long full[] = {12000, 120000, 1200000, 12000000, 24000000};
    return full[i] / split(r);
}

static double max_rate(const rigol_state *r)
{
    return 1e9 / split(r);
}

/* The record the memory holds: points and rate. */
static void memory(const rigol_state *r, size_t *points, double *rate)
{
    double screen = DIVS * r->tdiv;
    if (r->depth < 0) {
        *rate = fmin(max_rate(r), (double)depth_value(r, 4) / screen);
        *points = (size_t)fmax(2, llround(*rate * screen));
    } else {
        *points = (size_t)depth_value(r, r->depth);
        *rate = fmin(max_rate(r), (double)*points / screen);
    }
}

/* Samples of memory before the trigger: the screen's centre is
 * :TIMebase:OFFSet after it. */
static long pre_trigger(const rigol_state *r)
{
    size_t n;
    double rate;
    memory(r, &n, &rate);
    double pre = (double)n / 2 - r->toffs * rate;
    return (long)fmin(nearbyint(pre), (double)n);
}

static void rigol_server_reset(qaio_scpi_server *srv)
{
    rigol_state *r = srv->pstate;
    *r = (rigol_state){.tdiv = 100e-6, .toffs = 0, .depth = -1, .sweep = SWEEP_AUTO,
                       .trig_src = 1, .slope = 0, .level = 0};
    /* 0.5 V/div: the 1 V sine spans half the 8-division screen. */
    for (int i = 0; i < 4; i++)
        r->ch[i] = (chan_state){.disp = i < 2, .scale = 0.5, .offset = 0, .probe = 1};
}

static void rigol_session_reset(session *s)
{
    *ses(s) = (rigol_session){.source = 1, .mode = MODE_NORM, .format = FORM_BYTE, .start = 1,
                              .stop = SCREEN_POINTS};
}

/* The shared scope set up as the front panel says. force: no trigger
 * search (auto on a channel without a signal). */
static void configure(session *s, bool force)
{
    rigol_state *r = st(s);
    qaio_scope_settings set = qaio__sim_settings(s);
    memory(r, &set.points, &set.rate);
    set.trigger = force ? QAIO_TRIG_FORCE
                        : r->sweep == SWEEP_AUTO ? QAIO_TRIG_AUTO : QAIO_TRIG_NORMAL;
    set.trigger_source = r->trig_src <= 2 ? r->trig_src : 1;
    set.slope = (qaio_trigger_slope)r->slope;
    set.trigger_level = r->level;
    qaio__sim_apply(s, &set);
}

static int arm(session *s)
{
    rigol_state *r = st(s);
    ses(s)->placed = false;
    ses(s)->no_signal = false;
    if (r->trig_src > 2 && r->sweep != SWEEP_AUTO) {
        qaio__sim_abort(s);
        ses(s)->no_signal = true; /* nothing to trigger on: :TFORce */
        return 0;
    }
    configure(s, r->trig_src > 2);
    return qaio__sim_arm(s);
}

/* true once :SINGle's record is held and placed. */
static int poll_single(session *s, bool *done)
{
    *done = false;
    if (ses(s)->no_signal || qaio__sim_status(s) != QAIO__SIM_HELD)
        return 0;
    if (!ses(s)->placed) {
        if (qaio__sim_pretrigger(s, pre_trigger(st(s))) != 1)
            return arm(s);
        ses(s)->placed = true;
    }
    *done = true;
    return 0;
}

/* The record a waveform query reads: a fresh one in RUN, else the one
 * :SINGle (or the last run) left in memory. */
static int current_record(session *s)
{
    rigol_session *q = ses(s);
    if (!s->running && q->single) {
        bool done;
        int err = poll_single(s, &done);
        if (err || done)
            return err;
        /* Still waiting: the memory holds the previous record, if any. */
        if (qaio__sim_status(s) == QAIO__SIM_WAITING || q->no_signal)
            return qaio__sim_fail(s, QAIO_SCPI_ERR_DATA_STALE, "waiting for the trigger");
    }
    if (!s->running && qaio__sim_held(s) && q->placed)
        return 0;
    /* A read never waits for an edge that may not come: in RUN the screen
     * shows what the acquisition system has, so without an edge in reach
     * it is an untriggered record (auto's). */
    configure(s, false);
    qaio_scope_settings set = qaio__sim_settings(s);
    if (set.trigger == QAIO_TRIG_NORMAL) {
        set.trigger = QAIO_TRIG_AUTO;
        qaio__sim_apply(s, &set);
    }
    int err = qaio__sim_take_pretrigger(s, pre_trigger(st(s)));
    q->placed = !err && qaio__sim_held(s);
    return err;
}

/* --- waveform encoding ---------------------------------------------------- */

/* Which form a query reads: the screen or the memory. */
static bool reads_memory(session *s)
{
    int m = ses(s)->mode;
    return !s->running && (m == MODE_RAW || m == MODE_MAX);
}

typedef struct wave_desc {
    size_t points;
    double xinc, xorg, yinc;
    int yorg;
} wave_desc;

static wave_desc describe(session *s)
{
    rigol_state *r = st(s);
    wave_desc w;
    chan_state *c = &r->ch[ses(s)->source - 1];
    w.yinc = c->scale / CODES_PER_DIV;
    w.yorg = (int)lround(c->offset / w.yinc);
    if (reads_memory(s)) {
        double rate;
        memory(r, &w.points, &rate);
        w.xinc = 1 / rate;
        w.xorg = -(double)pre_trigger(r) / rate;
    } else {
        w.points = SCREEN_POINTS;
        w.xinc = DIVS * r->tdiv / SCREEN_POINTS;
        w.xorg = r->toffs - DIVS / 2 * r->tdiv;
    }
    return w;
}

/* The volts at time t of the held record's channel c (linear between
 * samples, clamped at its ends). */
static float sample_at(const qaio_trace *rec, size_t c, double t)
{
    double i = (t - rec->x0) / rec->dx;
    if (i <= 0)
        return rec->y[c][0];
    if (i >= (double)(rec->n - 1))
        return rec->y[c][rec->n - 1];
    size_t k = (size_t)i;
    double f = i - (double)k;
    return (float)((1 - f) * rec->y[c][k] + f * rec->y[c][k + 1]);
}

/* Points [first, first + n) of the waveform into y (volts). */
static void waveform(session *s, const wave_desc *w, size_t first, size_t n, float *y)
{
    const qaio_trace *rec = qaio__sim_held(s);
    unsigned src = ses(s)->source;
    for (size_t i = 0; i < n; i++) {
        if (src > 2 || !rec) {
            y[i] = 0; /* channels 3 and 4: no signal connected */
        } else if (reads_memory(s)) {
            /* A record taken before the settings changed may be shorter. */
            size_t k = first + i < rec->n ? first + i : rec->n - 1;
            y[i] = rec->y[src - 1][k];
        } else {
            y[i] = sample_at(rec, src - 1, w->xorg + (double)(first + i) * w->xinc);
        }
    }
}

static size_t read_limit(int format)
{
    return format == FORM_BYTE ? 250000 : format == FORM_WORD ? 125000 : 15625;
}

/* The DS1000Z's block header: always "#9" and nine digits. */
enum { BLOCK_DIGITS = 9 };

static int h_wav_data(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    int err = ses(s)->source <= 2 ? current_record(s) : 0;
    if (err || (ses(s)->source <= 2 && !qaio__sim_held(s)))
        return err;
    rigol_session *q = ses(s);
    wave_desc w = describe(s);
    if (q->start > w.points || q->stop < q->start)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_SETTINGS_CONFLICT, "STARt/STOP outside the record");
    size_t first = q->start - 1;
    size_t n = (q->stop < w.points ? q->stop : w.points) - first;
    if (n > read_limit(q->format))
        n = read_limit(q->format);
    float *y = malloc(n * sizeof *y);
    if (!y)
        return QAIO_ENOMEM;
    waveform(s, &w, first, n, y);
    /* What the 8-bit converter keeps: codes 0..255. */
    double base = -(double)(w.yorg + YREF) * w.yinc;
    for (size_t i = 0; i < n; i++) {
        double code = fmin(fmax(nearbyint((y[i] - base) / w.yinc), 0), 255);
        y[i] = (float)(code * w.yinc + base);
    }
    qaio__scpi_begin_unit(s);
    if (q->format == FORM_ASC) {
        err = qaio__simf_put_ascii_block(s, y, n, "%e", BLOCK_DIGITS);
    } else {
        int width = q->format == FORM_WORD ? 2 : 1;
        err = qaio__simf_block_header(s, n * (size_t)width, BLOCK_DIGITS);
        if (!err)
            err = qaio__sim_put_codes(s, y, n, w.yinc, base, 0, 255, width, false);
    }
    free(y);
    return err;
}

static int h_preamble(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    wave_desc w = describe(s);
    int type = ses(s)->mode == MODE_NORM ? 0 : ses(s)->mode == MODE_MAX ? 1 : 2;
    return qaio__sim_answer(s, "%d,%d,%zu,1,%e,%e,0,%e,%d,%d", ses(s)->format, type, w.points,
                            w.xinc, w.xorg, w.yinc, w.yorg, YREF);
}

static int h_wav_x(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    wave_desc w = describe(s);
    if (qaio_scpi_match(c, ":WAVeform:XINCrement"))
        return qaio__sim_answer(s, "%e", w.xinc);
    if (qaio_scpi_match(c, ":WAVeform:XORigin"))
        return qaio__sim_answer(s, "%e", w.xorg);
    if (qaio_scpi_match(c, ":WAVeform:YINCrement"))
        return qaio__sim_answer(s, "%e", w.yinc);
    if (qaio_scpi_match(c, ":WAVeform:YORigin"))
        return qaio__sim_answer(s, "%d", w.yorg);
    if (qaio_scpi_match(c, ":WAVeform:YREFerence"))
        return qaio__sim_answer(s, "%d", YREF);
    return qaio__sim_answer(s, "0"); /* XREFerence */
}

/* --- handlers: run control and trigger ------------------------------------ */

static int h_run(session *s, cmd *c)
{
    if (qaio__sim_nargs(s, c, 0)) {
        qaio__sim_abort(s);
        s->running = true;
        ses(s)->single = false;
        ses(s)->no_signal = false;
    }
    return 0;
}

static int h_stop(session *s, cmd *c)
{
    if (qaio__sim_nargs(s, c, 0)) {
        if (ses(s)->single && qaio__sim_status(s) == QAIO__SIM_WAITING)
            qaio__sim_abort(s);
        s->running = false;
        ses(s)->no_signal = false;
    }
    return 0;
}

/* :SINGle is :TRIGger:SWEep SINGle, then one record, then STOP. */
static int h_single(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    st(s)->sweep = SWEEP_SING;
    s->running = false;
    ses(s)->single = true;
    return arm(s);
}

static int h_tforce(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    if (ses(s)->no_signal) {
        configure(s, true);
        ses(s)->no_signal = false;
        return qaio__sim_arm(s);
    }
    qaio_scope_force(s->srv->scope);
    return 0;
}

static int h_trig_status(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    const char *word = "STOP";
    if (ses(s)->single) {
        bool done;
        int err = poll_single(s, &done);
        if (err)
            return err;
        word = done || qaio__sim_status(s) == QAIO__SIM_IDLE ? "STOP" : "WAIT";
        if (ses(s)->no_signal)
            word = "WAIT";
    } else if (s->running) {
        word = st(s)->sweep == SWEEP_AUTO ? "AUTO" : "TD";
    }
    return qaio__sim_answer(s, "%s", word);
}

static int h_sweep(session *s, cmd *c)
{
    return qaio__simf_word(s, c, sweeps, &st(s)->sweep, NULL);
}

static int h_trig_mode(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "EDGE") : 0;
    qaio__sim_choice(s, c, trig_modes);
    return 0;
}

static int h_edge_source(session *s, cmd *c)
{
    return qaio__simf_channel(s, c, chans, &st(s)->trig_src, NULL);
}

static int h_edge_slope(session *s, cmd *c)
{
    return qaio__simf_word(s, c, slopes, &st(s)->slope, NULL);
}

static int h_edge_level(session *s, cmd *c)
{
    return qaio__simf_number(s, c, &st(s)->level, -100, 100, 0, "%e", NULL);
}

/* --- handlers: timebase, acquisition, channels ---------------------------- */

/* 1-2-5 steps from 5 ns to 50 s: a value in between takes the nearest. */
static void snap_tdiv(session *s)
{
    st(s)->tdiv = qaio__step_nearest_in(&qaio__steps_125, st(s)->tdiv, 5e-9, 50);
}

static int h_tscale(session *s, cmd *c)
{
    return qaio__simf_number(s, c, &st(s)->tdiv, 5e-9, 50, 1e-6, "%e", snap_tdiv);
}

static int h_toffset(session *s, cmd *c)
{
    return qaio__simf_number(s, c, &st(s)->toffs, -1e3, 1e3, 0, "%e", NULL);
}

static int h_mdepth(session *s, cmd *c)
{
    rigol_state *r = st(s);
    if (c->query) {
        if (!qaio__sim_nargs(s, c, 0))
            return 0;
        return r->depth < 0 ? qaio__sim_answer(s, "AUTO")
                            : qaio__sim_answer(s, "%ld", depth_value(r, r->depth));
    }
    if (!qaio__sim_nargs(s, c, 1))
        return 0;
    if (!s->running)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_SETTINGS_CONFLICT, "memory depth: RUN first");
    if (c->arg[0].type == QAIO_SCPI_ARG_CHARS && qaio_scpi_word_match(c->arg[0].text, "AUTO")) {
        r->depth = -1;
        return 0;
    }
    double v;
    int e = qaio_scpi_arg_number(c, 0, 0, 24e6, 0, &v);
    if (e)
        return qaio__sim_fail(s, e, NULL);
    for (int i = 0; i < 5; i++)
        if (v == (double)depth_value(r, i)) {
            r->depth = i;
            return 0;
        }
    return qaio__sim_fail(s, QAIO_SCPI_ERR_ILLEGAL_VALUE, c->arg[0].text);
}

static int h_srate(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    size_t n;
    double rate;
    memory(st(s), &n, &rate);
    return qaio__sim_answer(s, "%e", rate);
}

static int h_acq_type(session *s, cmd *c)
{
    static const char *const types[] = {"NORMal", NULL};
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "NORM") : 0;
    qaio__sim_choice(s, c, types);
    return 0;
}

/* The channel of :CHANnel<n>. */
static chan_state *chan_of(session *s, cmd *c)
{
    const char *m = c->node[0];
    return &st(s)->ch[m[strlen(m) - 1] - '1'];
}

static int h_chan_disp(session *s, cmd *c)
{
    chan_state *ch = chan_of(s, c);
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "%d", ch->disp) : 0;
    int i = qaio__sim_choice(s, c, onoff);
    if (i >= 0)
        ch->disp = i % 2;
    return 0;
}

static int h_chan_scale(session *s, cmd *c)
{
    chan_state *ch = chan_of(s, c);
    return qaio__simf_number(s, c, &ch->scale, 1e-3 * ch->probe, 10 * ch->probe, 1, "%e", NULL);
}

static int h_chan_offset(session *s, cmd *c)
{
    return qaio__simf_number(s, c, &chan_of(s, c)->offset, -100, 100, 0, "%e", NULL);
}

static int h_chan_coupling(session *s, cmd *c)
{
    return qaio__simf_word(s, c, couplings, &chan_of(s, c)->coupling, NULL);
}

static int h_chan_probe(session *s, cmd *c)
{
    return qaio__simf_number(s, c, &chan_of(s, c)->probe, 0.01, 1000, 1, "%e", NULL);
}

/* --- handlers: waveform settings ------------------------------------------ */

static int h_wav_source(session *s, cmd *c)
{
    return qaio__simf_channel(s, c, chans, &ses(s)->source, NULL);
}

static int h_wav_mode(session *s, cmd *c)
{
    return qaio__simf_word(s, c, modes, &ses(s)->mode, NULL);
}

static int h_wav_format(session *s, cmd *c)
{
    return qaio__simf_word(s, c, formats, &ses(s)->format, NULL);
}

static int h_wav_range(session *s, cmd *c)
{
    bool is_start = qaio_scpi_match(c, ":WAVeform:STARt");
    size_t *slot = is_start ? &ses(s)->start : &ses(s)->stop;
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "%zu", *slot) : 0;
    double v;
    if (qaio__sim_number(s, c, 1, 24e6, 1, &v))
        *slot = (size_t)v;
    return 0;
}

enum { Q = QAIO__SIM_Q, S = QAIO__SIM_S };
#define CHANNEL(n)                                                                             \
    {":CHANnel" #n ":DISPlay", h_chan_disp, Q | S},                                            \
        {":CHANnel" #n ":SCALe", h_chan_scale, Q | S},                                         \
        {":CHANnel" #n ":OFFSet", h_chan_offset, Q | S},                                       \
        {":CHANnel" #n ":COUPling", h_chan_coupling, Q | S},                                   \
        {":CHANnel" #n ":PROBe", h_chan_probe, Q | S}
static const qaio__sim_command table[] = {
    {":RUN", h_run, S},
    {":STOP", h_stop, S},
    {":SINGle", h_single, S},
    {":TFORce", h_tforce, S},
    {":TRIGger:STATus", h_trig_status, Q},
    {":TRIGger:SWEep", h_sweep, Q | S},
    {":TRIGger:MODE", h_trig_mode, Q | S},
    {":TRIGger:EDGe:SOURce", h_edge_source, Q | S},
    {":TRIGger:EDGe:SLOPe", h_edge_slope, Q | S},
    {":TRIGger:EDGe:LEVel", h_edge_level, Q | S},
    {":TIMebase[:MAIN]:SCALe", h_tscale, Q | S},
    {":TIMebase[:MAIN]:OFFSet", h_toffset, Q | S},
    {":ACQuire:MDEPth", h_mdepth, Q | S},
    {":ACQuire:SRATe", h_srate, Q},
    {":ACQuire:TYPE", h_acq_type, Q | S},
    CHANNEL(1),
    CHANNEL(2),
    CHANNEL(3),
    CHANNEL(4),
    {":WAVeform:SOURce", h_wav_source, Q | S},
    {":WAVeform:MODE", h_wav_mode, Q | S},
    {":WAVeform:FORMat", h_wav_format, Q | S},
    {":WAVeform:STARt", h_wav_range, Q | S},
    {":WAVeform:STOP", h_wav_range, Q | S},
    {":WAVeform:PREamble", h_preamble, Q},
    {":WAVeform:DATA", h_wav_data, Q},
    {":WAVeform:XINCrement", h_wav_x, Q},
    {":WAVeform:XORigin", h_wav_x, Q},
    {":WAVeform:XREFerence", h_wav_x, Q},
    {":WAVeform:YINCrement", h_wav_x, Q},
    {":WAVeform:YORigin", h_wav_x, Q},
    {":WAVeform:YREFerence", h_wav_x, Q},
};

const qaio__sim_personality qaio__sim_rigol_ds1000z = {
    .name = "rigol-ds1000z",
    .title = "Rigol DS1000Z (DS1104Z)",
    .idn = "RIGOL TECHNOLOGIES,DS1104Z,DS1ZA000000001,00.04.04.SP4",
    .port = 5555,
    .eol = "\n",
    .commands = table,
    .ncommands = sizeof table / sizeof table[0],
    .server_state_size = sizeof(rigol_state),
    .session_state_size = sizeof(rigol_session),
    .server_reset = rigol_server_reset,
    .session_reset = rigol_session_reset,
};
