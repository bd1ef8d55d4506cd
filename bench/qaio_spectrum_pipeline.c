/* spectrum_pipeline / spectrum_processing, qaio: traces per second through
 * libqaio-instr's spectrum analyzer path, for one record size.
 *
 *   --mode pipeline-<size>    simulated acquisition + processing: each trace
 *                             generates the next <size> points of the default
 *                             signal (QAIO_SIGNAL_DEFAULT at 1 MHz, on one
 *                             endless stream as the simulated scope does, but
 *                             without the scope's real-time sleep), then
 *                             qaio_averager_add on a default spectrum averager
 *                             (Hann window + r2c FFT + power average, weights
 *                             1/k)
 *   --mode processing-<size>  qaio_averager_add alone, on one fixed record
 *
 * <size> is 1024, 16384 or 65536 (any even size >= 4 works). N = traces per
 * repetition. The averager's plan and buffers are made by one untimed add
 * first. Built twice: against the library's FFT backend (impl qaio/fftw
 * unless configured otherwise) and against a KissFFT build of the spectrum
 * sources (qaio/kissfft); the label comes from qaio_fft_backend(). */
#include <qaio/instr.h>

#include "bench.h"

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv, 0, 8);
    const char *mode = o.mode ? o.mode : "pipeline-16384";
    int pipeline = strncmp(mode, "pipeline-", 9) == 0;
    if (!pipeline && strncmp(mode, "processing-", 11) != 0)
        return fprintf(stderr, "--mode pipeline-<size>|processing-<size>\n"), 2;
    long size = strtol(strchr(mode, '-') + 1, NULL, 10);
    if (size < 4 || size % 2)
        return fprintf(stderr, "size must be even and >= 4\n"), 2;
    if (o.n == 0) /* ~0.1-1 s per repetition on the 2-vCPU VM */
        o.n = (pipeline ? (1L << 22) : (1L << 27)) / size;

    const double fs = 1e6;
    qaio_trace *rec = qaio_trace_new((size_t)size, 1);
    qaio_signal *sig = NULL;
    qaio_spectrum_settings set;
    qaio_spectrum_settings_default(&set);
    qaio_averager *av = qaio_spectrum_averager_new(&set);
    if (!rec || !av || qaio_signal_parse(QAIO_SIGNAL_DEFAULT, &sig, NULL, 0))
        return fprintf(stderr, "setup failed\n"), 1;
    rec->dx = 1 / fs;
    uint64_t pos = 0; /* the stream position, as the scope keeps it */
    qaio_signal_generate(sig, 1, pos, fs, rec->y[0], (size_t)size);
    pos += (uint64_t)size;
    if (qaio_averager_add(av, rec, 1)) /* plan and buffers made here, untimed */
        return fprintf(stderr, "averager_add failed\n"), 1;

    double rate[BENCH_MAX_REPS];
    for (int r = 0; r < o.reps; r++) {
        unsigned k = 0;
        int64_t t0 = bench_now_ns();
        for (long i = 0; i < o.n; i++) {
            if (pipeline) {
                qaio_signal_generate(sig, 1, pos, fs, rec->y[0], (size_t)size);
                pos += (uint64_t)size;
            }
            qaio_averager_add(av, rec, 1.0 / ++k);
        }
        rate[r] = (double)o.n / ((double)(bench_now_ns() - t0) / 1e9);
    }
    char fig[64], impl[32];
    snprintf(fig, sizeof fig, "spectrum_%s_n%ld", pipeline ? "pipeline" : "processing", size);
    snprintf(impl, sizeof impl, "qaio/%s", qaio_fft_backend());
    bench_report(fig, impl, o.n, rate, o.reps, "traces/s", "points=%ld window=hann avg=power", size);
    qaio_averager_free(av);
    qaio_signal_free(sig);
    qaio_trace_free(rec);
    return 0;
}
