package dev.picklejar.cli;

import dev.picklejar.PickleException;
import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;

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
        String after = " after the STOP at byte " + (end - 1);
        if (!name.equals("-")) {
            // A file can say how much is left over and how it starts; a pipe has been read past it.
            try (RandomAccessFile file = new RandomAccessFile(name, "r")) {
                long left = file.length() - end;
                byte[] start = new byte[24];
                file.seek(end);
                int n = Math.max(0, file.read(start));
                return left + (left == 1 ? " byte (" : " bytes (") + FileKind.preview(start, n, 24) + (left > n ? "...)" : ")")
                        + after + (left == 1 ? " does" : " do") + " not form a pickle: " + reason;
            } catch (IOException e) {
                // The file changed or went away since: say what is known.
            }
        }
        return "the bytes" + after + " do not form a pickle: " + reason;
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
