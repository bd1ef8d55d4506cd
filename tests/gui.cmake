# qaio-scope: the panel driven under the offscreen platform (its static
# library linked in), and the real binary under Xvfb for a screenshot.
set(scope_gui_env)
if(QAIO_SANITIZE MATCHES address)
  # The offscreen platform's own leaks at exit: see lsan-gui.supp.
  set(scope_gui_env
    "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan-gui.supp:print_suppressions=0")
endif()
qaio_add_test(NAME scope_gui SOURCES test_scope_gui.cpp
  LIBS qaio-scope-ui Qt::Test Threads::Threads
  DEFINES QAIO_SIM_PATH="$<TARGET_FILE:qaio-instrument-sim>"
          QAIO_SCOPE_PATH="$<TARGET_FILE:qaio-scope>"
          QAIO_ACQUIRE_PATH="$<TARGET_FILE:qaio-acquire>"
  DEPENDS qaio-instrument-sim qaio-scope qaio-acquire
  TIMEOUT 300 FUNCTION_TIMEOUT 120000 ENV ${scope_gui_env} LABELS gui)
# qaio-scope's task window, on its own (no instrument needed).
qaio_add_test(NAME task_monitor SOURCES test_task_monitor.cpp
  LIBS qaio-scope-ui Qt::Test TIMEOUT 60 FUNCTION_TIMEOUT 30000 LABELS gui)
