/* sleeping_tasks, qaio: spawn N (100k) tasks that each sleep until one
 * common deadline (deadline_s() after the first spawn), then finish. Three
 * lines, one per sub-figure:
 *   tasks_spawn     ns per task from the first qaio_spawn_named until the
 *                   last task has started and computed its sleep (extra
 *                   create_ns: the spawn calls alone)
 *   tasks_complete  ns per task from the deadline until the last task has
 *                   finished: waking N timers due together, resuming each
 *                   task, completing its future, freeing its stack
 *   tasks_rss       bytes per task: peak RSS (VmHWM) minus the RSS before
 *                   the first spawn, over N
 * Each repetition runs in a fresh forked process, so the RSS growth and
 * the page faults of a first spawn are measured every time, not only once.
 * --mode stack16k (default: 16 KiB stacks, the smallest qaio allows) or
 * stack256k (QAIO_TASK_DEFAULT_STACK, impl qaio/stack256k); stack_kib= says
 * which. */
#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>
#include <qaio.h>

#include "bench.h"

/* The deadline, after the first spawn: long enough for the slowest spawn
 * phase measured (Python's, ~13 us per task on a busy 2-vCPU VM), so that
 * every task is asleep before it; a task that starts later counts in late=. */
static double deadline_s(long n) { return 0.5 + 25e-6 * (double)n; }

static struct {
    long n, started, left, late;
    int64_t deadline, t_started, t_done;
    qaio_future *all_done;
} b;

/* A field of /proc/self/status in KiB (VmRSS, VmHWM), or -1. */
static long status_kib(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    size_t len = strlen(field);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, field, len) == 0 && line[len] == ':')
            v = strtol(line + len + 1, NULL, 10);
    if (f)
        fclose(f);
    return v;
}

static int sleeper(void *arg, qaio_future *self)
{
    (void)arg;
    (void)self;
    int64_t now = bench_now_ns();
    if (++b.started == b.n)
        b.t_started = now;
    double wait = (double)(b.deadline - now) / 1e9;
    if (wait < 0) { /* the spawn phase overran the deadline: reported */
        b.late++;
        wait = 0;
    }
    int err = qaio_sleep(wait);
    if (err)
        return err;
    if (--b.left == 0) {
        b.t_done = bench_now_ns();
        qaio_future_set_result(b.all_done, NULL, NULL);
    }
    return 0;
}

/* One repetition, in the forked child: spawn, rss, complete, create, late. */
static void one_rep(size_t stack, double out[5])
{
    qaio_loop *loop = qaio_loop_get();
    b.all_done = qaio_future_new(loop);
    b.started = b.late = 0;
    b.left = b.n;
    long base = status_kib("VmRSS");
    int64_t t0 = bench_now_ns();
    b.deadline = t0 + (int64_t)(deadline_s(b.n) * 1e9);
    for (long i = 0; i < b.n; i++) {
        qaio_future *t = qaio_spawn_named(loop, NULL, stack, sleeper, NULL);
        if (!t) {
            fprintf(stderr, "qaio_sleeping_tasks: spawn %ld: %s\n", i, strerror(errno));
            exit(1);
        }
        qaio_future_unref(t); /* a running task keeps itself alive */
    }
    int64_t t_created = bench_now_ns();
    int err = qaio_future_result_timeout(b.all_done, 600, NULL);
    if (err) {
        fprintf(stderr, "qaio_sleeping_tasks: %s\n", qaio_strerror(err));
        exit(1);
    }
    out[0] = (double)(b.t_started - t0) / (double)b.n;
    out[1] = (double)(status_kib("VmHWM") - base) * 1024.0 / (double)b.n;
    out[2] = (double)(b.t_done - b.deadline) / (double)b.n;
    out[3] = (double)(t_created - t0) / (double)b.n;
    out[4] = (double)b.late;
}

int main(int argc, char **argv)
{
    bench_opts o = bench_parse(argc, argv, 100000, 1000);
    int big = bench_mode_is(&o, "stack256k", "stack16k");
    if (!big && !bench_mode_is(&o, "stack16k", "stack16k"))
        return fprintf(stderr, "qaio_sleeping_tasks: --mode stack16k|stack256k\n"), 2;
    size_t stack = big ? QAIO_TASK_DEFAULT_STACK : 16 * 1024;
    b.n = o.n;
    double spawn[BENCH_MAX_REPS], rss[BENCH_MAX_REPS], done[BENCH_MAX_REPS], create[BENCH_MAX_REPS];
    long late = 0;
    for (int r = 0; r < o.reps; r++) {
        double v[5];
        int fds[2];
        if (pipe(fds) != 0)
            return perror("pipe"), 1;
        fflush(stdout);
        pid_t pid = fork();
        if (pid < 0)
            return perror("fork"), 1;
        if (pid == 0) { /* the loop and the tasks live only here */
            one_rep(stack, v);
            _exit(write(fds[1], v, sizeof v) == (ssize_t)sizeof v ? 0 : 1);
        }
        close(fds[1]);
        ssize_t got = read(fds[0], v, sizeof v);
        close(fds[0]);
        int status;
        waitpid(pid, &status, 0);
        if (got != (ssize_t)sizeof v || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            return fprintf(stderr, "qaio_sleeping_tasks: repetition %d failed\n", r), 1;
        spawn[r] = v[0], rss[r] = v[1], done[r] = v[2], create[r] = v[3];
        late += (long)v[4];
    }
    const char *impl = bench_impl(big ? "qaio/stack256k" : "qaio", 1);
    int kib = (int)(stack / 1024);
    bench_report("tasks_spawn", impl, b.n, spawn, o.reps, "ns/task", "create_ns=%.1f stack_kib=%d late=%ld",
                 bench_median(create, o.reps), kib, late);
    bench_report("tasks_complete", impl, b.n, done, o.reps, "ns/task", "stack_kib=%d late=%ld", kib, late);
    bench_report("tasks_rss", impl, b.n, rss, o.reps, "B/task", "stack_kib=%d", kib);
    return 0;
}
