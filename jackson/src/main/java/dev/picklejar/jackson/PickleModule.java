package dev.picklejar.jackson;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.Version;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.deser.SettableBeanProperty;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.bean.BeanAsArrayDeserializer;
import tools.jackson.databind.deser.bean.BeanDeserializerBase;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.introspect.AnnotatedClass;
import tools.jackson.databind.introspect.NopAnnotationIntrospector;
import tools.jackson.databind.jsontype.TypeSerializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.ValueSerializerModifier;
import tools.jackson.databind.ser.std.DelegatingSerializer;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * What {@link PickleMapper} adds to Jackson's data binding: Python's own types for Java values
 * that have one (dates and times as {@code datetime}, {@code UUID} as {@code uuid.UUID}), enums of a
 * {@link PythonClass} as members of that Python {@code Enum}, records and POJOs read by position
 * from a namedtuple or tuple, and {@link PythonClass} names as type names for polymorphic typing.
 */
final class PickleModule extends SimpleModule {
    private static final long serialVersionUID = 1L;

    PickleModule() {
        super("picklejar", Version.unknownVersion());
        NativeSerializer embedded = new NativeSerializer();
        for (Class<?> type : List.of(LocalDateTime.class, OffsetDateTime.class, ZonedDateTime.class,
                LocalDate.class, LocalTime.class, OffsetTime.class, Duration.class, ZoneOffset.class,
                Instant.class, Date.class, UUID.class)) {
            addSerializer(type, embedded);
        }
        setSerializerModifier(new EnumMembers());
        setDeserializerModifier(new Positional());
    }

    @Override
    public void setupModule(SetupContext context) {
        super.setupModule(context);
        context.insertAnnotationIntrospector(new TypeNames());
    }

    /** Writes a value as picklejar's core pickles it: java.time as datetimes, UUID as uuid.UUID. */
    private static final class NativeSerializer extends StdSerializer<Object> {
        NativeSerializer() {
            super(Object.class);
        }

        @Override
        public void serialize(Object value, JsonGenerator gen, SerializationContext ctxt) throws JacksonException {
            Object v = value;
            if (v instanceof ZonedDateTime z) {
                v = z.toOffsetDateTime();      // a zone id has no pickle of its own; its offset at that instant does
            } else if (v instanceof Date d) {
                v = d.toInstant();
            }
            gen.writeEmbeddedObject(v);
        }
    }

    /** Enums with a Python class are written as members of that Enum: Color(value). */
    private static final class EnumMembers extends ValueSerializerModifier {
        private static final long serialVersionUID = 1L;

        @Override
        public ValueSerializer<?> modifyEnumSerializer(SerializationConfig config, JavaType valueType,
                                                       BeanDescription.Supplier beanDesc, ValueSerializer<?> serializer) {
            return serializer instanceof EnumMemberSerializer ? serializer : new EnumMemberSerializer(serializer);
        }

        /** An enum with a @JsonValue gets Jackson's @JsonValue serializer, not the enum one. */
        @Override
        public ValueSerializer<?> modifySerializer(SerializationConfig config, BeanDescription.Supplier beanDesc,
                                                   ValueSerializer<?> serializer) {
            return beanDesc.getType().isEnumType() && !(serializer instanceof EnumMemberSerializer)
                    ? new EnumMemberSerializer(serializer) : serializer;
        }
    }

    private static final class EnumMemberSerializer extends DelegatingSerializer {
        EnumMemberSerializer(ValueSerializer<?> delegatee) {
            super(delegatee);
        }

        @Override
        protected ValueSerializer<Object> newDelegatingInstance(ValueSerializer<?> newDelegatee) {
            return new EnumMemberSerializer(newDelegatee);
        }

        @Override
        public void serialize(Object value, JsonGenerator gen, SerializationContext ctxt) throws JacksonException {
            if (gen instanceof PickleGenerator pickle && value instanceof Enum<?> member) {
                pickle.beginEnumMember(member);
            }
            _delegatee.serialize(value, gen, ctxt);
        }

        @Override
        public void serializeWithType(Object value, JsonGenerator gen, SerializationContext ctxt,
                                      TypeSerializer typeSer) throws JacksonException {
            _delegatee.serializeWithType(value, gen, ctxt, typeSer);
        }
    }

    /** Records and POJOs also read from an array: a namedtuple's or tuple's items, by position. */
    private static final class Positional extends ValueDeserializerModifier {
        private static final long serialVersionUID = 1L;

        @Override
        public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config,
                                                       BeanDescription.Supplier beanDescRef,
                                                       ValueDeserializer<?> deserializer) {
            return deserializer instanceof BeanDeserializerBase ? new PositionalDeserializer(deserializer) : deserializer;
        }
    }

    private static final class PositionalDeserializer extends DelegatingDeserializer {
        private transient volatile ValueDeserializer<Object> byPosition;

        PositionalDeserializer(ValueDeserializer<?> delegatee) {
            super(delegatee);
        }

        @Override
        protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> newDelegatee) {
            return newDelegatee instanceof BeanDeserializerBase ? new PositionalDeserializer(newDelegatee) : newDelegatee;
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
            if (p.isExpectedStartArrayToken() && p instanceof PickleParser) {
                return byPosition().deserialize(p, ctxt);
            }
            return _delegatee.deserialize(p, ctxt);
        }

        @SuppressWarnings("unchecked")
        private ValueDeserializer<Object> byPosition() {
            ValueDeserializer<Object> d = byPosition;
            if (d == null) {
                BeanDeserializerBase bean = (BeanDeserializerBase) _delegatee;
                List<SettableBeanProperty> ordered = new ArrayList<>();
                for (Iterator<SettableBeanProperty> it = bean.properties(); it.hasNext(); ) {
                    ordered.add(it.next());
                }
                d = (ValueDeserializer<Object>) (ValueDeserializer<?>) new BeanAsArrayDeserializer(bean,
                        ordered.toArray(new SettableBeanProperty[0]));
                byPosition = d;
            }
            return d;
        }
    }

    /** A {@link PythonClass} names its type for {@code @JsonTypeInfo(use = Id.NAME)}: "module.qualname". */
    private static final class TypeNames extends NopAnnotationIntrospector {
        private static final long serialVersionUID = 1L;

        @Override
        public String findTypeName(MapperConfig<?> config, AnnotatedClass ac) {
            PythonClass c = ac.getAnnotation(PythonClass.class);
            return c == null ? null : c.module() + "." + c.name();
        }
    }
}
