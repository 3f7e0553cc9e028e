#!/usr/bin/env python3
"""The trap scan of the test command (docs/security.md, "The server never dies").

Fails on `try!`, `as!` and force-unwraps (`!` after a name, call, subscript or optional) in Sources/ outside the
allow-list scripts/trap-allow.txt, where each entry is `path | the line's text | one-line reason` (constant data, a
proven invariant). Comments and string literals are not scanned. An entry that no longer matches fails too, so the
list only shrinks.

    python3 scripts/trap-scan.py            # scan, exit 1 on a finding or a stale entry
    python3 scripts/trap-scan.py --list     # print every site as an allow-list line (reason left empty)
"""
import os
import re
import sys


def strip(src):
    # remove comments and string literal contents, keep newlines
    out=[];i=0;n=len(src)
    stack=[]  # for interpolation depth tracking: each entry is the kind of string we're inside
    while i<n:
        c=src[i]
        if src.startswith('//',i):
            j=src.find('\n',i); j=n if j<0 else j
            out.append(' '*(j-i)); i=j; continue
        if src.startswith('/*',i):
            j=src.find('*/',i+2); j=n if j<0 else j+2
            out.append(re.sub(r'[^\n]',' ',src[i:j])); i=j; continue
        m=re.match(r'(#*)("""|")',src[i:i+10])
        if m:
            hashes=m.group(1); q=m.group(2); close=q+hashes
            j=i+len(m.group(0)); buf=[' '*(j-i)]
            esc='\\'+hashes
            while j<n and not src.startswith(close,j):
                if src.startswith(esc+'(',j):
                    # interpolation: find matching paren, recursively keep code
                    k=j+len(esc)+1; depth=1; start=k
                    while k<n and depth:
                        if src[k]=='(': depth+=1
                        elif src[k]==')': depth-=1
                        elif src[k]=='"':
                            # nested string inside interpolation: skip to end simply
                            e=src.find('"',k+1); k=e if e>0 else n
                        k+=1
                    buf.append(' '*(start-j)); buf.append(strip(src[start:k-1])); buf.append(' '); j=k; continue
                if src.startswith(esc,j) and len(esc)==1:
                    buf.append('  ' if src[j+1]!='\n' else ' \n'); j+=2; continue
                buf.append('\n' if src[j]=='\n' else ' '); j+=1
            buf.append(' '*len(close)); out.append(''.join(buf)); i=j+len(close); continue
        out.append(c); i+=1
    return ''.join(out)
PATTERN = re.compile(r'try!|as!|(?<=[\w\)\]\?>])!(?!=)')


def sites(root):
    for folder, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            if not name.endswith('.swift'):
                continue
            path = os.path.join(folder, name)
            source = open(path, encoding='utf-8').read()
            code = strip(source)
            for number, (line, original) in enumerate(zip(code.split('\n'), source.split('\n')), 1):
                for _ in PATTERN.finditer(line):
                    yield path, number, original.strip()


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
    os.chdir(root)
    found = list(sites('Sources'))
    if '--list' in sys.argv:
        for path, _, text in found:
            print(f'{path} | {text} | ')
        return 0
    allowed = {}
    for raw in open('scripts/trap-allow.txt', encoding='utf-8'):
        if not raw.strip() or raw.startswith('#'):
            continue
        parts = [p.strip() for p in raw.rstrip('\n').split(' | ')]
        if len(parts) != 3 or not parts[2]:
            print(f'trap-allow.txt: an entry needs a path, the line and a reason: {raw.strip()}')
            return 1
        allowed[(parts[0], parts[1])] = parts[2]
    used = set()
    bad = []
    for path, number, text in found:
        if (path, text) in allowed:
            used.add((path, text))
        else:
            bad.append(f'{path}:{number}: {text}')
    stale = [f'{p} | {t}' for (p, t) in allowed if (p, t) not in used]
    for line in bad:
        print('trap: ' + line)
    for line in stale:
        print('stale allow-list entry (remove it): ' + line)
    print(f'trap scan: {len(found)} sites, {len(allowed)} allow-list entries, {len(bad)} not allowed, {len(stale)} stale')
    return 1 if bad or stale else 0


if __name__ == '__main__':
    sys.exit(main())
