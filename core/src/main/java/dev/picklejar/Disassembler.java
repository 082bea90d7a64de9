package dev.picklejar;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Python's {@code pickletools.dis}: a symbolic listing of a pickle, one line per opcode, character
 * for character what CPython 3.11 prints with the default {@code memo=None, indentlevel=4,
 * annotate=0}, and the same checks, failing where pickletools raises after printing what it prints.
 *
 * <pre>{@code
 * Disassembler.dis(new ByteArrayInputStream(pickle), System.out);
 *     0: \x80 PROTO      4
 *     2: K    BININT1    7
 *     4: .    STOP
 * highest protocol among opcodes = 2
 * }</pre>
 *
 * <p>{@link #disAll} lists every pickle of a stream one after another, as a loop of
 * {@code pickletools.dis(f)} over an open file does, offsets counting from the start of the stream;
 * {@link #open} lists them one at a time, and can go on to further inputs. {@link Options} are
 * pickletools' other arguments: {@code indentlevel}, {@code annotate} and a {@code memo} kept from
 * one pickle to the next. The input is read in chunks and only one argument is held at a time,
 * however many pickles follow; nothing recurses, and a malformed or truncated pickle ends in a
 * {@link DisassemblyException}. Opcode facts (code, argument, stack effect, protocol, the
 * annotation) all come from the {@link Opcode} table.
 */
public final class Disassembler {
    /** CPython's default {@code sys.get_int_max_str_digits()}: longer ints can be neither parsed nor printed. */
    private static final int MAX_INT_DIGITS = 4300;
    private static final BigInteger TEN_POW_MAX_DIGITS = BigInteger.TEN.pow(MAX_INT_DIGITS);
    private static final int CHUNK = 1 << 16;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final byte MARK = (byte) StackItem.MARK.ordinal();
    private static final StackItem[] ITEMS = StackItem.values();
    /** The arguments whose length field is a signed int4 (pickletools' string4 and long4); others are unsigned. */
    private static final Set<ArgType> SIGNED_LENGTH = EnumSet.of(ArgType.STRING4, ArgType.LONG4);
    private static final Pattern FLOAT_SPECIAL = Pattern.compile("[+-]?(?i:inf|infinity|nan)");
    private static final Step[] STEPS = new Step[256];

    static {
        for (Opcode op : Opcode.values()) {
            STEPS[op.code()] = new Step(op);
        }
    }

    /** What disassembling one opcode takes, derived once from its entry in the {@link Opcode} table. */
    private static final class Step {
        final Opcode op;
        /** {@code "%-4s " % repr(code)[1:-1]}: the code column. */
        final String head;
        /** The name, and the blanks pickletools puts after it when an argument or remark follows. */
        final String name;
        final String pad;
        final int pops;
        /** Where the MARK sits among the items taken, or -1 when the opcode takes no slice. */
        final int markIndex;
        final byte[] pushes;
        final boolean pushesMark;
        final String argName;

        Step(Opcode op) {
            this.op = op;
            StringBuilder code = new StringBuilder();
            appendStrChar(code, op.code(), op.code() == '\'' ? '"' : '\'');
            while (code.length() < 4) {
                code.append(' ');
            }
            this.head = code.append(' ').toString();
            this.name = op.name();
            this.pad = " ".repeat(Math.max(0, 10 - name.length()));
            List<StackItem> before = op.stackBefore();
            this.pops = before.size();
            this.markIndex = before.indexOf(StackItem.MARK);
            this.pushes = new byte[op.stackAfter().size()];
            for (int i = 0; i < pushes.length; i++) {
                pushes[i] = (byte) op.stackAfter().get(i).ordinal();
            }
            this.pushesMark = op.stackAfter().contains(StackItem.MARK);
            this.argName = op.arg().name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A pickle that pickletools.dis refuses: {@link #pythonType()} and {@link #pythonMessage()} are
     * the exception it raises, word for word, and {@link #getMessage()} adds where it happened.
     */
    public static final class DisassemblyException extends PickleException {
        private static final long serialVersionUID = 1L;
        /** The type of the exception pickletools raises: {@code ValueError}... */
        private final String pythonType;
        /** The message of the exception pickletools raises. */
        private final String pythonMessage;

        DisassemblyException(String pythonType, String pythonMessage, String message, long offset, String opcode) {
            super(message, offset, opcode);
            this.pythonType = pythonType;
            this.pythonMessage = pythonMessage;
        }

        /**
         * The class of the exception pickletools raises.
         *
         * @return ValueError, UnicodeDecodeError or IndexError
         */
        public String pythonType() {
            return pythonType;
        }

        /**
         * The message of that exception.
         *
         * @return the message exactly as CPython words it
         */
        public String pythonMessage() {
            return pythonMessage;
        }
    }

    /**
     * pickletools.dis's optional arguments, as an immutable value: {@code Options.defaults()} is
     * {@code indentlevel=4, annotate=0, memo=None}.
     */
    public static final class Options {
        private static final Options DEFAULTS = new Options(4, 0, false);
        private final int indentLevel;
        private final int annotate;
        private final boolean keepMemo;

        private Options(int indentLevel, int annotate, boolean keepMemo) {
            this.indentLevel = indentLevel;
            this.annotate = annotate;
            this.keepMemo = keepMemo;
        }

        /**
         * pickletools' defaults.
         *
         * @return indent level 4, no annotations, a fresh memo for each pickle
         */
        public static Options defaults() {
            return DEFAULTS;
        }

        /**
         * The blanks by which each MARK level indents ({@code indentlevel}).
         *
         * @param blanks how many blanks; 0 or less: none
         * @return these options with that indent level
         */
        public Options withIndentLevel(int blanks) {
            return new Options(blanks, annotate, keepMemo);
        }

        /**
         * Annotates each line with the first line of its opcode's description, aligned from this
         * column ({@code annotate}).
         *
         * @param column where annotations start ({@code python -m pickletools -a} uses 30); 0: no annotations
         * @return these options with that annotation column
         */
        public Options withAnnotate(int column) {
            return new Options(indentLevel, column, keepMemo);
        }

        /**
         * Keeps the memo from one pickle to the next (pickletools' {@code memo} argument, given the
         * same dict each time; {@code python -m pickletools -m}), so a later pickle may GET what an
         * earlier one PUT.
         *
         * @param keep whether to keep the memo
         * @return these options with the memo kept or not
         */
        public Options withKeptMemo(boolean keep) {
            return new Options(indentLevel, annotate, keep);
        }

        /**
         * The indent of each MARK level.
         *
         * @return the blanks by which each MARK level indents
         */
        public int indentLevel() {
            return indentLevel;
        }

        /**
         * The annotation column.
         *
         * @return where annotations start, or 0 for none
         */
        public int annotate() {
            return annotate;
        }

        /**
         * Whether the memo is kept from one pickle to the next.
         *
         * @return true when it is kept
         */
        public boolean keptMemo() {
            return keepMemo;
        }
    }

    private final Options options;
    private final String indentChunk;

    // Input: buf[pos, lim) holds bytes not yet consumed; base is the stream offset of buf[0].
    private InputStream in;
    private final byte[] buf = new byte[CHUNK];
    private int pos;
    private int lim;
    private long base;
    private boolean eof;
    private byte[] lineBuf = new byte[256];

    // The argument just read, when it is a run of bytes: data[off, off + len).
    private byte[] data;
    private int off;
    private int len;

    private Sink sink;
    /** The annotation column of the next line, as pickletools' {@code annocol} moves. */
    private int annocol;

    // The emulated machine of one pickle, as pickletools keeps it: kinds of stack items, MARK offsets, memo.
    private byte[] stack = new byte[64];
    private int sp;
    private long[] marks = new long[16];
    private int markCount;
    /** Memo entries with small keys: the item kind plus one, 0 for none. */
    private byte[] memoDense = new byte[256];
    private int memoDenseUsed;
    private Map<Object, Byte> memoSparse;
    private int memoSize;

    private Disassembler(InputStream in, Appendable out, Options options) {
        this.in = in;
        this.sink = out == null ? null : new Sink(out);
        this.options = options;
        this.indentChunk = " ".repeat(Math.max(0, options.indentLevel));
    }

    /**
     * Lists the pickles of {@code in} one at a time with {@link #next}: the loop
     * {@code while f.peek(1): pickletools.dis(f, out, memo, indentlevel, annotate)}, with offsets
     * counting from where {@code in} stands now.
     *
     * @param in the input, read in chunks (and so possibly past the last STOP listed)
     * @param options pickletools' optional arguments
     * @return a disassembler over {@code in}
     */
    public static Disassembler open(InputStream in, Options options) {
        return new Disassembler(in, null, options);
    }

    /**
     * Whether another pickle follows.
     *
     * @return true when there is at least one more byte of input
     * @throws IOException when reading the input fails
     */
    public boolean hasNext() throws IOException {
        return fill();
    }

    /**
     * Prints what {@code pickletools.dis} prints for the next pickle, through its STOP opcode.
     *
     * @param out where the listing goes
     * @throws DisassemblyException where pickletools raises, after printing the same text to {@code out}
     * @throws PickleException when an argument is too large to hold in memory
     * @throws IOException when reading the input or writing {@code out} fails
     */
    public void next(Appendable out) throws IOException {
        sink = new Sink(out);
        try {
            disassemble();
        } catch (OutOfMemoryError e) {
            throw outOfMemory(e);
        } finally {
            sink.flush();
        }
    }

    /**
     * Where the listing stands in the input.
     *
     * @return the offset of the next unread byte: just after the STOP of the pickle last listed
     */
    public long offset() {
        return position();
    }

    /**
     * Goes on with another input, whose offsets count from 0 again; a {@linkplain
     * Options#withKeptMemo kept memo} carries over, as {@code python -m pickletools -m} keeps it from
     * one file to the next. The previous input is not closed.
     *
     * @param next the next input
     */
    public void nextInput(InputStream next) {
        in = next;
        pos = 0;
        lim = 0;
        base = 0;
        eof = false;
    }

    /**
     * Prints what {@code pickletools.dis} prints for the pickle at the start of {@code in}, through
     * its STOP opcode, offsets counting from where {@code in} stands. Reads ahead in chunks, so
     * {@code in} may be left past the STOP.
     *
     * @param in the input
     * @param out where the listing goes
     * @throws DisassemblyException where pickletools raises, after printing the same text to {@code out}
     * @throws PickleException when an argument is too large to hold in memory
     * @throws IOException when reading {@code in} or writing {@code out} fails
     */
    public static void dis(InputStream in, Appendable out) throws IOException {
        list(in, out, false, Options.defaults());
    }

    /**
     * {@link #dis(InputStream, Appendable)} with pickletools' other arguments.
     *
     * @param in the input
     * @param out where the listing goes
     * @param options pickletools' optional arguments
     * @throws IOException when reading {@code in} or writing {@code out} fails
     */
    public static void dis(InputStream in, Appendable out, Options options) throws IOException {
        list(in, out, false, options);
    }

    /**
     * Prints what {@code pickletools.dis} prints for every pickle of {@code in}, one after another,
     * until the stream ends: the loop {@code while f.peek(1): pickletools.dis(f)} over a file, with
     * offsets counting from where {@code in} stands at the start. Prints nothing for an empty stream.
     *
     * @param in the input
     * @param out where the listing goes
     * @return the number of pickles listed
     * @throws DisassemblyException where pickletools raises, after printing the same text to {@code out}
     * @throws PickleException when an argument is too large to hold in memory
     * @throws IOException when reading {@code in} or writing {@code out} fails
     */
    public static long disAll(InputStream in, Appendable out) throws IOException {
        return list(in, out, true, Options.defaults());
    }

    /**
     * {@link #disAll(InputStream, Appendable)} with pickletools' other arguments.
     *
     * @param in the input
     * @param out where the listing goes
     * @param options pickletools' optional arguments
     * @return the number of pickles listed
     * @throws IOException when reading {@code in} or writing {@code out} fails
     */
    public static long disAll(InputStream in, Appendable out, Options options) throws IOException {
        return list(in, out, true, options);
    }

    private static long list(InputStream in, Appendable out, boolean all, Options options) throws IOException {
        Disassembler d = new Disassembler(in, out, options);
        long count = 0;
        try {
            if (!all) {
                d.disassemble();
                return 1;
            }
            while (d.fill()) {
                d.disassemble();
                count++;
            }
        } catch (OutOfMemoryError e) {
            throw d.outOfMemory(e);
        } finally {
            d.sink.flush();
        }
        return count;
    }

    private PickleException outOfMemory(OutOfMemoryError e) {
        // An argument or a stack as large as the input, and the input larger than the heap: the
        // arrays that did not fit are garbage now, so this is a failure to report like any other.
        return new PickleException("not enough memory to list this pickle (" + e.getMessage() + ")", position(), null);
    }

    // ---------------------------------------------------------------------------------------
    // The listing

    private void disassemble() throws IOException {
        resetMachine();
        annocol = options.annotate;
        int maxProto = -1;
        while (true) {
            long at = position();
            int code = read();
            if (code < 0) {
                throw error("ValueError", "pickle exhausted before seeing STOP", at, null);
            }
            Step step = STEPS[code];
            if (step == null) {
                StringBuilder b = new StringBuilder();
                Repr.appendBytes(b, new byte[] {(byte) code}, false);
                throw new DisassemblyException("ValueError", "at position " + at + ", opcode " + b + " unknown",
                        "opcode " + b + " unknown", at, null);
            }
            Opcode op = step.op;
            Object arg = readArg(step, at);

            sink.offset(at);
            int depth = markCount;
            maxProto = Math.max(maxProto, op.protocol());
            int toPop = step.pops;
            String remark = null;
            String error = null;
            if (step.markIndex >= 0 || op == Opcode.POP && sp > 0 && stack[sp - 1] == MARK) {
                if (markCount > 0) {
                    remark = "(MARK at " + marks[--markCount] + ")";
                    while (sp > 0 && stack[sp - 1] != MARK) {
                        sp--;
                    }
                    if (sp == 0) {
                        // pickletools' `while stack[-1] is not markobject` runs off the bottom of its list.
                        throw new DisassemblyException("IndexError", "list index out of range",
                                "no MARK left on the stack: another opcode took it off (pickletools: IndexError: "
                                + "list index out of range)", at, op.name());
                    }
                    sp--;
                    toPop = Math.max(step.markIndex, 0);
                } else {
                    error = remark = "no MARK exists on stack";
                }
            }
            int pushed = -1;
            switch (op) {
                case PUT, BINPUT, LONG_BINPUT, MEMOIZE -> {
                    Object key;
                    if (op == Opcode.MEMOIZE) {
                        key = (long) memoSize;
                        remark = "(as " + memoSize + ")";
                    } else {
                        key = memoKey(arg);
                    }
                    if (memoGet(key) >= 0) {
                        error = "memo key " + (arg == null ? "None" : reprOf(arg)) + " already defined";
                    } else if (sp == 0) {
                        error = "stack is empty -- can't store into memo";
                    } else if (stack[sp - 1] == MARK) {
                        error = "can't store markobject in the memo";
                    } else {
                        memoPut(key, stack[sp - 1]);
                    }
                }
                case GET, BINGET, LONG_BINGET -> {
                    pushed = memoGet(memoKey(arg));
                    if (pushed < 0) {
                        error = "memo key " + reprOf(arg) + " has never been stored into";
                    }
                }
                default -> {
                }
            }
            if (arg instanceof BigInteger big && tooManyDigits(big)) {
                throw error("ValueError", "Exceeds the limit (" + MAX_INT_DIGITS + " digits) for integer string "
                        + "conversion; use sys.set_int_max_str_digits() to increase the limit", at, op);
            }

            sink.startLine();
            sink.put(step.head);
            for (int i = 0; i < depth; i++) {
                sink.put(indentChunk);
            }
            sink.put(step.name);
            if (arg != null || remark != null) {
                sink.put(step.pad);
                if (arg != null) {
                    sink.put(' ');
                    putRepr(arg);
                }
                if (remark != null) {
                    sink.put(' ');
                    sink.put(remark);
                }
            }
            if (options.annotate != 0) {
                // pickletools: pad to the column, which then follows the line unless it passes 50.
                for (long i = sink.lineLength(); i < annocol; i++) {
                    sink.put(' ');
                }
                annocol = (int) Math.min(Integer.MAX_VALUE, sink.lineLength());
                if (annocol > 50) {
                    annocol = options.annotate;
                }
                sink.put(' ');
                sink.put(op.summary());
            }
            sink.put('\n');

            if (error != null) {
                throw error("ValueError", error, at, op);
            }
            if (sp < toPop) {
                throw error("ValueError", "tries to pop " + toPop + " items from stack with only " + sp + " items", at, op);
            }
            sp -= toPop;
            if (step.pushesMark) {
                if (markCount == marks.length) {
                    marks = Arrays.copyOf(marks, markCount * 2);
                }
                marks[markCount++] = at;
            }
            if (pushed >= 0) {
                push((byte) pushed);
            } else {
                for (byte item : step.pushes) {
                    push(item);
                }
            }
            if (op == Opcode.STOP) {
                break;
            }
        }
        sink.put("highest protocol among opcodes = ");
        sink.put(Integer.toString(maxProto));
        sink.put('\n');
        if (sp > 0) {
            StringBuilder left = new StringBuilder("stack not empty after STOP: [");
            for (int i = 0; i < sp; i++) {
                StackItem item = ITEMS[stack[i]];
                left.append(i == 0 ? "" : ", ").append(item == StackItem.NONE ? "None" : item.name().toLowerCase(Locale.ROOT));
            }
            throw error("ValueError", left.append(']').toString(), position() - 1, Opcode.STOP);
        }
    }

    private void resetMachine() {
        sp = 0;
        markCount = 0;
        if (options.keepMemo) {
            return;
        }
        Arrays.fill(memoDense, 0, memoDenseUsed, (byte) 0);
        memoDenseUsed = 0;
        memoSparse = null;
        memoSize = 0;
    }

    private void push(byte item) {
        if (sp == stack.length) {
            stack = Arrays.copyOf(stack, stack.length * 2);
        }
        stack[sp++] = item;
    }

    /** The memo key an argument stands for: Python's dict treats True as 1 and False as 0. */
    private static Object memoKey(Object arg) {
        if (arg instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (arg instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        return arg;
    }

    /** The kind of item stored under the key, or -1. */
    private int memoGet(Object key) {
        if (key instanceof Long k && k >= 0 && k < memoDense.length) {
            return memoDense[(int) (long) k] - 1;
        }
        if (memoSparse == null) {
            return -1;
        }
        Byte item = memoSparse.get(key);
        return item == null ? -1 : item;
    }

    private void memoPut(Object key, byte item) {
        memoSize++;
        if (key instanceof Long k && k >= 0) {
            // The dense table grows only as fast as the memo does, so a hostile key cannot make it huge.
            if (k >= memoDense.length && k < 4L * (memoSize + 1024)) {
                memoDense = Arrays.copyOf(memoDense, (int) Math.max(k + 1, Math.min(2L * memoDense.length, 4L * (memoSize + 1024))));
            }
            if (k < memoDense.length) {
                int i = (int) (long) k;
                memoDense[i] = (byte) (item + 1);
                memoDenseUsed = Math.max(memoDenseUsed, i + 1);
                return;
            }
        }
        if (memoSparse == null) {
            memoSparse = new HashMap<>();
        }
        memoSparse.put(key, item);
    }

    private DisassemblyException error(String type, String message, long at, Opcode op) {
        return new DisassemblyException(type, message, message, at, op == null ? null : op.name());
    }

    // ---------------------------------------------------------------------------------------
    // Arguments, read as pickletools' read_* functions read them

    /** A str argument: the code points of raw-unicode-escape text. */
    private record CodePoints(int[] points, int length) {
    }

    /** A str or bytes argument that stays as the bytes of the stream. */
    private record Payload(byte[] data, int off, int len, Kind kind) {
    }

    private enum Kind { LATIN1, UTF8, BYTES, BYTEARRAY }

    private Object readArg(Step step, long at) throws IOException {
        ArgType type = step.op.arg();
        return switch (type) {
            case NONE -> null;
            case UINT1 -> readFixed(1, step, at);
            case UINT2 -> readFixed(2, step, at);
            case INT4 -> (long) (int) readFixed(4, step, at);
            case UINT4 -> readFixed(4, step, at);
            case UINT8 -> {
                long v = readFixed(8, step, at);
                yield v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
            }
            case FLOAT8 -> Double.longBitsToDouble(Long.reverseBytes(readFixed(8, step, at)));
            case STRINGNL -> readStringNl(true, at, step.op);
            case STRINGNL_NOESCAPE -> readStringNl(false, at, step.op);
            case STRINGNL_NOESCAPE_PAIR -> {
                String module = readStringNl(false, at, step.op);
                yield module + " " + readStringNl(false, at, step.op);
            }
            case UNICODESTRINGNL -> {
                if (!readLine()) {
                    throw error("ValueError", "no newline found when trying to read unicodestringnl", at, step.op);
                }
                yield rawUnicodeEscape(at, step.op);
            }
            case DECIMALNL_SHORT -> {
                readLineOrFail(at, step.op);
                if (len == 2 && data[off] == '0' && (data[off + 1] == '0' || data[off + 1] == '1')) {
                    yield data[off + 1] == '1';  // pickletools' hack: INT 01 and 00 are True and False
                }
                yield parseInt(data, off, len, at, step.op);
            }
            case DECIMALNL_LONG -> {
                readLineOrFail(at, step.op);
                yield parseInt(data, off, len > 0 && data[off + len - 1] == 'L' ? len - 1 : len, at, step.op);
            }
            case FLOATNL -> {
                readLineOrFail(at, step.op);
                yield parseFloat(at, step.op);
            }
            default -> readCountedArg(step, at);
        };
    }

    /** A little-endian unsigned integer of {@code width} bytes; pickletools names the type in its error. */
    private long readFixed(int width, Step step, long at) throws IOException {
        return readFixed(width, step.argName, step.op, at);
    }

    private long readFixed(int width, String typeName, Opcode op, long at) throws IOException {
        long v = 0;
        for (int i = 0; i < width; i++) {
            int b = read();
            if (b < 0) {
                throw error("ValueError", "not enough data in stream to read " + typeName, at, op);
            }
            v |= (long) b << (8 * i);
        }
        return v;
    }

    private Object readCountedArg(Step step, long at) throws IOException {
        ArgType type = step.op.arg();
        int width = type.width();
        boolean signed = SIGNED_LENGTH.contains(type);
        String lengthType = width == 1 ? "uint1" : width == 8 ? "uint8" : signed ? "int4" : "uint4";
        long n = readFixed(width, lengthType, step.op, at);
        if (signed) {
            n = (int) n;
            if (n < 0) {
                throw error("ValueError", step.argName + " byte count < 0: " + n, at, step.op);
            }
        } else if (n < 0) {
            throw error("ValueError", step.argName + " byte count > sys.maxsize: " + Long.toUnsignedString(n), at, step.op);
        }
        long got = readCounted(n, at, step.op);
        if (got < n) {
            throw error("ValueError", type == ArgType.LONG1 || type == ArgType.LONG4
                    ? "not enough data in stream to read " + step.argName
                    : "expected " + n + " bytes in a " + step.argName + ", but only " + got + " remain", at, step.op);
        }
        return switch (type) {
            case LONG1, LONG4 -> decodeLong();
            case STRING1, STRING4 -> new Payload(data, off, len, Kind.LATIN1);
            case UNICODESTRING1, UNICODESTRING4, UNICODESTRING8 -> {
                checkUtf8(at, step.op);
                yield new Payload(data, off, len, Kind.UTF8);
            }
            case BYTEARRAY8 -> new Payload(data, off, len, Kind.BYTEARRAY);
            default -> new Payload(data, off, len, Kind.BYTES);
        };
    }

    /** pickle.decode_long: little-endian two's complement, no bytes meaning 0. */
    private BigInteger decodeLong() {
        int n = len;
        while (n > 1 && (data[off + n - 1] == 0 && data[off + n - 2] >= 0 || data[off + n - 1] == -1 && data[off + n - 2] < 0)) {
            n--;  // sign extension
        }
        if (n > 2 * TEN_POW_MAX_DIGITS.bitLength() / 8) {
            return TEN_POW_MAX_DIGITS;  // stands for any int too long for repr(), which is all that is done with it
        }
        byte[] bigEndian = new byte[n + 1];
        for (int i = 0; i < n; i++) {
            bigEndian[n - i] = data[off + i];
        }
        bigEndian[0] = n > 0 && data[off + n - 1] < 0 ? (byte) -1 : 0;
        return new BigInteger(bigEndian);
    }

    /** Whether repr() of the int fails in CPython: more decimal digits than sys.get_int_max_str_digits(). */
    private static boolean tooManyDigits(BigInteger value) {
        int bits = value.bitLength();
        int limitBits = TEN_POW_MAX_DIGITS.bitLength();
        return bits > limitBits || bits == limitBits && value.abs().compareTo(TEN_POW_MAX_DIGITS) >= 0;
    }

    /** read_stringnl with decode: the line unquoted (when asked), escapes undone, then decoded as ASCII. */
    private String readStringNl(boolean stripQuotes, long at, Opcode op) throws IOException {
        readLineOrFail(at, op);
        int start = off;
        int end = off + len;
        if (stripQuotes) {
            byte quote = len > 0 ? data[off] : 0;
            if (quote != '"' && quote != '\'') {
                throw error("ValueError", "no string quotes around " + bytesRepr(data, off, len), at, op);
            }
            if (data[end - 1] != quote) {
                throw error("ValueError", "strinq quote " + bytesRepr(new byte[] {quote}, 0, 1)
                        + " not found at both ends of " + bytesRepr(data, off, len), at, op);
            }
            start++;
            end = Math.max(start, end - 1);
        }
        byte[] quoted = new byte[end - start + 2];
        quoted[0] = '\'';
        quoted[quoted.length - 1] = '\'';
        System.arraycopy(data, start, quoted, 1, end - start);
        byte[] text;
        try {
            text = Protocol0Text.unquoteString(quoted);
        } catch (IllegalArgumentException e) {
            throw error("ValueError", e.getMessage(), at, op);
        }
        for (int i = 0; i < text.length; i++) {
            if (text[i] < 0) {
                throw error("UnicodeDecodeError", String.format("'ascii' codec can't decode byte 0x%02x in position %d: "
                        + "ordinal not in range(128)", text[i] & 0xff, i), at, op);
            }
        }
        return new String(text, StandardCharsets.ISO_8859_1);
    }

    private void readLineOrFail(long at, Opcode op) throws IOException {
        if (!readLine()) {
            throw error("ValueError", "no newline found when trying to read stringnl", at, op);
        }
    }

    /** Python's int(bytes): ASCII blanks around, a sign, decimal digits with single underscores between. */
    private Object parseInt(byte[] a, int from, int length, long at, Opcode op) {
        int i = from;
        int end = from + length;
        while (i < end && isSpace(a[i])) {
            i++;
        }
        boolean negative = false;
        if (i < end && (a[i] == '+' || a[i] == '-')) {
            negative = a[i++] == '-';
        }
        int digitsFrom = i;
        int digits = 0;
        boolean valid = i < end && a[i] != '_';
        int prev = -1;
        while (valid && i < end && (a[i] >= '0' && a[i] <= '9' || a[i] == '_')) {
            if (a[i] == '_') {
                valid = prev != '_';
            } else {
                digits++;
            }
            prev = a[i++];
        }
        valid &= prev != '_';
        if (valid && digits > MAX_INT_DIGITS) {
            throw error("ValueError", "Exceeds the limit (" + MAX_INT_DIGITS + " digits) for integer string conversion: "
                    + "value has " + digits + " digits; use sys.set_int_max_str_digits() to increase the limit", at, op);
        }
        int digitsEnd = i;
        while (i < end && isSpace(a[i])) {
            i++;
        }
        if (!valid || digits == 0 || i != end) {
            // int() quotes at most 200 bytes, and %.200R cuts their repr to 200 characters.
            String shown = bytesRepr(a, from, Math.min(length, 200));
            throw error("ValueError", "invalid literal for int() with base 10: "
                    + shown.substring(0, Math.min(shown.length(), 200)), at, op);
        }
        StringBuilder text = new StringBuilder(digits + 1).append(negative ? "-" : "");
        for (int k = digitsFrom; k < digitsEnd; k++) {
            if (a[k] != '_') {
                text.append((char) a[k]);
            }
        }
        return digits <= 18 ? (Object) Long.parseLong(text.toString()) : new BigInteger(text.toString());
    }

    /** Python's float(bytes): ASCII blanks around, decimal or inf/infinity/nan, underscores between digits. */
    private Object parseFloat(long at, Opcode op) {
        int from = off;
        int end = off + len;
        while (from < end && isSpace(data[from])) {
            from++;
        }
        while (end > from + 1 && isSpace(data[end - 1])) {
            end--;
        }
        String text = new String(data, from, end - from, StandardCharsets.ISO_8859_1);
        if (isDecimalFloat(text)) {
            return Double.parseDouble(text.replace("_", ""));
        }
        if (FLOAT_SPECIAL.matcher(text).matches()) {
            String word = text.toLowerCase(Locale.ROOT);
            return word.endsWith("nan") ? Double.NaN
                    : word.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        throw error("ValueError", "could not convert string to float: " + bytesRepr(data, off, len), at, op);
    }

    /** Python's decimal float syntax: sign, digits with an optional point, an optional exponent; _ between digits. */
    private static boolean isDecimalFloat(String s) {
        int n = s.length();
        int i = s.startsWith("+") || s.startsWith("-") ? 1 : 0;
        int j = digitRun(s, i);
        boolean mantissa = j > i;
        i = j;
        if (i < n && s.charAt(i) == '.') {
            j = digitRun(s, ++i);
            mantissa |= j > i;
            i = j;
        }
        if (!mantissa) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            j = digitRun(s, i);
            if (j == i) {
                return false;
            }
            i = j;
        }
        return i == n;
    }

    /** The end of the digits (single underscores between them allowed) from i; i when none. */
    private static int digitRun(String s, int i) {
        int n = s.length();
        if (i >= n || !isDigit(s.charAt(i))) {
            return i;
        }
        int j = i + 1;
        while (j < n) {
            if (isDigit(s.charAt(j))) {
                j++;
            } else if (s.charAt(j) == '_' && j + 1 < n && isDigit(s.charAt(j + 1))) {
                j += 2;
            } else {
                break;
            }
        }
        return j;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b >= '\t' && b <= '\r';
    }

    /** Python's raw-unicode-escape decoding: Latin-1, except \\uXXXX and \\UXXXXXXXX after an odd run of backslashes. */
    private CodePoints rawUnicodeEscape(long at, Opcode op) {
        int[] points = new int[len];
        int n = 0;
        int end = off + len;
        int i = off;
        while (i < end) {
            int c = data[i] & 0xff;
            if (c != '\\') {
                points[n++] = c;
                i++;
                continue;
            }
            int run = i;
            while (i < end && data[i] == '\\') {
                points[n++] = '\\';
                i++;
            }
            if (((i - run) & 1) == 0 || i >= end || data[i] != 'u' && data[i] != 'U') {
                continue;
            }
            n--;  // the last backslash starts the escape
            int start = i - 1 - off;
            int count = data[i] == 'u' ? 4 : 8;
            i++;
            long cp = 0;
            for (int k = 0; k < count; k++, i++) {
                int digit = i < end ? Character.digit(data[i], 16) : -1;
                if (digit < 0) {
                    throw error("UnicodeDecodeError", decodeError("rawunicodeescape", data, off, start, i - off,
                            count == 4 ? "truncated \\uXXXX escape" : "truncated \\UXXXXXXXX escape"), at, op);
                }
                cp = cp << 4 | digit;
            }
            if (cp > Character.MAX_CODE_POINT) {
                throw error("UnicodeDecodeError", decodeError("rawunicodeescape", data, off, start, i - off,
                        "\\Uxxxxxxxx out of range"), at, op);
            }
            points[n++] = (int) cp;
        }
        return new CodePoints(points, n);
    }

    /**
     * Checks the argument is UTF-8 as CPython's decoder with {@code surrogatepass} accepts it (lone
     * surrogates encoded in three bytes pass), failing with the error CPython reports.
     */
    private void checkUtf8(long at, Opcode op) {
        int end = off + len;
        int i = off;
        while (i < end) {
            int c = data[i] & 0xff;
            if (c < 0x80) {
                i++;
                continue;
            }
            int avail = end - i;
            int bad;
            String reason = "invalid continuation byte";
            if (c < 0xc2 || c > 0xf4) {
                bad = 1;
                reason = "invalid start byte";
            } else if (avail < 2) {
                bad = avail;
                reason = "unexpected end of data";
            } else if (c < 0xe0) {
                if (isContinuation(data[i + 1])) {
                    i += 2;
                    continue;
                }
                bad = 1;
            } else {
                int c1 = data[i + 1] & 0xff;
                int need = c < 0xf0 ? 3 : 4;
                boolean wrongSecond = need == 3
                        ? c1 < 0xa0 ? c == 0xe0 : c == 0xed
                        : c1 < 0x90 ? c == 0xf0 : c == 0xf4;
                if (!isContinuation(data[i + 1]) || wrongSecond) {
                    if (c == 0xed && isContinuation(data[i + 1]) && avail >= 3 && isContinuation(data[i + 2])) {
                        i += 3;  // a lone surrogate: surrogatepass lets it through
                        continue;
                    }
                    bad = 1;
                } else {
                    bad = 0;
                    for (int k = 2; k < need && bad == 0; k++) {
                        if (k >= avail) {
                            bad = avail;
                            reason = "unexpected end of data";
                        } else if (!isContinuation(data[i + k])) {
                            bad = k;
                        }
                    }
                    if (bad == 0) {
                        i += need;
                        continue;
                    }
                }
            }
            int start = i - off;
            throw error("UnicodeDecodeError", decodeError("utf-8", data, off, start, start + bad, reason), at, op);
        }
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xc0) == 0x80;
    }

    /** UnicodeDecodeError's str(): one byte by value, a range by positions. */
    private static String decodeError(String codec, byte[] a, int from, int start, int end, String reason) {
        return end - start == 1
                ? String.format("'%s' codec can't decode byte 0x%02x in position %d: %s", codec, a[from + start] & 0xff, start, reason)
                : String.format("'%s' codec can't decode bytes in position %d-%d: %s", codec, start, end - 1, reason);
    }

    private static String bytesRepr(byte[] a, int from, int length) {
        StringBuilder b = new StringBuilder(length + 3);
        Repr.appendBytes(b, Arrays.copyOfRange(a, from, from + length), false);
        return b.toString();
    }

    // ---------------------------------------------------------------------------------------
    // repr() of arguments, streamed: a str or bytes argument may be as large as the input

    private static String reprOf(Object arg) {
        if (arg instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return arg.toString();
    }

    private void putRepr(Object arg) throws IOException {
        if (arg instanceof Long || arg instanceof BigInteger || arg instanceof Boolean) {
            sink.put(reprOf(arg));
        } else if (arg instanceof Double d) {
            sink.put(Repr.ofFloat(d));
        } else if (arg instanceof String s) {
            char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
            sink.put(quote);
            for (int i = 0; i < s.length(); i++) {
                putStrChar(s.charAt(i), quote);
            }
            sink.put(quote);
        } else if (arg instanceof CodePoints s) {
            boolean single = false;
            boolean dbl = false;
            for (int i = 0; i < s.length(); i++) {
                single |= s.points()[i] == '\'';
                dbl |= s.points()[i] == '"';
            }
            char quote = single && !dbl ? '"' : '\'';
            sink.put(quote);
            for (int i = 0; i < s.length(); i++) {
                putStrChar(s.points()[i], quote);
            }
            sink.put(quote);
        } else {
            putPayload((Payload) arg);
        }
    }

    private void putPayload(Payload p) throws IOException {
        byte[] a = p.data();
        int end = p.off() + p.len();
        boolean single = false;
        boolean dbl = false;
        for (int i = p.off(); i < end; i++) {
            single |= a[i] == '\'';
            dbl |= a[i] == '"';
        }
        char quote = single && !dbl ? '"' : '\'';
        if (p.kind() == Kind.LATIN1 || p.kind() == Kind.UTF8) {
            sink.put(quote);
            for (int i = p.off(); i < end; ) {
                int c = a[i] & 0xff;
                if (c < 0x80 || p.kind() == Kind.LATIN1) {
                    i++;
                } else if (c < 0xe0) {
                    c = (c & 0x1f) << 6 | a[i + 1] & 0x3f;
                    i += 2;
                } else if (c < 0xf0) {
                    c = (c & 0x0f) << 12 | (a[i + 1] & 0x3f) << 6 | a[i + 2] & 0x3f;
                    i += 3;
                } else {
                    c = (c & 0x07) << 18 | (a[i + 1] & 0x3f) << 12 | (a[i + 2] & 0x3f) << 6 | a[i + 3] & 0x3f;
                    i += 4;
                }
                putStrChar(c, quote);
            }
            sink.put(quote);
            return;
        }
        // bytes.__repr__, and bytearray's, which escapes a single quote even between double quotes.
        boolean bytearray = p.kind() == Kind.BYTEARRAY;
        sink.put(bytearray ? "bytearray(b" : "b");
        sink.put(quote);
        for (int i = p.off(); i < end; i++) {
            int c = a[i] & 0xff;
            if (c == quote || c == '\\' || bytearray && c == '\'') {
                sink.put('\\');
                sink.put((char) c);
            } else if (c >= ' ' && c < 0x7f) {
                sink.put((char) c);
            } else {
                putEscape(c);
            }
        }
        sink.put(quote);
        if (bytearray) {
            sink.put(')');
        }
    }

    /** One code point of str.__repr__ between the given quotes. */
    private void putStrChar(int cp, char quote) throws IOException {
        if (cp == quote || cp == '\\') {
            sink.put('\\');
            sink.put((char) cp);
        } else if (cp >= ' ' && cp < 0x7f || cp >= 0x7f && Printable.isPrintable(cp)) {
            if (cp < 0x10000) {
                sink.put((char) cp);
            } else {
                sink.put(Character.highSurrogate(cp));
                sink.put(Character.lowSurrogate(cp));
            }
        } else {
            putEscape(cp);
        }
    }

    private void putEscape(int cp) throws IOException {
        switch (cp) {
            case '\t' -> sink.put("\\t");
            case '\n' -> sink.put("\\n");
            case '\r' -> sink.put("\\r");
            default -> {
                int digits = cp < 0x100 ? 2 : cp < 0x10000 ? 4 : 8;
                sink.put(digits == 2 ? "\\x" : digits == 4 ? "\\u" : "\\U");
                for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
                    sink.put(Character.forDigit((cp >>> shift) & 0xf, 16));
                }
            }
        }
    }

    /** The same rules for one character, into a builder: the code column of the listing. */
    private static void appendStrChar(StringBuilder out, int cp, char quote) {
        if (cp == quote || cp == '\\') {
            out.append('\\').append((char) cp);
        } else if (cp >= ' ' && cp < 0x7f || cp >= 0x7f && Printable.isPrintable(cp)) {
            out.appendCodePoint(cp);
        } else {
            out.append(String.format(cp < 0x100 ? "\\x%02x" : cp < 0x10000 ? "\\u%04x" : "\\U%08x", cp));
        }
    }

    // ---------------------------------------------------------------------------------------
    // Input

    private long position() {
        return base + pos;
    }

    /** Makes at least one unread byte available, as {@code f.peek(1)}; false at the end of the input. */
    private boolean fill() throws IOException {
        if (pos < lim) {
            return true;
        }
        if (eof) {
            return false;
        }
        base += lim;
        pos = 0;
        lim = 0;
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            eof = true;
            return false;
        }
        lim = n;
        return true;
    }

    private int read() throws IOException {
        return pos < lim || fill() ? buf[pos++] & 0xff : -1;
    }

    /**
     * Reads up to {@code n} bytes into {@code data[off, off + len)} and returns how many the input
     * held. The array grows as bytes arrive, so a length field larger than the input allocates
     * nothing near what it claims.
     */
    private long readCounted(long n, long at, Opcode op) throws IOException {
        if (n <= lim - pos) {
            data = buf;
            off = pos;
            len = (int) n;
            pos += len;
            return n;
        }
        if (n > MAX_ARRAY) {
            long got = 0;
            while (got < n && fill()) {
                int k = (int) Math.min(lim - pos, n - got);
                pos += k;
                got += k;
            }
            if (got < n) {
                return got;
            }
            throw new PickleException("an argument of " + n + " bytes is more than picklejar can hold", at, op.name());
        }
        int want = (int) n;
        byte[] into = new byte[Math.min(want, 1 << 20)];
        int got = 0;
        while (got < want && fill()) {
            if (got == into.length) {
                into = Arrays.copyOf(into, (int) Math.min(want, 2L * into.length));
            }
            int k = Math.min(lim - pos, into.length - got);
            System.arraycopy(buf, pos, into, got, k);
            pos += k;
            got += k;
        }
        data = into;
        off = 0;
        len = got;
        return got;
    }

    /**
     * Reads a line, as {@code f.readline()}: its bytes without the newline go to
     * {@code data[off, off + len)}; false when the input ended before a newline.
     */
    private boolean readLine() throws IOException {
        int n = 0;
        while (true) {
            int nl = pos;
            while (nl < lim && buf[nl] != '\n') {
                nl++;
            }
            if (nl < lim && n == 0) {
                data = buf;
                off = pos;
                len = nl - pos;
                pos = nl + 1;
                return true;
            }
            int k = nl - pos;
            if (n + (long) k > MAX_ARRAY) {
                throw new PickleException("a line of more than " + MAX_ARRAY + " bytes", position(), null);
            }
            if (n + k > lineBuf.length) {
                lineBuf = Arrays.copyOf(lineBuf, (int) Math.min(MAX_ARRAY, Math.max(n + (long) k, 2L * lineBuf.length)));
            }
            System.arraycopy(buf, pos, lineBuf, n, k);
            n += k;
            pos = nl;
            data = lineBuf;
            off = 0;
            len = n;
            if (nl < lim) {
                pos++;
                return true;
            }
            if (!fill()) {
                return false;
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Output

    /** Characters gathered in a block and handed to the Appendable a block at a time. */
    private static final class Sink {
        private final Appendable out;
        private final char[] chars = new char[8192];
        private int n;
        /** Code points put since {@link #startLine}: Python's len(line), for the annotation column. */
        private long lineLength;

        Sink(Appendable out) {
            this.out = out;
        }

        void startLine() {
            lineLength = 0;
        }

        long lineLength() {
            return lineLength;
        }

        void put(char c) throws IOException {
            if (n == chars.length) {
                flush();
            }
            chars[n++] = c;
            if (!Character.isLowSurrogate(c)) {
                lineLength++;
            }
        }

        void put(String s) throws IOException {
            int length = s.length();
            lineLength += s.codePointCount(0, length);
            if (n + length > chars.length) {
                flush();
                if (length > chars.length) {
                    out.append(s);
                    return;
                }
            }
            s.getChars(0, length, chars, n);
            n += length;
        }

        /** {@code "%5d: " % offset}, the first column. */
        void offset(long at) throws IOException {
            String digits = Long.toString(at);
            for (int i = digits.length(); i < 5; i++) {
                put(' ');
            }
            put(digits);
            put(':');
            put(' ');
        }

        void flush() throws IOException {
            if (n == 0) {
                return;
            }
            if (out instanceof Writer w) {
                w.write(chars, 0, n);
            } else if (out instanceof StringBuilder b) {
                b.append(chars, 0, n);
            } else {
                out.append(CharBuffer.wrap(chars, 0, n));
            }
            n = 0;
        }
    }
}
