#!/bin/sh
# Fails when a file of src/ includes a header of a higher layer, or a
# non-exported header of another directory, as tests/layers.txt defines.
# Usage: layers.sh <source dir>
set -eu
root=$(cd "${1:-$(dirname "$0")/..}" && pwd)
table="$root/tests/layers.txt"
cd "$root/src"
# One line per file (and per `*` prefix): "path layer export".
places=$(awk '!/^#/ && NF >= 3 {
    for (i = 3; i <= NF; i++) {
        p = $i; ex = sub(/:export$/, "", p)
        print p, $1, ex
    }
}' "$table")
place() { # path -> "layer export", or nothing
    printf '%s\n' "$places" | awk -v f="$1" '{
        p = $1
        if (p == f || (p ~ /\*$/ && index(f, substr(p, 1, length(p) - 1)) == 1)) { print $2, $3; exit }
    }'
}
bad=0
for f in $(find core net qt instr -type f \( -name '*.c' -o -name '*.h' -o -name '*.cpp' \) | sort); do
    own=$(place "$f")
    if [ -z "$own" ]; then
        echo "layers: $f has no place in tests/layers.txt"; bad=1; continue
    fi
    own_layer=${own% *}
    dir=$(dirname "$f")
    for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
        # Resolve relative to the including file; what is not under src/ is
        # a public or generated header.
        target=$(realpath -m --relative-to=. "$dir/$inc")
        [ -e "$target" ] || continue
        case $target in ../*) continue ;; esac
        to=$(place "$target")
        if [ -z "$to" ]; then
            echo "layers: $f includes $target, which has no place in tests/layers.txt"; bad=1; continue
        fi
        to_layer=${to% *}
        to_export=${to#* }
        if [ "$to_layer" -gt "$own_layer" ]; then
            echo "layers: $f (layer $own_layer) includes $target (layer $to_layer): upward"; bad=1
        elif [ "$(dirname "$target")" != "$dir" ] && [ "$to_export" != 1 ]; then
            echo "layers: $f includes $target, internal to $(dirname "$target")"; bad=1
        fi
    done
done
[ $bad = 0 ] && echo "layers: every include goes down a layer or stays in it"
exit $bad
