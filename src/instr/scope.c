/* The simulated scope: trigger search over a deterministic stream, then a
 * record; every part of it costs the simulated time in qaio_sleep. */
#include "qaio/instr/scope.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "instrument_internal.h"
#include "offload.h"
#include "qaio/instr/signal.h"
#include "qaio/task.h"

typedef struct scope {
    qaio_instrument base;
    qaio_scope_settings set;
    qaio_signal *sig[2];
    uint64_t pos, last_start;
    bool armed, force;
    float *scratch; /* trigger search chunk: N + 1 samples */
    size_t scratch_cap;
    qaio__offload *job; /* a search or a record being computed on the executor */
} scope;

static const qaio_instrument_ops scope_ops;

static scope *as_scope(const qaio_instrument *inst)
{
    return inst && inst->ops == &scope_ops ? (scope *)inst : NULL;
}

/* The entry check of the calls that use a scope: QAIO_EINVAL unless inst
 * is one, QAIO_EWRONGTHREAD off its thread. */
static int check_scope(const qaio_instrument *inst)
{
    return as_scope(inst) ? qaio__instrument_check(inst) : QAIO_EINVAL;
}

void qaio_scope_settings_default(qaio_scope_settings *s)
{
    if (!s)
        return;
    *s = (qaio_scope_settings){
        .points = 1024,
        .rate = 1e6,
        .channels = 1,
        .trigger = QAIO_TRIG_AUTO,
        .slope = QAIO_SLOPE_RISING,
        .trigger_source = 1,
        .trigger_level = 0,
        .auto_timeout_s = 0.01,
        .latency_s = 0,
        .pretrigger = 0,
    };
}

static bool settings_ok(const qaio_scope_settings *s)
{
    return s && s->points >= 2 && s->points <= ((size_t)1 << 26) && s->rate > 0 &&
           isfinite(s->rate) && s->channels >= 1 && s->channels <= 3 &&
           (unsigned)s->trigger < QAIO_TRIG_MODE_COUNT && (unsigned)s->slope < QAIO_SLOPE_COUNT &&
           (s->trigger_source == 1 || s->trigger_source == 2) && isfinite(s->trigger_level) &&
           s->auto_timeout_s >= 0 && isfinite(s->auto_timeout_s) && s->latency_s >= 0 &&
           isfinite(s->latency_s) && s->pretrigger >= 0 && s->pretrigger <= 1;
}

/* Edge detection with hysteresis, as a scope's noise rejection: a rising
 * edge counts only once the signal has been below level - h since the last
 * one (falling: above level + h). Without it, noise on a slow edge sampled
 * fast fires the trigger anywhere near the level -- on the opposite slope
 * too -- and averaged records cancel. h is four times the source's noise
 * RMS, so a noiseless signal triggers on the exact crossing. */
typedef struct edge_state {
    bool below, above; /* armed for a rising / falling edge */
} edge_state;

static bool crosses(qaio_trigger_slope slope, edge_state *e, float prev, float cur, float level,
                    float h)
{
    bool up = e->below && prev < level && cur >= level;
    bool down = e->above && prev > level && cur <= level;
    if (cur < level - h)
        e->below = true;
    if (cur > level + h)
        e->above = true;
    if (up)
        e->below = false;
    if (down)
        e->above = false;
    return slope == QAIO_SLOPE_RISING ? up : slope == QAIO_SLOPE_FALLING ? down : up || down;
}

/* Samples generated at a time by the trigger search: an edge early in a
 * long span costs only its chunk. */
#define SEARCH_CHUNK ((size_t)1 << 16)

/* Searches [a, a + len) of the source for the first edge; returns its index
 * or UINT64_MAX. e carries the hysteresis state from one span to the next.
 * Uses only the source signal and the scratch buffer: it may run on a
 * worker. */
static uint64_t search(scope *s, const qaio_scope_settings *set, uint64_t a, size_t len,
                       edge_state *e)
{
    const qaio_signal *sig = s->sig[set->trigger_source - 1];
    float level = (float)set->trigger_level;
    float h = (float)(4 * qaio_signal_noise_rms(sig));
    uint64_t from = a > 0 ? a - 1 : 0, end = a + len;
    for (bool first = true; from + 1 < end; first = false) {
        /* Each chunk starts with the previous one's last sample. */
        size_t count = end - from < SEARCH_CHUNK + 1 ? (size_t)(end - from) : SEARCH_CHUNK + 1;
        qaio_signal_generate(sig, set->trigger_source, from, set->rate, s->scratch, count);
        if (h == 0 && first) { /* no noise: the exact crossing, whatever came before */
            e->below = s->scratch[0] < level;
            e->above = s->scratch[0] > level;
        }
        for (size_t i = 1; i < count; i++)
            if (crosses(set->slope, e, s->scratch[i - 1], s->scratch[i], level, h))
                return from + i;
        from += count - 1;
    }
    return UINT64_MAX;
}

/* A search span and the record's samples as jobs for the executor: a long
 * span or a large record would otherwise hold the loop thread for
 * milliseconds. The scope's state (position, trigger) is only read and
 * written on the loop thread, before and after: records stay the same
 * stream whichever thread computes them. */
typedef struct search_job {
    scope *s;
    const qaio_scope_settings *set;
    uint64_t a, hit;
    size_t len;
    edge_state *e;
} search_job;

static int search_job_run(void *arg)
{
    search_job *j = arg;
    j->hit = search(j->s, j->set, j->a, j->len, j->e);
    return 0;
}

static uint64_t search_span(scope *s, const qaio_scope_settings *set, uint64_t a, size_t len,
                            edge_state *e)
{
    search_job j = {s, set, a, UINT64_MAX, len, e};
    qaio__offload_run(s->base.loop, len, search_job_run, &j, &s->job);
    return j.hit;
}

typedef struct record_job {
    scope *s;
    unsigned channels;
    uint64_t first;
    double fs;
    qaio_trace *rec;
} record_job;

static int record_job_run(void *arg)
{
    record_job *j = arg;
    size_t c = 0;
    for (unsigned ch = 1; ch <= 2; ch++)
        if (j->channels & ch)
            qaio_signal_generate(j->s->sig[ch - 1], ch, j->first, j->fs, j->rec->y[c++], j->rec->n);
    return 0;
}

/* Sleeps dt, or up to the deadline and then QAIO_ETIMEDOUT. */
static int wait_for(double dt, double *waited, double timeout_s)
{
    if (timeout_s >= 0 && *waited + dt > timeout_s) {
        int err = qaio_sleep(fmax(0, timeout_s - *waited));
        *waited = timeout_s;
        return err ? err : QAIO_ETIMEDOUT;
    }
    int err = qaio_sleep(dt);
    if (!err)
        *waited += dt;
    return err;
}

static int scope_acquire(qaio_instrument *inst, qaio_trace *rec, double timeout_s)
{
    scope *s = (scope *)inst;
    /* A copy: settings changed during the waits apply from the next record. */
    qaio_scope_settings set = s->set;
    size_t n = set.points;
    double fs = set.rate;
    if (set.trigger == QAIO_TRIG_SINGLE && !s->armed)
        return QAIO_EAGAIN;
    if (s->scratch_cap < n + 1) {
        float *b = malloc((n + 1) * sizeof *b);
        if (!b)
            return QAIO_ENOMEM;
        free(s->scratch);
        s->scratch = b;
        s->scratch_cap = n + 1;
    }
    size_t nch = (set.channels & 1) + ((set.channels >> 1) & 1);
    int err = qaio_trace_reshape(rec, n, nch);
    if (err)
        return err;

    double waited = 0;
    /* Samples kept from before the trigger: the stream has none before 0. */
    uint64_t pre = (uint64_t)llround(set.pretrigger * (double)(n - 1));
    uint64_t pos = s->pos < pre ? pre : s->pos, start = pos, searched = 0;
    if (set.trigger != QAIO_TRIG_FORCE && !s->force) {
        uint64_t limit = set.trigger == QAIO_TRIG_AUTO
                             ? (uint64_t)fmin(fmax(1, ceil(set.auto_timeout_s * fs)), 1e15)
                             : UINT64_MAX;
        edge_state e = {false, false};
        for (;;) {
            size_t len = limit - searched < n ? (size_t)(limit - searched) : n;
            uint64_t hit = search_span(s, &set, pos + searched, len, &e);
            if (hit != UINT64_MAX) {
                start = hit;
                break;
            }
            searched += len;
            if (searched >= limit) {
                start = pos + searched; /* auto: free-run where the search ended */
                break;
            }
            /* Normal / single: this span of signal went by without an edge. */
            err = wait_for((double)len / fs, &waited, timeout_s);
            if (err) {
                s->pos = pos + searched;
                return err;
            }
            if (s->force) {
                start = pos + searched;
                break;
            }
        }
    }
    s->force = false;
    double rest = (double)(start - pre + n - pos) / fs + set.latency_s - waited;
    err = wait_for(fmax(0, rest), &waited, timeout_s);
    if (err) {
        s->pos = start;
        return err;
    }
    record_job job = {s, set.channels, start - pre, fs, rec};
    qaio__offload_run(inst->loop, n * nch, record_job_run, &job, &s->job);
    size_t c = 0;
    for (unsigned ch = 1; ch <= 2; ch++)
        if (set.channels & ch)
            rec->channel[c++] = (int)ch;
    for (; c < QAIO_TRACE_MAX_CHANNELS; c++)
        rec->channel[c] = 0;
    qaio_trace_set_x(rec, NULL);
    rec->x0 = -(double)pre / fs;
    rec->dx = 1.0 / fs;
    rec->domain = QAIO_DOMAIN_TIME;
    strcpy(rec->x_unit, "s");
    strcpy(rec->y_unit, "V");
    rec->enbw_hz = 0;
    rec->averages = 0;
    s->last_start = start - pre;
    s->pos = start - pre + n + (uint64_t)fmin(llround(set.latency_s * fs), 1e15);
    if (set.trigger == QAIO_TRIG_SINGLE)
        s->armed = false;
    return 0;
}

static qaio_averager *scope_averager_new(qaio_instrument *inst)
{
    (void)inst;
    return qaio_mean_averager_new(QAIO_MEAN_LINEAR);
}

static void scope_destroy(qaio_instrument *inst)
{
    scope *s = (scope *)inst;
    qaio__offload_wait(s->job);
    qaio_signal_free(s->sig[0]);
    qaio_signal_free(s->sig[1]);
    free(s->scratch);
    free(s);
}

static const qaio_instrument_ops scope_ops = {"scope", scope_acquire, scope_averager_new,
                                              scope_destroy};

qaio_instrument *qaio_scope_new(qaio_loop *loop, const qaio_scope_settings *set)
{
    qaio_scope_settings def;
    if (!set) {
        qaio_scope_settings_default(&def);
        set = &def;
    }
    if (!loop || !settings_ok(set)) {
        errno = EINVAL;
        return NULL;
    }
    scope *s = calloc(1, sizeof *s);
    if (!s) {
        errno = ENOMEM;
        return NULL;
    }
    int err = qaio_instrument_init(&s->base, &scope_ops, loop);
    if (err) {
        free(s);
        errno = -err;
        return NULL;
    }
    s->set = *set;
    s->armed = true;
    for (int ch = 0; ch < 2; ch++)
        if (qaio_signal_parse(QAIO_SIGNAL_DEFAULT, &s->sig[ch], NULL, 0)) {
            scope_destroy(&s->base);
            errno = ENOMEM;
            return NULL;
        }
    return &s->base;
}

int qaio_scope_set_settings(qaio_instrument *inst, const qaio_scope_settings *set)
{
    int err = check_scope(inst);
    if (err)
        return err;
    if (!settings_ok(set))
        return QAIO_EINVAL;
    ((scope *)inst)->set = *set;
    return 0;
}

int qaio_scope_get_settings(const qaio_instrument *inst, qaio_scope_settings *out)
{
    int err = out ? check_scope(inst) : QAIO_EINVAL;
    if (err)
        return err;
    *out = ((const scope *)inst)->set;
    return 0;
}

int qaio_scope_set_signal(qaio_instrument *inst, unsigned channel, const char *desc, char *msg,
                          size_t msgcap)
{
    scope *s = as_scope(inst);
    int err = check_scope(inst);
    if (!err && (channel < 1 || channel > 2))
        err = QAIO_EINVAL;
    if (err) {
        if (msg && msgcap)
            snprintf(msg, msgcap, "%s", err == QAIO_EINVAL ? "not a scope channel" : qaio_strerror(err));
        return err;
    }
    qaio_signal *sig;
    err = qaio_signal_parse(desc, &sig, msg, msgcap);
    if (err)
        return err;
    qaio__offload_wait(s->job); /* it may be generating from the old one */
    qaio_signal_free(s->sig[channel - 1]);
    s->sig[channel - 1] = sig;
    return 0;
}

const qaio_signal *qaio_scope_signal(const qaio_instrument *inst, unsigned channel)
{
    scope *s = as_scope(inst);
    return s && channel >= 1 && channel <= 2 ? s->sig[channel - 1] : NULL;
}

int qaio_scope_arm(qaio_instrument *inst)
{
    int err = check_scope(inst);
    if (err)
        return err;
    ((scope *)inst)->armed = true;
    return 0;
}

bool qaio_scope_armed(const qaio_instrument *inst)
{
    scope *s = as_scope(inst);
    return s && s->armed;
}

int qaio_scope_force(qaio_instrument *inst)
{
    int err = check_scope(inst);
    if (err)
        return err;
    ((scope *)inst)->force = true;
    return 0;
}

uint64_t qaio_scope_position(const qaio_instrument *inst)
{
    scope *s = as_scope(inst);
    return s ? s->pos : 0;
}

uint64_t qaio_scope_last_start(const qaio_instrument *inst)
{
    scope *s = as_scope(inst);
    return s ? s->last_start : 0;
}

static const char *const mode_names[QAIO_TRIG_MODE_COUNT] = {"auto", "normal", "single", "force"};
static const char *const slope_names[QAIO_SLOPE_COUNT] = {"rising", "falling", "either"};

const char *qaio_trigger_mode_name(qaio_trigger_mode m)
{
    return (unsigned)m < QAIO_TRIG_MODE_COUNT ? mode_names[m] : NULL;
}

int qaio_trigger_mode_parse(const char *name, qaio_trigger_mode *out)
{
    for (int i = 0; name && out && i < QAIO_TRIG_MODE_COUNT; i++)
        if (strcasecmp(name, mode_names[i]) == 0) {
            *out = (qaio_trigger_mode)i;
            return 0;
        }
    return QAIO_EINVAL;
}

const char *qaio_trigger_slope_name(qaio_trigger_slope s)
{
    return (unsigned)s < QAIO_SLOPE_COUNT ? slope_names[s] : NULL;
}

int qaio_trigger_slope_parse(const char *name, qaio_trigger_slope *out)
{
    for (int i = 0; name && out && i < QAIO_SLOPE_COUNT; i++)
        if (strcasecmp(name, slope_names[i]) == 0) {
            *out = (qaio_trigger_slope)i;
            return 0;
        }
    return QAIO_EINVAL;
}
