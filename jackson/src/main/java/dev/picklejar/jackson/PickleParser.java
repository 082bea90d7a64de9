package dev.picklejar.jackson;

import dev.picklejar.PickleException;
import dev.picklejar.PickleStream;
import dev.picklejar.PyDecimal;
import dev.picklejar.PyGlobal;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.Base64Variant;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadCapability;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.Version;
import tools.jackson.core.base.ParserMinimalBase;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.io.IOContext;
import tools.jackson.core.util.JacksonFeatureSet;

/**
 * Reads the pickles of an input as Jackson tokens, one root value per pickle. Each pickle is
 * loaded by picklejar's {@link dev.picklejar.Unpickler} (nothing is executed), then walked: dicts
 * and instances with attributes as objects, lists, tuples, sets, namedtuples and numpy arrays as
 * arrays, {@code bytes} as binary, {@code int} and {@code float} as numbers, {@code Decimal} as a big
 * decimal, dates, times, UUIDs and other scalar values as their ISO text (which Jackson's
 * {@code java.time}, {@code Date} and {@code UUID} deserializers read). The Python class of an
 * instance is its native type id ({@code module.qualname}), for {@code @JsonTypeInfo}.
 *
 * <p>Locations name the byte offset, in the input, of the pickle being read.
 */
public final class PickleParser extends ParserMinimalBase {
    private static final JacksonFeatureSet<StreamReadCapability> CAPABILITIES =
            DEFAULT_READ_CAPABILITIES.with(StreamReadCapability.EXACT_FLOATS);

    private final PickleStream stream;
    private PickleReadContext context = PickleReadContext.root();
    private Object value;
    private String typeId;
    private long pickleStart;
    private long pickleEnd;
    /** Values walked in this pickle, and how many it may give: see {@link #maxValues(long)}. */
    private long values;
    private long valueLimit;

    PickleParser(ObjectReadContext readCtxt, IOContext ioCtxt, int streamReadFeatures, PickleStream stream) {
        super(readCtxt, ioCtxt, streamReadFeatures);
        this.stream = stream;
    }

    @Override
    public Version version() {
        return Version.unknownVersion();
    }

    @Override
    public JacksonFeatureSet<StreamReadCapability> streamReadCapabilities() {
        return CAPABILITIES;
    }

    @Override
    public Object streamReadInputSource() {
        return _ioContext.contentReference().getRawContent();
    }

    @Override
    public JsonToken nextToken() throws JacksonException {
        typeId = null;
        if (_closed) {
            return null;
        }
        PickleReadContext c = context;
        if (c.inRoot()) {
            if (!hasNextPickle()) {
                close();
                return _updateTokenToNull();
            }
            pickleStart = stream.offset();
            Object root;
            try {
                root = stream.next();
            } catch (PickleException e) {
                throw new StreamReadException(this, "invalid pickle: " + e.getMessage(), e);
            }
            pickleEnd = stream.offset();
            values = 0;
            valueLimit = maxValues(pickleEnd - pickleStart);
            c.nextRoot();
            return start(root);
        }
        if (c.inObject()) {
            if (c.valueNext()) {
                return start(c.takeValue());
            }
            if (c.hasMoreItems()) {
                value = c.nextName();
                return _updateToken(JsonToken.PROPERTY_NAME);
            }
            context = c.getParent();
            value = null;
            return _updateToken(JsonToken.END_OBJECT);
        }
        if (c.hasMoreItems()) {
            return start(c.nextItem());
        }
        context = c.getParent();
        value = null;
        return _updateToken(JsonToken.END_ARRAY);
    }

    private boolean hasNextPickle() {
        try {
            return stream.hasNext();
        } catch (PickleException e) {
            throw new StreamReadException(this, "invalid pickle: " + e.getMessage(), e);
        }
    }

    /**
     * How many values a pickle of this size may give when walked. A memo reference costs a pickle
     * two bytes however large the value it fetches, so a small pickle of nested shared lists can
     * stand for billions of values; real data (shared strings, a list referenced by many records)
     * stays far below this bound.
     */
    static long maxValues(long pickleSize) {
        return 1_000_000 + 64 * pickleSize;
    }

    /** The first token of a value: its scalar token, or the start of an object or array. */
    private JsonToken start(Object pythonValue) {
        if (++values > valueLimit) {
            throw new StreamReadException(this, "the pickle's shared references expand to more than "
                    + valueLimit + " values (at most 1000000 + 64 per byte of pickle are read)");
        }
        value = pythonValue;
        if (pythonValue != null) {
            // The types a pickle loads as most often, by exact class: cheaper than the general tests below.
            Class<?> type = pythonValue.getClass();
            if (type == String.class) {
                return _updateToken(JsonToken.VALUE_STRING);
            }
            if (type == Integer.class || type == Long.class) {
                return _updateToken(JsonToken.VALUE_NUMBER_INT);
            }
            if (type == Double.class) {
                return _updateToken(JsonToken.VALUE_NUMBER_FLOAT);
            }
            if (type == Boolean.class) {
                return _updateToken((Boolean) pythonValue ? JsonToken.VALUE_TRUE : JsonToken.VALUE_FALSE);
            }
        }
        String pythonClass = PythonValues.pythonClass(pythonValue);
        Object v = PythonValues.data(pythonValue);
        value = v;
        if (v instanceof Map<?, ?> m) {
            typeId = pythonClass;
            context = context.object(m.entrySet().iterator(), pythonClass);
            _streamReadConstraints.validateNestingDepth(context.getNestingDepth());
            return _updateToken(JsonToken.START_OBJECT);
        }
        if (v instanceof List<?> || v instanceof Collection<?>) {
            typeId = pythonClass;
            context = context.array(((Collection<?>) v).iterator(), pythonClass);
            _streamReadConstraints.validateNestingDepth(context.getNestingDepth());
            return _updateToken(JsonToken.START_ARRAY);
        }
        return _updateToken(scalarToken(v));
    }

    private static JsonToken scalarToken(Object v) {
        if (v == null) {
            return JsonToken.VALUE_NULL;
        }
        if (v instanceof Boolean b) {
            return b ? JsonToken.VALUE_TRUE : JsonToken.VALUE_FALSE;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof BigInteger || v instanceof Short || v instanceof Byte) {
            return JsonToken.VALUE_NUMBER_INT;
        }
        if (v instanceof Double || v instanceof BigDecimal || v instanceof Float) {
            return JsonToken.VALUE_NUMBER_FLOAT;
        }
        if (v instanceof String || v instanceof TemporalAccessor || v instanceof java.time.Duration
                || v instanceof UUID || v instanceof PyDecimal || v instanceof PyGlobal) {
            return JsonToken.VALUE_STRING;
        }
        return JsonToken.VALUE_EMBEDDED_OBJECT;
    }

    /**
     * {@return the Python class ({@code module.qualname}) of the instance whose object or array starts here, or null}
     */
    public String currentPythonClass() {
        return typeId;
    }

    @Override
    public boolean canReadTypeId() {
        return true;
    }

    /** The Python class of the instance at a START_OBJECT or START_ARRAY, as {@code module.qualname}. */
    @Override
    public Object getTypeId() {
        return typeId;
    }

    @Override
    public JsonParser skipChildren() throws JacksonException {
        if (_currToken == JsonToken.START_OBJECT || _currToken == JsonToken.START_ARRAY) {
            JsonToken end = _currToken == JsonToken.START_OBJECT ? JsonToken.END_OBJECT : JsonToken.END_ARRAY;
            context = context.getParent();
            value = null;
            _updateToken(end);
        }
        return this;
    }

    @Override
    public TokenStreamContext streamReadContext() {
        return context;
    }

    @Override
    public void assignCurrentValue(Object v) {
        context.assignCurrentValue(v);
    }

    @Override
    public Object currentValue() {
        return context.currentValue();
    }

    @Override
    public String currentName() {
        PickleReadContext c = context;
        if (_currToken == JsonToken.START_OBJECT || _currToken == JsonToken.START_ARRAY) {
            c = c.getParent();
        }
        return c == null ? null : c.currentName();
    }

    @Override
    public TokenStreamLocation currentTokenLocation() {
        return new TokenStreamLocation(_ioContext.contentReference(), pickleStart, -1L, -1, -1);
    }

    @Override
    public TokenStreamLocation currentLocation() {
        return new TokenStreamLocation(_ioContext.contentReference(), context.inRoot() ? pickleEnd : pickleStart, -1L, -1, -1);
    }

    @Override
    public String getString() throws JacksonException {
        if (_currToken == null) {
            return null;
        }
        return switch (_currToken) {
            case PROPERTY_NAME -> (String) value;
            case VALUE_STRING -> text(value);
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> value instanceof BigDecimal d ? d.toPlainString() : value.toString();
            case VALUE_EMBEDDED_OBJECT -> value == null ? null : value.toString();
            default -> _currToken.asString();
        };
    }

    /** The ISO text of a date, time or UUID (what Jackson's deserializers of those types parse). */
    private static String text(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof PyDecimal d) {
            return d.text();
        }
        if (v instanceof PyGlobal g) {
            return g.toString();
        }
        return v.toString();
    }

    @Override
    public char[] getStringCharacters() throws JacksonException {
        String s = getString();
        return s == null ? null : s.toCharArray();
    }

    @Override
    public int getStringLength() throws JacksonException {
        String s = getString();
        return s == null ? 0 : s.length();
    }

    @Override
    public int getStringOffset() {
        return 0;
    }

    @Override
    public boolean hasStringCharacters() {
        return false;
    }

    @Override
    public Object getEmbeddedObject() {
        return _currToken == JsonToken.VALUE_EMBEDDED_OBJECT ? value : null;
    }

    @Override
    public byte[] getBinaryValue(Base64Variant b64variant) throws JacksonException {
        byte[] bytes = PythonValues.bytes(value);
        if (bytes != null && _currToken == JsonToken.VALUE_EMBEDDED_OBJECT) {
            return bytes;
        }
        if (_currToken == JsonToken.VALUE_STRING) {
            try {
                return b64variant.decode(getString());
            } catch (IllegalArgumentException e) {
                throw _constructReadException("a str where bytes are expected, and not base64: " + e.getMessage());
            }
        }
        throw _constructReadException("Current token (" + _currToken + ") is not bytes; cannot read a binary value");
    }

    @Override
    public int readBinaryValue(Base64Variant b64variant, OutputStream out) throws JacksonException {
        byte[] data = getBinaryValue(b64variant);
        try {
            out.write(data);
        } catch (IOException e) {
            throw _wrapIOFailure(e);
        }
        return data.length;
    }

    @Override
    public boolean isNaN() {
        return value instanceof Double d && !Double.isFinite(d);
    }

    private Number number() {
        if (value instanceof Number n && (_currToken == JsonToken.VALUE_NUMBER_INT
                || _currToken == JsonToken.VALUE_NUMBER_FLOAT)) {
            return n;
        }
        throw _constructNotNumericType(_currToken, 0);
    }

    @Override
    public Number getNumberValue() {
        return number();
    }

    @Override
    public Number getNumberValueExact() {
        return number();
    }

    @Override
    public Object getNumberValueDeferred() {
        return number();
    }

    @Override
    public NumberType getNumberType() {
        if (!(value instanceof Number n)) {
            return null;
        }
        if (n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return NumberType.INT;
        }
        if (n instanceof Float) {
            return NumberType.FLOAT;
        }
        if (n instanceof Long) {
            return NumberType.LONG;
        }
        if (n instanceof BigInteger) {
            return NumberType.BIG_INTEGER;
        }
        if (n instanceof BigDecimal) {
            return NumberType.BIG_DECIMAL;
        }
        return NumberType.DOUBLE;
    }

    @Override
    public NumberTypeFP getNumberTypeFP() {
        if (value instanceof Double) {
            return NumberTypeFP.DOUBLE64;
        }
        if (value instanceof BigDecimal) {
            return NumberTypeFP.BIG_DECIMAL;
        }
        return NumberTypeFP.UNKNOWN;
    }

    @Override
    public int getIntValue() {
        Number n = number();
        if (n instanceof Integer i) {
            return i;
        }
        if (n instanceof Long || n instanceof BigInteger) {
            BigInteger big = n instanceof BigInteger b ? b : BigInteger.valueOf(n.longValue());
            if (big.bitLength() > 31) {
                _reportOverflowInt(big.toString());
            }
            return big.intValue();
        }
        double d = n.doubleValue();
        if (d < Integer.MIN_VALUE || d > Integer.MAX_VALUE || Double.isNaN(d)) {
            _reportOverflowInt(n.toString());
        }
        return n.intValue();
    }

    @Override
    public long getLongValue() {
        Number n = number();
        if (n instanceof Integer || n instanceof Long) {
            return n.longValue();
        }
        if (n instanceof BigInteger b) {
            if (b.bitLength() > 63) {
                _reportOverflowLong(b.toString());
            }
            return b.longValue();
        }
        double d = n.doubleValue();
        if (d < Long.MIN_VALUE || d > Long.MAX_VALUE || Double.isNaN(d)) {
            _reportOverflowLong(n.toString());
        }
        return n.longValue();
    }

    @Override
    public BigInteger getBigIntegerValue() {
        Number n = number();
        if (n instanceof BigInteger b) {
            return b;
        }
        if (n instanceof Integer || n instanceof Long) {
            return BigInteger.valueOf(n.longValue());
        }
        return getDecimalValue().toBigInteger();
    }

    @Override
    public float getFloatValue() {
        return number().floatValue();
    }

    @Override
    public double getDoubleValue() {
        return number().doubleValue();
    }

    @Override
    public BigDecimal getDecimalValue() {
        Number n = number();
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof BigInteger b) {
            return new BigDecimal(b);
        }
        if (n instanceof Double d) {
            if (!Double.isFinite(d)) {
                throw _constructInputCoercion("float value (" + d + ") cannot be a BigDecimal", _currToken, BigDecimal.class);
            }
            return BigDecimal.valueOf(d);
        }
        return BigDecimal.valueOf(n.longValue());
    }

    @Override
    protected void _closeInput() {
        stream.close();
    }

    @Override
    protected void _releaseBuffers() {
    }

    @Override
    protected void _handleEOF() {
    }
}
