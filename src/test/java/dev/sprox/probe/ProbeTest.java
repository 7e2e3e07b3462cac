package dev.sprox.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.MockResponse;
import java.net.URI;
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
    private final MockOrigin origin = MockOrigin.start();

    @BeforeEach
    void scriptOrigin() {
        byte[] packets = new byte[188 * 4];
        for (int i = 0; i < packets.length; i += 188) {
            packets[i] = 0x47;
        }
        origin.dispatch(request -> {
            if (!request.path().equals("/live.m3u8")) {
                return MockResponse.ok(packets).type("video/mp2t");
            }
            int sequence = advancing ? playlistFetches.getAndIncrement() : 0;
            return MockResponse.ok("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:" + sequence + "\n"
                    + "#EXTINF:1,\nseg" + sequence + ".ts\n#EXTINF:1,\nseg" + (sequence + 1) + ".ts\n")
                    .type("application/vnd.apple.mpegurl");
        });
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    private ProbeReport probe() throws InterruptedException {
        URI url = URI.create(origin.url("/live.m3u8"));
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
