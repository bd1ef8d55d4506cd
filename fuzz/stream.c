/* Fuzzes stream reads (stream.h): read, readexactly, readuntil, readline
 * and set_limit on a real qaio stream (qaio_stream_open_fd over a
 * socketpair or a pipe, on the qaio loop), fed by a peer whose writes the
 * input chooses: their sizes and contents, whether they arrive before a
 * call or while it waits (loop callbacks), one by one or coalesced, and
 * when the peer ends the stream, by closing its side or by a reset.
 *
 * Input: one flags byte (bit 0 pipe, bit 1 make each call in a task),
 * then operations, each an opcode byte and its arguments (see run_op).
 *
 * Checks, after every operation (the loop is first run until the stream
 * has read what it may): no byte lost or duplicated (what the calls
 * returned, plus the stream's buffer, plus what the kernel still holds, is
 * exactly what the peer wrote); the stream buffers min(available, limit);
 * and each call's result and the bytes it consumed match a reference model
 * of stream.h's contract (EMSGSIZE and timeouts consume nothing, EPIPE at
 * the end of stream, readline's last unterminated line, ...). */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "qaio/error.h"
#include "qaio/loop.h"
#include "qaio/stream.h"
#include "qaio/task.h"

#define CHECK(c) ((c) ? (void)0 : check_failed(#c, __LINE__))
#define SENT_MAX ((size_t)1 << 20) /* bytes the peer writes per input, at most */
#define KERNEL_MAX ((size_t)48 << 10) /* unread bytes a feed may leave in the kernel */
#define FEED_MAX 16

static void check_failed(const char *what, int line)
{
    fprintf(stderr, "fuzz_stream: check failed at line %d: %s\n", line, what);
    abort();
}

typedef struct chunk {
    const uint8_t *data; /* NULL: `len` bytes of `fill` */
    size_t len;
    uint8_t fill;
    bool soon; /* written in the same loop pass as the one before */
} chunk;

typedef struct fz {
    const uint8_t *p, *end; /* the script */
    qaio_stream *s;
    int peer;
    bool pipe, eof;
    bool reset; /* the end came as a reset: QAIO_ECONNRESET instead */
    bool tasks; /* each call runs in a task of its own */
    uint8_t *sent;   /* every byte the kernel took from the peer */
    size_t W, C;     /* written, consumed by the calls */
    size_t limit;
    chunk feed[FEED_MAX]; /* written by loop callbacks from the next call on */
    size_t nfeed, next;
    bool feed_eof, feed_armed;
    bool refused; /* the kernel refused part of a feed: the model is off */
    uint8_t *view; /* sent[C..W) and then the feed: what the next call can get */
    uint8_t *buf;
} fz;

static qaio_loop *L;
static uint8_t sent_store[SENT_MAX], view_store[SENT_MAX + FEED_MAX * 0x8000], buf_store[1 << 18];

static uint8_t byte(fz *z) { return z->p < z->end ? *z->p++ : 0; }

/* A run of one byte is cut to 256 times the limit: the stream reads at
 * most `limit` bytes a turn, and 100 KiB through a 1-byte limit would
 * make one input take a second. */
static size_t fill_len(const fz *z, size_t len)
{
    return len / 256 > z->limit ? z->limit * 256 : len;
}

/* A size: one byte under 0x80, else 15 bits in steps of 4 (up to 128 KiB),
 * so sizes around small buffers and around 64 KiB are both a byte or two
 * away. */
static size_t size_arg(fz *z)
{
    uint8_t b = byte(z);
    if (b < 0x80)
        return b;
    return ((size_t)(b & 0x7f) << 8 | byte(z)) * 4;
}

static size_t buffered(const fz *z)
{
    ssize_t b = qaio_stream_buffered(z->s);
    CHECK(b >= 0);
    return (size_t)b;
}

static size_t in_kernel(const fz *z)
{
    int n = 0;
    CHECK(ioctl(qaio_stream_fd(z->s), FIONREAD, &n) == 0 && n >= 0);
    return (size_t)n;
}

static void peer_eof(fz *z)
{
    if (z->pipe) {
        close(z->peer);
        z->peer = -1;
    } else {
        shutdown(z->peer, SHUT_WR);
    }
    z->eof = true;
}

/* Writes what the kernel takes of len bytes (data, or `fill` bytes). */
static void peer_write(fz *z, const uint8_t *data, size_t len, uint8_t fill)
{
    if (z->eof || len == 0)
        return;
    if (len > SENT_MAX - z->W)
        len = SENT_MAX - z->W;
    uint8_t *dst = z->sent + z->W;
    if (data)
        memcpy(dst, data, len);
    else
        memset(dst, fill, len);
    ssize_t n = write(z->peer, dst, len);
    if (n > 0)
        z->W += (size_t)n;
}

static void feed_cb(void *arg)
{
    fz *z = arg;
    for (;;) {
        chunk *c = &z->feed[z->next++];
        size_t w = z->W, room = SENT_MAX - z->W;
        peer_write(z, c->data, c->len, c->fill);
        if (z->W - w < (c->len < room ? c->len : room)) {
            /* The kernel refused part of the feed: a pipe counts its
             * capacity in pages, and writes that do not fit the last
             * page's rest take new ones, so 48 KiB may fill it. A call the
             * model said completes may now wait for bytes that never
             * come: the peer ends the stream, so the call returns, and
             * the model, which knows an ended stream, holds again. */
            z->refused = true;
            z->feed_eof = true;
            break;
        }
        if (z->next == z->nfeed)
            break;
        if (!z->feed[z->next].soon) {
            CHECK(qaio_call_later(L, 1e-6, feed_cb, z) != 0);
            return;
        }
    }
    z->nfeed = z->next = 0;
    z->feed_armed = false;
    if (z->feed_eof)
        peer_eof(z);
    z->feed_eof = false;
}

static size_t feed_left(const fz *z)
{
    size_t n = 0;
    for (size_t i = z->next; i < z->nfeed; i++)
        n += z->feed[i].len;
    return n;
}

static void set_done(void *f) { qaio_future_set_result(f, NULL, NULL); }

/* One turn of the loop: a nested loop until a call_soon has run. (No
 * timer: arming the timerfd would cost more than the rest.) */
static void poke(void)
{
    qaio_future *f = qaio_future_new(L);
    CHECK(f && qaio_call_soon(L, set_done, f) != 0);
    CHECK(qaio_future_result(f, NULL) == 0);
    qaio_future_unref(f);
}

/* Runs the loop until the feed is written and the stream has read what
 * its limit lets it, then checks that no byte was lost or duplicated. */
static void settle(fz *z)
{
    for (int i = 0;; i++) {
        if (z->nfeed == 0) {
            size_t b = buffered(z), avail = z->W - z->C;
            size_t want = b >= z->limit ? b : avail < z->limit ? avail : z->limit;
            if (b == want)
                break;
        }
        if (i == 100000) { /* the stream does not read what is there */
            fprintf(stderr, "fuzz_stream: settle: buffered %zu, kernel %zu, written %zu, read %zu, "
                    "limit %zu, feed %zu/%zu\n", buffered(z), in_kernel(z), z->W, z->C,
                    z->limit, z->next, z->nfeed);
            abort();
        }
        poke();
    }
    CHECK(buffered(z) + in_kernel(z) == z->W - z->C);
}

/* What the next call can have: the unread bytes and the feed, in z->view. */
static size_t make_view(fz *z)
{
    size_t t = z->W - z->C, room = SENT_MAX - z->W; /* peer_write's clipping */
    memcpy(z->view, z->sent + z->C, t);
    for (size_t i = z->next; i < z->nfeed; i++) {
        const chunk *c = &z->feed[i];
        size_t len = c->len < room ? c->len : room;
        if (c->data)
            memcpy(z->view + t, c->data, len);
        else
            memset(z->view + t, c->fill, len);
        t += len;
        room -= len;
    }
    return t;
}

/* Where the first sep ends in view[0..t), or 0. */
static size_t sep_end(const uint8_t *view, size_t t, const uint8_t *sep, size_t seplen)
{
    const uint8_t *hit = t >= seplen ? memmem(view, t, sep, seplen) : NULL;
    return hit ? (size_t)(hit - view) + seplen : 0;
}

/* readuntil's outcome per stream.h: given b0 buffered of t to come. */
static ssize_t until_model(const fz *z, size_t b0, size_t t, size_t e, size_t cap, bool eof)
{
    if (e && e <= b0)
        return e <= cap ? (ssize_t)e : QAIO_EMSGSIZE;
    if (b0 >= cap || b0 >= z->limit)
        return QAIO_EMSGSIZE;
    size_t reach = t < z->limit ? t : z->limit; /* the buffer stops at the limit */
    if (e && e <= reach)
        return e <= cap ? (ssize_t)e : QAIO_EMSGSIZE;
    if (reach >= cap || reach >= z->limit)
        return QAIO_EMSGSIZE;
    return eof ? QAIO_EPIPE : QAIO_ETIMEDOUT;
}

/* A read call and its arguments. A call the model says completes waits
 * forever (libFuzzer's -timeout reports a hang); one it says times out
 * gets a timeout of 0. */
typedef struct call {
    int op;
    qaio_stream *s;
    uint8_t *buf;
    size_t n; /* read, readexactly: the count; readuntil, readline: the cap */
    const uint8_t *sep;
    size_t seplen;
    double timeout;
    ssize_t r;
} call;

static ssize_t do_call(call *c)
{
    switch (c->op) {
    case 0: return qaio_stream_read(c->s, c->buf, c->n, c->timeout);
    case 1: return qaio_stream_readexactly(c->s, c->buf, c->n, c->timeout);
    case 2: return qaio_stream_readuntil(c->s, c->sep, c->seplen, c->buf, c->n, c->timeout);
    default: return qaio_stream_readline(c->s, (char *)c->buf, c->n, c->timeout);
    }
}

static int call_task(void *arg, qaio_future *self)
{
    (void)self;
    call *c = arg;
    c->r = do_call(c);
    return 0;
}

/* Makes the call from plain code (it waits in a nested loop) or from a
 * task (it suspends) that plain code waits for. */
static ssize_t make_call(const fz *z, call *c, ssize_t want)
{
    c->s = z->s;
    c->buf = z->buf;
    c->timeout = want == QAIO_ETIMEDOUT ? 0 : QAIO_FOREVER;
    if (!z->tasks)
        return do_call(c);
    qaio_future *f = qaio_spawn(L, call_task, c);
    CHECK(f && qaio_future_result(f, NULL) == 0);
    qaio_future_unref(f);
    return c->r;
}

/* One read call. Returns after checking its result and what it took. */
static void read_op(fz *z, int op)
{
    size_t b0 = buffered(z), t = make_view(z);
    z->refused = false;
    bool eof = z->eof || z->feed_eof;
    ssize_t end = z->reset ? QAIO_ECONNRESET : QAIO_EPIPE; /* a call short of data at the end */
    ssize_t want = 0; /* the model's result */
    size_t lo, hi;    /* the bytes it may consume: [lo, hi] */
    bool any = false; /* consumption not fixed by the model: any in [lo, hi] */
    ssize_t r;
    if (op == 0) { /* read */
        size_t n = size_arg(z);
        if (n > sizeof buf_store)
            n = sizeof buf_store;
        if (n == 0)
            want = QAIO_EINVAL;
        else if (b0 > 0)
            want = (ssize_t)(n < b0 ? n : b0);
        else if (t > 0)
            want = 1, any = true; /* what arrives first */
        else
            want = eof ? (z->reset ? end : 0) : QAIO_ETIMEDOUT;
        r = make_call(z, &(call){.op = 0, .n = n}, want);
        lo = want > 0 ? (size_t)want : 0;
        hi = any ? (n < t ? n : t) : lo;
    } else if (op == 1) { /* readexactly */
        size_t n = size_arg(z);
        if (n > sizeof buf_store)
            n = sizeof buf_store;
        want = t >= n ? (ssize_t)n : eof ? end : QAIO_ETIMEDOUT;
        lo = hi = want >= 0 ? (size_t)want : 0;
        if (want < 0 && n > z->limit) {
            /* Over the limit the bytes go to buf as they come. */
            lo = b0;
            hi = t;
            any = want == QAIO_ETIMEDOUT;
            if (!any)
                lo = t;
        }
        r = make_call(z, &(call){.op = 1, .n = n}, want);
    } else { /* readuntil, readline */
        uint8_t sep[4] = {'\n'};
        size_t seplen = 1, cap;
        if (op == 2) {
            seplen = byte(z) % 5;
            for (size_t i = 0; i < seplen; i++)
                sep[i] = byte(z);
            cap = size_arg(z);
        } else {
            cap = size_arg(z);
        }
        if (cap > sizeof buf_store)
            cap = sizeof buf_store;
        size_t e = seplen ? sep_end(z->view, t, sep, seplen) : 0;
        if (op == 2 && (seplen == 0 || cap == 0))
            want = QAIO_EINVAL;
        else if (op == 3 && cap < 2)
            want = QAIO_EINVAL;
        else
            want = until_model(z, b0, t, e, op == 2 ? cap : cap - 1, eof);
        if (want == QAIO_EPIPE)
            want = op == 3 && !z->reset ? (ssize_t)t /* the last line, unterminated */ : end;
        r = make_call(z, &(call){.op = op, .n = cap, .sep = sep, .seplen = seplen}, want);
        lo = hi = want > 0 ? (size_t)want : 0;
        if (op == 3 && r >= 0)
            CHECK(z->buf[r] == 0);
    }
    /* What the call consumed: the peer's bytes neither buffered nor in
     * the kernel (a feed still being written adds to both sides). */
    size_t took = z->W - z->C - buffered(z) - in_kernel(z);
    CHECK(r < 0 || (size_t)r == took);
    CHECK(memcmp(z->buf, z->sent + z->C, took) == 0);
    z->C += took;
    settle(z);
    if (z->refused)
        return; /* less came than the model expected; the bytes were right */
    if (any)
        CHECK(r == want || (want > 0 && r > 0 && (size_t)r >= lo && (size_t)r <= hi) ||
              (op == 1 && r == QAIO_ETIMEDOUT));
    else
        CHECK(r == want);
    CHECK(took >= lo && took <= hi);
}

/* Queues chunks the loop writes while the next call waits. */
static void feed_op(fz *z)
{
    uint8_t spec = byte(z);
    size_t n = (size_t)(spec & 7) + 1, budget = z->W - z->C - buffered(z) + feed_left(z);
    for (size_t i = 0; i < n && z->nfeed < FEED_MAX; i++) {
        uint8_t h = byte(z);
        chunk c = {NULL, 0, 0, (h & 0x40) != 0};
        if (h & 0x80) {
            c.len = fill_len(z, (size_t)(h & 0x3f) * 512);
            c.fill = byte(z);
        } else {
            c.len = h & 0x3f;
            size_t left = (size_t)(z->end - z->p);
            if (c.len > left)
                c.len = left;
            c.data = z->p;
            z->p += c.len;
        }
        if (budget + c.len > KERNEL_MAX)
            break; /* the kernel must take all of it for the model to hold */
        budget += c.len;
        z->feed[z->nfeed++] = c;
    }
    if (z->eof || z->nfeed == 0) {
        z->nfeed = 0;
        return;
    }
    if (spec & 8)
        z->feed_eof = true;
    if (!z->feed_armed) {
        CHECK(qaio_call_soon(L, feed_cb, z) != 0);
        z->feed_armed = true;
    }
}

/* One operation; returns false at the end of the script. */
static bool run_op(fz *z)
{
    if (z->p >= z->end)
        return false;
    uint8_t op = byte(z);
    size_t before = buffered(z);
    switch (op % 10) {
    case 0: /* read, readexactly, readuntil, readline */
    case 1:
    case 2:
    case 3:
        read_op(z, op % 10);
        break;
    case 4: { /* the peer writes bytes of the script */
        size_t len = byte(z), left = (size_t)(z->end - z->p);
        len = len < left ? len : left;
        peer_write(z, z->p, len, 0);
        z->p += len;
        break;
    }
    case 5: /* the peer writes a run of one byte (up to 128 KiB) */
        peer_write(z, NULL, fill_len(z, size_arg(z)), byte(z));
        break;
    case 6: { /* set_limit */
        size_t lim = size_arg(z);
        int err = qaio_stream_set_limit(z->s, lim);
        CHECK(err == (lim ? 0 : QAIO_EINVAL));
        if (lim)
            z->limit = lim;
        break;
    }
    case 7: /* the peer ends the stream (after the feed, if one is queued) */
        if (z->nfeed)
            z->feed_eof = true;
        else if (!z->eof)
            peer_eof(z);
        break;
    case 8:
        feed_op(z);
        return true; /* the next call runs while the feed is written */
    case 9: /* a socketpair's peer resets: it closes with unread data */
        if (z->pipe || z->eof || z->nfeed)
            break;
        CHECK(qaio_stream_write(z->s, "r", 1) == 0);
        close(z->peer);
        z->peer = -1;
        z->eof = z->reset = true;
        break;
    }
    settle(z);
    /* The stream never reads past its limit (a lowered one keeps what is
     * already buffered). */
    size_t b = buffered(z);
    CHECK(b <= z->limit || b <= before);
    return true;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    L = qaio_loop_get();
    return L ? 0 : 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    fz z = {.p = data + 1, .end = data + size, .pipe = data[0] & 1,
            .tasks = data[0] & 2, .sent = sent_store,
            .view = view_store, .buf = buf_store, .limit = QAIO_STREAM_LIMIT};
    int fds[2];
    CHECK((z.pipe ? pipe(fds) : socketpair(AF_UNIX, SOCK_STREAM, 0, fds)) == 0);
    /* The peer never blocks: what the kernel refuses is not sent. */
    z.peer = fds[1];
    CHECK(fcntl(z.peer, F_SETFL, O_NONBLOCK) == 0);
    CHECK(qaio_stream_open_fd(L, fds[0], &z.s) == 0);
    settle(&z);
    while (run_op(&z))
        ;
    settle(&z);
    CHECK(qaio_stream_close(z.s) == 0);
    if (z.peer >= 0)
        close(z.peer);
    return 0;
}
