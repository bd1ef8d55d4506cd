# qaio-scope: the panel driven under the offscreen platform (its static
# library linked in), and the real binary under Xvfb for a screenshot.
add_executable(test_scope_gui test_scope_gui.cpp)
target_link_libraries(test_scope_gui PRIVATE qaio-scope-ui Qt::Test Threads::Threads)
target_compile_definitions(test_scope_gui PRIVATE
  QAIO_SIM_PATH="$<TARGET_FILE:qaio-instrument-sim>"
  QAIO_SCOPE_PATH="$<TARGET_FILE:qaio-scope>"
  QAIO_ACQUIRE_PATH="$<TARGET_FILE:qaio-acquire>")
add_dependencies(test_scope_gui qaio-instrument-sim qaio-scope qaio-acquire)
add_test(NAME scope_gui COMMAND test_scope_gui)
set(scope_gui_env "QTEST_FUNCTION_TIMEOUT=120000;QT_QPA_PLATFORM=offscreen")
if(QAIO_SANITIZE MATCHES address)
  # The offscreen platform's own leaks at exit: see lsan-gui.supp.
  list(APPEND scope_gui_env
    "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan-gui.supp:print_suppressions=0")
endif()
set_tests_properties(scope_gui PROPERTIES TIMEOUT 300 ENVIRONMENT "${scope_gui_env}")
# qaio-scope's task window, on its own (no instrument needed).
add_executable(test_task_monitor test_task_monitor.cpp)
target_link_libraries(test_task_monitor PRIVATE qaio-scope-ui Qt::Test)
add_test(NAME task_monitor COMMAND test_task_monitor)
set_tests_properties(task_monitor PROPERTIES TIMEOUT 60
  ENVIRONMENT "QTEST_FUNCTION_TIMEOUT=30000;QT_QPA_PLATFORM=offscreen")
