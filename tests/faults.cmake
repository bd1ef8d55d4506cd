# Fault tests (the hardening issue): tests/test_faults.cpp, one function per
# fault. It starts the real qaio-instrument-sim (its path compiled in, as in
# scpi.cmake) and runs overflow_child (built by tests/CMakeLists.txt) for the
# stack-overflow diagnosis.
add_executable(test_faults test_faults.cpp)
target_link_libraries(test_faults PRIVATE qaio::instr qaio::qaio Qt::Core Qt::Test
  Threads::Threads)
target_compile_definitions(test_faults PRIVATE
  QAIO_SIM_PATH="$<TARGET_FILE:qaio-instrument-sim>")
target_link_libraries(overflow_child PRIVATE Threads::Threads)
add_dependencies(test_faults qaio-instrument-sim overflow_child)
add_test(NAME faults COMMAND test_faults)
set_tests_properties(faults PROPERTIES TIMEOUT 300
  ENVIRONMENT "QTEST_FUNCTION_TIMEOUT=120000;QT_QPA_PLATFORM=offscreen")
