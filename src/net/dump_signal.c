/* The task dump on a signal (introspect.h): io_signal.c's self-pipe turns
 * the signal into an ordinary loop turn, where dumping may allocate and
 * call the log hook, none of which a signal handler may do. */
#include "qaio/introspect.h"
#include "qaio/io.h"

static void dump(void *arg) { qaio_loop_dump_tasks(arg); }

int qaio_loop_dump_on_signal(qaio_loop *loop, int signo)
{
    return qaio_add_signal_handler(loop, signo, dump, loop);
}
