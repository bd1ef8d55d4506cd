/* spectrum_processing, the reference: a bare FFTW r2c (single precision,
 * FFTW_MEASURE plan, as qaio's FFTW backend makes by default) of the same
 * size on a fixed record of the default signal: only the transform, no
 * window, no |X|^2, no average. --mode processing-<size>; N = transforms
 * per repetition; transforms/s reported as traces/s. */
#include <fftw3.h>
#include <qaio/instr.h>

#include "bench.h"

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv, 0, 8);
    const char *mode = o.mode ? o.mode : "processing-16384";
    if (strncmp(mode, "processing-", 11) != 0)
        return fprintf(stderr, "--mode processing-<size>\n"), 2;
    long size = strtol(mode + 11, NULL, 10);
    if (size < 4 || size % 2)
        return fprintf(stderr, "size must be even and >= 4\n"), 2;
    if (o.n == 0)
        o.n = (1L << 27) / size;

    float *in = fftwf_alloc_real((size_t)size);
    fftwf_complex *out = fftwf_alloc_complex((size_t)size / 2 + 1);
    /* The same wisdom file as qaio's backend (bench/run sets it), so both
     * execute the same plan rather than two MEASURE draws. */
    const char *wisdom = getenv("QAIO_FFTW_WISDOM");
    if (wisdom && *wisdom)
        fftwf_import_wisdom_from_filename(wisdom);
    fftwf_plan p = fftwf_plan_dft_r2c_1d((int)size, in, out, FFTW_MEASURE); /* clobbers in */
    if (wisdom && *wisdom)
        fftwf_export_wisdom_to_filename(wisdom);
    qaio_signal *sig = NULL;
    if (!in || !out || !p || qaio_signal_parse(QAIO_SIGNAL_DEFAULT, &sig, NULL, 0))
        return fprintf(stderr, "setup failed\n"), 1;
    qaio_signal_generate(sig, 1, 0, 1e6, in, (size_t)size);
    fftwf_execute(p);

    double rate[BENCH_MAX_REPS];
    for (int r = 0; r < o.reps; r++) {
        int64_t t0 = bench_now_ns();
        for (long i = 0; i < o.n; i++)
            fftwf_execute(p);
        rate[r] = (double)o.n / ((double)(bench_now_ns() - t0) / 1e9);
    }
    char fig[64];
    snprintf(fig, sizeof fig, "spectrum_processing_n%ld", size);
    bench_report(fig, "fftw/r2c", o.n, rate, o.reps, "traces/s", "points=%ld plan=measure", size);
    qaio_signal_free(sig);
    fftwf_destroy_plan(p);
    fftwf_free(in);
    fftwf_free(out);
    return 0;
}
