package dev.picklejar.jackson;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed vectors are what make_binding_vectors.py has CPython write today. */
class VectorScriptTest {
    @Test
    void theCommittedVectorsAreCPythons(@TempDir Path dir) throws Exception {
        assumeTrue(PickleMapperWriteTest.python311WithNumpy(), "needs python3 (CPython 3.11) with numpy and pydantic");
        Path fresh = dir.resolve("binding.tsv");
        Process p = new ProcessBuilder("python3", "src/test/python/make_binding_vectors.py", "--out", fresh.toString())
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String log = new String(p.getInputStream().readAllBytes(), UTF_8);
        p.waitFor(5, TimeUnit.MINUTES);
        assertEquals(0, p.exitValue(), log);
        List<String> committed = Files.readAllLines(Path.of("src/test/resources/binding.tsv"), UTF_8);
        List<String> now = Files.readAllLines(fresh, UTF_8);
        assertEquals(committed.size(), now.size(), "line count");
        for (int i = 0; i < committed.size(); i++) {
            assertEquals(committed.get(i), now.get(i), "line " + (i + 1) + " of binding.tsv; rerun the script and commit");
        }
    }
}
