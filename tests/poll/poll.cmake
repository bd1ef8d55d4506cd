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
# (The <suite>_poll tests are registered with the suites: qaio_add_test's
# POLL option.)
# And with no Qt in the process at all: a plain C program.
qaio_add_test(NAME no_qt TARGET no_qt SOURCES ${CMAKE_CURRENT_LIST_DIR}/no_qt.c LIBS qaio_poll
  TIMEOUT 60 LABELS core poll)
set_target_properties(no_qt PROPERTIES AUTOMOC OFF)
