package dev.picklejar.jackson;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the Python class that a Java type stands for. {@link PickleMapper} writes a record or POJO
 * so marked as an instance of that class (as CPython pickles a dataclass or plain instance:
 * {@code cls.__new__(cls)} and its attributes as state) instead of as a dict, an enum so marked as a
 * member of that {@code Enum} class, and uses {@code module.name} as the type's name for
 * {@code @JsonTypeInfo(use = Id.NAME)}, so that a pickled instance of the class reads as this subtype.
 *
 * <pre>{@code
 * @PythonClass(module = "geometry", name = "Point")
 * record Point(int x, int y) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface PythonClass {
    /** {@return the module that defines the class, as {@code cls.__module__} spells it: {@code "geometry"}} */
    String module();

    /**
     * {@return the class's qualified name within the module, as {@code cls.__qualname__}:
     * {@code "Point"}, {@code "Outer.Inner"}}
     */
    String name();
}
