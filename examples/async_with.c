/* Async context managers in C: a resource taken with a wait and given back
 * on every way out -- normal return, error, and cancellation.
 *
 * Originals: Python's `async with` (PEP 492) in the two forms of the asyncio
 * documentation: `async with lock:` (asyncio.Lock) and a connection closed
 * when its block ends (the writer.close(); await writer.wait_closed() of
 * the streams examples, or trio's `async with stream:`).
 *
 * What differs: C has no `async with`. The shape that replaces it is one
 * function: acquire, run the body, release -- with the body's result
 * returned after the release. Cancellation needs no extra path: inside a
 * cancelled task every wait returns QAIO_ECANCELED, so the body returns
 * through the same release. The program checks that the lock is free and
 * the server saw the connection go after each case.
 */
#include <stdio.h>
#include <qaio.h>

/* `async with lock: return body(arg)` */
static int with_lock(qaio_lock *lock, int (*body)(void *), void *arg)
{
    int err = qaio_lock_acquire(lock, 5.0);
    if (err)
        return err; /* not acquired: nothing to release */
    err = body(arg);
    qaio_lock_release(lock); /* on every path out of the body */
    return err;
}

static int work(void *arg)
{
    int outcome = *(int *)arg;
    int err = qaio_sleep(0.05);
    return err ? err : outcome;
}

static int locked_work(void *arg, qaio_future *self)
{
    (void)self;
    void **a = arg;
    return with_lock(a[0], work, a[1]);
}

/* `async with connect(host, port) as conn: ...` */
static int with_connection(int port, int (*body)(qaio_stream *))
{
    qaio_stream *conn;
    int err = qaio_open_connection(qaio_loop_get(), "127.0.0.1", port, 5.0, &conn);
    if (err)
        return err;
    err = body(conn);
    int closed = qaio_stream_wait_closed(conn, 1.0); /* frees conn on every path */
    return err ? err : closed;
}

static int ask_forever(qaio_stream *conn)
{
    char buf[64];
    qaio_stream_write(conn, "hello\n", 6);
    return (int)qaio_stream_read(conn, buf, sizeof buf, QAIO_FOREVER); /* never answered */
}

static int connected_client(void *arg, qaio_future *self)
{
    (void)self;
    return with_connection(*(int *)arg, ask_forever);
}

/* A server that reads and never answers, so the client waits until cancelled. */
static int silent_handler(qaio_stream *conn, void *arg)
{
    (void)arg;
    char buf[64];
    while (qaio_stream_read(conn, buf, sizeof buf, QAIO_FOREVER) > 0) {
    }
    return 0;
}

static int main_task(void *arg, qaio_future *self)
{
    (void)arg;
    (void)self;
    qaio_loop *loop = qaio_loop_get();
    qaio_lock *lock = qaio_lock_new(loop);
    if (!lock)
        return QAIO_ENOMEM;

    /* The lock: a body that succeeds, one that fails, one that is cancelled. */
    int outcomes[] = {0, QAIO_EPROTO, 0};
    const char *cases[] = {"returns", "fails", "is cancelled"};
    for (int i = 0; i < 3; i++) {
        void *a[] = {lock, &outcomes[i]};
        qaio_future *t = qaio_spawn(loop, locked_work, a);
        if (i == 2) {
            qaio_sleep(0.01); /* the task holds the lock and sleeps in its body */
            printf("holding the lock: %s\n", qaio_lock_locked(lock) ? "yes" : "no");
            qaio_future_cancel(t);
        }
        int err = qaio_await(t, NULL);
        printf("body %s (%s): lock %s\n", cases[i], qaio_err_name(err),
               qaio_lock_locked(lock) ? "STILL HELD" : "released");
        qaio_future_unref(t);
    }
    qaio_lock_free(lock);

    /* The connection: cancelled while waiting for an answer. */
    qaio_server *server;
    int err = qaio_start_server(loop, "127.0.0.1", 0, silent_handler, NULL, &server);
    if (err)
        return err;
    int port = qaio_server_port(server);
    qaio_future *client = qaio_spawn(loop, connected_client, &port);
    for (int i = 0; i < 100 && qaio_server_connections(server) == 0; i++)
        qaio_sleep(0.01);
    printf("connected: server has %d connection\n", qaio_server_connections(server));
    qaio_future_cancel(client);
    err = qaio_await(client, NULL);
    for (int i = 0; i < 100 && qaio_server_connections(server) > 0; i++)
        qaio_sleep(0.01); /* the server's handler sees end of stream */
    printf("client %s: server has %d connections\n", qaio_err_name(err),
           qaio_server_connections(server));
    qaio_future_unref(client);
    qaio_server_close(server);
    return 0;
}

int main(void)
{
    int err = qaio_run(main_task, NULL, NULL);
    qaio_loop_close(qaio_loop_get());
    if (err) {
        fprintf(stderr, "async_with: %s\n", qaio_strerror(err));
        return 1;
    }
    return 0;
}
