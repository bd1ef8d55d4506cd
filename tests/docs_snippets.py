#!/usr/bin/env python3
"""Extracts the ```c and ```cpp blocks of docs/*.md into compilable files,
so the guides' code is built (and run) like any test and cannot rot.

A block is one of:
  - a program: it defines main(); it is built and run (exit status 0);
  - a body (an HTML comment `<!-- snippet: body -->` just before it):
    statements, wrapped in main() after the common includes; built and run;
  - otherwise a unit: declarations and functions, compiled (not linked)
    after the common includes.
`<!-- snippet: no-run -->` before a program builds it without running it
(it waits for a peer, or runs until stopped).

Writes OUT/<page>_<n>.c|.cpp and OUT/snippets.cmake, which calls
qaio_doc_snippet(<name> <file> <program|unit> <run|no-run> <c|cpp>) once per
block. Files are rewritten only when they change, so a reconfigure does
not rebuild every snippet.
"""
import os
import re
import sys

C_PRELUDE = """#include <qaio.h>
#include <qaio/instr.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
"""
CPP_PRELUDE = C_PRELUDE + """#include <qaio/qt.hpp>
#include <QtWidgets>
"""
FENCE = re.compile(r'^```(c|cpp)\s*$')
MARK = re.compile(r'^<!--\s*snippet:\s*([a-z-]+)\s*-->\s*$')


def blocks(text):
    lines = text.split('\n')
    mark = None
    i = 0
    while i < len(lines):
        m = MARK.match(lines[i])
        if m:
            mark = m.group(1)
            i += 1
            continue
        f = FENCE.match(lines[i])
        if f:
            start = i + 1
            j = start
            while not lines[j].startswith('```'):
                j += 1
            yield f.group(1), '\n'.join(lines[start:j]) + '\n', mark, start + 1
            mark = None
            i = j + 1
            continue
        if lines[i].strip():
            mark = None
        i += 1


def write_if_changed(path, text):
    if os.path.exists(path) and open(path).read() == text:
        return
    with open(path, 'w') as f:
        f.write(text)


def main():
    docs, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    calls = []
    for md in sorted(os.listdir(docs)):
        if not md.endswith('.md'):
            continue
        page = md[:-3].replace('-', '_')
        text = open(os.path.join(docs, md)).read()
        for n, (lang, code, mark, line) in enumerate(blocks(text), 1):
            if mark not in (None, 'body', 'no-run'):
                sys.exit('%s:%d: unknown snippet mark %r' % (md, line, mark))
            name = 'doc_%s_%d' % (page, n)
            prelude = CPP_PRELUDE if lang == 'cpp' else C_PRELUDE
            origin = '/* docs/%s, line %d */\n' % (md, line)
            has_main = re.search(r'\bint\s+main\s*\(', code) is not None
            if mark == 'body':
                src = origin + prelude + 'int main(void)\n{\n' + code + '    return 0;\n}\n'
                kind, run = 'program', 'run'
            elif has_main:
                # A program names its own includes, as a reader would copy it.
                src = origin + '#line %d "docs/%s"\n' % (line, md) + code
                kind, run = 'program', 'no-run' if mark == 'no-run' else 'run'
            else:
                src = origin + prelude + '#line %d "docs/%s"\n' % (line, md) + code
                kind, run = 'unit', 'no-run'
            fname = '%s.%s' % (name, lang)
            write_if_changed(os.path.join(out, fname), src)
            calls.append('qaio_doc_snippet(%s %s %s %s %s)' % (name, fname, kind, run, lang))
    write_if_changed(os.path.join(out, 'snippets.cmake'), '\n'.join(calls) + '\n')


if __name__ == '__main__':
    main()
