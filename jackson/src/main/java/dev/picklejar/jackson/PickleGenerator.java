package dev.picklejar.jackson;

import dev.picklejar.PickleException;
import dev.picklejar.PyGlobal;
import dev.picklejar.PyFrozenSet;
import dev.picklejar.PyObject;
import dev.picklejar.PyTuple;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.Base64Variant;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.SerializableString;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.Version;
import tools.jackson.core.base.GeneratorBase;
import tools.jackson.core.exc.StreamWriteException;
import tools.jackson.core.io.IOContext;
import tools.jackson.core.util.SimpleStreamWriteContext;

/**
 * Writes each root value as one pickle, byte for byte what CPython's {@code pickle.dumps} writes
 * for the equivalent Python value at the factory's protocol: objects as dicts (or, for types with a
 * Python class, as instances of it: {@code cls.__new__(cls)} with the properties as attributes,
 * as CPython pickles a dataclass), arrays as lists ({@code Set}s as sets), binary as {@code bytes},
 * numbers as {@code int}, {@code float} and {@code Decimal}, and embedded objects as picklejar's core
 * writes them ({@code java.time} values as datetimes, {@code UUID} as {@code uuid.UUID}).
 *
 * <p>Sharing follows Java identity, as the pickle memo follows Python's: the same {@code String}
 * instance written twice is written once and fetched again, as in CPython.
 */
public final class PickleGenerator extends GeneratorBase {
    private final OutputStream out;
    private final PickleFactory factory;
    private SimpleStreamWriteContext writeContext = SimpleStreamWriteContext.createRootContext(null);
    /** The containers being built, innermost last; each frame's pending property name beside it. */
    private final List<Frame> frames = new ArrayList<>();
    /** Enum members already written in this root value: CPython writes a member once, then fetches it. */
    private final Map<Enum<?>, PyObject> members = new IdentityHashMap<>();
    private final Map<String, String> propertyNames = new java.util.HashMap<>();
    private String pendingTypeId;
    private Enum<?> pendingMember;
    private PyGlobal pendingMemberClass;

    PickleGenerator(ObjectWriteContext writeCtxt, IOContext ioCtxt, int streamWriteFeatures,
                    OutputStream out, PickleFactory factory) {
        super(writeCtxt, ioCtxt, streamWriteFeatures);
        this.out = out;
        this.factory = factory;
    }

    private static final class Frame {
        final Object container;
        final Object result;
        Object key;

        Frame(Object container, Object result) {
            this.container = container;
            this.result = result;
        }
    }

    @Override
    public Version version() {
        return Version.unknownVersion();
    }

    /** {@return the pickle protocol written} */
    public int protocol() {
        return factory.protocol();
    }

    @Override
    public Object streamWriteOutputTarget() {
        return out;
    }

    @Override
    public int streamWriteOutputBuffered() {
        return -1;
    }

    @Override
    public TokenStreamContext streamWriteContext() {
        return writeContext;
    }

    @Override
    public Object currentValue() {
        return writeContext.currentValue();
    }

    @Override
    public void assignCurrentValue(Object v) {
        writeContext.assignCurrentValue(v);
    }

    @Override
    public tools.jackson.core.util.JacksonFeatureSet<tools.jackson.core.StreamWriteCapability> streamWriteCapabilities() {
        return DEFAULT_BINARY_WRITE_CAPABILITIES;
    }

    /**
     * Type ids are native: a polymorphic value is an instance of its Python class (from
     * {@link PythonClass}, a registration, or else the id read as {@code module.qualname}), never a
     * dict with a type property.
     */
    @Override
    public boolean canWriteTypeId() {
        return true;
    }

    @Override
    public JsonGenerator writeTypeId(Object id) throws JacksonException {
        pendingTypeId = id == null ? null : id.toString();
        return this;
    }

    @Override
    public JsonGenerator writeStartArray() throws JacksonException {
        return writeStartArray(null);
    }

    @Override
    public JsonGenerator writeStartArray(Object forValue) throws JacksonException {
        _verifyValueWrite("start an array");
        writeContext = writeContext.createChildArrayContext(forValue);
        _streamWriteConstraints.validateNestingDepth(writeContext.getNestingDepth());
        // A Java Set is a Python set; PyTuple and PyFrozenSet, built once their items are known.
        Object container = forValue instanceof Set<?> ? new LinkedHashSet<>() : new ArrayList<>();
        Object result = forValue instanceof PyTuple ? PyTuple.EMPTY
                : forValue instanceof PyFrozenSet ? PyFrozenSet.EMPTY : container;
        frames.add(new Frame(container, result));
        return this;
    }

    @Override
    public JsonGenerator writeStartArray(Object forValue, int size) throws JacksonException {
        return writeStartArray(forValue);
    }

    @Override
    @SuppressWarnings("unchecked")
    public JsonGenerator writeEndArray() throws JacksonException {
        if (!writeContext.inArray()) {
            throw new StreamWriteException(this, "Current context not Array but " + writeContext.typeDesc());
        }
        writeContext = writeContext.getParent();
        Frame f = frames.remove(frames.size() - 1);
        Object v = f.result;
        if (f.result instanceof PyTuple) {
            v = PyTuple.copyOf((List<Object>) f.container);
        } else if (f.result instanceof PyFrozenSet) {
            v = PyFrozenSet.copyOf((Set<Object>) f.container);
        }
        add(v);
        return this;
    }

    @Override
    public JsonGenerator writeStartObject() throws JacksonException {
        return writeStartObject(null);
    }

    @Override
    public JsonGenerator writeStartObject(Object forValue) throws JacksonException {
        _verifyValueWrite("start an object");
        writeContext = writeContext.createChildObjectContext(forValue);
        _streamWriteConstraints.validateNestingDepth(writeContext.getNestingDepth());
        Map<Object, Object> state = new LinkedHashMap<>();
        Object result = state;
        String typeId = pendingTypeId;
        pendingTypeId = null;
        if (forValue != null && !(forValue instanceof Map)) {
            PyGlobal cls = factory.pythonClassOf(forValue.getClass()).orElse(null);
            if (cls == null && typeId != null) {
                int dot = typeId.lastIndexOf('.');
                cls = dot > 0 ? new PyGlobal(typeId.substring(0, dot), typeId.substring(dot + 1))
                        : new PyGlobal("__main__", typeId);
            }
            if (cls != null) {
                // What copyreg.__reduce_ex__ gives for a dataclass or plain instance: cls.__new__(cls), then its __dict__.
                PyObject instance = PyObject.newObj(cls, PyTuple.EMPTY);
                instance.setState(state);
                result = instance;
            }
        }
        frames.add(new Frame(state, result));
        return this;
    }

    @Override
    public JsonGenerator writeStartObject(Object forValue, int size) throws JacksonException {
        return writeStartObject(forValue);
    }

    @Override
    public JsonGenerator writeEndObject() throws JacksonException {
        if (!writeContext.inObject()) {
            throw new StreamWriteException(this, "Current context not Object but " + writeContext.typeDesc());
        }
        writeContext = writeContext.getParent();
        add(frames.remove(frames.size() - 1).result);
        return this;
    }

    @Override
    public JsonGenerator writeName(String name) throws JacksonException {
        if (!writeContext.writeName(name)) {
            throw new StreamWriteException(this, "Can not write a property name, expecting a value");
        }
        frames.get(frames.size() - 1).key = name;
        return this;
    }

    /**
     * A bean property's name is shared by every instance of every class, as Python interns attribute
     * names: the memo writes each name once per pickle, as CPython does.
     */
    @Override
    public JsonGenerator writeName(SerializableString name) throws JacksonException {
        String s = name.getValue();
        String shared = propertyNames.putIfAbsent(s, s);
        return writeName(shared == null ? s : shared);
    }

    /** An int key stays an int, as a Python dict's keys may be ints. */
    @Override
    public JsonGenerator writePropertyId(long id) throws JacksonException {
        if (!writeContext.writeName(Long.toString(id))) {
            throw new StreamWriteException(this, "Can not write a property name, expecting a value");
        }
        frames.get(frames.size() - 1).key = id == (int) id ? Integer.valueOf((int) id) : Long.valueOf(id);
        return this;
    }

    @Override
    public JsonGenerator writeString(String text) throws JacksonException {
        _verifyValueWrite(WRITE_STRING);
        return add(text);
    }

    @Override
    public JsonGenerator writeString(char[] buffer, int offset, int len) throws JacksonException {
        return writeString(new String(buffer, offset, len));
    }

    @Override
    public JsonGenerator writeRawUTF8String(byte[] buffer, int offset, int len) throws JacksonException {
        return writeString(new String(buffer, offset, len, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public JsonGenerator writeUTF8String(byte[] buffer, int offset, int len) throws JacksonException {
        return writeRawUTF8String(buffer, offset, len);
    }

    @Override
    public JsonGenerator writeRaw(String text) throws JacksonException {
        return _reportUnsupportedOperation();
    }

    @Override
    public JsonGenerator writeRaw(String text, int offset, int len) throws JacksonException {
        return _reportUnsupportedOperation();
    }

    @Override
    public JsonGenerator writeRaw(char[] text, int offset, int len) throws JacksonException {
        return _reportUnsupportedOperation();
    }

    @Override
    public JsonGenerator writeRaw(char c) throws JacksonException {
        return _reportUnsupportedOperation();
    }

    @Override
    public JsonGenerator writeBinary(Base64Variant variant, byte[] data, int offset, int len) throws JacksonException {
        _verifyValueWrite(WRITE_BINARY);
        return add(offset == 0 && len == data.length ? data : Arrays.copyOfRange(data, offset, offset + len));
    }

    @Override
    public JsonGenerator writeNumber(short v) throws JacksonException {
        return writeNumber((int) v);
    }

    @Override
    public JsonGenerator writeNumber(int v) throws JacksonException {
        _verifyValueWrite(WRITE_NUMBER);
        return add(v);
    }

    @Override
    public JsonGenerator writeNumber(long v) throws JacksonException {
        _verifyValueWrite(WRITE_NUMBER);
        return add(v);
    }

    @Override
    public JsonGenerator writeNumber(BigInteger v) throws JacksonException {
        _verifyValueWrite(WRITE_NUMBER);
        return add(v);
    }

    @Override
    public JsonGenerator writeNumber(double v) throws JacksonException {
        _verifyValueWrite(WRITE_NUMBER);
        return add(v);
    }

    /** A Java float is the Python float of the same value (0.1f is 0.10000000149011612). */
    @Override
    public JsonGenerator writeNumber(float v) throws JacksonException {
        return writeNumber((double) v);
    }

    /** A BigDecimal is a Python {@code decimal.Decimal} with the same digits and exponent. */
    @Override
    public JsonGenerator writeNumber(BigDecimal v) throws JacksonException {
        _verifyValueWrite(WRITE_NUMBER);
        return add(v);
    }

    @Override
    public JsonGenerator writeNumber(String encodedValue) throws JacksonException {
        _verifyValueWrite(WRITE_NUMBER);
        if (encodedValue == null) {
            return add(null);
        }
        try {
            return add(new BigInteger(encodedValue));
        } catch (NumberFormatException notAnInt) {
            try {
                return add(new BigDecimal(encodedValue));
            } catch (NumberFormatException e) {
                throw new StreamWriteException(this, "not a number: '" + encodedValue + "'");
            }
        }
    }

    @Override
    public JsonGenerator writeBoolean(boolean state) throws JacksonException {
        _verifyValueWrite(WRITE_BOOLEAN);
        return add(state);
    }

    @Override
    public JsonGenerator writeNull() throws JacksonException {
        _verifyValueWrite(WRITE_NULL);
        return add(null);
    }

    /**
     * Writes any value picklejar's core can pickle as it is: {@code java.time} values, {@code UUID},
     * picklejar's Python types ({@code PyTuple}, {@code PyObject}, {@code PyGlobal}...).
     */
    @Override
    public JsonGenerator writeEmbeddedObject(Object object) throws JacksonException {
        _verifyValueWrite("write an embedded object");
        return add(object);
    }

    /**
     * Says that the next value written is the value of an {@code Enum} member: when the enum has a
     * Python class, the member is written as CPython writes it ({@code Color(value)}, once per pickle).
     */
    void beginEnumMember(Enum<?> member) {
        PyGlobal cls = factory.pythonClassOf(member.getDeclaringClass()).orElse(null);
        if (cls != null) {
            pendingMember = member;
            pendingMemberClass = cls;
        }
    }

    @SuppressWarnings("unchecked")
    private JsonGenerator add(Object v) {
        if (pendingMember != null) {
            Enum<?> member = pendingMember;
            PyGlobal cls = pendingMemberClass;
            pendingMember = null;
            Object written = v;
            v = members.computeIfAbsent(member, m -> PyObject.reduce(cls, PyTuple.of(written)));
        }
        if (frames.isEmpty()) {
            writeRoot(v);
            return this;
        }
        Frame f = frames.get(frames.size() - 1);
        if (f.container instanceof Map<?, ?> map) {
            ((Map<Object, Object>) map).put(f.key, v);
            f.key = null;
        } else {
            ((java.util.Collection<Object>) f.container).add(v);
        }
        return this;
    }

    private void writeRoot(Object root) {
        members.clear();
        try {
            factory.pickler().dump(root, out);
        } catch (PickleException e) {
            throw new StreamWriteException(this, "cannot pickle the value: " + e.getMessage(), e);
        }
    }

    @Override
    protected void _verifyValueWrite(String typeMsg) throws JacksonException {
        if (!writeContext.writeValue()) {
            throw new StreamWriteException(this, "Cannot " + typeMsg + ", expecting a property name");
        }
    }

    @Override
    public void flush() throws JacksonException {
        if (isEnabled(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)) {
            try {
                out.flush();
            } catch (IOException e) {
                throw _wrapIOFailure(e);
            }
        }
    }

    @Override
    protected void _closeInput() throws IOException {
        if (isEnabled(StreamWriteFeature.AUTO_CLOSE_CONTENT)) {
            while (writeContext.inArray() || writeContext.inObject()) {
                if (writeContext.inArray()) {
                    writeEndArray();
                } else {
                    writeEndObject();
                }
            }
        }
        if (_ioContext.isResourceManaged() || isEnabled(StreamWriteFeature.AUTO_CLOSE_TARGET)) {
            out.close();
        } else if (isEnabled(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)) {
            out.flush();
        }
    }

    @Override
    protected void _releaseBuffers() {
    }
}
