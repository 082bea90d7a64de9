package dev.picklejar;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An inert Python object that picklejar has no Java type for: an instance of an unknown class, or
 * the result of calling a global that loading must not call. It records how the pickle built it
 * (the callable, its arguments, the state given to {@code BUILD}, the items appended or set on it)
 * so that writing it back produces the same bytes. Nothing is ever executed.
 *
 * <p>Equality is identity, as for Python objects without {@code __eq__}.
 */
public final class PyObject {
    /** The opcode family that created the object. */
    public enum Construction {
        /** {@code callable(*args)}: the REDUCE opcode. */
        REDUCE,
        /** {@code cls.__new__(cls, *args)}: NEWOBJ (protocol 2+). */
        NEWOBJ,
        /** {@code cls.__new__(cls, *args, **kwargs)}: NEWOBJ_EX (protocol 4+). */
        NEWOBJ_EX,
        /** The INST opcode of protocol 0: class named inline, arguments from the mark. */
        INST,
        /** The OBJ opcode of protocol 1: class and arguments from the mark. */
        OBJ
    }

    private final Object callable;
    private final Construction construction;
    private final PyTuple args;
    private final Object kwargs;
    private Object state;
    private boolean hasState;
    private List<Object> listItems;
    private List<Map.Entry<Object, Object>> dictItems;
    private List<Object> setItems;
    private Object stateSetter;

    private PyObject(Object callable, Construction construction, PyTuple args, Object kwargs) {
        this.callable = callable;
        this.construction = Objects.requireNonNull(construction, "construction");
        this.args = Objects.requireNonNull(args, "args");
        this.kwargs = kwargs;
    }

    /**
     * An object built as {@code callable(*args)} (REDUCE).
     * @param callable what is called, usually a {@link PyGlobal}
     * @param args the positional arguments; not null
     * @return the object, without state or items yet
     */
    public static PyObject reduce(Object callable, PyTuple args) {
        return new PyObject(callable, Construction.REDUCE, args, null);
    }

    /**
     * An object built as {@code cls.__new__(cls, *args)} (NEWOBJ).
     * @param cls the class, usually a {@link PyGlobal}
     * @param args the positional arguments of {@code __new__}; not null
     * @return the object, without state or items yet
     */
    public static PyObject newObj(Object cls, PyTuple args) {
        return new PyObject(cls, Construction.NEWOBJ, args, null);
    }

    /**
     * An object built as {@code cls.__new__(cls, *args, **kwargs)} (NEWOBJ_EX); kwargs is a dict.
     * @param cls the class, usually a {@link PyGlobal}
     * @param args the positional arguments of {@code __new__}; not null
     * @param kwargs the keyword arguments, a dict (a {@code Map} with {@code String} keys)
     * @return the object, without state or items yet
     */
    public static PyObject newObjEx(Object cls, PyTuple args, Object kwargs) {
        return new PyObject(cls, Construction.NEWOBJ_EX, args, kwargs);
    }

    /**
     * An object built by INST or OBJ: {@code cls(*args)} for the old protocols.
     * @param cls the class, usually a {@link PyGlobal}
     * @param args the arguments the mark held; not null
     * @param construction {@link Construction#INST} or {@link Construction#OBJ}
     * @return the object, without state or items yet
     * @throws IllegalArgumentException for any other construction
     */
    public static PyObject instance(Object cls, PyTuple args, Construction construction) {
        if (construction != Construction.INST && construction != Construction.OBJ) {
            throw new IllegalArgumentException("INST or OBJ expected, got " + construction);
        }
        return new PyObject(cls, construction, args, null);
    }

    /** {@return the class or function the object came from, usually a {@link PyGlobal}} */
    public Object callable() {
        return callable;
    }

    /** {@return the callable when it is a global, otherwise {@code null}} */
    public PyGlobal global() {
        return callable instanceof PyGlobal g ? g : null;
    }

    /** {@return the opcode that built the object} */
    public Construction construction() {
        return construction;
    }

    /** {@return the positional arguments given to the callable} */
    public PyTuple args() {
        return args;
    }

    /** {@return the keyword arguments (a dict) for NEWOBJ_EX, otherwise {@code null}} */
    public Object kwargs() {
        return kwargs;
    }

    /** {@return whether a BUILD opcode gave the object a state} */
    public boolean hasState() {
        return hasState;
    }

    /** {@return the state that BUILD gave the object (often a dict of attributes), or {@code null}} */
    public Object state() {
        return state;
    }

    /**
     * Records the state a BUILD opcode applies to the object.
     * @param state the state, often a dict of attributes; {@code null} is a state too (BUILD with None)
     */
    public void setState(Object state) {
        this.state = state;
        this.hasState = true;
    }

    /**
     * The function that set the state instead of BUILD ({@code state_setter}, the sixth item of a
     * reduce value, Python 3.8+), or {@code null}. The pickle calls {@code stateSetter(obj, state)}.
     * @return the state setter, or {@code null}
     */
    public Object stateSetter() {
        return stateSetter;
    }

    /**
     * Records a state given by calling {@code stateSetter(obj, state)} rather than by BUILD.
     * @param state the state the setter is called with
     * @param stateSetter the function called, usually a {@link PyGlobal}
     */
    public void setState(Object state, Object stateSetter) {
        setState(state);
        this.stateSetter = stateSetter;
    }

    /** {@return the items APPEND/APPENDS added to the object (list subclasses), in order} */
    public List<Object> listItems() {
        return listItems == null ? List.of() : Collections.unmodifiableList(listItems);
    }

    /** {@return the key/value pairs SETITEM/SETITEMS stored on the object (dict subclasses), in order} */
    public List<Map.Entry<Object, Object>> dictItems() {
        return dictItems == null ? List.of() : Collections.unmodifiableList(dictItems);
    }

    /** {@return the items ADDITEMS added to the object (set subclasses), in order} */
    public List<Object> setItems() {
        return setItems == null ? List.of() : Collections.unmodifiableList(setItems);
    }

    /**
     * Records an item appended to the object.
     * @param item the item, in the order APPEND or APPENDS gave it
     */
    public void appendItem(Object item) {
        if (listItems == null) {
            listItems = new ArrayList<>();
        }
        listItems.add(item);
    }

    /**
     * Records a key/value pair stored on the object; keys may repeat, as calls to {@code __setitem__} may.
     * @param key the key
     * @param value the value
     */
    public void putItem(Object key, Object value) {
        if (dictItems == null) {
            dictItems = new ArrayList<>();
        }
        dictItems.add(new AbstractMap.SimpleImmutableEntry<>(key, value));
    }

    /**
     * Records an item added to the object.
     * @param item the item, in the order ADDITEMS gave it
     */
    public void addItem(Object item) {
        if (setItems == null) {
            setItems = new ArrayList<>();
        }
        setItems.add(item);
    }

    @Override
    public String toString() {
        return Repr.of(this);
    }
}
