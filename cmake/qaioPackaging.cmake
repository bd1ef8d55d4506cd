# Man pages (help2man, from each program's --help and --version), the
# licence notes, and the Debian packages made by CPack (scripts/package):
#   libqaio0     Runtime      libqaio.so.0, libqaio-instr.so.0
#   libqaio-dev  Development  headers, .so links, CMake package, .pc files
#   qaio-tools   Tools        qaio-acquire, qaio-instrument-sim
#   qaio-scope   Scope        the panel
# Their dependencies on other packages come from dpkg-shlibdeps; on each
# other from the component dependencies (same version).

# On by default where help2man is (scripts/install-deps installs it), except
# in sanitizer builds, whose programs should not run at build time. The
# target `man` builds the three; their text is the programs' --help.
find_program(HELP2MAN help2man)
if(HELP2MAN AND NOT QAIO_SANITIZE)
  set(_qaio_man_default ON)
else()
  set(_qaio_man_default OFF)
endif()
option(QAIO_MANPAGES "Generate the programs' man pages with help2man" ${_qaio_man_default})
if(QAIO_MANPAGES)
  find_program(HELP2MAN help2man REQUIRED)
  add_custom_target(man)
endif()
function(qaio_manpage target component description)
  if(NOT QAIO_MANPAGES OR NOT TARGET ${target})
    return()
  endif()
  set(out ${PROJECT_BINARY_DIR}/man/${target}.1)
  add_custom_command(OUTPUT ${out}.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
    COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen
            ${HELP2MAN} --no-info --no-discard-stderr --name=${description} --output=${out}
            $<TARGET_FILE:${target}>
    COMMAND gzip -9nf ${out}
    DEPENDS ${target} VERBATIM)
  add_custom_target(man-${target} ALL DEPENDS ${out}.gz)
  add_dependencies(man man-${target})
  install(FILES ${out}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT ${component})
endfunction()
qaio_manpage(qaio-acquire Tools "one averaged acquisition from a simulated or SCPI instrument, as CSV")
qaio_manpage(qaio-instrument-sim Tools "a simulated oscilloscope served over SCPI")
qaio_manpage(qaio-scope Scope "live oscilloscope and spectrum-analyzer averaging panel")

# Licence notes: /usr/share/doc/<package>/copyright, as Debian wants.
file(READ ${PROJECT_SOURCE_DIR}/LICENSE QAIO_LICENSE_TEXT)
if(QAIO_FFT STREQUAL "kissfft")
  set(QAIO_FFT_NOTE "KissFFT (BSD-3-Clause).")
else()
  set(QAIO_FFT_NOTE "FFTW3, which is GPL-2+: a program linking it (qaio-acquire,\nqaio-instrument-sim, qaio-scope) may only be distributed under\nGPL-compatible terms.")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/copyright.in ${PROJECT_BINARY_DIR}/copyright @ONLY)
set(_qaio_pkgs Runtime:libqaio0 Development:libqaio-dev)
if(QAIO_BUILD_APPS)
  list(APPEND _qaio_pkgs Tools:qaio-tools)
endif()
if(QAIO_BUILD_GUI)
  list(APPEND _qaio_pkgs Scope:qaio-scope)
endif()
foreach(p ${_qaio_pkgs})
  string(REPLACE ":" ";" p ${p})
  list(GET p 0 comp)
  list(GET p 1 name)
  install(FILES ${PROJECT_BINARY_DIR}/copyright DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${name}
    COMPONENT ${comp})
  string(TOUPPER ${comp} COMP)
  set(CPACK_DEBIAN_${COMP}_PACKAGE_NAME ${name})
endforeach()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME qaio)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "qaio")
set(CPACK_PACKAGE_CONTACT "qaio maintainers <qaio@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "asyncio on the Qt event loop, for C")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The programs' libqaio*.so.0 are in libqaio0, not yet installed: dpkg-shlibdeps
# finds them in the build tree; the dependency on libqaio0 is the component's.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${PROJECT_BINARY_DIR}/src ${PROJECT_BINARY_DIR}/src/instr)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
# pkg-config resolves Requires.private even for shared linking: qaio.pc
# names Qt Core's .pc, qaio-instr.pc the FFT library's.
if(QAIO_FFT STREQUAL "kissfft")
  set(_qaio_fft_dev libkissfft-dev)
else()
  set(_qaio_fft_dev libfftw3-dev)
endif()
if(QAIO_QT_MAJOR EQUAL 6)
  set(_qaio_qt_dev qt6-base-dev)
else()
  set(_qaio_qt_dev qtbase5-dev)
endif()
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS "${_qaio_qt_dev}, ${_qaio_fft_dev}, libboost-context-dev, pkg-config")
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION
  "qaio libraries: libqaio (asyncio on the Qt event loop, for C) and libqaio-instr (instruments, SCPI)")
set(CPACK_COMPONENT_DEVELOPMENT_DESCRIPTION
  "qaio development files: headers, CMake package (qaio::qaio, qaio::instr), pkg-config files")
set(CPACK_COMPONENT_TOOLS_DESCRIPTION
  "qaio command-line programs: qaio-acquire and qaio-instrument-sim (SCPI simulator)")
set(CPACK_COMPONENT_SCOPE_DESCRIPTION
  "qaio-scope: live oscilloscope and spectrum-analyzer averaging panel (Qt 5, Qwt)")
set(CPACK_COMPONENT_DEVELOPMENT_DEPENDS Runtime)
set(CPACK_COMPONENT_TOOLS_DEPENDS Runtime)
set(CPACK_COMPONENT_SCOPE_DEPENDS Runtime)
include(CPack)
