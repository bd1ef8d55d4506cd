# The fuzz build's flags (QAIO_FUZZ=ON), included by the top-level
# CMakeLists.txt before any target so libqaio and libqaio-instr get them
# too: libFuzzer's coverage on every file, ASan and UBSan with no recovery,
# and on C files -fsanitize=integer (unsigned wraparound, implicit
# truncations and sign changes), with the intended wraparounds listed in
# integer-ignorelist.txt. The C++ files (the Qt shim, the CSV reader) get
# no integer checks: Qt's own inline code converts between int and size
# types by design.
if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang" OR NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "QAIO_FUZZ needs clang: -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++")
endif()
if(QAIO_SANITIZE)
  message(FATAL_ERROR "QAIO_FUZZ brings its own sanitizers: leave QAIO_SANITIZE empty")
endif()
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
  -fno-omit-frame-pointer
  # As in the QAIO_SANITIZE build: C programs lack UBSan's C++ runtime.
  -fno-sanitize=vptr,function
  "$<$<COMPILE_LANGUAGE:C>:-fsanitize=integer>"
  "$<$<COMPILE_LANGUAGE:C>:-fsanitize-ignorelist=${CMAKE_CURRENT_LIST_DIR}/integer-ignorelist.txt>")
add_link_options(-fsanitize=address,undefined -fno-sanitize=vptr,function)
