#!/bin/sh
# Every public header is on a page of the API reference: Doxygen documents a
# file only when it says @file, and puts it in the reference's concept tree
# only with @ingroup, so a header without them is skipped without a warning
# (which WARN_AS_ERROR would otherwise catch).
#   usage: docs_headers.sh <source directory>
src=${1:?usage: $0 <source directory>}
status=0
for f in "$src"/include/qaio.h "$src"/include/qaio/*.h "$src"/include/qaio/*.hpp \
         "$src"/include/qaio/instr.h "$src"/include/qaio/instr/*.h "$src"/cmake/version.h.in; do
    for tag in @file @ingroup; do
        if ! grep -q "$tag" "$f"; then
            echo "${f#"$src"/}: no $tag: Doxygen would leave it out of the reference"
            status=1
        fi
    done
done
exit $status
