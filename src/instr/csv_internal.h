/* Shared by the CSV writer (csv.c) and reader (csv_read.c): the spelling
 * of units in column names, and what a setting's key may contain. */
#ifndef QAIO_CSV_INTERNAL_H
#define QAIO_CSV_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

/* "dBm/Hz" -> "dBm_Hz", "V/sqrt(Hz)" -> "V_rtHz", "V^2" -> "V2"; cut to cap. */
void qaio__csv_unit_to_column(const char *unit, char *out, size_t cap);
/* The inverse for the units qaio writes; anything else is kept as written. */
void qaio__csv_column_to_unit(const char *col, char *out, size_t cap);
/* Letters, digits, '_', '.', '-'; at least one. */
bool qaio__csv_key_ok(const char *key, size_t len);

#endif
