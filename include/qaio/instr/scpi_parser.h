/** qaio/instr/scpi_parser.h - the SCPI program-message parser: one line in,
 * a list of commands out. A pure function (no I/O, no allocation, no global
 * state), so it can be unit-tested table by table and fuzzed.
 *
 * Grammar (the IEEE 488.2 / SCPI subset qaio speaks):
 *   line    := unit (';' unit)*         optional trailing "\n" or "\r\n"
 *   unit    := header [ws+ arg (ws* ',' ws* arg)*] | empty
 *   header  := '*' mnemonic ['?']                      (common command)
 *            | [':'] mnemonic (':' mnemonic)* ['?']    (subsystem command)
 *   mnemonic:= letter (letter | digit | '_')*, at most 12 characters
 *   arg     := number | character data | "string" | 'string'
 * Whitespace (space, tab) may surround every unit and separator. Empty
 * units (";;", a lone ";") are ignored. Mnemonics keep the case they were
 * written in: matching (qaio_scpi_match) is case-insensitive and knows the
 * short and long forms.
 *
 * Header paths follow SCPI's rule for ';' chains: a header without a leading
 * ':' continues from the parent of the previous subsystem header in the same
 * line ("':TRIG:EDGE:LEV 0;SLOP POS'" sets :TRIG:EDGE:SLOP), a leading ':'
 * restarts at the root, and common commands ('*CLS') leave the path alone.
 * Commands come out with their full path.
 *
 * Errors: parsing stops at the first malformed unit. The commands before it
 * are returned (an instrument executes them, then reports the error, as
 * SCPI requires) along with the SCPI error number and a message.
 * @file
 * @ingroup scpi_parser
 */
/** @defgroup scpi_parser SCPI parser
 * @ingroup instr
 * @{ */
#ifndef QAIO_INSTR_SCPI_PARSER_H
#define QAIO_INSTR_SCPI_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include "qaio/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Bounds: a longer line is the server's business (-223); the rest make the
 * parse result a fixed-size struct. */
#define QAIO_SCPI_LINE_MAX 4096     /**< bytes of a program line, terminator excluded */
#define QAIO_SCPI_MAX_COMMANDS 32   /**< units per line */
#define QAIO_SCPI_MAX_DEPTH 6       /**< mnemonics per header */
#define QAIO_SCPI_MAX_ARGS 8        /**< arguments per unit */
#define QAIO_SCPI_MNEMONIC_MAX 12   /**< characters per mnemonic (SCPI 1999, 6.2.1) */

/** Standard SCPI error numbers (SCPI 1999 volume 2, chapter 21) used by the
 * parser, the server and the client driver. */
enum {
    QAIO_SCPI_ERR_COMMAND = -100,         /**< Command error */
    QAIO_SCPI_ERR_INVALID_CHAR = -101,    /**< Invalid character */
    QAIO_SCPI_ERR_SYNTAX = -102,          /**< Syntax error */
    QAIO_SCPI_ERR_SEPARATOR = -103,       /**< Invalid separator */
    QAIO_SCPI_ERR_DATA_TYPE = -104,       /**< Data type error */
    QAIO_SCPI_ERR_PARAM_NOT_ALLOWED = -108, /**< Parameter not allowed */
    QAIO_SCPI_ERR_MISSING_PARAM = -109,   /**< Missing parameter */
    QAIO_SCPI_ERR_HEADER_SEPARATOR = -111,/* Header separator error */
    QAIO_SCPI_ERR_MNEMONIC_LONG = -112,   /**< Program mnemonic too long */
    QAIO_SCPI_ERR_UNDEFINED_HEADER = -113,/* Undefined header */
    QAIO_SCPI_ERR_NUMERIC = -120,         /**< Numeric data error */
    QAIO_SCPI_ERR_INVALID_NUMBER = -121,  /**< Invalid character in number */
    QAIO_SCPI_ERR_SUFFIX = -130,          /**< Suffix error */
    QAIO_SCPI_ERR_INVALID_SUFFIX = -131,  /**< Invalid suffix */
    QAIO_SCPI_ERR_SUFFIX_LONG = -134,     /**< Suffix too long */
    QAIO_SCPI_ERR_STRING = -150,          /**< String data error */
    QAIO_SCPI_ERR_INVALID_STRING = -151,  /**< Invalid string data */
    QAIO_SCPI_ERR_BLOCK_NOT_ALLOWED = -168, /**< Block data not allowed */
    QAIO_SCPI_ERR_EXECUTION = -200,       /**< Execution error */
    QAIO_SCPI_ERR_SETTINGS_CONFLICT = -221, /**< Settings conflict */
    QAIO_SCPI_ERR_OUT_OF_RANGE = -222,    /**< Data out of range */
    QAIO_SCPI_ERR_TOO_MUCH_DATA = -223,   /**< Too much data */
    QAIO_SCPI_ERR_ILLEGAL_VALUE = -224,   /**< Illegal parameter value */
    QAIO_SCPI_ERR_OUT_OF_MEMORY = -225,   /**< Out of memory */
    QAIO_SCPI_ERR_DATA_STALE = -230,      /**< Data corrupt or stale */
    QAIO_SCPI_ERR_HARDWARE = -240,        /**< Hardware error */
    QAIO_SCPI_ERR_QUEUE_OVERFLOW = -350,  /**< Queue overflow */
    QAIO_SCPI_ERR_QUERY = -400,           /**< Query error */
    QAIO_SCPI_ERR_QUERY_INTERRUPTED = -410, /**< Query INTERRUPTED */
    QAIO_SCPI_ERR_QUERY_UNTERMINATED = -420 /**< Query UNTERMINATED */
};

/** The kinds of SCPI program data. */
typedef enum qaio_scpi_arg_type {
    QAIO_SCPI_ARG_NUMBER, /**< decimal numeric data: "-1.5e3", "+7", ".5", with
                           * an optional suffix: "1MHZ", "100mV", "5E-3 S"
                           * (text keeps the suffix, without the blank) */
    QAIO_SCPI_ARG_CHARS,  /**< character data: "CHAN1", "AUTO", "MAX" */
    QAIO_SCPI_ARG_STRING  /**< a quoted string, quotes removed, doubled quotes undone */
} qaio_scpi_arg_type;

/** One argument of a command. */
typedef struct qaio_scpi_arg {
    qaio_scpi_arg_type type; /**< its kind */
    const char *text; /**< NUL-terminated, inside the owning qaio_scpi_program */
} qaio_scpi_arg;

/** One command of a program message. */
typedef struct qaio_scpi_command {
    bool common;      /**< '*' header: node[0] is the mnemonic without the '*' */
    bool query;       /**< the header ended in '?' */
    unsigned depth;   /**< mnemonics in node[] (>= 1) */
    /** the header's mnemonics as written, NUL-terminated */
    char node[QAIO_SCPI_MAX_DEPTH][QAIO_SCPI_MNEMONIC_MAX + 1];
    unsigned nargs; /**< arguments in arg[] */
    qaio_scpi_arg arg[QAIO_SCPI_MAX_ARGS]; /**< the arguments */
} qaio_scpi_command;

/** A parsed line. Self-contained (argument text lives in store[]), so it may
 * be copied with memcpy only if the arg pointers are not used afterwards;
 * keep it where it was filled. About 8 KiB: not for small task stacks. */
typedef struct qaio_scpi_program {
    unsigned count;                 /**< commands parsed */
    qaio_scpi_command cmd[QAIO_SCPI_MAX_COMMANDS]; /**< the commands, in order */
    int error;                      /**< 0, or the SCPI error that stopped parsing */
    size_t error_pos;               /**< byte offset of the error in the line */
    char error_msg[96];             /**< e.g. "Syntax error;unexpected '@'" */
    /** private: where the argument text lives */
    char store[QAIO_SCPI_LINE_MAX + QAIO_SCPI_MAX_COMMANDS + 1];
} qaio_scpi_program;

/** Parses len bytes of line (not NUL-terminated; NUL bytes are invalid
 * characters) into *out, which is overwritten. Returns 0 when the whole line
 * parsed, or the SCPI error number (negative, also in out->error) when it
 * stopped early; out->count commands before the error are valid either way.
 * QAIO_SCPI_ERR_TOO_MUCH_DATA for a line over QAIO_SCPI_LINE_MAX or more
 * than QAIO_SCPI_MAX_COMMANDS units. QAIO_EINVAL (not a SCPI number) only
 * for a NULL out, or a NULL line with len > 0. Never reads outside
 * line[0..len). Any thread. */
int qaio_scpi_parse(const char *line, size_t len, qaio_scpi_program *out);

/** Does cmd's header match pattern? pattern is a header spelled the SCPI
 * way, ":WAVeform:DATA" or "*IDN": the upper-case letters of each mnemonic
 * are its short form, the whole mnemonic its long form, and the command
 * may use either, in any case. A node in brackets is optional
 * (":SYSTem:ERRor[:NEXT]"). The query flag is not compared. false for NULL.
 * Any thread. */
bool qaio_scpi_match(const qaio_scpi_command *cmd, const char *pattern);

/** Does one word (a mnemonic or character-data argument) match a
 * short/long-form pattern such as "CHANnel1" or "AVERage"? Trailing digits
 * of the pattern are a required suffix ("CHAN1", "channel1"). */
bool qaio_scpi_word_match(const char *word, const char *pattern);

/** Reads argument i of cmd as a number: decimal numeric data, or the
 * character data MINimum / MAXimum / DEFault (then *out is min / max / def).
 * A suffix (IEEE 488.2 7.7.3, SCPI-99 7.7.3; any case) is [multiplier]
 * [unit]: multipliers EX 1e18, PE 1e15, T 1e12, G 1e9, MA 1e6, K 1e3,
 * M 1e-3, U 1e-6, N 1e-9, P 1e-12, F 1e-15, A 1e-18; units S, HZ, V, A,
 * W, OHM, DB, DBM, PCT, DEG, RAD, CEL, K. "M" is milli, except in MHZ
 * and MOHM (mega hertz, mega ohm); a whole suffix that is a unit is that
 * unit (A ampere, K kelvin); else one that is a multiplier is that ("MA"
 * 1e6); else multiplier + unit ("MV" 1e-3, "US" 1e-6, "KHZ" 1e3). The
 * unit is not checked against the parameter's: that is the caller's.
 * Returns 0, QAIO_SCPI_ERR_MISSING_PARAM (no argument i),
 * QAIO_SCPI_ERR_DATA_TYPE (a string, or other character data),
 * QAIO_SCPI_ERR_INVALID_SUFFIX (a suffix of none of those forms),
 * QAIO_SCPI_ERR_NUMERIC (not finite). Any thread. */
int qaio_scpi_arg_number(const qaio_scpi_command *cmd, unsigned i, double min, double max,
                         double def, double *out);

/** The standard message of a SCPI error number ("Undefined header"),
 * "No error" for 0, "Unknown error" otherwise. Static. Any thread. */
const char *qaio_scpi_error_message(int scpi_err);

#ifdef __cplusplus
}
#endif
/** @} */
#endif
