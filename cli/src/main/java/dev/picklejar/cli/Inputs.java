package dev.picklejar.cli;

import dev.picklejar.numpy.NpyFile;
import dev.picklejar.torch.TorchCheckpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The files {@code show} and {@code convert} read whole rather than as a stream of pickles,
 * found by their content whatever their name: a PyTorch checkpoint (zip or legacy), a numpy
 * {@code .npy} file, or a {@code .npz} archive.
 */
final class Inputs {
    private Inputs() {
    }

    /** The values the file holds if it is one of those formats, else null (read it as pickles). */
    static List<Object> special(String file) throws IOException {
        if (file.equals("-")) {
            return null;
        }
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            return null;
        }
        byte[] head = new byte[16];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, head.length);
        }
        head = java.util.Arrays.copyOf(head, n);
        if (NpyFile.isNpy(head)) {
            return List.of(NpyFile.read(path));
        }
        boolean zip = n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        if (!zip) {
            return TorchCheckpoint.isCheckpoint(head) ? List.of(TorchCheckpoint.load(path).root()) : null;
        }
        boolean torch = false;
        boolean npz = false;
        try (ZipFile z = new ZipFile(path.toFile())) {
            Enumeration<? extends ZipEntry> entries = z.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                torch |= name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length();
                npz |= name.endsWith(".npy");
            }
        }
        if (torch) {
            return List.of(TorchCheckpoint.load(path).root());
        }
        if (npz) {
            return List.of(new java.util.LinkedHashMap<Object, Object>(NpyFile.readNpz(path)));
        }
        return null;
    }
}
