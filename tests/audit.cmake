# The bad-input audit (hardening, issue 8): one row per public function of
# include/qaio/*.h and include/qaio/instr/*.h. api_audit_coverage fails when
# a header declares a function the table has no row for.
qaio_add_test(NAME api_audit SOURCES test_api_audit.cpp LIBS qaio::instr ${QAIO_TEST_LIBS}
  DEFINES QAIO_INCLUDE_DIR="${PROJECT_SOURCE_DIR}/include"
          QAIO_GENERATED_INCLUDE_DIR="${PROJECT_BINARY_DIR}/include" # qaio/version.h
  LABELS audit instr)
qaio_add_test(NAME api_audit_coverage TARGET test_api_audit ARGS everyDeclaredFunctionHasARow
  LABELS audit)
