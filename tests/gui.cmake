# qaio-scope: the panel driven under the offscreen platform (its static
# library linked in), and the real binary under Xvfb for a screenshot.
qaio_add_test(NAME scope_gui SOURCES test_scope_gui.cpp
  LIBS qaio-scope-ui Qt::Test Threads::Threads
  DEFINES QAIO_SIM_PATH="$<TARGET_FILE:qaio-instrument-sim>"
          QAIO_SCOPE_PATH="$<TARGET_FILE:qaio-scope>"
          QAIO_ACQUIRE_PATH="$<TARGET_FILE:qaio-acquire>"
  DEPENDS qaio-instrument-sim qaio-scope qaio-acquire
  TIMEOUT 300 FUNCTION_TIMEOUT 120000 ENV ${QAIO_GUI_TEST_ENV} LABELS gui)
# qaio-scope's task window, on its own (no instrument needed).
qaio_add_test(NAME task_monitor SOURCES test_task_monitor.cpp
  LIBS qaio-scope-ui Qt::Test TIMEOUT 60 FUNCTION_TIMEOUT 30000 ENV ${QAIO_GUI_TEST_ENV}
  LABELS gui)
