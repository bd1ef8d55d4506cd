/* http_get, qaio: N small GETs (a ~100-byte page each) issued at once with
 * qaio_http_get and waited for together (qaio_gather), against
 * examples/http_server in a process of its own (started here: the client
 * under test shares nothing with the server but the loopback and the
 * cores). Qt's QNetworkAccessManager keeps at most six keep-alive
 * connections per host, so the N requests are served six at a time; the
 * Python program (py_http_get.py) uses six connections too. One warm-up
 * request opens the first connection first. Reports requests per second,
 * and the CPU time per request of this process (all its threads, Qt's
 * HTTP thread included), steadier than the rate on a busy machine.
 *
 * The server: $QAIO_BENCH_HTTP_SERVER (bench/run sets it), else
 * bench_http_server next to this program. */
#include <limits.h>
#include <sys/resource.h>
#include <qaio.h>

#include "bench.h"
#include "simproc.h"

#define WAIT_S 300.0 /* a guard against a hang, not a target */

/* User + system CPU seconds of this process so far (every thread). */
static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static bench_sim server; /* the child server, stopped on every way out */

static void die(const char *what, int err)
{
    fprintf(stderr, "qaio_http_get: %s: %s\n", what, qaio_strerror(err));
    bench_sim_stop(&server);
    exit(1);
}

/* Fetches n pages at once; every one must be a 200. */
static void fetch_all(qaio_loop *loop, const char *base, long n, qaio_future **futs)
{
    char url[256];
    for (long i = 0; i < n; i++) {
        snprintf(url, sizeof url, "%s/page/%ld", base, i);
        if (!(futs[i] = qaio_http_get(loop, url, NULL)))
            die("qaio_http_get", -errno);
    }
    qaio_future *all = qaio_gather(futs, (size_t)n);
    void **responses;
    int err = qaio_future_result_timeout(all, WAIT_S, (void **)&responses);
    if (err)
        die("gather", err);
    for (long i = 0; i < n; i++)
        if (qaio_http_response_status(responses[i]) != 200)
            die("status", QAIO_EPROTO);
    qaio_future_unref(all);
    for (long i = 0; i < n; i++)
        qaio_future_unref(futs[i]);
}

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv, 1000, 50);
    char path[PATH_MAX + 64];
    const char *env = getenv("QAIO_BENCH_HTTP_SERVER");
    if (env && *env) {
        snprintf(path, sizeof path, "%s", env);
    } else {
        char dir[PATH_MAX];
        bench_self_dir(dir, sizeof dir);
        snprintf(path, sizeof path, "%s/bench_http_server", dir);
    }
    const char *server_argv[] = {path, "0", NULL};
    char line[128], base[160];
    server.pid = bench_spawn_line(server_argv, line, sizeof line);
    if (server.pid < 0 || sscanf(line, "Serving on 127.0.0.1:%d", &server.port) != 1)
        die("server", QAIO_EIO);
    snprintf(base, sizeof base, "http://127.0.0.1:%d", server.port);

    qaio_loop *loop = qaio_loop_get();
    qaio_future **futs = malloc((size_t)o.n * sizeof *futs);
    if (!futs)
        die("malloc", QAIO_ENOMEM);
    fetch_all(loop, base, 1, futs); /* warm-up */
    double rates[BENCH_MAX_REPS], cpu_us[BENCH_MAX_REPS];
    for (int r = 0; r < o.reps; r++) {
        int64_t t0 = bench_now_ns();
        double c0 = cpu_s();
        fetch_all(loop, base, o.n, futs);
        rates[r] = (double)o.n / ((double)(bench_now_ns() - t0) / 1e9);
        cpu_us[r] = (cpu_s() - c0) / (double)o.n * 1e6;
    }
    bench_report("http_get", bench_impl("qaio", 1), o.n, rates, o.reps, "req/s",
                 "cpu_us_per_req=%.1f connections=6(QNetworkAccessManager) server=examples/http_server",
                 bench_median(cpu_us, o.reps));
    free(futs);
    bench_sim_stop(&server);
    qaio_loop_close(loop);
    return 0;
}
