/* TCP echo client using streams: the asyncio documentation's example in C.
 * Start tcp_echo_server first, then:
 *
 *   $ ./tcp_echo_client          # 127.0.0.1:8888, or give the port
 *   Send: "Hello World!"
 *   Received: "Hello World!"
 *   Close the connection
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <qaio.h>

/* The coroutine. Written as straight-line code: each call that waits
 * suspends the task while the Qt event loop keeps running. */
static int tcp_echo_client(void *arg, qaio_future *self)
{
    (void)self;
    const char *message = "Hello World!";
    int port = *(int *)arg;

    qaio_stream *stream;
    int err = qaio_open_connection(qaio_loop_get(), "127.0.0.1", port, 5.0, &stream);
    if (err)
        return err;

    printf("Send: \"%s\"\n", message);
    err = qaio_stream_write(stream, message, strlen(message));
    if (!err)
        err = qaio_stream_drain(stream, 5.0);

    char data[101];
    ssize_t n = err ? err : qaio_stream_read(stream, data, 100, 5.0);
    if (n >= 0) {
        data[n] = '\0';
        printf("Received: \"%s\"\n", data);
    }

    printf("Close the connection\n");
    qaio_stream_wait_closed(stream, 5.0); /* frees the stream in every case */
    return n < 0 ? (int)n : 0;
}

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 8888;
    /* asyncio.run(): runs the task on this thread's loop until it returns.
     * (The same calls also work directly in main: outside a task they block
     * on a nested Qt event loop.) */
    int err = qaio_run(tcp_echo_client, &port, NULL);
    if (err) {
        fprintf(stderr, "tcp_echo_client: 127.0.0.1:%d: %s\n", port, qaio_strerror(err));
        return 1;
    }
    return 0;
}
