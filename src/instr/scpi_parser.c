/* The SCPI line parser: a hand-written scanner over a bounded buffer. Every
 * read is checked against the end, so any byte sequence is safe input. */
#include "qaio/instr/scpi_parser.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct scan {
    const char *p, *end, *start;
    qaio_scpi_program *out;
    size_t used; /* bytes of out->store in use */
} scan;

static bool is_ws(char c) { return c == ' ' || c == '\t'; }

static void skip_ws(scan *s)
{
    while (s->p < s->end && is_ws(*s->p))
        s->p++;
}

static int fail(scan *s, int err, const char *why)
{
    qaio_scpi_program *o = s->out;
    o->error = err;
    o->error_pos = (size_t)(s->p - s->start);
    snprintf(o->error_msg, sizeof o->error_msg, "%s;%s", qaio_scpi_error_message(err), why);
    return err;
}

/* Copies one mnemonic into dst; s->p is on its first character. */
static int mnemonic(scan *s, char *dst)
{
    if (s->p >= s->end || !isalpha((unsigned char)*s->p))
        return fail(s, QAIO_SCPI_ERR_SYNTAX, "mnemonic expected");
    size_t n = 0;
    while (s->p < s->end && (isalnum((unsigned char)*s->p) || *s->p == '_')) {
        if (n == QAIO_SCPI_MNEMONIC_MAX)
            return fail(s, QAIO_SCPI_ERR_MNEMONIC_LONG, "over 12 characters");
        dst[n++] = *s->p++;
    }
    dst[n] = 0;
    return 0;
}

static char *store_alloc(scan *s, size_t n)
{
    if (s->used + n > sizeof s->out->store)
        return NULL;
    char *d = s->out->store + s->used;
    s->used += n;
    return d;
}

/* Decimal numeric program data: [+-] digits [. digits] [e [+-] digits]. */
static int number(scan *s, qaio_scpi_arg *a)
{
    const char *b = s->p;
    const char *q = b;
    if (q < s->end && (*q == '+' || *q == '-'))
        q++;
    size_t digits = 0;
    while (q < s->end && isdigit((unsigned char)*q))
        q++, digits++;
    if (q < s->end && *q == '.') {
        q++;
        while (q < s->end && isdigit((unsigned char)*q))
            q++, digits++;
    }
    if (!digits) {
        s->p = q;
        return fail(s, QAIO_SCPI_ERR_INVALID_NUMBER, "digits expected");
    }
    bool exponent = false;
    if (q < s->end && (*q == 'e' || *q == 'E')) {
        const char *e = q + 1;
        if (e < s->end && (*e == '+' || *e == '-'))
            e++;
        size_t ed = 0;
        while (e < s->end && isdigit((unsigned char)*e))
            e++, ed++;
        if (ed)
            q = e, exponent = true;
        else if (e > q + 1 || !(e < s->end && isalpha((unsigned char)*e)) ) {
            /* "1E", "1E+": no exponent, and no suffix either ("1EX" is
             * exa, a suffix). */
            s->p = e;
            return fail(s, QAIO_SCPI_ERR_INVALID_NUMBER, "exponent digits expected");
        }
    }
    /* A suffix ("10kHz", "5E-3 S"): letters, after optional blanks. */
    const char *num_end = q, *suf = q;
    while (suf < s->end && (*suf == ' ' || *suf == '\t'))
        suf++;
    const char *suf_end = suf;
    while (suf_end < s->end && isalpha((unsigned char)*suf_end))
        suf_end++;
    if (suf_end == suf)
        suf = suf_end = num_end; /* no suffix: the blanks are the separator's */
    else if (suf_end - suf > QAIO_SCPI_MNEMONIC_MAX) {
        s->p = suf;
        return fail(s, QAIO_SCPI_ERR_SUFFIX_LONG, "suffix over 12 characters");
    } else if (suf_end - suf == 1 && (*suf == 'e' || *suf == 'E') && !exponent) {
        /* ".5 E" is no suffix (none is a lone E) but an exponent without
         * digits; stored as ".5E" it would read differently again. */
        s->p = suf;
        return fail(s, QAIO_SCPI_ERR_INVALID_NUMBER, "exponent digits expected");
    }
    q = suf_end;
    if (q < s->end && (isalnum((unsigned char)*q) || *q == '_' || *q == '.')) {
        s->p = q;
        return fail(s, QAIO_SCPI_ERR_INVALID_NUMBER, "unexpected character in number");
    }
    size_t n = (size_t)(num_end - b), ns = (size_t)(suf_end - suf);
    char *d = store_alloc(s, n + ns + 1);
    if (!d)
        return fail(s, QAIO_SCPI_ERR_TOO_MUCH_DATA, "arguments too long");
    memcpy(d, b, n);
    memcpy(d + n, suf, ns);
    d[n + ns] = 0;
    a->type = QAIO_SCPI_ARG_NUMBER;
    a->text = d;
    s->p = q;
    return 0;
}

static int string(scan *s, qaio_scpi_arg *a)
{
    char quote = *s->p++;
    /* The unquoted text is never longer than the quoted one. */
    char *d = store_alloc(s, (size_t)(s->end - s->p) + 1);
    if (!d)
        return fail(s, QAIO_SCPI_ERR_TOO_MUCH_DATA, "arguments too long");
    size_t n = 0;
    for (;;) {
        if (s->p >= s->end)
            return fail(s, QAIO_SCPI_ERR_INVALID_STRING, "unterminated string");
        char c = *s->p++;
        if (c == quote) {
            if (s->p < s->end && *s->p == quote) {
                d[n++] = quote;
                s->p++;
                continue;
            }
            break;
        }
        if (c == 0)
            return fail(s, QAIO_SCPI_ERR_INVALID_CHAR, "NUL in string");
        d[n++] = c;
    }
    d[n] = 0;
    /* Give back what the quotes and doubled quotes did not need. */
    s->used = (size_t)(d - s->out->store) + n + 1;
    a->type = QAIO_SCPI_ARG_STRING;
    a->text = d;
    return 0;
}

static int argument(scan *s, qaio_scpi_arg *a)
{
    char c = *s->p;
    if (c == '"' || c == '\'')
        return string(s, a);
    if (c == '#')
        return fail(s, QAIO_SCPI_ERR_BLOCK_NOT_ALLOWED, "no command takes block data");
    if (isdigit((unsigned char)c) || c == '+' || c == '-' || c == '.')
        return number(s, a);
    if (isalpha((unsigned char)c)) {
        const char *b = s->p;
        while (s->p < s->end && (isalnum((unsigned char)*s->p) || *s->p == '_'))
            s->p++;
        size_t n = (size_t)(s->p - b);
        if (n > QAIO_SCPI_MNEMONIC_MAX)
            return fail(s, QAIO_SCPI_ERR_MNEMONIC_LONG, "character data over 12 characters");
        char *d = store_alloc(s, n + 1);
        if (!d)
            return fail(s, QAIO_SCPI_ERR_TOO_MUCH_DATA, "arguments too long");
        memcpy(d, b, n);
        d[n] = 0;
        a->type = QAIO_SCPI_ARG_CHARS;
        a->text = d;
        return 0;
    }
    return fail(s, c == 0 || !isprint((unsigned char)c) ? QAIO_SCPI_ERR_INVALID_CHAR
                                                         : QAIO_SCPI_ERR_SYNTAX,
                "argument expected");
}

/* One program message unit; `path` is the current header path (depth
 * *pdepth) and is updated as SCPI's ';' rule says. */
static int unit(scan *s, char path[][QAIO_SCPI_MNEMONIC_MAX + 1], unsigned *pdepth)
{
    qaio_scpi_program *o = s->out;
    if (o->count == QAIO_SCPI_MAX_COMMANDS)
        return fail(s, QAIO_SCPI_ERR_TOO_MUCH_DATA, "too many commands in one line");
    qaio_scpi_command *c = &o->cmd[o->count];
    memset(c, 0, sizeof *c);
    if (*s->p == '*') {
        s->p++;
        c->common = true;
        c->depth = 1;
        int err = mnemonic(s, c->node[0]);
        if (err)
            return err;
    } else {
        unsigned base = 0;
        if (*s->p == ':')
            s->p++;
        else
            base = *pdepth; /* relative to the previous header's parent */
        for (unsigned i = 0; i < base; i++)
            memcpy(c->node[i], path[i], sizeof c->node[i]);
        c->depth = base;
        for (;;) {
            if (c->depth == QAIO_SCPI_MAX_DEPTH)
                return fail(s, QAIO_SCPI_ERR_SYNTAX, "header too deep");
            int err = mnemonic(s, c->node[c->depth]);
            if (err)
                return err;
            c->depth++;
            if (s->p < s->end && *s->p == ':') {
                s->p++;
                continue;
            }
            break;
        }
        *pdepth = c->depth - 1;
        for (unsigned i = 0; i < *pdepth; i++)
            memcpy(path[i], c->node[i], sizeof path[i]);
    }
    if (s->p < s->end && *s->p == '?') {
        c->query = true;
        s->p++;
    }
    /* The header ends at white space, ';' or the end of the line. */
    if (s->p < s->end && !is_ws(*s->p) && *s->p != ';')
        return fail(s, QAIO_SCPI_ERR_HEADER_SEPARATOR, "unexpected character after header");
    skip_ws(s);
    while (s->p < s->end && *s->p != ';') {
        if (c->nargs == QAIO_SCPI_MAX_ARGS)
            return fail(s, QAIO_SCPI_ERR_PARAM_NOT_ALLOWED, "too many arguments");
        int err = argument(s, &c->arg[c->nargs]);
        if (err)
            return err;
        c->nargs++;
        skip_ws(s);
        if (s->p < s->end && *s->p == ',') {
            s->p++;
            skip_ws(s);
            if (s->p >= s->end || *s->p == ';' || *s->p == ',')
                return fail(s, QAIO_SCPI_ERR_MISSING_PARAM, "argument expected after ','");
            continue;
        }
        if (s->p < s->end && *s->p != ';')
            return fail(s, QAIO_SCPI_ERR_SEPARATOR, "',' or ';' expected");
    }
    o->count++;
    return 0;
}

int qaio_scpi_parse(const char *line, size_t len, qaio_scpi_program *out)
{
    if (!out || (!line && len))
        return QAIO_EINVAL;
    out->count = 0;
    out->error = 0;
    out->error_pos = 0;
    out->error_msg[0] = 0;
    if (!line)
        line = ""; /* NULL + 0 is undefined behaviour in C */
    scan s = {line, line + len, line, out, 0};
    if (len && line[len - 1] == '\n')
        s.end--;
    if (s.end > s.p && s.end[-1] == '\r')
        s.end--;
    if ((size_t)(s.end - s.p) > QAIO_SCPI_LINE_MAX)
        return fail(&s, QAIO_SCPI_ERR_TOO_MUCH_DATA, "line over 4096 bytes");
    char path[QAIO_SCPI_MAX_DEPTH][QAIO_SCPI_MNEMONIC_MAX + 1];
    unsigned depth = 0;
    for (;;) {
        skip_ws(&s);
        if (s.p < s.end && *s.p != ';') {
            int err = unit(&s, path, &depth);
            if (err)
                return err;
        }
        if (s.p >= s.end)
            return 0;
        s.p++; /* the ';' */
    }
}

/* --- matching ----------------------------------------------------------- */

/* word vs one pattern mnemonic of plen characters. */
static bool word_match_n(const char *word, const char *pat, size_t plen)
{
    size_t digits = 0;
    while (digits < plen && isdigit((unsigned char)pat[plen - 1 - digits]))
        digits++;
    size_t stem = plen - digits, wlen = strlen(word);
    if (wlen < digits || strncmp(word + wlen - digits, pat + stem, digits) != 0)
        return false;
    wlen -= digits;
    size_t shortlen = 0;
    while (shortlen < stem && !islower((unsigned char)pat[shortlen]))
        shortlen++;
    if (wlen != shortlen && wlen != stem)
        return false;
    return strncasecmp(word, pat, wlen) == 0;
}

bool qaio_scpi_word_match(const char *word, const char *pattern)
{
    return word && pattern && word_match_n(word, pattern, strlen(pattern));
}

/* Matches nodes[i..] against the pattern from p; optional nodes branch. */
static bool match_from(const qaio_scpi_command *c, unsigned i, const char *p)
{
    while (*p == ':' || *p == '[')
        if (*p == ':') {
            p++;
        } else {
            const char *close = strchr(p, ']');
            if (!close)
                return false;
            /* Either the optional node is absent ... */
            if (match_from(c, i, close + 1))
                return true;
            /* ... or present: match it inside the brackets. */
            const char *q = p + 1;
            if (*q == ':')
                q++;
            size_t n = (size_t)(close - q);
            if (i >= c->depth || !word_match_n(c->node[i], q, n))
                return false;
            i++;
            p = close + 1;
        }
    if (!*p)
        return i == c->depth;
    size_t n = strcspn(p, ":[");
    if (i >= c->depth || !word_match_n(c->node[i], p, n))
        return false;
    return match_from(c, i + 1, p + n);
}

bool qaio_scpi_match(const qaio_scpi_command *cmd, const char *pattern)
{
    if (!cmd || !pattern)
        return false;
    if (*pattern == '*')
        return cmd->common && cmd->depth == 1 && strcasecmp(cmd->node[0], pattern + 1) == 0;
    return !cmd->common && match_from(cmd, 0, pattern);
}

/* IEEE 488.2 7.7.3.4's multipliers and the units this library knows. */
static const struct {
    const char *name;
    double mult;
} multipliers[] = {{"EX", 1e18}, {"PE", 1e15}, {"T", 1e12}, {"G", 1e9}, {"MA", 1e6}, {"K", 1e3},
                   {"M", 1e-3}, {"U", 1e-6}, {"N", 1e-9}, {"P", 1e-12}, {"F", 1e-15},
                   {"A", 1e-18}};
static const char *const units[] = {"S", "HZ", "V", "A", "W", "OHM", "DB", "DBM",
                                    "PCT", "DEG", "RAD", "CEL", "K"};

static bool is_unit(const char *u)
{
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcasecmp(u, units[i]) == 0)
            return true;
    return false;
}

/* A suffix's multiplier (see qaio_scpi_arg_number): false if it is none. */
static bool suffix_multiplier(const char *suf, double *mult)
{
    size_t len = strlen(suf);
    if (strcasecmp(suf, "MHZ") == 0 || strcasecmp(suf, "MOHM") == 0)
        return *mult = 1e6, true;
    if (is_unit(suf))
        return *mult = 1, true;
    const size_t nm = sizeof multipliers / sizeof multipliers[0];
    for (size_t i = 0; i < nm; i++)
        if (strcasecmp(suf, multipliers[i].name) == 0)
            return *mult = multipliers[i].mult, true;
    for (size_t i = 0; i < nm; i++) {
        size_t m = strlen(multipliers[i].name);
        if (len > m && strncasecmp(suf, multipliers[i].name, m) == 0 && is_unit(suf + m))
            return *mult = multipliers[i].mult, true;
    }
    return false;
}

int qaio_scpi_arg_number(const qaio_scpi_command *cmd, unsigned i, double min, double max,
                         double def, double *out)
{
    if (!cmd || !out || i >= cmd->nargs)
        return QAIO_SCPI_ERR_MISSING_PARAM;
    const qaio_scpi_arg *a = &cmd->arg[i];
    if (a->type == QAIO_SCPI_ARG_NUMBER) {
        /* The parser checked the grammar: the number is what strtod takes
         * up to the first letter that does not start an exponent. */
        const char *t = a->text;
        size_t n = 0;
        while (t[n] && !isalpha((unsigned char)t[n]))
            n++;
        if ((t[n] == 'e' || t[n] == 'E') &&
            (isdigit((unsigned char)t[n + 1]) ||
             ((t[n + 1] == '+' || t[n + 1] == '-') && isdigit((unsigned char)t[n + 2])))) {
            n++;
            while (t[n] && !isalpha((unsigned char)t[n]))
                n++;
        }
        char num[QAIO_SCPI_LINE_MAX + 1];
        if (n >= sizeof num)
            return QAIO_SCPI_ERR_NUMERIC;
        memcpy(num, t, n);
        num[n] = 0;
        char *end;
        double v = strtod(num, &end);
        double mult = 1;
        if (*end || !isfinite(v))
            return QAIO_SCPI_ERR_NUMERIC;
        if (t[n] && !suffix_multiplier(t + n, &mult))
            return QAIO_SCPI_ERR_INVALID_SUFFIX;
        v *= mult;
        if (!isfinite(v))
            return QAIO_SCPI_ERR_NUMERIC;
        *out = v;
        return 0;
    }
    if (a->type == QAIO_SCPI_ARG_CHARS) {
        if (qaio_scpi_word_match(a->text, "MINimum"))
            return *out = min, 0;
        if (qaio_scpi_word_match(a->text, "MAXimum"))
            return *out = max, 0;
        if (qaio_scpi_word_match(a->text, "DEFault"))
            return *out = def, 0;
    }
    return QAIO_SCPI_ERR_DATA_TYPE;
}

const char *qaio_scpi_error_message(int e)
{
    switch (e) {
    case 0: return "No error";
    case QAIO_SCPI_ERR_COMMAND: return "Command error";
    case QAIO_SCPI_ERR_INVALID_CHAR: return "Invalid character";
    case QAIO_SCPI_ERR_SYNTAX: return "Syntax error";
    case QAIO_SCPI_ERR_SEPARATOR: return "Invalid separator";
    case QAIO_SCPI_ERR_DATA_TYPE: return "Data type error";
    case QAIO_SCPI_ERR_PARAM_NOT_ALLOWED: return "Parameter not allowed";
    case QAIO_SCPI_ERR_MISSING_PARAM: return "Missing parameter";
    case QAIO_SCPI_ERR_HEADER_SEPARATOR: return "Header separator error";
    case QAIO_SCPI_ERR_MNEMONIC_LONG: return "Program mnemonic too long";
    case QAIO_SCPI_ERR_UNDEFINED_HEADER: return "Undefined header";
    case QAIO_SCPI_ERR_NUMERIC: return "Numeric data error";
    case QAIO_SCPI_ERR_INVALID_NUMBER: return "Invalid character in number";
    case QAIO_SCPI_ERR_SUFFIX: return "Suffix error";
    case QAIO_SCPI_ERR_INVALID_SUFFIX: return "Invalid suffix";
    case QAIO_SCPI_ERR_SUFFIX_LONG: return "Suffix too long";
    case QAIO_SCPI_ERR_STRING: return "String data error";
    case QAIO_SCPI_ERR_INVALID_STRING: return "Invalid string data";
    case QAIO_SCPI_ERR_BLOCK_NOT_ALLOWED: return "Block data not allowed";
    case QAIO_SCPI_ERR_EXECUTION: return "Execution error";
    case QAIO_SCPI_ERR_SETTINGS_CONFLICT: return "Settings conflict";
    case QAIO_SCPI_ERR_OUT_OF_RANGE: return "Data out of range";
    case QAIO_SCPI_ERR_TOO_MUCH_DATA: return "Too much data";
    case QAIO_SCPI_ERR_ILLEGAL_VALUE: return "Illegal parameter value";
    case QAIO_SCPI_ERR_OUT_OF_MEMORY: return "Out of memory";
    case QAIO_SCPI_ERR_DATA_STALE: return "Data corrupt or stale";
    case QAIO_SCPI_ERR_HARDWARE: return "Hardware error";
    case QAIO_SCPI_ERR_QUEUE_OVERFLOW: return "Queue overflow";
    case QAIO_SCPI_ERR_QUERY: return "Query error";
    case QAIO_SCPI_ERR_QUERY_INTERRUPTED: return "Query INTERRUPTED";
    case QAIO_SCPI_ERR_QUERY_UNTERMINATED: return "Query UNTERMINATED";
    default: return "Unknown error";
    }
}
