/* The "redpitaya" personality: a Red Pitaya STEMlab 125-14 running its SCPI
 * server (port 5000, answers end with "\r\n"), per the Red Pitaya
 * documentation, "Remote control (SCPI)": the acquisition command list
 * (redpitaya.readthedocs.io, appsFeatures/remoteControl/command_list,
 * "Acquire"/"Acquisition") and its "Acquire a signal" examples, checked
 * against the server's source (RedPitaya/RedPitaya scpi-server/src
 * acquire.c, scpi-parser-ext.cpp):
 *
 *   *IDN? -> "REDPITAYA,INSTR2020,0,01-02" (scpi-parser prints 0 for the
 *   missing serial); SYST:ERR? (the common one: "0,\"No error\"").
 *   ACQ:START  ACQ:STOP  ACQ:RST (stops; decimation 1, level 0, delay 8192,
 *   units VOLTS, format ASCII)
 *   ACQ:DEC /? 1,2,4,...,65536 (rate = 125 MS/s / decimation)
 *   ACQ:AVG /? ON|OFF (kept; the simulated inputs are point samples)
 *   ACQ:TRIG DISABLED|NOW|CH1_PE|CH1_NE|CH2_PE|CH2_NE (EXT_* and AWG_* have
 *   no signal here: they never trigger)   ACQ:TRIG:STAT? -> WAIT|TD
 *   ACQ:TRIG:FILL? -> 1 once triggered     ACQ:TRIG:LEV /? <V> (a plain
 *   number: unit suffixes such as "125 mV" wait for the parser's units)
 *   ACQ:TRIG:DLY /? <samples after the trigger>  (the classic server's
 *   model: 8192 puts the trigger at the middle of the 16384-sample buffer)
 *   ACQ:SOUR<n>:GAIN /? LV|HV  (the input jumper: +-1 V or +-20 V full
 *   scale; HV here, so the default 1 V sine is not clipped)
 *   ACQ:DATA:FORMAT ASCII|BIN   ACQ:DATA:UNITS /? VOLTS|RAW
 *   ACQ:SOUR<n>:DATA? (the whole buffer, oldest first)
 *   ACQ:SOUR<n>:DATA:STA:N? <start>,<n>   ACQ:SOUR<n>:DATA:OLD:N? <n>
 *   (positions count from the buffer's oldest sample: the simulated
 *   buffer is not circular, so ACQ:WPOS? and ACQ:TPOS? are not offered)
 *   ACQ:BUF:SIZE? -> 16384
 * Data: ASCII is "{v1,v2,...}" (volts "%f", or RAW integer codes); BIN is
 * "#<d><len>" then big-endian float32 volts or int16 codes. Codes are the
 * 14-bit ADC's: volts = code * full scale / 8192.
 *
 * The buffer is 16384 samples at 125 MS/s / decimation; its last sample
 * is DLY samples after the trigger (x0 = (DLY - 16384) / fs). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scpi_session.h"
#include "sim_family.h"
#include "sim_pretrig.h"

typedef qaio__scpi_session session;
typedef const qaio_scpi_command cmd;

#define RP_BUFFER 16384
#define RP_BASE_RATE 125e6
#define RP_CODES 8192.0

/* The trigger sources, in the server's order. */
static const char *const trig_sources[] = {"DISABLED", "NOW",    "CH1_PE", "CH1_NE",
                                           "CH2_PE",   "CH2_NE", "EXT_PE", "EXT_NE",
                                           "AWG_PE",   "AWG_NE", NULL};
enum { SRC_DISABLED, SRC_NOW, SRC_CH1_PE };

typedef struct rp_state {
    unsigned decimation;
    double level;
    long delay;
    bool avg;
    bool hv[2];     /* the input jumpers */
    int source;     /* trig_sources index */
    bool started;
    bool triggered; /* ACQ:TRIG:STAT? said TD (the source went DISABLED) */
} rp_state;

typedef struct rp_session {
    bool binary;
    bool raw;
    bool placed; /* the held record was moved around its trigger */
} rp_session;

static rp_state *st(session *s)
{
    return s->srv->pstate;
}

static rp_session *ses(session *s)
{
    return s->pstate;
}

static void rp_server_reset(qaio_scpi_server *srv)
{
    rp_state *r = srv->pstate;
    *r = (rp_state){.decimation = 1, .level = 0, .delay = RP_BUFFER / 2, .avg = true,
                    .hv = {true, true}, .source = SRC_DISABLED};
    qaio_scope_settings set;
    qaio_scope_get_settings(srv->scope, &set);
    set.points = RP_BUFFER;
    set.rate = RP_BASE_RATE;
    set.trigger_level = 0;
    qaio_scope_set_settings(srv->scope, &set);
}

static void rp_session_reset(session *s)
{
    *ses(s) = (rp_session){0};
}

static double full_scale(session *s, unsigned ch)
{
    return st(s)->hv[ch - 1] ? 20.0 : 1.0;
}

/* --- acquisition --------------------------------------------------------- */

/* The shared scope set up for the trigger source, then armed. */
static int arm(session *s)
{
    rp_state *r = st(s);
    qaio_scope_settings set = qaio__sim_settings(s);
    set.points = RP_BUFFER;
    set.rate = RP_BASE_RATE / r->decimation;
    set.trigger_level = r->level;
    if (r->source == SRC_NOW) {
        set.trigger = QAIO_TRIG_FORCE;
    } else {
        int k = r->source - SRC_CH1_PE;
        set.trigger = QAIO_TRIG_NORMAL;
        set.trigger_source = (unsigned)(k / 2) + 1;
        set.slope = k % 2 ? QAIO_SLOPE_FALLING : QAIO_SLOPE_RISING;
    }
    qaio__sim_apply(s, &set);
    ses(s)->placed = false;
    r->triggered = false;
    return qaio__sim_arm(s);
}

/* Sources with a signal: NOW and the two inputs' edges. */
static bool source_armable(int source)
{
    return source >= SRC_NOW && source <= SRC_CH1_PE + 3;
}

static long pre_trigger(session *s)
{
    return RP_BUFFER - st(s)->delay;
}

/* Where the acquisition is: true once triggered and the buffer placed. */
static int poll_record(session *s, bool *done)
{
    *done = false;
    int where = qaio__sim_status(s);
    if (where != QAIO__SIM_HELD)
        return 0;
    if (!ses(s)->placed) {
        if (qaio__sim_pretrigger(s, pre_trigger(s)) != 1)
            return arm(s); /* the buffer was not full yet: keep waiting */
        ses(s)->placed = true;
    }
    *done = true;
    return 0;
}

/* The buffer a data query reads: the triggered one, else (never started,
 * or an acquisition still waiting) what the ADC writes now. */
static int current_buffer(session *s)
{
    bool done;
    int err = poll_record(s, &done);
    if (err || done)
        return err;
    if (qaio__sim_status(s) == QAIO__SIM_WAITING)
        qaio__sim_abort(s); /* the hardware buffer keeps running */
    qaio_scope_settings set = qaio__sim_settings(s);
    set.points = RP_BUFFER;
    set.rate = RP_BASE_RATE / st(s)->decimation;
    set.trigger = QAIO_TRIG_FORCE;
    qaio__sim_apply(s, &set);
    err = qaio__sim_take_pretrigger(s, pre_trigger(s));
    if (!err && qaio__sim_held(s))
        ses(s)->placed = true;
    return err;
}

/* Writes samples [first, first + n) of channel ch as the format and
 * units say. */
static int put_samples(session *s, unsigned ch, size_t first, size_t n)
{
    const qaio_trace *rec = qaio__sim_held(s);
    double fs_v = full_scale(s, ch);
    double lsb = fs_v / RP_CODES;
    size_t avail = rec->n > first ? rec->n - first : 0;
    n = n < avail ? n : avail;
    /* The ADC saturates and quantises: both forms carry its codes. */
    float *y = malloc((n ? n : 1) * sizeof *y);
    if (!y)
        return QAIO_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        double code = nearbyint(rec->y[ch - 1][first + i] / lsb);
        code = fmin(fmax(code, -RP_CODES), RP_CODES - 1);
        y[i] = (float)(ses(s)->raw ? code : code * lsb);
    }
    int err;
    qaio__scpi_begin_unit(s);
    if (ses(s)->binary) {
        err = qaio__sim_block_header(s, n * (ses(s)->raw ? 2 : 4));
        if (!err)
            err = ses(s)->raw ? qaio__sim_put_codes(s, y, n, 1, 0, -32768, 32767, 2, true)
                              : qaio__sim_put_floats(s, y, n, true);
    } else {
        err = qaio__scpi_out(s, "{", 1);
        if (!err)
            err = qaio__sim_put_ascii(s, y, n, ses(s)->raw ? "%.0f" : "%f");
        if (!err)
            err = qaio__scpi_out(s, "}", 1);
    }
    free(y);
    return err;
}

/* The channel digit of ACQ:SOUR<n>. */
static unsigned source_of(cmd *c)
{
    const char *m = c->node[1];
    size_t n = strlen(m);
    return n && (m[n - 1] == '1' || m[n - 1] == '2') ? (unsigned)(m[n - 1] - '0') : 0;
}

static bool uint_arg(session *s, cmd *c, unsigned i, double max, size_t *out)
{
    double v;
    int e = qaio_scpi_arg_number(c, i, 0, max, 0, &v);
    if (e)
        return qaio__sim_fail(s, e, NULL), false;
    if (!(v >= 0 && v <= max) || v != floor(v))
        return qaio__sim_fail(s, QAIO_SCPI_ERR_OUT_OF_RANGE, c->arg[i].text), false;
    *out = (size_t)v;
    return true;
}

static int h_data(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    int err = current_buffer(s);
    if (err || !qaio__sim_held(s))
        return err;
    return put_samples(s, source_of(c), 0, RP_BUFFER);
}

static int h_data_start_n(session *s, cmd *c)
{
    size_t first, n;
    if (!qaio__sim_nargs(s, c, 2) || !uint_arg(s, c, 0, RP_BUFFER - 1, &first) ||
        !uint_arg(s, c, 1, RP_BUFFER, &n))
        return 0;
    int err = current_buffer(s);
    if (err || !qaio__sim_held(s))
        return err;
    return put_samples(s, source_of(c), first, n);
}

/* The n oldest samples: from the start of the buffer. */
static int h_data_old_n(session *s, cmd *c)
{
    size_t n;
    if (!qaio__sim_nargs(s, c, 1) || !uint_arg(s, c, 0, RP_BUFFER, &n))
        return 0;
    int err = current_buffer(s);
    if (err || !qaio__sim_held(s))
        return err;
    return put_samples(s, source_of(c), 0, n);
}

/* --- handlers ------------------------------------------------------------ */

static int h_start(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    st(s)->started = true;
    return source_armable(st(s)->source) ? arm(s) : 0;
}

static int h_stop(session *s, cmd *c)
{
    if (qaio__sim_nargs(s, c, 0)) {
        qaio__sim_abort(s);
        st(s)->started = false;
    }
    return 0;
}

static int h_acq_rst(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    qaio__sim_abort(s);
    rp_server_reset(s->srv);
    ses(s)->binary = false;
    ses(s)->raw = false;
    return 0;
}

static int h_dec(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "%u", st(s)->decimation) : 0;
    double v;
    if (!qaio__sim_number(s, c, 1, 65536, 1, &v))
        return 0;
    unsigned d = (unsigned)v;
    if (v != d || (d & (d - 1)))
        return qaio__sim_fail(s, QAIO_SCPI_ERR_ILLEGAL_VALUE, "decimation is a power of 2");
    st(s)->decimation = d;
    return 0;
}

static int h_avg(session *s, cmd *c)
{
    static const char *const onoff[] = {"OFF", "ON", "0", "1", NULL};
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, st(s)->avg ? "ON" : "OFF") : 0;
    int i = qaio__sim_choice(s, c, onoff);
    if (i >= 0)
        st(s)->avg = i % 2;
    return 0;
}

static int h_trig(session *s, cmd *c)
{
    int i = qaio__sim_choice(s, c, trig_sources);
    if (i < 0)
        return 0;
    qaio__sim_abort(s);
    st(s)->source = i;
    st(s)->triggered = false;
    return st(s)->started && source_armable(i) ? arm(s) : 0;
}

static int h_trig_stat(session *s, cmd *c)
{
    if (!qaio__sim_nargs(s, c, 0))
        return 0;
    rp_state *r = st(s);
    bool done = false;
    if (r->source != SRC_DISABLED && r->started && source_armable(r->source)) {
        int err = poll_record(s, &done);
        if (err)
            return err;
        if (done) {
            /* As the hardware: a trigger disables the source. */
            r->source = SRC_DISABLED;
            r->triggered = true;
        }
    }
    return qaio__sim_answer(s, r->source == SRC_DISABLED ? "TD" : "WAIT");
}

static int h_trig_fill(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "%d", st(s)->triggered) : 0;
}

static int h_trig_lev(session *s, cmd *c)
{
    return qaio__simf_number(s, c, &st(s)->level, -20, 20, 0, "%g", NULL);
}

static int h_trig_dly(session *s, cmd *c)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "%ld", st(s)->delay) : 0;
    double v;
    if (!qaio__sim_number(s, c, 0, 64.0 * RP_BUFFER, 0, &v))
        return 0;
    st(s)->delay = lround(v);
    return 0;
}

static int h_gain(session *s, cmd *c)
{
    static const char *const gains[] = {"LV", "HV", NULL};
    unsigned ch = source_of(c);
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, st(s)->hv[ch - 1] ? "HV" : "LV")
                                        : 0;
    int i = qaio__sim_choice(s, c, gains);
    if (i >= 0)
        st(s)->hv[ch - 1] = i == 1;
    return 0;
}

static int h_format(session *s, cmd *c)
{
    static const char *const formats[] = {"ASCII", "BIN", NULL};
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, ses(s)->binary ? "BIN" : "ASCII")
                                        : 0;
    int i = qaio__sim_choice(s, c, formats);
    if (i >= 0)
        ses(s)->binary = i == 1;
    return 0;
}

static int h_units(session *s, cmd *c)
{
    static const char *const units[] = {"VOLTS", "RAW", NULL};
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, ses(s)->raw ? "RAW" : "VOLTS") : 0;
    int i = qaio__sim_choice(s, c, units);
    if (i >= 0)
        ses(s)->raw = i == 1;
    return 0;
}

static int h_buf_size(session *s, cmd *c)
{
    return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, "%d", RP_BUFFER) : 0;
}

enum { Q = QAIO__SIM_Q, S = QAIO__SIM_S };
static const qaio__sim_command table[] = {
    {":ACQuire:START", h_start, S},
    {":ACQuire:STOP", h_stop, S},
    {":ACQuire:RST", h_acq_rst, S},
    {":ACQuire:DECimation", h_dec, Q | S},
    {":ACQuire:AVG", h_avg, Q | S},
    {":ACQuire:TRIGger", h_trig, S},
    {":ACQuire:TRIGger:STATus", h_trig_stat, Q},
    {":ACQuire:TRIGger:FILL", h_trig_fill, Q},
    {":ACQuire:TRIGger:LEVel", h_trig_lev, Q | S},
    {":ACQuire:TRIGger:DLY", h_trig_dly, Q | S},
    {":ACQuire:SOURce1:GAIN", h_gain, Q | S},
    {":ACQuire:SOURce2:GAIN", h_gain, Q | S},
    {":ACQuire:DATA:FORMat", h_format, Q | S},
    {":ACQuire:DATA:UNITs", h_units, Q | S},
    {":ACQuire:SOURce1:DATA", h_data, Q},
    {":ACQuire:SOURce2:DATA", h_data, Q},
    {":ACQuire:SOURce1:DATA:STArt:N", h_data_start_n, Q},
    {":ACQuire:SOURce2:DATA:STArt:N", h_data_start_n, Q},
    {":ACQuire:SOURce1:DATA:OLDest:N", h_data_old_n, Q},
    {":ACQuire:SOURce2:DATA:OLDest:N", h_data_old_n, Q},
    {":ACQuire:BUFfer:SIZE", h_buf_size, Q},
};

const qaio__sim_personality qaio__sim_redpitaya = {
    .name = "redpitaya",
    .title = "Red Pitaya STEMlab 125-14",
    .idn = "REDPITAYA,INSTR2020,0,01-02",
    .port = 5000,
    .eol = "\r\n",
    .commands = table,
    .ncommands = sizeof table / sizeof table[0],
    .server_state_size = sizeof(rp_state),
    .session_state_size = sizeof(rp_session),
    .server_reset = rp_server_reset,
    .session_reset = rp_session_reset,
};
