/* Built against an installed libqaio-instr (find_package(qaio COMPONENTS
 * instr) and pkg-config qaio-instr): its headers are self-contained C11 and
 * the library, with its FFT backend, links and runs. A DC input of 1 gives
 * bin 0 = n and nothing elsewhere. */
#include <qaio.h>
#include <qaio/instr.h>
#include <math.h>
#include <stdio.h>

int main(void)
{
    enum { N = 64 };
    qaio_fft *fft = NULL;
    int err = qaio_fft_new(N, &fft);
    if (err) {
        printf("consumer_instr: qaio_fft_new: %s\n", qaio_err_name(err));
        return 1;
    }
    float *in = qaio_fft_input(fft);
    for (int i = 0; i < N; i++)
        in[i] = 1.0f;
    qaio_fft_execute(fft);
    const qaio_cpx *out = qaio_fft_output(fft);
    int ok = fabsf(out[0].re - N) < 1e-3f && fabsf(out[1].re) < 1e-3f;
    printf("consumer_instr: %s bin0 %.1f, libqaio %s\n", qaio_fft_backend(), out[0].re,
           qaio_version_string());
    qaio_fft_free(fft);
    return ok ? 0 : 1;
}
