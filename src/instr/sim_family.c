/* What the simulator personalities do alike (sim_family.h). */
#include "sim_family.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int qaio__simf_number(qaio__scpi_session *s, const qaio_scpi_command *c, double *field,
                      double min, double max, double def, const char *fmt, qaio__simf_then *then)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer(s, fmt, *field) : 0;
    double v;
    if (qaio__sim_number(s, c, min, max, def, &v)) {
        *field = v;
        if (then)
            then(s);
    }
    return 0;
}

int qaio__simf_word(qaio__scpi_session *s, const qaio_scpi_command *c, const char *const *words,
                    int *field, qaio__simf_then *then)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer_word(s, words, *field) : 0;
    int i = qaio__sim_choice(s, c, words);
    if (i >= 0) {
        *field = i;
        if (then)
            then(s);
    }
    return 0;
}

int qaio__simf_channel(qaio__scpi_session *s, const qaio_scpi_command *c,
                       const char *const *words, unsigned *ch, qaio__simf_then *then)
{
    if (c->query)
        return qaio__sim_nargs(s, c, 0) ? qaio__sim_answer_word(s, words, (int)*ch - 1) : 0;
    int i = qaio__sim_choice(s, c, words);
    if (i >= 0) {
        *ch = (unsigned)i + 1;
        if (then)
            then(s);
    }
    return 0;
}

void qaio__simf_run(qaio__scpi_session *s)
{
    qaio__sim_abort(s);
    s->running = true;
}

int qaio__simf_stop(qaio__scpi_session *s)
{
    bool was = s->running;
    s->running = false;
    qaio__sim_abort(s);
    return was && !qaio__sim_held(s) ? qaio__sim_take(s) : 0;
}

int qaio__simf_single(qaio__scpi_session *s)
{
    s->running = false;
    return qaio__sim_arm(s);
}

int qaio__simf_h_run(qaio__scpi_session *s, const qaio_scpi_command *c)
{
    if (qaio__sim_nargs(s, c, 0))
        qaio__simf_run(s);
    return 0;
}

int qaio__simf_h_stop(qaio__scpi_session *s, const qaio_scpi_command *c)
{
    return qaio__sim_nargs(s, c, 0) ? qaio__simf_stop(s) : 0;
}

int qaio__simf_h_single(qaio__scpi_session *s, const qaio_scpi_command *c)
{
    return qaio__sim_nargs(s, c, 0) ? qaio__simf_single(s) : 0;
}

/* The multiplier of a unit suffix's prefix ("m" milli, "MA" mega, ...). */
static double prefix_of(const char *end)
{
    switch (*end) {
    case 'm':
    case 'M':
        return (end[1] == 'a' || end[1] == 'A') ? 1e6 : 1e-3; /* MA: mega */
    case 'u':
    case 'U':
        return 1e-6;
    case 'n':
    case 'N':
        return 1e-9;
    case 'p':
    case 'P':
        return 1e-12;
    case 'k':
    case 'K':
        return 1e3;
    default:
        return 1;
    }
}

bool qaio__simf_number_arg(qaio__scpi_session *s, const qaio_scpi_command *c, unsigned i,
                           double min, double max, double *v)
{
    if (i >= c->nargs)
        return qaio__sim_fail(s, QAIO_SCPI_ERR_MISSING_PARAM, NULL), false;
    if (qaio_scpi_arg_number(c, i, min, max, min, v) != 0) {
        const char *t = c->arg[i].text;
        char *end;
        double x = strtod(t, &end);
        if (end == t || c->arg[i].type == QAIO_SCPI_ARG_STRING)
            return qaio__sim_fail(s, QAIO_SCPI_ERR_DATA_TYPE, t), false;
        *v = x * prefix_of(end);
    }
    if (!(*v >= min && *v <= max))
        return qaio__sim_fail(s, QAIO_SCPI_ERR_OUT_OF_RANGE, c->arg[i].text), false;
    return true;
}

int qaio__simf_block_header(qaio__scpi_session *s, size_t len, int digits)
{
    char head[24];
    int n = snprintf(head, sizeof head, "#%d%0*zu", digits, digits, len);
    return qaio__scpi_out(s, head, (size_t)n);
}

int qaio__simf_put_ascii_block(qaio__scpi_session *s, const float *y, size_t n, const char *fmt,
                               int digits)
{
    enum { WIDTH = 32 }; /* bytes of one value and its ',' at most */
    char *text = malloc(n * WIDTH + 1);
    if (!text)
        return QAIO_ENOMEM;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (i)
            text[len++] = ',';
        int k = snprintf(text + len, WIDTH, fmt, (double)y[i]);
        len += k < 0 ? 0 : (size_t)k < WIDTH ? (size_t)k : WIDTH - 1;
    }
    int err = qaio__simf_block_header(s, len, digits);
    if (!err)
        err = qaio__scpi_out(s, text, len);
    free(text);
    return err;
}
