package dev.picklejar;

import java.util.Objects;

/**
 * A member of a Python enum named by its class and name, as {@code getattr(Color, 'RED')} pickles
 * it (enums with {@code __reduce_ex__ = enum.pickle_by_enum_name}, the form Python 3.11 writes for
 * them; Python 3.12 and later write every enum member so). Loading never looks the class up: the
 * member stays inert, and is written back as the same {@code getattr} call. {@link #as(Class)}
 * binds it to a Java enum constant of the same name.
 *
 * <p>Picklejar loads {@code builtins.getattr(cls, name)} as a PyEnumMember whenever cls is a global
 * and name a str not starting with an underscore (enum members never do, methods such as
 * {@code ZoneInfo._unpickle} do); an enum member pickled by value, {@code Color(1)}, stays a
 * {@link PyObject} call, since its name is not in the pickle.
 *
 * @param enumClass the enum class, for example {@code mymodule.Color}
 * @param name the member's name, for example {@code RED}
 */
public record PyEnumMember(PyGlobal enumClass, String name) {
    /**
     * A member of the enum class of the given name.
     * @param enumClass the enum class; not null
     * @param name the member's name; not null
     * @throws NullPointerException if an argument is null
     */
    public PyEnumMember {
        Objects.requireNonNull(enumClass, "enumClass");
        Objects.requireNonNull(name, "name");
    }

    /**
     * The constant of a Java enum whose name is this member's.
     *
     * @param <E> the Java enum type
     * @param type the Java enum; not null
     * @return the constant named {@link #name()}
     * @throws IllegalArgumentException when the Java enum has no constant of that name
     */
    public <E extends Enum<E>> E as(Class<E> type) {
        return Enum.valueOf(type, name);
    }

    /**
     * A member that writes as {@code getattr(module.qualifiedName, constant.name())}.
     * @param module the Python enum's module, as {@code cls.__module__}; not null
     * @param qualifiedName the Python enum's name within its module, as {@code cls.__qualname__}; not null
     * @param constant the Java constant whose name is the member's; not null
     * @return the member
     */
    public static PyEnumMember of(String module, String qualifiedName, Enum<?> constant) {
        return new PyEnumMember(new PyGlobal(module, qualifiedName), constant.name());
    }

    /** The member as Python code names it: {@code mymodule.Color.RED}. */
    @Override
    public String toString() {
        return enumClass + "." + name;
    }
}
