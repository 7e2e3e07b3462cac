package dev.sprox.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The live check, against an in-process origin whose playlist moves (or not) between two fetches. */
class ProbeTest {
    private final AtomicInteger playlistFetches = new AtomicInteger();
    private volatile boolean advancing;
    private HttpServer origin;

    @BeforeEach
    void startOrigin() throws IOException {
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        origin.createContext("/live.m3u8", exchange -> {
            int sequence = advancing ? playlistFetches.getAndIncrement() : 0;
            byte[] body = ("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:" + sequence + "\n"
                    + "#EXTINF:1,\nseg" + sequence + ".ts\n#EXTINF:1,\nseg" + (sequence + 1) + ".ts\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.apple.mpegurl");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        origin.createContext("/", exchange -> {
            byte[] packet = new byte[188 * 4];
            for (int i = 0; i < packet.length; i += 188) {
                packet[i] = 0x47;
            }
            exchange.getResponseHeaders().add("Content-Type", "video/mp2t");
            exchange.sendResponseHeaders(200, packet.length);
            exchange.getResponseBody().write(packet);
            exchange.close();
        });
        origin.start();
    }

    @AfterEach
    void stopOrigin() {
        origin.stop(0);
    }

    private ProbeReport probe() throws InterruptedException {
        URI url = URI.create("http://127.0.0.1:" + origin.getAddress().getPort() + "/live.m3u8");
        return Probe.run(url, Optional.empty(), VariantChoice.parse("highest"), 3, Duration.ofSeconds(5));
    }

    @Test
    void aLivePlaylistThatMovesIsPlayable() throws InterruptedException {
        advancing = true;
        ProbeReport report = probe();
        assertTrue(report.playable(), ReportFormat.text(report));
        assertEquals("live", report.checks().getLast().what());
    }

    @Test
    void aLivePlaylistThatIsStuckIsNot() throws InterruptedException {
        advancing = false;
        ProbeReport report = probe();
        assertFalse(report.playable(), ReportFormat.text(report));
        Check last = report.checks().getLast();
        assertEquals("live", last.what());
        assertTrue(last.detail().startsWith("live playlist did not advance in 1500 ms"), last.detail());
    }
}
