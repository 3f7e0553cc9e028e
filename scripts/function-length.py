#!/usr/bin/env python3
"""Fails when a function in Sources/ is longer than the limit (80 lines by default).

Counts from the line that declares a function, initializer, subscript or computed property to the line that closes
its body. A declarative table (a route list, a migration) may be exempted by a comment `// function-length: table`
on the line just above it. Usage: python3 scripts/function-length.py [LIMIT] [--report N] (--report lists the N
longest). Run by scripts/test.sh.
"""
import os
import re
import sys

DECLARATION = re.compile(
    r'^(@\w+(\([^)]*\))?\s+)*((public|private|fileprivate|internal|package|static|class|override|mutating|nonisolated|final|'
    r'convenience|required|open|dynamic|lazy)\s+)*(func\s|init[?!]?[(<]|subscript[(<]|var\s+\w+\s*:\s*[^=]*\{\s*$)')
STRING = re.compile(r'"(\\.|[^"\\])*"')


def functions(path):
    lines = open(path, encoding='utf-8').read().split('\n')
    in_multiline = False
    for number, line in enumerate(lines):
        if line.count('"""') % 2 == 1:
            in_multiline = not in_multiline
            continue
        if in_multiline:
            continue
        text = line.strip()
        if not DECLARATION.match(text) or text.startswith('//'):
            continue
        if number > 0 and 'function-length: table' in lines[number - 1]:
            continue
        depth, started, end = 0, False, number
        for index in range(number, len(lines)):
            body = STRING.sub('""', lines[index].split('//')[0] if '"' not in lines[index] else lines[index])
            for char in body:
                if char == '{':
                    depth += 1
                    started = True
                elif char == '}':
                    depth -= 1
            end = index
            if started and depth <= 0:
                break
            if not started and index > number + 8:
                break  # a protocol requirement or a declaration without a body
        if started:
            yield end - number + 1, number + 1, text[:90]


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    limit = int(args[0]) if args else 80
    report = int(sys.argv[sys.argv.index('--report') + 1]) if '--report' in sys.argv else 0
    found = []
    for root, _, files in os.walk('Sources'):
        for name in sorted(files):
            if name.endswith('.swift'):
                path = os.path.join(root, name)
                found += [(length, path, line, text) for length, line, text in functions(path)]
    found.sort(reverse=True)
    for length, path, line, text in found[:report]:
        print(f'{length:4} {path}:{line} {text}')
    long = [f for f in found if f[0] > limit]
    for length, path, line, text in long:
        print(f'{path}:{line}: {length} lines (limit {limit}): {text}', file=sys.stderr)
    print(f'function-length: {len(found)} functions, the longest {found[0][0] if found else 0} lines, {len(long)} over {limit}')
    sys.exit(1 if long else 0)


if __name__ == '__main__':
    main()
