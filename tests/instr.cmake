# libqaio-instr's suites: one Qt Test executable per concept, each with a
# CTest timeout and QTest's per-function watchdog. Every simulation is
# seeded, so the statistical tolerances (stated in the tests) cannot flake.
set(QAIO_INSTR_TESTS spectrum scope acquisition na)
foreach(name ${QAIO_INSTR_TESTS})
  qaio_add_test(NAME instr_${name} SOURCES test_instr_${name}.cpp
    LIBS qaio::instr ${QAIO_TEST_LIBS} LABELS instr)
endforeach()
