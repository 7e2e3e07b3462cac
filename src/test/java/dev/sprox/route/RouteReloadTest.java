package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.sprox.runtime.ReloadResult;
import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.MockResponse;
import dev.sprox.testing.TestBytes;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A reload that changes a route's origin takes new requests there and lets downloads in flight finish. */
class RouteReloadTest extends ProxyHarness {
    private static final int LENGTH = 2 * 1024 * 1024;
    private final MockOrigin slowOld = MockOrigin.start();
    private final MockOrigin fresh = MockOrigin.start();

    @AfterEach
    void stopOrigins() {
        slowOld.close();
        fresh.close();
    }

    private static byte[] expected() {
        byte[] bytes = new byte[LENGTH];
        TestBytes.fill(bytes, 0);
        return bytes;
    }

    @Test
    void newRequestsGoToTheNewOriginWhileAnOldDownloadCompletes() throws Exception {
        byte[] body = expected();
        slowOld.answer("/vod/movie.mp4", MockResponse.ok(body).throttle(64 * 1024, Duration.ofMillis(20)));
        fresh.answer("/v2/next.ts", MockResponse.ok("new"));
        start(route("vod", slowOld.url("/vod")));

        var download = client.send(request("/movie.mp4").build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = download.body()) {
            byte[] received = new byte[LENGTH];
            int first = in.readNBytes(received, 0, 64 * 1024);

            write("", route("vod", fresh.url("/v2")));
            assertInstanceOf(ReloadResult.Reloaded.class, sprox.reload());
            var after = fetch("/next.ts");
            assertEquals("new", after.body());
            assertEquals("GET /v2/next.ts HTTP/1.1", fresh.only().requestLine());

            int rest = in.readNBytes(received, first, LENGTH - first);
            assertEquals(LENGTH, first + rest);
            assertEquals(-1, in.read());
            assertArrayEquals(body, received);
        }
        assertEquals("GET /vod/movie.mp4 HTTP/1.1", slowOld.only().requestLine());
    }
}
