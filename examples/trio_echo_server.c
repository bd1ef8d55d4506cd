/* trio's echo server: every connection gets its own task, which sends back
 * whatever it receives until the peer closes.
 *
 * Original: echo-server.py of trio's tutorial: echo_server(server_stream)
 * numbers each connection (CONNECTION_COUNTER), prints "echo_server N:
 * started", "received data ..." for each chunk, "connection closed" at the
 * end (or "crashed: ..."), and trio.serve_tcp(echo_server, PORT) runs it.
 *
 * What differs: qaio_start_server() binds 127.0.0.1 (trio binds every
 * interface); port 0 picks a free port, printed on the first line; SIGINT
 * or SIGTERM stops the server cleanly -- handlers still running are
 * cancelled and waited for -- where trio's ends on KeyboardInterrupt.
 *
 *   $ ./trio_echo_server 12345 &
 *   $ ./trio_sender_receiver 12345
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <qaio.h>

static int echo_server(qaio_stream *conn, void *arg)
{
    int ident = ++*(int *)arg; /* one loop thread: no lock needed */
    char data[4096];
    printf("echo_server %d: started\n", ident);
    ssize_t n;
    while ((n = qaio_stream_read(conn, data, sizeof data, QAIO_FOREVER)) > 0) {
        printf("echo_server %d: received data \"%.*s\"\n", ident, (int)n, data);
        int err = qaio_stream_write(conn, data, (size_t)n);
        if (!err)
            err = qaio_stream_drain(conn, 10.0);
        if (err) {
            n = err;
            break;
        }
    }
    if (n < 0)
        printf("echo_server %d: crashed: %s\n", ident, qaio_strerror((int)n));
    else
        printf("echo_server %d: connection closed\n", ident);
    fflush(stdout);
    return n < 0 ? (int)n : 0;
}

static void on_signal(void *arg)
{
    qaio_loop_stop(arg);
}

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 12345;
    qaio_loop *loop = qaio_loop_get();
    int connections = 0;
    qaio_server *server;
    int err = qaio_start_server(loop, "127.0.0.1", port, echo_server, &connections, &server);
    if (err) {
        fprintf(stderr, "trio_echo_server: port %d: %s\n", port, qaio_strerror(err));
        return 1;
    }
    printf("Serving on 127.0.0.1:%d\n", qaio_server_port(server));
    fflush(stdout);
    qaio_add_signal_handler(loop, SIGINT, on_signal, loop);
    qaio_add_signal_handler(loop, SIGTERM, on_signal, loop);
    qaio_loop_run_forever(loop);
    qaio_server_close(server);
    qaio_loop_close(loop);
    printf("Server stopped after %d connections\n", connections);
    return 0;
}
