/* The FFT on FFTW3 (single precision, r2c). FFTW's planner keeps global
 * state and is not thread-safe, so planning and destroying plans happen
 * under one mutex; executing a plan needs no lock.
 *
 * Measuring a plan (FFTW_MEASURE) runs candidate transforms for 0.25 s at
 * 4096 points to 0.8 s at 64k: on an event loop that is a frozen window.
 * So by default (QAIO_FFTW_PLANNER unset or "background") a size the
 * wisdom does not know gets an FFTW_ESTIMATE plan at once, and a detached
 * worker thread (nice 10) measures the size; once it is done,
 * every plan of that size -- those already made too -- executes the
 * measured plan on its own buffers (fftwf_execute_dft_r2c: fftwf_alloc gives every buffer the same
 * alignment). What is measured is kept as wisdom in a file, QAIO_FFTW_WISDOM
 * or by default $XDG_CACHE_HOME/qaio/fftwf-wisdom (~/.cache/...), so a
 * later process plans measured sizes at once; QAIO_FFTW_WISDOM="" keeps no
 * file. "estimate", "measure" and "patient" plan synchronously with that
 * flag (no worker). After its first plan, a size never waits for the
 * planner. The first plan of another new size asked for while the worker
 * measures does wait for it (FFTW has one planner per process: measuring
 * in a forked child was tried, and its copy-on-write faults stalled the
 * loop more). */
#include "qaio/instr/fft.h"

#include <errno.h>
#include <fftw3.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* One size in background mode, shared by every plan of that size for the
 * life of the process: an estimated plan made at once, and the measured
 * plan once the worker has it (or at once, from wisdom). Plans of the size
 * execute one of them on their own buffers, so after the first, making a
 * plan of a known size never waits for the planner (which the worker may
 * hold for most of a second). */
typedef struct size_plans {
    size_t n;
    fftwf_plan estimate;     /* NULL when wisdom had a measured plan */
    _Atomic(void *) measured; /* fftwf_plan, NULL until measured */
    float *in;               /* the buffers the plans were made on */
    fftwf_complex *out;
    struct size_plans *next;
} size_plans;

struct qaio_fft {
    size_t n;
    float *in;
    fftwf_complex *out;
    fftwf_plan plan;    /* synchronous modes: this plan's own */
    size_plans *shared; /* background mode: the size's plans */
};

static pthread_mutex_t planner_lock = PTHREAD_MUTEX_INITIALIZER;
static bool wisdom_loaded;
static char wisdom_path[4096];
static pthread_mutex_t sizes_lock = PTHREAD_MUTEX_INITIALIZER; /* after planner_lock */
static size_plans *sizes;

enum planner { PLAN_BACKGROUND, PLAN_SYNC };

static unsigned planner_flags(enum planner *how)
{
    const char *e = getenv("QAIO_FFTW_PLANNER");
    *how = PLAN_SYNC;
    if (e && strcmp(e, "estimate") == 0)
        return FFTW_ESTIMATE;
    if (e && strcmp(e, "patient") == 0)
        return FFTW_PATIENT;
    if (e && strcmp(e, "measure") == 0)
        return FFTW_MEASURE;
    *how = PLAN_BACKGROUND;
    return FFTW_MEASURE;
}

/* Under planner_lock, once: where wisdom is kept, and what it holds. */
static void load_wisdom(void)
{
    if (wisdom_loaded)
        return;
    wisdom_loaded = true;
    const char *w = getenv("QAIO_FFTW_WISDOM");
    if (w) {
        snprintf(wisdom_path, sizeof wisdom_path, "%s", w);
    } else {
        const char *cache = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
        if (cache && *cache)
            snprintf(wisdom_path, sizeof wisdom_path, "%s/qaio/fftwf-wisdom", cache);
        else if (home && *home)
            snprintf(wisdom_path, sizeof wisdom_path, "%s/.cache/qaio/fftwf-wisdom", home);
    }
    if (wisdom_path[0])
        fftwf_import_wisdom_from_filename(wisdom_path); /* a missing file is fine */
}

/* Under planner_lock. Written whole to a temporary name, then renamed, so
 * processes sharing the cache never read half a file. */
static void save_wisdom(void)
{
    if (!wisdom_path[0])
        return;
    char dir[sizeof wisdom_path], tmp[sizeof wisdom_path + 32];
    snprintf(dir, sizeof dir, "%s", wisdom_path);
    for (char *p = dir + 1; *p; p++) /* mkdir -p of the file's directory */
        if (*p == '/') {
            *p = 0;
            if (mkdir(dir, 0755) && errno != EEXIST)
                return;
            *p = '/';
        }
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", wisdom_path, (long)getpid());
    if (fftwf_export_wisdom_to_filename(tmp))
        rename(tmp, wisdom_path);
    else
        unlink(tmp);
}

static void *measure_worker(void *arg)
{
    size_plans *sp = arg;
    /* Linux: this thread only. Measuring is CPU-heavy trial transforms; an
     * event loop sharing the core must keep most of it. Nice 10, not
     * SCHED_IDLE: on a busy machine an idle-class worker would hold the
     * planner (and any second new size) for seconds. */
    setpriority(PRIO_PROCESS, 0, 10);
    float *in = fftwf_alloc_real(sp->n);
    fftwf_complex *out = fftwf_alloc_complex(sp->n / 2 + 1);
    fftwf_plan p = NULL;
    if (in && out) {
        pthread_mutex_lock(&planner_lock);
        p = fftwf_plan_dft_r2c_1d((int)sp->n, in, out, FFTW_MEASURE);
        if (p)
            save_wisdom();
        pthread_mutex_unlock(&planner_lock);
    }
    /* The plan keeps its buffers for the process (plans of this size run
     * it on their own buffers); on failure the size stays estimated. */
    if (p)
        atomic_store_explicit(&sp->measured, (void *)p, memory_order_release);
    else {
        fftwf_free(in);
        fftwf_free(out);
    }
    return NULL;
}

static size_plans *find_size(size_t n)
{
    pthread_mutex_lock(&sizes_lock);
    size_plans *sp = sizes;
    while (sp && sp->n != n)
        sp = sp->next;
    pthread_mutex_unlock(&sizes_lock);
    return sp;
}

static void start_worker(size_plans *sp)
{
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &attr, measure_worker, sp)) {
        /* No thread: the size stays estimated. */
    }
    pthread_attr_destroy(&attr);
}

/* The plans of size n, made on first use: measured from wisdom, or
 * estimated now and measured by a worker. NULL: out of memory. */
static size_plans *shared_plans(size_t n)
{
    size_plans *sp = find_size(n);
    if (sp)
        return sp;
    pthread_mutex_lock(&planner_lock);
    load_wisdom();
    sp = find_size(n); /* another thread may have made it meanwhile */
    if (sp) {
        pthread_mutex_unlock(&planner_lock);
        return sp;
    }
    sp = calloc(1, sizeof *sp);
    if (sp) {
        sp->n = n;
        sp->in = fftwf_alloc_real(n);
        sp->out = fftwf_alloc_complex(n / 2 + 1);
    }
    fftwf_plan measured = NULL;
    if (sp && sp->in && sp->out) {
        measured = fftwf_plan_dft_r2c_1d((int)n, sp->in, sp->out, FFTW_MEASURE | FFTW_WISDOM_ONLY);
        if (!measured)
            sp->estimate = fftwf_plan_dft_r2c_1d((int)n, sp->in, sp->out, FFTW_ESTIMATE);
    }
    if (!measured && (!sp || !sp->estimate)) {
        pthread_mutex_unlock(&planner_lock);
        if (sp) {
            fftwf_free(sp->in);
            fftwf_free(sp->out);
            free(sp);
        }
        return NULL;
    }
    atomic_store_explicit(&sp->measured, (void *)measured, memory_order_release);
    pthread_mutex_lock(&sizes_lock);
    sp->next = sizes;
    sizes = sp;
    pthread_mutex_unlock(&sizes_lock);
    if (!measured)
        start_worker(sp);
    pthread_mutex_unlock(&planner_lock);
    return sp;
}

int qaio_fft_new(size_t n, qaio_fft **out)
{
    if (!out || n < 2 || n % 2 || n > (size_t)1 << 30)
        return QAIO_EINVAL;
    *out = NULL;
    qaio_fft *f = calloc(1, sizeof *f);
    if (!f)
        return QAIO_ENOMEM;
    f->n = n;
    f->in = fftwf_alloc_real(n);
    f->out = fftwf_alloc_complex(n / 2 + 1);
    if (!f->in || !f->out) {
        qaio_fft_free(f);
        return QAIO_ENOMEM;
    }
    enum planner how;
    unsigned flags = planner_flags(&how);
    if (how == PLAN_BACKGROUND) {
        f->shared = shared_plans(n);
    } else {
        pthread_mutex_lock(&planner_lock);
        load_wisdom();
        /* Planning with MEASURE scribbles on the buffers: they are ours. */
        f->plan = fftwf_plan_dft_r2c_1d((int)n, f->in, f->out, flags | FFTW_WISDOM_ONLY);
        if (!f->plan) {
            f->plan = fftwf_plan_dft_r2c_1d((int)n, f->in, f->out, flags);
            if (f->plan && flags != FFTW_ESTIMATE)
                save_wisdom();
        }
        pthread_mutex_unlock(&planner_lock);
    }
    if (!f->plan && !f->shared) {
        qaio_fft_free(f);
        return QAIO_ENOMEM;
    }
    memset(f->in, 0, n * sizeof(float));
    *out = f;
    return 0;
}

void qaio_fft_execute(qaio_fft *f)
{
    if (!f)
        return;
    if (!f->shared) {
        fftwf_execute(f->plan);
        return;
    }
    void *p = atomic_load_explicit(&f->shared->measured, memory_order_acquire);
    fftwf_execute_dft_r2c(p ? (fftwf_plan)p : f->shared->estimate, f->in, f->out);
}

void qaio_fft_free(qaio_fft *f)
{
    if (!f)
        return;
    if (f->plan) { /* shared plans live for the process */
        pthread_mutex_lock(&planner_lock);
        fftwf_destroy_plan(f->plan);
        pthread_mutex_unlock(&planner_lock);
    }
    fftwf_free(f->in);
    fftwf_free(f->out);
    free(f);
}

float *qaio_fft_input(qaio_fft *f) { return f ? f->in : NULL; }
const qaio_cpx *qaio_fft_output(const qaio_fft *f) { return f ? (const qaio_cpx *)f->out : NULL; }
size_t qaio_fft_size(const qaio_fft *f) { return f ? f->n : 0; }
const char *qaio_fft_backend(void) { return "fftw"; }
