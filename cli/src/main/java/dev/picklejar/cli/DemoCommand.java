package dev.picklejar.cli;

import dev.picklejar.Disassembler;
import dev.picklejar.Pickle;
import dev.picklejar.Repr;
import dev.picklejar.PyTuple;
import dev.picklejar.fetch.FetchResult;
import dev.picklejar.net.PickleClient;
import dev.picklejar.net.PickleConnection;
import dev.picklejar.net.PickleServer;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
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
import picocli.CommandLine.Option;

/** {@code picklejar demo}: the whole story, offline. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The whole story offline: write data.pickle, load it back, disassemble it, have python3 load "
                + "it; exchange objects with a server (and python3); fetch pages from a local server into pages.pickle.",
            "The two files go into a new temporary folder (or --dir), whose name is printed first; nothing is "
                + "written into the current folder."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR",
            description = "Write data.pickle and pages.pickle into DIR (default: a new temporary folder).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (dir == null) {
            dir = Files.createTempDirectory("picklejar-demo-");
        } else {
            Files.createDirectories(dir);
        }
        out.println("picklejar demo: writing its files into " + dir);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", "Alice");
        data.put("age", 25);

        Path file = dir.resolve("data.pickle");
        byte[] bytes = Pickle.dumps(data);
        Files.write(file, bytes);
        out.println("1. picklejar wrote " + file.getFileName() + " (" + bytes.length + " bytes, protocol " + Pickle.DEFAULT_PROTOCOL
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
        exchangeWithAServer(out, data);
        fetchFromALocalServer(out, dir);
        return 0;
    }

    /**
     * The event-driven exchange: a server whose message handler echoes, a Java client, and (when
     * python3 is present) Python's own multiprocessing.connection.Client talking to the same server.
     */
    private static void exchangeWithAServer(PrintStream out, Object data) throws Exception {
        byte[] key = "demo-secret".getBytes(StandardCharsets.UTF_8);
        List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
        PickleServer server = PickleServer.builder().authKey(key)
                .onConnect(c -> events.add("connect"))
                .onMessage((c, message) -> {
                    events.add("message " + Repr.of(message));
                    c.send(PyTuple.of("echo", message));
                })
                .bind("127.0.0.1", 0);
        try (PickleClient client = PickleClient.builder().authKey(key).build()) {
            PickleConnection connection = client.connect("127.0.0.1", server.port());
            Object reply = connection.request(data).get(10, TimeUnit.SECONDS);
            out.println("5. a server on 127.0.0.1:" + server.port() + " (multiprocessing.connection's protocol, "
                    + "HMAC handshake) echoes to a Java client: " + Repr.of(reply));
            connection.close();
            String python = python("from multiprocessing.connection import Client; import sys\n"
                    + "c = Client(('127.0.0.1', int(sys.argv[1])), authkey=b'demo-secret')\n"
                    + "c.send({'from': 'python', 'langs': ('한국어', 'English')}); print(c.recv()); c.close()",
                    Integer.toString(server.port()));
            if (python != null) {
                out.println("   and to python3's multiprocessing.connection.Client: " + python);
            }
        } finally {
            server.close();
        }
        out.println("   server events: " + String.join("; ", events));
    }

    /** The seed's asyncio.gather + aiohttp story: pages from a local server, fetched at once, kept as a pickle. */
    private static void fetchFromALocalServer(PrintStream out, Path dir) throws IOException, InterruptedException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String[] pages = {"Hello from picklejar", "안녕하세요, 피클", "Pickles travel well"};
        for (int i = 0; i < pages.length; i++) {
            byte[] body = ("<h1>" + pages[i] + "</h1>").getBytes(StandardCharsets.UTF_8);
            server.createContext("/page" + i, exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < pages.length; i++) {
                urls.add(base + "/page" + i);
            }
            urls.add(base + "/missing");
            Map<String, FetchResult> results = FetchCommand.download(urls, Duration.ofSeconds(10));
            Path file = dir.resolve("pages.pickle");
            Files.write(file, Pickle.dumps(FetchResult.toPython(results)));
            out.println("6. fetched " + urls.size() + " pages at once from a local server into " + file.getFileName() + ":");
            for (FetchResult r : results.values()) {
                out.println("     " + r.status() + " " + r.url().substring(base.length()) + "  "
                        + (r.text() == null ? "" : Repr.of(r.text())) + (r.error() == null ? "" : "  error: " + r.error()));
            }
            String python = python("import pickle,sys; d=pickle.load(open(sys.argv[1],'rb')); "
                    + "print(len(d), 'pages;', sorted({v['status'] for v in d.values()}))", file.toString());
            if (python != null) {
                out.println("   python3 loads " + file.getFileName() + ": " + python);
            }
        } finally {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
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
