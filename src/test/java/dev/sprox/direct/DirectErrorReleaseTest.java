package dev.sprox.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.drm.DirectDecryption;
import dev.sprox.http.Headers;
import dev.sprox.http.RequestHead;
import dev.sprox.http.RequestTarget;
import dev.sprox.pipeline.RequestContext;
import dev.sprox.runtime.Snapshot;
import dev.sprox.server.Request;
import dev.sprox.telemetry.ExchangeNotes;
import dev.sprox.telemetry.Metrics;
import dev.sprox.testing.MockResponse;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 §4: an {@link Error} while a direct request is served (an OutOfMemoryError in the rewrite, in the
 * review) must give its stream slot back, or each such request leaves the endpoints one slot poorer until they
 * answer 503 for good. The Error is thrown where the rewrite signs its URLs, after the slot is taken and the
 * origin's answer has arrived: a playlist recognised on the stream endpoint (the manifest endpoint takes no slot).
 */
class DirectErrorReleaseTest extends DirectHarness {
    private static final String PLAYLIST = "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\nseg-1.ts\n";

    @Test
    void anErrorWhileRewritingGivesTheStreamSlotBack() throws Exception {
        startDirect("max_concurrent: 2");
        origin.answer("/live/index.m3u8", MockResponse.ok(PLAYLIST).type("application/vnd.apple.mpegurl"));
        var metrics = new Metrics();
        InstantSource exhausted = () -> {
            throw new OutOfMemoryError("simulated: the heap ran out while rewriting");
        };
        Snapshot snapshot = sprox.snapshot();
        var authorization = new DirectAuthorization(metrics, exhausted, snapshot.directCredentials(),
                snapshot.config().directStream().signedUrlTtl(), Optional.empty());
        var proxy = new DirectProxy(metrics, authorization, snapshot.direct(), StreamSlots.counted(metrics),
                new DirectDecryption(metrics, snapshot.keys()));
        var context = new RequestContext("test", InetAddress.getLoopbackAddress(), new ExchangeNotes(),
                snapshot.generation(), snapshot.tracing(), snapshot.redaction());

        for (int i = 0; i < 3; i++) {
            OutOfMemoryError thrown = assertThrows(OutOfMemoryError.class,
                    () -> proxy.stream(direct(stream("/live/index.m3u8")), context));
            assertTrue(thrown.getMessage().startsWith("simulated"), thrown::getMessage);
            assertEquals(0, streamsActive(metrics), "slots still held after Error number " + (i + 1));
        }
        assertEquals(3, origin.requests("/live/index.m3u8").size(), "each Error came after the origin answered");
    }

    private static Request direct(String target) {
        int query = target.indexOf('?');
        var head = new RequestHead("GET", new RequestTarget(target, target.substring(0, query),
                target.substring(query + 1)), "HTTP/1.1", Headers.of("Host", "localhost"));
        return new Request(head, null, InputStream.nullInputStream(), System.nanoTime());
    }

    private static double streamsActive(Metrics metrics) {
        return metrics.scrape().lines().filter(line -> line.startsWith("sprox_direct_streams_active "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst()
                .orElseThrow();
    }
}
