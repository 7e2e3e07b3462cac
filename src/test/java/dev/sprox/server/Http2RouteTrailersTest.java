package dev.sprox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.MockResponse;
import dev.sprox.testing.RunningSprox;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What docs/configuration.md says of trailers: the JDK HttpClient that fetches from origins drops an origin's
 * response trailers, so an HTTP/2 client gets the body whole and ended by DATA, with neither the trailer fields
 * nor the {@code Trailer} field that announced them.
 */
class Http2RouteTrailersTest {
    private static final String CHUNKED_WITH_TRAILERS = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
            + "Transfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n"
            + "6\r\nhello \r\n5\r\nworld\r\n0\r\nX-Checksum: 5eb63bbb\r\n\r\n";

    @TempDir
    static Path dir;
    private static final MockOrigin origin = MockOrigin.start();
    private static RunningSprox sprox;

    @BeforeAll
    static void start() throws Exception {
        sprox = RunningSprox.start(dir, """
                listeners:
                  - {id: public, host: 127.0.0.1, port: 0, serve: [routes], http2: {h2c: true}}
                routes:
                  - {id: media, host_patterns: ["*"], upstream: {origin: "%s"}}
                """.formatted(origin.url("")));
    }

    @AfterAll
    static void stop() {
        if (sprox != null) {
            sprox.close();
        }
        origin.close();
    }

    @Test
    void anOriginsTrailersAreDroppedAndTheBodyArrivesWhole() throws Exception {
        origin.enqueue(MockResponse.raw(CHUNKED_WITH_TRAILERS));
        try (H2Client client = H2Client.connect(sprox.address("public"))) {
            client.headers(1, H2Client.get("/clip.txt"), true);
            H2Client.Answer answer = client.response(1);
            // A trailing HEADERS block would have replaced the response's fields in the answer.
            assertEquals(List.of(200, "hello world"), List.of(answer.status(), answer.bodyText()));
            assertNull(answer.header("x-checksum"));
            assertNull(answer.header("trailer"));
        }
    }
}
