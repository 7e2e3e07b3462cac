package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.sprox.runtime.ReloadResult;
import dev.sprox.testing.TestBytes;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A reload that changes a route's origin takes new requests there and lets downloads in flight finish. */
class RouteReloadTest extends ProxyHarness {
    private static final int LENGTH = 2 * 1024 * 1024;
    private JdkOrigin slowOld;
    private RawOrigin fresh;

    @AfterEach
    void stopOrigins() throws Exception {
        if (slowOld != null) {
            slowOld.close();
        }
        if (fresh != null) {
            fresh.close();
        }
    }

    private static byte[] expected() {
        byte[] bytes = new byte[LENGTH];
        TestBytes.fill(bytes, 0);
        return bytes;
    }

    @Test
    void newRequestsGoToTheNewOriginWhileAnOldDownloadCompletes() throws Exception {
        byte[] body = expected();
        slowOld = new JdkOrigin(exchange -> {
            exchange.sendResponseHeaders(200, LENGTH);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int offset = 0; offset < LENGTH; offset += 64 * 1024) {
                    out.write(body, offset, 64 * 1024);
                    out.flush();
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        fresh = RawOrigin.answering("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nnew");
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
    }
}
