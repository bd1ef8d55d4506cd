/* trio's nursery: a parent that starts two children and waits for both.
 *
 * Original: the first example of trio's tutorial ("Okay, let's see
 * something cool already"): parent() opens a nursery with `async with
 * trio.open_nursery()`, starts child1 and child2 with nursery.start_soon()
 * -- each sleeps 1 s -- and the block ends only when both have exited.
 *
 * What differs: the nursery is a qaio_task_group; the end of the `async
 * with` block is qaio_task_group_wait(). Sleeps are 0.1 s. A second round
 * shows the rest of the nursery contract: a child that fails cancels its
 * siblings, and the parent gets the error once all of them are done.
 */
#include <stdio.h>
#include <qaio.h>

static int child(void *arg, qaio_future *self)
{
    (void)self;
    const char *name = arg;
    printf("  %s: started! sleeping now...\n", name);
    int err = qaio_sleep(0.1);
    printf("  %s: exiting! (%s)\n", name, err ? qaio_strerror(err) : "slept");
    return err;
}

static int failing_child(void *arg, qaio_future *self)
{
    (void)arg;
    (void)self;
    qaio_sleep(0.05);
    printf("  child3: failing\n");
    return QAIO_EPROTO;
}

static int parent(void *arg, qaio_future *self)
{
    (void)arg;
    (void)self;
    printf("parent: started!\n");
    qaio_task_group *nursery = qaio_task_group_new(qaio_loop_get());
    if (!nursery)
        return QAIO_ENOMEM;
    printf("parent: spawning child1...\n");
    qaio_future_unref(qaio_task_group_spawn(nursery, "child1", child, "child1"));
    printf("parent: spawning child2...\n");
    qaio_future_unref(qaio_task_group_spawn(nursery, "child2", child, "child2"));
    printf("parent: waiting for children to finish...\n");
    int err = qaio_task_group_wait(nursery, QAIO_FOREVER); /* the end of `async with` */
    qaio_task_group_free(nursery);
    printf("parent: all done! (%s)\n", err ? qaio_strerror(err) : "ok");

    printf("parent: again, with a child that fails\n");
    nursery = qaio_task_group_new(qaio_loop_get());
    if (!nursery)
        return QAIO_ENOMEM;
    qaio_future_unref(qaio_task_group_spawn(nursery, "child1", child, "child1"));
    qaio_future_unref(qaio_task_group_spawn(nursery, "child3", failing_child, NULL));
    err = qaio_task_group_wait(nursery, QAIO_FOREVER);
    qaio_task_group_free(nursery);
    printf("parent: nursery failed with %s\n", qaio_err_name(err));
    return err == QAIO_EPROTO ? 0 : QAIO_EIO;
}

int main(void)
{
    int err = qaio_run(parent, NULL, NULL);
    qaio_loop_close(qaio_loop_get());
    return err ? 1 : 0;
}
