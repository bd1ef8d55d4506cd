/* Async iterators in C: a loop whose every step may wait, ended by the
 * source saying "no more".
 *
 * Originals: Python's `async for` (PEP 492) in its two usual forms:
 *  - over the lines of a stream, as in the asyncio subprocess
 *    documentation (`async for line in proc.stdout`), ended by end of file;
 *  - over a channel that the producer closes, as trio's memory channels
 *    (`async for value in receive_channel`, ended by closing the send side)
 *    or asyncio.Queue.shutdown() since Python 3.13.
 *
 * What differs: C has no `async for`; the iterator is a plain loop around a
 * call that waits. qaio_stream_readline() returns 0 at the end of the
 * stream, and qaio_queue_get() returns QAIO_EPIPE once the queue is closed
 * and drained. The queue is bounded (2 items), so the producer waits for
 * the consumer: back-pressure comes with the iterator.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <qaio.h>

/* 1. Lines of a child process's output, read as they come. */
static int lines_of_a_process(void)
{
    const char *argv[] = {"sh", "-c", "for i in 1 2 3; do echo \"reading $i\"; sleep 0.05; done",
                          NULL};
    qaio_process_options opts = {0};
    opts.argv = argv;
    opts.stdio[1].mode = QAIO_STDIO_PIPE;
    qaio_process *p;
    int err = qaio_process_spawn(qaio_loop_get(), &opts, &p);
    if (err)
        return err;
    char line[256];
    ssize_t n;
    /* async for line in proc.stdout: */
    while ((n = qaio_stream_readline(qaio_process_stdout(p), line, sizeof line, 5.0)) > 0)
        printf("line: %s", line);
    int status = -1;
    err = n < 0 ? (int)n : qaio_process_wait(p, 5.0, &status);
    printf("end of stream, exit status %d\n", status);
    qaio_process_free(p);
    return err;
}

/* 2. Items of a closable queue: a producer task and the iterating consumer. */
static int producer(void *arg, qaio_future *self)
{
    (void)self;
    qaio_queue *q = arg;
    for (int i = 1; i <= 5; i++) {
        int *item = malloc(sizeof *item);
        if (!item)
            return QAIO_ENOMEM;
        *item = i * i;
        printf("put %d\n", *item); /* after the put, the item is the queue's */
        int err = qaio_queue_put(q, item, QAIO_FOREVER); /* waits while full */
        if (err) {
            free(item); /* a failed put leaves the item ours */
            return err;
        }
    }
    return qaio_queue_close(q); /* the consumer's loop ends after the last item */
}

static int items_of_a_queue(void)
{
    qaio_queue *q = qaio_queue_new(qaio_loop_get(), 2, free);
    if (!q)
        return QAIO_ENOMEM;
    qaio_future *prod = qaio_spawn(qaio_loop_get(), producer, q);
    void *item;
    int err, sum = 0;
    /* async for item in channel: */
    while ((err = qaio_queue_get(q, &item, 5.0)) == 0) {
        printf("got %d\n", *(int *)item);
        sum += *(int *)item;
        free(item);
    }
    printf("queue closed: %s, sum %d\n", qaio_err_name(err), sum);
    if (err == QAIO_EPIPE) /* the normal end of the iteration */
        err = qaio_await(prod, NULL);
    qaio_future_unref(prod);
    qaio_queue_free(q);
    return err;
}

static int main_task(void *arg, qaio_future *self)
{
    (void)arg;
    (void)self;
    int err = lines_of_a_process();
    return err ? err : items_of_a_queue();
}

int main(void)
{
    int err = qaio_run(main_task, NULL, NULL);
    qaio_loop_close(qaio_loop_get());
    if (err) {
        fprintf(stderr, "async_iter: %s\n", qaio_strerror(err));
        return 1;
    }
    return 0;
}
