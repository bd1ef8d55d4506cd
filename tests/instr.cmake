# libqaio-instr's suites: one Qt Test executable per concept, each with a
# CTest timeout and QTest's per-function watchdog. Every simulation is
# seeded, so the statistical tolerances (stated in the tests) cannot flake.
set(QAIO_INSTR_TESTS spectrum scope acquisition na)
foreach(name ${QAIO_INSTR_TESTS})
  add_executable(test_instr_${name} test_instr_${name}.cpp)
  target_link_libraries(test_instr_${name} PRIVATE qaio::instr qaio::qaio Qt::Core Qt::Test
    Threads::Threads)
  add_test(NAME instr_${name} COMMAND test_instr_${name})
  set_tests_properties(instr_${name} PROPERTIES TIMEOUT 120
    ENVIRONMENT "QTEST_FUNCTION_TIMEOUT=60000;QT_QPA_PLATFORM=offscreen")
endforeach()

# The automatic measurements (measure.h): pure functions, no loop.
add_executable(test_measure test_measure.cpp)
target_link_libraries(test_measure PRIVATE qaio::instr qaio::qaio Qt::Core Qt::Test Threads::Threads)
add_test(NAME instr_measure COMMAND test_measure)
set_tests_properties(instr_measure PROPERTIES TIMEOUT 60
  ENVIRONMENT "QTEST_FUNCTION_TIMEOUT=30000;QT_QPA_PLATFORM=offscreen")

# The CSV format: round trip, older files, refusals with their line.
add_executable(test_csv test_csv.cpp)
target_link_libraries(test_csv PRIVATE qaio::instr qaio::qaio Qt::Core Qt::Test)
add_test(NAME instr_csv COMMAND test_csv)
set_tests_properties(instr_csv PROPERTIES TIMEOUT 60 ENVIRONMENT "QTEST_FUNCTION_TIMEOUT=30000")

# Continuous acquisition's state machine and frames.
add_executable(test_instr_continuous test_instr_continuous.cpp)
target_link_libraries(test_instr_continuous PRIVATE qaio::instr qaio::qaio Qt::Core Qt::Test)
add_test(NAME instr_continuous COMMAND test_instr_continuous)
set_tests_properties(instr_continuous PROPERTIES TIMEOUT 120 ENVIRONMENT "QTEST_FUNCTION_TIMEOUT=60000")
