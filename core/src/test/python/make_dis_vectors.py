#!/usr/bin/env python3
"""Writes the disassembler's test vectors, core/src/test/resources/vectors/dis.tsv, from CPython.

Run it with CPython 3.11:  python3 core/src/test/python/make_dis_vectors.py [--vectors PATH] [--out PATH]

For every pickle of reader.tsv (one line per vector name and protocol; the encoding column does not
matter to a disassembler), then for the hand-made pickles of HAND below (the corners of
pickletools.dis itself), it records what pickletools.dis(pickle, out) prints, with the default
memo=None, indentlevel=4 and annotate=0. Each line has five tab-separated columns:

  name      the vector's name in reader.tsv, or dis/... for the pickles of HAND
  protocol  the vector's protocol in reader.tsv, or hand
  pickle    = for the pickle of the reader vector with that name and protocol, else the pickle as hex
  outcome   "ok", or "!Class: message" when pickletools.dis raises (ValueError, UnicodeDecodeError...)
  text      everything dis printed, up to the error when it raised, with backslash, tab, line feed
            and carriage return written as \\\\, \\t, \\n and \\r

With --batch, it reads pickles as hex from standard input, one per line, and writes for each the
outcome and text columns above on one line: DisassemblerTest's live differential test pipes the
pickles of random_graphs.py through it in one process.

The output is the same, byte for byte, on every run: pickletools.dis depends on nothing but its input.
"""

import argparse
import io
import os
import pickle
import pickletools
import struct
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, '..', 'resources', 'vectors')
DEFAULT_IN = os.path.normpath(os.path.join(VECTORS, 'reader.tsv'))
DEFAULT_OUT = os.path.normpath(os.path.join(VECTORS, 'dis.tsv'))

HEADER = """\
# Test vectors for the disassembler, written by core/src/test/python/make_dis_vectors.py from
# CPython 3.11's pickletools.dis, for every pickle of reader.tsv. Do not edit: run the script. Columns:
# name	protocol	pickle	outcome	text
"""

# Pickles no pickler writes, for what pickletools.dis does at its edges: its own checks, the error
# of every argument reader, repr() of every kind of argument, and ints too long for repr().
HAND = [
    ('dis/MARK-taken-by-TUPLE1-then-TUPLE', b'(\x85t.'),
    ('dis/POP-takes-a-MARK', b'(0N.'),
    ('dis/DUP-of-a-MARK-keeps-the-indent', b'(20.'),
    ('dis/marks-nest', b'((((N0000N.'),
    ('dis/stack-not-empty-lists-kinds', b'(N]}\x88.'),
    ('dis/PUT-of-a-MARK', b'(p0\n'),
    ('dis/PUT-01-is-True-GET-1-finds-it', b'(Np01\ng1\nl.'),
    ('dis/GET-00-is-False-finds-key-0', b'(Np0\ng00\nl.'),
    ('dis/PUT-big-key', b'(Np123456789012345678901234567890\ng123456789012345678901234567890\nl.'),
    ('dis/MEMOIZE-onto-a-BINPUT-key', b'\x80\x04Nq\x01\x94.'),
    ('dis/LONG_BINPUT-high-key', b'N\x72\xff\xff\xff\xff\x6a\xff\xff\xff\xff\x86.'),
    ('dis/INT-forms', b'(I00\nI01\nI1_0\nI 7 \nI-0\nI+3\nI007\nI\t12\x0b\nl.'),
    ('dis/INT-empty', b'I\n.'),
    ('dis/INT-double-underscore', b'I1__0\n.'),
    ('dis/INT-4301-digits', b'I' + b'1' * 4301 + b'\n.'),
    ('dis/INT-4301-digits-then-junk', b'I' + b'1' * 4301 + b'x\n.'),
    ('dis/INT-4300-digits', b'I' + b'9' * 4300 + b'\n.'),
    ('dis/LONG-forms', b'(L12L\nL-0\nL 5L\nL0012\nl.'),
    ('dis/LONG-long-junk-is-cut-at-200', b'L' + b'a' * 300 + b'\n.'),
    ('dis/LONG4-most-digits-repr-prints', pickle.dumps(10 ** 4300 - 1, 2)),
    ('dis/LONG4-too-many-digits-for-repr', pickle.dumps(10 ** 4300, 2)),
    ('dis/LONG4-negative-too-many-digits', pickle.dumps(-10 ** 4300, 2)),
    ('dis/LONG4-zeros', b'\x8b' + struct.pack('<i', 3000) + b'\x00' * 3000 + b'.'),
    ('dis/LONG4-sign-bytes', b'\x8b' + struct.pack('<i', 3000) + b'\xff' * 3000 + b'.'),
    ('dis/LONG4-negative-count', b'\x8b\xff\xff\xff\xff.'),
    ('dis/LONG1-empty-is-0', b'\x8a\x00.'),
    ('dis/six-digit-offsets', b'(\x8b' + struct.pack('<i', 100000) + b'\x00' * 100000 + b'K\x01t.'),
    ('dis/FLOAT-forms', b'(F1.e5\nF inf \nF-nan\nF1_0.5\nF.5\nF1e400\nF-0.0\nF1E-5\nF+Infinity\nl.'),
    ('dis/FLOAT-underscore-before-point', b'F1_.5\n.'),
    ('dis/FLOAT-hex', b'F0x1p3\n.'),
    ('dis/BINFLOAT-forms', b'(G\x7f\xf8\x00\x00\x00\x00\x00\x00G\x80\x00\x00\x00\x00\x00\x00\x00'
     b'G\x00\x00\x00\x00\x00\x00\x00\x01G\x44\x9c\x00\x00\x00\x00\x00\x00l.'),
    ('dis/STRING-lone-double-quote', b'S"\n.'),
    ('dis/STRING-escapes', b"(S'\\101\\q\\x41\\n\\0'\nS\"it's\"\nS'\\''\nl."),
    ('dis/STRING-bad-x-escape', b"S'ab\\x4'\n."),
    ('dis/STRING-trailing-backslash', b"S'a\\'\n."),
    ('dis/STRING-octal-to-non-ascii', b"S'\\777'\n."),
    ('dis/STRING-no-newline', b"S'abc'"),
    ('dis/UNICODE-truncated-u', b'V\\u12\n.'),
    ('dis/UNICODE-truncated-u-after-odd-backslashes', b'Vx\\\\\\u12\n.'),
    ('dis/UNICODE-U-out-of-range', b'Vab\\U00110000\n.'),
    ('dis/UNICODE-even-backslashes', b'V\\\\u0041 \\u0041 \\U0001f600 \\ud800\\udc00 \\u0027\n.'),
    ('dis/UNICODE-no-newline', b'Vabc'),
    ('dis/BINUNICODE-two-lone-surrogates', b'X\x06\x00\x00\x00\xed\xa0\x80\xed\xb0\x80.'),
    ('dis/BINUNICODE-unprintable-and-quotes', b'X\x0b\x00\x00\x00\'"\xc2\xa0\xc2\xad\xe2\x80\xa8\t\x7f.'),
    ('dis/SHORT_BINUNICODE-unexpected-end', b'\x8c\x02\xe4\xb8.'),
    ('dis/SHORT_BINUNICODE-invalid-third-byte', b'\x8c\x03\xf0\x90x.'),
    ('dis/SHORT_BINUNICODE-truncated-surrogate', b'\x8c\x02\xed\xa0.'),
    ('dis/SHORT_BINUNICODE-overlong', b'\x8c\x03\xe0\x80\x80.'),
    ('dis/SHORT_BINUNICODE-invalid-start', b'\x8c\x01\xf5.'),
    ('dis/SHORT_BINUNICODE-end-at-lead', b'\x8c\x02a\xc3.'),
    ('dis/BINUNICODE8-beyond-maxsize', b'\x8d' + b'\xff' * 8 + b'.'),
    ('dis/BINBYTES8-length-beyond-input', b'\x8e' + struct.pack('<Q', 2 ** 62) + b'ab'),
    ('dis/BINBYTES8-beyond-maxsize', b'\x8e' + struct.pack('<Q', 2 ** 63) + b'.'),
    ('dis/BINBYTES-quotes-and-escapes', b"(C\x02'\"C\x01'C\x05\x00\t\\\x7f\xffl."),
    ('dis/BYTEARRAY8-single-quote', b'\x96\x01\x00\x00\x00\x00\x00\x00\x00\'.'),
    ('dis/BINSTRING-latin1', b'T\x04\x00\x00\x00\xe9\xa0\xad\xff.'),
    ('dis/SHORT_BINSTRING-truncated', b'U\x05abc'),
    ('dis/GLOBAL-escapes', b'cmod\\x41\nna\\tme\n.'),
    ('dis/GLOBAL-non-ascii', b'cmod\xe9\nx\n.'),
    ('dis/GLOBAL-no-second-newline', b'cmod\nname'),
    ('dis/INST-and-PERSID', b'(imod\nCls\nPid\n\x86.'),
    ('dis/EXT-forms', b'(\x82\x01\x83\x01\x02\x84\xff\xff\xff\xffl.'),
    ('dis/FRAME-largest', b'\x95' + b'\xff' * 8 + b'N.'),
    ('dis/PROTO-unknown-number', b'\x80\x09N.'),
    ('dis/truncated-int4', b'J\x01\x02'),
    ('dis/truncated-float8', b'G\x00'),
    ('dis/truncated-uint2', b'M\x01'),
    ('dis/truncated-length-of-BINUNICODE', b'X\x01\x00'),
    ('dis/unknown-opcode-after-others', b'N\x00'),
    ('dis/bytes-after-STOP-are-not-read', b'N.\xff'),
]


def escape(text):
    return (text.replace('\\', '\\\\').replace('\t', '\\t')
            .replace('\n', '\\n').replace('\r', '\\r'))


def disassemble(data):
    """(outcome, text): what pickletools.dis prints for the pickle, and how it ended."""
    out = io.StringIO()
    try:
        pickletools.dis(io.BytesIO(data), out)
        outcome = 'ok'
    except Exception as e:  # pickletools raises ValueError, UnicodeDecodeError, IndexError...
        outcome = '!%s: %s' % (type(e).__name__, e)
    return escape(outcome), escape(out.getvalue())


def vectors(path):
    """(name, protocol, pickle) for each vector name and protocol of reader.tsv, in file order."""
    seen = {}
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if not line or line.startswith('#'):
                continue
            name, protocol, _encoding, _check, hexdata, _expected = line.split('\t')
            key = (name, protocol)
            if key in seen:
                if seen[key] != hexdata:
                    raise SystemExit('%s [%s] holds two different pickles' % key)
                continue
            seen[key] = hexdata
            yield name, protocol, bytes.fromhex(hexdata)


def write_vectors(source, target):
    lines = [HEADER]
    for name, protocol, data in vectors(source):
        outcome, text = disassemble(data)
        lines.append('%s\t%s\t=\t%s\t%s\n' % (name, protocol, outcome, text))
    for name, data in HAND:
        outcome, text = disassemble(data)
        lines.append('%s\thand\t%s\t%s\t%s\n' % (name, data.hex(), outcome, text))
    with open(target, 'w', encoding='utf-8', newline='\n') as f:
        f.writelines(lines)


def batch():
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding='ascii')
    stdout = io.TextIOWrapper(sys.stdout.buffer, encoding='utf-8', newline='\n')
    for line in stdin:
        outcome, text = disassemble(bytes.fromhex(line.strip()))
        stdout.write('%s\t%s\n' % (outcome, text))
    stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--vectors', default=DEFAULT_IN, help='the reader vectors (default: %(default)s)')
    parser.add_argument('--out', default=DEFAULT_OUT, help='where to write (default: %(default)s)')
    parser.add_argument('--batch', action='store_true', help='hex pickles on stdin, results on stdout')
    args = parser.parse_args()
    # escape_decode warns about escapes such as \q in STRING arguments; the output does not change.
    warnings.simplefilter('ignore')
    if args.batch:
        batch()
    else:
        write_vectors(args.vectors, args.out)


if __name__ == '__main__':
    main()
