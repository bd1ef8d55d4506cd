/* qaio-instrument-sim: the simulated scope as a SCPI server on TCP. The
 * server itself is libqaio-instr's (scpi_server.h), so tests run the same
 * code in-process; this file only reads options and waits for a signal. */
#include <getopt.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qaio.h>
#include <qaio/instr.h>

static void usage(FILE *f)
{
    char names[400] = "";
    size_t n = 0;
    for (size_t i = 0; qaio_scpi_server_personality_name(i) && n < sizeof names; i++)
        n += (size_t)snprintf(names + n, sizeof names - n, "%s%s", i ? " " : "",
                              qaio_scpi_server_personality_name(i));
    fprintf(f,
            "usage: qaio-instrument-sim [--personality NAME] [--bind ADDR] [--port N]\n"
            "                           [--signal S] [--rate HZ] [--points N] [--latency S]\n"
            "                           [--acquire-timeout S] [--max-sessions N]\n"
            "                           [--idle-timeout S]\n"
            "       qaio-instrument-sim --help | --version\n"
            "Serves a simulated two-channel oscilloscope over SCPI (raw socket).\n"
            "  --personality NAME  answer as this family does (default qaio):\n"
            "                %s\n"
            "  --bind ADDR   address to listen on (default 127.0.0.1; 0.0.0.0 for all)\n"
            "  --port N      TCP port (default: the personality's, 5025 for qaio;\n"
            "                0 picks a free one)\n"
            "  --signal S    input of both channels, e.g. 'sine amp=1 freq=10e3; noise rms=1e-3'\n"
            "                (default: " QAIO_SIGNAL_DEFAULT ")\n"
            "  --rate HZ     sample rate (default 1e6)\n"
            "  --points N    record length (default 1024)\n"
            "  --latency S   extra time per acquisition (default 0)\n"
            "  --acquire-timeout S  a record's deadline (default 10): past it the\n"
            "                query fails with -240 and the scope is free again\n"
            "  --max-sessions N     connections served at once (default 64); more\n"
            "                are closed at once\n"
            "  --idle-timeout S     a silent connection is closed (default 300;\n"
            "                negative: never)\n"
            "The bound port is printed on standard output; SIGINT/SIGTERM stop the server.\n",
            names);
}

static void on_signal(void *arg) { qaio_loop_stop(arg); }

static int number(const char *opt, const char *text, double *out)
{
    char *end;
    *out = strtod(text, &end);
    if (end == text || *end) {
        fprintf(stderr, "qaio-instrument-sim: %s: not a number: '%s'\n", opt, text);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    qaio_scpi_server_options o;
    qaio_scpi_server_options_default(&o);
    static const struct option longopts[] = {
        {"bind", required_argument, 0, 'b'},  {"port", required_argument, 0, 'p'},
        {"signal", required_argument, 0, 's'}, {"rate", required_argument, 0, 'r'},
        {"points", required_argument, 0, 'n'}, {"latency", required_argument, 0, 'l'},
        {"personality", required_argument, 0, 'P'},
        {"acquire-timeout", required_argument, 0, 'A'},
        {"max-sessions", required_argument, 0, 'M'},
        {"idle-timeout", required_argument, 0, 'I'},
        {"help", no_argument, 0, 'h'},         {"version", no_argument, 0, 'V'},
        {0, 0, 0, 0}};
    bool port_given = false;
    int c;
    double v;
    while ((c = getopt_long(argc, argv, "b:p:s:r:n:l:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'b': o.host = optarg; break;
        case 'P':
            if (qaio_scpi_server_personality_port(optarg) < 0) {
                fprintf(stderr, "qaio-instrument-sim: --personality: no personality '%s'\n",
                        optarg);
                usage(stderr);
                return 2;
            }
            o.personality = optarg;
            break;
        case 's': o.signal = optarg; break;
        case 'p':
            if (number("--port", optarg, &v) || v < 0 || v > 65535 || v != (int)v) {
                fprintf(stderr, "qaio-instrument-sim: --port must be 0..65535\n");
                return 2;
            }
            o.port = (int)v;
            port_given = true;
            break;
        case 'r':
            if (number("--rate", optarg, &v))
                return 2;
            o.rate = v;
            break;
        case 'n':
            if (number("--points", optarg, &v) || v < 2 || v != (double)(size_t)v) {
                fprintf(stderr, "qaio-instrument-sim: --points must be an integer >= 2\n");
                return 2;
            }
            o.points = (size_t)v;
            break;
        case 'l':
            if (number("--latency", optarg, &v))
                return 2;
            o.latency_s = v;
            break;
        case 'A':
            if (number("--acquire-timeout", optarg, &v) || !(v > 0)) {
                fprintf(stderr, "qaio-instrument-sim: --acquire-timeout must be > 0\n");
                return 2;
            }
            o.acquire_timeout_s = v;
            break;
        case 'M':
            if (number("--max-sessions", optarg, &v) || v < 1 || v > 1e6 || v != (int)v) {
                fprintf(stderr, "qaio-instrument-sim: --max-sessions must be an integer >= 1\n");
                return 2;
            }
            o.max_sessions = (int)v;
            break;
        case 'I':
            if (number("--idle-timeout", optarg, &v) || v == 0) {
                fprintf(stderr, "qaio-instrument-sim: --idle-timeout must be non-zero\n");
                return 2;
            }
            o.idle_timeout_s = v;
            break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("qaio-instrument-sim %s\n", qaio_version_string()); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        usage(stderr);
        return 2;
    }
    if (!port_given && o.personality)
        o.port = qaio_scpi_server_personality_port(o.personality);
    qaio_loop *loop = qaio_loop_get();
    if (!loop) {
        fprintf(stderr, "qaio-instrument-sim: no event loop\n");
        return 1;
    }
    qaio_scpi_server *srv;
    char msg[200];
    int err = qaio_scpi_server_start(loop, &o, &srv, msg, sizeof msg);
    if (err) {
        fprintf(stderr, "qaio-instrument-sim: %s\n", msg[0] ? msg : qaio_strerror(err));
        return 1;
    }
    qaio_add_signal_handler(loop, SIGINT, on_signal, loop);
    qaio_add_signal_handler(loop, SIGTERM, on_signal, loop);
    printf("%d\n", qaio_scpi_server_port(srv));
    fflush(stdout);
    fprintf(stderr, "qaio-instrument-sim: listening on %s:%d\n", o.host ? o.host : "127.0.0.1",
            qaio_scpi_server_port(srv));
    qaio_loop_run_forever(loop);
    qaio_scpi_server_close(srv);
    qaio_loop_close(loop);
    return 0;
}
