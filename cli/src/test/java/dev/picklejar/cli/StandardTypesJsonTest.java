package dev.picklejar.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.picklejar.Pickle;
import dev.picklejar.PyEnumMember;
import dev.picklejar.PyGlobal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standard library's other types through JSON Lines and back: array, Fraction, ZoneInfo and its
 * datetimes (fold included), IP addresses, enum members by name. Converted back at the protocol CPython wrote
 * them with, the pickles are CPython's bytes again.
 */
class StandardTypesJsonTest {
    private static final String WRITE = String.join("\n",
            "import array, datetime, fractions, ipaddress, pickle, sys, zoneinfo",
            "paris = zoneinfo.ZoneInfo('Europe/Paris')",
            "values = [array.array('i', [1, -2, 3]), array.array('d', [0.5, float('nan')]), array.array('u', 'hé'),",
            "          fractions.Fraction(-3, 7), paris, datetime.datetime(2024, 7, 1, 12, 30, tzinfo=paris),",
            "          datetime.datetime(2024, 10, 27, 2, 30, fold=1, tzinfo=paris),",
            "          ipaddress.IPv4Address('192.168.0.1'), ipaddress.IPv6Address('2001:db8::1')]",
            "with open(sys.argv[1], 'wb') as f:",
            "    for v in values:",
            "        pickle.dump(v, f, 4)");

    @Test
    void standardTypesGoThroughJsonAndBackToCPythonsBytes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("values.pickle");
        Process python;
        try {
            python = new ProcessBuilder("python3", "-c", WRITE, file.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "needs python3 on the PATH");
            return;
        }
        python.getOutputStream().close();
        String log = new String(python.getInputStream().readAllBytes(), UTF_8);
        assumeTrue(python.waitFor(1, TimeUnit.MINUTES) && python.exitValue() == 0, "python3 failed: " + log);

        Path json = dir.resolve("values.jsonl");
        CommandLine.Run toJson = CommandLine.run(null, "convert", file.toString(), json.toString());
        assertEquals(0, toJson.exit(), toJson.err());
        assertEquals(List.of("{\"$array\": [\"i\", \"AQAAAP7///8DAAAA\"]}",
                "{\"$array\": [\"d\", \"AAAAAAAA4D8AAAAAAAD4fw==\"]}",
                "{\"$array\": [\"u\", \"aAAAAOkAAAA=\"]}",
                "{\"$fraction\": \"-3/7\"}",
                "{\"$zoneinfo\": \"Europe/Paris\"}",
                "{\"$datetime\": \"2024-07-01T12:30:00+02:00[Europe/Paris]\"}",
                "{\"$datetime\": \"2024-10-27T02:30:00+01:00[Europe/Paris]\"}",
                "{\"$ipaddress\": \"192.168.0.1\"}",
                "{\"$ipaddress\": \"2001:db8::1\"}"), Files.readAllLines(json));
        Path back = dir.resolve("back.pickle");
        CommandLine.Run toPickle = CommandLine.run(null, "convert", "--protocol", "4", json.toString(), back.toString());
        assertEquals(0, toPickle.exit(), toPickle.err());
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(back));
    }

    @Test
    void enumMembersByName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("member.pickle");
        byte[] pickle = Pickle.dumps(new PyEnumMember(new PyGlobal("shapes", "Shape"), "SQUARE"));
        Files.write(file, pickle);
        CommandLine.Run toJson = CommandLine.run(null, "convert", "--to", "json", file.toString(), "-");
        assertEquals("{\"$enum\": [\"shapes\", \"Shape\", \"SQUARE\"]}\n", toJson.out());
        Path json = dir.resolve("member.jsonl");
        Files.writeString(json, toJson.out());
        Path back = dir.resolve("back.pickle");
        assertEquals(0, CommandLine.run(null, "convert", json.toString(), back.toString()).exit());
        assertArrayEquals(pickle, Files.readAllBytes(back));
    }
}
