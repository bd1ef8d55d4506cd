# One CTest test per example: example_<name> runs it through
# expect_output.sh, which checks its exit status and the lines it printed,
# in order (extended regular expressions).
# (A pattern cannot hold a semicolon, which CMake reads as a list separator:
# match it with a dot.)
#   qaio_example_test(<name> <seconds> [GUI] [ARGS <arg>...] EXPECT <pattern>...)
# GUI: it opens windows (offscreen), so it gets QAIO_GUI_TEST_ENV.
function(qaio_example_test name seconds)
  cmake_parse_arguments(X "GUI" "" "ARGS;EXPECT" ${ARGN})
  set(env "QT_QPA_PLATFORM=offscreen")
  if(X_GUI AND QAIO_GUI_TEST_ENV)
    list(APPEND env "${QAIO_GUI_TEST_ENV}")
  endif()
  add_test(NAME example_${name}
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/expect_output.sh ${seconds}
            $<TARGET_FILE:${name}> ${X_ARGS} -- ${X_EXPECT})
  set_tests_properties(example_${name} PROPERTIES TIMEOUT 60 ENVIRONMENT "${env}")
endfunction()

qaio_example_test(myfuture 10 EXPECT
  "^tick 1 " "^tick 2 " "^measured 0.42 V after [0-9.]+ s$")
qaio_example_test(ultra_simple 10 EXPECT
  "^This was run by the loop \\(0\\)$" "^This was run by the loop \\(4\\)$" "^done with loop$")
# second (0.1 s) before first (0.2 s); the loop stops at 0.3 s, before the
# third (0.4 s), which closing the loop cancels.
qaio_example_test(asyncio_say 10 EXPECT
  "^second hello$" "^first hello$" "^loop stopped$"
  "^third hello: operation cancelled before it was said$" "^loop closed$")
qaio_example_test(asyncio_gather 10 EXPECT
  "^Task A: Compute factorial\\(2\\)" "^Task A: factorial\\(2\\) = 2$"
  "^Task B: factorial\\(3\\) = 6$" "^Task C: factorial\\(4\\) = 24$"
  "^results: 2 6 24 in [0-9.]+ s \\(less than the 0.6 s of all the steps\\)$")
qaio_example_test(display_date 10 EXPECT
  "^about to run loop$" "^instance: 1 Time: [0-9:.]+$"
  "^instance: [1-4] is all done$" "^instance: [1-4] is all done$"
  "^instance: [1-4] is all done$" "^instance: [1-4] is all done$"
  "^shutdown called$" "^loop exited$")
qaio_example_test(executor 20 EXPECT
  "^running the slow function directly: blocking!$"
  "^direct call done: small tasks ran 0 times meanwhile$"
  "^running the slow function in the executor$"
  "^executor call done \\(0\\.3 s\\): small tasks ran [1-9][0-9]* times meanwhile$"
  "^loop exited$")
qaio_example_test(double_slowly 10 EXPECT
  "^double_slowly\\(1\\) = 2 \\(plain code, in_task=0\\)$"
  "^double_slowly\\([23]\\) = [46] \\(in task '(two|three)'\\)$"
  "^double_slowly\\([23]\\) = [46] \\(in task '(two|three)'\\)$"
  "^two tasks done in [0-9.]+ s: their waits overlapped$")
qaio_example_test(trio_nursery 10 EXPECT
  "^parent: started!$" "^parent: spawning child1...$" "^parent: spawning child2...$"
  "^parent: waiting for children to finish...$" "^  child1: started! sleeping now...$"
  "^  child2: started! sleeping now...$" "^  child1: exiting! \\(slept\\)$"
  "^  child2: exiting! \\(slept\\)$" "^parent: all done! \\(ok\\)$"
  "^  child3: failing$" "^  child1: exiting! \\(operation cancelled\\)$"
  "^parent: nursery failed with EPROTO$")
qaio_example_test(async_iter 20 EXPECT
  "^line: reading 1$" "^line: reading 2$" "^line: reading 3$"
  "^end of stream, exit status 0$" "^put 1$" "^got 1$" "^got 25$"
  "^queue closed: EPIPE, sum 55$")
qaio_example_test(async_with 20 EXPECT
  "^body returns \\(OK\\): lock released$" "^body fails \\(EPROTO\\): lock released$"
  "^holding the lock: yes$" "^body is cancelled \\(ECANCELED\\): lock released$"
  "^connected: server has 1 connection$"
  "^client ECANCELED: server has 0 connections$")
if(QAIO_BUILD_INSTR)
  qaio_example_test(run_single 20 EXPECT
    "^scope: 64 averages of 1024 points, peak (0\\.9[5-9]|1\\.0)[0-9]* V at [0-9.]+ us. the loop ticked [1-9][0-9]* times"
    "^spectrum: 16 averages, 513 bins, peak at 10000 Hz, -3\\.0[0-9] dBV, RBW 1500 Hz. the loop ticked [1-9][0-9]* times")
  qaio_example_test(acquire_callbacks 20 EXPECT
    "^both: 20 averages of 512 points, largest difference 0 V$"
    "^callbacks: cancelled after [1-9][0-9]* records. timer cancelled, state freed$"
    "^task: cancelled after [1-9][0-9]* records. cleaned up on the way out$")
  qaio_example_test(my_coroutine 30 EXPECT
    "^3 rounds: scope peak (0\\.9[5-9]|1\\.0[0-9]) V, resonance at (9\\.9[5-9]|10\\.0[0-5]) kHz, Q (19|20|21)$"
    "^together: [0-9.]+ s, one after the other: [0-9.]+ s \\(faster together\\)$")
  if(TARGET qt_widgets_acquire)
    qaio_example_test(qt_widgets_acquire 30 GUI ARGS --selftest EXPECT
      "^run: progress moves: ok$" "^run: one task running: ok$" "^stop: the task ended: ok$"
      "^stop: cancelled: ok$" "^stop: before the last record: ok$"
      "^run again: progress: ok$" "^close: deferred while the task runs: ok$"
      "^close: window deleted: ok$" "^close: the task was cancelled: ok$"
      "^close: scope freed, no run left: ok$" "^selftest: passed$")
  endif()
endif()
