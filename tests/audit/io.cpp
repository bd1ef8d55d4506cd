// The bad-input audit of qaio/io.h: one row per function (see audit.h).
// test_io covers the semantics.
#include "audit.h"

namespace {

// qaio_add_reader and qaio_add_writer share their contract, and so do the
// two removals. fd: one the loop may watch.
void checkAddWatcher(int (*add)(qaio_loop *, int, qaio_cb, void *), int fd)
{
    EXPECT(add(nullptr, fd, noop, nullptr), QAIO_EINVAL);
    EXPECT(add(W.loop, fd, nullptr, nullptr), QAIO_EINVAL);
    EXPECT(add(W.loop, -1, noop, nullptr), QAIO_EINVAL);
    EXPECT(add(W.loop, INT_MIN, noop, nullptr), QAIO_EINVAL);
    EXPECT(add(W.loop, INT_MAX, noop, nullptr), QAIO_EBADF); // never open (it hung once)
    EXPECT(add(W.loop, regularFd, noop, nullptr), QAIO_ENOTSUP);
    EXPECT(add(X.loop, fd, noop, nullptr), QAIO_ECLOSED);
    EXPECT(elsewhere([&] { return add(W.loop, fd, noop, nullptr); }), QAIO_EWRONGTHREAD);
}

void checkRemoveWatcher(int (*remove)(qaio_loop *, int))
{
    EXPECT(remove(nullptr, 0), QAIO_EINVAL);
    EXPECT(remove(W.loop, -1), QAIO_EINVAL);
    EXPECT(remove(W.loop, INT_MAX), 0); // none
    EXPECT(remove(W.loop, regularFd), 0);
    EXPECT(remove(X.loop, 0), QAIO_ECLOSED);
    EXPECT(elsewhere([&] { return remove(W.loop, 0); }), QAIO_EWRONGTHREAD);
}

const Row rows[] = {
    {"qaio_add_reader", [] { checkAddWatcher(qaio_add_reader, qaio_stream_fd(W.rd)); }},
    {"qaio_add_writer", [] { checkAddWatcher(qaio_add_writer, qaio_stream_fd(W.wr)); }},
    {"qaio_remove_reader", [] { checkRemoveWatcher(qaio_remove_reader); }},
    {"qaio_remove_writer", [] { checkRemoveWatcher(qaio_remove_writer); }},
    {"qaio_add_signal_handler", [] {
         EXPECT(qaio_add_signal_handler(nullptr, SIGUSR2, noop, nullptr), QAIO_EINVAL);
         EXPECT(qaio_add_signal_handler(W.loop, SIGUSR2, nullptr, nullptr), QAIO_EINVAL);
         for (int bad : {0, -1, NSIG, INT_MAX, SIGKILL, SIGSTOP})
             EXPECT(qaio_add_signal_handler(W.loop, bad, noop, nullptr), QAIO_EINVAL);
         EXPECT(qaio_add_signal_handler(X.loop, SIGUSR2, noop, nullptr), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_add_signal_handler(W.loop, SIGUSR2, noop, nullptr); }),
                QAIO_EWRONGTHREAD);
     }},
    {"qaio_remove_signal_handler", [] {
         EXPECT(qaio_remove_signal_handler(nullptr, SIGUSR2), QAIO_EINVAL);
         EXPECT(qaio_remove_signal_handler(W.loop, 0), QAIO_EINVAL);
         EXPECT(qaio_remove_signal_handler(W.loop, NSIG), QAIO_EINVAL);
         EXPECT(qaio_remove_signal_handler(W.loop, SIGUSR2), 0); // none
         EXPECT(qaio_remove_signal_handler(X.loop, SIGUSR2), QAIO_ECLOSED);
         EXPECT(elsewhere([] { return qaio_remove_signal_handler(W.loop, SIGUSR2); }),
                QAIO_EWRONGTHREAD);
     }},
};
const RegisterRows registered("io.h", rows);
} // namespace
