#!/usr/bin/env python3
"""What `python3 -m pickletools` prints with its options, for DisOptionsTest to compare `picklejar dis` with.

    python3 dis_options_vectors.py --out cli/src/test/resources/dis-options.txt

For each case, writes the pickle files (as pickle.dumps or by hand), runs `python3 -m pickletools ARGS`
in a fresh folder and records what it printed: standard output, the -o file, and the exception it
raised (the last line of its traceback). Format, one case after another:

    case NAME
    args ARG ARG ...              (file names are relative to the folder)
    file NAME HEX                 (one line per input file)
    exit 0 | error TYPE: MESSAGE  (what pickletools raised)
    stdout N                      then N lines: what it printed on standard output
    output N                      (only with -o) then N lines: what it wrote into the -o file
"""
import datetime
import os
import pickle
import subprocess
import sys
import tempfile

nested = {'name': 'Alice', 'tags': ['a', ('b', [1, 2.5, None])], 'when': datetime.date(2026, 11, 25),
          'long annotation alignment test key': 'x' * 30}
data = {'name': 'Alice', 'age': 25}
# A memo entry put by one file and fetched by the next: 'shared' PUT as 0, then a file that is only BINGET 0.
first = pickle.dumps('shared', 2)
get_it = b'\x80\x02h\x00.'

CASES = [
    ('default', [], {'data.pickle': pickle.dumps(data, 5)}),
    ('annotate-p0', ['-a'], {'nested.pickle': pickle.dumps(nested, 0)}),
    ('annotate-p2', ['-a'], {'nested.pickle': pickle.dumps(nested, 2)}),
    ('annotate-p5', ['--annotate'], {'nested.pickle': pickle.dumps(nested, 5)}),
    ('indent-2', ['-l', '2'], {'nested.pickle': pickle.dumps(nested, 1)}),
    ('indent-0-annotate', ['-a', '--indentlevel', '0'], {'nested.pickle': pickle.dumps(nested, 0)}),
    ('indent-8', ['-l8'], {'nested.pickle': pickle.dumps(nested, 0)}),
    ('two-files-preamble', [], {'a.pickle': pickle.dumps(data, 2), 'b.pickle': pickle.dumps([1, 2], 4)}),
    ('custom-preamble', ['-p', '--- {name} ({{braces}}) ---'],
     {'a.pickle': pickle.dumps(data, 3), 'b.pickle': pickle.dumps((1, 'x'), 0)}),
    ('memo-kept-across-files', ['-m'], {'first.pickle': first, 'second.pickle': get_it}),
    ('memo-not-kept', [], {'first.pickle': first, 'second.pickle': get_it}),
    ('output-file', ['-o', 'out.txt', '-a'], {'a.pickle': pickle.dumps(data, 4), 'b.pickle': pickle.dumps(nested, 2)}),
    ('one-file-memo-annotate-indent', ['-m', '-a', '-l', '3'], {'nested.pickle': pickle.dumps(nested, 4)}),
]


def run(args, files):
    with tempfile.TemporaryDirectory() as d:
        for name, content in files.items():
            with open(os.path.join(d, name), 'wb') as f:
                f.write(content)
        p = subprocess.run([sys.executable, '-m', 'pickletools', *args, *files], cwd=d,
                           capture_output=True)
        output = None
        if '-o' in args:
            with open(os.path.join(d, args[args.index('-o') + 1]), encoding='utf-8') as f:
                output = f.read()
        error = None
        if p.returncode != 0:
            error = p.stderr.decode('utf-8').strip().splitlines()[-1]
        return p.stdout.decode('utf-8'), output, error


def lines(text):
    return text.split('\n')[:-1] if text.endswith('\n') else text.split('\n') if text else []


def main():
    out = sys.argv[sys.argv.index('--out') + 1]
    with open(out, 'w', encoding='utf-8', newline='\n') as f:
        for name, args, files in CASES:
            stdout, output, error = run(args, files)
            f.write('case %s\n' % name)
            f.write('args %s\n' % ' '.join(args + list(files)))
            for file, content in files.items():
                f.write('file %s %s\n' % (file, content.hex()))
            f.write('error %s\n' % error if error else 'exit 0\n')
            f.write('stdout %d\n' % len(lines(stdout)))
            for line in lines(stdout):
                f.write(line + '\n')
            if output is not None:
                f.write('output %d\n' % len(lines(output)))
                for line in lines(output):
                    f.write(line + '\n')


if __name__ == '__main__':
    main()
