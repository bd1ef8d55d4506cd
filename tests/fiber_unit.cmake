# Unit test of the fiber layer. include() this from tests/CMakeLists.txt.
# It compiles fiber.c and the stack files itself: their qaio__ symbols are internal
# and not exported from libqaio.so.
qaio_add_test(NAME fiber_unit TARGET fiber_unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/fiber_unit.c
          ${CMAKE_CURRENT_LIST_DIR}/../src/core/fiber.c
          ${CMAKE_CURRENT_LIST_DIR}/../src/core/stack_map.c
          ${CMAKE_CURRENT_LIST_DIR}/../src/core/stack_pool.c
          ${CMAKE_CURRENT_LIST_DIR}/../src/core/stack_fault.c
  INCLUDES ${CMAKE_CURRENT_LIST_DIR}/../src/core
  LIBS boost_context Threads::Threads LABELS core)
