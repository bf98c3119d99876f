#!/usr/bin/env python
# Copyright: contributors to the acronis.cyber_platform collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Mirror the work tree into DEST (…/ansible_collections/acronis/cyber_platform).

ansible-test only works inside an ``ansible_collections/NAMESPACE/NAME`` path,
while this repository holds the collection at its root. This copies every file
git would consider (tracked, plus untracked ones that are not ignored, so that
uncommitted work is tested too) to DEST, removes files that disappeared, and
keeps ansible-test's own ``tests/output`` directory.

DEST gets its own (empty) git repository: the copy lives under an ignored
directory of this repository, and ansible-test would otherwise walk up to this
repository's ``.git`` and see no files at all. With a repository at DEST it lists
the copied files with ``git ls-files --others --exclude-standard``, i.e. it
honours our .gitignore exactly as it would in a real checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

KEEP = ('.git', 'tests/output')


def source_files(src: str) -> set[str]:
    out = subprocess.run(
        ['git', '-C', src, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
        check=True, stdout=subprocess.PIPE,
    ).stdout.decode('utf-8')
    files = set()
    for rel in out.split('\0'):
        # a file deleted in the work tree but still in the index is not copied
        if rel and os.path.lexists(os.path.join(src, rel)):
            files.add(rel)
    return files


def kept(rel: str) -> bool:
    return any(rel == k or rel.startswith(k + '/') for k in KEEP)


def main() -> int:
    if len(sys.argv) != 3:
        print('usage: sync_collection.py SRC DEST', file=sys.stderr)
        return 2
    src, dest = (os.path.abspath(p) for p in sys.argv[1:])
    wanted = source_files(src)
    copied = removed = 0

    for rel in sorted(wanted):
        s, d = os.path.join(src, rel), os.path.join(dest, rel)
        if os.path.islink(s):
            if os.path.lexists(d) and (not os.path.islink(d) or os.readlink(d) != os.readlink(s)):
                os.remove(d)
            if not os.path.lexists(d):
                os.makedirs(os.path.dirname(d), exist_ok=True)
                os.symlink(os.readlink(s), d)
                copied += 1
            continue
        st = os.stat(s)
        try:
            dt = os.lstat(d)
            same = (not os.path.islink(d) and dt.st_size == st.st_size and int(dt.st_mtime) == int(st.st_mtime)
                    and dt.st_mode == st.st_mode)
        except FileNotFoundError:
            same = False
        if not same:
            if os.path.isdir(d) and not os.path.islink(d):
                shutil.rmtree(d)
            os.makedirs(os.path.dirname(d), exist_ok=True)
            shutil.copy2(s, d)
            copied += 1

    for root, dirs, files in os.walk(dest, topdown=True):
        rel_root = os.path.relpath(root, dest)
        rel_root = '' if rel_root == '.' else rel_root
        dirs[:] = [x for x in dirs if not kept(os.path.join(rel_root, x))]
        for name in files:
            rel = os.path.join(rel_root, name)
            if rel not in wanted and not kept(rel):
                os.remove(os.path.join(root, name))
                removed += 1
        for name in list(dirs):
            rel = os.path.join(rel_root, name)
            if os.path.islink(os.path.join(root, name)) and rel not in wanted:
                os.remove(os.path.join(root, name))
                dirs.remove(name)
    # drop directories left empty
    for root, dirs, files in os.walk(dest, topdown=False):
        rel_root = os.path.relpath(root, dest)
        if rel_root != '.' and not kept(rel_root) and not os.listdir(root):
            os.rmdir(root)

    if not os.path.isdir(os.path.join(dest, '.git')):
        subprocess.run(['git', 'init', '--quiet', dest], check=True)

    print('sync_collection: %s -> %s (%d copied, %d removed, %d files)' % (src, dest, copied, removed, len(wanted)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
