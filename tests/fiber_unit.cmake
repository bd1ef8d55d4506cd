# Unit test of the fiber layer. include() this from tests/CMakeLists.txt.
# It compiles fiber.c and the stack files itself: their qaio__ symbols are internal
# and not exported from libqaio.so.
add_executable(fiber_unit
  ${CMAKE_CURRENT_LIST_DIR}/fiber_unit.c
  ${CMAKE_CURRENT_LIST_DIR}/../src/core/fiber.c
  ${CMAKE_CURRENT_LIST_DIR}/../src/core/stack_map.c
  ${CMAKE_CURRENT_LIST_DIR}/../src/core/stack_pool.c
  ${CMAKE_CURRENT_LIST_DIR}/../src/core/stack_fault.c)
target_include_directories(fiber_unit PRIVATE ${CMAKE_CURRENT_LIST_DIR}/../src/core)
target_link_libraries(fiber_unit PRIVATE boost_context Threads::Threads)
add_test(NAME fiber_unit COMMAND fiber_unit)
set_tests_properties(fiber_unit PROPERTIES TIMEOUT 120)
