#!/usr/bin/env bash
# The installed tree, as a user gets it (`install` CTest):
#  1. installs the build tree into a scratch prefix; every installed program
#     runs from it with no LD_LIBRARY_PATH (--help, --version without a
#     display, one qaio-acquire spectrum from the simulation), also after the
#     prefix moved; qaio-scope without a display says how to get one; no
#     installed file's RUNPATH points into the build tree;
#  2. builds consumers against it, with find_package(qaio COMPONENTS instr)
#     and with pkg-config: a C and a C++ Qt program per library;
#  3. configures and builds libqaio alone and static (everything else OFF:
#     it needs only Qt Core, Qt Network and Boost.Context), installs it, and links and
#     runs the consumers statically (CMake and pkg-config --static).
# Usage: run.sh BUILD_DIR TESTS_INSTALL_DIR SOURCE_DIR
set -euo pipefail
build=$1 src=$2 root=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset LD_LIBRARY_PATH
say() { echo "install-test: $*"; }
fail() { echo "install-test: FAIL: $*" >&2; exit 1; }
cache() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }
qt=$(cache QAIO_QT_MAJOR)
version=$(cache CMAKE_PROJECT_VERSION)
[ -n "$qt" ] && [ -n "$version" ] || fail "no QAIO_QT_MAJOR or version in $build/CMakeCache.txt"
gen=(); command -v ninja >/dev/null && gen=(-G Ninja)

# --- 1. the installed programs run from the prefix ---
cmake --install "$build" --prefix "$work/prefix" >/dev/null
libdir=$(find "$work/prefix" -name 'libqaio.so' -printf '%h\n' | head -1)
[ -n "$libdir" ] || fail "no libqaio.so installed"
[ -f "$libdir/pkgconfig/qaio-instr.pc" ] || fail "no qaio-instr.pc beside qaio.pc"
[ -f "$work/prefix/include/qaio/version.h" ] || fail "no qaio/version.h installed"
[ -f "$work/prefix/include/qaio/instr/scpi.h" ] || fail "libqaio-instr's headers not installed"
while IFS= read -r f; do
  rp=$(readelf -d "$f" 2>/dev/null | sed -n 's/.*(\(RPATH\|RUNPATH\)).*\[\(.*\)\]/\2/p')
  case $rp in *"$build"*|*"$root"*) fail "$f: RUNPATH $rp points into the build tree" ;; esac
done < <(find "$work/prefix" -type f \( -name '*.so*' -o -path '*/bin/*' \))
progs=()
for p in qaio-acquire qaio-instrument-sim qaio-scope; do
  [ -x "$work/prefix/bin/$p" ] && progs+=("$p")
done
[ ${#progs[@]} -gt 0 ] || fail "no program installed"
nodisplay=(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM)
run_progs() { # $1: the prefix. --help and --version need no display.
  for p in "${progs[@]}"; do
    "${nodisplay[@]}" "$1/bin/$p" --help >/dev/null || fail "$p --help from $1"
    v=$("${nodisplay[@]}" "$1/bin/$p" --version) || fail "$p --version from $1"
    [ "$v" = "$p $version" ] || fail "$p --version says '$v'"
  done
}
run_progs "$work/prefix"
if [[ " ${progs[*]} " == *" qaio-acquire "* ]]; then
  "$work/prefix/bin/qaio-acquire" --mode spectrum --averages 2 --points 1024 --out "$work/spectrum.csv" \
    || fail "qaio-acquire --mode spectrum"
  rows=$(grep -vc '^#' "$work/spectrum.csv")
  [ "$rows" -gt 100 ] || fail "qaio-acquire spectrum: $rows rows"
fi
if [[ " ${progs[*]} " == *" qaio-scope "* ]]; then # no display: a hint, not an abort
  rc=0
  msg=$("${nodisplay[@]}" "$work/prefix/bin/qaio-scope" 2>&1) || rc=$?
  [ "$rc" = 2 ] && [[ "$msg" == *--screenshot* ]] || fail "qaio-scope without a display: exit $rc, '$msg'"
fi
mv "$work/prefix" "$work/moved" # relocatable: relative RUNPATHs
run_progs "$work/moved"
mv "$work/moved" "$work/prefix"
say "programs run from the prefix (${progs[*]}), also moved"

# --- 2. consumers of each library, both ways ---
cmake -S "$src" -B "$work/cmake-build" "${gen[@]}" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DQT_MAJOR="$qt" >/dev/null
cmake --build "$work/cmake-build" -j2 >/dev/null
for c in consumer consumer_qt consumer_instr consumer_instr_qt; do
  "$work/cmake-build/$c" || fail "CMake-built $c"
done
export PKG_CONFIG_PATH=$libdir/pkgconfig
rpath=-Wl,-rpath,$libdir
cc -std=c11 -Wall -Wextra -Werror -pedantic "$src/consumer.c" -o "$work/pc-consumer" \
   $(pkg-config --cflags --libs qaio) $rpath
cc -std=c11 -Wall -Wextra -Werror -pedantic "$src/consumer_instr.c" -o "$work/pc-consumer_instr" \
   $(pkg-config --cflags --libs qaio-instr) -lm $rpath
c++ -std=c++17 -fPIC -Wall -Wextra -Werror "$src/consumer_qt.cpp" -o "$work/pc-consumer_qt" \
   $(pkg-config --cflags --libs qaio Qt${qt}Core) $rpath
c++ -std=c++17 -fPIC -Wall -Wextra -Werror -DQAIO_CONSUMER_INSTR "$src/consumer_qt.cpp" \
   -o "$work/pc-consumer_instr_qt" $(pkg-config --cflags --libs qaio-instr Qt${qt}Core) $rpath
for c in consumer consumer_instr consumer_qt consumer_instr_qt; do
  "$work/pc-$c" || fail "pkg-config-built $c"
done
say "consumers built and run: CMake and pkg-config, C and C++ Qt, libqaio and libqaio-instr"

# --- 3. libqaio alone, static ---
[ "${QAIO_INSTALL_TEST_STATIC:-1}" = 1 ] || { say "static library-only build skipped"; exit 0; }
cmake -S "$root" -B "$work/static-build" "${gen[@]}" -DBUILD_SHARED_LIBS=OFF -DQAIO_QT_MAJOR="$qt" \
  -DQAIO_BUILD_INSTR=OFF -DQAIO_BUILD_APPS=OFF -DQAIO_BUILD_GUI=OFF -DQAIO_BUILD_TESTS=OFF \
  -DQAIO_BUILD_EXAMPLES=OFF -DQAIO_BUILD_BENCH=OFF -DQAIO_BUILD_SOAK=OFF -DQAIO_WERROR=ON >/dev/null
# Nothing but Qt Core and Network (and Threads, PkgConfig-free Boost.Context) was looked for.
if grep -Eq '^(Qt[56](Widgets|Test)_DIR|FFTW3F_FOUND|QWT_LIBRARY)' "$work/static-build/CMakeCache.txt"; then
  fail "the library-only configure looked for more than Qt Core"
fi
cmake --build "$work/static-build" -j2 >/dev/null
cmake --install "$work/static-build" --prefix "$work/static" >/dev/null
[ -f "$(find "$work/static" -name libqaio.a | head -1)" ] || fail "no libqaio.a installed"
[ ! -e "$work/static/include/qaio/instr.h" ] || fail "libqaio-instr's headers installed without it"
# Asking a library-only install for the instr component fails, and says why.
if out=$(cmake -S "$src" -B "$work/no-instr" -DCMAKE_PREFIX_PATH="$work/static" -DQT_MAJOR="$qt" 2>&1); then
  fail "find_package(qaio COMPONENTS instr) succeeded without libqaio-instr"
fi
[[ "$out" == *QAIO_BUILD_INSTR=OFF* ]] || fail "no reason given for the missing instr component: $out"
cmake -S "$src" -B "$work/static-consumer" "${gen[@]}" -DCMAKE_PREFIX_PATH="$work/static" \
  -DQT_MAJOR="$qt" -DQAIO_ONLY=ON >/dev/null
cmake --build "$work/static-consumer" -j2 >/dev/null
for c in consumer consumer_qt; do
  ! readelf -d "$work/static-consumer/$c" | grep -q 'libqaio\.so' || fail "$c links libqaio.so"
  "$work/static-consumer/$c" || fail "static $c"
done
slibdir=$(find "$work/static" -name libqaio.a -printf '%h\n' | head -1)
cc -std=c11 -Wall -Wextra -Werror -pedantic "$src/consumer.c" -o "$work/static-pc-consumer" \
   $(PKG_CONFIG_PATH=$slibdir/pkgconfig pkg-config --static --cflags --libs qaio)
"$work/static-pc-consumer" || fail "static pkg-config consumer"
say "library-only static build: configured with Qt Core only, consumers linked statically and run"
