package dev.picklejar;

import java.util.Objects;

/**
 * A reference to a Python global (a class, function or other module attribute) by module and
 * qualified name, as a pickle names it. Loading never imports or calls it.
 *
 * @param module the module, for example {@code "collections"}
 * @param name the qualified name within the module, for example {@code "OrderedDict"}
 */
public record PyGlobal(String module, String name) {
    /**
     * A reference to {@code module.name}.
     * @param module the module; not null
     * @param name the qualified name within the module; not null
     * @throws NullPointerException if an argument is null
     */
    public PyGlobal {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(name, "name");
    }

    /** The global as Python code would spell it: {@code module.name}. */
    @Override
    public String toString() {
        return module + "." + name;
    }
}
