# Randomised schedules (hardening, issue 8): random programs of tasks,
# futures, cancellations and other threads' calls, checked against the
# library's invariants. Seeded: QAIO_RANDOM_SEED / QAIO_RANDOM_ROUNDS (see
# the test's header comment); fewer rounds when QAIO_TEST_TASKS is set, as
# scripts/test does for TSan and valgrind.
add_executable(test_random_schedule test_random_schedule.cpp)
target_link_libraries(test_random_schedule PRIVATE qaio::qaio Qt::Core Qt::Test Threads::Threads)
add_test(NAME random_schedule COMMAND test_random_schedule)
set_tests_properties(random_schedule PROPERTIES TIMEOUT 600
  ENVIRONMENT "QTEST_FUNCTION_TIMEOUT=600000;QT_QPA_PLATFORM=offscreen")
