/* Fuzzes the SCPI line parser (scpi_parser.h) with any bytes as a line.
 *
 * Checks, beyond what ASan/UBSan see: the result is 0 or a SCPI error and
 * equals out->error; every command is well formed (depth, mnemonics,
 * argument kinds -- a number may carry a suffix of up to 12 letters --,
 * text inside store[]); the error position lies in the
 * line; and a line that parsed cleanly, written back in canonical form
 * (absolute headers, re-quoted strings), parses to the same commands. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qaio/instr/scpi_parser.h"

#define CHECK(c) ((c) ? (void)0 : abort())

/* Headers the server knows, for qaio_scpi_match's optional nodes. */
static const char *const patterns[] = {"*IDN", ":SYSTem:ERRor[:NEXT]", ":TRIGger[:EDGE]:LEVel",
                                       ":WAVeform:DATA", ":ACQuire:POINts", "CHANnel1"};

static bool in_store(const qaio_scpi_program *p, const char *t)
{
    return t >= p->store && t < p->store + sizeof p->store &&
           memchr(t, 0, (size_t)(p->store + sizeof p->store - t)) != NULL;
}

static void check_mnemonic(const char *m)
{
    size_t n = strnlen(m, QAIO_SCPI_MNEMONIC_MAX + 1);
    CHECK(n >= 1 && n <= QAIO_SCPI_MNEMONIC_MAX);
    CHECK(isalpha((unsigned char)m[0]));
    for (size_t i = 0; i < n; i++)
        CHECK(isalnum((unsigned char)m[i]) || m[i] == '_');
}

static void check_command(const qaio_scpi_program *p, const qaio_scpi_command *c)
{
    CHECK(c->depth >= 1 && c->depth <= QAIO_SCPI_MAX_DEPTH);
    CHECK(!c->common || c->depth == 1);
    for (unsigned d = 0; d < c->depth; d++)
        check_mnemonic(c->node[d]);
    CHECK(c->nargs <= QAIO_SCPI_MAX_ARGS);
    for (unsigned i = 0; i < c->nargs; i++) {
        const qaio_scpi_arg *a = &c->arg[i];
        CHECK(in_store(p, a->text));
        if (a->type == QAIO_SCPI_ARG_NUMBER) {
            /* A number, then an optional suffix of at most 12 letters. */
            char *end;
            strtod(a->text, &end);
            CHECK(end != a->text);
            size_t k = 0;
            while (isalpha((unsigned char)end[k]))
                k++;
            CHECK(end[k] == 0 && k <= QAIO_SCPI_MNEMONIC_MAX);
        } else if (a->type == QAIO_SCPI_ARG_CHARS) {
            check_mnemonic(a->text);
            qaio_scpi_word_match(a->text, "MAXimum");
        } else {
            CHECK(a->type == QAIO_SCPI_ARG_STRING);
        }
        double v;
        int err = qaio_scpi_arg_number(c, i, -1, 1, 0, &v);
        CHECK(err == 0 || err == QAIO_SCPI_ERR_NUMERIC || err == QAIO_SCPI_ERR_DATA_TYPE ||
              err == QAIO_SCPI_ERR_INVALID_SUFFIX);
    }
    for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++)
        qaio_scpi_match(c, patterns[i]);
}

/* Appends s (n bytes) at *len if it fits in cap; false otherwise. */
static bool put(char *buf, size_t cap, size_t *len, const char *s, size_t n)
{
    if (*len + n > cap)
        return false;
    memcpy(buf + *len, s, n);
    *len += n;
    return true;
}

/* The canonical line of p, or false if it does not fit in cap. */
static bool render(const qaio_scpi_program *p, char *buf, size_t cap, size_t *len)
{
    *len = 0;
    for (unsigned i = 0; i < p->count; i++) {
        const qaio_scpi_command *c = &p->cmd[i];
        if (i && !put(buf, cap, len, ";", 1))
            return false;
        for (unsigned d = 0; d < c->depth; d++)
            if (!put(buf, cap, len, c->common ? "*" : ":", 1) ||
                !put(buf, cap, len, c->node[d], strlen(c->node[d])))
                return false;
        if (c->query && !put(buf, cap, len, "?", 1))
            return false;
        for (unsigned a = 0; a < c->nargs; a++) {
            const char *t = c->arg[a].text;
            if (!put(buf, cap, len, a ? "," : " ", 1))
                return false;
            if (c->arg[a].type != QAIO_SCPI_ARG_STRING) {
                if (!put(buf, cap, len, t, strlen(t)))
                    return false;
                continue;
            }
            if (!put(buf, cap, len, "\"", 1))
                return false;
            for (; *t; t++)
                if ((*t == '"' && !put(buf, cap, len, "\"", 1)) || !put(buf, cap, len, t, 1))
                    return false;
            if (!put(buf, cap, len, "\"", 1))
                return false;
        }
    }
    return true;
}

static bool same_command(const qaio_scpi_command *a, const qaio_scpi_command *b)
{
    if (a->common != b->common || a->query != b->query || a->depth != b->depth ||
        a->nargs != b->nargs)
        return false;
    for (unsigned d = 0; d < a->depth; d++)
        if (strcmp(a->node[d], b->node[d]) != 0)
            return false;
    for (unsigned i = 0; i < a->nargs; i++)
        if (a->arg[i].type != b->arg[i].type || strcmp(a->arg[i].text, b->arg[i].text) != 0)
            return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static qaio_scpi_program prog, again;
    static char line[QAIO_SCPI_LINE_MAX + 1];
    int err = qaio_scpi_parse((const char *)data, size, &prog);
    CHECK(err == prog.error);
    CHECK(err == 0 || (err <= -100 && err > -500));
    CHECK(prog.count <= QAIO_SCPI_MAX_COMMANDS);
    CHECK(prog.error_pos <= size);
    CHECK(memchr(prog.error_msg, 0, sizeof prog.error_msg) != NULL);
    CHECK(err != 0 || prog.error_msg[0] == 0);
    for (unsigned i = 0; i < prog.count; i++)
        check_command(&prog, &prog.cmd[i]);
    size_t len;
    if (err == 0 && render(&prog, line, QAIO_SCPI_LINE_MAX, &len)) {
        CHECK(qaio_scpi_parse(line, len, &again) == 0);
        CHECK(again.count == prog.count);
        for (unsigned i = 0; i < prog.count; i++)
            CHECK(same_command(&prog.cmd[i], &again.cmd[i]));
    }
    return 0;
}
