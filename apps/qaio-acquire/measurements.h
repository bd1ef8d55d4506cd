/* qaio-acquire --measure: the scope's automatic measurements, one line per
 * channel. */
#ifndef QAIO_ACQUIRE_MEASUREMENTS_H
#define QAIO_ACQUIRE_MEASUREMENTS_H

#include <stdio.h>
#include <qaio/instr.h>

/* Writes one line per channel of t (a scope record: volts over seconds) to
 * f, "ch1: vpp=2 V min=-1 V ... frequency=10000 Hz period=0.0001 s", each
 * value %.6g ("nan" where undefined, e.g. no frequency for DC), in the
 * order of measure.h. Returns what fprintf last returned (< 0 on error). */
int print_measurements(FILE *f, const qaio_trace *t);

#endif
