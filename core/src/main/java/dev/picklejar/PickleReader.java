package dev.picklejar;

import static dev.picklejar.Opcode.Codes.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The unpickling machine: a stack, a memo and a buffered input, driven by a switch on the opcode.
 * One instance reads one input (a byte array or a stream), pickle after pickle. It never recurses,
 * never executes anything and never looks up a Java class by a name from the stream.
 */
final class PickleReader {
    private static final int CHUNK = 64 * 1024;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** Payloads up to this size are read through the buffer; larger ones straight into their array. */
    private static final int DIRECT_READ = 1 << 20;
    // Fixed-width arguments read straight from the buffer, no allocation, no byte loop.
    private static final VarHandle INT_LITTLE_ENDIAN =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LITTLE_ENDIAN =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_BIG_ENDIAN =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /**
     * BININT1's values as shared Integers: Integer.valueOf shares only up to 127, and small ints are
     * the most common values in most data (CPython shares up to 256 for the same reason).
     */
    private static final Integer[] UINT1_VALUES = new Integer[256];

    static {
        for (int i = 0; i < 256; i++) {
            UINT1_VALUES[i] = i;
        }
    }

    /** Stands for a memoized None, since null marks an empty memo slot. */
    private static final Object MEMO_NONE = new Object();
    /**
     * The module of the placeholder global that a lenient reader loads for an EXT code missing from
     * the registry; the name is the code in decimal. Not a Python module name, so never a real global's.
     */
    static final String UNREGISTERED_EXTENSION = "<unregistered extension>";

    private final Unpickler options;
    private final Limits limits;

    // Input: buf[pos, limit) holds bytes not yet consumed; base is the offset of buf[0] in the input.
    private final InputStream in;
    private final boolean exactReads;
    private final boolean restoreStream;
    private byte[] buf;
    private int pos;
    private int limit;
    private long base;
    /** For arrays: where the input truly ends, when maxInputLength cut limit short. */
    private int arrayEnd;
    private long markAt = -1;

    // Machine state for the pickle being read.
    private Object[] stack;
    private int[] depths;
    private int sp;
    /** Values pushed by this pickle so far, against {@link Limits#maxItems()}. */
    private long items;
    private final long maxItems;
    private int[] marks = new int[16];
    private int markCount;
    private int fence;
    private final ReaderMemo memo = new ReaderMemo();
    private Map<Long, Object> sparseMemo;
    private Map<Long, Integer> sparseDepths;
    private int memoCount;
    private int lastPut;
    private int proto;
    private long pickleStart;
    private long opStart;
    /** The code byte of the opcode being run, -1 when none is (what errors name; see op()). */
    private int opCode = -1;
    private Iterator<?> buffers;
    /**
     * numpy reductions and uuid.UUID objects waiting for the BUILD that turns them into Java values,
     * with their memo slot (-1 before one is known).
     */
    private java.util.IdentityHashMap<PyObject, Integer> awaitingState;
    /**
     * How many more references to each object awaiting state the pickle made (DUP, GET, a second PUT):
     * BUILD must replace them all, as CPython's BUILD mutates the one object they all point to.
     */
    private java.util.IdentityHashMap<PyObject, int[]> copiesAwaitingState;
    /**
     * Where the open FRAME ends, when an observer watches for frames that lie about their length
     * (0: none open). CPython's pickle.loads reads straight through frames while pickle.load(file)
     * reads each frame into a buffer of its own, so an opcode that crosses a frame's end is read
     * differently by the two: the scanner reports it.
     */
    private long frameEnd;
    /**
     * Where the last counted payload began: CPython's pickler writes payloads of 64 KiB and more
     * outside frames, so a frame may end between an opcode's length field and its payload.
     */
    private long payloadStart = -1;

    private PickleReader(Unpickler options, InputStream in, byte[] data, int offset, int length,
                         boolean exactReads, boolean restoreStream) {
        this.options = options;
        this.limits = options.limits();
        this.maxItems = limits.maxItems();
        this.in = in;
        this.stack = new Object[Math.min(64, limits.maxStackSize())];
        this.depths = new int[stack.length];
        this.exactReads = exactReads;
        this.restoreStream = restoreStream;
        if (in == null) {
            this.buf = data;
            this.pos = offset;
            this.limit = offset + length;
            this.arrayEnd = limit;
            this.base = -offset;
        } else {
            this.buf = new byte[exactReads ? 256 : CHUNK];
        }
    }

    static PickleReader ofArray(Unpickler options, byte[] data, int offset, int length) {
        return new PickleReader(options, null, data, offset, length, false, false);
    }

    /** A reader that owns the stream: it buffers freely, keeping what follows a pickle for the next one. */
    static PickleReader ofStream(Unpickler options, InputStream in) {
        return new PickleReader(options, in, null, 0, 0, false, false);
    }

    /** A reader for one pickle that must leave the stream just after it (mark/reset, or exact reads). */
    static PickleReader ofSharedStream(Unpickler options, InputStream in) {
        boolean markable = in.markSupported();
        return new PickleReader(options, in, null, 0, 0, !markable, markable);
    }

    /** The offset in the input of the next unread byte. */
    long offset() {
        return base + pos;
    }

    /** Whether another pickle (at least one more byte) follows. */
    boolean hasMore() {
        pickleStart = base + pos;
        return pos < limit || fill(1);
    }

    /** Reads one pickle, up to and including its STOP. */
    Object load() {
        reset();
        pickleStart = base + pos;
        opStart = pickleStart;
        if (in == null) {
            // pos + maxInputLength, saturating: the default limit is Long.MAX_VALUE.
            long room = arrayEnd - pos;
            limit = room <= limits.maxInputLength() ? arrayEnd : (int) (pos + limits.maxInputLength());
        }
        if (!hasMore()) {
            throw new PickleException("Ran out of input: no pickle at all", pickleStart, null);
        }
        try {
            Object result = run();
            if (restoreStream) {
                giveBackUnread();
            }
            return result;
        } catch (PickleException e) {
            throw e;
        } catch (StackOverflowError e) {
            throw fail("value nested too deeply to handle", e);
        } catch (OutOfMemoryError e) {
            // The last resort, past every limit: the heap could not hold this pickle. What it built is
            // dropped first, so that the exception itself can be made.
            release();
            throw fail("out of memory: the heap (" + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MiB) cannot hold this pickle; give the JVM more (-Xmx) or lower the Limits");
        } catch (UncheckedIOException e) {
            throw fail("read failed: " + e.getCause().getMessage(), e);
        } catch (RuntimeException e) {
            throw fail(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        } finally {
            release();
        }
    }

    /**
     * Drops the machine's references once a pickle is read. Large stack and memo arrays live in the old
     * generation (G1 allocates it as a humongous object), and while it points at the loaded objects
     * every young collection must keep and promote them, long after the caller let them go.
     */
    private void release() {
        if (sp > 0) {
            Arrays.fill(stack, 0, sp, null);
            sp = 0;
        }
        if (memoCount > 0 && !options.sharedMemo()) {
            memo.clear();
            sparseMemo = null;
            sparseDepths = null;
            memoCount = 0;
        }
    }

    private void reset() {
        if (sp > 0) {
            Arrays.fill(stack, 0, sp, null);
        }
        sp = 0;
        items = 0;
        markCount = 0;
        fence = 0;
        release();
        proto = 0;
        opCode = -1;
        if (buffers == null || !options.sharedMemo()) {
            // One CPython Unpickler (sharedMemo) takes its buffers one after another across loads.
            buffers = options.buffers() == null ? null : options.buffers().iterator();
        }
        awaitingState = null;
        copiesAwaitingState = null;
    }

    private Object run() {
        while (true) {
            if (pos >= limit && !fill(1)) {
                throw truncated();
            }
            opStart = base + pos;
            if (frameEnd > 0 && opStart >= frameEnd) {
                frameEnded();
            }
            int code = buf[pos++] & 0xff;
            opCode = code;
            switch (code) {
                case MARK -> pushMark();
                case STOP -> {
                    return stop();
                }
                case POP -> loadPop();
                case POP_MARK -> sp = popMark();
                case DUP -> loadDup();
                case FRAME -> loadFrame();
                case PROTO -> loadProto();
                case NONE -> push(null);
                case NEWTRUE -> push(Boolean.TRUE);
                case NEWFALSE -> push(Boolean.FALSE);
                case INT -> loadIntText();
                case BININT -> push(readInt4());
                case BININT1 -> push(UINT1_VALUES[readUint1()]);
                case BININT2 -> push(readUint2());
                case LONG -> loadLongText();
                case LONG1 -> loadLong(readUint1());
                case LONG4 -> loadLong(readSignedLength());
                case FLOAT -> push(Protocol0Text.parseFloat(readLineAscii()));
                case BINFLOAT -> push(Double.longBitsToDouble(readLongBigEndian()));
                case STRING -> push(decodeLegacy(Protocol0Text.unquoteString(readLine())));
                case BINSTRING -> loadLegacyString(readSignedLength());
                case SHORT_BINSTRING -> loadLegacyString(readUint1());
                case UNICODE -> loadRawUnicode();
                case BINUNICODE -> loadUnicode(readLength4());
                case SHORT_BINUNICODE -> loadUnicode(readUint1());
                case BINUNICODE8 -> loadUnicode(readLength8());
                case BINBYTES -> push(readBytes(readLength4()));
                case SHORT_BINBYTES -> push(readBytes(readUint1()));
                case BINBYTES8 -> push(readBytes(readLength8()));
                case BYTEARRAY8 -> push(new PyByteArray(readBytes(readLength8())));
                case NEXT_BUFFER -> loadNextBuffer();
                case READONLY_BUFFER -> loadReadonlyBuffer();
                case EMPTY_TUPLE -> push(PyTuple.EMPTY);
                case TUPLE -> loadTuple(popMark());
                case TUPLE1 -> loadTuple(sp - 1);
                case TUPLE2 -> loadTuple(sp - 2);
                case TUPLE3 -> loadTuple(sp - 3);
                case EMPTY_LIST -> push(new PyList());
                case LIST -> loadList(popMark());
                case APPEND -> loadAppend();
                case APPENDS -> loadAppends(popMark());
                case EMPTY_DICT -> push(new LinkedHashMap<>());
                case DICT -> loadDict(popMark());
                case SETITEM -> loadSetItems(sp - 2);
                case SETITEMS -> loadSetItems(popMark());
                case EMPTY_SET -> push(new LinkedHashSet<>());
                case ADDITEMS -> loadAddItems(popMark());
                case FROZENSET -> loadFrozenSet(popMark());
                case GLOBAL -> loadGlobal();
                case STACK_GLOBAL -> loadStackGlobal();
                case EXT1 -> loadExtension(readUint1());
                case EXT2 -> loadExtension(readUint2());
                case EXT4 -> loadExtension(readInt4());
                case REDUCE -> loadReduce();
                case BUILD -> loadBuild();
                case NEWOBJ -> loadNewObj();
                case NEWOBJ_EX -> loadNewObjEx();
                case INST -> loadInst();
                case OBJ -> loadObj();
                case PERSID -> loadPersId(readLineAscii());
                case BINPERSID -> loadPersId(pop());
                case GET -> loadGet(parseIndex(readLineAscii()));
                case BINGET -> loadGet(readUint1());
                case LONG_BINGET -> loadGet(readUint4());
                case PUT -> memoPut(parseIndex(readLineAscii()));
                case BINPUT -> memoPut(readUint1());
                case LONG_BINPUT -> memoPut(readUint4());
                case MEMOIZE -> memoPut(memoCount);
                default -> {
                    opCode = -1;
                    throw new PickleException(String.format("invalid load key, '\\x%02x'", code), opStart, null);
                }
            }
        }
    }

    // ---- errors ----

    /** The opcode being run, or null. */
    private Opcode op() {
        return opCode < 0 ? null : Opcode.forCode(opCode);
    }

    private String opName() {
        return opCode < 0 ? null : op().name();
    }

    private PickleException fail(String message) {
        return new PickleException(message, opStart, opName());
    }

    private PickleException fail(String message, Throwable cause) {
        return new PickleException(message, opStart, opName(), cause);
    }

    private PickleException truncated() {
        if (in == null && limit < arrayEnd) {
            return fail("pickle is longer than the limit of " + limits.maxInputLength() + " bytes");
        }
        return fail("pickle data was truncated: input ends at byte " + (base + limit));
    }

    // ---- the stack ----

    private void push(Object value) {
        if (sp == stack.length) {
            growStack();
        }
        if (++items > maxItems) {
            throw tooManyItems();
        }
        stack[sp] = value;
        depths[sp++] = 0;
    }

    private void push(Object value, int depth) {
        if (sp == stack.length) {
            growStack();
        }
        if (depth > limits.maxDepth()) {
            throw fail("value nested deeper than the limit of " + limits.maxDepth());
        }
        if (++items > maxItems) {
            throw tooManyItems();
        }
        stack[sp] = value;
        depths[sp++] = depth;
    }

    private PickleException tooManyItems() {
        return fail("pickle holds more than the limit of " + maxItems + " values (Limits.maxItems; the default "
                + "is what the heap can hold, Runtime.maxMemory() / 32)");
    }

    private void growStack() {
        if (stack.length >= limits.maxStackSize()) {
            throw fail("stack holds more than the limit of " + limits.maxStackSize() + " items");
        }
        int size = (int) Math.min((long) stack.length * 2, Math.min(limits.maxStackSize(), MAX_ARRAY));
        Object[] old = stack;
        stack = Arrays.copyOf(stack, size);
        depths = Arrays.copyOf(depths, size);
        // A dropped large array may be a humongous object that G1's young collections keep on Java 17:
        // emptied, it no longer keeps the values it pointed at alive (see release()).
        Arrays.fill(old, null);
    }

    private Object pop() {
        if (sp <= fence) {
            throw underflow();
        }
        Object value = stack[--sp];
        stack[sp] = null;
        return value;
    }

    private Object top() {
        if (sp <= fence) {
            throw underflow();
        }
        return stack[sp - 1];
    }

    private PickleException underflow() {
        return fail(markCount > 0 && sp == fence ? "unpickling stack underflow: nothing above the MARK"
                : "unpickling stack underflow: the stack is empty");
    }

    private void pushMark() {
        if (markCount == marks.length) {
            if (marks.length >= limits.maxStackSize()) {
                throw fail("more MARKs than the limit of " + limits.maxStackSize());
            }
            marks = Arrays.copyOf(marks, marks.length * 2);
        }
        marks[markCount++] = sp;
        fence = sp;
    }

    /** Pops the topmost mark and returns the stack index of the first item above it. */
    private int popMark() {
        if (markCount == 0) {
            throw fail("could not find MARK");
        }
        int mark = marks[--markCount];
        fence = markCount > 0 ? marks[markCount - 1] : 0;
        return mark;
    }

    /** Drops stack[from, sp) after it was consumed. */
    private void dropFrom(int from) {
        Arrays.fill(stack, from, sp, null);
        sp = from;
    }

    private int maxDepth(int from, int to) {
        int d = 0;
        for (int i = from; i < to; i++) {
            d = Math.max(d, depths[i]);
        }
        return d;
    }

    /** Checks that the items a fixed-arity opcode takes are on the stack above the fence. */
    private void requireItems(int from) {
        if (from < fence) {
            throw underflow();
        }
    }

    private void deepen(int index, int childDepth) {
        int d = childDepth + 1;
        if (d > depths[index]) {
            if (d > limits.maxDepth()) {
                throw fail("value nested deeper than the limit of " + limits.maxDepth());
            }
            depths[index] = d;
        }
    }

    // ---- input ----

    /** Makes n bytes available at pos, reading from the stream if needed; false at end of input. */
    private boolean fill(int n) {
        if (limit - pos >= n) {
            return true;
        }
        if (in == null) {
            return false;
        }
        if (base + pos + n - pickleStart > limits.maxInputLength()) {
            throw fail("pickle is longer than the limit of " + limits.maxInputLength() + " bytes");
        }
        int available = limit - pos;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, available);
            base += pos;
            limit = available;
            pos = 0;
        }
        try {
            while (limit < n) {
                if (limit == buf.length) {
                    // Grow with the data actually read, never to a length field's claim alone.
                    buf = Arrays.copyOf(buf, (int) Math.min(MAX_ARRAY, (long) buf.length * 2));
                }
                int want = exactReads ? Math.min(n - limit, buf.length - limit) : buf.length - limit;
                if (restoreStream) {
                    in.mark(want);
                    markAt = base + limit;
                }
                int read = in.read(buf, limit, want);
                if (read < 0) {
                    return false;
                }
                limit += read;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return true;
    }

    private void require(int n) {
        if (limit - pos < n && !fill(n)) {
            throw truncated();
        }
    }

    /** Leaves a shared markable stream just after the pickle, giving back what was read ahead. */
    private void giveBackUnread() {
        if (pos == limit || markAt < 0) {
            return;
        }
        try {
            in.reset();
            in.skipNBytes(base + pos - markAt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        limit = pos;
    }

    private int readUint1() {
        require(1);
        return buf[pos++] & 0xff;
    }

    private int readUint2() {
        require(2);
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8;
        pos += 2;
        return v;
    }

    private int readInt4() {
        require(4);
        int v = (int) INT_LITTLE_ENDIAN.get(buf, pos);
        pos += 4;
        return v;
    }

    private long readUint4() {
        return readInt4() & 0xffffffffL;
    }

    private long readUint8() {
        require(8);
        long v = (long) LONG_LITTLE_ENDIAN.get(buf, pos);
        pos += 8;
        return v;
    }

    private long readLongBigEndian() {
        require(8);
        long v = (long) LONG_BIG_ENDIAN.get(buf, pos);
        pos += 8;
        return v;
    }

    /** A signed 4-byte length (BINSTRING, LONG4): negative is an error, as in CPython. */
    private int readSignedLength() {
        int n = readInt4();
        if (n < 0) {
            throw fail(op().name() + " pickle has negative byte count");
        }
        return checkLength(n);
    }

    private int readLength4() {
        return checkLength(readUint4());
    }

    private int readLength8() {
        long n = readUint8();
        if (n < 0) {
            throw fail("length " + Long.toUnsignedString(n) + " is beyond any input");
        }
        return checkLength(n);
    }

    /** Refuses a length field that exceeds the limit or, for arrays, the bytes that are left. */
    private int checkLength(long n) {
        if (n > limits.maxFieldLength()) {
            throw fail("length " + n + " exceeds the limit of " + limits.maxFieldLength() + " bytes");
        }
        if (in == null && n > limit - pos) {
            if (limit < arrayEnd) {
                throw fail("length " + n + " goes past the limit of " + limits.maxInputLength() + " bytes");
            }
            throw fail("pickle data was truncated: length " + n + " but only " + (limit - pos) + " bytes left");
        }
        return (int) n;
    }

    /** Makes a counted payload available in buf at pos when it is small enough to pass through the buffer. */
    private boolean inBuffer(int n) {
        if (limit - pos >= n) {
            return true;
        }
        if (n <= DIRECT_READ) {
            require(n);
            return true;
        }
        return false;
    }

    private byte[] readBytes(int n) {
        payloadStart = base + pos;
        if (inBuffer(n)) {
            byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return out;
        }
        // A large payload from a stream: copy what is buffered, then read the rest straight into the
        // result, growing it only as data arrives so that a lying length cannot allocate gigabytes.
        int have = limit - pos;
        byte[] out = new byte[Math.min(n, Math.max(have, DIRECT_READ))];
        System.arraycopy(buf, pos, out, 0, have);
        pos = limit;
        int filled = have;
        try {
            while (filled < n) {
                if (filled == out.length) {
                    out = Arrays.copyOf(out, (int) Math.min(n, (long) out.length * 2));
                }
                int read = in.read(out, filled, out.length - filled);
                if (read < 0) {
                    base += filled - have;
                    throw fail("pickle data was truncated: " + op().name() + " needs " + n + " bytes, input has "
                            + filled);
                }
                filled += read;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        base += n - have;
        markAt = -1;
        return out;
    }

    /** The bytes up to the next newline (consumed, newline excluded). */
    private byte[] readLine() {
        int start = pos;
        int scanned = 0;
        while (true) {
            for (int i = start + scanned; i < limit; i++) {
                if (buf[i] == '\n') {
                    byte[] line = Arrays.copyOfRange(buf, start, i);
                    pos = i + 1;
                    return line;
                }
            }
            scanned = limit - start;
            if (scanned > limits.maxFieldLength()) {
                throw fail("line longer than the limit of " + limits.maxFieldLength() + " bytes");
            }
            long before = base;
            if (!fill(scanned + 1)) {
                throw fail("pickle data was truncated: no newline after " + op().name());
            }
            start = pos;
            assert base >= before;
        }
    }

    private String readLineAscii() {
        byte[] line = readLine();
        for (byte b : line) {
            if (b < 0) {
                throw fail(op().name() + " argument must be ASCII");
            }
        }
        return new String(line, StandardCharsets.ISO_8859_1);
    }

    /** A GLOBAL line: strict UTF-8, as CPython decodes it (a lone surrogate is refused). */
    private String readLineUtf8() {
        byte[] line = readLine();
        try {
            return Utf8.decodeStrict(line, 0, line.length);
        } catch (Utf8.MalformedException e) {
            throw fail("'utf-8' codec can't decode " + op().name() + " argument: " + e.getMessage());
        }
    }

    private long parseIndex(String text) {
        try {
            Object value = Protocol0Text.parseInt(text);
            if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0) {
                throw fail("memo index out of range: " + text.strip());
            }
            return ((Number) value).longValue();
        } catch (NumberFormatException e) {
            throw fail(e.getMessage());
        }
    }

    // ---- opcodes ----

    private Object stop() {
        if (frameEnd > 0 && base + pos != frameEnd) {
            frameViolation("STOP ends the pickle " + (frameEnd - base - pos) + " bytes before the end of its frame");
        }
        if (base + pos - pickleStart > limits.maxInputLength()) {
            throw fail("pickle is longer than the limit of " + limits.maxInputLength() + " bytes");
        }
        if (options.lenient() && sp > fence) {
            // CPython's STOP pops the top and ignores what lies below it; reset() clears the rest.
            Object result = stack[sp - 1];
            stack[--sp] = null;
            return result;
        }
        if (markCount > 0) {
            throw fail("STOP with an unclosed MARK on the stack");
        }
        if (sp == 0) {
            throw fail("STOP with an empty stack");
        }
        if (sp > 1) {
            throw fail("STOP with " + sp + " items on the stack; a pickle leaves exactly one");
        }
        Object result = stack[0];
        stack[0] = null;
        sp = 0;
        return result;
    }

    private void loadPop() {
        if (markCount > 0 && marks[markCount - 1] == sp) {
            popMark();
        } else {
            recordStateSetter(pop());
        }
    }

    /**
     * CPython writes a reduce value's state_setter as {@code setter(obj, state)} REDUCE POP. The
     * popped call is the only record of that state, so it is kept on the object for writing back.
     */
    private static void recordStateSetter(Object popped) {
        if (popped instanceof PyObject call && call.construction() == PyObject.Construction.REDUCE
                && call.args().size() == 2 && call.args().get(0) instanceof PyObject target && !target.hasState()) {
            target.setState(call.args().get(1), call.callable());
        }
    }

    private void loadDup() {
        Object value = top();
        countCopy(value);
        push(value, depths[sp - 1]);
    }

    private void frameEnded() {
        if (opStart > frameEnd && payloadStart != frameEnd) {
            frameViolation("the opcode before offset " + opStart + " reads " + (opStart - frameEnd)
                    + " bytes past the end of its frame at " + frameEnd);
        }
        frameEnd = 0;
    }

    private void frameViolation(String what) {
        frameEnd = 0;
        options.observer().frameViolation(opStart, what);
    }

    private void loadFrame() {
        if (frameEnd > 0) {
            frameViolation("a FRAME starts " + (frameEnd - opStart) + " bytes before the end of the frame it is in");
        }
        long n = readUint8();
        if (options.observer() != null) {
            frameEnd = base + pos + n;
        }
        if (n < 0 || n > limits.maxFieldLength()) {
            throw fail("frame length " + Long.toUnsignedString(n) + " exceeds the limit of "
                    + limits.maxFieldLength() + " bytes");
        }
        if (in == null) {
            if (n > limit - pos) {
                throw fail("pickle data was truncated: frame of " + n + " bytes but only " + (limit - pos)
                        + " bytes left");
            }
        } else if (n <= DIRECT_READ) {
            // The frame is read whole, so the opcodes inside never wait on the stream.
            require((int) n);
        }
    }

    private void loadProto() {
        int version = readUint1();
        if (version > Pickle.HIGHEST_PROTOCOL) {
            throw fail("unsupported pickle protocol: " + version);
        }
        proto = version;
    }

    private void loadIntText() {
        String text = readLineAscii();
        if (text.equals("00")) {
            push(Boolean.FALSE);
        } else if (text.equals("01")) {
            push(Boolean.TRUE);
        } else {
            push(parseInt(text));
        }
    }

    private void loadLongText() {
        String text = readLineAscii();
        if (text.endsWith("L")) {
            text = text.substring(0, text.length() - 1);
        }
        push(parseInt(text));
    }

    private Object parseInt(String text) {
        if (text.length() > limits.maxFieldLength()) {
            throw fail("integer text longer than the limit");
        }
        try {
            return Protocol0Text.parseInt(text);
        } catch (NumberFormatException e) {
            throw fail(e.getMessage());
        }
    }

    private void loadLong(int n) {
        if (inBuffer(n)) {
            push(Numbers.fromLittleEndian(buf, pos, n));
            pos += n;
        } else {
            byte[] b = readBytes(n);
            push(Numbers.fromLittleEndian(b, 0, n));
        }
    }

    private void loadUnicode(int n) {
        payloadStart = base + pos;
        try {
            if (inBuffer(n)) {
                String s = Utf8.decode(buf, pos, n);
                pos += n;
                push(s);
            } else {
                byte[] b = readBytes(n);
                push(Utf8.decode(b, 0, n));
            }
        } catch (Utf8.MalformedException e) {
            throw fail("'utf-8' codec can't decode byte at position " + e.position + ": " + e.getMessage());
        }
    }

    private void loadRawUnicode() {
        byte[] line = readLine();
        push(Protocol0Text.rawUnicodeEscape(line, 0, line.length));
    }

    private void loadLegacyString(int n) {
        push(decodeLegacy(readBytes(n)));
    }

    /** Python 2 str: decoded per the {@code encoding} option, or kept as bytes. */
    private Object decodeLegacy(byte[] bytes) {
        Charset charset = options.charset();
        if (charset == null) {
            return bytes;
        }
        if (charset == StandardCharsets.ISO_8859_1) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw fail("'" + options.encoding() + "' codec can't decode the Python 2 string (" + e.getMessage()
                    + "); load with encoding latin1 or bytes");
        }
    }

    private void loadNextBuffer() {
        if (options.lenient() && (buffers == null || !buffers.hasNext())) {
            push(new byte[0]);
            return;
        }
        if (buffers == null) {
            throw fail("pickle stream refers to out-of-band data but no buffers were given");
        }
        if (!buffers.hasNext()) {
            throw fail("not enough out-of-band buffers");
        }
        push(buffers.next());
    }

    private void loadReadonlyBuffer() {
        Object value = top();
        if (value instanceof ByteBuffer b && !b.isReadOnly()) {
            stack[sp - 1] = b.asReadOnlyBuffer();
        } else if (value instanceof PickleBuffer b && !b.isReadOnly()) {
            stack[sp - 1] = new PickleBuffer(b.buffer().asReadOnlyBuffer());
        } else if (value instanceof PyByteArray b) {
            stack[sp - 1] = b.bytes().clone();
        }
    }

    private void loadTuple(int from) {
        requireItems(from);
        int depth = maxDepth(from, sp) + 1;
        PyTuple tuple = PyTuple.wrap(Arrays.copyOfRange(stack, from, sp));
        dropFrom(from);
        push(tuple, depth);
    }

    private void loadList(int from) {
        int n = sp - from;
        PyList list = new PyList();
        for (int i = from; i < sp; i++) {
            list.add(stack[i]);
        }
        int depth = n == 0 ? 0 : maxDepth(from, sp) + 1;
        dropFrom(from);
        push(list, depth);
    }

    private void loadAppend() {
        requireItems(sp - 2);
        appendTo(sp - 2, sp - 1);
    }

    private void loadAppends(int from) {
        requireItems(from - 1);
        appendTo(from - 1, from);
    }

    /** Appends stack[from, sp) to the list or object at stack[target]. */
    @SuppressWarnings("unchecked")
    private void appendTo(int target, int from) {
        Object container = stack[target];
        if (from == sp) {
            return;
        }
        if (container instanceof List<?> && !(container instanceof PyTuple)) {
            List<Object> list = (List<Object>) container;
            for (int i = from; i < sp; i++) {
                list.add(stack[i]);
            }
        } else if (container instanceof PyObject object) {
            for (int i = from; i < sp; i++) {
                object.appendItem(stack[i]);
            }
        } else {
            throw fail("'" + Values.typeName(container) + "' object has no attribute 'append'");
        }
        deepen(target, maxDepth(from, sp));
        dropFrom(from);
    }

    private void loadDict(int from) {
        int n = sp - from;
        if ((n & 1) != 0) {
            throw fail("odd number of items for DICT");
        }
        Map<Object, Object> dict = new LinkedHashMap<>(Math.max(16, (int) (n / 2 / 0.75f) + 1));
        for (int i = from; i < sp; i += 2) {
            dict.put(key(stack[i]), stack[i + 1]);
        }
        int depth = n == 0 ? 0 : maxDepth(from, sp) + 1;
        dropFrom(from);
        push(dict, depth);
    }

    /** SETITEM and SETITEMS: stores the pairs stack[from, sp) in the dict or object below them. */
    @SuppressWarnings("unchecked")
    private void loadSetItems(int from) {
        int target = from - 1;
        requireItems(target);
        if (((sp - from) & 1) != 0) {
            throw fail("odd number of items for " + op().name());
        }
        if (from == sp) {
            return;
        }
        Object container = stack[target];
        if (container instanceof Map<?, ?>) {
            Map<Object, Object> dict = (Map<Object, Object>) container;
            for (int i = from; i < sp; i += 2) {
                dict.put(key(stack[i]), stack[i + 1]);
            }
        } else if (container instanceof PyObject object) {
            for (int i = from; i < sp; i += 2) {
                object.putItem(stack[i], stack[i + 1]);
            }
        } else {
            throw fail("'" + Values.typeName(container) + "' object does not support item assignment");
        }
        deepen(target, maxDepth(from, sp));
        dropFrom(from);
    }

    private Object key(Object key) {
        if (key instanceof String || key instanceof Integer || Values.isHashable(key)) {
            return key;
        }
        throw fail("unhashable type: '" + Values.typeName(key) + "'");
    }

    @SuppressWarnings("unchecked")
    private void loadAddItems(int from) {
        int target = from - 1;
        requireItems(target);
        Object container = stack[target];
        if (container instanceof Set<?> && !(container instanceof PyFrozenSet)) {
            Set<Object> set = (Set<Object>) container;
            for (int i = from; i < sp; i++) {
                set.add(key(stack[i]));
            }
        } else if (container instanceof PyObject object) {
            for (int i = from; i < sp; i++) {
                object.addItem(stack[i]);
            }
        } else {
            throw fail("'" + Values.typeName(container) + "' object has no attribute 'add'");
        }
        if (from < sp) {
            deepen(target, maxDepth(from, sp));
        }
        dropFrom(from);
    }

    private void loadFrozenSet(int from) {
        Set<Object> set = new LinkedHashSet<>(Math.max(16, (int) ((sp - from) / 0.75f) + 1));
        for (int i = from; i < sp; i++) {
            set.add(key(stack[i]));
        }
        int depth = maxDepth(from, sp) + 1;
        dropFrom(from);
        // Never the shared EMPTY: two empty frozensets of a pickle are two objects, and stay two when written back.
        push(PyFrozenSet.wrap(set), depth);
    }

    private void loadGlobal() {
        String module = readLineUtf8();
        String name = readLineUtf8();
        push(findClass(module, name));
    }

    private void loadStackGlobal() {
        Object name = pop();
        Object module = pop();
        if (!(module instanceof String m) || !(name instanceof String n)) {
            PyGlobal computed = options.observer() == null ? null
                    : options.observer().computedGlobal(opStart, module, name);
            if (computed == null) {
                throw fail("STACK_GLOBAL requires str");
            }
            push(computed);
            return;
        }
        push(findClass(m, n));
    }

    private PyGlobal findClass(String module, String name) {
        PyGlobal global = proto < 3 && options.fixImports() ? PythonNames.toPython3(module, name)
                : new PyGlobal(module, name);
        if (options.observer() != null) {
            options.observer().global(opStart, op(), global);
        }
        if (options.strict() && !StandardTypes.KNOWN.contains(global)) {
            throw fail("global '" + global + "' is refused in strict mode");
        }
        return global;
    }

    private void loadExtension(int code) {
        PyGlobal global = options.extensions().get(code);
        if (global == null && options.lenient()) {
            global = new PyGlobal(UNREGISTERED_EXTENSION, Integer.toString(code));
        }
        if (global == null) {
            throw fail("unregistered extension code " + code);
        }
        push(findClass(global.module(), global.name()));
    }

    private void loadReduce() {
        requireItems(sp - 2);
        int depth = Math.max(depths[sp - 1], depths[sp - 2]) + 1;
        Object args = pop();
        Object callable = pop();
        observeCall(callable, args);
        if (!(args instanceof PyTuple tuple)) {
            throw fail("argument list must be a tuple, not " + Values.typeName(args));
        }
        Object value = callable instanceof PyGlobal g ? StandardTypes.reduce(g, tuple)
                : StandardLibrary.isZoneInfoUnpickle(callable) ? StandardLibrary.zoneInfo(tuple) : null;
        if (value == null && callable instanceof PyGlobal g && ArrayTypes.isCandidate(g)) {
            PyObject call = PyObject.reduce(callable, tuple);
            value = ArrayTypes.reduce(call);
            if (value == null && ArrayTypes.awaitsState(g)) {
                awaitingState(call);
            }
            push(value != null ? value : call, value != null ? 0 : depth);
            return;
        }
        if (value == null) {
            PyObject object = PyObject.reduce(callable, tuple);
            if (StandardTypes.isUuidClass(object)) {
                awaitingState(object); // copyreg._reconstructor(uuid.UUID, object, None), below protocol 2
            }
            value = object;
        }
        push(value, depth);
    }

    /** numpy's dtype and array reductions and UUIDs become Java values at BUILD; their memo slot is noted to replace them there. */
    private void awaitingState(PyObject call) {
        if (awaitingState == null) {
            awaitingState = new java.util.IdentityHashMap<>();
        }
        awaitingState.put(call, -1);
    }

    private void loadBuild() {
        requireItems(sp - 2);
        int depth = depths[sp - 1];
        Object state = pop();
        Object target = stack[sp - 1];
        observeCall(target, state);
        if (!(target instanceof PyObject object)) {
            if (options.lenient()) {
                // CPython sets attributes of a class or function this way; the scanner has seen the call.
                return;
            }
            throw fail("'" + Values.typeName(target) + "' object has no state that BUILD could set");
        }
        UUID uuid = StandardTypes.uuid(object, state);
        if (uuid != null) {
            replaceEverywhere(object, uuid);
            return;
        }
        object.setState(state);
        if (awaitingState != null && awaitingState.containsKey(object)) {
            Object value = ArrayTypes.built(object);
            if (value != null) {
                replaceEverywhere(object, value);
                return;
            }
        }
        deepen(sp - 1, depth);
        if (options.observer() != null) {
            if (frameEnd > 0 && base + pos == frameEnd) {
                frameEnd = 0; // joblib commits the frame before the raw bytes that follow
            }
            try {
                options.observer().afterBuild(object, new FollowingInput());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * The input after the opcode being run, for an observer that reads what a format keeps there
     * (joblib's raw array bytes after a BUILD); what it reads is consumed, as the loader's own
     * reads are.
     */
    private final class FollowingInput extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos < limit) {
                int n = Math.min(len, limit - pos);
                System.arraycopy(buf, pos, b, off, n);
                pos += n;
                return n;
            }
            if (in == null) {
                return -1;
            }
            int n = in.read(b, off, len);
            if (n > 0) {
                base += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long done = Math.min(Math.max(n, 0), limit - pos);
            pos += (int) done;
            if (done < n && in != null) {
                long skipped = in.skip(n - done);
                base += skipped;
                done += skipped;
            }
            return done;
        }
    }

    private void observeCall(Object callable, Object args) {
        if (options.observer() != null) {
            options.observer().call(opStart, op(), callable, args);
        }
    }

    /**
     * After BUILD turned the object on top of the stack into a Java value, every reference the pickle
     * made to it must hold that value too (CPython's BUILD mutates the one object): its memo slot, and
     * the copies DUP, GET or another PUT made, looked for among the last 16 stack items and memo entries.
     * A copy that went further (into a container, deeper in the stack) is refused, never left behind
     * as the unbuilt object: CPython writes no reference to these objects before their BUILD.
     */
    private void replaceEverywhere(PyObject old, Object replacement) {
        stack[sp - 1] = replacement;
        depths[sp - 1] = 0;
        Integer slot = awaitingState == null ? null : awaitingState.remove(old);
        if (slot != null && slot >= 0 && memo.get(slot) == old) {
            memo.put(slot, replacement, 0);
        }
        int[] copies = copiesAwaitingState == null ? null : copiesAwaitingState.remove(old);
        int missing = copies == null ? 0 : copies[0];
        for (int i = sp - 2, seen = 0; i >= 0 && seen < 16 && missing > 0; i--, seen++) {
            if (stack[i] == old) {
                stack[i] = replacement;
                depths[i] = 0;
                missing--;
            }
        }
        for (int i = lastPut, seen = 0; i >= 0 && seen < 16 && missing > 0; i--, seen++) {
            if (memo.get(i) == old) {
                memo.put(i, replacement, 0);
                missing--;
            }
        }
        if (sparseMemo != null && missing > 0) {
            for (Map.Entry<Long, Object> e : sparseMemo.entrySet()) {
                if (e.getValue() == old) {
                    e.setValue(replacement);
                    missing--;
                }
            }
        }
        if (missing > 0 && !options.lenient()) {
            throw fail("BUILD makes a " + old.callable() + " a Java value, but the pickle copied it (DUP, GET or a"
                    + " second PUT) to where picklejar cannot replace the copy before setting its state");
        }
    }

    private void loadNewObj() {
        requireItems(sp - 2);
        int depth = Math.max(depths[sp - 1], depths[sp - 2]) + 1;
        Object args = pop();
        Object cls = pop();
        observeCall(cls, args);
        if (!(args instanceof PyTuple tuple)) {
            throw fail("NEWOBJ expected an arg tuple, got " + Values.typeName(args));
        }
        PyObject object = PyObject.newObj(cls, tuple);
        if (StandardTypes.isUuidClass(object)) {
            awaitingState(object);
        }
        push(object, depth);
    }

    private void loadNewObjEx() {
        requireItems(sp - 3);
        int depth = maxDepth(sp - 3, sp) + 1;
        Object kwargs = pop();
        Object args = pop();
        Object cls = pop();
        observeCall(cls, args);
        if (!(args instanceof PyTuple tuple)) {
            throw fail("NEWOBJ_EX args argument must be a tuple, not " + Values.typeName(args));
        }
        if (!(kwargs instanceof Map<?, ?>)) {
            throw fail("NEWOBJ_EX kwargs argument must be a dict, not " + Values.typeName(kwargs));
        }
        push(PyObject.newObjEx(cls, tuple, kwargs), depth);
    }

    private void loadInst() {
        String module = readLineAscii();
        String name = readLineAscii();
        PyGlobal cls = findClass(module, name);
        int from = popMark();
        int depth = maxDepth(from, sp) + 1;
        PyTuple args = PyTuple.wrap(Arrays.copyOfRange(stack, from, sp));
        dropFrom(from);
        observeCall(cls, args);
        push(PyObject.instance(cls, args, PyObject.Construction.INST), depth);
    }

    private void loadObj() {
        int from = popMark();
        if (from == sp) {
            throw fail("OBJ needs a class after the MARK");
        }
        int depth = maxDepth(from, sp) + 1;
        Object cls = stack[from];
        PyTuple args = PyTuple.wrap(Arrays.copyOfRange(stack, from + 1, sp));
        dropFrom(from);
        observeCall(cls, args);
        push(PyObject.instance(cls, args, PyObject.Construction.OBJ), depth);
    }

    private void loadPersId(Object pid) {
        if (options.persistentLoad() == null) {
            throw fail("A load persistent id instruction was encountered, but no persistentLoad function was given");
        }
        push(options.persistentLoad().apply(pid));
    }

    // ---- the memo ----

    private void loadGet(long index) {
        Object value = memo.get(index);
        int depth;
        if (value != null) {
            depth = memo.depth(index);
        } else {
            value = sparseMemo == null ? null : sparseMemo.get(index);
            if (value == null) {
                throw fail("Memo value not found at index " + index);
            }
            depth = sparseDepths.get(index);
        }
        countCopy(value);
        push(value == MEMO_NONE ? null : value, depth);
    }

    /** A new reference to an object that BUILD may turn into a Java value (see copiesAwaitingState). */
    private void countCopy(Object value) {
        if (awaitingState != null && value instanceof PyObject o && awaitingState.containsKey(o)) {
            if (copiesAwaitingState == null) {
                copiesAwaitingState = new java.util.IdentityHashMap<>();
            }
            copiesAwaitingState.computeIfAbsent(o, k -> new int[1])[0]++;
        }
    }

    private void memoPut(long index) {
        Object value = top();
        if (value == null) {
            value = MEMO_NONE;
        }
        int depth = depths[sp - 1];
        lastPut = (int) Math.min(index, Integer.MAX_VALUE);
        if (awaitingState != null && value instanceof PyObject o && awaitingState.containsKey(o)) {
            if (awaitingState.get(o) >= 0) {
                countCopy(o); // a second slot
            } else {
                awaitingState.put(o, lastPut);
            }
        }
        if (memo.dense(index)) {
            if (memo.put(index, value, depth)) {
                countMemoEntry();
            }
        } else {
            // A far index (hostile or hand-made): keep it out of the array so it costs one entry.
            if (sparseMemo == null) {
                sparseMemo = new HashMap<>();
                sparseDepths = new HashMap<>();
            }
            if (sparseMemo.put(index, value) == null) {
                countMemoEntry();
            }
            sparseDepths.put(index, depth);
        }
    }

    private void countMemoEntry() {
        if (++memoCount > limits.maxMemoSize()) {
            throw fail("memo holds more than the limit of " + limits.maxMemoSize() + " entries");
        }
    }
}
