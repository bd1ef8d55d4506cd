/* my_coroutine(n): a scope and a network analyzer asked at the same time,
 * n times, and both curves summed.
 *
 * Original: my_coroutine(n) of the design qaio started from (Python on
 * quamash): each of n rounds starts scope.run_single() and na.run_single()
 * with ensure_future, awaits both, and adds each curve to its sum -- the
 * two instruments work at the same time instead of one after the other.
 *
 * What differs: the two acquisitions of a round are qaio_gather()ed; the
 * sums are kept per instrument (a scope record in volts and a network
 * analyzer sweep in dB and degrees do not add up into one curve) and
 * divided by n at the end. The same rounds are then run one instrument
 * after the other, to print what running them together saved. The
 * instruments are libqaio-instr's simulations, with 20 ms of latency each.
 */
#include <stdio.h>
#include <qaio.h>
#include <qaio/instr.h>

typedef struct {
    qaio_instrument *scope, *na;
    int n;
    bool together;
    qaio_trace *sum[2]; /* scope, NA */
} job;

/* sum += curve (the first curve is copied, axis and units included). */
static int add_curve(qaio_trace **sum, const qaio_trace *curve)
{
    if (!*sum)
        return (*sum = qaio_trace_copy(curve)) ? 0 : QAIO_ENOMEM;
    for (size_t c = 0; c < curve->nch; c++)
        for (size_t i = 0; i < curve->n; i++)
            (*sum)->y[c][i] += curve->y[c][i];
    return 0;
}

static int my_coroutine(void *arg, qaio_future *self)
{
    (void)self;
    job *j = arg;
    int err = 0;
    for (int round = 0; round < j->n && !err; round++) {
        qaio_future *f[2] = {qaio_instrument_run_single(j->scope, 4), NULL};
        if (!j->together) /* one after the other: wait before starting the NA */
            err = qaio_await(f[0], NULL);
        f[1] = qaio_instrument_run_single(j->na, 2);
        qaio_future *both = f[0] && f[1] ? qaio_gather(f, 2) : NULL;
        void *value;
        if (!err)
            err = both ? qaio_await(both, &value) : QAIO_ENOMEM;
        for (int i = 0; i < 2 && !err; i++)
            err = add_curve(&j->sum[i], ((qaio_trace **)value)[i]);
        qaio_future_unref(both);
        qaio_future_unref(f[0]);
        qaio_future_unref(f[1]);
    }
    return err;
}

int main(void)
{
    qaio_loop *loop = qaio_loop_get();
    qaio_scope_settings ss;
    qaio_scope_settings_default(&ss);
    ss.latency_s = 0.02;
    qaio_na_settings ns;
    qaio_na_settings_default(&ns);
    ns.latency_s = 0.02;
    job j = {qaio_scope_new(loop, &ss), qaio_na_new(loop, &ns), 3, true, {NULL, NULL}};
    if (!j.scope || !j.na)
        return 1;

    double t0 = qaio_loop_time(loop);
    int err = qaio_run(my_coroutine, &j, NULL);
    double together = qaio_loop_time(loop) - t0;
    if (!err) {
        for (int i = 0; i < 2; i++) /* the sums, made means */
            for (size_t c = 0; c < j.sum[i]->nch; c++)
                for (size_t k = 0; k < j.sum[i]->n; k++)
                    j.sum[i]->y[c][k] /= j.n;
        float peak = 0;
        for (size_t k = 0; k < j.sum[0]->n; k++)
            peak = j.sum[0]->y[0][k] > peak ? j.sum[0]->y[0][k] : peak;
        double f0 = 0, q = 0;
        err = qaio_na_fit_resonance(j.sum[1], &f0, &q);
        printf("%d rounds: scope peak %.2f V, resonance at %.2f kHz, Q %.0f\n", j.n, peak,
               f0 / 1e3, q);
    }
    for (int i = 0; i < 2; i++) {
        qaio_trace_free(j.sum[i]);
        j.sum[i] = NULL;
    }

    j.together = false;
    t0 = qaio_loop_time(loop);
    if (!err)
        err = qaio_run(my_coroutine, &j, NULL);
    double apart = qaio_loop_time(loop) - t0;
    if (!err)
        printf("together: %.2f s, one after the other: %.2f s (%s)\n", together, apart,
               together < apart ? "faster together" : "NOT faster together");
    for (int i = 0; i < 2; i++)
        qaio_trace_free(j.sum[i]);
    qaio_instrument_free(j.na);
    qaio_instrument_free(j.scope);
    qaio_loop_close(loop);
    if (err)
        fprintf(stderr, "my_coroutine: %s\n", qaio_strerror(err));
    return err ? 1 : 0;
}
