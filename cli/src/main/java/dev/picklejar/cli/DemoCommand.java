package dev.picklejar.cli;

import dev.picklejar.Disassembler;
import dev.picklejar.Pickle;
import dev.picklejar.Repr;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;

/** {@code picklejar demo}: the whole story, offline. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Write data.pickle, load it back, and have python3 (when present) load it and compare bytes.")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", "Alice");
        data.put("age", 25);

        Path file = Path.of("data.pickle");
        byte[] bytes = Pickle.dumps(data);
        Files.write(file, bytes);
        out.println("1. picklejar wrote " + file + " (" + bytes.length + " bytes, protocol " + Pickle.DEFAULT_PROTOCOL
                + "): " + HexFormat.of().formatHex(bytes));

        Object loaded = Pickle.loads(Files.readAllBytes(file));
        out.println("2. picklejar loads it: " + Repr.of(loaded) + "  (a " + loaded.getClass().getName() + ")");
        out.println("3. its disassembly, as pickletools.dis prints it:");
        StringBuilder listing = new StringBuilder();
        Disassembler.dis(new java.io.ByteArrayInputStream(bytes), listing);
        out.print(listing.toString().indent(4));

        String python = python("import pickle,sys; d=open(sys.argv[1],'rb').read(); o=pickle.loads(d); "
                + "print(repr(o)); print('same bytes as pickle.dumps' if d == pickle.dumps(o, 5) else 'bytes differ')",
                file.toString());
        out.println(python == null ? "4. python3 not found: skipped the CPython check"
                : "4. python3 loads it:   " + python.replace("\n", "\n                        "));
        return 0;
    }

    /** Runs a python3 one-liner; null when python3 is not installed. */
    static String python(String code, String... args) throws IOException, InterruptedException {
        String[] command = new String[3 + args.length];
        command[0] = "python3";
        command[1] = "-c";
        command[2] = code;
        System.arraycopy(args, 0, command, 3, args.length);
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return null;
        }
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            return "failed: " + text;
        }
        return text;
    }
}
