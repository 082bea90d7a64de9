package dev.picklejar.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code show} and {@code convert} on numpy's and torch's own files (found by content) and on
 * pickles of numpy arrays: show prints numpy's repr; a pickle of a checkpoint's data.pkl shows
 * its persistent ids with {@code --persistent-ids}.
 */
class ArrayFilesCommandTest {
    private static String python(String exe, String code, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(exe, "-c", code).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), exe + " did not finish");
        return p.exitValue() == 0 ? out : null;
    }

    @Test
    void showPrintsNumpysReprOfPicklesNpyAndNpzFiles(@TempDir Path dir) throws Exception {
        String expected = python("python3", """
                import numpy as np, pickle
                a = np.arange(6, dtype='f4').reshape(2, 3)
                np.save('a.npy', a)
                np.savez('ab.npz', a=np.arange(3), b=np.linspace(0, 1, 5))
                big = np.arange(5000) / 3
                with open('arrays.pickle', 'wb') as f:
                    for p in range(6):
                        pickle.dump(big, f, p)
                print(repr(a))
                print(repr({'a': np.arange(3), 'b': np.linspace(0, 1, 5)}))
                for p in range(6):
                    print(repr(big))
                """, dir);
        assumeTrue(expected != null, "needs python3 with numpy");
        String[] parts = expected.split("(?=\\{'a')|(?=array\\(\\[0\\.)", 3);
        CommandLine.Run npy = CommandLine.run(null, "show", dir.resolve("a.npy").toString());
        CommandLine.Run npz = CommandLine.run(null, "show", dir.resolve("ab.npz").toString());
        CommandLine.Run pickles = CommandLine.run(null, "show", dir.resolve("arrays.pickle").toString());
        assertEquals(expected, npy.out() + npz.out() + pickles.out(), String.join("|", parts));
    }

    @Test
    void showAndConvertReadTorchCheckpoints(@TempDir Path dir) throws Exception {
        String made = python("/usr/bin/python3", """
                import torch, zipfile
                torch.save({'w': torch.arange(6, dtype=torch.float32).reshape(2, 3), 'b': torch.tensor([1, 2])}, 'ck.pt')
                torch.save({'b': torch.tensor([1, 2])}, 'legacy.pt', _use_new_zipfile_serialization=False)
                open('data.pkl', 'wb').write(zipfile.ZipFile('ck.pt').read('ck/data.pkl'))
                """, dir);
        assumeTrue(made != null, "needs /usr/bin/python3 with torch (tools/setup-test-deps.sh)");
        assertEquals(CommandLine.Run.of(0, "{'w': tensor([[0., 1., 2.],\n        [3., 4., 5.]]), 'b': tensor([1, 2])}\n", ""),
                CommandLine.run(null, "show", dir.resolve("ck.pt").toString()));
        assertEquals("{'b': tensor([1, 2])}\n", CommandLine.run(null, "show", dir.resolve("legacy.pt").toString()).out());
        CommandLine.Run ids = CommandLine.run(null, "show", "--persistent-ids", dir.resolve("data.pkl").toString());
        assertTrue(ids.out().startsWith("{'w': torch._utils._rebuild_tensor_v2(persistent_load(('storage', "
                + "torch.FloatStorage, '0', 'cpu', 6)), 0, (2, 3), (3, 1), False, OrderedDict())"), ids.out());
        CommandLine.Run refused = CommandLine.run(null, "show", dir.resolve("data.pkl").toString());
        assertEquals(2, refused.exit());
        assertTrue(refused.err().contains("--persistent-ids"), refused.err());
        assertEquals("{\"b\": {\"$ndarray\": {\"dtype\": \"<i8\", \"shape\": [2], \"data\": \"AQAAAAAAAAACAAAAAAAAAA==\"}}}\n",
                CommandLine.run(null, "convert", "--to", "json", dir.resolve("legacy.pt").toString(), "-").out());
    }
}
