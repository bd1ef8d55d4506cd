# The core and the io layer on the poll(2) backend (tests/poll), with no Qt
# in the library under test: libqaio's C sources (src/core, src/net) built
# again with backend_poll.c for the seam and a thread-per-job executor
# instead of the Qt shim. The suites that need nothing of Qt but Qt Test's
# harness run against it as <suite>_poll; QAIO_TEST_POLL tells testutil.h
# to drive the qaio loop instead of Qt's.
get_target_property(qaio_sources qaio SOURCES)
set(qaio_poll_sources)
foreach(src ${qaio_sources})
  if(NOT src MATCHES "^qt/")
    if(NOT IS_ABSOLUTE ${src})
      set(src ${PROJECT_SOURCE_DIR}/src/${src})
    endif()
    list(APPEND qaio_poll_sources ${src})
  endif()
endforeach()
add_library(qaio_poll STATIC ${qaio_poll_sources}
  ${CMAKE_CURRENT_LIST_DIR}/backend_poll.c ${CMAKE_CURRENT_LIST_DIR}/executor_thread.c)
target_include_directories(qaio_poll
  PUBLIC ${PROJECT_SOURCE_DIR}/include ${PROJECT_BINARY_DIR}/include
  PRIVATE ${PROJECT_SOURCE_DIR}/src)
target_link_libraries(qaio_poll PUBLIC boost_context Threads::Threads m)
set_target_properties(qaio_poll PROPERTIES AUTOMOC OFF)
target_compile_definitions(qaio_poll PRIVATE QAIO_NO_WAIT_SITES) # as libqaio
set(QAIO_POLL_TESTS future task sync io stream process bad_input introspect)
foreach(name ${QAIO_POLL_TESTS})
  add_executable(test_${name}_poll ${CMAKE_CURRENT_LIST_DIR}/../test_${name}.cpp)
  target_compile_definitions(test_${name}_poll PRIVATE QAIO_TEST_POLL)
  target_link_libraries(test_${name}_poll PRIVATE qaio_poll Qt::Core Qt::Test Threads::Threads)
  add_test(NAME ${name}_poll COMMAND test_${name}_poll)
  set_tests_properties(${name}_poll PROPERTIES TIMEOUT 120 LABELS poll
    ENVIRONMENT "QTEST_FUNCTION_TIMEOUT=60000;QT_QPA_PLATFORM=offscreen")
endforeach()
add_dependencies(test_task_poll overflow_child)
# And with no Qt in the process at all: a plain C program.
add_executable(no_qt ${CMAKE_CURRENT_LIST_DIR}/no_qt.c)
target_link_libraries(no_qt PRIVATE qaio_poll)
set_target_properties(no_qt PROPERTIES AUTOMOC OFF)
add_test(NAME no_qt COMMAND no_qt)
set_tests_properties(no_qt PROPERTIES TIMEOUT 60 LABELS poll)
