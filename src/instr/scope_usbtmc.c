/* A USBTMC device as a qaio stream through a bridge thread
 * (scope_usbtmc.h). */
#include "scope_usbtmc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "qaio/instr/scpi_parser.h"

/* The largest piece one read() asks the device for. */
#define CHUNK (64 * 1024)

typedef struct bridge {
    int dev;  /* the device */
    int sock; /* the bridge's end of the socket pair */
} bridge;

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static bool has_query(const char *line, size_t len, qaio_scpi_program *prog)
{
    qaio_scpi_parse(line, len, prog);
    for (unsigned i = 0; i < prog->count; i++)
        if (prog->cmd[i].query)
            return true;
    return false;
}

/* Passes the answer of one query from the device to the socket: reads
 * until a read comes back short (the device's end of message). */
static int pass_answer(bridge *b, char *buf)
{
    for (;;) {
        ssize_t n = read(b->dev, buf, CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno == ETIMEDOUT ? 0 : -1; /* the instrument stays silent */
        if (n > 0 && write_all(b->sock, buf, (size_t)n))
            return -1;
        if (n < CHUNK)
            return 0;
    }
}

static void *bridge_main(void *arg)
{
    bridge *b = arg;
    char *line = malloc(QAIO_SCPI_LINE_MAX + 2);
    char *buf = malloc(CHUNK);
    qaio_scpi_program *prog = malloc(sizeof *prog);
    size_t len = 0;
    while (line && buf && prog) {
        ssize_t n = read(b->sock, line + len, QAIO_SCPI_LINE_MAX + 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* the stream was closed */
        len += (size_t)n;
        char *nl;
        bool failed = false;
        while (!failed && (nl = memchr(line, '\n', len))) {
            size_t l = (size_t)(nl - line) + 1;
            failed = write_all(b->dev, line, l) ||
                     (has_query(line, l, prog) && pass_answer(b, buf));
            memmove(line, line + l, len - l);
            len -= l;
        }
        if (failed || len > QAIO_SCPI_LINE_MAX)
            break; /* the device is gone, or a line no instrument takes */
    }
    free(prog);
    free(buf);
    free(line);
    close(b->dev);
    close(b->sock);
    free(b);
    return NULL;
}

int qaio__usbtmc_open(qaio_loop *loop, const char *device, qaio_stream **out)
{
    *out = NULL;
    bridge *b = calloc(1, sizeof *b);
    if (!b)
        return QAIO_ENOMEM;
    b->dev = open(device, O_RDWR | O_CLOEXEC);
    if (b->dev < 0) {
        int err = -errno;
        free(b);
        return err;
    }
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
        int err = -errno;
        close(b->dev);
        free(b);
        return err;
    }
    b->sock = sv[1];
    int err = qaio_stream_open_fd(loop, sv[0], out);
    if (err) {
        close(sv[0]);
        close(sv[1]);
        close(b->dev);
        free(b);
        return err;
    }
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    err = pthread_create(&t, &attr, bridge_main, b);
    pthread_attr_destroy(&attr);
    if (err) {
        qaio_stream_close(*out);
        *out = NULL;
        close(sv[1]);
        close(b->dev);
        free(b);
        return QAIO_ENOMEM;
    }
    return 0;
}
