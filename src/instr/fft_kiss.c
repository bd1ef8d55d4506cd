/* The FFT on KissFFT (BSD-3-Clause): kiss_fftr, float. KissFFT keeps no
 * global state, so plans need no lock. */
#include "qaio/instr/fft.h"

#include <kiss_fftr.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(kiss_fft_cpx) == sizeof(qaio_cpx), "kiss_fft_cpx is two floats");

struct qaio_fft {
    size_t n;
    float *in;
    kiss_fft_cpx *out;
    kiss_fftr_cfg cfg;
};

int qaio_fft_new(size_t n, qaio_fft **out)
{
    if (!out || n < 2 || n % 2 || n > (size_t)1 << 30)
        return QAIO_EINVAL;
    *out = NULL;
    qaio_fft *f = calloc(1, sizeof *f);
    if (!f)
        return QAIO_ENOMEM;
    f->n = n;
    f->in = calloc(n, sizeof *f->in);
    f->out = calloc(n / 2 + 1, sizeof *f->out);
    f->cfg = kiss_fftr_alloc((int)n, 0, NULL, NULL);
    if (!f->in || !f->out || !f->cfg) {
        qaio_fft_free(f);
        return QAIO_ENOMEM;
    }
    *out = f;
    return 0;
}

void qaio_fft_execute(qaio_fft *f)
{
    if (f)
        kiss_fftr(f->cfg, f->in, f->out);
}

void qaio_fft_free(qaio_fft *f)
{
    if (!f)
        return;
    if (f->cfg)
        kiss_fftr_free(f->cfg);
    free(f->in);
    free(f->out);
    free(f);
}

float *qaio_fft_input(qaio_fft *f) { return f ? f->in : NULL; }
const qaio_cpx *qaio_fft_output(const qaio_fft *f) { return f ? (const qaio_cpx *)f->out : NULL; }
size_t qaio_fft_size(const qaio_fft *f) { return f ? f->n : 0; }
const char *qaio_fft_backend(void) { return "kissfft"; }
