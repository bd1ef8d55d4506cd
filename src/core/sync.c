/* Lock, event, semaphore and condition on top of waitq.h. */
#include <stdlib.h>
#include "qaio/sync.h"
#include "waitq.h"

struct qaio_lock {
    qaio_loop *loop;
    bool locked;
    qaio__waitq waiters;
};

struct qaio_event {
    qaio_loop *loop;
    bool set;
    qaio__waitq waiters;
};

struct qaio_semaphore {
    qaio_loop *loop;
    unsigned value, max;
    qaio__waitq waiters;
};

struct qaio_condition {
    qaio_lock *lock;
    qaio__waitq waiters;
};

static void *alloc_for(qaio_loop *loop, size_t size)
{
    int err = qaio__check_loop(loop);
    if (err) {
        errno = -err;
        return NULL;
    }
    void *p = calloc(1, size);
    if (!p)
        errno = ENOMEM;
    return p;
}

/* Queues a waiter for obj in q and waits for it to be served. */
static int wait_in(qaio__waitq *q, qaio_loop *loop, const void *obj, double timeout_s,
                   bool shielded)
{
    qaio__waiter w;
    int err = qaio__waiter_init(&w, loop, obj);
    if (err)
        return err;
    qaio__waitq_push(q, &w, NULL);
    return qaio__waiter_wait(&w, qaio__deadline(timeout_s), shielded, NULL);
}

/* --- lock ------------------------------------------------------------- */

qaio_lock *qaio_lock_new(qaio_loop *loop)
{
    qaio_lock *l = alloc_for(loop, sizeof *l);
    if (l)
        l->loop = loop;
    return l;
}

void qaio_lock_free(qaio_lock *l)
{
    if (!l)
        return;
    qaio__waitq_fail_all(&l->waiters, QAIO_ECLOSED);
    free(l);
}

static int lock_acquire(qaio_lock *l, double timeout_s, bool shielded)
{
    /* Release hands the lock to a pending waiter rather than unlocking, so
     * an unlocked lock has none. */
    if (!l->locked) {
        l->locked = true;
        return 0;
    }
    if (timeout_s == 0)
        return QAIO_ETIMEDOUT;
    /* Served: the lock is ours. */
    return wait_in(&l->waiters, l->loop, l, timeout_s, shielded);
}

int qaio_lock_acquire(qaio_lock *l, double timeout_s)
{
    int err = qaio__sync_check_wait(l, l ? l->loop : NULL, timeout_s);
    return err ? err : lock_acquire(l, timeout_s, false);
}

int qaio_lock_release(qaio_lock *l)
{
    int err = qaio__sync_check(l, l ? l->loop : NULL);
    if (err)
        return err;
    if (!l->locked)
        return QAIO_EINVAL;
    if (qaio__waitq_wake(&l->waiters, 1, 0) == 0) /* else handed over, still locked */
        l->locked = false;
    return 0;
}

bool qaio_lock_locked(const qaio_lock *l) { return l && l->locked; }

/* --- event ------------------------------------------------------------ */

qaio_event *qaio_event_new(qaio_loop *loop)
{
    qaio_event *e = alloc_for(loop, sizeof *e);
    if (e)
        e->loop = loop;
    return e;
}

void qaio_event_free(qaio_event *e)
{
    if (!e)
        return;
    qaio__waitq_fail_all(&e->waiters, QAIO_ECLOSED);
    free(e);
}

int qaio_event_set(qaio_event *e)
{
    int err = qaio__sync_check(e, e ? e->loop : NULL);
    if (err)
        return err;
    e->set = true;
    qaio__waitq_wake(&e->waiters, (size_t)-1, 0);
    return 0;
}

int qaio_event_clear(qaio_event *e)
{
    int err = qaio__sync_check(e, e ? e->loop : NULL);
    if (!err)
        e->set = false;
    return err;
}

bool qaio_event_is_set(const qaio_event *e) { return e && e->set; }

int qaio_event_wait(qaio_event *e, double timeout_s)
{
    int err = qaio__sync_check_wait(e, e ? e->loop : NULL, timeout_s);
    if (err || e->set)
        return err;
    if (timeout_s == 0)
        return QAIO_ETIMEDOUT;
    return wait_in(&e->waiters, e->loop, e, timeout_s, false);
}

/* --- semaphore -------------------------------------------------------- */

qaio_semaphore *qaio_semaphore_new(qaio_loop *loop, unsigned value, unsigned max_value)
{
    if (max_value && value > max_value) {
        errno = EINVAL;
        return NULL;
    }
    qaio_semaphore *s = alloc_for(loop, sizeof *s);
    if (s) {
        s->loop = loop;
        s->value = value;
        s->max = max_value;
    }
    return s;
}

void qaio_semaphore_free(qaio_semaphore *s)
{
    if (!s)
        return;
    qaio__waitq_fail_all(&s->waiters, QAIO_ECLOSED);
    free(s);
}

int qaio_semaphore_acquire(qaio_semaphore *s, double timeout_s)
{
    int err = qaio__sync_check_wait(s, s ? s->loop : NULL, timeout_s);
    if (err)
        return err;
    if (s->value > 0) { /* as for the lock: units only pile up with no waiter */
        s->value--;
        return 0;
    }
    if (timeout_s == 0)
        return QAIO_ETIMEDOUT;
    return wait_in(&s->waiters, s->loop, s, timeout_s, false);
}

int qaio_semaphore_release(qaio_semaphore *s)
{
    int err = qaio__sync_check(s, s ? s->loop : NULL);
    if (err)
        return err;
    if (qaio__waitq_wake(&s->waiters, 1, 0) == 1)
        return 0; /* the unit went to the first waiter */
    if (s->max && s->value >= s->max)
        return QAIO_ERANGE;
    s->value++;
    return 0;
}

unsigned qaio_semaphore_value(const qaio_semaphore *s) { return s ? s->value : 0; }

/* --- condition -------------------------------------------------------- */

qaio_condition *qaio_condition_new(qaio_lock *lock)
{
    if (!lock) {
        errno = EINVAL;
        return NULL;
    }
    qaio_condition *c = alloc_for(lock->loop, sizeof *c);
    if (c)
        c->lock = lock;
    return c;
}

void qaio_condition_free(qaio_condition *c)
{
    if (!c)
        return;
    qaio__waitq_fail_all(&c->waiters, QAIO_ECLOSED);
    free(c);
}

int qaio_condition_wait(qaio_condition *c, double timeout_s)
{
    int err = qaio__sync_check_wait(c, c ? c->lock->loop : NULL, timeout_s);
    if (err)
        return err;
    if (!c->lock->locked)
        return QAIO_EINVAL;
    qaio__waiter w;
    if ((err = qaio__waiter_init(&w, c->lock->loop, c)) != 0)
        return err;
    qaio__waitq_push(&c->waiters, &w, NULL);
    qaio_lock_release(c->lock);
    err = qaio__waiter_wait(&w, qaio__deadline(timeout_s), false, NULL);
    /* The caller held the lock and must hold it again, whatever happened:
     * re-acquire shielded from a cancellation of the waiting task. */
    int relock = lock_acquire(c->lock, QAIO_FOREVER, true);
    return err ? err : relock;
}

int qaio_condition_notify(qaio_condition *c, size_t n)
{
    int err = qaio__sync_check(c, c ? c->lock->loop : NULL);
    return err ? err : (int)qaio__waitq_wake(&c->waiters, n, 0);
}

int qaio_condition_notify_all(qaio_condition *c) { return qaio_condition_notify(c, (size_t)-1); }
