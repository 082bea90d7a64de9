package dev.picklejar;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The Python type of a Java value, by the mapping picklejar loads and writes ({@code list} for a
 * {@code List}, {@code dict} for a {@code Map}, {@code datetime} for a {@code LocalDateTime}...): the one
 * place that spells it, for error messages and for every module that names Python types.
 */
public final class PythonTypes {
    private PythonTypes() {
    }

    /**
     * The name of the value's Python type as {@code type(v).__name__} spells it ({@code "NoneType"},
     * {@code "int"}, {@code "tuple"}, {@code "Decimal"}...); for a {@link PyObject}, its class as
     * {@code module.qualname}; for any other Java type, the Java class's simple name.
     * @param value any value, {@code null} for {@code None}
     * @return the type's name
     */
    public static String nameOf(Object value) {
        if (value == null) {
            return "NoneType";
        }
        if (value instanceof PyTuple || value instanceof Object[]) {
            return "tuple";
        }
        if (value instanceof List) {
            return "list";
        }
        if (value instanceof Map) {
            return "dict";
        }
        if (value instanceof PyFrozenSet) {
            return "frozenset";
        }
        if (value instanceof Set) {
            return "set";
        }
        if (value instanceof PyByteArray) {
            return "bytearray";
        }
        if (value instanceof PyArray) {
            return "array.array";
        }
        if (value instanceof byte[]) {
            return "bytes";
        }
        if (value instanceof String || value instanceof Character) {
            return "str";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof Double || value instanceof Float) {
            return "float";
        }
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger
                || value instanceof Short || value instanceof Byte) {
            return "int";
        }
        if (value instanceof PyComplex) {
            return "complex";
        }
        if (value instanceof BigDecimal || value instanceof PyDecimal) {
            return "Decimal";
        }
        if (value instanceof UUID) {
            return "UUID";
        }
        if (value instanceof LocalDateTime || value instanceof OffsetDateTime || value instanceof Instant) {
            return "datetime";
        }
        if (value instanceof LocalDate) {
            return "date";
        }
        if (value instanceof LocalTime || value instanceof OffsetTime) {
            return "time";
        }
        if (value instanceof Duration) {
            return "timedelta";
        }
        if (value instanceof ZoneOffset) {
            return "timezone";
        }
        if (value instanceof PyFraction) {
            return "Fraction";
        }
        if (value instanceof PyEnumMember m) {
            return m.enumClass().toString();
        }
        if (value instanceof PyObject o) {
            return o.callable() instanceof PyGlobal g ? g.toString() : "object";
        }
        return value.getClass().getSimpleName();
    }
}
