package dev.picklejar.torch;

import dev.picklejar.PickleException;
import dev.picklejar.PickleStream;
import dev.picklejar.Pickler;
import dev.picklejar.PyGlobal;
import dev.picklejar.PyObject;
import dev.picklejar.PyTuple;
import dev.picklejar.Unpickler;
import dev.picklejar.numpy.NdArray;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A file {@code torch.save} wrote, read without torch: the zip format (any archive folder,
 * {@code data.pkl}, storages under {@code data/}, {@code byteorder}, {@code version}) and the
 * legacy format (magic number, protocol, system info, the pickle, storage keys, raw storages).
 * Storages are memory-mapped from the file, never copied; tensors become {@link Tensor}s over
 * them (shared storages stay shared) and everything else is the ordinary loaded value (a state
 * dict's {@code OrderedDict}, an optimizer's state, an epoch number...). Nothing is executed.
 *
 * <pre>{@code
 * TorchCheckpoint ckpt = TorchCheckpoint.load(Path.of("model.pt"));
 * float[] w = ckpt.tensors().get("fc.weight").toFloatArray();
 * }</pre>
 */
public final class TorchCheckpoint {
    /** The first pickle of a legacy file: torch's magic number. */
    static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final PyGlobal ORDERED_DICT = new PyGlobal("collections", "OrderedDict");
    private static final PyGlobal REBUILD = new PyGlobal("torch._utils", "_rebuild_tensor_v2");

    private final Object root;
    private final String format;
    private final Map<String, TorchStorage> storages;

    private TorchCheckpoint(Object root, String format, Map<String, TorchStorage> storages) {
        this.root = root;
        this.format = format;
        this.storages = storages;
    }

    /**
     * Whether the bytes start a file torch.save wrote (a zip, or a legacy file's magic number).
     * @param head the first bytes of a file (14 are enough); not null
     * @return true when they start a zip or a legacy checkpoint
     */
    public static boolean isCheckpoint(byte[] head) {
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return true;
        }
        return head.length >= 14 && head[0] == (byte) 0x80 && head[2] == (byte) 0x8a && head[3] == 10
                && new BigInteger(1, reverse(java.util.Arrays.copyOfRange(head, 4, 14))).equals(MAGIC);
    }

    private static byte[] reverse(byte[] b) {
        for (int i = 0, j = b.length - 1; i < j; i++, j--) {
            byte t = b[i];
            b[i] = b[j];
            b[j] = t;
        }
        return b;
    }

    /**
     * Reads a checkpoint, zip or legacy by its content.
     * @param file the file {@code torch.save} wrote
     * @return the checkpoint, its object loaded and its storages read
     * @throws IOException if the file cannot be read, or is a legacy checkpoint over 2 GiB
     * @throws dev.picklejar.PickleException if its pickle does not load
     * @throws IllegalArgumentException if the pickle names a storage the file does not hold, or of a kind picklejar
     *     does not read (views, unknown types)
     */
    public static TorchCheckpoint load(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(16, channel.size()));
            channel.read(head, 0);
            if (head.position() >= 4 && head.get(0) == 'P' && head.get(1) == 'K') {
                return loadZip(channel, file);
            }
            if (channel.size() > Integer.MAX_VALUE) {
                throw new IOException(file + ": a legacy checkpoint over 2 GiB is not supported");
            }
            return loadLegacy(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()), file);
        }
    }

    private static TorchCheckpoint loadZip(FileChannel channel, Path file) throws IOException {
        ZipDirectory zip = new ZipDirectory(channel);
        String prefix = null;
        for (String name : zip.members().keySet()) {
            if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                prefix = name.substring(0, name.length() - "data.pkl".length());
                break;
            }
        }
        if (prefix == null) {
            throw new IOException(file + ": a zip without FOLDER/data.pkl is not a torch checkpoint");
        }
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        ZipDirectory.Member byteorder = zip.members().get(prefix + "byteorder");
        if (byteorder != null) {
            String text = StandardCharsets.US_ASCII.decode(zip.open(byteorder)).toString().strip();
            if (text.equals("big")) {
                order = ByteOrder.BIG_ENDIAN;
            } else if (!text.equals("little")) {
                throw new IOException(file + ": byteorder is '" + text + "', not 'little' or 'big'");
            }
        }
        ByteOrder byteOrder = order;
        String folder = prefix;
        Map<String, TorchStorage> storages = new LinkedHashMap<>();
        Unpickler unpickler = Unpickler.builder().persistentLoad(pid -> {
            StoragePid p = StoragePid.of(pid);
            return storages.computeIfAbsent(p.key, key -> {
                ZipDirectory.Member m = zip.members().get(folder + "data/" + key);
                if (m == null) {
                    throw new IllegalArgumentException("storage " + key + " is not in the checkpoint (no "
                            + folder + "data/" + key + ")");
                }
                TorchStorage s = new TorchStorage(key, p.dtype, p.location, p.size);
                try {
                    s.attach(zip.open(m), byteOrder);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return s;
            });
        }).build();
        ByteBuffer pkl = zip.open(zip.members().get(prefix + "data.pkl"));
        byte[] bytes = new byte[pkl.remaining()];
        pkl.get(bytes);
        Object root = unpickler.loads(bytes);
        return new TorchCheckpoint(root, "zip", storages);
    }

    private static TorchCheckpoint loadLegacy(ByteBuffer file, Path name) throws IOException {
        Map<String, TorchStorage> storages = new LinkedHashMap<>();
        Unpickler plain = Unpickler.builder().build();
        Unpickler withStorages = Unpickler.builder().persistentLoad(pid -> {
            StoragePid p = StoragePid.of(pid);
            if (p.view != null) {
                throw new IllegalArgumentException("storage views (view_metadata " + p.view + ") are not supported");
            }
            return storages.computeIfAbsent(p.key, key -> new TorchStorage(key, p.dtype, p.location, p.size));
        }).build();
        InputStream in = new ByteBufferInput(file.duplicate());
        try (PickleStream header = plain.open(in)) {
            Object magic = header.next();
            if (!MAGIC.equals(magic)) {
                throw new IOException(name + ": not a torch checkpoint (the first pickle is not torch's magic number)");
            }
            Object protocol = header.next();
            if (!Integer.valueOf(1001).equals(protocol)) {
                throw new IOException(name + ": legacy protocol " + protocol + ", not 1001");
            }
            Object sysInfo = header.next();
            boolean little = !(sysInfo instanceof Map<?, ?> m) || !Boolean.FALSE.equals(m.get("little_endian"));
            long at = header.offset();
            ByteBuffer rest = file.duplicate().position((int) at);
            PickleStream body = withStorages.open(new ByteBufferInput(rest));
            Object root = body.next();
            Object keys = body.next();
            long pos = at + body.offset();
            if (!(keys instanceof List<?> list)) {
                throw new IOException(name + ": the storage keys pickle is a " + keys + ", not a list");
            }
            ByteOrder order = little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            for (Object k : list) {
                TorchStorage s = storages.get(String.valueOf(k));
                if (s == null) {
                    throw new IOException(name + ": storage key " + k + " is not used by the pickle");
                }
                if (pos + 8 > file.limit()) {
                    throw new IOException(name + ": truncated before storage " + k + " at byte " + pos);
                }
                long n = file.duplicate().order(order).getLong((int) pos);
                long bytes = n * s.dtype().elementSize();
                if (n != s.size() || pos + 8 + bytes > file.limit()) {
                    throw new IOException(name + ": storage " + k + " at byte " + pos + " has " + n + " items; "
                            + s.size() + " expected within the file");
                }
                s.attach(file.duplicate().position((int) (pos + 8)).limit((int) (pos + 8 + bytes)), order);
                pos += 8 + bytes;
            }
            for (TorchStorage s : storages.values()) {
                if (!s.hasBytes()) {
                    throw new IOException(name + ": storage " + s.key() + " is used but not among the storage keys");
                }
            }
            return new TorchCheckpoint(root, "legacy", storages);
        } catch (PickleException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
    }

    /** A checkpoint's {@code ('storage', torch.FloatStorage, key, location, numel[, view])} persistent id. */
    private record StoragePid(TorchDType dtype, String key, String location, long size, Object view) {
        static StoragePid of(Object pid) {
            if (!(pid instanceof PyTuple t) || t.size() < 5 || !"storage".equals(t.get(0))
                    || !(t.get(1) instanceof PyGlobal cls) || !cls.module().equals("torch")
                    || !(t.get(4) instanceof Number n)) {
                throw new IllegalArgumentException("persistent id " + dev.picklejar.Repr.of(pid)
                        + " is not a torch storage ('storage', torch.XStorage, key, location, size)");
            }
            TorchDType d = TorchDType.ofStorageClass(cls.name());
            if (d == null) {
                throw new IllegalArgumentException("unknown storage type torch." + cls.name());
            }
            if (!(n instanceof Integer || n instanceof Long) || n.longValue() < 0
                    || n.longValue() * d.elementSize() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a storage of " + n + " items of " + d.torchName()
                        + ": storages of 0 to 2 GiB are read");
            }
            return new StoragePid(d, String.valueOf(t.get(2)), String.valueOf(t.get(3)), n.longValue(),
                    t.size() > 5 ? t.get(5) : null);
        }
    }

    /** {@return the loaded object: usually a state dict (an {@code OrderedDict}) or a dict of them} */
    public Object root() {
        return root;
    }

    /** {@return the file's format: {@code "zip"} or {@code "legacy"}} */
    public String format() {
        return format;
    }

    /** {@return the storages by key, in the order the pickle met them} */
    public Map<String, TorchStorage> storages() {
        return storages;
    }

    /**
     * Every tensor in the checkpoint by its path: a state dict's keys ({@code fc.weight}); in
     * nested dicts and lists the keys joined with dots ({@code model.fc.weight},
     * {@code optimizer.state.0.exp_avg}).
     * @return the tensors by path, in the order the checkpoint holds them
     */
    public Map<String, Tensor> tensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", root, out, new IdentityHashMap<>(), 0);
        return out;
    }

    private static void collect(String path, Object value, Map<String, Tensor> out, Map<Object, Boolean> seen, int depth) {
        if (value instanceof Tensor t) {
            out.put(path, t);
            return;
        }
        if (value == null || depth > 100 || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        String prefix = path.isEmpty() ? "" : path + ".";
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                collect(prefix + e.getKey(), e.getValue(), out, seen, depth + 1);
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                collect(prefix + i, list.get(i), out, seen, depth + 1);
            }
        } else if (value instanceof PyObject o) {
            for (Map.Entry<Object, Object> e : o.dictItems()) {
                collect(prefix + e.getKey(), e.getValue(), out, seen, depth + 1);
            }
        }
    }

    // ---- writing ----

    /**
     * Writes a state dict as a zip checkpoint that {@code torch.load(f, weights_only=True)} reads:
     * an {@code OrderedDict} of tensors, in the map's order. Values may be {@link Tensor}s,
     * {@link NdArray}s or Java primitive arrays ({@code float[]}, {@code double[][]}...).
     * @param stateDict the tensors by name, such as {@code fc.weight}; not null
     * @param file the file to write, replaced if it exists
     * @throws IOException if the file cannot be written
     * @throws IllegalArgumentException if a value is not a tensor, an array or a primitive array
     */
    public static void save(Map<String, ?> stateDict, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            save(stateDict, out);
        }
    }

    /**
     * Writes a state dict as a zip checkpoint to the stream (not closed).
     * @param stateDict the tensors by name, as for {@link #save(Map, Path)}
     * @param stream where the zip goes; left open
     * @throws IOException if the stream cannot be written
     * @throws IllegalArgumentException if a value is not a tensor, an array or a primitive array
     */
    public static void save(Map<String, ?> stateDict, OutputStream stream) throws IOException {
        Map<TorchStorage, String> keys = new IdentityHashMap<>();
        List<TorchStorage> order = new ArrayList<>();
        PyObject dict = PyObject.reduce(ORDERED_DICT, PyTuple.EMPTY);
        for (Map.Entry<String, ?> e : stateDict.entrySet()) {
            Tensor t = asTensor(e.getKey(), e.getValue());
            if (!keys.containsKey(t.storage())) {
                keys.put(t.storage(), Integer.toString(order.size()));
                order.add(t.storage());
            }
            Object[] size = new Object[t.shape().length];
            Object[] stride = new Object[size.length];
            for (int i = 0; i < size.length; i++) {
                size[i] = t.shape()[i];
                stride[i] = small(t.stride()[i]);
            }
            PyObject hooks = PyObject.reduce(ORDERED_DICT, PyTuple.EMPTY);
            dict.putItem(e.getKey(), PyObject.reduce(REBUILD, PyTuple.of(t.storage(),
                    small(t.storageOffset()), PyTuple.of(size), PyTuple.of(stride),
                    t.requiresGrad(), hooks)));
        }
        Map<String, PyGlobal> classes = new HashMap<>();
        Pickler pickler = Pickler.builder().protocol(2).persistentId(obj -> {
            if (!(obj instanceof TorchStorage s)) {
                return null;
            }
            PyGlobal cls = classes.computeIfAbsent(s.dtype().storageClass(), n -> new PyGlobal("torch", n));
            return PyTuple.of("storage", cls, keys.get(s), "cpu", small(s.size()));
        }).build();
        byte[] pkl = pickler.dumps(dict);
        Counting counting = new Counting(stream);
        ZipOutputStream zip = new ZipOutputStream(counting);
        put(zip, counting, "archive/data.pkl", pkl);
        put(zip, counting, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        for (TorchStorage s : order) {
            ByteBuffer b = s.buffer().order(ByteOrder.LITTLE_ENDIAN);
            byte[] data = new byte[b.remaining()];
            if (s.buffer().order() == ByteOrder.LITTLE_ENDIAN || s.dtype().elementSize() == 1) {
                b.get(data);
            } else {
                int size = s.dtype().elementSize();
                for (int i = 0; i < data.length; i += size) {
                    for (int j = 0; j < size; j++) {
                        data[i + j] = b.get(i + size - 1 - j);
                    }
                }
            }
            put(zip, counting, "archive/data/" + keys.get(s), data);
        }
        put(zip, counting, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        zip.finish();
        zip.flush();
    }

    /** An int as CPython writes it: Integer when it fits. */
    private static Object small(long v) {
        return v == (int) v ? (Object) (int) v : (Object) v;
    }

    private static Tensor asTensor(String key, Object value) {
        if (value instanceof Tensor t) {
            return t;
        }
        NdArray array = value instanceof NdArray a ? a : NdArray.ofJava(value);
        if (array == null) {
            throw new IllegalArgumentException("state dict entry '" + key + "' is a "
                    + (value == null ? "None" : value.getClass().getName()) + ", not a tensor, numpy array or primitive array");
        }
        return Tensor.of(array);
    }

    /** A stored member whose data starts on a 64-byte boundary (as torch aligns them, for mmap). */
    private static void put(ZipOutputStream zip, Counting counting, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        e.setTime(315532800000L + 12 * 3600_000L); // a fixed date, so the same state dict gives the same file
        int nameLen = name.getBytes(StandardCharsets.UTF_8).length;
        long start = counting.count + 30 + nameLen + 4;
        int pad = (int) ((64 - start % 64) % 64);
        byte[] extra = new byte[4 + pad];
        extra[0] = 'F';
        extra[1] = 'B';
        extra[2] = (byte) pad;
        extra[3] = (byte) (pad >> 8);
        e.setExtra(extra);
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    private static final class Counting extends java.io.FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    private static final class ByteBufferInput extends InputStream {
        private final ByteBuffer b;

        ByteBufferInput(ByteBuffer b) {
            this.b = b;
        }

        @Override
        public int read() {
            return b.hasRemaining() ? b.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] out, int off, int len) {
            if (!b.hasRemaining()) {
                return -1;
            }
            int n = Math.min(len, b.remaining());
            b.get(out, off, n);
            return n;
        }
    }
}
