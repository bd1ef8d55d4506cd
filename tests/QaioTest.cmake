# qaio_add_test: every CTest test of the suite is registered through this one
# function, so its timeout, labels, environment and variants are set in one
# way and in one place.
#
#   qaio_add_test(NAME <name>
#     [SOURCES <file>...]       build the executable TARGET from these
#     [TARGET <target>]         the executable (default test_<name>); without
#                               SOURCES an existing one is run again
#     [COMMAND <cmd> <arg>...]  run a script or program instead of a target
#     [ARGS <arg>...]           arguments after the executable
#     [LIBS <lib>...]           linked into TARGET (default ${QAIO_TEST_LIBS})
#     [DEFINES <def>...] [INCLUDES <dir>...] [DEPENDS <target>...]
#     [TIMEOUT <s>]             CTest's limit (default 120)
#     [FUNCTION_TIMEOUT <ms>]   QTest's per-function watchdog (default 60000)
#     [LABELS <label>...]       core, net, instr, apps, gui, docs, audit,
#                               install (poll and notifier: the variants)
#     [ENV <VAR=value>...]      added to the common environment
#     [SKIP_RETURN_CODE <n>]
#     [SERIAL]                  RUN_SERIAL: nothing else runs beside it
#     [NOTIFIER]                also <name>_notifier: QAIO_IO=notifier, the
#                               io layer with one QSocketNotifier per fd
#     [POLL])                   also <name>_poll: the same SOURCES against the
#                               poll(2) backend with no Qt shim (tests/poll)
#
# Examples:
#   qaio_add_test(NAME sync SOURCES test_sync.cpp LABELS core POLL)
#   qaio_add_test(NAME instr_na SOURCES test_instr_na.cpp
#     LIBS qaio::instr ${QAIO_TEST_LIBS} LABELS instr)
#   qaio_add_test(NAME layers COMMAND sh layers.sh ${PROJECT_SOURCE_DIR} TIMEOUT 60)
#
# Slow builds: TSan and valgrind add memory mappings per fiber, and Linux's
# default limit of 65530 mappings cannot host the 100k-task tests, so there
# they get QAIO_TEST_TASKS (test_task, test_random_schedule run fewer tasks);
# valgrind runs every instruction several times slower, so its timeouts are
# scaled. Both can be set by hand (-DQAIO_TEST_TASKS=...,
# -DQAIO_TEST_TIMEOUT_SCALE=...).

set(QAIO_TEST_LIBS qaio::qaio Qt::Core Qt::Test Threads::Threads)

if(CMAKE_CROSSCOMPILING_EMULATOR MATCHES valgrind)
  set(_qaio_test_slow_default_tasks 2000)
  set(_qaio_test_scale_default 5)
elseif(QAIO_SANITIZE MATCHES thread)
  set(_qaio_test_slow_default_tasks 2000)
  set(_qaio_test_scale_default 1)
else()
  set(_qaio_test_slow_default_tasks "")
  set(_qaio_test_scale_default 1)
endif()
if(DEFINED ENV{QAIO_TEST_TASKS}) # one in the configuring environment wins
  set(_qaio_test_slow_default_tasks "$ENV{QAIO_TEST_TASKS}")
endif()
set(QAIO_TEST_TASKS "${_qaio_test_slow_default_tasks}" CACHE STRING
  "Task count of the many-task tests ('' = their own default)")
set(QAIO_TEST_TIMEOUT_SCALE "${_qaio_test_scale_default}" CACHE STRING
  "Factor applied to every test's timeouts (valgrind: 5)")

# The environment every test runs in: the widgets render offscreen (no
# display on CI).
set(QAIO_TEST_ENV "QT_QPA_PLATFORM=offscreen")
if(QAIO_TEST_TASKS)
  list(APPEND QAIO_TEST_ENV "QAIO_TEST_TASKS=${QAIO_TEST_TASKS}")
endif()

function(qaio_add_test)
  cmake_parse_arguments(T "SERIAL;NOTIFIER;POLL"
    "NAME;TARGET;TIMEOUT;FUNCTION_TIMEOUT;SKIP_RETURN_CODE"
    "SOURCES;COMMAND;ARGS;LIBS;DEFINES;INCLUDES;DEPENDS;LABELS;ENV" ${ARGN})
  if(NOT T_NAME OR T_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "qaio_add_test(NAME <name> ...): ${ARGN}")
  endif()
  if(NOT T_TARGET)
    set(T_TARGET test_${T_NAME})
  endif()
  if(NOT DEFINED T_LIBS)
    set(T_LIBS ${QAIO_TEST_LIBS})
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  if(NOT T_FUNCTION_TIMEOUT)
    set(T_FUNCTION_TIMEOUT 60000)
  endif()

  if(T_SOURCES)
    _qaio_test_executable(${T_TARGET} "${T_SOURCES}" "${T_LIBS}" "${T_DEFINES}"
      "${T_INCLUDES}" "${T_DEPENDS}")
  endif()
  if(T_COMMAND)
    set(command ${T_COMMAND} ${T_ARGS})
  else()
    set(command ${T_TARGET} ${T_ARGS})
  endif()
  _qaio_test_register(${T_NAME} "${command}" "${T_LABELS}" "${T_ENV}")

  if(T_NOTIFIER)
    _qaio_test_register(${T_NAME}_notifier "${command}" "${T_LABELS};notifier"
      "${T_ENV};QAIO_IO=notifier")
  endif()
  if(T_POLL)
    # The library under test is qaio_poll (tests/poll/poll.cmake) instead of
    # libqaio with its Qt shim; testutil.h drives qaio's loop instead of Qt's.
    list(TRANSFORM T_LIBS REPLACE "^qaio::qaio$" qaio_poll)
    _qaio_test_executable(${T_TARGET}_poll "${T_SOURCES}" "${T_LIBS}"
      "${T_DEFINES};QAIO_TEST_POLL" "${T_INCLUDES}" "${T_DEPENDS}")
    _qaio_test_register(${T_NAME}_poll "${T_TARGET}_poll;${T_ARGS}" "${T_LABELS};poll" "${T_ENV}")
  endif()
endfunction()

# Builds one test executable (sources relative to the calling directory).
function(_qaio_test_executable target sources libs defines includes depends)
  add_executable(${target} ${sources})
  target_link_libraries(${target} PRIVATE ${libs})
  if(defines)
    target_compile_definitions(${target} PRIVATE ${defines})
  endif()
  if(includes)
    target_include_directories(${target} PRIVATE ${includes})
  endif()
  if(depends)
    add_dependencies(${target} ${depends})
  endif()
endfunction()

# Adds the test with the properties qaio_add_test's caller gave (it reads
# their T_ variables).
function(_qaio_test_register name command labels env)
  add_test(NAME ${name} COMMAND ${command})
  math(EXPR timeout "${T_TIMEOUT} * ${QAIO_TEST_TIMEOUT_SCALE}")
  math(EXPR function_timeout "${T_FUNCTION_TIMEOUT} * ${QAIO_TEST_TIMEOUT_SCALE}")
  set(env "QTEST_FUNCTION_TIMEOUT=${function_timeout}" ${QAIO_TEST_ENV} ${env})
  list(REMOVE_ITEM env "")
  list(REMOVE_ITEM labels "")
  set_tests_properties(${name} PROPERTIES TIMEOUT ${timeout} ENVIRONMENT "${env}")
  if(labels)
    set_tests_properties(${name} PROPERTIES LABELS "${labels}")
  endif()
  if(T_SERIAL)
    set_tests_properties(${name} PROPERTIES RUN_SERIAL ON)
  endif()
  if(T_SKIP_RETURN_CODE)
    set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE ${T_SKIP_RETURN_CODE})
  endif()
endfunction()
