# HTTP requests (qaio/http.h) against examples/http_server, built here too so
# the suite does not depend on QAIO_BUILD_EXAMPLES.
add_executable(test_http_server ${PROJECT_SOURCE_DIR}/examples/http_server.c)
target_link_libraries(test_http_server PRIVATE qaio::qaio)
qaio_add_test(NAME http SOURCES test_http.cpp
  DEFINES HTTP_SERVER="$<TARGET_FILE:test_http_server>" DEPENDS test_http_server
  LABELS net)
