package dev.picklejar.torch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The members of a zip file and where their bytes are, read from its central directory (zip64
 * included), so that a stored member can be memory-mapped in place: java.util.zip does not say
 * where a member's data starts.
 */
final class ZipDirectory {
    record Member(String name, int method, long compressedSize, long size, long headerOffset) {
    }

    private final FileChannel channel;
    private final Map<String, Member> members = new LinkedHashMap<>();

    ZipDirectory(FileChannel channel) throws IOException {
        this.channel = channel;
        long fileSize = channel.size();
        int tail = (int) Math.min(fileSize, 65_557);
        ByteBuffer end = read(fileSize - tail, tail);
        int eocd = -1;
        for (int i = tail - 22; i >= 0; i--) {
            if (end.getInt(i) == 0x06054b50) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            throw new IOException("not a zip file: no end of central directory record");
        }
        long count = end.getShort(eocd + 10) & 0xffff;
        long cdSize = end.getInt(eocd + 12) & 0xffffffffL;
        long cdOffset = end.getInt(eocd + 16) & 0xffffffffL;
        if ((cdOffset == 0xffffffffL || count == 0xffff) && eocd >= 20 && end.getInt(eocd - 20) == 0x07064b50) {
            long zip64At = end.getLong(eocd - 20 + 8);
            ByteBuffer z = read(zip64At, 56);
            if (z.getInt(0) != 0x06064b50) {
                throw new IOException("zip64 end of central directory record not found at " + zip64At);
            }
            count = z.getLong(32);
            cdSize = z.getLong(40);
            cdOffset = z.getLong(48);
        }
        if (cdOffset + cdSize > fileSize || cdSize > Integer.MAX_VALUE) {
            throw new IOException("zip central directory at " + cdOffset + " runs past the end of the file");
        }
        ByteBuffer cd = read(cdOffset, (int) cdSize);
        int p = 0;
        for (long n = 0; n < count; n++) {
            if (p + 46 > cd.limit() || cd.getInt(p) != 0x02014b50) {
                throw new IOException("bad zip central directory entry at " + (cdOffset + p));
            }
            int method = cd.getShort(p + 10) & 0xffff;
            long csize = cd.getInt(p + 20) & 0xffffffffL;
            long usize = cd.getInt(p + 24) & 0xffffffffL;
            int nameLen = cd.getShort(p + 28) & 0xffff;
            int extraLen = cd.getShort(p + 30) & 0xffff;
            int commentLen = cd.getShort(p + 32) & 0xffff;
            long offset = cd.getInt(p + 42) & 0xffffffffL;
            byte[] name = new byte[nameLen];
            cd.get(p + 46, name);
            int e = p + 46 + nameLen;
            int extraEnd = e + extraLen;
            while (e + 4 <= extraEnd) {
                int id = cd.getShort(e) & 0xffff;
                int len = cd.getShort(e + 2) & 0xffff;
                if (id == 1) {
                    int q = e + 4;
                    if (usize == 0xffffffffL) {
                        usize = cd.getLong(q);
                        q += 8;
                    }
                    if (csize == 0xffffffffL) {
                        csize = cd.getLong(q);
                        q += 8;
                    }
                    if (offset == 0xffffffffL) {
                        offset = cd.getLong(q);
                    }
                }
                e += 4 + len;
            }
            String memberName = new String(name, java.nio.charset.StandardCharsets.UTF_8);
            members.put(memberName, new Member(memberName, method, csize, usize, offset));
            p = extraEnd + commentLen;
        }
    }

    Map<String, Member> members() {
        return members;
    }

    /** The member's bytes: mapped in place when stored, inflated when deflated. */
    ByteBuffer open(Member m) throws IOException {
        ByteBuffer local = read(m.headerOffset(), 30);
        if (local.getInt(0) != 0x04034b50) {
            throw new IOException("bad zip local header for " + m.name() + " at " + m.headerOffset());
        }
        long data = m.headerOffset() + 30 + (local.getShort(26) & 0xffff) + (local.getShort(28) & 0xffff);
        if (data + m.compressedSize() > channel.size()) {
            throw new IOException("zip member " + m.name() + " runs past the end of the file");
        }
        if (m.method() == 0) {
            if (m.size() > Integer.MAX_VALUE) {
                throw new IOException("zip member " + m.name() + " is over 2 GiB");
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, data, m.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
        if (m.method() != 8 || m.size() > Integer.MAX_VALUE || m.compressedSize() > Integer.MAX_VALUE) {
            throw new IOException("zip member " + m.name() + " uses compression method " + m.method()
                    + "; stored and deflated members are read");
        }
        ByteBuffer in = channel.map(FileChannel.MapMode.READ_ONLY, data, m.compressedSize());
        byte[] out = new byte[(int) m.size()];
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(in);
            int n = inflater.inflate(out);
            if (n != out.length) {
                throw new IOException("zip member " + m.name() + " inflated to " + n + " bytes, not " + out.length);
            }
        } catch (DataFormatException e) {
            throw new IOException("zip member " + m.name() + " is corrupt: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
        return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    }

    private ByteBuffer read(long at, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (channel.read(b, at + b.position()) < 0) {
                throw new IOException("zip file truncated at " + (at + b.position()));
            }
        }
        return b.flip();
    }
}
