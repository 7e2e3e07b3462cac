package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.testing.MockResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A client leaving mid-download cancels the origin exchange instead of leaving it running. */
class ClientDisconnectTest extends OriginHarness {

    @Test
    void clientClosingMidBodyMakesTheOriginsWriteFail() throws Exception {
        var originWriteFailed = new CompletableFuture<Throwable>();
        origin.answer("/vod/endless.ts", MockResponse.status(200).body(-1, out -> {
            byte[] chunk = new byte[64 * 1024];
            try {
                while (true) {
                    out.write(chunk);
                    out.flush();
                    Thread.sleep(5);
                }
            } catch (IOException | InterruptedException e) {
                originWriteFailed.complete(e);
            }
        }));
        start(route("vod", origin.url("/vod")));

        try (var socket = new Socket()) {
            socket.connect(address("public"), 5_000);
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("GET /endless.ts HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long read = 0;
            while (read < 1024 * 1024) {
                int n = in.read(buffer);
                assertTrue(n > 0, "download ended after " + read + " bytes");
                read += n;
            }
        }
        Throwable failure = originWriteFailed.get(5, TimeUnit.SECONDS);
        assertInstanceOf(IOException.class, failure, failure.toString());
    }
}
