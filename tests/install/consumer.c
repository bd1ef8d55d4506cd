/* Built against an installed qaio (find_package and pkg-config): proves the
 * installed headers are self-contained C11 and the library links. */
#include <qaio.h>
#include <stdio.h>

static void set(void *arg) { qaio_future_set_result(arg, (void *)42, NULL); }

int main(void)
{
    qaio_loop *loop = qaio_loop_get();
    qaio_future *f = qaio_future_new(loop);
    qaio_call_later(loop, 0.001, set, f);
    void *v = NULL;
    int err = qaio_future_result_timeout(f, 5.0, &v);
    qaio_future_unref(f);
    printf("consumer: %s %d\n", qaio_err_name(err), (int)(long)v);
    return err == 0 && (long)v == 42 ? 0 : 1;
}
