#!/usr/bin/python3
"""Writes the scanner's corpus of published attacks and of real benign files.

Run it with Debian's CPython 3.11 and its numpy, torch, sklearn, pandas, scipy and joblib
(installed by tools/setup-test-deps.sh):

    /usr/bin/python3 core/src/test/python/make_scan_published.py [--out DIR] [--only attacks|benign]

  attacks/   one file per published attack, named after where it was published: picklescan's and
             fickling's GitHub security advisories (GHSA-...) and test files, JFrog's and Sonatype's
             2025 CVEs against picklescan, modelscan's issues (modelscan-issue-N), the papers "The Art
             of Hide and Seek" (arXiv 2508.19774: the loader paths numpy.load, joblib, pandas, torch's
             legacy formats, exceptions raised after the payload ran) and "PickleBall" (BUILD setting
             the attributes of a class), CPython's issue on frames (cpython-issue-154848) and this
             project's own issue 13. Assembled opcode by opcode (or with the loader's own writer for
             the container), every payload is harmless: it writes the file picklejar-proof.txt.
  benign/    real files written by numpy, torch, sklearn, pandas, scipy, joblib and the standard
             library: what --strict must pass.
  attacks-compressed/, benign-compressed/  the same through joblib's and pandas' bz2, xz, lzma and
             lz4 compressions (lz4 needs python3-lz4) and pandas' zips of bzip2 and lzma members,
             which core reads only through the decompressors
             a caller gives it (picklejar scan gives them; Scanner.standard() reports them unreadable).
  published.tsv  one line per file: kind (attack/benign), file, source, and for attacks whether the
             test loads it in a throwaway subprocess to prove it runs (runs/-), with the loader to use.

Attacks are written the same, byte for byte, on every run; benign files come from the libraries
(torch writes a random serialization id, so they are not compared byte for byte).
"""

import os
import sys

if os.environ.get('PYTHONHASHSEED') != '0':
    os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:],
              dict(os.environ, PYTHONHASHSEED='0'))

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import argparse
import bz2
import gzip
import io
import lzma
import pickle
import shutil
import struct
import tarfile
import zipfile
import zlib

from make_scan_corpus import G, U, asm, framed, zip_bytes, torch_zip, torch_legacy, TORCH_MAGIC

DEFAULT_OUT = os.path.normpath(os.path.join(HERE, '..', 'resources', 'scan', 'published'))
PROOF = 'picklejar-proof.txt'
CMD = 'echo ran > ' + PROOF
PY = "open('" + PROOF + "', 'w').write('ran')"


def arg(value):
    if isinstance(value, str):
        return [U(value)] if len(value.encode()) < 256 else [('BINUNICODE', value)]
    if isinstance(value, bytes):
        return [('SHORT_BINBYTES', value)] if len(value) < 256 else [('BINBYTES', value)]
    if isinstance(value, bool):
        return ['NEWTRUE' if value else 'NEWFALSE']
    if isinstance(value, int):
        return [('BININT1', value)]
    if value is None:
        return ['NONE']
    if isinstance(value, tuple):
        return ['MARK'] + [op for v in value for op in arg(v)] + ['TUPLE']
    if isinstance(value, list):
        return ['EMPTY_LIST', 'MARK'] + [op for v in value for op in arg(v)] + ['APPENDS']
    if isinstance(value, dict):
        return ['EMPTY_DICT', 'MARK'] + [op for k, v in value.items() for op in arg(k) + arg(v)] + ['SETITEMS']
    if isinstance(value, Ops):
        return list(value.ops)
    raise ValueError(value)


class Ops:
    """Opcodes that push one value (a nested call)."""

    def __init__(self, *ops):
        self.ops = ops


def sg(module, name):
    return Ops(U(module), U(name), 'STACK_GLOBAL')


def called(module, name, *args):
    return Ops(*arg(sg(module, name)), *arg(tuple(args)), 'REDUCE')


def call4(module, name, *args):
    """module.name(*args) at protocol 4, the global by STACK_GLOBAL."""
    return framed(4, *called(module, name, *args).ops, 'STOP')


def call2(module, name, *args):
    """module.name(*args) at protocol 2, the global by GLOBAL."""
    return asm(('PROTO', 2), G(module, name), *arg(tuple(args)), 'REDUCE', 'STOP')


OS_SYSTEM = call2('os', 'system', CMD)


def tampered_zip(data, *, flags=None, local_name=None, crc=None):
    """A torch zip whose archive/data.pkl has other flags, another local name or a wrong CRC."""
    raw = bytearray(torch_zip(data))
    local = raw.find(b'PK\x03\x04')
    central = raw.find(b'PK\x01\x02')
    if flags is not None:
        struct.pack_into('<H', raw, local + 6, flags)
        struct.pack_into('<H', raw, central + 8, flags)
    if crc is not None:
        struct.pack_into('<I', raw, local + 14, crc)
        struct.pack_into('<I', raw, central + 16, crc)
    if local_name is not None:
        n = struct.unpack_from('<H', raw, local + 26)[0]
        assert len(local_name) == n
        raw[local + 30:local + 30 + n] = local_name
    return bytes(raw)


def npy_object(payload):
    header = "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }"
    header = header + ' ' * (63 - (10 + len(header)) % 64) + '\n'
    return b'\x93NUMPY\x01\x00' + struct.pack('<H', len(header)) + header.encode('latin1') + payload


def joblib_wrapped(payload, compress=None):
    """joblib's layout: a NumpyArrayWrapper of float64[2] whose raw bytes follow its BUILD, then the payload."""
    wrapper = asm(('PROTO', 4), G('joblib.numpy_pickle', 'NumpyArrayWrapper'), 'EMPTY_TUPLE', 'NEWOBJ',
                  'EMPTY_DICT', 'MARK',
                  U('subclass'), G('numpy', 'ndarray'),
                  U('shape'), ('BININT1', 2), 'TUPLE1',
                  U('order'), U('C'),
                  U('dtype'), G('numpy', 'dtype'), U('f8'), 'NEWFALSE', 'NEWTRUE', 'TUPLE3', 'REDUCE',
                  'MARK', ('BININT1', 3), U('<'), 'NONE', 'NONE', 'NONE', ('BININT', -1), ('BININT', -1),
                  ('BININT1', 0), 'TUPLE', 'BUILD',
                  U('allow_mmap'), 'NEWFALSE',
                  'SETITEMS', 'BUILD')
    # The array's 16 bytes: a pickle's bytes (os.system) that a scanner must skip, not read.
    raw = OS_SYSTEM[:16]
    rest = payload[2:] if payload[:2] == b'\x80\x02' else payload
    data = wrapper + raw + asm('POP') + rest
    if compress == 'zlib':
        return zlib.compress(data, 3)
    if compress == 'gzip':
        return gzip.compress(data, 3, mtime=0)
    # joblib's other compressors are these modules' file objects at level 3.
    if compress == 'bz2':
        return bz2.compress(data, 3)
    if compress == 'xz':
        return lzma.compress(data, lzma.FORMAT_XZ, lzma.CHECK_CRC64, 3)
    if compress == 'lzma':
        return lzma.compress(data, lzma.FORMAT_ALONE, preset=3)
    return data


class SystemCall:
    """What an attacker hands joblib.dump or pandas.to_pickle: it pickles as os.system(CMD) (posix.system)."""

    def __reduce__(self):
        return (os.system, (CMD,))


def written_by(write):
    """The bytes a library's dump writes to a file: write(path) writes them."""
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, 'file')
        write(path)
        with open(path, 'rb') as f:
            return f.read()


def compressed_attacks():
    """"The Art of Hide and Seek"'s joblib and pandas loader paths, through joblib's and pandas' other compressions."""
    import joblib
    import pandas as pd
    hs = 'https://arxiv.org/abs/2508.19774'
    a = []
    for method in ('bz2', 'xz', 'lzma', 'lz4'):
        a.append(('joblib-dump-%s.joblib' % method, hs,
                  written_by(lambda p: joblib.dump(SystemCall(), p, compress=(method, 3))),
                  'joblib' if method == 'xz' else None))
    for method in ('bz2', 'xz', 'lzma'):
        a.append(('hide-and-seek-joblib-raw-array-%s.joblib' % method, hs, joblib_wrapped(OS_SYSTEM, method),
                  'joblib' if method == 'lzma' else None))
    for suffix in ('bz2', 'xz'):
        a.append(('pandas-to-pickle.pkl.' + suffix, hs,
                  written_by(lambda p: pd.to_pickle(SystemCall(), p, compression=suffix)),
                  'pandas' if suffix == 'bz2' else None))
    # pandas.read_pickle of a .pkl.zip reads a member compressed any way Python's zipfile does.
    pickled = written_by(lambda p: pd.to_pickle(SystemCall(), p))
    for method, compress_type in (('bz2', zipfile.ZIP_BZIP2), ('lzma', zipfile.ZIP_LZMA)):
        a.append(('pandas-to-pickle-%s-member.pkl.zip' % method, hs,
                  zip_member('data.pkl', pickled, compress_type), 'pandas' if method == 'lzma' else None))
    return a


def zip_member(name, data, compress_type):
    """A zip of one member compressed as Python's zipfile does, dated 1980 so that its bytes never change."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w') as z:
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = compress_type
        info.create_system = 3
        info.external_attr = 0o644 << 16
        z.writestr(info, data)
    return buf.getvalue()


def torch_tar(pickle_member):
    def member(tar, name, data):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mtime = 0
        tar.addfile(info, io.BytesIO(data))

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w', format=tarfile.PAX_FORMAT) as tar:
        member(tar, 'sys_info', pickle.dumps({'protocol_version': 1000, 'little_endian': True,
                                              'type_sizes': {'short': 2, 'int': 4, 'long': 8}}, 2))
        storages = (pickle.dumps(1, 2) + asm(('PROTO', 2), U('0'), U('cpu'), G('torch', 'FloatStorage'), 'TUPLE3',
                                             'STOP')
                    + struct.pack('<q', 2) + OS_SYSTEM[:8] + pickle.dumps([], 2))
        member(tar, 'storages', storages)
        member(tar, 'tensors', pickle.dumps(0, 2))
        member(tar, 'pickle', pickle_member)
    return buf.getvalue()


def frame_lies():
    """fickling's frame-boundary test (CPython issue 154848): a FRAME claims 2 bytes, BINBYTES reads 263."""
    hidden = b'c' + b'os\nsystem\n' + b'V' + CMD.encode() + b'\n' + b'\x85' + b'R'
    return (b'\x80\x05' + b'N' + b'V' + b'a' * (8192 * 16 - 17) + b'\n' + b'0' + b'(' + b'\x95'
            + struct.pack('<Q', 2) + b'B' + b'\x07\x01\x00\x00' + b'\x00\x00'
            + (hidden + b'(').ljust(256 + 5, b'N') + b'1' + b'.')


def attacks():
    a = []

    def add(name, source, data, runs=None):
        a.append((name, source, data, runs))

    ps = 'https://github.com/mmaitre314/picklescan/security/advisories/'
    fk = 'https://github.com/trailofbits/fickling/security/advisories/'
    # picklescan's 2025 advisories: standard-library and torch gadgets missing from its deny list
    for ghsa, module, name, args in [
        ('GHSA-g38g-8gr9-h9xp-uuid', 'uuid', '_get_command_stdout', ('sh', '-c', CMD)),
        ('GHSA-g38g-8gr9-h9xp-osx-support', '_osx_support', '_read_output', (CMD,)),
        ('GHSA-g38g-8gr9-h9xp-aix-support', '_aix_support', '_read_cmd_output', (CMD,)),
        ('GHSA-g38g-8gr9-h9xp-imaplib', 'imaplib', 'IMAP4_stream', (CMD,)),
        ('GHSA-g38g-8gr9-h9xp-pyrepl-pager', '_pyrepl.pager', 'pipe_pager', ('x', CMD)),
        ('GHSA-g38g-8gr9-h9xp-test', 'test.support.script_helper', 'assert_python_ok', ('-c', PY)),
        ('GHSA-4r9r-ch6f-vxmx', 'torch.utils.bottleneck.__main__', 'run_cprofile', (PY, {})),
        ('GHSA-4whj-rm5r-c2v8', 'torch.utils.bottleneck.__main__', 'run_autograd_prof', (PY, {})),
        ('GHSA-86cj-95qr-2p4f', 'torch._dynamo.guards', 'GuardBuilder.get', (None, PY)),
        ('GHSA-f4x7-rfwp-v3xw', 'torch.fx.experimental.symbolic_shapes', 'ShapeEnv.evaluate_guards_expression',
         (None, PY, [])),
        ('GHSA-f745-w6jp-hpxx', 'torch.utils.collect_env', 'run', (CMD,)),
        ('GHSA-jhph-76pp-mggw', 'torch.utils.collect_env', 'run_and_read_all', (Ops(*arg(sg('torch.utils.collect_env', 'run'))), CMD)),
        ('GHSA-h3qp-7fh3-f8h4', 'torch.utils.data.datapipes.utils.decoder', 'basichandlers', ('pickle', OS_SYSTEM)),
        ('GHSA-vr7h-p6mm-wpmh', 'torch.jit.unsupported_tensor_ops', 'execWrapper', (PY,)),
        ('GHSA-vv6j-3g6g-2pvj', 'torch.utils._config_module', 'ConfigModule.load_config', (None, OS_SYSTEM)),
        ('GHSA-5qwp-399c-mjwf', 'trace', 'Trace.run', (None, PY)),
        ('GHSA-g344-hcph-8vgg', 'trace', 'Trace.runctx', (None, PY, {}, {})),
        ('GHSA-x696-vm39-cp64', 'profile', 'Profile.run', (None, PY)),
        ('GHSA-6vqj-c2q5-j97w', 'profile', 'Profile.runctx', (None, PY, {}, {})),
        ('GHSA-f54q-57x4-jg88', 'lib2to3.pgen2.grammar', 'Grammar.loads', (None, OS_SYSTEM)),
        ('GHSA-3vg9-h568-4w9m', 'idlelib.debugobj', 'ObjectTreeItem.SetText', (None, PY)),
        ('GHSA-6w4w-5w54-rjvr', 'idlelib.autocomplete', 'AutoComplete.get_entity', (None, PY)),
        ('GHSA-7cq8-mj8x-j263', 'idlelib.autocomplete', 'AutoComplete.fetch_completions', (None, PY, 1)),
        ('GHSA-cj3c-v495-4xqh', 'code', 'InteractiveInterpreter.runcode', (None, PY)),
        ('GHSA-8r4j-24qv-fmq9', 'idlelib.calltip', 'Calltip.fetch_tip', (None, PY)),
        ('GHSA-9xph-j2h6-g47v', 'idlelib.calltip', 'get_entity', (PY,)),
        ('GHSA-xp4f-hrf8-rxw7', 'ensurepip', '_run_pip', (['--version'],)),
        ('GHSA-p9w7-82w4-7q8m', 'lib2to3.pgen2.pgen', 'ParserGenerator.make_label', (None, None, PY)),
        ('GHSA-m869-42cg-3xwr', 'idlelib.run', 'Executive.runcode', (None, PY)),
        ('GHSA-j343-8v2j-ff7w', 'idlelib.pyshell', 'ModifiedInterpreter.runcommand', (None, PY)),
        ('GHSA-3gf5-cxq9-w223', 'idlelib.pyshell', 'ModifiedInterpreter.runcode', (None, PY)),
        ('GHSA-fqq6-7vqf-w3fg', 'doctest', 'debug_script', (PY,)),
        ('GHSA-9w88-8rmg-7g2p', 'cProfile', 'runctx', (PY, {}, {})),
        ('GHSA-49gj-c84q-6qm9', 'cProfile', 'run', (PY,)),
        ('GHSA-7wx9-6375-f5wh', 'profile', 'run', (PY,)),
        ('GHSA-q77w-mwjj-7mqx', 'asyncio.unix_events', '_UnixSubprocessTransport._start', (None, CMD, True)),
        ('GHSA-m273-6v24-x4m4', 'distutils.file_util', 'write_file', (PROOF, ['ran'])),
        ('GHSA-4675-36f9-wf6r', 'ctypes', 'CDLL', ('libc.so.6',)),
        ('GHSA-vqmv-47xg-9wpr', 'pty', 'spawn', (['sh', '-c', CMD],)),
        ('GHSA-r8g5-cgf2-4m4m', 'numpy.f2py.crackfortran', 'getlincoef', (PY, {})),
        ('GHSA-vvpj-8cmc-gx39', 'pkgutil', 'resolve_name', ('os:system',)),
    ]:
        add('picklescan-' + ghsa + '.pkl', ps + ghsa[:19], call4(module, name, *args))
    add('picklescan-GHSA-84r2-jw7c-4r5q.pkl', ps + 'GHSA-84r2-jw7c-4r5q',
        framed(4, *called('operator', 'methodcaller', 'system', CMD).ops,
               *arg((called('pydoc', 'locate', 'os'),)), 'REDUCE', 'STOP'))
    add('picklescan-GHSA-955r-x9j8-7rhh.pkl', ps + 'GHSA-955r-x9j8-7rhh',
        framed(4, *called('_operator', 'methodcaller', 'system', CMD).ops,
               *arg((called('builtins', '__import__', 'os'),)), 'REDUCE', 'STOP'), runs='pickle')
    add('picklescan-GHSA-46h3-79wf-xr6c.pkl', ps + 'GHSA-46h3-79wf-xr6c',
        framed(4, *called('_operator', 'attrgetter', 'system').ops,
               *arg((called('builtins', '__import__', 'os'),)), 'REDUCE', *arg((CMD,)), 'REDUCE', 'STOP'))
    add('picklescan-GHSA-vvpj-8cmc-gx39-called.pkl', ps + 'GHSA-vvpj-8cmc-gx39',
        framed(4, *called('pkgutil', 'resolve_name', 'os:system').ops, *arg((CMD,)), 'REDUCE', 'STOP'),
        runs='pickle')
    # picklescan's test files for 2025's fixes
    t = 'https://github.com/mmaitre314/picklescan/blob/main/tests/test_scanner.py'
    add('picklescan-tests-io-FileIO.pkl', t, call4('_io', 'FileIO', PROOF, 'w'))
    add('picklescan-tests-logging-FileHandler.pkl', t, call4('logging', 'FileHandler', PROOF))
    add('picklescan-tests-urllib-request-urlopen.pkl', t, call4('urllib.request', 'urlopen', 'http://127.0.0.1:9/'))
    add('picklescan-tests-types-CodeType.pkl', t, call4('types', 'CodeType', 0, 0))
    add('picklescan-tests-cloudpickle-make-function.pkl', t, call4('cloudpickle.cloudpickle', '_make_function', None))
    add('picklescan-tests-malicious22-numpy-runstring.pkl', t,
        call4('numpy.testing._private.utils', 'runstring', PY, {}))
    add('picklescan-tests-malicious21-timeit.pkl', t, call4('timeit', 'timeit', PY))
    add('picklescan-tests-malicious14-runpy.pkl', t, call4('runpy', '_run_code', PY, {}))
    add('picklescan-tests-magic-bypass.pt', t, torch_legacy(asm(('PROTO', 2), G('__builtin__', 'eval'), ('BINUNICODE', PY),
                                                                  'TUPLE1', 'REDUCE', 'STOP')))
    # memo tricks: picklescan issue 14 and GHSA-9gvj-pp9x-gcfr (names read from the wrong memo slot)
    add('picklescan-issue-14-memo-confusion.pkl', 'https://github.com/mmaitre314/picklescan/issues/14',
        asm(('PROTO', 4), ('BINSTRING', 'os'), ('BINPUT', 0), ('BINSTRING', 'system'), ('BINPUT', 1),
            U('torch._utils'), 'MEMOIZE', U('_rebuild_tensor_v2'), 'MEMOIZE', 'POP', 'POP', 'POP', 'POP',
            ('BINGET', 0), ('BINGET', 1), 'STACK_GLOBAL', U(CMD), 'TUPLE1', 'REDUCE', 'STOP'), runs='pickle')
    add('picklescan-GHSA-9gvj-pp9x-gcfr-type-confusion.pkl', ps + 'GHSA-9gvj-pp9x-gcfr',
        asm(('PROTO', 4), ('BININT1', 42), 'MEMOIZE', 'POP', U('os'), 'MEMOIZE', U('system'), 'MEMOIZE',
            'STACK_GLOBAL', U(CMD), 'TUPLE1', 'REDUCE', 'STOP'))
    # Sonatype's and JFrog's 2025 CVEs against picklescan: extensions, zip names, flags and CRCs
    sn = 'https://www.sonatype.com/blog/bypassing-picklescan-sonatype-discovers-four-vulnerabilities'
    add('sonatype-CVE-2025-1716-pip-main.pkl', sn, call4('pip', 'main', ['--version']))
    add('sonatype-CVE-2025-1889.weights', sn, OS_SYSTEM, runs='pickle')
    add('sonatype-CVE-2025-1944-local-name.pt', sn,
        tampered_zip(OS_SYSTEM, local_name=b'archive/data.pk_'), runs='torch')
    add('sonatype-CVE-2025-1945-flag-0x1.pt', sn, tampered_zip(OS_SYSTEM, flags=0x1))  # torch 1.13 refuses it
    add('sonatype-CVE-2025-1945-flag-0x20.pt', sn, tampered_zip(OS_SYSTEM, flags=0x20))
    add('sonatype-CVE-2025-1945-flag-0x40.pt', sn, tampered_zip(OS_SYSTEM, flags=0x40))
    jf = 'https://jfrog.com/blog/unveiling-3-zero-day-vulnerabilities-in-picklescan/'
    add('jfrog-CVE-2025-10155.bin', jf, OS_SYSTEM)
    add('jfrog-CVE-2025-10156-bad-crc.pt', jf, tampered_zip(OS_SYSTEM, crc=0xdeadbeef), runs='torch')
    add('jfrog-CVE-2025-10157-asyncio-submodule.pkl', jf,
        call4('asyncio.unix_events', '_UnixSubprocessTransport._start', None, CMD, True))
    # fickling's advisories
    for ghsa, data in [
        ('GHSA-r7v6-mfhq-g3m2-pty', call4('pty', 'spawn', ['sh', '-c', CMD])),
        ('GHSA-565g-hwwr-4pp3-marshal', framed(4, *called('types', 'FunctionType', called('marshal', 'loads', b'\xe3'), {}).ops, 'STOP')),
        ('GHSA-wfq2-52f7-7qvj-runpy', call4('runpy', '_run_code', PY, {})),
        ('GHSA-q5qq-mvfm-j35x-importlib', call4('importlib', 'import_module', 'os')),
        ('GHSA-q5qq-mvfm-j35x-code', call4('code', 'InteractiveInterpreter.runsource', None, PY)),
        ('GHSA-q5qq-mvfm-j35x-multiprocessing', call4('multiprocessing.util', 'spawnv_passfds', b'/bin/sh', ('sh', '-c', CMD), ())),
        ('GHSA-p523-jq9w-64x9-cprofile', call4('cProfile', 'run', PY)),
        ('GHSA-5hvc-6wx8-mvv4-pydoc', call4('pydoc', 'pipepager', 'x', CMD)),
        ('GHSA-h4rm-mm56-xf63-builtins-import', call4('builtins', '__import__', 'os')),
        ('GHSA-mxhj-88fx-4pcv-obj-pop', framed(4, 'MARK', U('smtplib'), U('SMTP'), 'STACK_GLOBAL', U('127.0.0.1'), 'OBJ',
                                               'POP', 'NONE', 'STOP')),
        ('GHSA-5hwf-rc88-82xm-uuid', call4('uuid', '_get_command_stdout', 'sh', '-c', CMD)),
        ('GHSA-5j3x-jp52-966f-pathlib-os', framed(4, *called('pathlib', 'os.system', CMD).ops, 'STOP')),
        ('GHSA-6ggj-6f2q-f7mx-subinterpreters', call4('_xxsubinterpreters', 'run_string', 0, PY)),
    ]:
        add('fickling-' + ghsa + '.pkl', fk + ghsa[:19], data)
    add('fickling-GHSA-5hwf-rc88-82xm-uuid-runs.pkl', fk + 'GHSA-5hwf-rc88-82xm',
        call4('uuid', '_get_command_stdout', 'sh', '-c', CMD), runs='pickle')
    add('cpython-issue-154848-frame-lies.pkl', 'https://github.com/python/cpython/issues/154848 (fickling test_frame_boundary_divergence)',
        frame_lies(), runs='pickle-file')
    # modelscan's issues
    mi = 'https://github.com/protectai/modelscan/issues/'
    add('modelscan-issue-85-build-setattr.pkl', mi + '85',
        asm(('PROTO', 5), G('numpy', 'prod'), 'NONE', 'MARK', ('UNICODE', 'a'), ('UNICODE', 'os'), 'DICT', 'TUPLE2',
            'BUILD', 'NONE', 'MARK', ('UNICODE', 'b'), ('UNICODE', 'system'), 'DICT', 'TUPLE2', 'BUILD', 'POP',
            G('numpy', 'prod.a'), ('PUT', 0), G('numpy', 'prod.b'), ('PUT', 1), 'POP', 'POP', ('GET', 0), ('GET', 1),
            'STACK_GLOBAL', ('UNICODE', CMD), 'TUPLE1', 'REDUCE', 'STOP'), runs='pickle')
    add('modelscan-issue-330-numpy-builtins.pkl', mi + '330',
        framed(4, U('numpy'), U('size'), 'STACK_GLOBAL', 'MEMOIZE', 'MEMOIZE', U('numpy'), U('__builtins__'),
               'STACK_GLOBAL', 'MEMOIZE', 'MEMOIZE', ('BINGET', 1), 'EMPTY_DICT', 'EMPTY_DICT', U('shape'),
               ('BINGET', 3), 'SETITEM', 'TUPLE2', 'BUILD', ('BINGET', 1), ('BINGET', 1), U('eval'), 'TUPLE2',
               'REDUCE', U(PY), 'TUPLE1', 'REDUCE', 'STOP'))
    add('modelscan-issue-331-importlib-getattr-join.pkl', mi + '331',
        framed(4, *called('builtins', 'getattr', called('importlib', 'import_module', 'os'), 'system').ops,
               *arg((CMD,)), 'REDUCE', 'STOP'))
    add('modelscan-issue-267-nested-loads.pkl', mi + '267', call4('pickle', 'loads', OS_SYSTEM))
    add('modelscan-issue-338-spawnv-passfds.pkl', mi + '338',
        call4('multiprocessing.util', 'spawnv_passfds', b'/bin/sh', ('sh', '-c', CMD), ()))
    add('modelscan-issue-338-mlflow-entry-point.pkl', mi + '338',
        call4('mlflow.projects.backend.local', '_run_entry_point', CMD, '.', '', ''))
    add('modelscan-issue-338-pandas-read-csv.pkl', mi + '338',
        call4('pandas.io.parsers.readers', 'read_csv', 'http://127.0.0.1:9/x'))
    # "The Art of Hide and Seek" (arXiv 2508.19774): the loader paths that scanners miss
    hs = 'https://arxiv.org/abs/2508.19774'
    add('hide-and-seek-numpy-load-object.npy', hs, npy_object(OS_SYSTEM), runs='numpy')
    add('hide-and-seek-numpy-load.npz', hs, zip_bytes([('arr_0.npy', npy_object(OS_SYSTEM))]), runs='numpy-npz')
    add('hide-and-seek-joblib-raw-array.joblib', hs, joblib_wrapped(OS_SYSTEM), runs='joblib')
    add('hide-and-seek-joblib-zlib.joblib', hs, joblib_wrapped(OS_SYSTEM, 'zlib'), runs='joblib')
    add('hide-and-seek-joblib-gzip.joblib', hs, joblib_wrapped(OS_SYSTEM, 'gzip'))
    add('hide-and-seek-pandas-read-pickle.pkl.gz', hs, gzip.compress(OS_SYSTEM, mtime=0), runs='pandas')
    add('hide-and-seek-pandas-read-pickle.pkl.zip', hs, zip_bytes([('data.pkl', OS_SYSTEM)]))
    add('hide-and-seek-torch-legacy-tar.pt', hs, torch_tar(OS_SYSTEM))
    add('hide-and-seek-torch-legacy-fourth-pickle.pt', hs, torch_legacy(OS_SYSTEM), runs='torch')
    add('hide-and-seek-torch-two-data-pkl.pt', hs,
        zip_bytes([('archive/data.pkl', pickle.dumps({}, 2)), ('archive/byteorder', b'little'),
                   ('archive/version', b'3\n'), ('archive/data.pkl', OS_SYSTEM)]))
    add('hide-and-seek-nested-zip.zip', hs, zip_bytes([('model.zip', zip_bytes([('m/data.pkl', OS_SYSTEM)]))]))
    add('hide-and-seek-eop-error-after-payload.pkl', hs, OS_SYSTEM[:-1] + b'\xff', runs='pickle-raises')
    # "PickleBall" (arXiv 2508.15987): BUILD on a class rewrites what later loads call
    add('pickleball-build-on-class.pkl', 'https://arxiv.org/abs/2508.15987',
        asm(('PROTO', 2), G('collections', 'OrderedDict'), 'NONE', 'MARK', U('__reduce__'), G('builtins', 'print'),
            'DICT', 'TUPLE2', 'BUILD', 'STOP'))
    # this project's issue 13: aliases of os, names built by allow-listed calls, a second pickle
    ours = 'picklejar issue 13'
    add('issue-13-random-os-system.pkl', ours, call4('random', '_os.system', CMD), runs='pickle')
    add('issue-13-posix-spawnv.pkl', ours, call4('posix', 'spawnv', 0, '/bin/sh', ['sh', '-c', CMD]))
    add('issue-13-tempfile-shutil-rmtree.pkl', ours, call4('tempfile', '_shutil.rmtree', '/nonexistent-picklejar'))
    add('issue-13-mailcap-findmatch.pkl', ours,
        call4('mailcap', 'findmatch', {'x/y': [{'test': CMD, 'view': 'true'}]}, 'x/y'))
    add('issue-13-frozen-importlib.pkl', ours, call4('_frozen_importlib', '_call_with_frames_removed', None))
    add('issue-13-pathlib-write-text.pkl', ours,
        framed(4, *called('pathlib', 'Path.write_text', called('pathlib', 'PosixPath', PROOF), 'ran').ops, 'STOP'),
        runs='pickle')
    add('issue-13-str-built-names.pkl', ours,
        framed(4, *called('builtins', 'str', b'os', 'ascii').ops, *called('builtins', 'str', b'system', 'ascii').ops,
               'STACK_GLOBAL', U(CMD), 'TUPLE1', 'REDUCE', 'STOP'), runs='pickle')
    add('issue-13-getattr-enum-style-os.pkl', ours,
        framed(4, *called('builtins', 'getattr', sg('os', 'path'), 'os').ops, 'STOP'))
    add('issue-13-second-pickle.pkl', ours, pickle.dumps([1, 2], 4) + OS_SYSTEM)
    # One Unpickler's load() called twice keeps its memo: the second pickle names os.system by BINGET.
    add('issue-13-shared-memo.pkl', ours,
        asm(('PROTO', 4), U('os'), ('BINPUT', 0), U('system'), ('BINPUT', 1), 'TUPLE2', 'STOP')
        + asm(('PROTO', 4), ('BINGET', 0), ('BINGET', 1), 'STACK_GLOBAL', U(CMD), 'TUPLE1', 'REDUCE', 'STOP'),
        runs='pickle-shared-memo')
    add('issue-13-frame-without-proto.pkl', ours, b'\x95' + struct.pack('<Q', len(OS_SYSTEM) - 2) + OS_SYSTEM[2:])
    add('issue-13-newtrue-first.pkl', ours, b'\x88' + b'0' + OS_SYSTEM[2:])
    return a


# ---- benign: real files, written by the libraries themselves ----

import enum
import collections
import datetime
import decimal
import fractions
import pathlib
import re
import uuid


class Color(enum.Enum):
    RED = 1
    GREEN = 2


class Flags(enum.IntFlag):
    A = 1
    B = 2


Point = collections.namedtuple('Point', 'x y')


def benign(out):
    # make_scan_corpus stands in a fake torch for its pickler; the real one is wanted here.
    for name in [m for m in sys.modules if m == 'torch' or m.startswith('torch.')]:
        del sys.modules[name]
    import numpy as np
    import pandas as pd
    import scipy.sparse
    import sklearn
    import torch
    import joblib
    import pytz
    import zoneinfo
    from sklearn.datasets import make_classification
    from sklearn.ensemble import RandomForestClassifier, GradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler, LabelEncoder, OneHotEncoder
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA
    from sklearn.tree import DecisionTreeRegressor

    files = []

    def path(name):
        files.append(name)
        return os.path.join(out, name)

    def dump(name, obj, protocol=pickle.DEFAULT_PROTOCOL):
        with open(path(name), 'wb') as f:
            pickle.dump(obj, f, protocol)

    torch.manual_seed(0)
    np.random.seed(0)
    # numpy
    np.save(path('numpy-float.npy'), np.arange(12, dtype=np.float32).reshape(3, 4))
    np.save(path('numpy-object-strings.npy'), np.array(['a', None, 3], dtype=object), allow_pickle=True)
    np.savez(path('numpy-arrays.npz'), a=np.ones(3), b=np.array(['x', 'yz']))
    np.savez_compressed(path('numpy-compressed.npz'), a=np.arange(100), o=np.array([{'k': 1}], dtype=object))
    dump('numpy-arrays.pkl', {'f': np.arange(5.0), 'i': np.int64(3), 'rec': np.zeros(2, dtype=[('a', 'i4'), ('b', 'f8')]),
                              'dt': np.array(['2020-01-01'], dtype='datetime64[D]'), 'm': np.ma.masked_array([1, 2], [0, 1])})
    # torch
    model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.BatchNorm1d(3), torch.nn.Linear(3, 2))
    torch.save(model.state_dict(), path('torch-state-dict.pt'))
    torch.save(model.state_dict(), path('torch-state-dict-legacy.pt'), _use_new_zipfile_serialization=False)
    torch.save(model, path('torch-full-model.pt'))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    model(torch.randn(5, 4)).sum().backward()
    optimizer.step()
    torch.save({'epoch': 3, 'model': model.state_dict(), 'optimizer': optimizer.state_dict(),
                'dtypes': [torch.float16, torch.bfloat16, torch.int8], 'size': torch.Size([2, 3]),
                'device': torch.device('cpu'), 'half': torch.ones(2, dtype=torch.float16),
                'bool': torch.tensor([True]), 'param': torch.nn.Parameter(torch.zeros(2))},
               path('torch-checkpoint.pth'))
    torch.save(torch.arange(6).reshape(2, 3).t(), path('torch-tensor-view.bin'))
    # sklearn, through pickle and joblib
    X, y = make_classification(n_samples=60, n_features=6, random_state=0)
    labels = np.array(['cat', 'dog'])[y]
    dump('sklearn-logistic.pkl', LogisticRegression(max_iter=200).fit(X, y))
    dump('sklearn-pipeline.pkl', Pipeline([('scale', StandardScaler()), ('lr', LogisticRegression())]).fit(X, labels))
    dump('sklearn-forest.pkl', RandomForestClassifier(n_estimators=3, random_state=0).fit(X, labels))
    dump('sklearn-gradient-boosting.pkl', GradientBoostingClassifier(n_estimators=3, random_state=0).fit(X, y))
    dump('sklearn-label-encoder.pkl', LabelEncoder().fit(labels))
    dump('sklearn-onehot.pkl', OneHotEncoder().fit(labels.reshape(-1, 1)))
    dump('sklearn-tfidf.pkl', TfidfVectorizer().fit(['a cat sat', 'the dog ran', 'a dog sat']))
    dump('sklearn-kmeans.pkl', KMeans(n_clusters=2, n_init=2, random_state=0).fit(X))
    dump('sklearn-pca.pkl', PCA(n_components=2).fit(X))
    forest = RandomForestClassifier(n_estimators=2, random_state=0).fit(X, labels)
    joblib.dump(forest, path('joblib-forest.joblib'))
    joblib.dump(forest, path('joblib-forest-zlib.joblib'), compress=3)
    joblib.dump(forest, path('joblib-forest.joblib.gz'), compress=('gzip', 3))
    compressed = os.path.join(out, '..', 'benign-compressed')
    for method in ('bz2', 'xz', 'lzma', 'lz4'):
        joblib.dump(forest, os.path.join(compressed, 'joblib-forest.joblib.' + method), compress=(method, 3))
    joblib.dump(DecisionTreeRegressor(random_state=0).fit(X, X[:, 0]), path('joblib-tree.pkl'))
    joblib.dump({'arr': np.arange(10), 'obj': np.array(['a', 'b'], dtype=object), 'labels': labels},
                path('joblib-arrays.joblib'))
    # pandas
    frame = pd.DataFrame({'i': [1, 2, 3], 'f': [0.5, 1.5, None], 's': ['a', 'b', 'c'],
                          'c': pd.Categorical(['x', 'y', 'x']),
                          't': pd.date_range('2024-01-01', periods=3, tz='Europe/Paris'),
                          'u': pd.date_range('2024-01-01', periods=3, tz='UTC'),
                          'd': pd.to_timedelta([1, 2, 3], unit='s'), 'p': pd.period_range('2024-01', periods=3, freq='M')},
                         index=pd.MultiIndex.from_tuples([('a', 1), ('a', 2), ('b', 1)]))
    frame.to_pickle(path('pandas-frame.pkl'))
    frame.to_pickle(path('pandas-frame.pkl.gz'))
    frame.to_pickle(path('pandas-frame.pkl.zip'))
    for suffix in ('bz2', 'xz'):
        frame.to_pickle(os.path.join(compressed, 'pandas-frame.pkl.' + suffix))
    for method, compress_type in (('bz2', zipfile.ZIP_BZIP2), ('lzma', zipfile.ZIP_LZMA)):
        frame.to_pickle(os.path.join(compressed, 'pandas-frame-%s-member.pkl.zip' % method),
                        compression={'method': 'zip', 'compression': compress_type})
    pd.Series([1.0, 2.0], index=pd.Index(['x', 'y'], name='k')).to_pickle(path('pandas-series.pkl'))
    dump('pandas-values.pkl', [pd.Timestamp('2024-01-01', tz='US/Eastern'), pd.Interval(0, 1), pd.NaT,
                               pd.IntervalIndex.from_breaks([0, 1, 2]), pd.RangeIndex(5),
                               pd.array([1, None], dtype='Int64'), pd.Timedelta('1h')])
    # scipy
    dump('scipy-sparse.pkl', [scipy.sparse.csr_matrix(np.eye(3)), scipy.sparse.coo_matrix(np.eye(2)),
                              scipy.sparse.csc_matrix(np.eye(2))])
    # the standard library's data: enum members, zoneinfo and pytz datetimes, patterns, counters
    paris = zoneinfo.ZoneInfo('Europe/Paris')
    import http
    values = [http.HTTPStatus.OK, re.RegexFlag.IGNORECASE | re.RegexFlag.MULTILINE, uuid.SafeUUID.safe,
              datetime.datetime(2024, 5, 1, 12, tzinfo=paris),
              datetime.datetime(2024, 5, 1, 12, tzinfo=pytz.timezone('US/Eastern')), pytz.utc,
              pytz.timezone('Asia/Tokyo'), re.compile(r'\d+', re.I), re.compile(b'x'),
              collections.Counter('abracadabra'), collections.OrderedDict(a=1), collections.deque([1], maxlen=3),
              collections.defaultdict(list, {'k': [1]}), decimal.Decimal('1.5'), fractions.Fraction(1, 3),
              uuid.UUID(int=7), pathlib.PurePosixPath('/tmp/x'), pathlib.PosixPath('/tmp/y'), complex(1, 2),
              frozenset({1}), bytearray(b'x'), range(3), slice(1, 2), datetime.timezone.utc, ...]
    for protocol in (2, 4, 5):
        dump('stdlib-values-protocol%d.pkl' % protocol, values, protocol)
    # A script's own classes are unknown to any scanner: clean by default, flagged (unknown) by --strict.
    for protocol in (2, 4, 5):
        with open(os.path.join(out, '..', 'benign-user-classes', 'enums-protocol%d.pkl' % protocol), 'wb') as f:
            pickle.dump([Color.RED, Color.GREEN, Flags.A | Flags.B, Point(1, 2)], f, protocol)
    return files


def write(out, only):
    lines = ['# Written by core/src/test/python/make_scan_published.py; see its docstring.',
             '# kind\tfile\tsource\truns']
    if only in (None, 'attacks'):
        shutil.rmtree(os.path.join(out, 'attacks'), ignore_errors=True)
        os.makedirs(os.path.join(out, 'attacks'))
        for name, source, data, runs in attacks():
            with open(os.path.join(out, 'attacks', name), 'wb') as f:
                f.write(data)
            lines.append('\t'.join(['attack', 'attacks/' + name, source, runs or '-']))
        # Compressed with what core cannot decompress itself: read through a caller's decompressors.
        shutil.rmtree(os.path.join(out, 'attacks-compressed'), ignore_errors=True)
        os.makedirs(os.path.join(out, 'attacks-compressed'))
        for name, source, data, runs in compressed_attacks():
            with open(os.path.join(out, 'attacks-compressed', name), 'wb') as f:
                f.write(data)
            lines.append('\t'.join(['compressed-attack', 'attacks-compressed/' + name, source, runs or '-']))
    if only in (None, 'benign'):
        for sub in ('benign', 'benign-user-classes', 'benign-compressed'):
            shutil.rmtree(os.path.join(out, sub), ignore_errors=True)
            os.makedirs(os.path.join(out, sub))
        for name in benign(os.path.join(out, 'benign')):
            lines.append('\t'.join(['benign', 'benign/' + name, 'written by the library itself', '-']))
        for name in sorted(os.listdir(os.path.join(out, 'benign-user-classes'))):
            lines.append('\t'.join(['user-classes', 'benign-user-classes/' + name, "the script's own Enum and namedtuple", '-']))
        for name in sorted(os.listdir(os.path.join(out, 'benign-compressed'))):
            lines.append('\t'.join(['compressed-benign', 'benign-compressed/' + name, 'written by the library itself', '-']))
    if only is None:
        with open(os.path.join(out, 'published.tsv'), 'w', encoding='utf-8', newline='\n') as f:
            f.write('\n'.join(lines) + '\n')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', default=DEFAULT_OUT, help='the directory to write (default: %(default)s)')
    parser.add_argument('--only', choices=('attacks', 'benign'))
    args = parser.parse_args()
    write(args.out, args.only)


if __name__ == '__main__':
    main()
