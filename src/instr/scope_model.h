/* Internal to libqaio-instr: the numbers of an oscilloscope's model that
 * the drivers (scope_<family>.c) and the simulator personalities
 * (sim_<family>.c) share -- the knob sequences (1-2-5, 1-2-4, 1-2-2.5-5
 * x 10^k) and the nearest of a list of values (record lengths, memory
 * depths). Pure functions of their arguments: no state, no I/O.
 *
 * "Nearest" is in ratio (the smallest |log(v / x)|), as a knob is: 3 is
 * nearer to 5 than to 2 (5/3 < 3/2), and on a tie the lower value wins.
 * Every v must be positive and finite.
 *
 * Not installed; the qaio__ names are not exported by libqaio-instr.
 */
#ifndef QAIO_SRC_INSTR_SCOPE_MODEL_H
#define QAIO_SRC_INSTR_SCOPE_MODEL_H

#include <stddef.h>

/* A step sequence: its mantissas in [1, 10), ascending, repeated in every
 * decade. */
typedef struct qaio__steps {
    const double *m;
    size_t n;
} qaio__steps;

extern const qaio__steps qaio__steps_125;  /* 1, 2, 5 x 10^k: most time and volt knobs */
extern const qaio__steps qaio__steps_124;  /* 1, 2, 4 x 10^k: many Tektronix scales */
extern const qaio__steps qaio__steps_1225; /* 1, 2, 2.5, 5 x 10^k: InfiniiVision rates */

/* The step of s nearest to v (in ratio). */
double qaio__step_nearest(const qaio__steps *s, double v);

/* The step of s nearest to v within [lo, hi]; lo and hi are steps of s. */
double qaio__step_nearest_in(const qaio__steps *s, double v, double lo, double hi);

/* The largest step of s at or below v, and the smallest at or above it.
 * A relative 1e-9 of slack either way, so that a value computed as
 * 4.9999999999e6 still counts as the step 5e6. */
double qaio__step_floor(const qaio__steps *s, double v);
double qaio__step_ceil(const qaio__steps *s, double v);

/* The 1-2-5 value nearest to v: qaio__step_nearest(&qaio__steps_125, v). */
double qaio__nearest_125(double v);

/* The index of the value of values[0..n-1] (n >= 1, positive) nearest
 * to v (in ratio); the first on a tie. */
size_t qaio__nearest_index(const double *values, size_t n, double v);

#endif
