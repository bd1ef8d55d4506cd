/* Thread parking for the cross-thread result(): waiters are spread over a
 * fixed set of (mutex, condvar) stripes keyed by an address. The completer
 * only touches a stripe when it knows a waiter registered; either the
 * waiter sees the new state, or the completer sees the waiter and
 * broadcasts under the stripe lock the waiter holds until it sleeps. */
#include "park.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>
#include "qaio/error.h"

#define QAIO__STRIPES 64

static struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
} stripes[QAIO__STRIPES];
static pthread_once_t stripes_once = PTHREAD_ONCE_INIT;

static void stripes_init(void)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    for (int i = 0; i < QAIO__STRIPES; i++) {
        pthread_mutex_init(&stripes[i].lock, NULL);
        pthread_cond_init(&stripes[i].cond, &attr);
    }
    pthread_condattr_destroy(&attr);
}

static unsigned stripe_of(const void *key)
{
    return (unsigned)(((uintptr_t)key >> 6) % QAIO__STRIPES);
}

void qaio__park_wake(const void *key)
{
    pthread_once(&stripes_once, stripes_init);
    unsigned s = stripe_of(key);
    pthread_mutex_lock(&stripes[s].lock);
    pthread_cond_broadcast(&stripes[s].cond);
    pthread_mutex_unlock(&stripes[s].lock);
}

void qaio__park_wake_all(void)
{
    pthread_once(&stripes_once, stripes_init);
    for (unsigned s = 0; s < QAIO__STRIPES; s++) {
        pthread_mutex_lock(&stripes[s].lock);
        pthread_cond_broadcast(&stripes[s].cond);
        pthread_mutex_unlock(&stripes[s].lock);
    }
}

int qaio__park_wait(const void *key, int (*check)(void *arg), void *arg, int64_t deadline)
{
    pthread_once(&stripes_once, stripes_init);
    unsigned s = stripe_of(key);
    struct timespec ts = {(time_t)(deadline / 1000000000), (long)(deadline % 1000000000)};
    int rc;
    pthread_mutex_lock(&stripes[s].lock);
    while ((rc = check(arg)) == QAIO__PARK_WAIT) {
        if (deadline == INT64_MAX)
            pthread_cond_wait(&stripes[s].cond, &stripes[s].lock);
        else if (pthread_cond_timedwait(&stripes[s].cond, &stripes[s].lock, &ts) == ETIMEDOUT) {
            rc = check(arg) == 0 ? 0 : QAIO_ETIMEDOUT;
            break;
        }
    }
    pthread_mutex_unlock(&stripes[s].lock);
    return rc;
}
