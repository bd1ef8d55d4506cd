// A C++ Qt program against an installed qaio: a qaio future resolved by a
// QTimer on the same QCoreApplication loop; with QAIO_CONSUMER_INSTR it uses
// libqaio-instr too. Proves the headers (qt.hpp included) compile as C++
// next to Qt's.
#include <QCoreApplication>
#include <QTimer>
#include <cstdio>
#include <qaio.h>
#include <qaio/qt.hpp>
#ifdef QAIO_CONSUMER_INSTR
#include <qaio/instr.h>
#endif

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    qaio_loop *loop = qaio_loop_get();
    qaio_future *f = qaio_future_new(loop);
    QTimer::singleShot(1, &app, [f] { qaio_future_set_result(f, reinterpret_cast<void *>(42), nullptr); });
    int ran = 0; // qt.hpp from the installed tree: a callable with a capture
    qaio::callSoon(loop, [&ran] { ran++; });
    void *v = nullptr;
    int err = qaio_future_result_timeout(f, 5.0, &v);
    qaio_future_unref(f);
    bool ok = err == 0 && v == reinterpret_cast<void *>(42) && ran == 1;
#ifdef QAIO_CONSUMER_INSTR
    ok = ok && qaio_fft_backend() != nullptr;
#endif
    std::printf("consumer_qt: %s, Qt %s, libqaio %s\n", qaio_err_name(err), qVersion(),
                qaio_version_string());
    return ok ? 0 : 1;
}
