package dev.picklejar.jackson;

import java.util.Iterator;
import java.util.Map;
import tools.jackson.core.TokenStreamContext;

/**
 * Where a {@link PickleParser} is in the loaded value: the root, a list-like value (list, tuple,
 * set, namedtuple) or a dict-like value (dict, an instance's attributes), with the items still to
 * come.
 */
final class PickleReadContext extends TokenStreamContext {
    private final PickleReadContext parent;
    private final Iterator<?> items;
    private final String pythonClass;
    private String name;
    private Object pendingValue;
    private boolean valueNext;
    private Object currentValue;

    private PickleReadContext(PickleReadContext parent, int type, Iterator<?> items, String pythonClass) {
        super(type, -1);
        this.parent = parent;
        this.items = items;
        this.pythonClass = pythonClass;
        this._nestingDepth = parent == null ? 0 : parent._nestingDepth + 1;
    }

    static PickleReadContext root() {
        return new PickleReadContext(null, TYPE_ROOT, null, null);
    }

    PickleReadContext array(Iterator<?> items, String pythonClass) {
        return new PickleReadContext(this, TYPE_ARRAY, items, pythonClass);
    }

    PickleReadContext object(Iterator<? extends Map.Entry<?, ?>> entries, String pythonClass) {
        return new PickleReadContext(this, TYPE_OBJECT, entries, pythonClass);
    }

    /** The Python class ({@code module.qualname}) of the instance this context reads, or null. */
    String pythonClass() {
        return pythonClass;
    }

    boolean valueNext() {
        return valueNext;
    }

    boolean hasMoreItems() {
        return items.hasNext();
    }

    /** The next item of an array. */
    Object nextItem() {
        _index++;
        return items.next();
    }

    /** Moves to the next entry of an object; gives its key as a property name. */
    String nextName() {
        Map.Entry<?, ?> e = (Map.Entry<?, ?>) items.next();
        _index++;
        name = PythonValues.keyName(e.getKey());
        pendingValue = e.getValue();
        valueNext = true;
        return name;
    }

    /** The value of the entry whose name was just given. */
    Object takeValue() {
        valueNext = false;
        Object v = pendingValue;
        pendingValue = null;
        return v;
    }

    /** The root context counts the pickles read, one root value each. */
    void nextRoot() {
        _index++;
    }

    @Override
    public PickleReadContext getParent() {
        return parent;
    }

    @Override
    public String currentName() {
        return name;
    }

    @Override
    public Object currentValue() {
        return currentValue;
    }

    @Override
    public void assignCurrentValue(Object v) {
        currentValue = v;
    }
}
