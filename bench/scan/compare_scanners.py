#!/usr/bin/env python3
"""Runs picklejar scan (default and --strict), picklescan and fickling on the same corpus and prints
the table: attacks caught / total, real files flagged / total, and files each could not read.

    python3 bench/scan/compare_scanners.py --picklescan DIR --fickling DIR [--corpus DIR] [--jar JAR]

DIR for picklescan is a checkout of mmaitre314/picklescan (its src/ is put on sys.path); for fickling,
one of trailofbits/fickling. Both run from their sources with the standard library (and numpy, which
fickling imports). Each tool is judged the way its command line judges a file:

  picklescan  scan_file_path(file): caught when it reports an infected file (dangerous globals);
              an error (scan_err) is reported as such, not as caught.
  fickling    what `fickling --check-safety FILE` does: StackedPickle.load, then check_safety on each
              pickle; caught when any severity is above LIKELY_SAFE; a parse failure is an error
              (its CLI exits 2 and tells the user not to trust the file), counted separately.
  picklejar   `picklejar scan --json -v DIR`, once per folder: caught when a finding is dangerous
              (--strict: not safe); an unreadable file is an error, counted separately.

The corpus is core/src/test/resources/scan/published (make_scan_published.py): attacks/ and benign/.
"""

import argparse
import io
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))


def files(folder):
    return sorted(os.path.join(folder, f) for f in os.listdir(folder))


def picklejar(jar, folder, strict):
    cmd = ['java', '-jar', jar, 'scan', '--json', '-v'] + (['--strict'] if strict else []) + [folder]
    run = subprocess.run(cmd, capture_output=True, text=True)
    flagged, errors = set(), set()
    for line in run.stdout.splitlines():
        f = json.loads(line)
        if f['verdict'] == 'dangerous' or strict and f['verdict'] == 'unknown':
            flagged.add(f['path'])
    for line in run.stderr.splitlines():
        if line.startswith('picklejar: ') and not line.startswith(('picklejar: read ', 'picklejar: skipped ')):
            errors.add(line[len('picklejar: '):].split(': ')[0].split('!')[0])
    return flagged, errors


def picklescan(src, paths):
    sys.path.insert(0, os.path.join(src, 'src'))
    import logging
    logging.disable(logging.CRITICAL)
    from picklescan.scanner import scan_file_path
    flagged, errors = set(), set()
    for p in paths:
        try:
            result = scan_file_path(p)
        except Exception:
            errors.add(p)
            continue
        if result.infected_files > 0:
            flagged.add(p)
        elif result.scan_err:
            errors.add(p)
    return flagged, errors


def fickling(src, paths):
    sys.path.insert(0, src)
    from fickling import fickle
    from fickling.analysis import Severity, check_safety
    flagged, errors = set(), set()
    for p in paths:
        try:
            with open(p, 'rb') as f:
                stacked = fickle.StackedPickle.load(f, fail_on_decode_error=False)
            for pickled in stacked:
                if check_safety(pickled).severity > Severity.LIKELY_SAFE:
                    flagged.add(p)
                    break
        except Exception:
            errors.add(p)
    return flagged, errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--corpus', default=os.path.join(ROOT, 'core/src/test/resources/scan/published'))
    parser.add_argument('--jar', default=os.path.join(ROOT, 'cli/target/picklejar.jar'))
    parser.add_argument('--picklescan', required=True)
    parser.add_argument('--fickling', required=True)
    args = parser.parse_args()
    attacks = files(os.path.join(args.corpus, 'attacks'))
    benign = files(os.path.join(args.corpus, 'benign'))
    rows = []
    for name, run in [
        ('picklejar scan', lambda ps: picklejar_both(args.jar, args.corpus, False)),
        ('picklejar scan --strict', lambda ps: picklejar_both(args.jar, args.corpus, True)),
        ('picklescan (source, ' + git_head(args.picklescan) + ')', lambda ps: picklescan(args.picklescan, ps)),
        ('fickling --check-safety (source, ' + git_head(args.fickling) + ')', lambda ps: fickling(args.fickling, ps)),
    ]:
        start = time.time()
        flagged, errors = run(attacks + benign)
        caught = [p for p in attacks if p in flagged]
        missed = [os.path.basename(p) for p in attacks if p not in flagged]
        condemned = [os.path.basename(p) for p in benign if p in flagged]
        unreadable = [os.path.basename(p) for p in benign if p in errors and p not in flagged]
        rows.append((name, len(caught), len(attacks), len(condemned), len(benign), len(unreadable),
                     time.time() - start, missed, condemned, unreadable))
    print('| scanner | attacks caught | real files flagged | real files unreadable |')
    print('|---|---|---|---|')
    for name, c, a, f, b, u, secs, missed, condemned, unreadable in rows:
        print('| %s | %d / %d | %d / %d | %d / %d |' % (name, c, a, f, b, u, b))
    for name, c, a, f, b, u, secs, missed, condemned, unreadable in rows:
        print('\n%s: missed %s; flagged %s; unreadable %s' % (name, missed or 'none', condemned or 'none',
                                                            unreadable or 'none'))


def picklejar_both(jar, corpus, strict):
    flagged, errors = set(), set()
    for sub in ('attacks', 'benign'):
        f, e = picklejar(jar, os.path.join(corpus, sub), strict)
        flagged |= f
        errors |= e
    return flagged, errors


def git_head(path):
    head = os.path.join(path, 'COMMIT')
    if os.path.exists(head):
        return open(head).read().strip()[:10]
    return 'checkout'


if __name__ == '__main__':
    main()
