package dev.picklejar;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a value sits in an object graph, for error messages: {@code root[2]['name']}. Found by a
 * breadth-first search from the root, only when an error is being reported.
 */
final class GraphPath {
    private GraphPath() {
    }

    private static final int MAX_VISITS = 5_000_000;

    static String describe(Object root, Object target) {
        if (root == target) {
            return "the root";
        }
        IdentityHashMap<Object, String> paths = new IdentityHashMap<>();
        ArrayDeque<Object> queue = new ArrayDeque<>();
        paths.put(root, "root");
        queue.add(root);
        while (!queue.isEmpty() && paths.size() < MAX_VISITS) {
            Object node = queue.poll();
            String path = paths.get(node);
            if (node instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    String here = path + "[" + key(e.getKey()) + "]";
                    if (visit(e.getKey(), path + ".keys()", target, paths, queue)
                            || visit(e.getValue(), here, target, paths, queue)) {
                        return paths.get(target);
                    }
                }
            } else if (node instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    if (visit(list.get(i), path + "[" + i + "]", target, paths, queue)) {
                        return paths.get(target);
                    }
                }
            } else if (node instanceof Object[] array) {
                for (int i = 0; i < array.length; i++) {
                    if (visit(array[i], path + "[" + i + "]", target, paths, queue)) {
                        return paths.get(target);
                    }
                }
            } else if (node instanceof Set<?> set) {
                for (Object item : set) {
                    if (visit(item, path + " (a member)", target, paths, queue)) {
                        return paths.get(target);
                    }
                }
            } else if (node instanceof PyObject o) {
                if (visit(o.args(), path + ".args", target, paths, queue)
                        || visit(o.state(), path + ".state", target, paths, queue)
                        || visit(o.listItems(), path + ".listItems", target, paths, queue)
                        || visit(o.kwargs(), path + ".kwargs", target, paths, queue)) {
                    return paths.get(target);
                }
            }
        }
        return "an inner value";
    }

    private static boolean visit(Object child, String path, Object target, IdentityHashMap<Object, String> paths,
                                 ArrayDeque<Object> queue) {
        if (child == null || paths.containsKey(child)) {
            return false;
        }
        paths.put(child, path);
        if (child == target) {
            return true;
        }
        queue.add(child);
        return false;
    }

    private static String key(Object key) {
        String text = key instanceof String || key instanceof Number || key instanceof Boolean ? Repr.of(key)
                : key.getClass().getSimpleName();
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }
}
