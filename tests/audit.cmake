# The bad-input audit (tests/audit): one file per public header, one row per
# function in it; main.cpp runs the rows and checks that every function the
# headers declare has a row (everyDeclaredFunctionHasARow).
#   bad_input       libqaio's headers (include/qaio/*.h)
#   bad_input_poll  the same on the poll backend (but qobject.h and http.h:
#                   no Qt shim), rows and coverage
#   api_audit       the instrument library's headers (include/qaio/instr/*.h)
#   api_audit_coverage  every public header, libqaio's and the instrument
#                   library's
set(QAIO_AUDIT_CORE error version loop future task sync executor io stream process
  introspect wait_site)
# The headers whose functions the Qt shim implements: not on the poll backend.
set(QAIO_AUDIT_QT audit/qobject.cpp audit/http.cpp)
set(QAIO_AUDIT_INSTR instr_trace instr_signal instr_window instr_fft instr_averager
  instr_spectrum instr_instrument instr_acquisition instr_analyzer instr_na instr_scope
  instr_scpi instr_scpi_parser instr_scpi_server instr_measure instr_csv)
list(TRANSFORM QAIO_AUDIT_CORE REPLACE "(.+)" "audit/\\1.cpp")
list(TRANSFORM QAIO_AUDIT_INSTR REPLACE "(.+)" "audit/\\1.cpp")
set(audit_defines QAIO_INCLUDE_DIR="${PROJECT_SOURCE_DIR}/include"
  QAIO_GENERATED_INCLUDE_DIR="${PROJECT_BINARY_DIR}/include") # qaio/version.h
if(QAIO_BUILD_INSTR)
  qaio_add_test(NAME bad_input TARGET test_api_audit ARGS libqaio
    SOURCES audit/main.cpp ${QAIO_AUDIT_CORE} ${QAIO_AUDIT_QT} ${QAIO_AUDIT_INSTR}
    LIBS qaio::instr ${QAIO_TEST_LIBS} DEFINES ${audit_defines} QAIO_AUDIT_INSTR
    LABELS core audit)
  qaio_add_test(NAME api_audit TARGET test_api_audit ARGS instr LABELS instr audit)
  qaio_add_test(NAME api_audit_coverage TARGET test_api_audit ARGS everyDeclaredFunctionHasARow
    LABELS audit)
else()
  qaio_add_test(NAME bad_input TARGET test_api_audit
    SOURCES audit/main.cpp ${QAIO_AUDIT_CORE} ${QAIO_AUDIT_QT}
    DEFINES ${audit_defines} LABELS core audit)
endif()
qaio_add_test(NAME bad_input_poll TARGET test_api_audit_poll
  SOURCES audit/main.cpp ${QAIO_AUDIT_CORE}
  LIBS qaio_poll Qt::Core Qt::Test Threads::Threads
  DEFINES ${audit_defines} QAIO_TEST_POLL LABELS core audit poll)
