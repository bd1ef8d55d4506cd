/* simproc.h - a qaio-instrument-sim in a process of its own, for the
 * scpi_family and scpi_fleet figures: the client under test then shares
 * nothing with the server but the loopback and the cores.
 *
 * The simulator's path: $QAIO_BENCH_SIM (bench/run sets it), else
 * apps/qaio-instrument-sim next to the program's own build directory
 * (<build>/bench/prog -> <build>/apps/qaio-instrument-sim). */
#ifndef QAIO_BENCH_SIMPROC_H
#define QAIO_BENCH_SIMPROC_H

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
    pid_t pid;
    int port;
} bench_sim;

/* The directory of the running program (<build>/bench). */
static inline void bench_self_dir(char *buf, size_t cap)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    self[n > 0 ? n : 0] = 0;
    char *slash = strrchr(self, '/');
    if (slash)
        *slash = 0;
    snprintf(buf, cap, "%s", self);
}

static inline void bench_sim_path(char *buf, size_t cap)
{
    const char *env = getenv("QAIO_BENCH_SIM");
    if (env && *env) {
        snprintf(buf, cap, "%s", env);
        return;
    }
    char dir[PATH_MAX];
    bench_self_dir(dir, sizeof dir);
    snprintf(buf, cap, "%s/../apps/qaio-instrument-sim", dir);
}

/* Starts argv[0] with its stdout on a pipe (stderr to /dev/null) and reads
 * the first line it prints into line. The pid, or -1 (said on stderr). */
static inline pid_t bench_spawn_line(const char *const *argv, char *line, size_t cap)
{
    int fd[2];
    if (pipe(fd) != 0)
        return perror("pipe"), -1;
    pid_t pid = fork();
    if (pid < 0)
        return perror("fork"), -1;
    if (pid == 0) {
        dup2(fd[1], 1);
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, 2);
        close(fd[0]);
        close(fd[1]);
        execv(argv[0], (char *const *)argv);
        fprintf(stderr, "bench: cannot run %s\n", argv[0]);
        _exit(127);
    }
    close(fd[1]);
    FILE *f = fdopen(fd[0], "r");
    line[0] = 0;
    if (!f || !fgets(line, (int)cap, f)) {
        fprintf(stderr, "bench: %s printed nothing\n", argv[0]);
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
        if (f)
            fclose(f);
        return -1;
    }
    fclose(f);
    return pid;
}

/* Starts the simulator as personality (signal may be NULL: its default)
 * on a free port and reads the port it prints. 0 or -1 (said on stderr). */
static inline int bench_sim_start(bench_sim *s, const char *personality, const char *signal)
{
    char path[PATH_MAX + 64];
    bench_sim_path(path, sizeof path);
    const char *argv[] = {path, "--personality", personality, "--port", "0",
                          signal ? "--signal" : NULL, signal, NULL};
    char line[32];
    pid_t pid = bench_spawn_line(argv, line, sizeof line);
    if (pid < 0)
        return -1;
    if (atoi(line) <= 0) {
        fprintf(stderr, "bench: %s --personality %s printed no port\n", path, personality);
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
        return -1;
    }
    s->pid = pid;
    s->port = atoi(line);
    return 0;
}

static inline void bench_sim_stop(bench_sim *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        waitpid(s->pid, NULL, 0);
        s->pid = 0;
    }
}

/* CPU seconds a process's live threads have run so far, from each one's
 * /proc/<pid>/task/<tid>/schedstat (nanoseconds; /proc/<pid>/stat counts
 * 10 ms ticks, too coarse for a short run): with the wall time, how many
 * cores it kept busy. -1 if unknown. */
static inline double bench_proc_cpu_s(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    DIR *dir = opendir(path);
    if (!dir)
        return -1;
    double ns = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char stat[300];
        snprintf(stat, sizeof stat, "/proc/%d/task/%.20s/schedstat", (int)pid, e->d_name);
        FILE *f = fopen(stat, "r");
        unsigned long long run = 0;
        if (f && fscanf(f, "%llu", &run) == 1)
            ns += (double)run;
        if (f)
            fclose(f);
    }
    closedir(dir);
    return ns / 1e9;
}

#endif
