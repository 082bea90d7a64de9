"""Writes core/src/test/resources/numpy/vectors.tsv: numpy's own pickles of arrays, scalars and
dtypes at every protocol, in band and out of band, from numpy 2 (this python3) and numpy 1
(Debian's /usr/bin/python3, run as a child with --generation-1).

Columns (tab-separated; text fields escape backslash, tab and newline):
  read  NAME GEN PROTO OOB PICKLE_HEX COUNT:BUFFERS_HEX(,) KIND DTYPE_STR SHAPE C_BYTES_HEX|ITEMS_REPR REPR
  write RECIPE GEN PROTO OOB PICKLE_HEX
READ lines: what numpy wrote and what numpy reads back from it. WRITE lines: numpy's pickle of the
array a Java recipe (see NumpyVectorsTest) builds, for byte-for-byte comparison.
"""
import argparse
import pickle
import subprocess
import sys

import numpy as np

GEN = 1 if np.__version__.startswith('1.') else 2


def esc(s):
    return s.replace('\\', '\\\\').replace('\t', '\\t').replace('\n', '\\n')


def arrays():
    a = {}
    for t in ['b1', 'i1', 'i2', 'i4', 'i8', 'u1', 'u2', 'u4', 'u8', 'f2', 'f4', 'f8', 'c8', 'c16', '>i4', '>f8', '>u2']:
        a['arange_' + t] = (np.arange(7) * 3 - 5).astype(t) if t[-2:] != 'b1' else np.array([True, False, True])
    a['floats_mixed'] = np.array([1.0, 2.5, -0.0, np.nan, np.inf, -np.inf])
    a['floats_exp'] = np.array([1e-5, 1.0, 1e10])
    a['floats_f4'] = np.array([0.1, 1 / 3, 2.5], dtype='f4')
    a['floats_long'] = np.linspace(0, 1, 30)
    a['matrix_c'] = np.arange(12.0).reshape(3, 4)
    a['matrix_f'] = np.asfortranarray(np.arange(12, dtype='i4').reshape(3, 4))
    a['cube_transposed'] = np.arange(24.0).reshape(2, 3, 4).transpose(1, 0, 2)
    a['strided'] = np.arange(10, dtype='i8')[::3]
    a['zero_d'] = np.array(1.5)
    a['zero_d_i4'] = np.array(7, dtype='i4')
    a['empty'] = np.zeros(0)
    a['empty_2d'] = np.zeros((0, 3), dtype='f4')
    a['summarized'] = np.arange(1001, dtype='i2')
    a['summarized_2d'] = np.arange(1040, dtype='f4').reshape(40, 26) / 7
    a['unicode'] = np.array(['a', 'bcd', '한국어'])
    a['bytes'] = np.array([b'x', b'yz\x00w'])
    a['datetime_ns'] = np.array(['2020-01-01T00:00:00.5', 'NaT'], dtype='M8[ns]')
    a['datetime_d'] = np.array(['2020-01-01', '1969-12-31'], dtype='M8[D]')
    a['timedelta_s'] = np.array([1, -2, 3], dtype='m8[s]')
    a['objects'] = np.array([1, 'a', None, (2, 3)], dtype=object)
    a['record'] = np.array([(1, 2.5), (-3, 4.0)], dtype=[('x', '<i4'), ('y', '>f8')])
    ro = np.arange(4, dtype='u1')
    ro.flags.writeable = False
    a['readonly'] = ro
    return a


def read_lines():
    out = []
    for name, arr in arrays().items():
        for proto in range(0, 6):
            for oob in ([False, True] if proto == 5 else [False]):
                bufs = []
                data = pickle.dumps(arr, proto, buffer_callback=bufs.append if oob else None)
                back = pickle.loads(data, buffers=bufs)
                # what numpy reads back is the expectation (numpy 2 at protocol 0 reads '>i4' as int32)
                payload = esc(repr(back.tolist())) if back.dtype.kind == 'O' else back.tobytes('C').hex()
                blob = f"{len(bufs)}:" + ','.join(bytes(b.raw()).hex() for b in bufs)
                out.append('\t'.join(['read', name, str(GEN), str(proto), str(int(oob)), data.hex(), blob,
                                      'array', esc(back.dtype.str if back.dtype.names is None else str(back.dtype)),
                                      ','.join(map(str, back.shape)), payload, esc(repr(back))]))
    shared = [np.arange(3.0), np.arange(2.0)]
    for proto in range(2, 6):
        out.append('\t'.join(['read', 'two_arrays_one_dtype', str(GEN), str(proto), '0',
                              pickle.dumps(shared, proto).hex(), '', 'list', '', '', '', esc(repr(shared))]))
    scalars = {'f8': np.float64(1.5), 'f4': np.float32(0.1), 'i8': np.int64(-3), 'i4': np.int32(7), 'b1': np.bool_(True),
               'M8': np.datetime64('2020-01-01'), 'u1': np.uint8(200)}
    for name, v in scalars.items():
        for proto in range(0, 6):
            out.append('\t'.join(['read', 'scalar_' + name, str(GEN), str(proto), '0', pickle.dumps(v, proto).hex(), '',
                                  'scalar', v.dtype.str, '', v.tobytes().hex(), esc(repr(v))]))
    for name, d in {'f8': np.dtype('f8'), '>i4': np.dtype('>i4'), 'U5': np.dtype('U5'), 'M8ns': np.dtype('M8[ns]'),
                    'record': np.dtype([('x', '<i4'), ('y', '>f8')])}.items():
        for proto in range(0, 6):
            out.append('\t'.join(['read', 'dtype_' + name, str(GEN), str(proto), '0', pickle.dumps(d, proto).hex(), '',
                                  'dtype', esc(d.str if d.names is None else str(d)), '', '', esc(repr(d))]))
    return out


# What the Java side builds for each recipe (NumpyVectorsTest.recipe).
RECIPES = {
    'double[]': lambda: np.array([1.0, 2.5, -3.0, 1e300]),
    'float[]': lambda: np.array([0.5, -1.25], dtype='f4'),
    'long[]': lambda: np.array([1, -2, 1 << 40], dtype='i8'),
    'int[]': lambda: np.array([1, -2, 3], dtype='i4'),
    'short[]': lambda: np.array([1, -2], dtype='i2'),
    'byte[]': lambda: np.array([1, -2, 127], dtype='i1'),
    'boolean[]': lambda: np.array([True, False]),
    'double[][]': lambda: np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),
    'int[][]': lambda: np.array([[1, 2], [3, 4], [5, 6]], dtype='i4'),
    'empty double[]': lambda: np.array([], dtype='f8'),
    'list of two double[]': lambda: [np.array([1.0]), np.array([2.0, 3.0])],
    'scalar double': lambda: np.float64(2.5),
    'scalar float': lambda: np.float32(0.1),
    'scalar long': lambda: np.int64(-7),
}


def write_lines():
    out = []
    for recipe, make in RECIPES.items():
        for proto in range(0, 6):
            for oob in ([False, True] if proto == 5 else [False]):
                bufs = []
                data = pickle.dumps(make(), proto, buffer_callback=bufs.append if oob else None)
                out.append('\t'.join(['write', recipe, str(GEN), str(proto), str(int(oob)), data.hex()]))
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--out')
    p.add_argument('--generation-1', action='store_true', help='print numpy 1 lines (run by Debian python3)')
    args = p.parse_args()
    lines = read_lines() + write_lines()
    if args.generation_1:
        sys.stdout.write('\n'.join(lines) + '\n')
        return
    assert GEN == 2, 'run with numpy 2 (python3); numpy 1 lines come from /usr/bin/python3'
    old = subprocess.run(['/usr/bin/python3', __file__, '--generation-1'], check=True, capture_output=True, text=True)
    with open(args.out, 'w', encoding='utf-8', newline='\n') as f:
        f.write('\n'.join(lines) + '\n' + old.stdout)


if __name__ == '__main__':
    main()
