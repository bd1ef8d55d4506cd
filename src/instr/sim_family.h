/* Internal to the SCPI simulator: what the personalities (sim_<family>.c)
 * do alike, on top of the handler helpers of scpi_session.h -- the
 * scaffolding of a handler that holds one setting (a number, a word, a
 * channel), the front panel's RUN / STOP / SINGLE, a number argument with
 * a unit suffix, and blocks with a fixed count of length digits. A
 * personality keeps its own words, formats and rules; these only spare
 * it the boilerplate around them.
 *
 * Not installed; the qaio__ names are not exported by libqaio-instr. */
#ifndef QAIO_SRC_INSTR_SIM_FAMILY_H
#define QAIO_SRC_INSTR_SIM_FAMILY_H

#include <stdbool.h>
#include <stddef.h>

#include "scpi_session.h"

/* What a setting handler does once the setting changed (put the family's
 * model onto the shared scope, snap to the knob's steps, ...). */
typedef void qaio__simf_then(qaio__scpi_session *s);

/* A number held in *field: the query answers it with fmt (one double
 * argument: "%e", "%.2E"); a setting takes a number in [min, max]
 * (DEFault: def) into *field, then calls then (NULL: nothing). 0, or the
 * session's fatal error. */
int qaio__simf_number(qaio__scpi_session *s, const qaio_scpi_command *c, double *field,
                      double min, double max, double def, const char *fmt, qaio__simf_then *then);

/* A choice of words (NULL-terminated) held as an index in *field: the
 * query answers the word's short form, a setting stores the index of the
 * word given, then calls then (NULL: nothing). */
int qaio__simf_word(qaio__scpi_session *s, const qaio_scpi_command *c, const char *const *words,
                    int *field, qaio__simf_then *then);

/* A channel held as 1, 2, ... in *ch, named by words ("CHANnel1",
 * "CHANnel2", ... NULL-terminated): as qaio__simf_word, the number being
 * the word's index + 1. */
int qaio__simf_channel(qaio__scpi_session *s, const qaio_scpi_command *c,
                       const char *const *words, unsigned *ch, qaio__simf_then *then);

/* The front panel's run control. RUN: acquiring continuously (a single
 * record armed is dropped). STOP: stopped; what was shown stays (a record
 * is taken if running left none held). SINGLE: stopped, one record armed
 * (qaio__sim_arm). STOP and SINGLE return 0 or a fatal error. */
void qaio__simf_run(qaio__scpi_session *s);
int qaio__simf_stop(qaio__scpi_session *s);
int qaio__simf_single(qaio__scpi_session *s);

/* The same as handlers of a command without arguments (a personality's
 * table may name them): RUN, STOP, SINGLE. */
int qaio__simf_h_run(qaio__scpi_session *s, const qaio_scpi_command *c);
int qaio__simf_h_stop(qaio__scpi_session *s, const qaio_scpi_command *c);
int qaio__simf_h_single(qaio__scpi_session *s, const qaio_scpi_command *c);

/* Argument i as a number in [min, max], also with the unit suffix the
 * parser does not know yet ("500mV", "1E-3S", "2.5MA" (mega), "10us",
 * "1k"): true, or false with the error queued (-109 missing, -104 not a
 * number, -222 out of range). */
bool qaio__simf_number_arg(qaio__scpi_session *s, const qaio_scpi_command *c, unsigned i,
                           double min, double max, double *v);

/* An IEEE 488.2 definite-length block header with digits length digits,
 * zero-padded ("#9000012000", as Rigol and Siglent write it; "#8..." the
 * InfiniiVision), appended to the response. */
int qaio__simf_block_header(qaio__scpi_session *s, size_t len, int digits);

/* n values of y as text (printf format fmt, one double argument, ','
 * between them) inside such a block. 0, QAIO_ENOMEM or a fatal error. */
int qaio__simf_put_ascii_block(qaio__scpi_session *s, const float *y, size_t n, const char *fmt,
                               int digits);

#endif
