/* TCP echo server using streams: the asyncio documentation's example in C.
 * Each connection runs handle_echo() as a task of its own; it reads one
 * message, prints it, sends it back and closes the connection.
 *
 *   $ ./tcp_echo_server          # 127.0.0.1:8888; a port (0 = any free
 *   Serving on 127.0.0.1:8888    # one) may be given as the argument
 *   Received "Hello World!" from 127.0.0.1:53124
 *   Send: "Hello World!"
 *   Close the connection
 *
 * Ctrl-C (or SIGTERM) stops it cleanly.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <qaio.h>

/* The connection handler: a task per client. The stream belongs to the
 * server, which closes it after we return, but closing it ourselves (and
 * waiting until the reply went out) is what the asyncio example does. */
static int handle_echo(qaio_stream *conn, void *arg)
{
    (void)arg;
    char data[101];
    ssize_t n = qaio_stream_read(conn, data, 100, 10.0); /* suspends this task only */
    if (n < 0)
        return (int)n;
    data[n] = '\0';

    char peer[64];
    qaio_stream_peer_address(conn, peer, sizeof peer);
    printf("Received \"%s\" from %s\n", data, peer);
    printf("Send: \"%s\"\n", data);
    fflush(stdout);
    int err = qaio_stream_write(conn, data, (size_t)n); /* never waits */
    if (!err)
        err = qaio_stream_drain(conn, 10.0);

    printf("Close the connection\n");
    fflush(stdout);
    int closed = qaio_stream_wait_closed(conn, 10.0); /* flushes, then closes */
    return err ? err : closed;
}

/* SIGINT/SIGTERM arrive here in an ordinary loop turn, not in signal context. */
static void on_signal(void *arg)
{
    qaio_loop_stop(arg);
}

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 8888;
    qaio_loop *loop = qaio_loop_get(); /* creates a QCoreApplication */

    qaio_server *server;
    int err = qaio_start_server(loop, "127.0.0.1", port, handle_echo, NULL, &server);
    if (err) {
        fprintf(stderr, "tcp_echo_server: port %d: %s\n", port, qaio_strerror(err));
        return 1;
    }
    printf("Serving on 127.0.0.1:%d\n", qaio_server_port(server));
    fflush(stdout);

    qaio_add_signal_handler(loop, SIGINT, on_signal, loop);
    qaio_add_signal_handler(loop, SIGTERM, on_signal, loop);
    qaio_loop_run_forever(loop); /* serve_forever(), until a signal stops it */

    qaio_server_close(server); /* cancels the handlers still running, waits for them */
    qaio_loop_close(loop);
    printf("Server stopped\n");
    return 0;
}
