package dev.picklejar.cli;

import dev.picklejar.PickleException;
import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One input of {@code show} or {@code dis}: a file, or standard input for {@code -}, buffered, with
 * its first bytes kept to tell what it is when it is not a pickle, and the words for what went
 * wrong: an empty input, something that is not a pickle, bytes left over after the last pickle.
 */
final class InputFile implements AutoCloseable {
    final String name;
    final InputStream in;
    private final byte[] head = new byte[FileKind.HEAD];
    private final int headLength;

    private InputFile(String name, InputStream raw) throws IOException {
        this.name = name;
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(head.length);
        headLength = buffered.readNBytes(head, 0, head.length);
        buffered.reset();
        this.in = buffered;
    }

    /** Opens a file, or standard input (left open on close) for {@code -}. */
    static InputFile open(String name) throws IOException {
        return new InputFile(name, name.equals("-") ? new Unclosed(System.in) : new FileInputStream(name));
    }

    boolean isEmpty() {
        return headLength == 0;
    }

    /**
     * Why the first pickle failed, in one line: when the input looks like something else than a
     * pickle (text, a zip, a numpy file...), that first, then the reader's own reason.
     */
    String firstPickleFailed(PickleException e) {
        String kind = FileKind.of(head, headLength);
        // Protocol 0 pickles are text too: a text file is "not a pickle" when its first opcode already
        // fails, or when it does not even start with one of protocol 0's opcodes.
        if (kind == null || kind.equals("text") && e.offset() != 0 && FileKind.PROTOCOL_0.indexOf(head[0]) >= 0) {
            return e.getMessage();
        }
        return "not a pickle: it looks like " + kind + ", starting " + FileKind.preview(head, headLength, 24)
                + "; read as a pickle, " + e.getMessage();
    }

    /**
     * What is wrong with the bytes after the STOP that ends at {@code end}, which do not form a
     * pickle: how many there are and how they start (for a file), and the reader's reason.
     */
    String leftOver(long end, String reason) {
        StringBuilder b = new StringBuilder();
        if (!name.equals("-")) {
            try {
                long size = Files.size(Path.of(name));
                b.append(size - end).append(size - end == 1 ? " byte" : " bytes");
                byte[] start = new byte[24];
                int n;
                try (RandomAccessFile file = new RandomAccessFile(name, "r")) {
                    file.seek(end);
                    n = Math.max(0, file.read(start));
                }
                b.append(" (").append(FileKind.preview(start, n, 24)).append(size - end > n ? "...)" : ")");
                return b.append(" after the STOP at byte ").append(end - 1)
                        .append(size - end == 1 ? " does" : " do").append(" not form a pickle: ").append(reason).toString();
            } catch (IOException e) {
                b.append("what follows");
            }
        } else {
            b.append("what follows");
        }
        return b.append(" after the STOP at byte ").append(end - 1)
                .append(" do not form a pickle: ").append(reason).toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Standard input, left open when the command is done with it. */
    private static final class Unclosed extends FilterInputStream {
        Unclosed(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
