/* Fiber stacks.
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
 *
 * Never splitting a merged run. munmap of one stack in the middle of a
 * merged run splits the VMA in two, and once the map count is exhausted it
 * fails with ENOMEM; worse, mmap then refuses every new stack even though
 * it would fill a hole. Freeing every other stack of 100k would get there.
 * So an unguarded stack is never unmapped on its own: when it leaves the
 * hot pool it is decommitted with MADV_DONTNEED (no VMA change) and parked,
 * by size, for reuse before any new mapping. The parked stacks are unmapped
 * when no unguarded stack is in use any more, in address order so that each
 * munmap trims the end of a run instead of splitting it: a burst of tasks
 * past the guard budget gives its address space back once it is over.
 *
 * Pool. Freed stacks go first to one process-wide hot pool under a mutex
 * rather than per-thread pools: a create/free costs one uncontended lock,
 * and there is nothing to drain when a thread exits. It holds at most 64
 * stacks and 16 MiB of address space in total, whatever their sizes (64
 * default stacks), most recently freed first, so a new fiber gets a stack
 * whose pages are committed and likely cached. Those pages stay committed,
 * bounded by the 16 MiB, which saves the page faults of recommitting them.
 * When full, the oldest entry leaves (unmapped if guarded, parked if not),
 * so a program that changes stack sizes does not keep stale ones there.
 *
 * Diagnosis. A SIGSEGV/SIGBUS handler, on a per-thread alternate signal
 * stack since the faulting stack is full, recognises a fault in the current
 * fiber's guard page, prints "qaio: task 'NAME' overflowed its N KiB stack"
 * with write(2) and lets the fault happen again with the default action.
 * Other faults go to the handler that was installed before ours. Under ASan
 * none of this is installed: ASan reports stack overflows itself.
 */
#include "stack.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
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
#ifdef QAIO__ASAN
#include <sanitizer/asan_interface.h>
#endif

#define GUARD_DEFAULT 16384
#define POOL_MAX_STACKS 64
#define POOL_MAX_BYTES ((size_t)16 << 20)
#define ALTSTACK_SIZE ((size_t)64 << 10)

static pthread_once_t config_once = PTHREAD_ONCE_INIT;
static size_t page_size;
static size_t guard_budget;
static atomic_size_t guarded_live;   /* guarded mappings now existing */
static atomic_size_t unguarded_used; /* unguarded stacks held by fibers */

/* Parked (decommitted, unguarded) stacks of one size. */
typedef struct {
    size_t size;
    qaio__stack *v;
    size_t len, cap;
} park_class;

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static qaio__stack pool[POOL_MAX_STACKS]; /* oldest first */
static size_t pool_len, pool_bytes;
static park_class *parks; /* a handful: one per stack size in use */
static size_t nparks;

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

static int map_new(qaio__stack *st, size_t size)
{
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

static bool unmap(qaio__stack *st)
{
    if (munmap(st->map, st->map_size) != 0)
        return false;
    VALGRIND_STACK_DEREGISTER(st->vg_id);
    if (st->guarded)
        atomic_fetch_sub(&guarded_live, 1);
    return true;
}

static bool park_locked(const qaio__stack *st)
{
    park_class *c = NULL;
    for (size_t i = 0; i < nparks && !c; i++)
        if (parks[i].size == st->size)
            c = &parks[i];
    if (!c) {
        park_class *p = realloc(parks, (nparks + 1) * sizeof *p);
        if (!p)
            return false;
        parks = p;
        c = &parks[nparks++];
        *c = (park_class){st->size, NULL, 0, 0};
    }
    if (c->len == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        qaio__stack *v = realloc(c->v, cap * sizeof *v);
        if (!v)
            return false;
        c->v = v;
        c->cap = cap;
    }
    c->v[c->len++] = *st;
    return true;
}

/* Disposes of a stack the pool has no room for. */
static void discard(qaio__stack *st)
{
    if (!st->guarded) {
        madvise(st->bottom, st->size, MADV_DONTNEED);
        pthread_mutex_lock(&pool_lock);
        bool parked = park_locked(st);
        pthread_mutex_unlock(&pool_lock);
        if (parked)
            return;
    }
    /* A guarded stack is two whole VMAs, so unmapping it never splits one.
     * Unparkable unguarded stacks try their luck; failing that the address
     * space leaks, which is all there is left to do. */
    unmap(st);
}

static int by_address(const void *a, const void *b)
{
    const char *x = ((const qaio__stack *)a)->map, *y = ((const qaio__stack *)b)->map;
    return (x > y) - (x < y);
}

/* Unmaps every parked stack, lowest address first. */
static void trim(void)
{
    pthread_mutex_lock(&pool_lock);
    size_t n = 0;
    for (size_t i = 0; i < nparks; i++)
        n += parks[i].len;
    qaio__stack *all = n ? malloc(n * sizeof *all) : NULL;
    if (!all) {
        pthread_mutex_unlock(&pool_lock);
        return;
    }
    n = 0;
    for (size_t i = 0; i < nparks; i++) {
        memcpy(all + n, parks[i].v, parks[i].len * sizeof *all);
        n += parks[i].len;
        free(parks[i].v);
    }
    free(parks);
    parks = NULL;
    nparks = 0;
    pthread_mutex_unlock(&pool_lock);

    /* Outside the lock: thousands of munmap calls should not stall fibers
     * being created meanwhile (they map new stacks instead). */
    qsort(all, n, sizeof *all, by_address);
    for (size_t i = 0; i < n; i++) {
        if (!unmap(&all[i])) {
            pthread_mutex_lock(&pool_lock);
            park_locked(&all[i]); /* try again at the next trim */
            pthread_mutex_unlock(&pool_lock);
        }
    }
    free(all);
}

static bool take_locked(qaio__stack *st, size_t size)
{
    for (size_t i = pool_len; i-- > 0;) {
        if (pool[i].size == size) {
            *st = pool[i];
            memmove(&pool[i], &pool[i + 1], (pool_len - i - 1) * sizeof *pool);
            pool_len--;
            pool_bytes -= size;
            return true;
        }
    }
    for (size_t i = 0; i < nparks; i++) {
        if (parks[i].size == size && parks[i].len > 0) {
            *st = parks[i].v[--parks[i].len];
            return true;
        }
    }
    return false;
}

/* Keeps st in the hot pool, making room by discarding the oldest entries;
 * false if st alone is larger than the pool may hold. */
static bool pool_put(const qaio__stack *st)
{
    if (st->size > POOL_MAX_BYTES)
        return false;
    for (;;) {
        pthread_mutex_lock(&pool_lock);
        if (pool_len < POOL_MAX_STACKS && pool_bytes + st->size <= POOL_MAX_BYTES) {
            pool[pool_len++] = *st;
            pool_bytes += st->size;
            pthread_mutex_unlock(&pool_lock);
            return true;
        }
        qaio__stack old = pool[0];
        memmove(&pool[0], &pool[1], --pool_len * sizeof *pool);
        pool_bytes -= old.size;
        pthread_mutex_unlock(&pool_lock);
        discard(&old); /* outside the lock: munmap and madvise are slow */
    }
}

int qaio__stack_acquire(qaio__stack *st, size_t size)
{
    config();
    pthread_mutex_lock(&pool_lock);
    bool found = take_locked(st, size);
    pthread_mutex_unlock(&pool_lock);
    if (!found && map_new(st, size) != 0)
        return ENOMEM;
    if (!st->guarded) {
        atomic_fetch_add(&unguarded_used, 1);
        *(volatile uint64_t *)st->bottom = QAIO__STACK_CANARY;
    }
    return 0;
}

void qaio__stack_release(qaio__stack *st, const void *sp)
{
#ifdef QAIO__ASAN
    /* A fiber freed while suspended, or one whose last frames never
     * returned, leaves ASan's redzone poison on the stack; the next fiber
     * to use it would trip over it. Frames below sp have returned and
     * cleaned up after themselves. Unpoisoning the whole stack instead
     * would commit 1/8 of it in shadow memory for every stack freed: 3 GiB
     * for 100k default stacks. The margin covers the red zone below sp. */
    char *lo = (char *)st->bottom, *top = lo + st->size;
    if (sp && (const char *)sp - 256 > lo && (const char *)sp < top)
        lo = (char *)sp - 256;
    ASAN_UNPOISON_MEMORY_REGION(lo, (size_t)(top - lo));
#else
    (void)sp;
#endif
    bool guarded = st->guarded;
    if (!pool_put(st))
        discard(st);
    if (!guarded && atomic_fetch_sub(&unguarded_used, 1) == 1) {
        pthread_mutex_lock(&pool_lock);
        bool any = false;
        for (size_t i = 0; i < nparks && !any; i++)
            any = parks[i].len > 0;
        pthread_mutex_unlock(&pool_lock);
        if (any)
            trim();
    }
}

/* ---- Diagnosis ---------------------------------------------------------- */

static size_t append(char *buf, size_t at, size_t cap, const char *s)
{
    while (*s && at < cap)
        buf[at++] = *s++;
    return at;
}

/* Async-signal-safe: no stdio, no allocation. */
static void report(const char *name, const qaio__stack *st)
{
    char digits[24], *d = digits + sizeof digits;
    *--d = '\0';
    size_t kib = st->size / 1024;
    do
        *--d = (char)('0' + kib % 10);
    while ((kib /= 10) != 0);
    char buf[192];
    size_t at = 0;
    at = append(buf, at, sizeof buf, "qaio: task '");
    at = append(buf, at, sizeof buf, name ? name : "?");
    at = append(buf, at, sizeof buf, "' overflowed its ");
    at = append(buf, at, sizeof buf, d);
    at = append(buf, at, sizeof buf, " KiB stack\n");
    for (size_t off = 0; off < at;) {
        ssize_t w = write(STDERR_FILENO, buf + off, at - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
}

_Noreturn void qaio__stack_overflow_abort(const char *name, const qaio__stack *st)
{
    report(name, st);
    abort();
}

#ifndef QAIO__ASAN
static pthread_once_t handler_once = PTHREAD_ONCE_INIT;
static pthread_key_t altstack_key;
static bool altstack_key_ok;
static struct sigaction prev_segv, prev_bus;
static _Thread_local bool thread_ready;
#endif
static _Atomic(qaio__stack_current_fn) current_hook;

void qaio__stack_set_current_hook(qaio__stack_current_fn fn)
{
    atomic_store_explicit(&current_hook, fn, memory_order_relaxed);
}
#ifndef QAIO__ASAN

static void reset_default(int sig)
{
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
    int saved_errno = errno;
    const char *name = NULL;
    qaio__stack_current_fn current = atomic_load_explicit(&current_hook, memory_order_relaxed);
    const qaio__stack *st = current ? current(&name) : NULL;
    const char *addr = si->si_addr;
    if (st && st->guarded && addr >= (const char *)st->map && addr < (const char *)st->bottom) {
        report(name, st);
        /* Returning re-executes the faulting access, which now kills the
         * process with the default action: the exit status and any core
         * dump show the real SIGSEGV. */
        reset_default(sig);
    } else {
        const struct sigaction *prev = sig == SIGBUS ? &prev_bus : &prev_segv;
        if (prev->sa_flags & SA_SIGINFO) {
            prev->sa_sigaction(sig, si, uc);
        } else if (prev->sa_handler != SIG_DFL && prev->sa_handler != SIG_IGN) {
            prev->sa_handler(sig);
        } else {
            reset_default(sig);
            /* A signal sent with kill() has no faulting instruction to
             * repeat; raise it again (it is delivered once we return). */
            if (si->si_code <= 0)
                raise(sig);
        }
    }
    errno = saved_errno;
}

static void free_altstack(void *mem)
{
    stack_t cur;
    size_t page = page_size;
    if (sigaltstack(NULL, &cur) == 0 && cur.ss_sp == (char *)mem + page) {
        stack_t off = {.ss_flags = SS_DISABLE};
        if (sigaltstack(&off, NULL) != 0)
            return; /* still in use (we are on it): leak rather than crash */
    }
    munmap(mem, ALTSTACK_SIZE + page);
}

static void install_handler(void)
{
    altstack_key_ok = pthread_key_create(&altstack_key, free_altstack) == 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &prev_segv);
    sigaction(SIGBUS, &sa, &prev_bus);
}
#endif

void qaio__stack_thread_init(void)
{
#ifndef QAIO__ASAN
    if (thread_ready)
        return;
    thread_ready = true;
    config();
    pthread_once(&handler_once, install_handler);
    stack_t cur;
    if (sigaltstack(NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE))
        return; /* the thread already has one (someone else's): keep it */
    /* Without a key the stack could never be freed at thread exit. Without
     * an alternate stack an overflow is still fatal, just undiagnosed. */
    if (!altstack_key_ok)
        return;
    /* A guard page here too: a handler chained after ours that overflows
     * the alternate stack should fault, not corrupt memory. */
    char *m = mmap(NULL, ALTSTACK_SIZE + page_size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (m == MAP_FAILED)
        return;
    mprotect(m, page_size, PROT_NONE);
    stack_t ss = {.ss_sp = m + page_size, .ss_size = ALTSTACK_SIZE, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) != 0 || pthread_setspecific(altstack_key, m) != 0) {
        stack_t off = {.ss_flags = SS_DISABLE};
        sigaltstack(&off, NULL);
        munmap(m, ALTSTACK_SIZE + page_size);
    }
#endif
}
