/* Unit test of the fiber layer (src/core/fiber.c, stack_*.c), compiled
 * together with them because their qaio__ symbols are not exported from
 * libqaio.so. Plain C, no Qt; exits 0 on success, 1 on any failure.
 *
 * FIBER_UNIT_N sets the number of simultaneous fibers (100000 by default,
 * 5000 under TSan or valgrind).
 *
 * The fork tests run first: the guard-page budget is read once per process
 * at the first stack allocation, and the canary and no-split children must
 * set QAIO_GUARD_PAGES=0 before that happens in their process.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "fiber.h"
#include "stack.h"

static int failures;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                              \
        }                                                                            \
    } while (0)

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static size_t count_maps(void)
{
    FILE *fp = fopen("/proc/self/maps", "r");
    size_t n = 0;
    int c;
    if (!fp)
        return 0;
    while ((c = getc(fp)) != EOF)
        n += c == '\n';
    fclose(fp);
    return n;
}

/* ---- Children that die ---------------------------------------------------- */

/* Runs fn in a forked child whose stderr goes to out; returns the wait
 * status. */
static int run_child(void (*fn)(void), char *out, size_t cap)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(p[1], STDERR_FILENO);
        close(p[0]);
        close(p[1]);
        fn();
        _exit(100); /* fn was supposed to kill the child */
    }
    close(p[1]);
    size_t len = 0;
    for (;;) {
        /* Read everything before waiting: a long sanitizer report could
         * otherwise fill the pipe and block the child. */
        char discard[4096];
        char *dst = len + 1 < cap ? out + len : discard;
        size_t room = len + 1 < cap ? cap - 1 - len : sizeof discard;
        ssize_t n = read(p[0], dst, room);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (dst != discard)
            len += (size_t)n;
    }
    out[len] = '\0';
    close(p[0]);
    int status = -1;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return status;
}

static volatile unsigned long depth_limit = ~0UL;

/* The volatile array and the addition after the call keep every frame
 * real: no tail call, no loop. */
static int recurse(unsigned long n)
{
    volatile char buf[1024];
    buf[0] = (char)n;
    if (n >= depth_limit)
        return buf[0];
    return recurse(n + 1) + buf[0];
}

static void overflower(void *arg)
{
    (void)arg;
    recurse(0);
}

static void child_overflow(void)
{
    qaio__fiber *f = qaio__fiber_new(64 * 1024, "overflower", overflower, NULL);
    if (f)
        qaio__fiber_resume(f);
}

static void clobberer(void *arg)
{
    (void)arg;
    const qaio__stack *st = qaio__fiber_current_stack(NULL);
    if (st->guarded) {
        fprintf(stderr, "clobberer got a guarded stack despite QAIO_GUARD_PAGES=0\n");
        _exit(101);
    }
    /* What an overflow without a guard page does: write below the last
     * frame, over the canary. Detected when the fiber switches out. */
    memset(st->bottom, 0xab, 8);
    qaio__fiber_suspend();
}

static void child_canary(void)
{
    setenv("QAIO_GUARD_PAGES", "0", 1);
    qaio__fiber *f = qaio__fiber_new(64 * 1024, "clobberer", clobberer, NULL);
    if (f)
        qaio__fiber_resume(f);
}

/* Prints how a child died and the line of its stderr that mentions the
 * overflow, for the test log. */
static void describe_child(const char *what, int st, const char *out, const char *key)
{
    const char *line = strstr(out, key);
    size_t len = 0;
    if (line) {
        while (line > out && line[-1] != '\n')
            line--;
        len = strcspn(line, "\n");
    }
    if (!line)
        line = "";
    if (WIFSIGNALED(st))
        printf("fiber_unit: %s child killed by signal %d: ", what, WTERMSIG(st));
    else
        printf("fiber_unit: %s child exited with %d: ", what, WEXITSTATUS(st));
    printf("%.*s\n", (int)len, line);
}

static void on_user_segv(int sig)
{
    (void)sig;
    _exit(42);
}

static void stray_write(void *arg)
{
    *(volatile char *)arg = 1; /* a fault, but not in this fiber's guard page */
}

static void child_chain(void)
{
    /* The program's own handler, installed before qaio's, must still see
     * the faults that are not stack overflows. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_user_segv;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    char *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    qaio__fiber *f = qaio__fiber_new(64 * 1024, "stray", stray_write, page);
    if (f && page != MAP_FAILED)
        qaio__fiber_resume(f);
}

static void test_chain(void)
{
    char out[16384];
    if (RUNNING_ON_VALGRIND)
        return; /* memcheck counts the stray write as an error, as it should */
    int st = run_child(child_chain, out, sizeof out);
    int before = failures;
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42);
    CHECK(strstr(out, "overflowed") == NULL);
    if (failures != before)
        fprintf(stderr, "chain child: status %#x, stderr:\n%s\n", st, out);
}

static size_t nosplit_n;

static void fn_park(void *arg)
{
    (void)arg;
    qaio__fiber_suspend();
}

/* Unguarded stacks merge into a few VMAs; freeing every other one must not
 * split them (one VMA per survivor would exhaust vm.max_map_count at 100k
 * tasks), and the freed stacks must be reused. */
static void child_nosplit(void)
{
    setenv("QAIO_GUARD_PAGES", "0", 1);
    size_t n = nosplit_n;
    qaio__fiber **fs = calloc(n, sizeof *fs);
    if (!fs)
        _exit(1);
    for (size_t i = 0; i < n; i++) {
        fs[i] = qaio__fiber_new(16 * 1024, "nosplit", fn_park, NULL);
        if (!fs[i] || qaio__fiber_resume(fs[i]))
            _exit(2);
    }
    size_t full = count_maps();
    for (size_t i = 0; i < n; i += 2)
        qaio__fiber_free(fs[i]);
    size_t holey = count_maps();
    for (size_t i = 0; i < n; i += 2) {
        fs[i] = qaio__fiber_new(16 * 1024, "nosplit", fn_park, NULL);
        if (!fs[i] || qaio__fiber_resume(fs[i]))
            _exit(3);
    }
    size_t refilled = count_maps();
    for (size_t i = 0; i < n; i++) {
        if (!qaio__fiber_resume(fs[i]))
            _exit(4);
        qaio__fiber_free(fs[i]);
    }
    size_t done = count_maps();
    printf("fiber_unit: %zu unguarded stacks: %zu mappings, %zu with every other one freed, "
           "%zu refilled, %zu when all are freed\n", n, full, holey, refilled, done);
    fflush(stdout);
    free(fs);
    /* Splitting would add about n/2 mappings. The slack covers the hot
     * pool (64 stacks that may each keep a VMA once the rest are gone) and
     * sanitizer runtimes that map memory of their own per fiber. */
    size_t slack = n / 10 + 100;
    _exit(holey > full + slack || refilled > full + slack || done > full + slack ? 5 : 0);
}

static void test_nosplit(size_t n)
{
    char out[16384];
    nosplit_n = n < 20000 ? n : 20000;
    int st = run_child(child_nosplit, out, sizeof out);
    int before = failures;
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    if (failures != before)
        fprintf(stderr, "nosplit child: status %#x, stderr:\n%s\n", st, out);
}

static void test_overflow(void)
{
    char out[16384];
    int st = run_child(child_overflow, out, sizeof out);
    int before = failures;
#ifdef QAIO__ASAN
    /* ASan owns SIGSEGV and reports the overflow itself, exiting(1). */
    CHECK(st != -1 && !(WIFEXITED(st) && WEXITSTATUS(st) == 0));
    CHECK(strstr(out, "stack-overflow") != NULL);
    describe_child("overflow", st, out, "stack-overflow");
#else
    describe_child("overflow", st, out, "overflowed");
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
    CHECK(strstr(out, "task 'overflower' overflowed its 64 KiB stack") != NULL);
#endif
    if (failures != before)
        fprintf(stderr, "overflow child: status %#x, stderr:\n%s\n", st, out);
}

static void test_canary(void)
{
    char out[16384];
    int st = run_child(child_canary, out, sizeof out);
    int before = failures;
    describe_child("canary", st, out, "overflowed");
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
    CHECK(strstr(out, "qaio: task 'clobberer' overflowed its 64 KiB stack\n") != NULL);
    if (failures != before)
        fprintf(stderr, "canary child: status %#x, stderr:\n%s\n", st, out);
}

/* ---- Behaviour ------------------------------------------------------------ */

static void fn_simple(void *arg)
{
    CHECK(qaio__fiber_current() != NULL);
    *(int *)arg = 42;
}

static void test_simple(void)
{
    int x = 0;
    CHECK(qaio__fiber_current() == NULL);
    qaio__fiber *f = qaio__fiber_new(0, "simple", fn_simple, &x);
    CHECK(f != NULL);
    CHECK(qaio__fiber_stack_size(f) == QAIO__FIBER_DEFAULT_STACK);
    CHECK(x == 0); /* not started before the first resume */
    CHECK(qaio__fiber_resume(f));
    CHECK(x == 42);
    CHECK(qaio__fiber_current() == NULL);
    qaio__fiber_free(f);

    /* Sizes round up to pages, with a floor. */
    f = qaio__fiber_new(1000, "tiny", fn_simple, &x);
    CHECK(f && qaio__fiber_stack_size(f) == QAIO__STACK_MIN);
    qaio__fiber_free(f); /* never started */
    f = qaio__fiber_new(64 * 1024 + 1, "odd", fn_simple, &x);
    CHECK(f && qaio__fiber_stack_size(f) == 64 * 1024 + (size_t)sysconf(_SC_PAGESIZE));
    qaio__fiber_free(f);

    errno = 0;
    CHECK(qaio__fiber_new(0, "nofn", NULL, NULL) == NULL && errno == EINVAL);
}

static char ilog[64];
static size_t ilen;

static void fn_interleave(void *arg)
{
    for (int i = 0; i < 3; i++) {
        ilog[ilen++] = *(const char *)arg;
        ilog[ilen++] = (char)('0' + i);
        qaio__fiber_suspend();
    }
}

static void test_interleave(void)
{
    static const char ids[3] = {'A', 'B', 'C'};
    qaio__fiber *f[3];
    for (int i = 0; i < 3; i++)
        f[i] = qaio__fiber_new(0, "interleave", fn_interleave, (void *)&ids[i]);
    int done = 0, rounds = 0;
    while (done < 3 && rounds++ < 10)
        for (int i = 0; i < 3; i++)
            if (f[i] && qaio__fiber_resume(f[i])) {
                qaio__fiber_free(f[i]);
                f[i] = NULL;
                done++;
            }
    ilog[ilen] = '\0';
    CHECK(done == 3 && rounds == 4);
    CHECK(strcmp(ilog, "A0B0C0A1B1C1A2B2C2") == 0);
}

static qaio__fiber *fa, *fb;
static char nlog[64];
static size_t nlen;

static void fn_b(void *arg)
{
    (void)arg;
    nlog[nlen++] = 'b';
    CHECK(qaio__fiber_current() == fb);
    qaio__fiber_suspend(); /* back into A */
    nlog[nlen++] = 'B';
    CHECK(qaio__fiber_current() == fb);
    qaio__fiber_suspend(); /* back into main, which resumed us directly */
    nlog[nlen++] = 'e';
}

static void fn_a(void *arg)
{
    (void)arg;
    nlog[nlen++] = 'a';
    CHECK(!qaio__fiber_resume(fb));
    CHECK(qaio__fiber_current() == fa);
    nlog[nlen++] = 'x';
    qaio__fiber_suspend();
    nlog[nlen++] = 'y';
    CHECK(qaio__fiber_resume(fb)); /* B finishes inside A */
    CHECK(qaio__fiber_current() == fa);
    nlog[nlen++] = 'z';
}

static void test_nested(void)
{
    fa = qaio__fiber_new(0, "A", fn_a, NULL);
    fb = qaio__fiber_new(0, "B", fn_b, NULL);
    CHECK(!qaio__fiber_resume(fa)); /* a, b, x */
    CHECK(qaio__fiber_current() == NULL);
    CHECK(!qaio__fiber_resume(fb)); /* B */
    CHECK(qaio__fiber_current() == NULL);
    CHECK(qaio__fiber_resume(fa)); /* y, e, z */
    CHECK(qaio__fiber_current() == NULL);
    nlog[nlen] = '\0';
    CHECK(strcmp(nlog, "abxByez") == 0);
    qaio__fiber_free(fa);
    qaio__fiber_free(fb);
}

static size_t started, finished, corrupted, guarded;

static void fn_many(void *arg)
{
    /* A value that must survive on this fiber's stack while its (possibly
     * adjacent, merged) neighbours run. */
    volatile uintptr_t mine = (uintptr_t)arg;
    started++;
    guarded += qaio__fiber_current_stack(NULL)->guarded;
    qaio__fiber_suspend();
    if (mine != (uintptr_t)arg)
        corrupted++;
    finished++;
}

static void test_many(size_t n)
{
    qaio__fiber **fs = calloc(n, sizeof *fs);
    CHECK(fs != NULL);
    if (!fs)
        return;
    double t0 = now_ns();
    size_t made = 0;
    for (; made < n; made++) {
        fs[made] = qaio__fiber_new(0, "many", fn_many, (void *)(uintptr_t)made);
        if (!fs[made]) {
            fprintf(stderr, "fiber %zu of %zu: %s\n", made, n, strerror(errno));
            break;
        }
        CHECK(!qaio__fiber_resume(fs[made]));
    }
    double t1 = now_ns();
    CHECK(made == n && started == n);
    long max_maps = -1;
    FILE *fp = fopen("/proc/sys/vm/max_map_count", "r");
    if (fp) {
        if (fscanf(fp, "%ld", &max_maps) != 1)
            max_maps = -1;
        fclose(fp);
    }
    size_t budget = qaio__stack_guard_budget(), maps = count_maps();
    printf("fiber_unit: %zu fibers alive at once, %zu with a guard page, %zu mappings in the "
           "process (vm.max_map_count %ld, guard budget %zu), created+started in %.0f ns each\n",
           made, guarded, maps, max_maps, budget, (t1 - t0) / (double)(made ? made : 1));
    /* Slabs of the other sizes earlier tests used (a slab has 64 slots, and
     * guarded slabs are kept) hold some of the budget's guard pages. */
    size_t slack = 4 * 64;
    /* More guards than the budget only with the kernel's lightweight
     * guards, which take no mapping of their own. */
    CHECK(guarded <= budget || maps < 1000);
    CHECK(made <= budget ? guarded + slack >= made : guarded + slack >= budget);
    for (size_t i = 0; i < made; i++) {
        CHECK(qaio__fiber_resume(fs[i]));
        qaio__fiber_free(fs[i]);
    }
    CHECK(finished == made && corrupted == 0);
    free(fs);
}

static void fn_where(void *arg)
{
    *(void **)arg = qaio__fiber_current_stack(NULL)->bottom;
    qaio__fiber_suspend();
}

static void test_pool(void)
{
    /* An unusual size, so no stack left by earlier tests matches. */
    size_t size = 3 * 64 * 1024;
    void *b1 = NULL, *b2 = NULL, *b3 = NULL;
    qaio__fiber *f = qaio__fiber_new(size, "pool1", fn_where, &b1);
    CHECK(!qaio__fiber_resume(f));
    CHECK(qaio__fiber_resume(f));
    qaio__fiber_free(f);
    f = qaio__fiber_new(size, "pool2", fn_where, &b2);
    CHECK(!qaio__fiber_resume(f));
    CHECK(b1 != NULL && b1 == b2); /* the freed stack came back */
    /* Freed while suspended: the stack is dropped without unwinding and
     * reused. */
    qaio__fiber_free(f);
    f = qaio__fiber_new(size, "pool3", fn_where, &b3);
    CHECK(!qaio__fiber_resume(f));
    CHECK(b3 == b1);
    CHECK(qaio__fiber_resume(f));
    qaio__fiber_free(f);
}

static long minor_faults(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_minflt : 0;
}

/* Runs n fibers of size at once, each parked after touching its stack,
 * then frees them all; their stack bottoms go to where. Returns the minor
 * page faults that took. */
static long burst(size_t size, size_t n, void **where)
{
    qaio__fiber **fs = calloc(n, sizeof *fs);
    long f0 = minor_faults();
    for (size_t i = 0; fs && i < n; i++) {
        fs[i] = qaio__fiber_new(size, "burst", fn_where, &where[i]);
        CHECK(fs[i] && !qaio__fiber_resume(fs[i]));
    }
    long faults = minor_faults() - f0;
    for (size_t i = 0; fs && i < n; i++) {
        CHECK(qaio__fiber_resume(fs[i]));
        qaio__fiber_free(fs[i]);
    }
    free(fs);
    return faults;
}

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (void *const *)a, y = (uintptr_t) * (void *const *)b;
    return x < y ? -1 : x > y;
}

/* A burst of tasks that ends leaves whole slabs free; the next burst must
 * get the same stacks back, without a new mapping and (where faults can be
 * counted: not under a sanitizer or valgrind, which touch memory of their
 * own per stack) without faulting their pages in again. */
static void test_burst_reuse(void)
{
    enum { N = 640 }; /* ten slabs */
    size_t size = 5 * 64 * 1024; /* a size no other test uses */
    static void *first[N], *second[N];
    long faults1 = burst(size, N, first);
    long faults2 = burst(size, N, second);
    qsort(first, N, sizeof *first, cmp_ptr);
    qsort(second, N, sizeof *second, cmp_ptr);
    CHECK(memcmp(first, second, sizeof first) == 0);
    printf("fiber_unit: %d fibers, a second burst: %ld page faults, the first %ld\n", N, faults2,
           faults1);
#if !defined(QAIO__ASAN) && !defined(QAIO__TSAN)
    if (!RUNNING_ON_VALGRIND)
        CHECK(faults1 < N || faults2 < N / 4);
#endif
}

static void *thread_main(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100; i++) {
        int x = 0;
        qaio__fiber *f = qaio__fiber_new(64 * 1024, "threaded", fn_simple, &x);
        CHECK(f && qaio__fiber_resume(f) && x == 42);
        qaio__fiber_free(f);
    }
#ifndef QAIO__ASAN
    /* The first resume in this thread installed an alternate signal stack,
     * freed by a key destructor when the thread exits. */
    stack_t ss;
    CHECK(sigaltstack(NULL, &ss) == 0 && !(ss.ss_flags & SS_DISABLE));
#endif
    return NULL;
}

static void test_thread(void)
{
    pthread_t t;
    CHECK(pthread_create(&t, NULL, thread_main, NULL) == 0);
    pthread_join(t, NULL);
}

static volatile int bench_stop;

static void fn_bench(void *arg)
{
    (void)arg;
    while (!bench_stop)
        qaio__fiber_suspend();
}

static void bench(long iters)
{
    qaio__fiber *f = qaio__fiber_new(0, "bench", fn_bench, NULL);
    qaio__fiber_resume(f); /* warm up: first entry, page faults */
    double t0 = now_ns();
    for (long i = 0; i < iters; i++)
        qaio__fiber_resume(f);
    double t1 = now_ns();
    bench_stop = 1;
    CHECK(qaio__fiber_resume(f));
    qaio__fiber_free(f);
    printf("fiber_unit: resume+suspend round trip %.1f ns (%ld iterations)\n",
           (t1 - t0) / (double)iters, iters);
}

int main(void)
{
#ifdef QAIO__TSAN
    /* TSan gives every fiber its own state in about four mappings of its
     * own (shadow stack and all), so vm.max_map_count runs out near 10k
     * fibers whatever the stacks do. */
    size_t n = 5000;
#else
    /* Valgrind is some 50 times slower and tracks every stack; ctest's
     * memcheck mode runs the test without a chance to set FIBER_UNIT_N. */
    size_t n = RUNNING_ON_VALGRIND ? 5000 : 100000;
#endif
    const char *env = getenv("FIBER_UNIT_N");
    if (env && atol(env) > 0)
        n = (size_t)atol(env);
    setvbuf(stdout, NULL, _IOLBF, 0);

    test_overflow();
    test_canary();
    test_chain();
    test_nosplit(n);
    test_simple();
    test_interleave();
    test_nested();
    test_pool();
    test_burst_reuse();
    test_thread();
    test_many(n);
#ifdef QAIO__TSAN
    bench(20000); /* GCC 12's TSan runtime spends ~13 us per switch */
#else
    bench(n >= 100000 ? 5000000 : (long)n * 50);
#endif

    if (failures) {
        fprintf(stderr, "fiber_unit: %d check(s) failed\n", failures);
        return 1;
    }
    printf("fiber_unit: all checks passed\n");
    return 0;
}
