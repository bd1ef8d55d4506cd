/* Fiber stacks: mapping them, and the guard-page budget.
 *
 * Allocation. Each stack is its own anonymous mmap with MAP_NORESERVE, so a
 * 256 KiB stack costs address space but only the pages a fiber touches
 * (usually one or two) are committed. MAP_STACK and MADV_NOHUGEPAGE keep
 * transparent huge pages off: adjacent stacks merge into one large VMA (see
 * below), and with THP "always" the first touch of each stack's top page
 * would otherwise commit a whole 2 MiB page shared by eight stacks, i.e.
 * 256 KiB of RAM per idle task.
 *
 * Guard pages versus vm.max_map_count. A PROT_NONE page below a stack turns
 * an overflow into a fault at the exact spot, but it splits the mapping into
 * two VMAs, and Linux allows vm.max_map_count (65530 by default) VMAs per
 * process: guarded stacks alone would stop near 32k tasks while qaio must
 * run 100k. So only the first N live stacks (pooled ones included, since
 * they still hold their VMAs) get a guard page. N is 16384, or
 * QAIO_GUARD_PAGES, but at most a quarter of vm.max_map_count (read once at
 * first use) so guards never take more than half of the map count; on a
 * stock kernel that is 16382. Beyond N, stacks have no guard: all have the
 * same protection and flags and are never mprotect'ed, so the kernel merges
 * neighbours into a few VMAs and 100k stacks fit easily.
 *
 * Canary. Each unguarded stack keeps QAIO__STACK_CANARY in its lowest 8
 * bytes, and fiber.c checks it whenever a fiber switches out (suspend and
 * finish). An unguarded overflow is therefore caught at the next switch
 * rather than at the faulting instruction: by then the fiber may have
 * scribbled over the mapping below its stack, typically the top of another
 * fiber's stack, and a frame that happens not to write those 8 bytes goes
 * unnoticed. That is the price of the 100k budget; the first 16k tasks,
 * which covers most programs, get the precise guard page. Guarded stacks
 * carry no canary: writing it would commit their lowest page (4 KiB of RAM
 * per task, as much as a typical task's whole used stack) for nothing the
 * guard does not already catch. As with thread stacks, a single frame
 * larger than the guard page can jump over it; -fstack-clash-protection
 * closes that hole.
 */
#include "stack_map.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef VALGRIND_STACK_REGISTER
#define VALGRIND_STACK_REGISTER(lo, hi) 0u
#define VALGRIND_STACK_DEREGISTER(id) ((void)(id))
#endif

#define GUARD_DEFAULT 16384

static pthread_once_t config_once = PTHREAD_ONCE_INIT;
static size_t page_size;
static size_t guard_budget;
static atomic_size_t guarded_live;   /* guarded mappings now existing */

static long read_max_map_count(void)
{
    char buf[32];
    int fd = open("/proc/sys/vm/max_map_count", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 65530;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 65530;
    buf[n] = '\0';
    long v = strtol(buf, NULL, 10);
    return v > 0 ? v : 65530;
}

static void configure(void)
{
    page_size = (size_t)sysconf(_SC_PAGESIZE);
    long n = GUARD_DEFAULT;
    const char *env = getenv("QAIO_GUARD_PAGES");
    if (env && *env) {
        char *end;
        long v = strtol(env, &end, 10);
        if (*end == '\0' && v >= 0)
            n = v;
    }
    long cap = read_max_map_count() / 4;
    guard_budget = (size_t)(n < cap ? n : cap);
}

static void config(void)
{
    pthread_once(&config_once, configure);
}


size_t qaio__stack_page(void)
{
    config();
    return page_size;
}

size_t qaio__stack_guard_budget(void)
{
    config();
    return guard_budget;
}

size_t qaio__stack_round(size_t size)
{
    config();
    if (size < QAIO__STACK_MIN)
        size = QAIO__STACK_MIN;
    if (size > SIZE_MAX - page_size)
        return 0;
    return (size + page_size - 1) & ~(page_size - 1);
}

/* Claims one of the guard budget's slots; false when they are all taken. */
static bool reserve_guard(void)
{
    size_t n = atomic_load_explicit(&guarded_live, memory_order_relaxed);
    while (n < guard_budget)
        if (atomic_compare_exchange_weak(&guarded_live, &n, n + 1))
            return true;
    return false;
}

int qaio__stack_map(qaio__stack *st, size_t size)
{
    config();
    bool guard = reserve_guard();
    size_t extra = guard ? page_size : 0;
    char *m = mmap(NULL, size + extra, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (m == MAP_FAILED) {
        if (guard)
            atomic_fetch_sub(&guarded_live, 1);
        return ENOMEM;
    }
    /* Fails harmlessly (EINVAL) on kernels without THP. */
    madvise(m, size + extra, MADV_NOHUGEPAGE);
    /* mprotect splits the VMA and fails with ENOMEM if the map count is
     * exhausted after all (other code maps too): the stack then simply goes
     * without its guard, the spare page unused. */
    if (guard && mprotect(m, page_size, PROT_NONE) != 0) {
        atomic_fetch_sub(&guarded_live, 1);
        guard = false;
    }
    st->map = m;
    st->map_size = size + extra;
    st->bottom = m + extra;
    st->size = size;
    st->guarded = guard;
    st->vg_id = VALGRIND_STACK_REGISTER(st->bottom, m + extra + size - 1);
    return 0;
}

bool qaio__stack_unmap(qaio__stack *st)
{
    if (munmap(st->map, st->map_size) != 0)
        return false;
    VALGRIND_STACK_DEREGISTER(st->vg_id);
    if (st->guarded)
        atomic_fetch_sub(&guarded_live, 1);
    return true;
}
