package dev.picklejar;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The pickling machine. It follows CPython's C pickler step for step (memo, batching, framing) so
 * that its bytes are CPython's. The object graph is walked with an explicit task stack, never by
 * recursion, so any depth is written without a StackOverflowError.
 */
final class PickleWriter {
    private static final int BATCH = 1000;
    private static final int FRAME_TARGET = 64 * 1024;
    private static final int FRAME_HEADER = 9;
    private static final int FRAME_MIN = 4;
    /**
     * Without a frame to hold open, the buffer is handed to the sink once it holds this much: small
     * enough that neither the buffer nor dumps()'s chunks are ever humongous objects in G1.
     */
    private static final int FLUSH_AT = 64 * 1024;

    private static final byte MARK = op(Opcode.MARK);
    private static final byte STOP = op(Opcode.STOP);
    private static final byte POP = op(Opcode.POP);
    private static final byte POP_MARK = op(Opcode.POP_MARK);
    private static final byte NONE = op(Opcode.NONE);
    private static final byte NEWTRUE = op(Opcode.NEWTRUE);
    private static final byte NEWFALSE = op(Opcode.NEWFALSE);
    private static final byte INT = op(Opcode.INT);
    private static final byte BININT = op(Opcode.BININT);
    private static final byte BININT1 = op(Opcode.BININT1);
    private static final byte BININT2 = op(Opcode.BININT2);
    private static final byte LONG = op(Opcode.LONG);
    private static final byte LONG1 = op(Opcode.LONG1);
    private static final byte LONG4 = op(Opcode.LONG4);
    private static final byte FLOAT = op(Opcode.FLOAT);
    private static final byte BINFLOAT = op(Opcode.BINFLOAT);
    private static final byte UNICODE = op(Opcode.UNICODE);
    private static final byte SHORT_BINUNICODE = op(Opcode.SHORT_BINUNICODE);
    private static final byte BINUNICODE = op(Opcode.BINUNICODE);
    private static final byte SHORT_BINBYTES = op(Opcode.SHORT_BINBYTES);
    private static final byte BINBYTES = op(Opcode.BINBYTES);
    private static final byte BINBYTES8 = op(Opcode.BINBYTES8);
    private static final byte BYTEARRAY8 = op(Opcode.BYTEARRAY8);
    private static final byte NEXT_BUFFER = op(Opcode.NEXT_BUFFER);
    private static final byte READONLY_BUFFER = op(Opcode.READONLY_BUFFER);
    private static final byte EMPTY_TUPLE = op(Opcode.EMPTY_TUPLE);
    private static final byte TUPLE = op(Opcode.TUPLE);
    private static final byte TUPLE1 = op(Opcode.TUPLE1);
    private static final byte EMPTY_LIST = op(Opcode.EMPTY_LIST);
    private static final byte LIST = op(Opcode.LIST);
    private static final byte APPEND = op(Opcode.APPEND);
    private static final byte APPENDS = op(Opcode.APPENDS);
    private static final byte EMPTY_DICT = op(Opcode.EMPTY_DICT);
    private static final byte DICT = op(Opcode.DICT);
    private static final byte SETITEM = op(Opcode.SETITEM);
    private static final byte SETITEMS = op(Opcode.SETITEMS);
    private static final byte EMPTY_SET = op(Opcode.EMPTY_SET);
    private static final byte ADDITEMS = op(Opcode.ADDITEMS);
    private static final byte FROZENSET = op(Opcode.FROZENSET);
    private static final byte GLOBAL = op(Opcode.GLOBAL);
    private static final byte STACK_GLOBAL = op(Opcode.STACK_GLOBAL);
    private static final byte EXT1 = op(Opcode.EXT1);
    private static final byte EXT2 = op(Opcode.EXT2);
    private static final byte EXT4 = op(Opcode.EXT4);
    private static final byte REDUCE = op(Opcode.REDUCE);
    private static final byte BUILD = op(Opcode.BUILD);
    private static final byte NEWOBJ = op(Opcode.NEWOBJ);
    private static final byte NEWOBJ_EX = op(Opcode.NEWOBJ_EX);
    private static final byte INST = op(Opcode.INST);
    private static final byte OBJ = op(Opcode.OBJ);
    private static final byte PUT = op(Opcode.PUT);
    private static final byte BINPUT = op(Opcode.BINPUT);
    private static final byte LONG_BINPUT = op(Opcode.LONG_BINPUT);
    private static final byte MEMOIZE = op(Opcode.MEMOIZE);
    private static final byte GET = op(Opcode.GET);
    private static final byte BINGET = op(Opcode.BINGET);
    private static final byte LONG_BINGET = op(Opcode.LONG_BINGET);
    private static final byte PROTO = op(Opcode.PROTO);
    private static final byte PERSID = op(Opcode.PERSID);
    private static final byte BINPERSID = op(Opcode.BINPERSID);
    private static final byte FRAME = op(Opcode.FRAME);

    private static final java.lang.invoke.VarHandle LONG_BIG_ENDIAN =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    private static byte op(Opcode opcode) {
        return (byte) opcode.code();
    }

    // The globals and constants CPython's own reductions use. Their qualified names are distinct
    // objects, as CPython's are for C types; module names are shared by value (see saveModuleName).
    private static final PyGlobal G_SET = global("builtins", "set");
    private static final PyGlobal G_FROZENSET = global("builtins", "frozenset");
    private static final PyGlobal G_BYTES = global("builtins", "bytes");
    private static final PyGlobal G_BYTEARRAY = global("builtins", "bytearray");
    private static final PyGlobal G_COMPLEX = global("builtins", "complex");
    private static final PyGlobal G_OBJECT = global("builtins", "object");
    private static final PyGlobal G_LIST = global("builtins", "list");
    private static final PyGlobal G_DICT = global("builtins", "dict");
    private static final PyGlobal G_GETATTR = global("builtins", "getattr");
    private static final PyGlobal G_ENCODE = global("_codecs", "encode");
    private static final PyGlobal G_RECONSTRUCTOR = global("copyreg", "_reconstructor");
    private static final PyGlobal G_NEWOBJ = global("copyreg", "__newobj__");
    private static final PyGlobal G_NEWOBJ_EX = global("copyreg", "__newobj_ex__");
    private static final PyGlobal G_DATETIME = global("datetime", "datetime");
    private static final PyGlobal G_DATE = global("datetime", "date");
    private static final PyGlobal G_TIME = global("datetime", "time");
    private static final PyGlobal G_TIMEDELTA = global("datetime", "timedelta");
    private static final PyGlobal G_TIMEZONE = global("datetime", "timezone");
    private static final PyGlobal G_DECIMAL = global("decimal", "Decimal");
    private static final PyGlobal G_UUID = global("uuid", "UUID");
    /** The single "latin1" str that CPython's bytes reduction shares across a pickle. */
    private static final String LATIN1 = new String("latin1");
    /** The key of uuid.UUID's state, an interned identifier in CPython. */
    private static final String UUID_INT = "int";

    /**
     * Globals whose {@code __module__} is a string of their own, not the module's interned name
     * (C functions and heap types that build it from their spec): CPython writes their module name
     * anew, as in {@code array._array_reconstructor(array.array, ...)}. Measured on CPython 3.11.
     */
    static final Set<PyGlobal> OWN_MODULE_NAME = Set.of(new PyGlobal("array", "array"),
            new PyGlobal("array", "_array_reconstructor"), new PyGlobal("functools", "partial"),
            new PyGlobal("re", "Pattern"));

    // Module names of their own (see OWN_MODULE_NAME): two strings, never one shared object.
    private static final PyGlobal G_ARRAY = new PyGlobal(new String("array"), new String("array"));
    private static final PyGlobal G_ARRAY_RECONSTRUCTOR = new PyGlobal(new String("array"), "_array_reconstructor");
    private static final PyGlobal G_FRACTION = global("fractions", "Fraction");
    private static final PyGlobal G_ZONEINFO = global("zoneinfo", "ZoneInfo");
    private static final PyGlobal G_IPV4_ADDRESS = global("ipaddress", "IPv4Address");
    private static final PyGlobal G_IPV6_ADDRESS = global("ipaddress", "IPv6Address");

    private static PyGlobal global(String module, String name) {
        return new PyGlobal(module, new String(name));
    }

    // Task kinds of the explicit stack.
    private static final int T_SAVE = 0;
    private static final int T_OP = 1;
    private static final int T_MEMO_PUT = 2;
    private static final int T_LIST_BATCH = 3;
    private static final int T_LIST_EACH = 4;
    private static final int T_DICT_BATCH = 5;
    private static final int T_DICT_EACH = 6;
    private static final int T_SET_BATCH = 7;
    private static final int T_GENERIC_LIST = 8;
    private static final int T_GENERIC_DICT = 9;
    private static final int T_TUPLE_END = 10;
    private static final int T_REDUCE_END = 11;
    private static final int T_FROZENSET_END = 12;
    private static final int T_INST = 13;
    private static final int T_MODULE_NAME = 14;
    private static final int T_SAVE_NOT_PERSISTENT = 15;
    private static final int T_STATE = 16;
    private static final int T_ATTRIBUTE_DICT_BATCH = 17;
    private static final int T_ATTRIBUTE_DICT_EACH = 18;
    private static final int T_ATTRIBUTE_NAME = 19;
    private static final int T_ITEMS = 20;
    private static final int T_ENTRIES = 21;

    private final Pickler options;
    private final int proto;
    private final boolean bin;
    private final OutputStream sink;
    private boolean framing;
    private byte[] out = new byte[256];
    private int len;
    private int frameStart = -1;

    private IdentityMemo memo;
    // Allocated on first use: a small message needs none of them.
    private Map<PyGlobal, Integer> globalMemo = Map.of();
    /** Memo indexes of module names written for STACK_GLOBAL, by value: CPython interns module names. */
    private Map<String, Integer> moduleNames = Map.of();
    /** Memo indexes of attribute names (keys of dict states), by value: CPython interns them too. */
    private Map<String, Integer> attributeNames = Map.of();
    private int memoSize;
    private IdentityHashMap<Object, Object> converted;
    /** Objects whose list or dict items went into their reconstructor's arguments, not APPENDS/SETITEMS. */
    private Set<PyObject> itemsInArgs = Set.of();
    /** The Python objects written for enum members and zones, by value (see singleton). */
    private Map<Object, Object> singletons;
    /** CPython's cached one-character strings, as written in this pickle (see oneCharacter). */
    private String[] characters;
    /**
     * Tuples, frozensets and reductions being written, with the memo size when each was entered. CPython
     * may enter one again before memoizing it (a tuple inside a list inside the tuple); that ends only if
     * something new was memoized in between, so meeting one again with no progress is a cycle CPython
     * could not write either.
     */
    private IdentityHashMap<Object, Integer> inProgress;

    private int[] kinds = new int[32];
    private Object[] objs = new Object[32];
    private int[] ints = new int[32];
    private int[] ends = new int[32];
    private int top;
    private Object root;
    private boolean persistentOff;
    /** The value whose memo slot save() reserved; memoPut then writes only the opcode. */
    private Object reserved;

    PickleWriter(Pickler options, OutputStream sink) {
        this.options = options;
        this.proto = options.protocol();
        this.bin = proto >= 1;
        this.sink = java.util.Objects.requireNonNull(sink, "sink");
    }

    /** Writes one pickle of the value to the sink. */
    void write(Object value) {
        write(value, false);
    }

    /**
     * Writes one pickle of the value; with keepMemo, the memo stays for the next write, as a CPython
     * Pickler's does from one dump() to the next, until {@link #clearMemo()}.
     */
    void write(Object value, boolean keepMemo) {
        root = value;
        if (memo == null) {
            memo = new IdentityMemo();
        }
        if (proto >= 2) {
            writeByte(PROTO);
            writeByte(proto);
            framing = proto >= 4;
        }
        push(T_SAVE, value, 0);
        try {
            run();
        } catch (RuntimeException | Error e) {
            Arrays.fill(objs, 0, top, null);
            top = 0;
            clearMemo();
            throw e;
        } finally {
            inProgress = null;
            if (!keepMemo) {
                clearMemo();
            }
        }
        writeByte(STOP);
        commitFrame();
        framing = false;
        flush();
    }

    /** Forgets every value written so far, as CPython's Pickler.clear_memo(). */
    void clearMemo() {
        if (memo != null) {
            memo.clear(); // see IdentityMemo.clear: a large memo must not keep the graph reachable
        }
        memo = null;
        memoSize = 0;
        converted = null;
        singletons = null;
        characters = null;
        globalMemo = Map.of();
        moduleNames = Map.of();
        attributeNames = Map.of();
    }

    // ---- the task loop ----

    private void push(int kind, Object obj, int arg) {
        if (top == kinds.length) {
            int n = top * 2;
            kinds = Arrays.copyOf(kinds, n);
            objs = Arrays.copyOf(objs, n);
            ints = Arrays.copyOf(ints, n);
            ends = Arrays.copyOf(ends, n);
        }
        kinds[top] = kind;
        objs[top] = obj;
        ints[top++] = arg;
    }

    /** Saves the items seq[index, end) of a list (a List or an Object[]) in order. */
    private void pushItems(Object seq, int index, int end) {
        push(T_ITEMS, seq, index);
        ends[top - 1] = end;
    }

    /**
     * Saves items one after another, simple ones (numbers, strings, None) at once; at the first item
     * that needs tasks of its own it leaves a continuation below that item's save. Most items of most
     * data are simple, so they never go through the task stack.
     */
    private void saveItems(Object seq, int index, int end) {
        boolean inline = options.persistentId() == null;
        Object[] array = seq instanceof Object[] a ? a : null;
        List<?> list = array == null ? (List<?>) seq : null;
        // A PyList's chunks of unboxed ints or floats are written without boxing each number.
        PyList runs = inline && list instanceof PyList p ? p : null;
        boolean tryRun = runs != null;
        while (index < end) {
            if (tryRun) {
                tryRun = false;
                index = saveNumberRuns(runs, index, end);
                if (index >= end) {
                    return;
                }
            }
            Object item = array != null ? array[index] : list.get(index);
            index++;
            if (runs != null && index == PyList.chunkEnd(index - 1)) {
                tryRun = true;
            }
            if (inline && isSimple(item)) {
                save(item);
                continue;
            }
            if (index < end) {
                pushItems(seq, index, end);
            }
            push(T_SAVE, item, 0);
            return;
        }
    }

    /**
     * Saves the items of the PyList from index on while they are in unboxed chunks; returns where it
     * stopped: at a chunk of references, or at an item among a numeric chunk's exceptions (a big int
     * among longs, say) that save() cannot write without tasks.
     */
    private int saveNumberRuns(PyList list, int index, int end) {
        while (index < end) {
            int stop = Math.min(end, PyList.chunkEnd(index));
            Object[] exceptions = list.exceptionsAt(index);
            long[] longs = list.longsAt(index);
            if (longs != null) {
                for (int j = index & (PyList.CHUNK - 1); index < stop; index++, j++) {
                    if (exceptions != null && exceptions[j] != null) {
                        if (!saveException(exceptions[j])) {
                            return index;
                        }
                        continue;
                    }
                    opcodeBoundary();
                    saveLong(longs[j]);
                }
                continue;
            }
            double[] doubles = list.doublesAt(index);
            if (doubles == null) {
                return index;
            }
            for (int j = index & (PyList.CHUNK - 1); index < stop; index++, j++) {
                if (exceptions != null && exceptions[j] != null) {
                    if (!saveException(exceptions[j])) {
                        return index;
                    }
                    continue;
                }
                opcodeBoundary();
                saveFloat(doubles[j]);
            }
        }
        return index;
    }

    /** Saves an item from a numeric chunk's exceptions if it is simple; false if it needs the task loop. */
    private boolean saveException(Object entry) {
        Object item = PyList.exception(entry);
        if (!isSimple(item)) {
            return false;
        }
        save(item);
        return true;
    }

    /** Values save() writes completely without tasks (when no persistent-id hook may intervene). */
    private static boolean isSimple(Object item) {
        return item == null || item instanceof String || item instanceof Integer || item instanceof Double
                || item instanceof Long || item instanceof Boolean || item instanceof BigInteger;
    }

    /** Saves the key/value pairs left in the iterator, in order, simple ones at once (see saveItems). */
    private void saveEntries(Iterator<? extends Map.Entry<?, ?>> entries, boolean attributeKeys) {
        boolean inline = options.persistentId() == null;
        while (entries.hasNext()) {
            Map.Entry<?, ?> e = entries.next();
            Object key = e.getKey();
            Object value = e.getValue();
            boolean simpleKey = inline && !attributeKeys && isSimple(key);
            if (simpleKey && isSimple(value)) {
                save(key);
                save(value);
                continue;
            }
            if (entries.hasNext()) {
                push(T_ENTRIES, entries, attributeKeys ? 1 : 0);
            }
            push(T_SAVE, value, 0);
            if (simpleKey) {
                save(key);
            } else {
                push(attributeKeys ? T_ATTRIBUTE_NAME : T_SAVE, key, 0);
            }
            return;
        }
    }

    private void pushSaves(Object[] items, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            push(T_SAVE, items[i], 0);
        }
    }

    private void run() {
        while (top > 0) {
            int kind = kinds[--top];
            Object obj = objs[top];
            int arg = ints[top];
            objs[top] = null;
            switch (kind) {
                case T_SAVE -> save(obj);
                case T_OP -> writeByte(arg);
                case T_MEMO_PUT -> memoPut(obj);
                case T_LIST_BATCH -> listBatch(obj, arg);
                case T_LIST_EACH -> listEach(obj, arg);
                case T_DICT_BATCH -> dictBatch((Object[]) obj, arg, false);
                case T_DICT_EACH -> dictEach((Object[]) obj, arg, false);
                case T_SET_BATCH -> setBatch((Object[]) obj, arg);
                case T_GENERIC_LIST -> genericListBatch((Object[]) obj, arg);
                case T_GENERIC_DICT -> genericDictBatch((Object[]) obj, arg);
                case T_TUPLE_END -> tupleEnd(obj, arg);
                case T_REDUCE_END -> reduceEnd(obj);
                case T_FROZENSET_END -> frozenSetEnd(obj);
                case T_MODULE_NAME -> saveModuleName((String) obj, arg != 0);
                case T_SAVE_NOT_PERSISTENT -> saveNotPersistent(obj);
                case T_STATE -> saveState(obj);
                case T_ATTRIBUTE_DICT_BATCH -> dictBatch((Object[]) obj, arg, true);
                case T_ATTRIBUTE_DICT_EACH -> dictEach((Object[]) obj, arg, true);
                case T_ATTRIBUTE_NAME -> saveAttributeName(obj);
                case T_ITEMS -> saveItems(obj, arg, ends[top]);
                case T_ENTRIES -> saveEntries(entriesOf(obj), arg == 1);
                case T_INST -> {
                    writeByte(INST);
                    writeRaw(((String) obj).getBytes(StandardCharsets.UTF_8));
                }
                default -> throw new IllegalStateException("task " + kind);
            }
            if (frameStart < 0 && len >= FLUSH_AT) {
                flush();
            }
        }
    }

    // ---- save: dispatch on the value's type, as CPython's save() does ----

    private void save(Object obj) {
        opcodeBoundary();
        if (options.persistentId() != null && !persistentOff && savePersistent(obj)) {
            return;
        }
        if (obj == null) {
            writeByte(NONE);
            return;
        }
        if (obj instanceof Integer i) {
            saveLong(i);
            return;
        }
        if (obj instanceof Boolean b) {
            saveBool(b);
            return;
        }
        if (obj instanceof Long l) {
            saveLong(l);
            return;
        }
        if (obj instanceof Double d) {
            saveFloat(d);
            return;
        }
        if (obj instanceof BigInteger b) {
            saveBigInteger(b);
            return;
        }
        if (obj instanceof Short || obj instanceof Byte) {
            saveLong(((Number) obj).longValue());
            return;
        }
        if (obj instanceof Float f) {
            saveFloat(f.doubleValue());
            return;
        }
        if (obj instanceof PyGlobal g) {
            Integer index = globalMemo.get(g);
            if (index != null) {
                memoGet(index);
            } else {
                saveGlobal(g);
            }
            return;
        }
        // Values memoized right after their opcode take their memo slot now: one probe, not two.
        boolean atOnce = isMemoizedAtOnce(obj);
        int index = atOnce ? memo.putIfAbsent(obj, memoSize) : memo.get(obj);
        if (index >= 0) {
            memoGet(index);
            return;
        }
        if (atOnce) {
            reserved = obj;
        }
        if (obj instanceof String s) {
            saveStr(s, s);
        } else if (obj instanceof Map<?, ?> m) {
            saveDict(m);
        } else if (obj instanceof PyTuple t) {
            saveTuple(t.items(), t);
        } else if (obj instanceof List<?> l) {
            saveList(l);
        } else if (obj instanceof byte[] b) {
            saveBytes(b);
        } else if (obj instanceof PyFrozenSet f) {
            saveFrozenSet(f);
        } else if (obj instanceof Set<?> s) {
            saveSet(s);
        } else if (obj instanceof Object[] a && !(options.numpyArrays() && dev.picklejar.numpy.NdArray.ofJava(a) != null)) {
            saveTuple(a, a);
        } else if (obj instanceof PyObject o) {
            saveObject(o);
        } else if (obj instanceof PyByteArray b) {
            saveByteArray(b);
        } else if (obj instanceof Latin1Text t) {
            saveLatin1Text(t);
        } else if (obj instanceof Character c) {
            saveStr(String.valueOf(c), c);
        } else {
            saveOther(obj);
        }
    }

    private boolean isMemoizedAtOnce(Object obj) {
        return obj instanceof String || obj instanceof Latin1Text || obj instanceof Map
                || (obj instanceof List && !(obj instanceof PyTuple))
                || (obj instanceof byte[] && proto >= 3) || (obj instanceof PyByteArray && proto >= 5)
                || (obj instanceof Set && !(obj instanceof PyFrozenSet) && proto >= 4);
    }

    private void saveOther(Object obj) {
        if (obj instanceof PyComplex c) {
            saveReduce(G_COMPLEX, PyTuple.of(c.real(), c.imag()), obj);
        } else if (obj instanceof BigDecimal d) {
            saveReduce(G_DECIMAL, PyTuple.of(d.toString()), obj);
        } else if (obj instanceof PyDecimal d) {
            saveReduce(G_DECIMAL, PyTuple.of(new String(d.text())), obj);
        } else if (obj instanceof UUID u) {
            push(T_SAVE, uuidObject(u), 0);
        } else if (obj instanceof LocalDateTime t) {
            saveReduce(G_DATETIME, PyTuple.of(dateTimeState(t)), obj);
        } else if (obj instanceof OffsetDateTime t) {
            saveReduce(G_DATETIME, PyTuple.of(dateTimeState(t.toLocalDateTime()), t.getOffset()), obj);
        } else if (obj instanceof Instant i) {
            saveReduce(G_DATETIME, PyTuple.of(dateTimeState(LocalDateTime.ofInstant(i, ZoneOffset.UTC)),
                    ZoneOffset.UTC), obj);
        } else if (obj instanceof LocalDate d) {
            saveReduce(G_DATE, PyTuple.of((Object) dateState(d)), obj);
        } else if (obj instanceof LocalTime t) {
            saveReduce(G_TIME, PyTuple.of((Object) timeState(t)), obj);
        } else if (obj instanceof OffsetTime t) {
            saveReduce(G_TIME, PyTuple.of(timeState(t.toLocalTime()), t.getOffset()), obj);
        } else if (obj instanceof Duration d) {
            long[] f = timedeltaFields(d);
            saveReduce(G_TIMEDELTA, PyTuple.of(Numbers.smallest(f[0]), Numbers.smallest(f[1]),
                    Numbers.smallest(f[2])), obj);
        } else if (obj instanceof ZoneOffset z) {
            // The offset is a timedelta object of the timezone's own, so it must not be a cached Duration.
            long[] f = DateTimes.timedeltaFields(Duration.ofSeconds(z.getTotalSeconds()));
            saveReduce(G_TIMEZONE, PyTuple.of(new Timedelta(f[0], f[1], f[2])), obj);
        } else if (obj instanceof Timedelta t) {
            saveReduce(G_TIMEDELTA, PyTuple.of(Numbers.smallest(t.days()), Numbers.smallest(t.seconds()),
                    Numbers.smallest(t.micros())), obj);
        } else if (obj instanceof PickleBuffer b) {
            savePickleBuffer(b);
        } else if (ArrayTypes.isNumpyValue(obj)) {
            saveAs(obj, ArrayTypes.toPython(obj, proto, options.numpyVersion()));
        } else if (options.numpyArrays() && obj.getClass().isArray()
                && dev.picklejar.numpy.NdArray.ofJava(obj) != null) {
            saveAs(obj, ArrayTypes.toPython(dev.picklejar.numpy.NdArray.ofJava(obj), proto, options.numpyVersion()));
        } else if (obj instanceof PyArray a) {
            saveArray(a, obj);
        } else if (PyArray.typecodeOf(obj) != 0) {
            if (options.primitiveArrays() == Pickler.PrimitiveArrays.LIST) {
                saveList(arrayItems(PyArray.of(PyArray.typecodeOf(obj), obj)));
            } else {
                saveArray(PyArray.of(PyArray.typecodeOf(obj), obj), obj);
            }
        } else if (obj instanceof java.net.Inet4Address ip) {
            byte[] b = ip.getAddress();
            long n = (b[0] & 0xffL) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
            saveReduce(G_IPV4_ADDRESS, PyTuple.of(Numbers.smallest(n)), obj);
        } else if (obj instanceof java.net.Inet6Address ip) {
            saveReduce(G_IPV6_ADDRESS, PyTuple.of(StandardLibrary.ipv6Text(ip)), obj);
        } else if (obj instanceof PyFraction f) {
            saveReduce(G_FRACTION, PyTuple.of(Numbers.smallest(f.numerator()), Numbers.smallest(f.denominator())), obj);
        } else if (obj instanceof PyEnumMember m) {
            // An enum member is one object in Python: equal members are written once, then fetched.
            push(T_SAVE, singleton(m, () -> PyObject.reduce(G_GETATTR, PyTuple.of(m.enumClass(), m.name()))), 0);
        } else if (obj instanceof ZonedDateTime t) {
            saveZoned(t, obj);
        } else if (obj instanceof ZoneId z) {
            // ZoneInfo(key) is cached, one object per key: equal zones are written once, then fetched.
            push(T_SAVE, singleton(z, () -> PyObject.reduce(
                    PyObject.reduce(G_GETATTR, PyTuple.of(G_ZONEINFO, new String("_unpickle"))),
                    PyTuple.of(z.getId(), 1))), 0);
        } else if (options.converter(obj.getClass()) != null) {
            saveConverted(obj);
        } else {
            throw new PicklingException("cannot pickle a " + obj.getClass().getName() + " at "
                    + GraphPath.describe(root, obj) + ": picklejar has no Python type for it; register one on the Pickler");
        }
    }

    /**
     * array.__reduce_ex__: {@code array.array(typecode, list)} below protocol 3, else
     * {@code array._array_reconstructor(array.array, typecode, mformat_code, bytes)}. The typecode is
     * one of CPython's cached one-character strings, shared by every array of the pickle.
     */
    private void saveArray(PyArray a, Object obj) {
        String code = oneCharacter(a.typecode());
        if (proto < 3) {
            saveReduce(G_ARRAY, PyTuple.of(code, arrayItems(a)), obj);
        } else {
            saveReduce(G_ARRAY_RECONSTRUCTOR, PyTuple.of(G_ARRAY, code, StandardLibrary.machineFormat(a.typecode()),
                    StandardLibrary.bytes(a)), obj);
        }
    }

    /** The items of an array as a fresh list (array.tolist()); a 'u' array's are one-character strings. */
    private List<Object> arrayItems(PyArray a) {
        int n = a.length();
        List<Object> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Object item = a.item(i);
            items.add(item instanceof String c && c.length() == 1 ? oneCharacter(c.charAt(0)) : item);
        }
        return items;
    }

    /** CPython's one-character strings below U+0100 are cached: one object each in a pickle. */
    private String oneCharacter(int c) {
        if (c >= 0x100) {
            return Character.toString(c);
        }
        if (characters == null) {
            characters = new String[0x100];
        }
        String s = characters[c];
        if (s == null) {
            s = Character.toString(c);
            characters[c] = s;
        }
        return s;
    }

    /** The Python object to write for a value that Python keeps one object of per value. */
    private Object singleton(Object value, java.util.function.Supplier<Object> python) {
        if (singletons == null) {
            singletons = new HashMap<>();
        }
        return singletons.computeIfAbsent(value, k -> python.get());
    }

    /** An aware datetime with a region zone: its tzinfo a ZoneInfo; fold=1 for the later of an overlap. */
    private void saveZoned(ZonedDateTime t, Object obj) {
        byte[] state = dateTimeState(t.toLocalDateTime());
        ZoneId zone = t.getZone();
        if (zone instanceof ZoneOffset offset) {
            saveReduce(G_DATETIME, PyTuple.of(state, offset), obj);
            return;
        }
        if (proto >= 4 && StandardLibrary.fold(t)) {
            state[2] |= (byte) 0x80;
        }
        saveReduce(G_DATETIME, PyTuple.of(state, zone), obj);
    }

    /** The persistent id itself is saved without asking the hook again, as CPython's pers_save does. */
    private void saveNotPersistent(Object obj) {
        persistentOff = true;
        try {
            save(obj);
        } finally {
            persistentOff = false;
        }
    }

    /** copyreg._reconstructor(cls, object, None): what object.__reduce_ex__ gives below protocol 2. */
    private static boolean isPlainReconstruction(PyObject o) {
        PyTuple args = o.args();
        return G_RECONSTRUCTOR.equals(o.callable()) && args.size() == 3 && args.get(0) instanceof PyGlobal
                && G_OBJECT.equals(args.get(1)) && args.get(2) == null;
    }

    /** CPython's save_pers: a value the persistentId hook names is written as PERSID/BINPERSID. */
    private boolean savePersistent(Object obj) {
        Object pid = options.persistentId().apply(obj);
        if (pid == null) {
            return false;
        }
        if (bin) {
            push(T_OP, null, BINPERSID);
            push(T_SAVE_NOT_PERSISTENT, pid, 0);
        } else {
            String text = pid instanceof String str ? str : Repr.of(pid);
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) > 0x7f || text.charAt(i) == '\n') {
                    throw new PicklingException("persistent IDs in protocol 0 must be ASCII strings without newlines, "
                            + "not " + Repr.of(pid));
                }
            }
            writeByte(PERSID);
            writeAscii(text + "\n");
        }
        return true;
    }

    private void saveConverted(Object obj) {
        if (converted == null) {
            converted = new IdentityHashMap<>();
        }
        Object python = converted.get(obj);
        if (python == null) {
            python = options.converter(obj.getClass()).apply(obj);
            if (python == null || python == obj) {
                throw new PicklingException("the registration for " + obj.getClass().getName()
                        + " gave no Python value");
            }
            converted.put(obj, python);
        }
        push(T_SAVE, python, 0);
    }

    /** Writes the Python value for a Java value, the same object each time the value is met again (so the memo holds). */
    private void saveAs(Object obj, Object python) {
        if (converted == null) {
            converted = new IdentityHashMap<>();
        }
        Object known = converted.putIfAbsent(obj, python);
        push(T_SAVE, known != null ? known : python, 0);
    }

    private void enter(Object obj) {
        if (inProgress == null) {
            inProgress = new IdentityHashMap<>();
        }
        Integer at = inProgress.put(obj, memoSize);
        if (at != null && at == memoSize) {
            throw new PicklingException("a " + typeName(obj) + " that contains itself (not through a list, dict or "
                    + "object) cannot be pickled, at " + GraphPath.describe(root, obj));
        }
    }

    private static String typeName(Object obj) {
        return obj instanceof Object[] ? "tuple" : Values.typeName(obj);
    }

    /** A timedelta written inside another value's reduction: a fresh object, as CPython's is. */
    private record Timedelta(long days, long seconds, long micros) {
    }

    // ---- atoms ----

    private void saveBool(boolean b) {
        if (proto >= 2) {
            writeByte(b ? NEWTRUE : NEWFALSE);
        } else {
            writeAscii(b ? "I01\n" : "I00\n");
        }
    }

    private void saveLong(long v) {
        if (v == (int) v) {
            if (bin) {
                if (v >= 0 && v <= 0xff) {
                    ensure(2);
                    out[len++] = BININT1;
                    out[len++] = (byte) v;
                } else if (v >= 0 && v <= 0xffff) {
                    ensure(3);
                    out[len++] = BININT2;
                    out[len++] = (byte) v;
                    out[len++] = (byte) (v >> 8);
                } else {
                    ensure(5);
                    out[len++] = BININT;
                    writeIntLE((int) v);
                }
            } else {
                writeAscii("I" + v + "\n");
            }
        } else if (proto >= 2) {
            // Minimal little-endian two's complement, as CPython's encode_long gives.
            int n = (64 - Long.numberOfLeadingZeros(v < 0 ? ~v : v)) / 8 + 1;
            ensure(2 + n);
            out[len++] = LONG1;
            out[len++] = (byte) n;
            for (int i = 0; i < n; i++) {
                out[len++] = (byte) (v >> (8 * i));
            }
        } else {
            writeAscii("L" + v + "L\n");
        }
    }

    private void saveBigInteger(BigInteger b) {
        if (b.bitLength() < 64) {
            saveLong(b.longValue());
            return;
        }
        if (proto < 2) {
            writeAscii("L" + b + "L\n");
            return;
        }
        byte[] bigEndian = b.toByteArray();
        int n = bigEndian.length;
        if (n < 256) {
            ensure(2 + n);
            out[len++] = LONG1;
            out[len++] = (byte) n;
        } else {
            ensure(5 + n);
            out[len++] = LONG4;
            writeIntLE(n);
        }
        for (int i = n - 1; i >= 0; i--) {
            out[len++] = bigEndian[i];
        }
    }

    private void saveFloat(double d) {
        if (bin) {
            ensure(9);
            out[len] = BINFLOAT;
            LONG_BIG_ENDIAN.set(out, len + 1, Double.doubleToRawLongBits(d));
            len += 9;
        } else {
            writeAscii("F" + Repr.ofFloat(d) + "\n");
        }
    }

    // ---- strings and bytes ----

    private void saveStr(String s, Object identity) {
        if (bin) {
            int n = s.length();
            if (3L * n < FRAME_TARGET) {
                saveShortStr(s, n);
            } else {
                byte[] utf8 = encodeUtf8(s);
                byte[] header;
                if (utf8.length <= 0xff && proto >= 4) {
                    header = new byte[] {SHORT_BINUNICODE, (byte) utf8.length};
                } else {
                    header = new byte[5];
                    header[0] = BINUNICODE;
                    putIntLE(header, 1, utf8.length);
                }
                writeBytes(header, utf8);
            }
        } else {
            writeByte(UNICODE);
            writeRaw(rawUnicodeEscape(s));
            writeByte('\n');
        }
        memoPut(identity);
    }

    /** A str whose UTF-8 stays under 64 KiB, encoded straight into the output (surrogatepass). */
    private void saveShortStr(String s, int n) {
        ensure(5 + 3 * n);
        int header = len;
        boolean shortHeader = proto >= 4 && 3 * n <= 0xff;
        int start = header + (shortHeader ? 2 : 5);
        byte[] b = out;
        int k = encodeUtf8(s, b, start);
        int size = k - start;
        if (shortHeader) {
            b[header] = SHORT_BINUNICODE;
            b[header + 1] = (byte) size;
        } else if (proto >= 4 && size <= 0xff) {
            b[header] = SHORT_BINUNICODE;
            b[header + 1] = (byte) size;
            System.arraycopy(b, start, b, header + 2, size);
            k = header + 2 + size;
        } else {
            b[header] = BINUNICODE;
            putIntLE(b, header + 1, size);
        }
        len = k;
    }

    private void saveBytes(byte[] b) {
        if (proto < 3) {
            if (b.length == 0) {
                saveReduce(G_BYTES, PyTuple.EMPTY, b);
            } else {
                // A persistent-id hook must see the str CPython makes; otherwise the str is only
                // written, so it is encoded straight from the bytes (see saveLatin1Text).
                Object text = options.persistentId() == null ? new Latin1Text(b)
                        : new String(b, StandardCharsets.ISO_8859_1);
                saveReduce(G_ENCODE, PyTuple.of(text, LATIN1), b);
            }
            return;
        }
        writeBytes(countedHeader(b.length, SHORT_BINBYTES, BINBYTES, BINBYTES8), b);
        memoPut(b);
    }

    /**
     * The {@code str(b, 'latin1')} that protocols 0 to 2 write for a bytes object b, as bytes: its
     * UTF-8 is made in one pass from them, with no 64 MiB String and no oversized buffer in between
     * for a 64 MiB bytes object. Memoized as that str would be (it is its own identity).
     */
    private static final class Latin1Text {
        final byte[] bytes;

        Latin1Text(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    private void saveLatin1Text(Latin1Text text) {
        byte[] b = text.bytes;
        if (!bin || 3L * b.length < FRAME_TARGET) {
            saveStr(new String(b, StandardCharsets.ISO_8859_1), text);
            return;
        }
        long size = b.length;
        for (byte c : b) {
            size += c >>> 31 & 1; // each byte from 0x80 up takes two bytes in UTF-8
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new PicklingException("a bytes object of " + b.length + " bytes is too large to write below"
                    + " protocol 3 (its latin-1 text takes " + size + " bytes of UTF-8), at "
                    + GraphPath.describe(root, b));
        }
        // Without a branch per byte (binary data mixes both kinds at random): both UTF-8 bytes of a
        // high byte are written, and a low byte's second byte is overwritten by the next one. The
        // last byte, which has no next one, is written apart.
        byte[] utf8 = new byte[(int) size];
        int k = 0;
        int last = b.length - 1;
        for (int i = 0; i < last; i++) {
            int u = b[i] & 0xff;
            int high = u >>> 7;
            int mask = -high;
            utf8[k] = (byte) ((u & ~mask) | ((0xc0 | u >>> 6) & mask));
            utf8[k + 1] = (byte) (0x80 | (u & 0x3f));
            k += 1 + high;
        }
        int u = b[last] & 0xff;
        if (u < 0x80) {
            utf8[k] = (byte) u;
        } else {
            utf8[k] = (byte) (0xc0 | u >>> 6);
            utf8[k + 1] = (byte) (0x80 | (u & 0x3f));
        }
        byte[] header = new byte[5];
        header[0] = BINUNICODE;
        putIntLE(header, 1, utf8.length);
        writeBytes(header, utf8);
        memoPut(text);
    }

    private void saveByteArray(PyByteArray b) {
        if (proto < 5) {
            saveReduce(G_BYTEARRAY, b.length() == 0 ? PyTuple.EMPTY : PyTuple.of((Object) b.bytes().clone()), b);
            return;
        }
        writeBytes(header8(BYTEARRAY8, b.length()), b.bytes());
        memoPut(b);
    }

    private void savePickleBuffer(PickleBuffer b) {
        if (proto < 5) {
            throw new PicklingException("a PickleBuffer (out-of-band data) needs protocol 5, not " + proto
                    + ", at " + GraphPath.describe(root, b));
        }
        boolean inBand = options.bufferCallback() == null || options.bufferCallback().test(b);
        if (inBand) {
            ByteBuffer view = b.buffer();
            byte[] data = new byte[view.remaining()];
            view.get(data);
            if (b.isReadOnly()) {
                writeBytes(countedHeader(data.length, SHORT_BINBYTES, BINBYTES, BINBYTES8), data);
            } else {
                writeBytes(header8(BYTEARRAY8, data.length), data);
            }
            memoPut(b);
        } else {
            writeByte(NEXT_BUFFER);
            if (b.isReadOnly()) {
                writeByte(READONLY_BUFFER);
            }
        }
    }

    private static byte[] countedHeader(int n, byte op1, byte op4, byte op8) {
        if (n <= 0xff) {
            return new byte[] {op1, (byte) n};
        }
        byte[] header = new byte[5];
        header[0] = op4;
        putIntLE(header, 1, n);
        return header;
    }

    private static byte[] header8(byte op, long n) {
        byte[] header = new byte[9];
        header[0] = op;
        for (int i = 0; i < 8; i++) {
            header[1 + i] = (byte) (n >> (8 * i));
        }
        return header;
    }

    // ---- containers ----

    private void saveList(List<?> list) {
        if (bin) {
            writeByte(EMPTY_LIST);
        } else {
            writeByte(MARK);
            writeByte(LIST);
        }
        memoPut(list);
        int n = list.size();
        if (n == 0) {
            return;
        }
        if (proto > 0 && n <= BATCH && list instanceof java.util.RandomAccess) {
            // One batch: its saves go on the task stack now, so no copy of the list is needed.
            if (n == 1) {
                push(T_OP, null, APPEND);
                push(T_SAVE, list.get(0), 0);
                return;
            }
            writeByte(MARK);
            push(T_OP, null, APPENDS);
            pushItems(list, 0, n);
            return;
        }
        // A random-access list is read in place: a copy of a long one would be one more humongous
        // array for G1, and would box every number of a PyList's unboxed chunks at once.
        Object items = list instanceof java.util.RandomAccess ? list : list.toArray();
        push(proto > 0 ? T_LIST_BATCH : T_LIST_EACH, items, 0);
    }

    /** The length of a list's items: an Object[] or a random-access List. */
    private static int length(Object seq) {
        return seq instanceof Object[] a ? a.length : ((List<?>) seq).size();
    }

    private static Object itemAt(Object seq, int index) {
        return seq instanceof Object[] a ? a[index] : ((List<?>) seq).get(index);
    }

    /** CPython's batch_list_exact: one item alone is APPENDed; otherwise MARK ... APPENDS in 1000s. */
    private void listBatch(Object items, int start) {
        int n = length(items);
        if (start == 0 && n == 1) {
            push(T_OP, null, APPEND);
            push(T_SAVE, itemAt(items, 0), 0);
            return;
        }
        writeByte(MARK);
        int end = Math.min(n, start + BATCH);
        if (end < n) {
            push(T_LIST_BATCH, items, end);
        }
        push(T_OP, null, APPENDS);
        pushItems(items, start, end);
    }

    /** Protocol 0: APPEND after every item. */
    private void listEach(Object items, int index) {
        if (index + 1 < length(items)) {
            push(T_LIST_EACH, items, index + 1);
        }
        push(T_OP, null, APPEND);
        push(T_SAVE, itemAt(items, index), 0);
    }

    /** CPython's batch_list for items from an iterator (list subclasses): no lone-last-item quirk. */
    private void genericListBatch(Object[] items, int start) {
        int remaining = items.length - start;
        if (remaining <= 0) {
            return;
        }
        if (proto == 0) {
            listEach(items, start);
            return;
        }
        if (remaining == 1) {
            push(T_OP, null, APPEND);
            push(T_SAVE, items[start], 0);
            return;
        }
        writeByte(MARK);
        int end = Math.min(items.length, start + BATCH);
        if (end - start == BATCH) {
            push(T_GENERIC_LIST, items, end);
        }
        push(T_OP, null, APPENDS);
        pushSaves(items, start, end);
    }

    private void saveDict(Map<?, ?> map) {
        saveDict(map, false);
    }

    private void saveDict(Map<?, ?> map, boolean attributeKeys) {
        if (bin) {
            writeByte(EMPTY_DICT);
        } else {
            writeByte(MARK);
            writeByte(DICT);
        }
        memoPut(map);
        int n = map.size();
        if (n == 0) {
            return;
        }
        if (proto > 0 && n < BATCH) {
            // One batch (a full one would need the empty batch after it): the pairs are saved
            // straight from the map's iterator, in order.
            if (n == 1) {
                push(T_OP, null, SETITEM);
            } else {
                writeByte(MARK);
                push(T_OP, null, SETITEMS);
            }
            push(T_ENTRIES, map.entrySet().iterator(), attributeKeys ? 1 : 0);
            return;
        }
        Object[] pairs = new Object[2 * n];
        int i = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            pairs[i++] = e.getKey();
            pairs[i++] = e.getValue();
        }
        if (attributeKeys) {
            push(proto > 0 ? T_ATTRIBUTE_DICT_BATCH : T_ATTRIBUTE_DICT_EACH, pairs, 0);
        } else {
            push(proto > 0 ? T_DICT_BATCH : T_DICT_EACH, pairs, 0);
        }
    }

    @SuppressWarnings("unchecked")
    private static Iterator<? extends Map.Entry<?, ?>> entriesOf(Object iterator) {
        return (Iterator<? extends Map.Entry<?, ?>>) iterator;
    }

    /**
     * An object's state. The keys of a dict state are attribute names, which CPython interns: equal
     * names are one object in a pickle, so a name written before is fetched from the memo.
     */
    private void saveState(Object state) {
        opcodeBoundary();
        if (state instanceof Map<?, ?> map && memo.get(map) < 0) {
            saveDict(map, true);
        } else {
            save(state);
        }
    }

    private void saveAttributeName(Object key) {
        if (!(key instanceof String name) || memo.get(name) >= 0) {
            save(key);
            return;
        }
        Integer shared = attributeNames.get(name);
        if (shared != null) {
            opcodeBoundary();
            memoGet(shared);
            return;
        }
        save(name);
        if (attributeNames.isEmpty()) {
            attributeNames = new HashMap<>();
        }
        attributeNames.putIfAbsent(name, memo.get(name));
    }

    /** Pushes the saves of pairs[from, to), keys as attribute names when they are. */
    private void pushPairs(Object[] pairs, int from, int to, boolean attributeKeys) {
        for (int i = to - 2; i >= from; i -= 2) {
            push(T_SAVE, pairs[i + 1], 0);
            push(attributeKeys ? T_ATTRIBUTE_NAME : T_SAVE, pairs[i], 0);
        }
    }

    /** CPython's batch_dict_exact: SETITEM for one pair; MARK ... SETITEMS in 1000s, empty batch after a full one. */
    private void dictBatch(Object[] pairs, int start, boolean attributeKeys) {
        int n = pairs.length / 2;
        if (n == 1) {
            push(T_OP, null, SETITEM);
            pushPairs(pairs, 0, 2, attributeKeys);
            return;
        }
        writeByte(MARK);
        int end = Math.min(n, start + BATCH);
        if (end - start == BATCH) {
            push(attributeKeys ? T_ATTRIBUTE_DICT_BATCH : T_DICT_BATCH, pairs, end);
        }
        push(T_OP, null, SETITEMS);
        pushPairs(pairs, 2 * start, 2 * end, attributeKeys);
    }

    /** Protocol 0 (and dict items from an iterator at protocol 0): SETITEM after every pair. */
    private void dictEach(Object[] pairs, int index, boolean attributeKeys) {
        if (index + 1 < pairs.length / 2) {
            push(attributeKeys ? T_ATTRIBUTE_DICT_EACH : T_DICT_EACH, pairs, index + 1);
        }
        push(T_OP, null, SETITEM);
        pushPairs(pairs, 2 * index, 2 * index + 2, attributeKeys);
    }

    /** CPython's batch_dict for items from an iterator (dict subclasses). */
    private void genericDictBatch(Object[] pairs, int start) {
        int remaining = pairs.length / 2 - start;
        if (remaining <= 0) {
            return;
        }
        if (proto == 0) {
            dictEach(pairs, start, false);
            return;
        }
        if (remaining == 1) {
            push(T_OP, null, SETITEM);
            pushSaves(pairs, 2 * start, 2 * start + 2);
            return;
        }
        writeByte(MARK);
        int end = Math.min(pairs.length / 2, start + BATCH);
        if (end - start == BATCH) {
            push(T_GENERIC_DICT, pairs, end);
        }
        push(T_OP, null, SETITEMS);
        pushSaves(pairs, 2 * start, 2 * end);
    }

    private void saveSet(Set<?> set) {
        if (proto < 4) {
            saveReduce(G_SET, PyTuple.of(new ArrayList<>(set)), set);
            return;
        }
        writeByte(EMPTY_SET);
        memoPut(set);
        if (!set.isEmpty()) {
            push(T_SET_BATCH, set.toArray(), 0);
        }
    }

    /** CPython's save_set batches: MARK ... ADDITEMS in 1000s, empty batch after a full one. */
    private void setBatch(Object[] items, int start) {
        writeByte(MARK);
        int end = Math.min(items.length, start + BATCH);
        if (end - start == BATCH) {
            push(T_SET_BATCH, items, end);
        }
        push(T_OP, null, ADDITEMS);
        pushSaves(items, start, end);
    }

    private void saveFrozenSet(PyFrozenSet set) {
        if (proto < 4) {
            saveReduce(G_FROZENSET, PyTuple.of(new ArrayList<>(set)), set);
            return;
        }
        enter(set);
        writeByte(MARK);
        push(T_FROZENSET_END, set, 0);
        pushSaves(set.toArray(), 0, set.size());
    }

    private void frozenSetEnd(Object set) {
        inProgress.remove(set);
        int index = memo.get(set);
        if (index >= 0) {
            writeByte(POP_MARK);
            memoGet(index);
            return;
        }
        writeByte(FROZENSET);
        memoPut(set);
    }

    private void saveTuple(Object[] items, Object identity) {
        int n = items.length;
        if (n == 0) {
            if (bin) {
                writeByte(EMPTY_TUPLE);
            } else {
                writeByte(MARK);
                writeByte(TUPLE);
            }
            return;
        }
        enter(identity);
        if (n > 3 || proto < 2) {
            writeByte(MARK);
        }
        push(T_TUPLE_END, identity, n);
        pushSaves(items, 0, n);
    }

    /** After a tuple's items: if saving them memoized the tuple, it was recursive; else TUPLE and memoize. */
    private void tupleEnd(Object identity, int n) {
        inProgress.remove(identity);
        boolean small = n <= 3 && proto >= 2;
        int index = memo.get(identity);
        if (index >= 0) {
            if (small) {
                for (int i = 0; i < n; i++) {
                    writeByte(POP);
                }
            } else if (bin) {
                writeByte(POP_MARK);
            } else {
                for (int i = 0; i <= n; i++) {
                    writeByte(POP);
                }
            }
            memoGet(index);
            return;
        }
        writeByte(small ? TUPLE1 + n - 1 : TUPLE);
        memoPut(identity);
    }

    // ---- globals and objects ----

    private void saveGlobal(PyGlobal g) {
        Integer code = proto >= 2 ? options.extensionCode(g) : null;
        if (code != null) {
            int c = code;
            if (c <= 0xff) {
                writeByte(EXT1);
                writeByte(c);
            } else if (c <= 0xffff) {
                writeByte(EXT2);
                writeByte(c);
                writeByte(c >> 8);
            } else {
                writeByte(EXT4);
                ensure(4);
                writeIntLE(c);
            }
            return;
        }
        if (proto >= 4) {
            push(T_MEMO_PUT, g, 0);
            push(T_OP, null, STACK_GLOBAL);
            push(T_SAVE, g.name(), 0);
            push(T_MODULE_NAME, g.module(), OWN_MODULE_NAME.contains(g) ? 1 : 0);
            return;
        }
        int dot = g.name().lastIndexOf('.');
        if (dot >= 0 && isDottedPath(g.name())) {
            // A nested name below protocol 4: getattr(parent, last), as CPython writes it.
            PyGlobal parent = new PyGlobal(g.module(), g.name().substring(0, dot));
            push(T_MEMO_PUT, g, 0);
            push(T_OP, null, REDUCE);
            push(T_SAVE, PyTuple.of(parent, g.name().substring(dot + 1)), 0);
            push(T_SAVE, G_GETATTR, 0);
            return;
        }
        PyGlobal written = proto < 3 && options.fixImports() ? PythonNames.toPython2(g.module(), g.name()) : g;
        if (written.module().indexOf('\n') >= 0 || written.name().indexOf('\n') >= 0) {
            // Only STACK_GLOBAL (protocol 4) can name it; a GLOBAL line would end at the newline.
            throw new PicklingException("can't pickle global identifier '" + g + "' using pickle protocol " + proto
                    + ": its module or name holds a newline, which ends a GLOBAL line");
        }
        String text = written.module() + "\n" + written.name() + "\n";
        if (proto < 3) {
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) > 0x7f) {
                    throw new PicklingException("can't pickle global identifier '" + g + "' using pickle protocol "
                            + proto + ": it is not ASCII");
                }
            }
        } else if (hasLoneSurrogate(text)) {
            // CPython encodes a GLOBAL's names as strict UTF-8, which refuses them (UnicodeEncodeError).
            throw new PicklingException("can't pickle global identifier '" + g + "' using pickle protocol "
                    + proto + ": 'utf-8' cannot encode its lone surrogate (surrogates not allowed)");
        }
        writeByte(GLOBAL);
        writeRaw(text.getBytes(StandardCharsets.UTF_8));
        memoPut(g);
    }

    private static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a name is a path of attributes, each one named: {@code Outer.Inner}. A name with an
     * empty part ({@code x.}, {@code .x}, {@code a..b}) names no attribute of anything; it can only come
     * from a GLOBAL opcode made by hand, and is written back as that GLOBAL, unchanged.
     */
    private static boolean isDottedPath(String name) {
        return !name.startsWith(".") && !name.endsWith(".") && !name.contains("..");
    }

    /**
     * A STACK_GLOBAL's module name. CPython interns module names, so every global of one module
     * names the same string object, written once and fetched from the memo after. A global in
     * {@link #OWN_MODULE_NAME} has a string of its own: written, and shared with no other global.
     */
    private void saveModuleName(String module, boolean own) {
        if (own) {
            save(module);
            return;
        }
        if (memo.get(module) < 0) {
            Integer shared = moduleNames.get(module);
            if (shared != null) {
                opcodeBoundary();
                memoGet(shared);
                return;
            }
        }
        save(module);
        if (moduleNames.isEmpty()) {
            moduleNames = new HashMap<>();
        }
        moduleNames.putIfAbsent(module, memo.get(module));
    }

    private void saveObject(PyObject o) {
        enter(o);
        switch (o.construction()) {
            case REDUCE -> {
                push(T_REDUCE_END, o, 0);
                if (proto >= 2 && isPlainReconstruction(o)) {
                    // copyreg._reduce_ex's form of a plain instance; from protocol 2 CPython writes NEWOBJ.
                    push(T_OP, null, NEWOBJ);
                    push(T_SAVE, PyTuple.EMPTY, 0);
                    push(T_SAVE, o.args().get(0), 0);
                } else {
                    push(T_OP, null, REDUCE);
                    push(T_SAVE, DateTimes.argsForProtocol(o, proto), 0);
                    push(T_SAVE, o.callable(), 0);
                }
            }
            case NEWOBJ -> {
                push(T_REDUCE_END, o, 0);
                if (proto >= 2) {
                    push(T_OP, null, NEWOBJ);
                    push(T_SAVE, o.args(), 0);
                    push(T_SAVE, o.callable(), 0);
                } else if (o.args().isEmpty()) {
                    // What copyreg._reduce_ex gives below protocol 2: _reconstructor(cls, base, state).
                    push(T_OP, null, REDUCE);
                    push(T_SAVE, reconstructorArgs(o), 0);
                    push(T_SAVE, G_RECONSTRUCTOR, 0);
                } else {
                    Object[] args = new Object[o.args().size() + 1];
                    args[0] = o.callable();
                    System.arraycopy(o.args().items(), 0, args, 1, o.args().size());
                    push(T_OP, null, REDUCE);
                    push(T_SAVE, PyTuple.wrap(args), 0);
                    push(T_SAVE, G_NEWOBJ, 0);
                }
            }
            case NEWOBJ_EX -> {
                push(T_REDUCE_END, o, 0);
                if (proto >= 4) {
                    push(T_OP, null, NEWOBJ_EX);
                    push(T_SAVE, o.kwargs(), 0);
                    push(T_SAVE, o.args(), 0);
                    push(T_SAVE, o.callable(), 0);
                } else {
                    push(T_OP, null, REDUCE);
                    push(T_SAVE, PyTuple.of(o.callable(), o.args(), o.kwargs()), 0);
                    push(T_SAVE, G_NEWOBJ_EX, 0);
                }
            }
            case INST -> {
                if (!(o.callable() instanceof PyGlobal cls)) {
                    throw new PicklingException("an INST object needs a global class, at " + GraphPath.describe(root, o));
                }
                PyGlobal written = proto < 3 && options.fixImports()
                        ? PythonNames.toPython2(cls.module(), cls.name()) : cls;
                writeByte(MARK);
                push(T_REDUCE_END, o, 0);
                push(T_INST, written.module() + "\n" + written.name() + "\n", 0);
                pushSaves(o.args().items(), 0, o.args().size());
            }
            case OBJ -> {
                writeByte(MARK);
                push(T_REDUCE_END, o, 0);
                push(T_OP, null, OBJ);
                pushSaves(o.args().items(), 0, o.args().size());
                push(T_SAVE, o.callable(), 0);
            }
            default -> throw new IllegalStateException(o.construction().name());
        }
    }

    /**
     * copyreg._reduce_ex's arguments for an instance made by NEWOBJ: {@code (cls, base, base(self))},
     * base being the first built-in class of cls's MRO. The stream shows it only through the items:
     * APPENDS make a list subclass ({@code (cls, list, [items])}) and SETITEMS a dict subclass
     * ({@code (cls, dict, {items})}), which CPython's {@code object.__new__(cls)} would refuse; otherwise
     * {@code (cls, object, None)}. A state of {@code (dict or None, slots dict)} is what
     * object.__getstate__ gives a class with __slots__, which _reduce_ex refuses below protocol 2.
     */
    private PyTuple reconstructorArgs(PyObject o) {
        if (o.hasState() && o.state() instanceof PyTuple t && t.size() == 2
                && (t.get(0) == null || t.get(0) instanceof Map) && t.get(1) instanceof Map) {
            throw new PicklingException("cannot pickle '" + o.callable() + "' object at protocol " + proto
                    + ": a class that defines __slots__ without defining __getstate__ cannot be pickled (its state "
                    + "is (dict, slots), at " + GraphPath.describe(root, o) + ")");
        }
        boolean list = !o.listItems().isEmpty();
        boolean dict = !o.dictItems().isEmpty();
        if (list == dict || !o.setItems().isEmpty()) {
            return PyTuple.of(o.callable(), G_OBJECT, null);
        }
        if (itemsInArgs.isEmpty()) {
            itemsInArgs = Collections.newSetFromMap(new IdentityHashMap<>());
        }
        itemsInArgs.add(o);
        if (list) {
            return PyTuple.of(o.callable(), G_LIST, new ArrayList<>(o.listItems()));
        }
        Map<Object, Object> items = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> e : o.dictItems()) {
            // Only a dict subclass has its items pickled below protocol 2, and a dict's keys are hashable:
            // an object whose __setitem__ took a list as key is of another class, which CPython's
            // copyreg._reduce_ex would pickle without its items.
            if (!Values.isHashable(e.getKey())) {
                throw new PicklingException("cannot pickle '" + o.callable() + "' object at protocol " + proto
                        + ": below protocol 2 only a dict subclass keeps its items, and this one has a key of "
                        + "unhashable type '" + Values.typeName(e.getKey()) + "' (at " + GraphPath.describe(root, o) + ")");
            }
            items.put(e.getKey(), e.getValue());
        }
        return PyTuple.of(o.callable(), G_DICT, items);
    }

    /** After REDUCE/NEWOBJ: memoize (or, if the arguments memoized the object, it was recursive), then items and state. */
    private void reduceEnd(Object obj) {
        if (obj == null) {
            return;
        }
        inProgress.remove(obj);
        int index = memo.get(obj);
        if (index >= 0) {
            writeByte(POP);
            memoGet(index);
            return;
        }
        memoPut(obj);
        if (obj instanceof PyObject o) {
            if (o.hasState() && o.stateSetter() != null) {
                // save_reduce's state_setter: setter(obj, state), REDUCE, POP; the tuple is not memoized.
                push(T_OP, null, POP);
                push(T_OP, null, REDUCE);
                push(T_OP, null, TUPLE1 + 1);
                push(T_SAVE, o.state(), 0);
                push(T_SAVE, o, 0);
                push(T_SAVE, o.stateSetter(), 0);
            } else if (o.hasState()) {
                push(T_OP, null, BUILD);
                push(T_STATE, o.state(), 0);
            }
            if (!o.setItems().isEmpty()) {
                Object[] items = o.setItems().toArray();
                for (int start = ((items.length - 1) / BATCH) * BATCH; start >= 0; start -= BATCH) {
                    push(T_OP, null, ADDITEMS);
                    pushSaves(items, start, Math.min(items.length, start + BATCH));
                    push(T_OP, null, MARK);
                }
            }
            if (itemsInArgs.contains(o)) {
                return;
            }
            if (!o.dictItems().isEmpty()) {
                List<Map.Entry<Object, Object>> entries = o.dictItems();
                Object[] pairs = new Object[2 * entries.size()];
                for (int i = 0; i < entries.size(); i++) {
                    pairs[2 * i] = entries.get(i).getKey();
                    pairs[2 * i + 1] = entries.get(i).getValue();
                }
                push(T_GENERIC_DICT, pairs, 0);
            }
            if (!o.listItems().isEmpty()) {
                push(T_GENERIC_LIST, o.listItems().toArray(), 0);
            }
        }
    }

    /** save_reduce for the reductions CPython's types give: callable(*args), memoized as obj. */
    private void saveReduce(PyGlobal callable, PyTuple args, Object obj) {
        enter(obj);
        push(T_REDUCE_END, obj, 0);
        push(T_OP, null, REDUCE);
        push(T_SAVE, args, 0);
        push(T_SAVE, callable, 0);
    }

    /** A UUID is written as CPython writes uuid.UUID: NEWOBJ (or copyreg._reconstructor) and {'int': n}. */
    private PyObject uuidObject(UUID u) {
        if (converted == null) {
            converted = new IdentityHashMap<>();
        }
        Object cached = converted.get(u);
        if (cached != null) {
            return (PyObject) cached;
        }
        BigInteger n = new BigInteger(1, ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits()).array());
        Map<Object, Object> state = new LinkedHashMap<>();
        state.put(UUID_INT, Numbers.smallest(n));
        PyObject object = proto >= 2 ? PyObject.newObj(G_UUID, PyTuple.EMPTY)
                : PyObject.reduce(G_RECONSTRUCTOR, PyTuple.of(G_UUID, G_OBJECT, null));
        object.setState(state);
        converted.put(u, object);
        return object;
    }

    // ---- memo ----

    private void memoPut(Object obj) {
        int index = memoSize++;
        if (obj == reserved) {
            reserved = null; // save() already stored it under this index
        } else if (obj instanceof PyGlobal g) {
            if (globalMemo.isEmpty()) {
                globalMemo = new HashMap<>();
            }
            globalMemo.put(g, index);
        } else {
            memo.put(obj, index);
        }
        if (proto >= 4) {
            writeByte(MEMOIZE);
        } else if (!bin) {
            writeAscii("p" + index + "\n");
        } else if (index < 256) {
            ensure(2);
            out[len++] = BINPUT;
            out[len++] = (byte) index;
        } else {
            ensure(5);
            out[len++] = LONG_BINPUT;
            writeIntLE(index);
        }
    }

    private void memoGet(int index) {
        if (!bin) {
            writeAscii("g" + index + "\n");
        } else if (index < 256) {
            ensure(2);
            out[len++] = BINGET;
            out[len++] = (byte) index;
        } else {
            ensure(5);
            out[len++] = LONG_BINGET;
            writeIntLE(index);
        }
    }

    // ---- output and framing ----

    /** Makes room for n more bytes in the current frame (starting one when framing needs it). */
    private void ensure(int n) {
        if (framing && frameStart < 0) {
            frameStart = len;
            grow(FRAME_HEADER + n);
            len += FRAME_HEADER;
            return;
        }
        if (len + n > out.length) {
            grow(n);
        }
    }

    private void grow(int n) {
        if (len + n > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, len + n));
        }
    }

    private void writeByte(int b) {
        ensure(1);
        out[len++] = (byte) b;
    }

    private void writeIntLE(int v) {
        out[len++] = (byte) v;
        out[len++] = (byte) (v >> 8);
        out[len++] = (byte) (v >> 16);
        out[len++] = (byte) (v >> 24);
    }

    private static void putIntLE(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >> 8);
        b[at + 2] = (byte) (v >> 16);
        b[at + 3] = (byte) (v >> 24);
    }

    private void writeRaw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, out, len, b.length);
        len += b.length;
    }

    private void writeAscii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            out[len++] = (byte) s.charAt(i);
        }
    }

    /** Header and payload; payloads of 64 KiB or more go outside any frame, as CPython writes them. */
    private void writeBytes(byte[] header, byte[] payload) {
        if (payload.length < FRAME_TARGET) {
            ensure(header.length + payload.length);
            System.arraycopy(header, 0, out, len, header.length);
            len += header.length;
            System.arraycopy(payload, 0, out, len, payload.length);
            len += payload.length;
            return;
        }
        commitFrame();
        boolean wasFraming = framing;
        framing = false;
        writeRaw(header);
        flush();
        try {
            sink.write(payload); // straight from the value's array: no copy through the buffer
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        framing = wasFraming;
    }

    /** CPython's _Pickler_OpcodeBoundary: close the frame at the start of an object once it holds 64 KiB. */
    private void opcodeBoundary() {
        if (framing && frameStart >= 0 && len - frameStart - FRAME_HEADER >= FRAME_TARGET) {
            commitFrame();
        }
    }

    private void commitFrame() {
        if (!framing || frameStart < 0) {
            return;
        }
        int frameLen = len - frameStart - FRAME_HEADER;
        if (frameLen >= FRAME_MIN) {
            out[frameStart] = FRAME;
            for (int i = 0; i < 8; i++) {
                out[frameStart + 1 + i] = (byte) ((long) frameLen >> (8 * i));
            }
        } else {
            System.arraycopy(out, frameStart + FRAME_HEADER, out, frameStart, frameLen);
            len -= FRAME_HEADER;
        }
        frameStart = -1;
        flush(); // as CPython does: a committed frame goes to the file, and the buffer is reused
    }

    private void flush() {
        if (len == 0) {
            return;
        }
        try {
            sink.write(out, 0, len);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        len = 0;
    }

    // ---- encodings ----

    /** UTF-8 with lone surrogates kept as three bytes each, as CPython's surrogatepass writes them. */
    static byte[] encodeUtf8(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                byte[] b = new byte[3 * n];
                return Arrays.copyOf(b, encodeUtf8(s, b, 0));
            }
        }
        return s.getBytes(StandardCharsets.UTF_8); // no lone surrogate: the JDK's encoder is the same
    }

    /** Encodes s at b[at...] (room for 3 bytes a char); returns the index after the last byte. */
    private static int encodeUtf8(String s, byte[] b, int at) {
        int n = s.length();
        int k = at;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[k++] = (byte) c;
            } else if (c < 0x800) {
                b[k++] = (byte) (0xc0 | (c >> 6));
                b[k++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[k++] = (byte) (0xf0 | (cp >> 18));
                b[k++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                b[k++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                b[k++] = (byte) (0x80 | (cp & 0x3f));
            } else {
                b[k++] = (byte) (0xe0 | (c >> 12));
                b[k++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                b[k++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        return k;
    }

    /** The UNICODE opcode's text: CPython's raw_unicode_escape, which also escapes \\, \\n, \\r, \\0 and \\x1a. */
    static byte[] rawUnicodeEscape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b.append("\\U").append(String.format("%08x", cp));
            } else if (c >= 256 || c == '\\' || c == 0 || c == '\n' || c == '\r' || c == 0x1a) {
                b.append("\\u").append(String.format("%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    // ---- datetime states ----

    private static byte[] dateTimeState(LocalDateTime t) {
        checkYear(t.getYear(), t);
        int micros = micros(t.getNano(), t);
        return new byte[] {(byte) (t.getYear() >> 8), (byte) t.getYear(), (byte) t.getMonthValue(),
            (byte) t.getDayOfMonth(), (byte) t.getHour(), (byte) t.getMinute(), (byte) t.getSecond(),
            (byte) (micros >> 16), (byte) (micros >> 8), (byte) micros};
    }

    private static byte[] dateState(LocalDate d) {
        checkYear(d.getYear(), d);
        return new byte[] {(byte) (d.getYear() >> 8), (byte) d.getYear(), (byte) d.getMonthValue(),
            (byte) d.getDayOfMonth()};
    }

    private static byte[] timeState(LocalTime t) {
        int micros = micros(t.getNano(), t);
        return new byte[] {(byte) t.getHour(), (byte) t.getMinute(), (byte) t.getSecond(), (byte) (micros >> 16),
            (byte) (micros >> 8), (byte) micros};
    }

    private static void checkYear(int year, Object value) {
        if (year < 1 || year > 9999) {
            throw new PicklingException(value + " is outside the years 1 to 9999 that Python's datetime holds");
        }
    }

    private static int micros(int nanos, Object value) {
        if (nanos % 1000 != 0) {
            throw new PicklingException(value + " has nanoseconds; Python's datetime types hold whole "
                    + "microseconds, so round or truncate it first");
        }
        return nanos / 1000;
    }

    private static long[] timedeltaFields(Duration d) {
        if (d.getNano() % 1000 != 0) {
            throw new PicklingException(d + " has nanoseconds; Python's timedelta holds whole microseconds, so "
                    + "round or truncate it first");
        }
        long[] f = DateTimes.timedeltaFields(d);
        if (Math.abs(f[0]) > DateTimes.MAX_DAYS) {
            throw new PicklingException(d + " is beyond the 999999999 days that Python's timedelta holds");
        }
        return f;
    }
}
