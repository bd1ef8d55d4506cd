/* The "siglent-sds2000xp" personality: a Siglent SDS2104X Plus answering
 * the SCPI-style commands of Siglent's "SDS Series Digital Oscilloscope
 * Programming Guide" (EN11C/EN11D) that its example programs and the
 * driver use:
 *   :TRIGger:MODE SINGle|NORMal|AUTO|FTRIG|STOP /?, :TRIGger:STATus?
 *   (Auto, Trig'd, Ready, Stop), :TRIGger:RUN, :TRIGger:STOP,
 *   :TRIGger:TYPE EDGE /?, :TRIGger:EDGE:SOURce C<n> /?,
 *   :TRIGger:EDGE:SLOPe RISing|FALLing|ALTernate /?, :TRIGger:EDGE:LEVel /?
 *   :TIMebase:SCALe /?, :TIMebase:DELay? (0), :ACQuire:SRATe?,
 *   :ACQuire:POINts?, :ACQuire:MDEPth /? (10k, 100k, 1M, 10M; set with a
 *   plain number until the parser knows suffixes), :ACQuire:RESolution
 *   8Bits|10Bits /?, :CHANnel<n>:SCALe /?, :CHANnel<n>:OFFSet /?
 *   :WAVeform:SOURce C<n> /?, :STARt /?, :POINt /? (0: up to MAXPoint),
 *   :INTerval /? (sparsing), :WIDTh BYTE|WORD /?, :MAXPoint? (500000),
 *   :PREamble? (#9000000346 + WAVEDESC, little-endian), :DATA?
 *   :SYSTem:ERRor? and the IEEE 488.2 commands (sim_common.c).
 * Codes: 30 a division at 8 bits, 120 at 10 bits (WIDTh WORD; BYTE then
 * sends the top 8 bits, which the preamble does not describe), code
 * = (volts + offset) / vdiv x code_per_div, two's complement of adc_bit
 * bits, in bytes or little-endian words. 10 horizontal divisions; the rate
 * is the highest 1-2-5 value up to 2 GSa/s whose record over 10 x scale
 * fits the memory depth (and the simulator's 4 Mpoint bound). Defaults:
 * 100 us/div, 10k points (10 MSa/s), 0.5 V/div. */
#include "scpi_session.h"
#include "scope_model.h"
#include "sim_family.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef qaio__scpi_session session;
typedef const qaio_scpi_command cmd;

#define HDIVS 10.0
#define MAX_RATE 2e9
#define MAX_POINT 500000
#define DESC_LEN 346

typedef struct sdx_state {
    double tdiv, mdepth, vdiv[2], ofst[2], level;
    int mode;   /* 0 AUTO, 1 NORMal, 2 SINGle */
    int slope;  /* 0 RISing, 1 FALLing, 2 ALTernate */
    unsigned src;
    int bits;   /* :ACQuire:RESolution */
} sdx_state;

typedef struct sdx_session {
    unsigned source;
    size_t start, point, interval;
    bool word;
} sdx_session;

static sdx_state *st(session *s)
{
    return s->srv->pstate;
}

static sdx_session *ss(session *s)
{
    return s->pstate;
}

static const char *const modes[] = {"AUTO", "NORMal", "SINGle", "FTRIG", "STOP", NULL};
static const char *const slopes[] = {"RISing", "FALLing", "ALTernate", NULL};
static const char *const sources[] = {"C1", "C2", NULL};

/* --- horizontal model ---------------------------------------------------- */

static void to_scope(qaio_scpi_server *srv)
{
    sdx_state *p = srv->pstate;
    double span = HDIVS * p->tdiv;
    double limit = fmin(MAX_RATE, fmin(p->mdepth, (double)QAIO_SCPI_SERVER_MAX_POINTS) / span);
    double rate = qaio__step_floor(&qaio__steps_125, limit);
    qaio_scope_settings set;
    qaio_scope_get_settings(srv->scope, &set);
    set.rate = rate;
    set.points = (size_t)fmax(2, llround(rate * span));
    set.trigger = p->mode == 0 ? QAIO_TRIG_AUTO : p->mode == 1 ? QAIO_TRIG_NORMAL : QAIO_TRIG_SINGLE;
    set.slope = (qaio_trigger_slope)p->slope;
    set.trigger_source = p->src;
    set.trigger_level = p->level;
    qaio_scope_set_settings(srv->scope, &set);
}

/* A setting of the model changed: onto the shared scope. */
static void apply_model(session *s)
{
    to_scope(s->srv);
}

static void sdx_server_reset(qaio_scpi_server *srv)
{
    sdx_state *p = srv->pstate;
    *p = (sdx_state){.tdiv = 1e-4, .mdepth = 1e4, .vdiv = {0.5, 0.5}, .src = 1, .bits = 8};
    to_scope(srv);
}

static void sdx_session_reset(session *s)
{
    *ss(s) = (sdx_session){.source = 1, .interval = 1};
    s->running = st(s)->mode != 2;
}

/* --- handlers ------------------------------------------------------------ */

static int num(session *s, const char *fmt, double v)
{
    return qaio__sim_answer(s, fmt, v);
}

static int h_trig_mode(session *s, cmd *c)
{
    sdx_state *p = st(s);
    if (c->query) {
        if (!qaio__sim_nargs(s, c, 0))
            return 0;
        /* AUTO or NORMal stopped by STOP answers STOP. */
        return qaio__sim_answer_word(s, modes, !s->running && p->mode != 2 ? 4 : p->mode);
    }
    int i = qaio__sim_choice(s, c, modes);
    if (i < 0)
        return 0;
    if (i == 3) { /* FTRIG: force a trigger now */
        qaio_scope_force(s->srv->scope);
        return 0;
    }
    if (i == 4)
        return qaio__simf_stop(s);
    p->mode = i;
    to_scope(s->srv);
    qaio__sim_abort(s);
    s->running = i != 2;
    return i == 2 ? qaio__sim_arm(s) : 0;
}

static int h_trig_status(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    const char *w = "Stop";
    if (s->running)
        w = st(s)->mode == 0 ? "Auto" : "Trig'd";
    else if (qaio__sim_status(s) == QAIO__SIM_WAITING)
        w = "Ready";
    return qaio__sim_answer(s, "%s", w);
}

static int h_trig_type(session *s, cmd *c)
{
    static const char *const w[] = {"EDGE", NULL};
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "EDGE") : 0;
    qaio__sim_choice(s, c, w);
    return 0;
}

static int h_edge_source(session *s, cmd *c)
{
    return qaio__simf_channel(s, c, sources, &st(s)->src, apply_model);
}

static int h_edge_slope(session *s, cmd *c)
{
    return qaio__simf_word(s, c, slopes, &st(s)->slope, apply_model);
}

static int h_edge_level(session *s, cmd *c)
{
    return qaio__simf_number(s, c, &st(s)->level, -100, 100, 0, "%.2E", apply_model);
}

/* The time/div knob's 1-2-5 steps, then onto the shared scope. */
static void snap_tdiv(session *s)
{
    st(s)->tdiv = qaio__nearest_125(st(s)->tdiv);
    to_scope(s->srv);
}

static int h_tim_scale(session *s, cmd *c)
{
    return qaio__simf_number(s, c, &st(s)->tdiv, 2e-10, 1000, 1e-4, "%.2E", snap_tdiv);
}

static int h_tim_delay(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? num(s, "%.2E", 0) : 0;
}

static int h_srate(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? num(s, "%.2E", qaio__sim_settings(s).rate) : 0;
}

static int h_points(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? num(s, "%.2E", (double)qaio__sim_settings(s).points) : 0;
}

static int h_mdepth(session *s, cmd *c)
{
    static const double depths[] = {1e4, 1e5, 1e6, 1e7};
    static const char *const names[] = {"10k", "100k", "1M", "10M"};
    if (c->query) {
        for (int i = 0; qaio__sim_nargs(s, c, 0) && i < 4; i++)
            if (depths[i] == st(s)->mdepth)
                return qaio__sim_answer(s, "%s", names[i]);
        return 0;
    }
    double v;
    if (!qaio__sim_number(s, c, 1, 1e9, 1e4, &v))
        return 0;
    for (int i = 0; i < 4; i++)
        if (depths[i] == v) {
            st(s)->mdepth = v;
            to_scope(s->srv);
            return 0;
        }
    return qaio__sim_fail(s, QAIO_SCPI_ERR_ILLEGAL_VALUE, c->arg[0].text);
}

static int h_resolution(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "%dBits", st(s)->bits) : 0;
    if (!qaio__sim_nargs(s, c, 1))
        return 0;
    /* "10Bits" is a number glued to letters, which the parser refuses
     * until it knows suffixes: the bare count ("10") is taken too. */
    const char *t = c->arg[0].text;
    int bits = t[0] == '1' && t[1] == '0' ? 10 : t[0] == '8' ? 8 : 0;
    if (!bits)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_ILLEGAL_VALUE, t);
    st(s)->bits = bits;
    return 0;
}

static unsigned chan_node(cmd *c)
{
    size_t n = strlen(c->node[0]);
    return n && c->node[0][n - 1] == '2' ? 2 : 1;
}

static int h_chan_scale(session *s, cmd *c)
{
    return qaio__simf_number(s, c, &st(s)->vdiv[chan_node(c) - 1], 5e-4, 10, 1, "%.2E", NULL);
}

static int h_chan_offset(session *s, cmd *c)
{
    return qaio__simf_number(s, c, &st(s)->ofst[chan_node(c) - 1], -100, 100, 0, "%.2E", NULL);
}

static int h_wav_source(session *s, cmd *c)
{
    return qaio__simf_channel(s, c, sources, &ss(s)->source, NULL);
}

static int wav_size(session *s, cmd *c, size_t *field, double min)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? num(s, "%.0f", (double)*field) : 0;
    double v;
    if (qaio__sim_number(s, c, min, 1e10, min, &v))
        *field = (size_t)v;
    return 0;
}

static int h_wav_start(session *s, cmd *c)
{
    return wav_size(s, c, &ss(s)->start, 0);
}

static int h_wav_point(session *s, cmd *c)
{
    return wav_size(s, c, &ss(s)->point, 0);
}

static int h_wav_interval(session *s, cmd *c)
{
    return wav_size(s, c, &ss(s)->interval, 1);
}

static int h_wav_width(session *s, cmd *c)
{
    static const char *const w[] = {"BYTE", "WORD", NULL};
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer_word(s, w, ss(s)->word) : 0;
    int i = qaio__sim_choice(s, c, w);
    if (i >= 0)
        ss(s)->word = i == 1;
    return 0;
}

static int h_wav_maxpoint(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? num(s, "%.2E", MAX_POINT) : 0;
}

/* The record the waveform queries describe: a fresh one while running,
 * else the held one. NULL with the error queued. */
static const qaio_trace *record(session *s, int *err)
{
    *err = s->running ? qaio__sim_take(s) : qaio__sim_wait(s);
    const qaio_trace *rec = *err ? NULL : qaio__sim_held(s);
    if (!*err && !rec)
        qaio__sim_fail(s, QAIO_SCPI_ERR_DATA_STALE, "no waveform acquired");
    return rec;
}

static int bits_of(session *s)
{
    return ss(s)->word ? st(s)->bits : 8;
}

static size_t total_points(session *s, const qaio_trace *rec)
{
    size_t k = ss(s)->interval ? ss(s)->interval : 1;
    return (rec->n + k - 1) / k;
}

static void put16(unsigned char *b, unsigned v)
{
    b[0] = (unsigned char)v, b[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b[i] = (unsigned char)(v >> 8 * i);
}

static void putf(unsigned char *b, float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    put32(b, u);
}

static int tdiv_index(double tdiv)
{
    for (int i = 0; i < 40; i++)
        if (fabs((double[]){1, 2, 5}[i % 3] * pow(10, i / 3 - 10) / tdiv - 1) < 1e-6)
            return i;
    return 0;
}

static int h_preamble(session *s, cmd *c)
{
    int err = 0;
    const qaio_trace *rec = qaio__sim_nargs(s, c, 0) ? record(s, &err) : NULL;
    if (!rec)
        return err;
    sdx_state *p = st(s);
    unsigned ch = ss(s)->source;
    /* adc_bit and code_per_div are the acquisition's resolution whatever
     * the width: the guide's example reads the preamble, then asks for
     * WORD when adc_bit is over 8 and converts with that code_per_div. */
    size_t n = total_points(s, rec);
    unsigned char d[DESC_LEN] = {0};
    memcpy(d, "WAVEDESC", 8);
    memcpy(d + 16, "WAVEACE", 7);
    put16(d + 0x20, ss(s)->word);          /* comm_type */
    put16(d + 0x22, 1);                    /* comm_order: LOFIRST */
    put32(d + 0x24, DESC_LEN);             /* wave_descriptor */
    put32(d + 0x3c, (uint32_t)(n * (ss(s)->word ? 2 : 1))); /* wave_array_1 */
    memcpy(d + 0x4c, "SDS2104X Plus", 13); /* instrument_name */
    put32(d + 0x74, (uint32_t)n);          /* wave_array_count */
    put32(d + 0x84, 0);                    /* first_point */
    put32(d + 0x88, (uint32_t)ss(s)->interval); /* sparsing */
    putf(d + 0x9c, (float)p->vdiv[ch - 1]); /* vertical_gain */
    putf(d + 0xa0, (float)p->ofst[ch - 1]); /* vertical_offset */
    putf(d + 0xa4, (float)(30 << (p->bits - 8))); /* code_per_div */
    put16(d + 0xac, (unsigned)p->bits);    /* adc_bit */
    putf(d + 0xb0, (float)(rec->dx * (double)ss(s)->interval)); /* horiz_interval */
    /* horiz_offset (0xb4, double): 0, the trigger at the centre */
    put16(d + 0x144, (unsigned)tdiv_index(p->tdiv)); /* timebase */
    putf(d + 0x148, 1.0f);                 /* probe */
    qaio__scpi_begin_unit(s);
    err = qaio__simf_block_header(s, DESC_LEN, 9);
    return err ? err : qaio__scpi_out(s, d, DESC_LEN);
}

static int h_data(session *s, cmd *c)
{
    int err = 0;
    const qaio_trace *rec = qaio__sim_nargs(s, c, 0) ? record(s, &err) : NULL;
    if (!rec)
        return err;
    sdx_session *q = ss(s);
    size_t total = total_points(s, rec), first = q->start < total ? q->start : total;
    size_t n = total - first, lim = q->point && q->point < MAX_POINT ? q->point : MAX_POINT;
    n = n < lim ? n : lim;
    int bits = bits_of(s);
    size_t width = q->word ? 2 : 1;
    const float *y = rec->y[q->source - 1];
    double k = st(s)->vdiv[q->source - 1] / (30 << (bits - 8)), off = st(s)->ofst[q->source - 1];
    long top = (1L << (bits - 1)) - 1;
    qaio__scpi_begin_unit(s);
    err = qaio__simf_block_header(s, n * width, 9);
    for (size_t i = 0; !err && i < n; i += 4096) {
        size_t m = n - i < 4096 ? n - i : 4096;
        unsigned char *b = (unsigned char *)qaio__scpi_reserve(s, m * width, &err);
        if (!b)
            break;
        for (size_t j = 0; j < m; j++) {
            double v = y[(first + i + j) * q->interval];
            long code = lrint(fmin(fmax((v + off) / k, -top - 1.0), (double)top));
            if (q->word)
                put16(b + 2 * j, (unsigned)code & ((1u << bits) - 1));
            else
                b[j] = (unsigned char)(code & 0xff);
        }
        s->outlen += m * width;
    }
    return err;
}

enum { Q = QAIO__SIM_Q, S = QAIO__SIM_S };
static const qaio__sim_command table[] = {
    {":TRIGger:MODE", h_trig_mode, Q | S},
    {":TRIGger:STATus", h_trig_status, Q},
    {":TRIGger:RUN", qaio__simf_h_run, S},
    {":TRIGger:STOP", qaio__simf_h_stop, S},
    {":TRIGger:TYPE", h_trig_type, Q | S},
    {":TRIGger:EDGE:SOURce", h_edge_source, Q | S},
    {":TRIGger:EDGE:SLOPe", h_edge_slope, Q | S},
    {":TRIGger:EDGE:LEVel", h_edge_level, Q | S},
    {":TIMebase:SCALe", h_tim_scale, Q | S},
    {":TIMebase:DELay", h_tim_delay, Q},
    {":ACQuire:SRATe", h_srate, Q},
    {":ACQuire:POINts", h_points, Q},
    {":ACQuire:MDEPth", h_mdepth, Q | S},
    {":ACQuire:RESolution", h_resolution, Q | S},
    {":CHANnel1:SCALe", h_chan_scale, Q | S},
    {":CHANnel2:SCALe", h_chan_scale, Q | S},
    {":CHANnel1:OFFSet", h_chan_offset, Q | S},
    {":CHANnel2:OFFSet", h_chan_offset, Q | S},
    {":WAVeform:SOURce", h_wav_source, Q | S},
    {":WAVeform:STARt", h_wav_start, Q | S},
    {":WAVeform:POINt", h_wav_point, Q | S},
    {":WAVeform:INTerval", h_wav_interval, Q | S},
    {":WAVeform:WIDTh", h_wav_width, Q | S},
    {":WAVeform:MAXPoint", h_wav_maxpoint, Q},
    {":WAVeform:PREamble", h_preamble, Q},
    {":WAVeform:DATA", h_data, Q},
};

const qaio__sim_personality qaio__sim_siglent_sds2000xp = {
    .name = "siglent-sds2000xp",
    .title = "Siglent SDS2104X Plus",
    .idn = "Siglent Technologies,SDS2104X Plus,SDS2PCBX000000,1.3.9R6",
    .port = 5025,
    .eol = "\n",
    .commands = table,
    .ncommands = sizeof table / sizeof table[0],
    .server_state_size = sizeof(sdx_state),
    .session_state_size = sizeof(sdx_session),
    .server_reset = sdx_server_reset,
    .session_reset = sdx_session_reset,
};
