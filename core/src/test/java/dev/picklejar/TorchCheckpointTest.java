package dev.picklejar;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.picklejar.numpy.NdArray;
import dev.picklejar.torch.Tensor;
import dev.picklejar.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch checkpoints against torch 1.13 itself (Debian's /usr/bin/python3): what torch.save
 * writes, zip and legacy, loads with every tensor's dtype, shape, stride, offset, requires_grad
 * and every element equal; what picklejar writes loads with torch.load(weights_only=True).
 */
class TorchCheckpointTest {
    private static final Path SCRIPT = Path.of("src/test/python/torch_checkpoints.py");
    private static final String TORCH_PYTHON = "/usr/bin/python3";

    private static boolean hasTorch() {
        try {
            Process p = new ProcessBuilder(TORCH_PYTHON, "-c", "import torch").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(TORCH_PYTHON, SCRIPT.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "torch did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** The same line torch_checkpoints.py prints for a tensor. */
    static String line(String path, Tensor t) {
        NdArray a = t.toNdArray();
        ByteBuffer b = a.buffer();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return String.join("\t", path, t.dtype().torchName(), join(t.shape()), join(t.stride()),
                Long.toString(t.storageOffset()), t.requiresGrad() ? "True" : "False", HexFormat.of().formatHex(bytes));
    }

    private static String join(int[] v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            b.append(i > 0 ? "," : "").append(v[i]);
        }
        return b.toString();
    }

    private static String join(long[] v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            b.append(i > 0 ? "," : "").append(v[i]);
        }
        return b.toString();
    }

    @Test
    void checkpointsTorchSavedLoadWithEveryElementEqual(@TempDir Path dir) throws Exception {
        assumeTrue(hasTorch(), "torch is not available for " + TORCH_PYTHON + " (tools/setup-test-deps.sh installs python3-torch)");
        run("save", dir.toString());
        List<String> expected = Files.readAllLines(dir.resolve("expected.tsv"), UTF_8);
        for (String file : List.of("zip.pt", "legacy.pt")) {
            TorchCheckpoint ckpt = TorchCheckpoint.load(dir.resolve(file));
            List<String> got = new ArrayList<>();
            ckpt.tensors().forEach((path, t) -> got.add(line(path, t)));
            assertEquals(String.join("\n", expected), String.join("\n", got), file);
            Map<String, Tensor> t = ckpt.tensors();
            assertSame(t.get("model.shared_view").storage(), t.get("model.shared_strided").storage(), "shared storage");
            assertTrue(t.get("model.param").isParameter());
            assertEquals(7, ((Map<?, ?>) ckpt.root()).get("epoch"));
            assertEquals(file.startsWith("zip") ? "zip" : "legacy", ckpt.format());
        }
    }

    @Test
    void stateDictsWrittenHereLoadInTorchWithWeightsOnly(@TempDir Path dir) throws Exception {
        assumeTrue(hasTorch(), "torch is not available for " + TORCH_PYTHON + " (tools/setup-test-deps.sh installs python3-torch)");
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("fc.weight", new float[][] {{0.5f, -1.5f, 2}, {3, 4, 5}});
        sd.put("fc.bias", new double[] {0.25, -0.125});
        sd.put("steps", new long[] {1, 2, 1L << 40});
        sd.put("ids", new int[] {7, -8});
        sd.put("mask", new boolean[] {true, false, true});
        sd.put("matrix", NdArray.of(new double[][] {{1, 2}, {3, 4}}));
        Path file = dir.resolve("java.pt");
        TorchCheckpoint.save(sd, file);
        String out = run("check", file.toString()).strip();
        TorchCheckpoint back = TorchCheckpoint.load(file);
        List<String> mine = new ArrayList<>();
        back.tensors().forEach((path, t) -> mine.add(line(path, t)));
        assertEquals(String.join("\n", mine), out);
        assertArrayEquals(new float[] {0.5f, -1.5f, 2, 3, 4, 5}, back.tensors().get("fc.weight").toFloatArray());
    }

    @Test
    void aTensorLoadedFromAStateDictHasItsView() throws Exception {
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("w", new double[][] {{1, 2, 3}, {4, 5, 6}});
        Path file = Files.createTempFile("sd", ".pt");
        try {
            TorchCheckpoint.save(sd, file);
            Tensor w = TorchCheckpoint.load(file).tensors().get("w");
            assertArrayEquals(new int[] {2, 3}, w.shape());
            assertArrayEquals(new long[] {3, 1}, w.stride());
            assertEquals(6.0, w.get(1, 2));
            assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, w.toDoubleArray());
        } finally {
            Files.delete(file);
        }
    }
}
