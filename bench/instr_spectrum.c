/* instr_spectrum: spectrum-analyzer processing speed without acquisition.
 * For each N in 1k, 16k, 64k: traces/s through qaio_averager_add (Hann
 * window + r2c FFT + power average into preallocated buffers) and, as the
 * reference, a bare FFTW r2c of the same size on a MEASURE plan. One line.
 * Not wired into bench/CMakeLists.txt; build by hand:
 *   cc -O2 -Iinclude bench/instr_spectrum.c -Lbuild/src/instr -lqaio-instr \
 *      -Lbuild/src -lqaio $(pkg-config --libs fftw3f) -lm -o instr_spectrum */
#include <fftw3.h>
#include <math.h>
#include <stdio.h>
#include <time.h>

#include "qaio/instr.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs fn until 0.3 s passed; returns calls per second. */
#define RATE(stmt)                                                                   \
    ({                                                                               \
        long calls_ = 0;                                                             \
        double t0_ = now(), t_;                                                      \
        do {                                                                         \
            for (int i_ = 0; i_ < 64; i_++) {                                        \
                stmt;                                                                \
            }                                                                        \
            calls_ += 64;                                                            \
        } while ((t_ = now()) - t0_ < 0.3);                                          \
        calls_ / (t_ - t0_);                                                         \
    })

int main(void)
{
    size_t sizes[] = {1024, 16384, 65536};
    printf("instr_spectrum fft=%s", qaio_fft_backend());
    for (size_t s = 0; s < 3; s++) {
        size_t n = sizes[s];
        qaio_trace *rec = qaio_trace_new(n, 1);
        rec->dx = 1e-6;
        qaio_signal *sig;
        qaio_signal_parse(QAIO_SIGNAL_DEFAULT, &sig, NULL, 0);
        qaio_signal_generate(sig, 1, 0, 1e6, rec->y[0], n);
        qaio_signal_free(sig);
        qaio_spectrum_settings set;
        qaio_spectrum_settings_default(&set);
        qaio_averager *av = qaio_spectrum_averager_new(&set);
        qaio_averager_add(av, rec, 1); /* plan made here, outside the timing */
        unsigned k = 1;
        double ours = RATE(qaio_averager_add(av, rec, 1.0 / (++k)));

        float *in = fftwf_alloc_real(n);
        fftwf_complex *out = fftwf_alloc_complex(n / 2 + 1);
        fftwf_plan p = fftwf_plan_dft_r2c_1d((int)n, in, out, FFTW_MEASURE);
        for (size_t i = 0; i < n; i++)
            in[i] = rec->y[0][i];
        double bare = RATE(fftwf_execute(p));
        printf("  n=%zu traces/s=%.0f bare_r2c/s=%.0f ratio=%.2f", n, ours, bare, bare / ours);
        fftwf_destroy_plan(p);
        fftwf_free(in);
        fftwf_free(out);
        qaio_averager_free(av);
        qaio_trace_free(rec);
    }
    printf("\n");
    return 0;
}
