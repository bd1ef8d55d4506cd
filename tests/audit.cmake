# The bad-input audit (hardening, issue 8): one row per public function of
# include/qaio/*.h and include/qaio/instr/*.h. api_audit_coverage fails when
# a header declares a function the table has no row for.
add_executable(test_api_audit test_api_audit.cpp)
target_link_libraries(test_api_audit PRIVATE qaio::instr qaio::qaio Qt::Core Qt::Test
  Threads::Threads)
target_compile_definitions(test_api_audit PRIVATE
  QAIO_INCLUDE_DIR="${PROJECT_SOURCE_DIR}/include"
  QAIO_GENERATED_INCLUDE_DIR="${PROJECT_BINARY_DIR}/include") # qaio/version.h
add_test(NAME api_audit COMMAND test_api_audit)
add_test(NAME api_audit_coverage COMMAND test_api_audit everyDeclaredFunctionHasARow)
set_tests_properties(api_audit api_audit_coverage PROPERTIES TIMEOUT 120
  ENVIRONMENT "QTEST_FUNCTION_TIMEOUT=60000;QT_QPA_PLATFORM=offscreen")
