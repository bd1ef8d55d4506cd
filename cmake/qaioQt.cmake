# Finds Qt 5 or Qt 6 for qaio. QAIO_QT_MAJOR=5|6 picks one; empty (the
# default) takes Qt 5 when it is installed, else Qt 6. libqaio needs
# Qt Core and Qt Network; the tests add Qt Test, the panel Qt Widgets -- and the panel stays
# on Qt 5 (Debian ships Qwt for Qt 5 only), so with Qt 6 it is turned off.
# Afterwards the versionless targets Qt::Core, Qt::Test, Qt::Widgets exist
# (Qt 5.15 and 6 make them; older Qt 5 gets them here).
set(QAIO_QT_MAJOR "" CACHE STRING "Qt major version: 5, 6, or empty for the one found (5 first)")
set_property(CACHE QAIO_QT_MAJOR PROPERTY STRINGS "" 5 6)

set(_qaio_qt_components Core)
# Network: the HTTP requests of qaio/http.h (QNetworkAccessManager).
list(APPEND _qaio_qt_components Network)
if(QAIO_BUILD_TESTS)
  list(APPEND _qaio_qt_components Test)
endif()
if(NOT QAIO_QT_MAJOR)
  find_package(Qt5 5.12 QUIET COMPONENTS Core)
  if(Qt5_FOUND)
    set(_qaio_qt 5)
  else()
    set(_qaio_qt 6)
  endif()
  # Kept: a reconfigure stays on the Qt it started with.
  set(QAIO_QT_MAJOR ${_qaio_qt} CACHE STRING "Qt major version: 5, 6, or empty for the one found (5 first)" FORCE)
endif()
if(QAIO_QT_MAJOR EQUAL 6 AND QAIO_BUILD_GUI)
  message(STATUS "qaio: QAIO_BUILD_GUI turned off: the panel needs Qwt, which Debian has for Qt 5 only")
  set(QAIO_BUILD_GUI OFF CACHE BOOL "" FORCE)
endif()
if(QAIO_BUILD_GUI)
  list(APPEND _qaio_qt_components Widgets)
endif()
if(QAIO_QT_MAJOR EQUAL 5)
  find_package(Qt5 5.12 REQUIRED COMPONENTS ${_qaio_qt_components})
  set(QAIO_QT_VERSION ${Qt5_VERSION})
elseif(QAIO_QT_MAJOR EQUAL 6)
  find_package(Qt6 6.2 REQUIRED COMPONENTS ${_qaio_qt_components})
  set(QAIO_QT_VERSION ${Qt6_VERSION})
else()
  message(FATAL_ERROR "QAIO_QT_MAJOR must be 5, 6 or empty, not '${QAIO_QT_MAJOR}'")
endif()
foreach(c ${_qaio_qt_components})
  if(NOT TARGET Qt::${c})
    add_library(Qt::${c} INTERFACE IMPORTED)
    set_target_properties(Qt::${c} PROPERTIES INTERFACE_LINK_LIBRARIES Qt${QAIO_QT_MAJOR}::${c})
  endif()
endforeach()
message(STATUS "qaio: Qt ${QAIO_QT_VERSION} (${_qaio_qt_components})")
