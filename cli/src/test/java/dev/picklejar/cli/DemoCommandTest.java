package dev.picklejar.cli;

import static dev.picklejar.cli.CommandLine.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.picklejar.Pickle;
import dev.picklejar.Repr;
import dev.picklejar.cli.CommandLine.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code picklejar demo} writes its two files into a folder it names, never into the current folder. */
class DemoCommandTest {
    @Test
    void writesIntoTheFolderItNamesAndNotIntoTheCurrentOne(@TempDir Path dir) throws Exception {
        Path here = Path.of("").toAbsolutePath();
        boolean dataBefore = Files.exists(here.resolve("data.pickle"));
        boolean pagesBefore = Files.exists(here.resolve("pages.pickle"));
        Run run = run(null, "demo", "--dir", dir.toString());
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().startsWith("picklejar demo: writing its files into " + dir + "\n"), run.out());
        assertEquals("{'name': 'Alice', 'age': 25}", Repr.of(Pickle.loads(Files.readAllBytes(dir.resolve("data.pickle")))));
        assertEquals(4, ((Map<?, ?>) Pickle.loads(Files.readAllBytes(dir.resolve("pages.pickle")))).size());
        assertEquals(dataBefore, Files.exists(here.resolve("data.pickle")), "demo wrote data.pickle into " + here);
        assertEquals(pagesBefore, Files.exists(here.resolve("pages.pickle")), "demo wrote pages.pickle into " + here);
    }

    @Test
    void withoutDirItMakesATemporaryFolderAndSaysWhere() throws Exception {
        Run run = run(null, "demo");
        assertEquals(0, run.exit(), run.toString());
        String first = run.out().lines().findFirst().orElseThrow();
        String prefix = "picklejar demo: writing its files into ";
        assertTrue(first.startsWith(prefix), first);
        Path dir = Path.of(first.substring(prefix.length()));
        assertTrue(dir.getFileName().toString().startsWith("picklejar-demo-"), first);
        assertTrue(Files.isRegularFile(dir.resolve("data.pickle")) && Files.isRegularFile(dir.resolve("pages.pickle")), first);
        assertFalse(dir.startsWith(Path.of("").toAbsolutePath()), first);
        for (String name : new String[] {"data.pickle", "pages.pickle"}) {
            Files.delete(dir.resolve(name));
        }
        Files.delete(dir);
    }
}
