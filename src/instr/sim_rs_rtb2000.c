/* The "rs-rtb2000" personality: a Rohde & Schwarz RTB2004 answering the
 * remote-control commands of the "R&S RTB2000 User Manual" (1333.1611.02,
 * chapter "Remote Control Commands": Acquisition and Setup, Waveform Data
 * Export, Trigger) that the driver, the manual's examples and libsigrok's
 * hameg-hmo driver use:
 *   RUN, STOP, SINGle (RUNSingle): SINGle;*OPC? completes with the record;
 *   TIMebase:SCALe /? (snapped to 1-2-5), TIMebase:POSition /? (0),
 *   TIMebase:DIVisions? (12), TIMebase:RANGe?, ACQuire:POINts[:VALue] /?
 *   (10k..10M in 1-2-5 steps), ACQuire:SRATe? (= points / (12 x scale),
 *   at most 2.5 GSa/s), ACQuire:HRESolution?, ACQuire:PEAKdetect? (OFF);
 *   CHANnel<n>:STATe|SCALe|OFFSet|POSition|COUPling /?, PROBe<n>:SETup:
 *   ATTenuation:UNIT?, LOGic<n>:STATe? and DIGital<n>:TECHnology|
 *   THReshold? (the digital channels, always off);
 *   TRIGger:A:MODE AUTO|NORMal, :SOURce CH1|CH2, :TYPE EDGE, :EDGE:SLOPe
 *   POSitive|NEGative|EITHer, :LEVel<n>[:VALue], :PATTern:SOURce?;
 *   FORMat[:DATA] ASCii|REAL,32|UINT,8|UINT,16 /?, FORMat:BORDer /?;
 *   CHANnel<n>:DATA? (a block of float32 volts, or of UINT codes; ASCii:
 *   comma-separated volts, no block), CHANnel<n>:DATA:HEADer? ("xstart,
 *   xstop,samples,1"), CHANnel<n>:DATA:POINts DEF|MAX|DMAX /?,
 *   CHANnel<n>:DATA:XORigin?|XINCrement?|YORigin?|YINCrement?|YRESolution?;
 *   SYSTem:ERRor[:NEXT]? and IEEE 488.2 (sim_common.c).
 * UINT scaling per the manual's "Data conversion": Y = yOrigin +
 * yIncrement x value, 25 codes of UINT,8 a division (10 divisions), the
 * screen centre at 127.5, UINT,16 = UINT,8 x 256. Channels 3 and 4 exist
 * and are off (the shared scope has two). Defaults: 100 us/div, 10 kpts,
 * 0.5 V/div (a 1 V sine spans 4 of the 10 divisions). */
#include "scpi_session.h"
#include "scope_model.h"
#include "sim_family.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef qaio__scpi_session session;
typedef const qaio_scpi_command cmd;

#define HDIVS 12.0
#define MAX_RATE 2.5e9

enum { F_ASCII, F_REAL, F_UINT8, F_UINT16 };

typedef struct rtb_state {
    double scale, points, vdiv[4], ofst[4], level[4];
    bool on[4];
    int mode;  /* 0 AUTO, 1 NORMal */
    int slope; /* 0 POS, 1 NEG, 2 EITH */
    unsigned src;
} rtb_state;

typedef struct rtb_session {
    int format;
    bool msb_first;
} rtb_session;

static rtb_state *st(session *s)
{
    return s->srv->pstate;
}

static rtb_session *ss(session *s)
{
    return s->pstate;
}

/* The channel number in node k ("CHAN2", "LEV1", "PROB3"); 1 without. */
static unsigned node_num(cmd *c, unsigned k)
{
    const char *n = c->node[k];
    size_t len = strlen(n);
    unsigned v = 0, mul = 1;
    while (len && n[len - 1] >= '0' && n[len - 1] <= '9') {
        v += (unsigned)(n[--len] - '0') * mul;
        mul *= 10;
    }
    return mul == 1 ? 1 : v;
}

/* --- the model ----------------------------------------------------------- */

/* The next record length of 10k, 20k, 50k, ... 10M at or above v. */
static double record_length(double v)
{
    return fmin(fmax(qaio__step_ceil(&qaio__steps_125, v), 1e4), 1e7);
}

static void to_scope(qaio_scpi_server *srv)
{
    rtb_state *p = srv->pstate;
    double span = HDIVS * p->scale;
    double pts = fmin(p->points, (double)QAIO_SCPI_SERVER_MAX_POINTS);
    double rate = fmin(MAX_RATE, pts / span);
    qaio_scope_settings set;
    qaio_scope_get_settings(srv->scope, &set);
    set.rate = rate;
    set.points = (size_t)fmax(2, llround(rate * span));
    set.trigger = p->mode ? QAIO_TRIG_NORMAL : QAIO_TRIG_AUTO;
    set.slope = (qaio_trigger_slope)p->slope;
    set.trigger_source = p->src;
    set.trigger_level = p->level[p->src - 1];
    qaio_scope_set_settings(srv->scope, &set);
}

/* A setting of the model changed: onto the shared scope. */
static void apply_model(session *s)
{
    to_scope(s->srv);
}

static void rtb_server_reset(qaio_scpi_server *srv)
{
    rtb_state *p = srv->pstate;
    *p = (rtb_state){.scale = 1e-4, .points = 1e4, .vdiv = {0.5, 0.5, 0.5, 0.5},
                     .on = {true, true, false, false}, .src = 1};
    to_scope(srv);
}

static void rtb_session_reset(session *s)
{
    *ss(s) = (rtb_session){.format = F_ASCII};
}

/* --- handlers ------------------------------------------------------------ */

static int num(session *s, double v)
{
    return qaio__sim_answer(s, "%.9E", v);
}

/* A numeric setting of the state: query or set within [min, max]. */
static int setting(session *s, cmd *c, double *field, double min, double max, bool horizontal)
{
    return qaio__simf_number(s, c, field, min, max, *field, "%.9E",
                             horizontal ? apply_model : NULL);
}

static int h_tim_scale(session *s, cmd *c)
{
    int err = setting(s, c, &st(s)->scale, 1e-9, 50, false);
    st(s)->scale = qaio__nearest_125(st(s)->scale);
    to_scope(s->srv);
    return err;
}

static int h_tim_pos(session *s, cmd *c)
{
    double zero = 0;
    return c->query ? setting(s, c, &zero, -1e3, 1e3, false) : 0;
}

static int h_tim_div(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "%d", (int)HDIVS) : 0;
}

static int h_tim_range(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? num(s, HDIVS * st(s)->scale) : 0;
}

static int h_acq_points(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0)
                   ? qaio__sim_answer(s, "%zu", qaio__sim_settings(s).points)
                   : 0;
    double v;
    if (qaio__sim_number(s, c, 1e4, 1e7, 1e4, &v)) {
        st(s)->points = record_length(v);
        to_scope(s->srv);
    }
    return 0;
}

static int h_acq_srate(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? num(s, qaio__sim_settings(s).rate) : 0;
}

static int h_off_word(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "OFF") : 0;
}

static int h_chan_state(session *s, cmd *c)
{
    unsigned ch = node_num(c, 0);
    if (ch < 1 || ch > 4)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_UNDEFINED_HEADER, c->node[0]);
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "%d", st(s)->on[ch - 1]) : 0;
    static const char *const w[] = {"OFF", "ON", NULL};
    double v = 0;
    if (c->nargs == 1 && c->arg[0].type == QAIO_SCPI_ARG_CHARS) {
        int i = qaio__sim_choice(s, c, w);
        if (i < 0)
            return 0;
        v = i;
    } else if (!qaio__sim_number(s, c, 0, 1, 0, &v)) {
        return 0;
    }
    if (ch > 2 && v)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_SETTINGS_CONFLICT, "channels 3 and 4 are not simulated");
    st(s)->on[ch - 1] = v != 0;
    return 0;
}

static int h_chan_scale(session *s, cmd *c)
{
    return setting(s, c, &st(s)->vdiv[node_num(c, 0) - 1], 1e-3, 10, false);
}

static int h_chan_offset(session *s, cmd *c)
{
    return setting(s, c, &st(s)->ofst[node_num(c, 0) - 1], -100, 100, false);
}

static int h_chan_pos(session *s, cmd *c)
{
    double zero = 0;
    return c->query ? setting(s, c, &zero, -5, 5, false) : 0;
}

static int h_chan_coupling(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "DCL") : 0;
}

static int h_probe_unit(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "V") : 0;
}

static int h_zero(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "0") : 0;
}

static int h_dig_tech(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "TTL") : 0;
}

static int h_dig_thr(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? num(s, 1.4) : 0;
}

static int h_trig_mode(session *s, cmd *c)
{
    static const char *const w[] = {"AUTO", "NORMal", NULL};
    return qaio__simf_word(s, c, w, &st(s)->mode, apply_model);
}

static int h_trig_source(session *s, cmd *c)
{
    static const char *const w[] = {"CH1", "CH2", NULL};
    return qaio__simf_channel(s, c, w, &st(s)->src, apply_model);
}

static int h_trig_type(session *s, cmd *c)
{
    static const char *const w[] = {"EDGE", NULL};
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "EDGE") : 0;
    qaio__sim_choice(s, c, w);
    return 0;
}

static int h_trig_slope(session *s, cmd *c)
{
    static const char *const w[] = {"POSitive", "NEGative", "EITHer", NULL};
    return qaio__simf_word(s, c, w, &st(s)->slope, apply_model);
}

static int h_trig_level(session *s, cmd *c)
{
    unsigned n = c->depth >= 3 ? node_num(c, 2) : 1;
    if (n < 1 || n > 4)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_UNDEFINED_HEADER, c->node[2]);
    return setting(s, c, &st(s)->level[n - 1], -100, 100, true);
}

static int h_trig_pattern(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "\"XXXXXXXXXXXXXXXXXXXX\"") : 0;
}

static int h_format(session *s, cmd *c)
{
    static const char *const names[] = {"ASC,0", "REAL,32", "UINT,8", "UINT,16"};
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "%s", names[ss(s)->format]) : 0;
    if (c->nargs < 1 || c->nargs > 2)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_MISSING_PARAM, NULL);
    const char *w = c->arg[0].text;
    double bits = 0;
    if (c->nargs == 2 && qaio_scpi_arg_number(c, 1, 0, 64, 0, &bits))
        return qaio__sim_fail(s, QAIO_SCPI_ERR_DATA_TYPE, c->arg[1].text);
    if (qaio_scpi_word_match(w, "ASCii"))
        ss(s)->format = F_ASCII;
    else if (qaio_scpi_word_match(w, "REAL") && (c->nargs == 1 || bits == 32))
        ss(s)->format = F_REAL;
    else if (qaio_scpi_word_match(w, "UINT") && (c->nargs == 1 || bits == 8))
        ss(s)->format = F_UINT8;
    else if (qaio_scpi_word_match(w, "UINT") && bits == 16)
        ss(s)->format = F_UINT16;
    else
        return qaio__sim_fail(s, QAIO_SCPI_ERR_ILLEGAL_VALUE, w);
    return 0;
}

static int h_border(session *s, cmd *c)
{
    static const char *const w[] = {"LSBFirst", "MSBFirst", NULL};
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer_word(s, w, ss(s)->msb_first) : 0;
    int i = qaio__sim_choice(s, c, w);
    if (i >= 0)
        ss(s)->msb_first = i == 1;
    return 0;
}

/* --- waveform data ------------------------------------------------------- */

/* The record for CHANnel<n>:DATA...: fresh while running, else held. */
static const qaio_trace *record(session *s, cmd *c, unsigned *ch, int *err)
{
    *err = 0;
    *ch = node_num(c, 0);
    if (*ch < 1 || *ch > 4 || !st(s)->on[*ch - 1]) {
        qaio__sim_fail(s, QAIO_SCPI_ERR_SETTINGS_CONFLICT, "channel is off");
        return NULL;
    }
    if (!qaio__sim_nargs(s, c, 0))
        return NULL;
    if (s->running)
        *err = qaio__sim_take(s);
    else
        *err = qaio__sim_wait(s);
    const qaio_trace *rec = *err ? NULL : qaio__sim_held(s);
    if (!*err && !rec)
        qaio__sim_fail(s, QAIO_SCPI_ERR_DATA_STALE, "no waveform acquired");
    return rec;
}

/* yIncrement of UINT,8 (25 codes a division) and yOrigin (127.5 at the
 * screen centre, which shows the offset). */
static double yinc8(session *s, unsigned ch)
{
    return st(s)->vdiv[ch - 1] / 25.0;
}

static double yorigin(session *s, unsigned ch)
{
    return st(s)->ofst[ch - 1] - 127.5 * yinc8(s, ch);
}

static double yinc(session *s, unsigned ch)
{
    int f = ss(s)->format;
    return f == F_UINT8 ? yinc8(s, ch) : f == F_UINT16 ? yinc8(s, ch) / 256 : 1;
}

static int h_data(session *s, cmd *c)
{
    unsigned ch;
    int err;
    const qaio_trace *rec = record(s, c, &ch, &err);
    if (!rec)
        return err;
    const float *y = rec->y[ch - 1];
    size_t n = rec->n;
    rtb_session *q = ss(s);
    qaio__scpi_begin_unit(s);
    if (q->format == F_ASCII)
        return qaio__sim_put_ascii(s, y, n, "%.6E");
    size_t w = q->format == F_UINT8 ? 1 : q->format == F_UINT16 ? 2 : 4;
    if ((err = qaio__sim_block_header(s, n * w)))
        return err;
    if (q->format == F_REAL)
        return qaio__sim_put_floats(s, y, n, q->msb_first);
    long top = q->format == F_UINT8 ? 255 : 65535;
    return qaio__sim_put_codes(s, y, n, yinc(s, ch), yorigin(s, ch), 0, top, (int)w,
                               q->msb_first);
}

/* The time of the first sample: the trigger sits at the centre of the 12
 * divisions (TIMebase:POSition 0). */
static double xorigin(session *s)
{
    return -HDIVS / 2 * st(s)->scale;
}

static int h_header(session *s, cmd *c)
{
    unsigned ch;
    int err;
    const qaio_trace *rec = record(s, c, &ch, &err);
    if (!rec)
        return err;
    double x0 = xorigin(s), x1 = x0 + rec->dx * (double)(rec->n - 1);
    return qaio__sim_answer(s, "%.9E,%.9E,%zu,1", x0, x1, rec->n);
}

static int h_xorigin(session *s, cmd *c)
{
    unsigned ch;
    int err;
    const qaio_trace *rec = record(s, c, &ch, &err);
    return rec ? num(s, xorigin(s)) : err;
}

static int h_xinc(session *s, cmd *c)
{
    unsigned ch;
    int err;
    const qaio_trace *rec = record(s, c, &ch, &err);
    return rec ? num(s, rec->dx) : err;
}

static int h_yorigin(session *s, cmd *c)
{
    unsigned ch = node_num(c, 0);
    if (!qaio__sim_nargs(s, c, 0) || ch > 4)
        return 0;
    return num(s, ss(s)->format == F_UINT8 || ss(s)->format == F_UINT16 ? yorigin(s, ch) : 0);
}

static int h_yinc(session *s, cmd *c)
{
    unsigned ch = node_num(c, 0);
    return qaio__sim_nargs(s, c, 0) && ch <= 4 ? num(s, yinc(s, ch)) : 0;
}

static int h_yres(session *s, cmd *c)
{
    int f = ss(s)->format;
    return qaio__sim_nargs(s, c, 0)
               ? qaio__sim_answer(s, "%d", f == F_UINT8 ? 8 : f == F_UINT16 ? 16 : 32)
               : 0;
}

static int h_data_points(session *s, cmd *c)
{
    static const char *const w[] = {"DEFault", "MAXimum", "DMAXimum", NULL};
    if (c->query)
        return qaio__sim_nargs(s, c, 0)
                   ? qaio__sim_answer(s, "%zu", qaio__sim_settings(s).points)
                   : 0;
    /* Every choice is the whole record here: no display decimation. */
    qaio__sim_choice(s, c, w);
    return 0;
}

enum { Q = QAIO__SIM_Q, S = QAIO__SIM_S };
#define CH(n, tail, fn, how) {":CHANnel" #n tail, fn, how}
/* CHANnel without a suffix is CHANnel1 (the manual's examples write
 * "CHAN:DATA?"). */
#define CH4(tail, fn, how) {":CHANnel" tail, fn, how}, CH(1, tail, fn, how), CH(2, tail, fn, how), \
                           CH(3, tail, fn, how), CH(4, tail, fn, how)
#define DIGN(n) {":LOGic" #n ":STATe", h_zero, Q}, {":DIGital" #n ":TECHnology", h_dig_tech, Q}, \
                {":DIGital" #n ":THReshold", h_dig_thr, Q}
static const qaio__sim_command table[] = {
    {":RUN", qaio__simf_h_run, S},
    {":STOP", qaio__simf_h_stop, S},
    {":SINGle", qaio__simf_h_single, S},
    {":RUNSingle", qaio__simf_h_single, S},
    {":TIMebase:SCALe", h_tim_scale, Q | S},
    {":TIMebase:POSition", h_tim_pos, Q | S},
    {":TIMebase:DIVisions", h_tim_div, Q},
    {":TIMebase:RANGe", h_tim_range, Q},
    {":ACQuire:POINts[:VALue]", h_acq_points, Q | S},
    {":ACQuire:SRATe", h_acq_srate, Q},
    {":ACQuire:HRESolution", h_off_word, Q},
    {":ACQuire:PEAKdetect", h_off_word, Q},
    CH4(":STATe", h_chan_state, Q | S),
    CH4(":SCALe", h_chan_scale, Q | S),
    CH4(":OFFSet", h_chan_offset, Q | S),
    CH4(":POSition", h_chan_pos, Q | S),
    CH4(":COUPling", h_chan_coupling, Q),
    CH4(":DATA", h_data, Q),
    CH4(":DATA:HEADer", h_header, Q),
    CH4(":DATA:POINts", h_data_points, Q | S),
    CH4(":DATA:XORigin", h_xorigin, Q),
    CH4(":DATA:XINCrement", h_xinc, Q),
    CH4(":DATA:YORigin", h_yorigin, Q),
    CH4(":DATA:YINCrement", h_yinc, Q),
    CH4(":DATA:YRESolution", h_yres, Q),
    {":PROBe1:SETup:ATTenuation:UNIT", h_probe_unit, Q},
    {":PROBe2:SETup:ATTenuation:UNIT", h_probe_unit, Q},
    {":PROBe3:SETup:ATTenuation:UNIT", h_probe_unit, Q},
    {":PROBe4:SETup:ATTenuation:UNIT", h_probe_unit, Q},
    DIGN(0), DIGN(1), DIGN(2), DIGN(3), DIGN(4), DIGN(5), DIGN(6), DIGN(7),
    DIGN(8), DIGN(9), DIGN(10), DIGN(11), DIGN(12), DIGN(13), DIGN(14), DIGN(15),
    {":TRIGger:A:MODE", h_trig_mode, Q | S},
    {":TRIGger:A:SOURce", h_trig_source, Q | S},
    {":TRIGger:A:TYPE", h_trig_type, Q | S},
    {":TRIGger:A:EDGE:SLOPe", h_trig_slope, Q | S},
    {":TRIGger:A:LEVel[:VALue]", h_trig_level, Q | S},
    {":TRIGger:A:LEVel1[:VALue]", h_trig_level, Q | S},
    {":TRIGger:A:LEVel2[:VALue]", h_trig_level, Q | S},
    {":TRIGger:A:PATTern:SOURce", h_trig_pattern, Q},
    {":FORMat[:DATA]", h_format, Q | S},
    {":FORMat:BORDer", h_border, Q | S},
};

const qaio__sim_personality qaio__sim_rs_rtb2000 = {
    .name = "rs-rtb2000",
    .title = "Rohde & Schwarz RTB2004",
    .idn = "Rohde&Schwarz,RTB2004,1333.1005k04/123456,02.300",
    .port = 5025,
    .eol = "\n",
    .commands = table,
    .ncommands = sizeof table / sizeof table[0],
    .server_state_size = sizeof(rtb_state),
    .session_state_size = sizeof(rtb_session),
    .server_reset = rtb_server_reset,
    .session_reset = rtb_session_reset,
};
