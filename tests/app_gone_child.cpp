// Run by test_qt: qaio used after the application object it attached to was
// destroyed. Every call must fail with QAIO_ECLOSED at once; before, the
// first wait spun in a QEventLoop whose dispatcher had died, for ever.
#include <QCoreApplication>
#include <cerrno>
#include <cstdio>
#include <qaio.h>

int main(int argc, char **argv)
{
    qaio_loop *loop;
    {
        QCoreApplication app(argc, argv);
        loop = qaio_loop_get();
        std::printf("with the application: sleep %s\n", qaio_err_name(qaio_sleep(0.001)));
    }
    std::printf("sleep %s\n", qaio_err_name(qaio_sleep(0.01)));
    qaio_future *f = qaio_future_new(loop);
    std::printf("future_new %s\n", f ? "succeeded" : qaio_err_name(-errno));
    std::printf("run_forever %s\n", qaio_err_name(qaio_loop_run_forever(loop)));
    std::printf("same loop %s\n", qaio_loop_get() == loop ? "yes" : "no");
    std::printf("close %s\n", qaio_err_name(qaio_loop_close(loop)));
    return 0;
}
