package dev.sprox.e2e;

import static dev.sprox.e2e.LogLine.field;
import static dev.sprox.e2e.LogLine.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A viewer who closes the player mid-stream must not leave sprox pulling from the origin: once the client's
 * connection is gone, sprox abandons the upstream exchange, which the origin sees as a failed write.
 */
class RouteClientDisconnectIT {
    private static final int MIB = 1024 * 1024;
    /**
     * sprox notices on its next write to the client; the JDK HttpClient then closes the origin connection on
     * its selector's next pass, which an idle selector makes up to 3 s later (its select timeout).
     */
    private static final Duration NOTICED_WITHIN = Duration.ofSeconds(10);

    @TempDir
    Path config;

    @Test
    @Timeout(60)
    void closingTheClientEndsTheOriginsEndlessBody() throws Exception {
        try (GeneratedOrigin origin = GeneratedOrigin.start()) {
            Configs.routes(config, """
                    listeners:
                      - {id: public, host: 127.0.0.1, port: 0, serve: [routes, ops]}
                    routes:
                      - id: live
                        listeners: [public]
                        upstream:
                          origin: "http://127.0.0.1:%d"
                    """.formatted(origin.port()));
            try (SproxProcess sprox = SproxProcess.run(config)) {
                int port = sprox.port("public");
                origin.expectNextBody();

                long closed;
                try (Socket socket = RawHttp.connect(port)) {
                    socket.getOutputStream().write(RawHttp.request("/endless", false));
                    InputStream in = socket.getInputStream();
                    RawHttp.Response head = RawHttp.readHead(in);
                    assertEquals(200, head.status());
                    assertEquals("chunked", head.header("Transfer-Encoding"));
                    assertTrue(RawHttp.readChunkedContent(in, MIB) >= MIB, "the body stopped before 1 MiB");
                    closed = System.nanoTime();
                }

                long failed = origin.awaitWriteFailure(NOTICED_WITHIN);
                System.out.printf("origin write failed %d ms after the client closed%n",
                        Duration.ofNanos(failed - closed).toMillis());
                String line = sprox.stdout().await(message("request").and(field("path", "/endless")),
                        SproxProcess.TIMEOUT);
                assertTrue(LogLine.number(line, "bytes").orElseThrow() >= MIB, line);
                assertTrue(sprox.isAlive(), sprox.stdout()::text);
                assertEquals(200, RawHttp.get(port, "/health").status());
            }
        }
    }
}
