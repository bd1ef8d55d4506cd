# libqaio-instr's suites: one Qt Test executable per concept, each with a
# CTest timeout and QTest's per-function watchdog. Every simulation is
# seeded, so the statistical tolerances (stated in the tests) cannot flake.
set(QAIO_INSTR_TESTS spectrum scope acquisition na continuous)
foreach(name ${QAIO_INSTR_TESTS})
  qaio_add_test(NAME instr_${name} SOURCES test_instr_${name}.cpp
    LIBS qaio::instr ${QAIO_TEST_LIBS} LABELS instr)
endforeach()

# The automatic measurements (measure.h): pure functions, no loop.
qaio_add_test(NAME instr_measure TARGET test_measure SOURCES test_measure.cpp
  LIBS qaio::instr ${QAIO_TEST_LIBS} TIMEOUT 60 FUNCTION_TIMEOUT 30000 LABELS instr)

# The CSV format: round trip, older files, refusals with their line.
qaio_add_test(NAME instr_csv TARGET test_csv SOURCES test_csv.cpp
  LIBS qaio::instr ${QAIO_TEST_LIBS} TIMEOUT 60 FUNCTION_TIMEOUT 30000 LABELS instr)
