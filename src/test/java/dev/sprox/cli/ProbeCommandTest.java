package dev.sprox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Misuse is exit 2 before any request is made; playback itself is tested end to end in ProbeIT. */
class ProbeCommandTest {
    private final StringWriter err = new StringWriter();

    private int probe(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "probe";
        System.arraycopy(args, 0, all, 1, args.length);
        return Main.commandLine().setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err)).execute(all);
    }

    @Test
    void viaWithAPathIsMisuse() {
        assertEquals(2, probe("http://origin.test/master.m3u8", "--via", "http://127.0.0.1:8080/prefix"));
        assertTrue(err.toString().contains("--via must be http(s)://host:port"), err.toString());
    }

    @Test
    void anUnknownVariantChoiceIsMisuse() {
        assertEquals(2, probe("http://origin.test/master.m3u8", "--variant", "best"));
        assertTrue(err.toString().contains("--variant must be highest, lowest or a position"), err.toString());
    }

    @Test
    void aUrlThatIsNotHttpIsMisuse() {
        assertEquals(2, probe("file:///etc/passwd"));
    }

    @Test
    void zeroSegmentsIsMisuse() {
        assertEquals(2, probe("http://origin.test/master.m3u8", "--segments", "0"));
    }
}
