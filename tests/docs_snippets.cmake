# The guides' code (docs/*.md): every ```c and ```cpp block is extracted at
# configure time by docs_snippets.py, built with the tests (a block that no
# longer compiles breaks the build), and the programs among them run as
# CTests (doc_<page>_<n>). C++ blocks need Qt Widgets (the panel's build).
find_package(Python3 COMPONENTS Interpreter)
if(NOT Python3_Interpreter_FOUND)
  message(STATUS "qaio: no python3: the guides' code blocks are not built")
  return()
endif()
set(_qaio_snip_out ${CMAKE_CURRENT_BINARY_DIR}/docs_snippets)
file(GLOB _qaio_snip_md ${PROJECT_SOURCE_DIR}/docs/*.md)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  ${_qaio_snip_md} ${CMAKE_CURRENT_SOURCE_DIR}/docs_snippets.py)
execute_process(
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/docs_snippets.py
          ${PROJECT_SOURCE_DIR}/docs ${_qaio_snip_out}
  RESULT_VARIABLE _qaio_snip_rc)
if(NOT _qaio_snip_rc EQUAL 0)
  message(FATAL_ERROR "docs_snippets.py failed on docs/*.md")
endif()

function(qaio_doc_snippet name file kind run lang)
  if(lang STREQUAL "cpp" AND NOT TARGET Qt::Widgets)
    return()
  endif()
  if(kind STREQUAL "program")
    add_executable(${name} ${_qaio_snip_out}/${file})
  else()
    add_library(${name} OBJECT ${_qaio_snip_out}/${file})
    # A unit shows functions; nothing in it calls them.
    target_compile_options(${name} PRIVATE -Wno-unused-function)
  endif()
  target_link_libraries(${name} PRIVATE qaio::instr qaio::qaio Threads::Threads m)
  if(lang STREQUAL "cpp")
    target_link_libraries(${name} PRIVATE Qt::Widgets)
  endif()
  if(run STREQUAL "run" AND lang STREQUAL "cpp")
    qaio_add_test(NAME ${name} TARGET ${name} TIMEOUT 60 ENV ${QAIO_GUI_TEST_ENV} LABELS docs)
  elseif(run STREQUAL "run")
    qaio_add_test(NAME ${name} TARGET ${name} TIMEOUT 60 LABELS docs)
  endif()
endfunction()
include(${_qaio_snip_out}/snippets.cmake)
