package dev.sprox.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator who gives sprox far too small a heap for its load gets a process that ends, not one that is alive
 * but deaf: started through {@code scripts/sprox} (whose JVM options the runtime image and the systemd unit
 * share, scripts/jvm-options), with a 16 MiB heap set the way an operator sets one, and then fed players that
 * each ask for a segment and never read it, the JVM dies of OutOfMemoryError with exit status 3, which
 * {@code Restart=on-failure} restarts.
 */
class OutOfMemoryExitIT {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    /** JVM exit status after -XX:+ExitOnOutOfMemoryError. */
    private static final int OUT_OF_MEMORY_EXIT = 3;
    private static final int MAX_PLAYERS = 3_000;
    private static final String SEGMENT = "/fixed/" + (4 << 20);

    @TempDir
    Path config;

    @Test
    @Timeout(180)
    void slowPlayersAgainstATinyHeapEndTheProcess() throws Exception {
        try (GeneratedOrigin origin = GeneratedOrigin.start()) {
            Configs.routes(config, """
                    listeners:
                      - {id: public, host: 127.0.0.1, port: 0, serve: [routes, ops]}
                    routes:
                      - id: vod
                        listeners: [public]
                        upstream:
                          origin: "http://127.0.0.1:%d"
                    server: { max_connections: 20000, send_timeout_ms: 120000 }
                    """.formatted(origin.port()));
            List<Socket> players = new ArrayList<>();
            try (SproxProcess sprox = SproxProcess.launch(List.of(ROOT.resolve("scripts/sprox").toString(), "run",
                    "-c", config.toString()), environment()).awaitStarted()) {
                int port = sprox.port("public");
                assertEquals(200, RawHttp.get(port, "/health").status(), "serves before the load");
                for (int i = 0; i < MAX_PLAYERS && sprox.isAlive(); i++) {
                    players.add(slowPlayer(port));
                }
                int status = sprox.awaitExit(Duration.ofSeconds(60));

                assertEquals(OUT_OF_MEMORY_EXIT, status, sprox.stderr()::text);
                assertTrue(sprox.stderr().all().stream().anyMatch(l -> l.contains("java.lang.OutOfMemoryError")),
                        sprox.stderr()::text);
                assertFalse(sprox.isAlive());
            } finally {
                players.forEach(OutOfMemoryExitIT::closeQuietly);
            }
        }
    }

    /**
     * The test JVM's own JDK, the way a host without JAVA_HOME would not have it; the heap the way an operator sets
     * one for the systemd unit.
     */
    private static Map<String, String> environment() {
        Path javaHome = Path.of(ProcessHandle.current().info().command().orElseThrow()).getParent().getParent();
        return Map.of("PATH", "/usr/bin:/bin", "JAVA_HOME", javaHome.toString(),
                "JDK_JAVA_OPTIONS", "-Xmx16m -XX:TieredStopAtLevel=1");
    }

    /** Asks for a 4 MiB segment and never reads a byte of it. */
    private static Socket slowPlayer(int port) {
        var socket = new Socket();
        try {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(RawHttp.HOST, port), 5_000);
            socket.getOutputStream().write(("GET " + SEGMENT + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            // The process may be dying: the loop looks at that next.
        }
        return socket;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all that is left to do.
        }
    }
}
