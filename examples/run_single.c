/* Scope.run_single(avg) and SpecAn.run_single(avg): an averaged acquisition
 * started as a task, and its result read from plain code.
 *
 * Original: the instrument example of the design qaio started from (Python,
 * quamash and a MyFuture whose result() runs a nested Qt loop):
 *     v = asyncio.ensure_future(scope.run_single(avg))
 *     v.result()
 * and the same with SpecAn.run_single(avg), a spectrum analyzer.
 *
 * What differs: qaio_instrument_run_single() is ensure_future(): it starts
 * the acquisition task and returns its future at once. qaio_future_result()
 * is v.result(): called from main (not a task) it runs a nested Qt event
 * loop until the curve is there -- a timer keeps ticking meanwhile, which a
 * GUI would see as a window that keeps painting. The instruments are
 * libqaio-instr's simulations: a two-channel scope whose input is a 1 Vpk
 * 10 kHz sine with harmonics and noise, and a spectrum analyzer (Hann
 * window, dBV) fed by that scope.
 */
#include <math.h>
#include <stdio.h>
#include <qaio.h>
#include <qaio/instr.h>

static int ticks;
static qaio_loop *loop;

static void tick(void *arg)
{
    (void)arg;
    ticks++;
    qaio_call_later(loop, 0.005, tick, NULL);
}

static size_t peak_index(const float *y, size_t n)
{
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (y[i] > y[best])
            best = i;
    return best;
}

int main(void)
{
    loop = qaio_loop_get();
    qaio_scope_settings ss;
    qaio_scope_settings_default(&ss);
    ss.points = 1024;
    ss.rate = 1.024e6; /* 1 kHz bins: the 10 kHz tone sits on bin 10 */
    qaio_instrument *scope = qaio_scope_new(loop, &ss);
    qaio_instrument *specan = qaio_spectrum_analyzer_new(scope, NULL);
    if (!scope || !specan)
        return 1;
    qaio_call_soon(loop, tick, NULL);

    /* v = ensure_future(scope.run_single(64)); v.result() */
    qaio_future *v = qaio_instrument_run_single(scope, 64);
    qaio_trace *curve;
    int err = qaio_future_result(v, (void **)&curve); /* nested loop */
    if (!err) {
        size_t i = peak_index(curve->y[0], curve->n);
        printf("scope: %u averages of %zu points, peak %.3f %s at %.1f us; "
               "the loop ticked %d times meanwhile\n",
               curve->averages, curve->n, curve->y[0][i], curve->y_unit,
               qaio_trace_x(curve, i) * 1e6, ticks);
    }
    qaio_future_unref(v); /* frees the curve */

    /* The same for the spectrum analyzer. */
    ticks = 0;
    if (!err) {
        v = qaio_instrument_run_single(specan, 16);
        err = qaio_future_result(v, (void **)&curve);
        if (!err) {
            size_t i = peak_index(curve->y[0], curve->n);
            printf("spectrum: %u averages, %zu bins, peak at %.0f Hz, %.2f %s, RBW %.0f Hz; "
                   "the loop ticked %d times meanwhile\n",
                   curve->averages, curve->n, qaio_trace_x(curve, i), curve->y[0][i],
                   curve->y_unit, curve->enbw_hz, ticks);
        }
        qaio_future_unref(v);
    }
    if (err)
        fprintf(stderr, "run_single: %s\n", qaio_strerror(err));
    qaio_instrument_free(specan);
    qaio_instrument_free(scope);
    qaio_loop_close(loop);
    return err ? 1 : 0;
}
