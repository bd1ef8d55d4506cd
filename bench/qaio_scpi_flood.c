/* scpi_flood, qaio: one well-behaved client's waveform latency from the
 * SCPI simulator while 50 other clients flood it. The server (libqaio-
 * instr's qaio_scpi_server, the code qaio-instrument-sim runs) is a child
 * process of its own, so the flood loads the server and not the measuring
 * client. The measuring client sends ":WAV:DATA?" (16384 points at 1 MS/s,
 * WORD: a 32 KiB block and 16.4 ms of simulated record time, running, so
 * every query is a fresh record) and reads the block, N times back to back:
 * first alone (unloaded), then with 50 clients connected that pipeline
 * ":WAV:DATA?" lines as fast as their sockets take them and never read a
 * byte (loaded; refilled before every measured query, reconnected when the
 * server drops them). The figure is the loaded p99 latency; unloaded_p99
 * and their ratio come with it. The goal: loaded p99 within 2x unloaded.
 * --mode <points> changes the record length. FLOOD_PORT=<port> in the
 * environment measures a server already running there instead (e.g.
 * qaio-instrument-sim under valgrind or gdb, started with the same
 * --points and --rate); if the child server dies, the error says of what. */
#include <qaio.h>
#include <qaio/instr.h>

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define FLOODERS 50

static struct {
    bench_opts o;
    long points;
    double rate_hz;
    int port;
    double unloaded[BENCH_MAX_REPS], loaded[BENCH_MAX_REPS];
    double *lat;
    int fd[FLOODERS];
    long reconnects;
} b;

static pid_t child;
static void die(const char *what, int err)
{
    int st = 0;
    if (child > 0 && waitpid(child, &st, WNOHANG) == child)
        fprintf(stderr, "scpi_flood: the server %s %d\n",
                WIFSIGNALED(st) ? "died of signal" : "exited",
                WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
    fprintf(stderr, "scpi_flood: %s: %s\n", what, qaio_strerror(err));
    exit(1);
}

/* --- the server: a child process with its own loop ----------------------- */

static int serve_main(void *arg, qaio_future *self)
{
    (void)self;
    int out = *(int *)arg;
    qaio_scpi_server_options so;
    qaio_scpi_server_options_default(&so);
    so.port = 0;
    so.points = (size_t)b.points;
    so.rate = b.rate_hz;
    qaio_scpi_server *srv;
    char msg[256];
    int err = qaio_scpi_server_start(qaio_loop_get(), &so, &srv, msg, sizeof msg);
    if (err)
        die(msg, err);
    int port = qaio_scpi_server_port(srv);
    if (write(out, &port, sizeof port) != sizeof port)
        exit(1);
    close(out);
    for (;;)
        qaio_sleep(3600); /* until the parent kills us */
    return 0;
}

static pid_t start_server(void)
{
    int p[2];
    if (pipe(p))
        die("pipe", -errno);
    pid_t pid = fork();
    if (pid < 0)
        die("fork", -errno);
    if (pid == 0) {
        close(p[0]);
        qaio_loop_get();
        qaio_run(serve_main, &p[1], NULL);
        _exit(1);
    }
    close(p[1]);
    if (read(p[0], &b.port, sizeof b.port) != sizeof b.port)
        die("server did not start", QAIO_EIO);
    close(p[0]);
    return pid;
}

/* --- the flooders: raw non-blocking sockets that never read ------------- */

static int flood_connect(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)b.port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a)) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

/* Tops every flooder's socket up with queries until it takes no more. */
static void flood_fill(void)
{
    static char lines[4096];
    static size_t len;
    if (!len) {
        const char *q = ":WAV:DATA?\n";
        for (; len + strlen(q) <= sizeof lines; len += strlen(q))
            memcpy(lines + len, q, strlen(q));
    }
    for (int i = 0; i < FLOODERS; i++) {
        if (b.fd[i] < 0) {
            b.fd[i] = flood_connect();
            b.reconnects++;
        }
        for (int k = 0; b.fd[i] >= 0 && k < 64; k++) {
            ssize_t n = send(b.fd[i], lines, len, MSG_NOSIGNAL);
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                break;
            if (n < 0) { /* dropped by the server: reconnect next time */
                close(b.fd[i]);
                b.fd[i] = -1;
            }
        }
    }
}

static void flood_stop(void)
{
    for (int i = 0; i < FLOODERS; i++) {
        if (b.fd[i] >= 0)
            close(b.fd[i]);
        b.fd[i] = -1;
    }
}

/* --- the measuring client ------------------------------------------------ */

/* One ":WAV:DATA?" and its whole block: seconds. */
static double query(qaio_stream *s)
{
    int64_t t0 = bench_now_ns();
    int err = qaio_stream_write(s, ":WAV:DATA?\n", 11);
    char head[12];
    ssize_t got = err ? 0 : qaio_stream_readexactly(s, head, 2, 30);
    if (err || got != 2 || head[0] != '#' || head[1] < '1' || head[1] > '9') {
        if (got == 2)
            fprintf(stderr, "scpi_flood: answer starts with %02x %02x\n", (unsigned char)head[0],
                    (unsigned char)head[1]);
        die("block header", err ? err : got < 0 ? (int)got : QAIO_EPROTO);
    }
    int d = head[1] - '0';
    if (qaio_stream_readexactly(s, head, (size_t)d, 30) != d)
        die("block length", QAIO_EPROTO);
    head[d] = 0;
    size_t len = (size_t)strtoul(head, NULL, 10) + 1; /* and the '\n' */
    static char *buf;
    static size_t cap;
    if (len > cap) {
        buf = realloc(buf, len);
        cap = len;
    }
    if (!buf || qaio_stream_readexactly(s, buf, len, 30) != (ssize_t)len)
        die("block", QAIO_EPROTO);
    return (double)(bench_now_ns() - t0) / 1e9;
}

static double p99(qaio_stream *s, bool loaded)
{
    for (long i = 0; i < b.o.n; i++) {
        if (loaded)
            flood_fill();
        b.lat[i] = query(s);
    }
    bench_sort(b.lat, b.o.n);
    return bench_pct(b.lat, b.o.n, 99) * 1e3;
}

static int bench_main(void *arg, qaio_future *self)
{
    (void)arg;
    (void)self;
    qaio_stream *s;
    int err = qaio_open_connection(qaio_loop_get(), "127.0.0.1", b.port, 10, &s);
    if (err)
        die("connect", err);
    qaio_stream_write(s, ":WAV:FORM WORD\n", 15);
    for (int i = 0; i < 5; i++) /* warm-up */
        query(s);
    for (int r = 0; r < b.o.reps; r++) {
        b.unloaded[r] = p99(s, false);
        flood_fill();
        qaio_sleep(0.2); /* the flood under way */
        b.loaded[r] = p99(s, true);
        flood_stop();
        qaio_sleep(0.2); /* the server drops them */
    }
    qaio_stream_close(s);
    return 0;
}

int main(int argc, char **argv)
{
    b.o = bench_parse(argc, argv, 200, 20);
    b.points = b.o.mode ? strtol(b.o.mode, NULL, 10) : 16384;
    if (b.points < 2)
        return fprintf(stderr, "--mode <points>\n"), 2;
    b.rate_hz = 1e6;
    b.lat = calloc((size_t)b.o.n, sizeof *b.lat);
    for (int i = 0; i < FLOODERS; i++)
        b.fd[i] = -1;
    if (!b.lat)
        return 1;
    /* The server forks before this process makes its loop. */
    pid_t pid = getenv("FLOOD_PORT") ? (b.port = atoi(getenv("FLOOD_PORT")), 0) : start_server();
    child = pid;
    qaio_loop_get();
    int err = qaio_run(bench_main, NULL, NULL);
    if (pid) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    if (err)
        die("run", err);
    double un = bench_median(b.unloaded, b.o.reps), lo = bench_median(b.loaded, b.o.reps);
    bench_report("scpi_flood_p99", bench_impl("qaio", 1), b.o.n, b.loaded, b.o.reps, "ms",
                 "unloaded_p99_ms=%.3f ratio=%.2f flooders=%d points=%ld fs_hz=%.0f "
                 "reconnects=%ld",
                 un, un > 0 ? lo / un : 0, FLOODERS, b.points, b.rate_hz,
                 b.reconnects - FLOODERS * b.o.reps);
    return 0;
}
