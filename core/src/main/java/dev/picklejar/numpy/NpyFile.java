package dev.picklejar.numpy;

import dev.picklejar.PickleException;
import dev.picklejar.Unpickler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * numpy's own file formats, read without numpy: {@code .npy} (one array: a magic string, a
 * header dict naming {@code descr}, {@code fortran_order} and {@code shape}, then the raw items,
 * or the pickled array for an object array) and {@code .npz} (a zip of {@code .npy} files, as
 * {@code numpy.savez} and {@code savez_compressed} write). A {@code .npy} file is memory-mapped.
 */
public final class NpyFile {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyFile() {
    }

    /**
     * Whether the bytes start a {@code .npy} file.
     * @param head the first bytes of a file (6 are enough); not null
     * @return true when they are the {@code \x93NUMPY} magic
     */
    public static boolean isNpy(byte[] head) {
        if (head.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads a {@code .npy} file, memory-mapped (the array's buffer is the file's bytes, read-only).
     * @param file the {@code .npy} file
     * @return the array, over the mapped file
     * @throws IOException if the file cannot be read, is not a {@code .npy} file, or is over 2 GiB
     */
    public static NdArray read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() > Integer.MAX_VALUE) {
                throw new IOException(file + ": a .npy file over 2 GiB is not supported");
            }
            return read(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()), file.toString());
        }
    }

    /**
     * Reads a {@code .npy} file's bytes (not copied).
     * @param bytes the file's bytes, from position to limit
     * @param name the file's name, for error messages
     * @return the array, over {@code bytes}
     * @throws IOException if the bytes are not a {@code .npy} file picklejar reads
     */
    public static NdArray read(ByteBuffer bytes, String name) throws IOException {
        ByteBuffer b = bytes.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        byte[] head = new byte[Math.min(MAGIC.length, b.remaining())];
        b.get(b.position(), head);
        if (!isNpy(head) || b.remaining() < 10) {
            throw new IOException(name + ": not a .npy file (no \\x93NUMPY magic)");
        }
        int start = b.position();
        int major = b.get(start + 6);
        long headerLength = major == 1 ? b.getShort(start + 8) & 0xffff : b.getInt(start + 8) & 0xffffffffL;
        int headerStart = start + (major == 1 ? 10 : 12);
        if (major < 1 || major > 3 || headerStart + headerLength > b.limit()) {
            throw new IOException(name + ": .npy version " + major + " header of " + headerLength
                    + " bytes does not fit the file");
        }
        byte[] h = new byte[(int) headerLength];
        b.get(headerStart, h);
        String header = new String(h, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shape = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw new IOException(name + ": the .npy header " + header.strip() + " is not {'descr': '<type>', "
                    + "'fortran_order': bool, 'shape': (...)} (structured descr lists are not read)");
        }
        List<Integer> dims = new ArrayList<>();
        for (String d : shape.group(1).split(",")) {
            if (!d.isBlank()) {
                dims.add(Integer.parseInt(d.strip()));
            }
        }
        int[] s = dims.stream().mapToInt(Integer::intValue).toArray();
        int dataStart = headerStart + h.length;
        ByteBuffer data = b.duplicate().position(dataStart).slice();
        if (descr.group(1).equals("|O")) {
            try {
                // numpy.save pickles the whole object array after the header
                Object array = Unpickler.builder().build().loads(toArray(data));
                if (!(array instanceof NdArray a) || !java.util.Arrays.equals(a.shape(), s)) {
                    throw new IOException(name + ": an object array's pickle holds " + dev.picklejar.Repr.of(array)
                            + ", not an array of shape " + java.util.Arrays.toString(s));
                }
                return a;
            } catch (PickleException e) {
                throw new IOException(name + ": " + e.getMessage(), e);
            }
        }
        DType dtype;
        try {
            dtype = DType.of(descr.group(1));
        } catch (IllegalArgumentException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
        long n = NdArray.count(s) * dtype.itemSize();
        if (n > data.remaining()) {
            throw new IOException(name + ": shape " + java.util.Arrays.toString(s) + " of " + dtype.name() + " needs "
                    + n + " bytes, the file has " + data.remaining());
        }
        return NdArray.of(dtype, s, data.limit((int) n).slice(), Boolean.parseBoolean(fortran.group(1).toLowerCase()));
    }

    private static byte[] toArray(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /**
     * Reads every array of a {@code .npz} file by its name ({@code arr_0}, or the keyword given to savez).
     * @param file the {@code .npz} file (a zip of {@code .npy} files)
     * @return the arrays by name, in the zip's order
     * @throws IOException if the file cannot be read or a member is not a {@code .npy} file
     */
    public static Map<String, NdArray> readNpz(Path file) throws IOException {
        Map<String, NdArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory() || !e.getName().endsWith(".npy")) {
                    continue;
                }
                if (e.getSize() > Integer.MAX_VALUE) {
                    throw new IOException(file + ": member " + e.getName() + " is over 2 GiB");
                }
                byte[] bytes;
                try (InputStream in = zip.getInputStream(e)) {
                    bytes = in.readAllBytes();
                }
                String key = e.getName().substring(0, e.getName().length() - 4);
                out.put(key, read(ByteBuffer.wrap(bytes), file + ":" + e.getName()));
            }
        }
        return out;
    }
}
