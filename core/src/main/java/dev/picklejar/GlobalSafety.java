package dev.picklejar;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How safe it is for a pickle to import a global: the scanner's verdict on each global and each
 * call. All of the scanner's knowledge of Python modules lives here, in one table.
 *
 * <p>How a global {@code module.name} is judged, first match wins:
 * <ol>
 *   <li>{@link #DANGEROUS} when any part of the name (split at dots, as protocol 4's dotted names
 *       are) is a dunder such as {@code __globals__}, {@code __builtins__}, {@code __subclasses__}
 *       or {@code __import__}; when a part of the module is a dunder other than {@code __main__},
 *       {@code __mp_main__}, {@code __builtin__} or {@code __future__}; or when a part of the name
 *       is a name that reaches code, files, processes or the network wherever it appears:
 *       {@code pathlib} + {@code os.system} is {@code os.system} reached through pathlib's own
 *       import of os.</li>
 *   <li>{@link #SAFE} for the plain-data globals of {@link #SAFE_GLOBALS}, exactly as written.</li>
 *   <li>{@link #DANGEROUS} when the module, or the module followed by the first parts of the name,
 *       is in {@link #DANGEROUS_TREES}: an entry {@code os} covers the whole tree {@code os.*}
 *       (including {@code os.path}: a pickle that names os at all is out of the ordinary, while
 *       {@code posixpath.join}, what os.path really is, stays unknown), an entry
 *       {@code builtins.eval} covers that one global and its attributes.</li>
 *   <li>{@link #UNKNOWN} otherwise: reported, and refused only by a strict scan.</li>
 * </ol>
 * Python 2 names are judged both as written and as CPython renames them below protocol 3
 * ({@code __builtin__} is {@code builtins}, {@code cPickle} is {@code pickle}...), whatever the
 * protocol: dangerous if either is, else safe if either is.
 */
public enum GlobalSafety {
    /** Plain data: loading it runs nothing but a constructor of a value type. */
    SAFE,
    /** Neither known to be plain data nor known to be dangerous. */
    UNKNOWN,
    /** Can run code, touch files, processes or the network, or import or reach other names. */
    DANGEROUS;

    /** {@return the verdict as the command line prints it: {@code safe}, {@code unknown}, {@code dangerous}} */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The worse of two verdicts.
     * @param other the other verdict; not null
     * @return {@code this} or {@code other}, whichever is more dangerous
     */
    public GlobalSafety worst(GlobalSafety other) {
        return compareTo(other) >= 0 ? this : other;
    }

    /**
     * The verdict on importing {@code global}.
     * @param global the module and name a pickle imports; not null
     * @return the verdict, judged under the Python 3 name when the pickle uses a Python 2 one
     */
    public static GlobalSafety of(PyGlobal global) {
        return of(global.module(), global.name());
    }

    /**
     * The verdict on importing {@code name} from {@code module}.
     * @param module the module, as the pickle spells it
     * @param name the qualified name within the module
     * @return the verdict, judged under the Python 3 name when the pickle uses a Python 2 one
     */
    public static GlobalSafety of(String module, String name) {
        GlobalSafety asWritten = judge(module, name);
        PyGlobal renamed = PythonNames.toPython3(module, name);
        if (renamed.module().equals(module) && renamed.name().equals(name)) {
            return asWritten;
        }
        GlobalSafety asRenamed = judge(renamed.module(), renamed.name());
        if (asWritten == DANGEROUS || asRenamed == DANGEROUS) {
            return DANGEROUS;
        }
        return asWritten == SAFE || asRenamed == SAFE ? SAFE : UNKNOWN;
    }

    private static GlobalSafety judge(String module, String name) {
        if (module.isEmpty() || name.isEmpty()) {
            return UNKNOWN;
        }
        if (SAFE_GLOBALS.contains(module + "." + name)) {
            // Exact names only, each one checked by hand: they may hold parts (re._compile) that are
            // dangerous elsewhere.
            return SAFE;
        }
        String[] moduleParts = module.split("\\.", -1);
        String[] nameParts = name.split("\\.", -1);
        for (String part : moduleParts) {
            if (isDunder(part) && !DUNDER_MODULES.contains(part)) {
                return DANGEROUS;
            }
        }
        for (String part : nameParts) {
            if (isDunder(part) || isDangerousAttribute(part)) {
                return DANGEROUS;
            }
        }
        for (int i = 1; i < moduleParts.length; i++) {
            // A module reached as an attribute of another (torch.os), or by an underscored alias.
            if (isDangerousAttribute(moduleParts[i]) && DANGEROUS_ATTRIBUTES.contains(strip(moduleParts[i]))
                    && !moduleParts[i].equals("types") && !moduleParts[i].equals("io")) {
                return DANGEROUS;
            }
        }
        if (SAFE_GLOBALS.contains(module + "." + name)) {
            return SAFE;
        }
        StringBuilder path = new StringBuilder();
        for (String part : moduleParts) {
            path.append(path.length() == 0 ? "" : ".").append(part);
            if (DANGEROUS_TREES.contains(path.toString())) {
                return DANGEROUS;
            }
        }
        for (String part : nameParts) {
            path.append('.').append(part);
            if (DANGEROUS_TREES.contains(path.toString())) {
                return DANGEROUS;
            }
        }
        if (nameParts.length == 1 && isDataClassOf(module, name)) {
            return SAFE;
        }
        return UNKNOWN;
    }

    /**
     * A class of the libraries whose classes are all data containers: sklearn's estimators (their
     * constructors only store parameters, their {@code __setstate__} only updates {@code __dict__};
     * fitting never happens on load), torch's {@code nn} modules (the same: parameters and buffers
     * in dicts), pandas' frames, indexes, arrays, dtypes and date offsets. Only CapWords names
     * directly in a module (classes, not functions, never a dotted attribute), and never in the
     * parts of those libraries that download, load files or run code ({@link #DANGEROUS_TREES} are
     * judged first, and {@link #NOT_DATA_CLASS_TREES} are left out).
     */
    private static boolean isDataClassOf(String module, String name) {
        if (name.isEmpty() || !Character.isUpperCase(name.charAt(0))) {
            return false;
        }
        for (String tree : NOT_DATA_CLASS_TREES) {
            if (module.equals(tree) || module.startsWith(tree + ".")) {
                return false;
            }
        }
        for (String tree : DATA_CLASS_TREES) {
            if (module.equals(tree) || module.startsWith(tree + ".")) {
                return true;
            }
        }
        return false;
    }

    /** Modules whose CapWords classes are data: see {@link #isDataClassOf}. */
    static final List<String> DATA_CLASS_TREES = List.of("sklearn", "torch.nn.modules", "pandas.core.frame",
            "pandas.core.series", "pandas.core.indexes", "pandas.core.arrays", "pandas.core.dtypes",
            "pandas.core.internals", "pandas._libs.tslibs", "pandas._libs.interval", "pandas._libs.sparse",
            "pandas._libs.internals", "pandas._libs.arrays");

    /** Where sklearn keeps what downloads data, loads files or runs scripts. */
    static final List<String> NOT_DATA_CLASS_TREES = List.of("sklearn.datasets", "sklearn.externals",
            "sklearn.utils._testing", "sklearn.utils.parallel", "sklearn.utils.fixes");

    /**
     * Whether a part of a name reaches code, processes or files wherever it appears: the names of
     * {@link #DANGEROUS_ATTRIBUTES}, also behind leading underscores ({@code random._os},
     * {@code tempfile._shutil}: modules import each other under such aliases), and every
     * {@code exec*}, {@code spawn*} and {@code posix_spawn*} function of os and posix.
     */
    private static boolean isDangerousAttribute(String part) {
        if (DANGEROUS_ATTRIBUTES.contains(part)) {
            return true;
        }
        String bare = strip(part);
        return bare.length() < part.length() && DANGEROUS_ATTRIBUTES.contains(bare)
                || bare.startsWith("exec") || bare.startsWith("spawn") || bare.startsWith("posix_spawn");
    }

    private static String strip(String part) {
        int i = 0;
        while (i < part.length() && part.charAt(i) == '_') {
            i++;
        }
        return part.substring(i);
    }

    private static boolean isDunder(String part) {
        return part.length() > 4 && part.startsWith("__") && part.endsWith("__");
    }

    /** Modules whose dunder names are ordinary: classes pickled from a script live in {@code __main__}. */
    private static final Set<String> DUNDER_MODULES = Set.of("__main__", "__mp_main__", "__builtin__", "__future__");

    /**
     * Names that are dangerous as any part of a global's name: the modules that other modules
     * import and so expose as attributes ({@code pathlib.os}, {@code torch.sys}), the builtins that
     * run code or reach attributes, and functions that run commands, load code or pickles, or
     * remove files, whatever module they are reached from.
     */
    static final Set<String> DANGEROUS_ATTRIBUTES = Set.of(
            // modules
            "os", "posix", "nt", "sys", "subprocess", "builtins", "importlib", "imp", "runpy", "marshal",
            "pickle", "_pickle", "cPickle", "shutil", "socket", "ctypes", "webbrowser", "pty", "types",
            "functools", "operator", "io", "_io", "codecs", "tempfile", "glob", "threading", "_thread",
            "multiprocessing", "asyncio", "pkgutil", "inspect", "gc", "signal",
            // builtins that run code, read input or reach attributes
            "eval", "exec", "execfile", "compile", "open", "getattr", "setattr", "delattr", "globals",
            "locals", "vars", "breakpoint", "input", "raw_input", "help", "exit", "quit", "apply", "reload",
            // functions that run commands, load code or pickles, reach names or remove files
            "system", "popen", "Popen", "spawn", "check_output", "check_call", "getoutput",
            "getstatusoutput", "run_path", "run_module", "import_module", "load_module", "exec_module",
            "resolve_name", "attrgetter", "methodcaller", "partial", "load", "loads", "rmtree", "remove",
            "unlink", "rmdir", "removedirs", "kill", "killpg", "fork", "forkpty", "putenv", "chmod", "chown",
            "symlink", "urlopen", "urlretrieve", "create_connection", "create_server",
            "create_subprocess_shell", "create_subprocess_exec", "start_new_thread", "interact",
            "write_text", "write_bytes",
            // more functions that run commands or code, found in 2025's advisories
            "startfile", "run_code", "_run_code", "runcode", "runsource", "runcommand",
            "runctx", "runcall", "run_cprofile", "run_autograd_prof", "execWrapper", "load_config",
            "evaluate_guards_expression", "compile_file", "debug_script", "assert_python_ok",
            "assert_python_failure", "spawn_python", "run_python_until_end", "make_script", "runstring",
            "pipe_pager", "tempfile_pager", "pager", "getpager", "locate", "get_entity", "fetch_completions",
            "fetch_tip", "_get_command_stdout", "_read_output", "_find_build_tool", "_read_cmd_output",
            "_run_pip", "write_file", "_run_entry_point", "spawnv_passfds", "read_csv", "read_pickle", "mkdir", "makedirs", "touch", "rename", "symlink_to", "hardlink_to",
            "link_to", "read_text", "read_bytes", "lchmod", "truncate", "load_library", "LoadLibrary",
            "CDLL", "PyDLL", "WinDLL", "dlopen", "getlincoef", "_eval_length", "_eval_scalar");

    /**
     * Modules (whole trees: an entry covers itself and everything below it) and single globals
     * that can run code, touch files, processes or the network, or import other names.
     */
    static final Set<String> DANGEROUS_TREES = Set.of(
            // builtins that run code, read input, open files or reach attributes by name
            "builtins.eval", "builtins.exec", "builtins.execfile", "builtins.compile", "builtins.open",
            "builtins.file", "builtins.getattr", "builtins.setattr", "builtins.delattr", "builtins.hasattr",
            "builtins.globals", "builtins.locals", "builtins.vars", "builtins.input", "builtins.raw_input",
            "builtins.breakpoint", "builtins.help", "builtins.exit", "builtins.quit", "builtins.apply",
            "builtins.reload",
            // processes, the interpreter, importing
            "os", "posix", "nt", "subprocess", "_posixsubprocess", "popen2", "pty", "sys", "importlib", "imp",
            "zipimport", "pkgutil", "runpy", "marshal", "types", "code", "codeop", "compileall", "py_compile",
            "site", "platform", "ensurepip", "venv", "distutils", "setuptools", "pip",
            "pkg_resources", "threading", "_thread", "multiprocessing", "concurrent", "signal", "atexit", "gc",
            "inspect", "ctypes", "_ctypes", "cffi", "winreg", "_winreg", "msvcrt", "_winapi", "_overlapped",
            "pwd", "grp", "spwd", "getpass",
            // functions that call other functions or reach attributes
            "functools", "_functools", "operator.attrgetter", "operator.methodcaller", "operator.call",
            "_operator.attrgetter", "_operator.methodcaller", "_operator.call", "copyreg",
            // debuggers, profilers and test runners run code they are given
            "pdb", "bdb", "trace", "profile", "cProfile", "timeit", "doctest", "pydoc", "idlelib", "unittest",
            // pickles and other loaders of code
            "pickle", "_pickle", "shelve", "dill", "cloudpickle", "joblib.load", "yaml",
            // the network
            "socket", "_socket", "ssl", "_ssl", "select", "selectors", "asyncore", "asynchat", "asyncio",
            "socketserver", "http.client", "http.server", "urllib.request", "ftplib", "smtplib", "poplib",
            "imaplib", "nntplib", "telnetlib", "xmlrpc", "wsgiref", "webbrowser", "requests", "urllib3", "httpx",
            "aiohttp", "paramiko",
            // files
            "shutil", "tempfile", "glob", "fileinput", "filecmp", "zipfile", "tarfile", "gzip", "bz2", "lzma",
            "dbm", "sqlite3", "mmap", "fcntl", "linecache", "mailbox", "zipapp", "io.open", "io.open_code",
            "io.FileIO", "_io.open", "_io.open_code", "_io.FileIO", "codecs.open", "codecs.EncodedFile",
            "logging.config", "logging.handlers", "logging.FileHandler",
            // numpy and pandas: loaders, savers, compilers and test helpers
            "numpy.load", "numpy.loadtxt", "numpy.genfromtxt", "numpy.fromfile", "numpy.fromregex",
            "numpy.memmap", "numpy.save", "numpy.savez", "numpy.savez_compressed", "numpy.savetxt",
            "numpy.DataSource", "numpy.lib.npyio", "numpy.lib._npyio_impl", "numpy.lib.format",
            "numpy.lib._datasource", "numpy.testing", "numpy.f2py", "numpy.distutils", "numpy.ctypeslib",
            "pandas.eval", "pandas.read_pickle", "pandas.io",
            // torch: loaders, savers, compilers, the network
            "torch.load", "torch.save", "torch.jit", "torch.hub", "torch.package", "torch.ops", "torch.classes",
            "torch.serialization", "torch.storage._load_from_bytes", "torch.utils.cpp_extension",
            "torch.distributed", "torch.multiprocessing", "torch.testing",
            // torch's compilers, code generators and tools that run commands (picklescan's 2025 advisories)
            "torch._dynamo", "torch._inductor", "torch.fx", "torch._export", "torch.export", "torch.onnx",
            "torch.compiler", "torch.compile", "torch._functorch.aot_autograd", "torch.utils.bottleneck",
            "torch.utils.collect_env", "torch.utils._config_module", "torch.utils.data.datapipes",
            "torch.utils.benchmark", "torch.utils.tensorboard", "torch.utils.model_zoo", "torch.utils.hipify",
            "torch.library", "torch._library", "torch._ops", "torch._classes", "torch._C._jit_pass_onnx",
            "torch.__config__", "torch._logging", "torch._lazy",
            // standard-library modules with hidden os.system/subprocess calls, interpreters and importers
            "uuid", "_osx_support", "_aix_support", "_pyrepl", "mailcap", "pipes", "pexpect", "commands",
            "_xxsubinterpreters", "_interpreters", "_xxinterpchannels", "_interpchannels", "_frozen_importlib",
            "_frozen_importlib_external", "_imp", "_signal", "_sqlite3", "_posixshmem", "_multiprocessing",
            "test", "lib2to3", "rlcompleter", "tkinter", "_tkinter", "turtle", "turtledemo",
            "cgi", "cgitb", "smtpd", "syslog", "resource", "sysconfig", "_sysconfigdata", "httplib", "urllib2",
            "urllib.urlopen", "xmlrpclib", "SimpleHTTPServer", "BaseHTTPServer", "netrc",
            "pathlib.Path", "logging.basicConfig",
            // third-party runners, serializers and shells
            "joblib.numpy_pickle.load", "joblib.parallel", "sympy.sympify", "sympy.parsing",
            "IPython", "numexpr.evaluate", "pandas.core.computation", "numpy.lib.utils", "scipy.weave",
            "fickling", "sh", "plumbum", "fabric", "invoke", "sklearn.utils._testing", "mlflow.projects");

    /**
     * Globals known to be plain data: built-in value types and the reconstructors that real data
     * and model files use, each group with the reason it runs nothing but a constructor of a value.
     * Exact names only.
     */
    static final Set<String> SAFE_GLOBALS = safeGlobals();

    private static Set<String> safeGlobals() {
        Set<String> safe = new HashSet<>(List.of(
            "builtins.set", "builtins.frozenset", "builtins.bytearray", "builtins.complex", "builtins.bytes",
            "builtins.list", "builtins.dict", "builtins.tuple", "builtins.int", "builtins.float", "builtins.str",
            "builtins.bool", "builtins.object", "builtins.slice", "builtins.range", "builtins.Ellipsis",
            "builtins.NotImplemented", "builtins.NoneType",
            "copyreg._reconstructor", "_codecs.encode",
            "datetime.datetime", "datetime.date", "datetime.time", "datetime.timedelta", "datetime.timezone",
            "datetime.tzinfo", "decimal.Decimal", "fractions.Fraction", "uuid.UUID", "uuid.SafeUUID",
            "types.SimpleNamespace",
            "collections.OrderedDict", "collections.defaultdict", "collections.deque", "collections.Counter",
            "array.array", "array._array_reconstructor",
            "numpy.ndarray", "numpy.dtype",
            "numpy.core.multiarray._reconstruct", "numpy.core.multiarray.scalar", "numpy.core.numeric._frombuffer",
            "numpy._core.multiarray._reconstruct", "numpy._core.multiarray.scalar",
            "numpy._core.numeric._frombuffer",
            "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor_v3",
            "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state",
            "torch._utils._rebuild_qtensor", "torch._utils._rebuild_sparse_tensor",
            "torch._utils._rebuild_meta_tensor_no_storage", "torch._utils._rebuild_nested_tensor",
            "torch._utils._rebuild_device_tensor_from_numpy", "torch._tensor._rebuild_from_type_v2",
            "torch.serialization._get_layout", "torch.Size", "torch.device", "torch.nn.parameter.Parameter",
            "torch.storage.UntypedStorage", "torch.storage.TypedStorage",
            "torch.FloatStorage", "torch.DoubleStorage", "torch.HalfStorage", "torch.BFloat16Storage",
            "torch.LongStorage", "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage",
            "torch.ByteStorage", "torch.BoolStorage", "torch.ComplexFloatStorage", "torch.ComplexDoubleStorage",
            "torch.QInt8Storage", "torch.QUInt8Storage", "torch.QInt32Storage", "torch.QUInt4x2Storage",
            "torch.QUInt2x4Storage", "torch.UntypedStorage",
            "torch.float16", "torch.float32", "torch.float64", "torch.bfloat16", "torch.complex32",
            "torch.complex64", "torch.complex128", "torch.uint8", "torch.int8", "torch.int16", "torch.int32",
            "torch.int64", "torch.bool", "torch.half", "torch.float", "torch.double", "torch.long", "torch.int",
            "torch.short", "torch.cfloat", "torch.cdouble", "torch.qint8", "torch.quint8", "torch.qint32",
            "torch.float8_e4m3fn", "torch.float8_e5m2"));
        // The standard library's value types and the reconstructors its pickles name:
        safe.addAll(List.of(
                // re.compile patterns pickle as re._compile(pattern, flags): compiles a regex, runs nothing
                "re._compile", "re.RegexFlag",
                // zoneinfo datetimes: ZoneInfo._unpickle(key, flags) looks the zone up by key in the tz
                // database (keys that leave it are refused by zoneinfo itself)
                "zoneinfo.ZoneInfo", "zoneinfo.ZoneInfo._unpickle",
                // pytz zones: pytz._p(*args) looks a zone up in pytz's own database; _UTC() is its UTC
                "pytz._p", "pytz._UTC", "pytz.UTC", "pytz.utc",
                // enum.Flag combinations pickle as operator.or_(a, b): an | on two loaded values
                "_operator.or_", "operator.or_",
                // paths are values until a method is called, and methods are judged by their names
                "pathlib.PurePosixPath", "pathlib.PureWindowsPath", "pathlib.PosixPath", "pathlib.WindowsPath",
                "pathlib.PurePath",
                // standard enums whose members pickle as getattr(cls, 'NAME')
                "http.HTTPStatus", "enum.Enum", "enum.IntEnum", "enum.Flag", "enum.IntFlag",
                "collections.ChainMap", "collections.UserDict", "collections.UserList", "collections.UserString",
                "ipaddress.IPv4Address", "ipaddress.IPv6Address", "ipaddress.IPv4Network", "ipaddress.IPv6Network",
                "datetime.timezone.utc", "decimal.Context", "fractions.Fraction", "uuid.SafeUUID.safe",
                "uuid.SafeUUID.unsafe", "uuid.SafeUUID.unknown"));
        // numpy: scalar types (dtype arguments and scalars), masked arrays, random generators' states
        for (String t : List.of("bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                "float16", "float32", "float64", "longdouble", "complex64", "complex128", "clongdouble", "str_",
                "bytes_", "object_", "datetime64", "timedelta64", "void", "intc", "uintc", "longlong", "ulonglong",
                "int_", "float_", "complex_", "bool")) {
            safe.add("numpy." + t);
        }
        safe.addAll(List.of("numpy.ma.core._mareconstruct", "numpy.ma.core.MaskedArray", "numpy.ma.core.MaskedConstant",
                "numpy.core.multiarray._reconstruct", "numpy.core._internal._reconstruct",
                // numpy.random's pickles name the generator class by a string it looks up in its own table
                "numpy.random._pickle.__randomstate_ctor", "numpy.random._pickle.__bit_generator_ctor",
                "numpy.random._pickle.__generator_ctor", "numpy.random.mtrand.RandomState",
                "numpy.random._generator.Generator", "numpy.random._mt19937.MT19937", "numpy.random._pcg64.PCG64"));
        // scipy.sparse matrices and arrays: built from their index and data arrays
        for (String kind : List.of("csr", "csc", "coo", "bsr", "dia", "dok", "lil")) {
            for (String suffix : List.of("_matrix", "_array")) {
                safe.add("scipy.sparse._" + kind + "." + kind + suffix);
                safe.add("scipy.sparse." + kind + "." + kind + suffix);
                safe.add("scipy.sparse._arrays." + kind + suffix);
            }
        }
        // joblib: NumpyArrayWrapper holds an array's shape and dtype; its bytes follow it in the file
        // and the scanner skips them as joblib reads them (object arrays are scanned as pickles)
        safe.add("joblib.numpy_pickle.NumpyArrayWrapper");
        safe.add("sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper");
        // pandas' reconstructors: each builds a block, an index or a scalar from arrays and values
        safe.addAll(List.of("pandas._libs.internals._unpickle_block", "pandas.core.indexes.base._new_Index",
                "pandas._libs.arrays.__pyx_unpickle_NDArrayBacked", "pandas._libs.tslibs.nattype.__nat_unpickle",
                "pandas._libs.tslibs.timedeltas._timedelta_unpickle",
                "pandas._libs.tslibs.timestamps._unpickle_timestamp",
                "pandas.core.indexes.interval._new_IntervalIndex", "pandas.core.indexes.period._new_PeriodIndex",
                "pandas.core.internals.blocks.new_block", "pandas.core.internals.blocks._unpickle_block",
                "pandas._libs.sparse.BlockIndex", "pandas._libs.sparse.IntIndex",
                "pandas.core.arrays.sparse.array.SparseArray", "pandas._libs.tslibs.period.Period"));
        return Set.copyOf(safe);
    }
}
