# SCPI: the parser's tables, the client driver against the server (in-process
# and as the real qaio-instrument-sim binary, with lxi-tools as an
# independent client), and qaio-acquire end to end. The apps' paths are
# compiled in, so the tests need no PATH set-up.
foreach(name scpi_parser scpi scpi_server scpi_address acquire)
  set(label instr)
  if(name STREQUAL "acquire")
    set(label apps)
  endif()
  qaio_add_test(NAME ${name} SOURCES test_${name}.cpp LIBS qaio::instr ${QAIO_TEST_LIBS}
    DEFINES QAIO_SIM_PATH="$<TARGET_FILE:qaio-instrument-sim>"
            QAIO_ACQUIRE_PATH="$<TARGET_FILE:qaio-acquire>"
    DEPENDS qaio-instrument-sim qaio-acquire TIMEOUT 180 LABELS ${label})
endforeach()
# openpty() for the fake USBTMC device.
target_link_libraries(test_scpi_address PRIVATE util)
