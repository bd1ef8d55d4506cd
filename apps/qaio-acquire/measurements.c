#include "measurements.h"

int print_measurements(FILE *f, const qaio_trace *t)
{
    int rc = 0;
    for (size_t c = 0; c < t->nch && rc >= 0; c++) {
        qaio_measurements m;
        qaio_measure_trace(t, c, &m); /* undefined values stay NaN */
        const char *u = t->y_unit, *x = t->x_unit;
        rc = fprintf(f,
                     "ch%d: vpp=%.6g %s min=%.6g %s max=%.6g %s mean=%.6g %s rms=%.6g %s "
                     "ac_rms=%.6g %s amplitude=%.6g %s top=%.6g %s base=%.6g %s frequency=%.6g Hz "
                     "period=%.6g %s\n",
                     t->channel[c] ? t->channel[c] : (int)c + 1, m.vpp, u, m.min, u, m.max, u, m.mean, u,
                     m.rms, u, m.ac_rms, u, m.amplitude, u, m.top, u, m.base, u, m.frequency, m.period, x);
    }
    return rc;
}
