package dev.picklejar;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * The members of a zip archive as every loader could find them, for the scanner: those of the
 * central directory (what Python's zipfile and torch's reader list) and those that only a walk of
 * the local headers finds (what a streaming reader sees), each once. Tolerant where loaders are:
 * names are any bytes (UTF-8 when they are, else Latin-1), CRCs are never checked, flags such as
 * "encrypted" are ignored, data before the archive (a prefix) is allowed; a member that cannot be
 * located or decompressed carries an error of its own and the others are still listed.
 */
final class ZipMembers {
    private static final int LOCAL = 0x04034b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int END = 0x06054b50;
    private static final int END64 = 0x06064b50;
    private static final int END64_LOCATOR = 0x07064b50;
    private static final int DESCRIPTOR = 0x08074b50;
    /** Local headers walked at most: a hostile archive of empty members must not take forever. */
    private static final int MAX_MEMBERS = 1 << 20;

    private ZipMembers() {
    }

    /** One member; {@code error} says why it cannot be read, else the data is at {@code dataOffset}. */
    record Member(String name, String localName, int method, int flags, long compressedSize, long dataOffset,
                  boolean inCentralDirectory, String error) {
        boolean isDirectory() {
            return name.endsWith("/") && compressedSize == 0;
        }
    }

    /** The archive's members in central-directory order, then those only the local headers name. */
    static List<Member> list(ScanSource zip) throws IOException {
        List<Member> members = new ArrayList<>();
        Map<Long, Member> byData = new HashMap<>();
        long prefix = 0;
        long end = findEnd(zip);
        if (end >= 0) {
            byte[] e = zip.readAt(end, 22);
            long count = u16(e, 10);
            long cdSize = u32(e, 12);
            long cdOffset = u32(e, 16);
            if (count == 0xffff || cdSize == 0xffffffffL || cdOffset == 0xffffffffL) {
                byte[] locator = end >= 20 ? zip.readAt(end - 20, 20) : new byte[0];
                if (locator.length == 20 && i32(locator, 0) == END64_LOCATOR) {
                    long at = u64(locator, 8);
                    byte[] e64 = zip.readAt(at, 56);
                    if (e64.length == 56 && i32(e64, 0) == END64) {
                        count = u64(e64, 32);
                        cdSize = u64(e64, 40);
                        cdOffset = u64(e64, 48);
                        end = at;
                    }
                }
            }
            // As Python's zipfile: data prepended to the archive shifts every offset it records.
            prefix = Math.max(0, end - cdSize - cdOffset);
            central(zip, cdOffset + prefix, cdSize, count, prefix, members, byData);
        }
        walkLocal(zip, prefix, members, byData);
        return members;
    }

    private static long findEnd(ScanSource zip) throws IOException {
        long size = zip.size();
        int back = (int) Math.min(size, 22 + 0xffff);
        byte[] tail = zip.readAt(size - back, back);
        for (int i = tail.length - 22; i >= 0; i--) {
            if (i32(tail, i) == END) {
                return size - back + i;
            }
        }
        return -1;
    }

    private static void central(ScanSource zip, long at, long size, long count, long prefix, List<Member> members,
                                Map<Long, Member> byData) throws IOException {
        byte[] cd = zip.readAt(at, (int) Math.min(size, Integer.MAX_VALUE - 8));
        int p = 0;
        for (long n = 0; n < count && p + 46 <= cd.length && i32(cd, p) == CENTRAL; n++) {
            int flags = u16(cd, p + 8);
            int method = u16(cd, p + 10);
            long csize = u32(cd, p + 20);
            long usize = u32(cd, p + 24);
            int nameLength = u16(cd, p + 28);
            int extraLength = u16(cd, p + 30);
            int commentLength = u16(cd, p + 32);
            long local = u32(cd, p + 42);
            if (p + 46 + nameLength + extraLength > cd.length) {
                break;
            }
            String name = name(cd, p + 46, nameLength);
            // Zip64: the sizes and offset that do not fit in 32 bits follow in this order.
            int x = p + 46 + nameLength;
            int xEnd = x + extraLength;
            while (x + 4 <= xEnd) {
                int id = u16(cd, x);
                int len = u16(cd, x + 2);
                if (id == 1) {
                    int q = x + 4;
                    if (usize == 0xffffffffL && q + 8 <= xEnd) {
                        usize = u64(cd, q);
                        q += 8;
                    }
                    if (csize == 0xffffffffL && q + 8 <= xEnd) {
                        csize = u64(cd, q);
                        q += 8;
                    }
                    if (local == 0xffffffffL && q + 8 <= xEnd) {
                        local = u64(cd, q);
                    }
                }
                x += 4 + len;
            }
            p += 46 + nameLength + extraLength + commentLength;
            long header = local + prefix;
            byte[] lh = zip.readAt(header, 30);
            if (lh.length < 30 || i32(lh, 0) != LOCAL) {
                members.add(new Member(name, null, method, flags, csize, -1, true,
                        "no local header at offset " + header));
                continue;
            }
            int localNameLength = u16(lh, 26);
            String localName = name(zip.readAt(header + 30, localNameLength), 0, localNameLength);
            long data = header + 30 + localNameLength + u16(lh, 28);
            Member member = new Member(name, localName, method, flags, csize, data, true, null);
            if (byData.putIfAbsent(data, member) == null) {
                members.add(member);
            }
        }
    }

    /** Members that only their local headers name: walked from the start, header after header. */
    private static void walkLocal(ScanSource zip, long start, List<Member> members, Map<Long, Member> byData)
            throws IOException {
        long p = start;
        for (int n = 0; n < MAX_MEMBERS; n++) {
            byte[] lh = zip.readAt(p, 30);
            if (lh.length < 30 || i32(lh, 0) != LOCAL) {
                return;
            }
            int flags = u16(lh, 6);
            int method = u16(lh, 8);
            long csize = u32(lh, 18);
            int nameLength = u16(lh, 26);
            int extraLength = u16(lh, 28);
            byte[] nameAndExtra = zip.readAt(p + 30, nameLength + extraLength);
            String name = name(nameAndExtra, 0, Math.min(nameLength, nameAndExtra.length));
            long data = p + 30 + nameLength + extraLength;
            Member known = byData.get(data);
            if (known != null) {
                csize = known.compressedSize();
            } else {
                if (csize == 0xffffffffL) {
                    csize = zip64Size(nameAndExtra, nameLength);
                }
                boolean sized = (flags & 8) == 0 || csize != 0;
                if (!sized && method == 8) {
                    csize = inflatedLength(zip, data);
                }
                if (!sized && method != 8 || csize < 0) {
                    members.add(new Member(name, name, method, flags, 0, -1, false,
                            "the local header gives no size and the data cannot be measured"));
                    return;
                }
                Member member = new Member(name, name, method, flags, csize, data, false, null);
                byData.put(data, member);
                members.add(member);
            }
            p = data + csize;
            if ((flags & 8) != 0) {
                byte[] d = zip.readAt(p, 4);
                p += d.length == 4 && i32(d, 0) == DESCRIPTOR ? 16 : 12;
            }
        }
    }

    private static long zip64Size(byte[] b, int x) {
        while (x + 4 <= b.length) {
            int id = u16(b, x);
            int len = u16(b, x + 2);
            if (id == 1 && x + 20 <= b.length) {
                return u64(b, x + 12);
            }
            x += 4 + len;
        }
        return -1;
    }

    /** How many compressed bytes a deflated member takes, found by inflating it (output discarded). */
    private static long inflatedLength(ScanSource zip, long data) throws IOException {
        Inflater inflater = new Inflater(true);
        try {
            byte[] in = new byte[64 * 1024];
            byte[] out = new byte[64 * 1024];
            long at = data;
            while (!inflater.finished()) {
                if (inflater.needsInput()) {
                    int n = zip.read(at, in, 0, in.length);
                    if (n <= 0) {
                        return -1;
                    }
                    at += n;
                    inflater.setInput(in, 0, n);
                }
                if (inflater.inflate(out) == 0 && inflater.needsDictionary()) {
                    return -1;
                }
            }
            return inflater.getBytesRead();
        } catch (DataFormatException e) {
            return -1;
        } finally {
            inflater.end();
        }
    }

    /** The member's decompressed bytes. */
    static InputStream open(ScanSource zip, Member member) throws IOException {
        if (member.error() != null) {
            throw new IOException(member.error());
        }
        InputStream raw = zip.open(member.dataOffset(), member.compressedSize());
        return switch (member.method()) {
            case 0 -> raw;
            case 8 -> new InflaterInputStream(raw, new Inflater(true), 64 * 1024) {
                @Override
                public void close() throws IOException {
                    inf.end();
                    super.close();
                }
            };
            default -> throw new IOException("compressed with method " + member.method() + " ("
                    + methodName(member.method()) + "), which picklejar does not decompress");
        };
    }

    private static String methodName(int method) {
        return switch (method) {
            case 9 -> "deflate64";
            case 12 -> "bzip2";
            case 14 -> "lzma";
            case 93 -> "zstd";
            case 95 -> "xz";
            case 99 -> "AES encryption";
            default -> "unknown";
        };
    }

    /** A name as UTF-8 when its bytes are valid UTF-8, else as Latin-1: never an error. */
    private static String name(byte[] b, int off, int len) {
        try {
            return UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, off, len)).toString();
        } catch (CharacterCodingException e) {
            return new String(b, off, len, ISO_8859_1);
        }
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
    }

    private static int i32(byte[] b, int i) {
        return u16(b, i) | u16(b, i + 2) << 16;
    }

    private static long u32(byte[] b, int i) {
        return i32(b, i) & 0xffffffffL;
    }

    private static long u64(byte[] b, int i) {
        long v = u32(b, i) | u32(b, i + 4) << 32;
        return v < 0 ? Long.MAX_VALUE : v;
    }
}
