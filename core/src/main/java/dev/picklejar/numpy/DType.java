package dev.picklejar.numpy;

import dev.picklejar.PyGlobal;
import dev.picklejar.PyObject;
import dev.picklejar.PyTuple;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A numpy {@code dtype}: the kind of its items ({@code 'f'} float, {@code 'i'} signed int,
 * {@code 'u'} unsigned, {@code 'b'} bool, {@code 'c'} complex, {@code 'M'} datetime64, {@code 'm'}
 * timedelta64, {@code 'S'} bytes, {@code 'U'} str, {@code 'V'} void/record, {@code 'O'} object),
 * its byte order and its item size, plus the fields of a structured dtype and the unit of a
 * datetime. Built from the pickle numpy writes ({@code numpy.dtype('f8', False, True)} and its
 * state), never by running numpy. {@link #toString()} is numpy's {@code repr(dtype)}.
 */
public final class DType {
    static final PyGlobal G_DTYPE = new PyGlobal("numpy", "dtype");

    /**
     * A field of a structured dtype: its type and byte offset in the record.
     * @param type the field's dtype
     * @param offset where the field starts, in bytes from the start of the record
     */
    public record Field(DType type, int offset) {
    }

    private final char kind;
    private final char byteOrder;
    private final int itemSize;
    private final String unit;
    private final List<String> names;
    private final Map<String, Field> fields;
    private final DType base;
    private final int[] subShape;
    /** The pickle this dtype came from, written back as is; null for a dtype made in Java. */
    private final PyObject source;

    /** numpy's {@code bool}, {@code "|b1"}: one byte, 0 or 1. */
    public static final DType BOOL = builtin('b', '|', 1);
    /** numpy's {@code int8}, {@code "|i1"}. */
    public static final DType INT8 = builtin('i', '|', 1);
    /** numpy's {@code int16}, little-endian {@code "<i2"}. */
    public static final DType INT16 = builtin('i', '<', 2);
    /** numpy's {@code int32}, little-endian {@code "<i4"}. */
    public static final DType INT32 = builtin('i', '<', 4);
    /** numpy's {@code int64}, little-endian {@code "<i8"}. */
    public static final DType INT64 = builtin('i', '<', 8);
    /** numpy's {@code uint8}, {@code "|u1"}. */
    public static final DType UINT8 = builtin('u', '|', 1);
    /** numpy's {@code uint16}, little-endian {@code "<u2"}. */
    public static final DType UINT16 = builtin('u', '<', 2);
    /** numpy's {@code uint32}, little-endian {@code "<u4"}. */
    public static final DType UINT32 = builtin('u', '<', 4);
    /** numpy's {@code uint64}, little-endian {@code "<u8"}. */
    public static final DType UINT64 = builtin('u', '<', 8);
    /** numpy's {@code float16} (IEEE half precision), little-endian {@code "<f2"}. */
    public static final DType FLOAT16 = builtin('f', '<', 2);
    /** numpy's {@code float32}, little-endian {@code "<f4"}. */
    public static final DType FLOAT32 = builtin('f', '<', 4);
    /** numpy's {@code float64}, little-endian {@code "<f8"}: Python's {@code float}. */
    public static final DType FLOAT64 = builtin('f', '<', 8);
    /** numpy's {@code complex64} (two float32), little-endian {@code "<c8"}. */
    public static final DType COMPLEX64 = builtin('c', '<', 8);
    /** numpy's {@code complex128} (two float64), little-endian {@code "<c16"}: Python's {@code complex}. */
    public static final DType COMPLEX128 = builtin('c', '<', 16);
    /** numpy's {@code object}, {@code "|O"}: items are Python objects, pickled with the array. */
    public static final DType OBJECT = builtin('O', '|', 8);

    private DType(char kind, char byteOrder, int itemSize, String unit, List<String> names, Map<String, Field> fields,
                  DType base, int[] subShape, PyObject pickled) {
        this.kind = kind;
        this.byteOrder = byteOrder;
        this.itemSize = itemSize;
        this.unit = unit;
        this.names = names;
        this.fields = fields;
        this.base = base;
        this.subShape = subShape;
        this.source = pickled;
    }

    private static DType builtin(char kind, char order, int size) {
        return new DType(kind, order, size, null, null, null, null, null, null);
    }

    /**
     * A simple dtype from numpy's type string: {@code "<f8"}, {@code ">i4"}, {@code "|b1"},
     * {@code "f4"} (little-endian), {@code "S5"}, {@code "<U3"}, {@code "<M8[ns]"}.
     * @param str the type string, as numpy's {@code dtype.str} or {@code np.dtype(str)} takes it
     * @return the dtype
     * @throws IllegalArgumentException if {@code str} is not a numpy type string picklejar knows
     */
    public static DType of(String str) {
        String s = Objects.requireNonNull(str, "str");
        char order = '<';
        if (!s.isEmpty() && "<>|=".indexOf(s.charAt(0)) >= 0) {
            order = s.charAt(0) == '=' ? '<' : s.charAt(0);
            s = s.substring(1);
        }
        String unit = null;
        int bracket = s.indexOf('[');
        if (bracket >= 0 && s.endsWith("]")) {
            unit = s.substring(bracket + 1, s.length() - 1);
            s = s.substring(0, bracket);
        }
        if (s.equals("O")) {
            s = "O8";
        }
        if (s.length() < 2 || "biufcmMSUVO".indexOf(s.charAt(0)) < 0) {
            throw new IllegalArgumentException("not a numpy type string: " + str);
        }
        char kind = s.charAt(0);
        int size;
        try {
            size = Integer.parseInt(s.substring(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a numpy type string: " + str);
        }
        if (kind == 'U') {
            size *= 4;
        }
        if ((kind == 'M' || kind == 'm') && (size != 8 || unit == null)) {
            throw new IllegalArgumentException("datetime64 and timedelta64 need 8 bytes and a unit: " + str);
        }
        if (size == 1 || kind == 'S' || kind == 'V' || kind == 'O' || kind == 'b') {
            order = '|';
        }
        if (unit != null && kind != 'M' && kind != 'm') {
            throw new IllegalArgumentException("only datetime64 and timedelta64 have a unit: " + str);
        }
        if (!validSize(kind, size)) {
            throw new IllegalArgumentException("numpy has no " + size + "-byte items of kind '" + kind + "': " + str);
        }
        for (DType builtin : BUILTINS) {
            // numpy's built-in dtypes are single objects, which a pickle of several arrays shares
            if (builtin.kind == kind && builtin.byteOrder == order && builtin.itemSize == size && unit == null) {
                return builtin;
            }
        }
        return new DType(kind, order, size, unit, null, null, null, null, null);
    }

    private static final DType[] BUILTINS = {BOOL, INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64, FLOAT16,
        FLOAT32, FLOAT64, COMPLEX64, COMPLEX128, OBJECT};

    /**
     * The dtype a pickled {@code numpy.dtype(...)} call with its BUILD state stands for, or
     * {@code null} when the object is not one (or has a form numpy does not write).
     * @param object a loaded object, usually a {@code numpy.dtype} call
     * @return the dtype, or {@code null}
     */
    public static DType fromPickled(PyObject object) {
        if (!G_DTYPE.equals(object.callable()) || object.construction() != PyObject.Construction.REDUCE
                || object.args().isEmpty() || !(object.args().get(0) instanceof String str) || str.length() < 2
                || !(object.state() instanceof PyTuple state) || state.size() < 8) {
            return null;
        }
        char kind = str.charAt(0);
        if ("biufcmMSUVO".indexOf(kind) < 0) {
            return null;
        }
        int size;
        try {
            size = Integer.parseInt(str.substring(1));
        } catch (NumberFormatException e) {
            return null;
        }
        if (size < 0 || !validSize(kind, size)) {
            return null;
        }
        if (!(state.get(1) instanceof String endian) || endian.length() != 1 || "<>|=".indexOf(endian.charAt(0)) < 0) {
            return null;
        }
        char order = endian.charAt(0) == '=' ? nativeChar() : endian.charAt(0);
        if (state.get(5) instanceof Integer elsize && elsize >= 0) {
            size = elsize;
        }
        if (!validSize(kind, size) || (kind == 'U' && size % 4 != 0)) {
            return null;
        }
        String unit = null;
        if ((kind == 'M' || kind == 'm') && state.size() >= 9) {
            unit = datetimeUnit(state.get(8));
            if (unit == null) {
                return null;
            }
        }
        List<String> names = null;
        Map<String, Field> fields = null;
        if (state.get(3) instanceof PyTuple nameTuple && state.get(4) instanceof Map<?, ?> fieldMap) {
            names = new ArrayList<>();
            fields = new LinkedHashMap<>();
            for (Object n : nameTuple) {
                if (!(n instanceof String name) || !(fieldMap.get(name) instanceof PyTuple f) || f.size() < 2
                        || !(f.get(0) instanceof DType t) || !(f.get(1) instanceof Integer offset)) {
                    return null;
                }
                if (offset < 0 || (long) offset + t.itemSize() > size) {
                    return null; // a field outside the record
                }
                names.add(name);
                fields.put(name, new Field(t, offset));
            }
            names = Collections.unmodifiableList(names);
            fields = Collections.unmodifiableMap(fields);
        }
        DType base = null;
        int[] subShape = null;
        if (state.get(2) instanceof PyTuple sub && sub.size() == 2 && sub.get(0) instanceof DType b
                && sub.get(1) instanceof PyTuple shape) {
            base = b;
            subShape = NdArray.toShape(shape);
            if (subShape == null || NdArray.count(subShape) * b.itemSize() != size) {
                return null;
            }
        }
        return new DType(kind, order, size, unit, names, fields, base, subShape, object);
    }

    /** The item sizes numpy has for each kind (flexible kinds: any). */
    private static boolean validSize(char kind, int size) {
        return switch (kind) {
            case 'b' -> size == 1;
            case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
            case 'f' -> size == 2 || size == 4 || size == 8 || size == 12 || size == 16;
            case 'c' -> size == 8 || size == 16 || size == 24 || size == 32;
            case 'M', 'm', 'O' -> size == 8;
            default -> size >= 0;
        };
    }

    private static String datetimeUnit(Object metadata) {
        // numpy 2 writes (None, (b'ns', 1, 1, 1)); numpy 1 writes (b'ns', 1, 1, 1) or the same pair
        Object m = metadata instanceof PyTuple t && t.size() == 2 && t.get(1) instanceof PyTuple inner ? inner : metadata;
        if (!(m instanceof PyTuple t) || t.size() < 2 || !(t.get(1) instanceof Integer count)) {
            return null;
        }
        String unit = t.get(0) instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1)
                : t.get(0) instanceof String s ? s : null;
        return unit == null ? null : count == 1 ? unit : count + unit;
    }

    private static char nativeChar() {
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? '<' : '>';
    }

    /** numpy's own pickle of this dtype: {@code numpy.dtype(typestr, False, True)} and its state. */
    private PyObject numpyForm(NumpyVersion version) {
        if (names != null || base != null) {
            return null; // structured and sub-array dtypes are only ever written as they were read
        }
        String arg = kind == 'O' ? "O8" : (kind == 'M' || kind == 'm') ? kind + "8"
                : String.valueOf(kind) + (kind == 'U' ? itemSize / 4 : itemSize);
        PyObject o = PyObject.reduce(G_DTYPE, PyTuple.of(arg, false, true));
        boolean flexible = kind == 'S' || kind == 'U' || kind == 'V';
        int elsize = flexible ? itemSize : -1;
        int alignment = kind == 'U' ? 4 : flexible ? 1 : -1;
        int flags = kind == 'O' ? 63 : kind == 'U' ? 8 : 0;
        String endian = String.valueOf(byteOrder);
        if (unit != null) {
            int i = 0;
            while (i < unit.length() && Character.isDigit(unit.charAt(i))) {
                i++;
            }
            int count = i == 0 ? 1 : Integer.parseInt(unit.substring(0, i));
            PyTuple meta = PyTuple.of(unit.substring(i).getBytes(StandardCharsets.ISO_8859_1), count, 1, 1);
            Object metadata = version == NumpyVersion.NUMPY_1 ? new java.util.LinkedHashMap<>() : null;
            o.setState(PyTuple.of(4, endian, null, null, null, elsize, alignment, flags, PyTuple.of(metadata, meta)));
        } else {
            o.setState(PyTuple.of(3, endian, null, null, null, elsize, alignment, flags));
        }
        return o;
    }

    /**
     * The pickled form written for this dtype: the one it was loaded from, or a new object of
     * numpy's own form for the generation (numpy 1 gives a datetime's metadata as {}, numpy 2 as
     * None); null for a structured dtype made in Java, which picklejar cannot write. A Pickler
     * writes a dtype met twice once, as numpy's shared dtype objects are.
     * @param version the numpy generation the pickle is for
     * @return the object a Pickler writes, or {@code null}
     */
    public PyObject toPickled(NumpyVersion version) {
        return source != null ? source : numpyForm(version);
    }

    /** {@return the kind character: one of {@code b i u f c m M S U V O}} */
    public char kind() {
        return kind;
    }

    /** {@return {@code '<'}, {@code '>'} or {@code '|'} (not applicable: one byte, bytes, void, object)} */
    public char byteOrderChar() {
        return byteOrder;
    }

    /** {@return the byte order of the items (little-endian for {@code '|'})} */
    public ByteOrder byteOrder() {
        return byteOrder == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    /** {@return whether the items are stored in this machine's byte order (always for one-byte types)} */
    public boolean isNative() {
        return byteOrder == '|' || byteOrder() == ByteOrder.nativeOrder();
    }

    /** {@return the bytes per item ({@code itemsize})} */
    public int itemSize() {
        return itemSize;
    }

    /** {@return the unit of a datetime64/timedelta64 ({@code "ns"}, {@code "D"}, {@code "10ms"}), else null} */
    public String unit() {
        return unit;
    }

    /** {@return the field names of a structured dtype in order, or null} */
    public List<String> names() {
        return names;
    }

    /** {@return the fields of a structured dtype by name, or null} */
    public Map<String, Field> fields() {
        return fields;
    }

    /** {@return the item type of a sub-array dtype ({@code ('<i4', (2,))}), or null} */
    public DType subarrayBase() {
        return base;
    }

    /** {@return the shape of a sub-array dtype, or null} */
    public int[] subarrayShape() {
        return subShape == null ? null : subShape.clone();
    }

    /**
     * {@return numpy's {@code dtype.str}: {@code '<f8'}, {@code '|b1'}, {@code '<U5'}, {@code '<M8[ns]'}, {@code '|O'}}
     */
    public String str() {
        if (kind == 'O') {
            return "|O";
        }
        String s = byteOrder + String.valueOf(kind) + (kind == 'U' ? itemSize / 4 : itemSize);
        return unit != null ? s + "[" + unit + "]" : s;
    }

    /**
     * {@return numpy's {@code dtype.name}: {@code float64}, {@code int32}, {@code bool}, {@code str160},
     * {@code datetime64[ns]}}
     */
    public String name() {
        return switch (kind) {
            case 'b' -> "bool";
            case 'i' -> "int" + 8 * itemSize;
            case 'u' -> "uint" + 8 * itemSize;
            case 'f' -> "float" + 8 * itemSize;
            case 'c' -> "complex" + 8 * itemSize;
            case 'M' -> "datetime64[" + unit + "]";
            case 'm' -> "timedelta64[" + unit + "]";
            case 'S' -> "bytes" + 8 * itemSize;
            case 'U' -> "str" + 8 * itemSize;
            case 'O' -> "object";
            default -> "void" + 8 * itemSize;
        };
    }

    boolean isStructured() {
        return names != null || base != null;
    }

    /** Whether numpy's array repr names this dtype bare ({@code dtype=float32}) rather than quoted. */
    boolean isBuiltinNative() {
        return isNative() && "biufc".indexOf(kind) >= 0 && !isStructured();
    }

    /** numpy's {@code repr(dtype)}: {@code dtype('float64')}, {@code dtype('>i4')}, {@code dtype([('x', '<i4')])}. */
    @Override
    public String toString() {
        return "dtype(" + reprBody() + ")";
    }

    /** What follows {@code dtype=} in an array's repr, and what is inside {@code dtype(...)}. */
    String reprBody() {
        if (names != null) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < names.size(); i++) {
                Field f = fields.get(names.get(i));
                b.append(i > 0 ? ", " : "").append("('").append(names.get(i)).append("', ")
                        .append(f.type().isStructured() ? f.type().reprBody() : "'" + f.type().str() + "'").append(')');
            }
            return b.append(']').toString();
        }
        if (base != null) {
            StringBuilder b = new StringBuilder("('").append(base.str()).append("', (");
            for (int i = 0; i < subShape.length; i++) {
                b.append(i > 0 ? ", " : "").append(subShape[i]);
            }
            return b.append(subShape.length == 1 ? ",))" : "))").toString();
        }
        if (isBuiltinNative() || kind == 'O') {
            return "'" + (kind == 'O' ? "O" : name()) + "'";
        }
        if (kind == 'S' || kind == 'V') {
            return "'" + str().substring(1) + "'";
        }
        return "'" + str() + "'";
    }

    /** Same kind, byte order, size, unit and fields. */
    @Override
    public boolean equals(Object o) {
        return o instanceof DType d && kind == d.kind && byteOrder == d.byteOrder && itemSize == d.itemSize
                && Objects.equals(unit, d.unit) && Objects.equals(names, d.names) && Objects.equals(fields, d.fields)
                && Objects.equals(base, d.base) && java.util.Arrays.equals(subShape, d.subShape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, byteOrder, itemSize, unit, names);
    }
}
