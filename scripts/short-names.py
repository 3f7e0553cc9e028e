#!/usr/bin/env python3
"""Lists the one-letter local names in Sources/ (`let c =`, `var n:`, `if let v =`, `for r in`, `case .x(let s)`),
the names the house rules ask to replace by names that say what they hold. Prints `file:line: name: code` and a count
per file; always exits 0 (a report, not a gate). Usage: python3 scripts/short-names.py [DIR …]
"""
import os
import re
import sys

DECLARATION = re.compile(
    r'\b(let|var)\s+([a-zA-Z])\b(?=\s*[=:])|\b(?:if|guard|while)\s+(?:let|var)\s+([a-zA-Z])\b(?=\s*=)'
    r'|\bfor\s+(?:case\s+)?(?:let\s+)?([a-zA-Z])\s+in\b|\bcase\s+(?:let\s+)?\.\w+\((?:let\s+)?([a-zA-Z])\)')
STRING = re.compile(r'"(\\.|[^"\\])*"')


def main():
    roots = sys.argv[1:] or ['Sources']
    per_file = {}
    for root in roots:
        for folder, _, files in os.walk(root):
            for name in sorted(files):
                if not name.endswith('.swift'):
                    continue
                path = os.path.join(folder, name)
                for number, line in enumerate(open(path, encoding='utf-8').read().split('\n'), 1):
                    code = STRING.sub('""', line)
                    if code.strip().startswith('//'):
                        continue
                    for match in DECLARATION.finditer(code):
                        letter = next(group for group in match.groups()[1:] if group)
                        print(f'{path}:{number}: {letter}: {line.strip()[:120]}')
                        per_file[path] = per_file.get(path, 0) + 1
    for path, count in sorted(per_file.items(), key=lambda item: -item[1]):
        print(f'{count:4} {path}')
    print(f'short-names: {sum(per_file.values())} one-letter local names in {len(per_file)} files')


if __name__ == '__main__':
    main()
