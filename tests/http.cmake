# HTTP requests (qaio/http.h) against examples/http_server, built here too so
# the suite does not depend on QAIO_BUILD_EXAMPLES.
add_executable(test_http_server ${PROJECT_SOURCE_DIR}/examples/http_server.c)
target_link_libraries(test_http_server PRIVATE qaio::qaio)
add_executable(test_http test_http.cpp)
target_link_libraries(test_http PRIVATE qaio::qaio Qt::Core Qt::Test Threads::Threads)
target_compile_definitions(test_http PRIVATE HTTP_SERVER="$<TARGET_FILE:test_http_server>")
add_dependencies(test_http test_http_server)
add_test(NAME http COMMAND test_http)
set_tests_properties(http PROPERTIES TIMEOUT 120
  ENVIRONMENT "QTEST_FUNCTION_TIMEOUT=60000;QT_QPA_PLATFORM=offscreen")
