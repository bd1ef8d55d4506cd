# SCPI: the parser's tables, the client driver against the server (in-process
# and as the real qaio-instrument-sim binary, with lxi-tools as an
# independent client), and qaio-acquire end to end. The apps' paths are
# compiled in, so the tests need no PATH set-up.
foreach(name scpi_parser scpi scpi_server scpi_address acquire)
  add_executable(test_${name} test_${name}.cpp)
  target_link_libraries(test_${name} PRIVATE qaio::instr qaio::qaio Qt::Core Qt::Test
    Threads::Threads)
  target_compile_definitions(test_${name} PRIVATE
    QAIO_SIM_PATH="$<TARGET_FILE:qaio-instrument-sim>"
    QAIO_ACQUIRE_PATH="$<TARGET_FILE:qaio-acquire>")
  add_dependencies(test_${name} qaio-instrument-sim qaio-acquire)
  add_test(NAME ${name} COMMAND test_${name})
  set_tests_properties(${name} PROPERTIES TIMEOUT 180
    ENVIRONMENT "QTEST_FUNCTION_TIMEOUT=60000;QT_QPA_PLATFORM=offscreen")
endforeach()
# openpty() for the fake USBTMC device.
target_link_libraries(test_scpi_address PRIVATE util)
