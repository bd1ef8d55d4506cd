/* The "siglent-sds1000xe" personality: a Siglent SDS1202X-E answering the
 * legacy command set of Siglent's "Digital Oscilloscope Series Programming
 * Guide" (PG01-E02D): CHDR (SHORT by default: "C1:VDIV 5.00E-01V"; OFF:
 * "5.00E-01"), TRMD AUTO|NORM|SINGLE|STOP, ARM, STOP, SAST?, TDIV, MSIZ,
 * SARA?, SANU?, C<n>:VDIV, C<n>:OFST, TRSE EDGE,SR,C<n>,..., C<n>:TRLV,
 * C<n>:TRSL POS|NEG, WFSU SP,<n>,NP,<n>,FP,<n>, C<n>:WF? DAT2
 * ("C1:WF DAT2,#9<len><signed bytes>\n\n": code = (volts + OFST) * 25 /
 * VDIV, 25 codes a division), and the error registers CMR? and EXR?
 * (read and cleared).
 *
 * Its model onto the shared scope: 14 horizontal divisions; the sample
 * rate is the highest of 1-2-5 x 10^k up to 1 GSa/s whose record over
 * 14 x TDIV fits the memory depth (MSIZ 14K, 140K, 1.4M, 14M; and the
 * simulator's own 4 Mpoint bound); the record is rate x 14 x TDIV points.
 * Defaults: TDIV 100 us, MSIZ 14K (14000 points at 10 MSa/s), VDIV 0.5 V
 * (a 1 V sine spans 4 of the 8 divisions). MSIZ takes a plain number
 * ("MSIZ 14000") until the parser knows suffixes like "14K". */
#include "scpi_session.h"
#include "scope_model.h"
#include "sim_family.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef qaio__scpi_session session;
typedef const qaio_scpi_command cmd;

#define HDIVS 14.0
#define CODES_PER_DIV 25.0
#define MAX_RATE 1e9

enum { TR_AUTO, TR_NORM, TR_SINGLE, TR_STOP };

typedef struct sds_state {
    double tdiv, msiz;
    double vdiv[2], ofst[2], trlv[2];
    int trsl[2]; /* 0 POS, 1 NEG */
    unsigned trig_src;
    int trmd;
} sds_state;

typedef struct sds_session {
    bool chdr_off;
    size_t sp, np, fp; /* WFSU */
} sds_session;

static sds_state *st(session *s)
{
    return s->srv->pstate;
}

static sds_session *ss(session *s)
{
    return s->pstate;
}

/* Which channel a "C<n>:..." header names (1 or 2). */
static unsigned chan_of(cmd *c)
{
    return c->node[0][1] == '2' ? 2 : 1;
}

/* --- answers: "HDR value unit" with CHDR on, "value" with it off -------- */

static int say_num(session *s, const char *hdr, double v, const char *unit)
{
    if (ss(s)->chdr_off)
        return qaio__sim_answer(s, "%.2E", v);
    return qaio__sim_answer(s, "%s %.2E%s", hdr, v, unit);
}

static int say_word(session *s, const char *hdr, const char *w)
{
    return ss(s)->chdr_off ? qaio__sim_answer(s, "%s", w) : qaio__sim_answer(s, "%s %s", hdr, w);
}

/* --- the horizontal model ------------------------------------------------ */

static void horizontal(qaio_scpi_server *srv)
{
    sds_state *p = srv->pstate;
    double span = HDIVS * p->tdiv;
    double limit = fmin(MAX_RATE, fmin(p->msiz, (double)QAIO_SCPI_SERVER_MAX_POINTS) / span);
    double rate = qaio__step_floor(&qaio__steps_125, limit);
    qaio_scope_settings set;
    qaio_scope_get_settings(srv->scope, &set);
    set.rate = rate;
    set.points = (size_t)fmax(2, llround(rate * span));
    qaio_scope_set_settings(srv->scope, &set);
}

static void sds_server_reset(qaio_scpi_server *srv)
{
    sds_state *p = srv->pstate;
    *p = (sds_state){.tdiv = 1e-4, .msiz = 14000, .vdiv = {0.5, 0.5}, .trig_src = 1,
                     .trmd = TR_AUTO};
    qaio_scope_settings set;
    qaio_scope_get_settings(srv->scope, &set);
    set.trigger = QAIO_TRIG_AUTO;
    set.slope = QAIO_SLOPE_RISING;
    set.trigger_source = 1;
    set.trigger_level = 0;
    qaio_scope_set_settings(srv->scope, &set);
    horizontal(srv);
}

static void sds_session_reset(session *s)
{
    *ss(s) = (sds_session){.chdr_off = false};
    s->running = st(s)->trmd == TR_AUTO || st(s)->trmd == TR_NORM;
}

/* --- handlers ------------------------------------------------------------ */

static int h_chdr(session *s, cmd *c)
{
    static const char *const w[] = {"SHORT", "LONG", "OFF", NULL};
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? say_word(s, "CHDR", ss(s)->chdr_off ? "OFF" : "SHORT")
                                        : 0;
    int i = qaio__sim_choice(s, c, w);
    if (i >= 0)
        ss(s)->chdr_off = i == 2;
    return 0;
}

static void set_trigger_mode(session *s, qaio_trigger_mode m)
{
    qaio_scope_settings set = qaio__sim_settings(s);
    set.trigger = m;
    qaio__sim_apply(s, &set);
}

/* SINGLE arms one record and stops on it; STOP freezes what is shown. */
static int trmd(session *s, int mode)
{
    sds_state *p = st(s);
    p->trmd = mode;
    if (mode == TR_SINGLE) {
        set_trigger_mode(s, QAIO_TRIG_SINGLE);
        return qaio__simf_single(s);
    }
    if (mode == TR_STOP)
        return qaio__simf_stop(s);
    set_trigger_mode(s, mode == TR_AUTO ? QAIO_TRIG_AUTO : QAIO_TRIG_NORMAL);
    qaio__simf_run(s);
    return 0;
}

static const char *const trmd_words[] = {"AUTO", "NORM", "SINGLE", "STOP", NULL};

static int h_trmd(session *s, cmd *c)
{
    if (c->query) {
        if (!qaio__sim_nargs(s, c, 0))
            return 0;
        int m = st(s)->trmd;
        if (m == TR_SINGLE && qaio__sim_status(s) == QAIO__SIM_HELD)
            m = TR_STOP;
        return say_word(s, "TRMD", trmd_words[m]);
    }
    int i = qaio__sim_choice(s, c, trmd_words);
    return i >= 0 ? trmd(s, i) : 0;
}

static int h_arm(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? trmd(s, TR_SINGLE) : 0;
}

static int h_stop(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? trmd(s, TR_STOP) : 0;
}

static int h_sast(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    const char *w = "Stop";
    if (s->running)
        w = st(s)->trmd == TR_AUTO ? "Auto" : "Trig'd";
    else if (qaio__sim_status(s) == QAIO__SIM_WAITING)
        w = "Ready";
    return say_word(s, "SAST", w);
}

/* A number argument, plain ("1.00E-04") or with the unit the guide shows
 * after it once the parser passes it ("100US" would need suffixes). */
static bool num_arg(session *s, cmd *c, double min, double max, double *v)
{
    return qaio__sim_number(s, c, min, max, min, v);
}

static int h_tdiv(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? say_num(s, "TDIV", st(s)->tdiv, "S") : 0;
    double v;
    if (num_arg(s, c, 1e-9, 100, &v)) {
        st(s)->tdiv = qaio__nearest_125(v);
        horizontal(s->srv);
    }
    return 0;
}

static int h_msiz(session *s, cmd *c)
{
    static const double depths[] = {14e3, 14e4, 14e5, 14e6};
    static const char *const names[] = {"14K", "140K", "1.4M", "14M"};
    if (c->query) {
        if (!qaio__sim_nargs(s, c, 0))
            return 0;
        for (int i = 0; i < 4; i++)
            if (depths[i] == st(s)->msiz)
                return say_word(s, "MSIZ", names[i]);
        return 0;
    }
    double v;
    if (!num_arg(s, c, 1, 1e9, &v))
        return 0;
    for (int i = 0; i < 4; i++)
        if (depths[i] == v) {
            st(s)->msiz = v;
            horizontal(s->srv);
            return 0;
        }
    return qaio__sim_fail(s, QAIO_SCPI_ERR_ILLEGAL_VALUE, c->arg[0].text);
}

static int h_sara(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? say_num(s, "SARA", qaio__sim_settings(s).rate, "Sa/s") : 0;
}

static int h_sanu(session *s, cmd *c)
{
    if (c->nargs > 1)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_PARAM_NOT_ALLOWED, NULL);
    if (c->nargs == 1 && !(qaio_scpi_word_match(c->arg[0].text, "C1") ||
                           qaio_scpi_word_match(c->arg[0].text, "C2")))
        return qaio__sim_fail(s, QAIO_SCPI_ERR_ILLEGAL_VALUE, c->arg[0].text);
    return say_num(s, "SANU", (double)qaio__sim_settings(s).points, "pts");
}

/* C<n>:<word>, a value in volts of channel n held in field[n - 1]. */
static int chan_volts(session *s, cmd *c, const char *word, double *field, double min,
                      double max)
{
    unsigned ch = chan_of(c);
    char hdr[16];
    snprintf(hdr, sizeof hdr, "C%u:%s", ch, word);
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? say_num(s, hdr, field[ch - 1], "V") : 0;
    double v;
    if (num_arg(s, c, min, max, &v))
        field[ch - 1] = v;
    return 0;
}

static int h_vdiv(session *s, cmd *c)
{
    return chan_volts(s, c, "VDIV", st(s)->vdiv, 5e-4, 10);
}

static int h_ofst(session *s, cmd *c)
{
    return chan_volts(s, c, "OFST", st(s)->ofst, -100, 100);
}

static void trigger_to_scope(session *s)
{
    sds_state *p = st(s);
    qaio_scope_settings set = qaio__sim_settings(s);
    set.trigger_source = p->trig_src;
    set.trigger_level = p->trlv[p->trig_src - 1];
    set.slope = p->trsl[p->trig_src - 1] ? QAIO_SLOPE_FALLING : QAIO_SLOPE_RISING;
    qaio__sim_apply(s, &set);
}

static int h_trlv(session *s, cmd *c)
{
    unsigned ch = chan_of(c);
    char hdr[16];
    snprintf(hdr, sizeof hdr, "C%u:TRLV", ch);
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? say_num(s, hdr, st(s)->trlv[ch - 1], "V") : 0;
    double v;
    if (num_arg(s, c, -100, 100, &v)) {
        st(s)->trlv[ch - 1] = v;
        trigger_to_scope(s);
    }
    return 0;
}

static int h_trsl(session *s, cmd *c)
{
    static const char *const w[] = {"POS", "NEG", "WINDOW", NULL};
    unsigned ch = chan_of(c);
    char hdr[16];
    snprintf(hdr, sizeof hdr, "C%u:TRSL", ch);
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? say_word(s, hdr, w[st(s)->trsl[ch - 1]]) : 0;
    int i = qaio__sim_choice(s, c, w);
    if (i == 2)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_SETTINGS_CONFLICT, "no window trigger here");
    if (i >= 0) {
        st(s)->trsl[ch - 1] = i;
        trigger_to_scope(s);
    }
    return 0;
}

/* TRSE EDGE,SR,C<n>[,HT,OFF]: the edge trigger on a source. */
static int h_trse(session *s, cmd *c)
{
    if (c->query) {
        if (!qaio__sim_nargs(s, c, 0))
            return 0;
        char v[40];
        snprintf(v, sizeof v, "EDGE,SR,C%u,HT,OFF", st(s)->trig_src);
        return say_word(s, "TRSE", v);
    }
    if (c->nargs < 3)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_MISSING_PARAM, NULL);
    if (!qaio_scpi_word_match(c->arg[0].text, "EDGE"))
        return qaio__sim_fail(s, QAIO_SCPI_ERR_ILLEGAL_VALUE, "only the EDGE trigger");
    if (!qaio_scpi_word_match(c->arg[1].text, "SR"))
        return qaio__sim_fail(s, QAIO_SCPI_ERR_ILLEGAL_VALUE, c->arg[1].text);
    unsigned src = qaio_scpi_word_match(c->arg[2].text, "C1")   ? 1
                   : qaio_scpi_word_match(c->arg[2].text, "C2") ? 2
                                                                : 0;
    if (!src)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_ILLEGAL_VALUE, c->arg[2].text);
    st(s)->trig_src = src;
    trigger_to_scope(s);
    return 0;
}

/* WFSU SP,<sparsing>,NP,<points>,FP,<first>[,SN,<n>]: pairs in any order. */
static int h_wfsu(session *s, cmd *c)
{
    sds_session *q = ss(s);
    if (c->query) {
        if (!qaio__sim_nargs(s, c, 0))
            return 0;
        char v[80];
        snprintf(v, sizeof v, "SP,%zu,NP,%zu,FP,%zu", q->sp, q->np, q->fp);
        return say_word(s, "WFSU", v);
    }
    if (c->nargs == 0 || c->nargs % 2)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_MISSING_PARAM, NULL);
    for (unsigned i = 0; i < c->nargs; i += 2) {
        double v;
        if (c->arg[i + 1].type != QAIO_SCPI_ARG_NUMBER ||
            qaio_scpi_arg_number(c, i + 1, 0, 1e9, 0, &v) || v < 0)
            return qaio__sim_fail(s, QAIO_SCPI_ERR_DATA_TYPE, c->arg[i + 1].text);
        const char *k = c->arg[i].text;
        if (qaio_scpi_word_match(k, "SP"))
            q->sp = (size_t)v;
        else if (qaio_scpi_word_match(k, "NP"))
            q->np = (size_t)v;
        else if (qaio_scpi_word_match(k, "FP"))
            q->fp = (size_t)v;
        else if (!qaio_scpi_word_match(k, "SN"))
            return qaio__sim_fail(s, QAIO_SCPI_ERR_ILLEGAL_VALUE, k);
    }
    return 0;
}

/* C<n>:WF? DAT2 */
static int h_wf(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 1))
        return 0;
    if (!qaio_scpi_word_match(c->arg[0].text, "DAT2"))
        return qaio__sim_fail(s, QAIO_SCPI_ERR_ILLEGAL_VALUE, "only DAT2 is served");
    if (s->running) {
        int err = qaio__sim_take(s);
        if (err)
            return err;
    } else {
        int err = qaio__sim_wait(s);
        if (err)
            return err;
    }
    const qaio_trace *rec = qaio__sim_held(s);
    if (!rec)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_DATA_STALE, "no waveform acquired");
    unsigned ch = chan_of(c);
    sds_session *q = ss(s);
    size_t step = q->sp > 1 ? q->sp : 1;
    size_t first = q->fp < rec->n ? q->fp : rec->n;
    size_t n = (rec->n - first + step - 1) / step;
    if (q->np && q->np < n)
        n = q->np;
    float buf[1024];
    qaio__scpi_begin_unit(s);
    int err = qaio__scpi_printf(s, ss(s)->chdr_off ? "DAT2," : "C%u:WF DAT2,", ch);
    if (!err)
        err = qaio__simf_block_header(s, n, 9);
    const float *y = rec->y[ch - 1];
    double scale = st(s)->vdiv[ch - 1] / CODES_PER_DIV, off = -st(s)->ofst[ch - 1];
    for (size_t i = 0; !err && i < n; i += 1024) {
        size_t m = n - i < 1024 ? n - i : 1024;
        for (size_t j = 0; j < m; j++)
            buf[j] = y[first + (i + j) * step];
        err = qaio__sim_put_codes(s, buf, m, scale, off, -128, 127, 1, false);
    }
    /* The block is followed by two line feeds: one here, one the line's. */
    return err ? err : qaio__scpi_out(s, "\n", 1);
}

/* CMR? / EXR?: the last command (-1xx) or execution (-2xx) error as the
 * guide's register code; reading clears the register. */
static int cmr_code(int num)
{
    switch (num) {
    case -111: case -112: return 2;           /* illegal header path */
    case -120: case -121: return 3;           /* illegal number */
    case -104: case -108: case -109: case -224: return 5; /* unrecognized keyword */
    case -150: case -151: return 6;           /* string error */
    default: return 1;                        /* unrecognized command/query header */
    }
}

static int exr_code(int num)
{
    return num == -222 || num == -224 ? 25 /* parameter error */ : 22 /* environment error */;
}

static int read_register(session *s, cmd *c, bool command)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    int code = 0;
    unsigned keep = 0;
    for (unsigned i = 0; i < s->nerr; i++) {
        int num = s->errq[i].num;
        bool mine = command ? num <= -100 && num > -200 : num <= -200 && num > -300;
        if (mine)
            code = command ? cmr_code(num) : exr_code(num);
        else
            s->errq[keep++] = s->errq[i];
    }
    s->nerr = keep;
    return ss(s)->chdr_off ? qaio__sim_answer(s, "%d", code)
                           : qaio__sim_answer(s, "%s %d", command ? "CMR" : "EXR", code);
}

static int h_cmr(session *s, cmd *c)
{
    return read_register(s, c, true);
}

static int h_exr(session *s, cmd *c)
{
    return read_register(s, c, false);
}

enum { Q = QAIO__SIM_Q, S = QAIO__SIM_S };
static const qaio__sim_command table[] = {
    {"CHDR", h_chdr, Q | S},   {"TRMD", h_trmd, Q | S},    {"ARM", h_arm, S},
    {"STOP", h_stop, S},       {"SAST", h_sast, Q},        {"TDIV", h_tdiv, Q | S},
    {"MSIZ", h_msiz, Q | S},   {"SARA", h_sara, Q},        {"SANU", h_sanu, Q},
    {"C1:VDIV", h_vdiv, Q | S}, {"C2:VDIV", h_vdiv, Q | S}, {"C1:OFST", h_ofst, Q | S},
    {"C2:OFST", h_ofst, Q | S}, {"C1:TRLV", h_trlv, Q | S}, {"C2:TRLV", h_trlv, Q | S},
    {"C1:TRSL", h_trsl, Q | S}, {"C2:TRSL", h_trsl, Q | S}, {"TRSE", h_trse, Q | S},
    {"WFSU", h_wfsu, Q | S},   {"C1:WF", h_wf, Q},         {"C2:WF", h_wf, Q},
    {"CMR", h_cmr, Q},         {"EXR", h_exr, Q},
};

const qaio__sim_personality qaio__sim_siglent_sds1000xe = {
    .name = "siglent-sds1000xe",
    .title = "Siglent SDS1202X-E",
    .idn = "Siglent Technologies,SDS1202X-E,SDS1EBAC0L0098,8.2.6.1.37R9",
    .port = 5025,
    .eol = "\n",
    .commands = table,
    .ncommands = sizeof table / sizeof table[0],
    .server_state_size = sizeof(sds_state),
    .session_state_size = sizeof(sds_session),
    .server_reset = sds_server_reset,
    .session_reset = sds_session_reset,
};
