# Fault tests: tests/test_faults.cpp, what a user sees when something
# breaks, one function per fault. It starts the real qaio-instrument-sim (its path compiled in, as in
# scpi.cmake) and runs overflow_child (built by tests/CMakeLists.txt) for the
# stack-overflow diagnosis.
target_link_libraries(overflow_child PRIVATE Threads::Threads)
qaio_add_test(NAME faults SOURCES test_faults.cpp LIBS qaio::instr ${QAIO_TEST_LIBS}
  DEFINES QAIO_SIM_PATH="$<TARGET_FILE:qaio-instrument-sim>"
  DEPENDS qaio-instrument-sim overflow_child
  TIMEOUT 300 FUNCTION_TIMEOUT 120000 LABELS apps)
