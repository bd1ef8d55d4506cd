# Fibers and their stacks, for libqaio. include() this from src/CMakeLists.txt
# after add_library(qaio ...), e.g. include(core/fiber.cmake).
# Context switching uses Boost.Context's fcontext C ABI (make_fcontext,
# jump_fcontext), found in libboost_context (Debian: libboost-context-dev).
target_sources(qaio PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/fiber.c
  ${CMAKE_CURRENT_LIST_DIR}/stack_map.c
  ${CMAKE_CURRENT_LIST_DIR}/stack_pool.c
  ${CMAKE_CURRENT_LIST_DIR}/stack_fault.c)
target_link_libraries(qaio PRIVATE boost_context)
