/* Where qaio reports what nobody can receive as an error code. */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include "core_net.h"

static _Atomic(qaio_log_fn) log_fn;
static _Atomic(void *) log_arg;

void qaio_set_log_hook(qaio_log_fn fn, void *arg)
{
    atomic_store(&log_arg, arg);
    atomic_store(&log_fn, fn);
}

void qaio__log(const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    qaio_log_fn fn = atomic_load(&log_fn);
    if (fn)
        fn(msg, atomic_load(&log_arg));
    else
        fprintf(stderr, "qaio: %s\n", msg);
}

int64_t qaio__now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
