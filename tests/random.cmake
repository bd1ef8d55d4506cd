# Randomised schedules: random programs of tasks, futures, cancellations
# and other threads' calls, checked against the library's invariants.
# Seeded: QAIO_RANDOM_SEED / QAIO_RANDOM_ROUNDS (see the test's header
# comment); fewer rounds when QAIO_TEST_TASKS is set, as QaioTest.cmake
# does for TSan and valgrind.
qaio_add_test(NAME random_schedule SOURCES test_random_schedule.cpp
  TIMEOUT 600 FUNCTION_TIMEOUT 600000 LABELS core)
