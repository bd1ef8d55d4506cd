/* What the SCPI client driver (scpi_scope.c) decodes from an instrument's
 * answers: the settings line, the waveform preamble, the definite-length
 * block header and the block's samples. Pure functions over memory, kept
 * apart from the stream code so fuzz/ can drive them with any bytes. Not
 * installed; the qaio__ names are not exported by libqaio-instr. */
#ifndef QAIO_SCPI_DECODE_H
#define QAIO_SCPI_DECODE_H

#include <stddef.h>
#include "qaio/instr/scope.h"

/* ":WAVeform:PREamble?" fields the driver uses (scpi_server.h). */
typedef struct qaio__scpi_preamble {
    int format; /* 0 BYTE, 1 WORD, 4 ASCii, 8 REAL */
    size_t points;
    double xinc, xorg, xref, yinc, yorg, yref;
} qaio__scpi_preamble;

/* The words of the trigger modes and slopes, in enum order, as the
 * instrument answers them (first 4 and 3 characters). */
extern const char *const qaio__scpi_sweep_words[4];
extern const char *const qaio__scpi_slope_words[3];

/* Parses the answer to ":ACQ:POIN?;:ACQ:SRAT?;:TRIG:SWE?;:TRIG:EDGE:SLOP?;
 * :TRIG:EDGE:SOUR?;:TRIG:EDGE:LEV?" (text is modified) into *s, whose
 * other fields are kept. 0 or QAIO_EPROTO. */
int qaio__scpi_parse_settings(char *text, qaio_scope_settings *s);

/* Parses a NUL-terminated preamble ("format,type,points,count,xinc,xorg,
 * xref,yinc,yorg,yref"). 0 or QAIO_EPROTO. */
int qaio__scpi_parse_preamble(const char *text, qaio__scpi_preamble *p);

/* The block header "#<d>" (2 bytes): the digit count d (1..9), or
 * QAIO_EPROTO ("#0", the indefinite form, is refused). */
int qaio__scpi_block_digits(const char head[2]);

/* The block length from its d digits: 0, QAIO_EPROTO (not digits) or
 * QAIO_EMSGSIZE (over QAIO_SCPI_MAX_BLOCK). */
int qaio__scpi_block_length(const char *digits, int d, size_t *len);

/* Can a block of len bytes hold p->points values? (A binary block must be
 * exactly points values; an ASCii one needs two bytes a value.) The driver
 * asks before it sizes the record, so a preamble cannot make it allocate
 * more than 4 bytes of record per block byte. 0 or QAIO_EPROTO. */
int qaio__scpi_check_block(const qaio__scpi_preamble *p, size_t len);

/* The len block bytes as p->points volts into y. 0 or QAIO_EPROTO (a
 * length or a count that does not match the preamble, a bad number, a
 * field over 63 bytes). */
int qaio__scpi_convert(const qaio__scpi_preamble *p, const unsigned char *b, size_t len,
                       float *y);

#endif
