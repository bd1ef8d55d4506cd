/* The FFT on FFTW3 (single precision, r2c). FFTW's planner keeps global
 * state and is not thread-safe, so planning and destroying plans happen
 * under one mutex; executing a plan needs no lock. Wisdom accumulates in
 * the process, and in the file QAIO_FFTW_WISDOM names (if set). */
#include "qaio/instr/fft.h"

#include <fftw3.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct qaio_fft {
    size_t n;
    float *in;
    fftwf_complex *out;
    fftwf_plan plan;
};

static pthread_mutex_t planner_lock = PTHREAD_MUTEX_INITIALIZER;
static bool wisdom_loaded;

static unsigned planner_flags(void)
{
    const char *e = getenv("QAIO_FFTW_PLANNER");
    if (e && strcmp(e, "estimate") == 0)
        return FFTW_ESTIMATE;
    if (e && strcmp(e, "patient") == 0)
        return FFTW_PATIENT;
    return FFTW_MEASURE;
}

int qaio_fft_new(size_t n, qaio_fft **out)
{
    if (!out || n < 2 || n % 2 || n > (size_t)1 << 30)
        return QAIO_EINVAL;
    *out = NULL;
    qaio_fft *f = calloc(1, sizeof *f);
    if (!f)
        return QAIO_ENOMEM;
    f->n = n;
    f->in = fftwf_alloc_real(n);
    f->out = fftwf_alloc_complex(n / 2 + 1);
    if (!f->in || !f->out) {
        qaio_fft_free(f);
        return QAIO_ENOMEM;
    }
    pthread_mutex_lock(&planner_lock);
    const char *wisdom = getenv("QAIO_FFTW_WISDOM");
    if (wisdom && *wisdom && !wisdom_loaded) {
        fftwf_import_wisdom_from_filename(wisdom); /* a missing file is fine */
        wisdom_loaded = true;
    }
    /* Planning with MEASURE scribbles on the buffers: they are ours. */
    unsigned flags = planner_flags();
    f->plan = fftwf_plan_dft_r2c_1d((int)n, f->in, f->out, flags | FFTW_WISDOM_ONLY);
    bool fresh = !f->plan;
    if (fresh)
        f->plan = fftwf_plan_dft_r2c_1d((int)n, f->in, f->out, flags);
    if (fresh && f->plan && wisdom && *wisdom)
        fftwf_export_wisdom_to_filename(wisdom);
    pthread_mutex_unlock(&planner_lock);
    if (!f->plan) {
        qaio_fft_free(f);
        return QAIO_ENOMEM;
    }
    memset(f->in, 0, n * sizeof(float));
    *out = f;
    return 0;
}

void qaio_fft_execute(qaio_fft *f)
{
    if (f)
        fftwf_execute(f->plan);
}

void qaio_fft_free(qaio_fft *f)
{
    if (!f)
        return;
    pthread_mutex_lock(&planner_lock);
    if (f->plan)
        fftwf_destroy_plan(f->plan);
    pthread_mutex_unlock(&planner_lock);
    fftwf_free(f->in);
    fftwf_free(f->out);
    free(f);
}

float *qaio_fft_input(qaio_fft *f) { return f ? f->in : NULL; }
const qaio_cpx *qaio_fft_output(const qaio_fft *f) { return f ? (const qaio_cpx *)f->out : NULL; }
size_t qaio_fft_size(const qaio_fft *f) { return f ? f->n : 0; }
const char *qaio_fft_backend(void) { return "fftw"; }
