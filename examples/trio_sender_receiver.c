/* trio's tutorial echo client in C: a sender task and a receiver task run
 * concurrently on one connection, inside a task group (trio's nursery).
 * The group is a scope: the parent waits at qaio_task_group_wait() until
 * both children are done, and if one fails the other is cancelled.
 *
 *   $ ./trio_echo_server 12345 &      # trio's tutorial echo server
 *   $ ./trio_sender_receiver 12345    # 3 messages
 *   $ ./trio_sender_receiver 12345 5  # 5 messages
 *
 * Unlike the tutorial's endless sender, ours sends COUNT messages (3 by
 * default) and then shuts its sending side down; the echo server closes,
 * the receiver sees the end of the stream and ends the nursery -- the
 * tutorial's sys.exit(). Against tcp_echo_server, which answers one
 * message and hangs up, the receiver ends it after the first echo.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <qaio.h>

#define SEND_INTERVAL_S 0.3 /* trio's tutorial sleeps 1 s */

typedef struct {
    qaio_stream *stream;
    qaio_task_group *nursery;
    int count;
} client;

static int sender(void *arg, qaio_future *self)
{
    (void)self;
    client *c = arg;
    const char *data = "async can sometimes be confusing, but I believe in you!";
    printf("sender: started!\n");
    for (int i = 0; i < c->count; i++) {
        printf("sender: sending \"%s\"\n", data);
        int err = qaio_stream_write(c->stream, data, strlen(data));
        if (!err)
            err = qaio_stream_drain(c->stream, QAIO_FOREVER);
        if (!err)
            err = qaio_sleep(SEND_INTERVAL_S); /* QAIO_ECANCELED if the nursery ends */
        if (err)
            return err;
    }
    printf("sender: done, closing the sending side\n");
    return qaio_stream_write_eof(c->stream); /* the peer reads end of stream */
}

static int receiver(void *arg, qaio_future *self)
{
    (void)self;
    client *c = arg;
    char data[4096];
    printf("receiver: started!\n");
    for (;;) { /* trio's `async for data in client_stream` */
        ssize_t n = qaio_stream_read(c->stream, data, sizeof data, QAIO_FOREVER);
        if (n < 0)
            return (int)n;
        if (n == 0)
            break;
        printf("receiver: got data \"%.*s\"\n", (int)n, data);
    }
    printf("receiver: connection closed\n");
    qaio_task_group_cancel(c->nursery); /* the tutorial's sys.exit(): stop the sender too */
    return 0;
}

typedef struct {
    int port, count;
} options;

static int parent(void *arg, qaio_future *self)
{
    (void)self;
    options *o = arg;
    qaio_loop *loop = qaio_loop_get();
    printf("parent: connecting to 127.0.0.1:%d\n", o->port);
    client c = {NULL, NULL, o->count};
    int err = qaio_open_connection(loop, "127.0.0.1", o->port, 5.0, &c.stream);
    if (!err) {
        c.nursery = qaio_task_group_new(loop);
        if (!c.nursery)
            err = QAIO_ENOMEM;
    }
    if (!err) {
        /* `async with trio.open_nursery() as nursery:` */
        printf("parent: spawning sender...\n");
        qaio_future_unref(qaio_task_group_spawn(c.nursery, "sender", sender, &c));
        printf("parent: spawning receiver...\n");
        qaio_future_unref(qaio_task_group_spawn(c.nursery, "receiver", receiver, &c));
        err = qaio_task_group_wait(c.nursery, QAIO_FOREVER); /* the end of the `async with` */
        printf("parent: nursery done (%s)\n", err ? qaio_strerror(err) : "ok");
    }
    qaio_task_group_free(c.nursery);
    qaio_stream_close(c.stream);
    return err;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: trio_sender_receiver PORT [COUNT]\n");
        return 2;
    }
    options o = {atoi(argv[1]), argc > 2 ? atoi(argv[2]) : 3};
    int err = qaio_run(parent, &o, NULL);
    if (err) {
        fprintf(stderr, "trio_sender_receiver: %s\n", qaio_strerror(err));
        return 1;
    }
    return 0;
}
