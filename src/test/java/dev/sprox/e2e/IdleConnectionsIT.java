package dev.sprox.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten thousand connections that say nothing cost sprox a parked virtual thread each, not a platform thread nor a
 * buffer: it keeps all of them in a 128 MiB heap and still answers at once. Run against a real process so client
 * and server sockets do not share one file-descriptor limit.
 */
class IdleConnectionsIT {
    private static final int IDLE = 10_000;

    @TempDir
    Path config;

    @Test
    void tenThousandIdleConnectionsDoNotStopSproxServing() throws Exception {
        Configs.routes(config, Configs.PUBLIC_AND_ADMIN.replace("server: { shutdown_grace_ms: 5000 }",
                "server: { shutdown_grace_ms: 5000, max_connections: 20000, idle_timeout_ms: 120000,"
                        + " header_timeout_ms: 120000 }"));
        List<Socket> idle = new ArrayList<>(IDLE);
        try (SproxProcess sprox = SproxProcess.start(List.of("-Xmx128m"), Map.of(), "run", "-c", config.toString())
                .awaitStarted()) {
            int port = sprox.port("public");
            try {
                for (int i = 0; i < IDLE; i++) {
                    var socket = new Socket();
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                    idle.add(socket);
                }
                long start = System.nanoTime();
                var health = RawHttp.get(port, "/health");
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertEquals(200, health.status());
                var metrics = RawHttp.get(sprox.port("admin"), "/metrics").text();
                double active = Double.parseDouble(metrics.lines()
                        .filter(l -> l.startsWith("sprox_server_connections_active ")).findFirst().orElseThrow()
                        .split(" ")[1]);
                assertTrue(active >= IDLE, "sprox holds " + active + " connections");
                assertTrue(sprox.stderr().all().stream().noneMatch(l -> l.contains("OutOfMemoryError")),
                        sprox.stderr()::text);
                String rss = Files.readAllLines(Path.of("/proc/" + sprox.pid() + "/status")).stream()
                        .filter(l -> l.startsWith("VmRSS")).findFirst().orElse("VmRSS: ?");
                System.out.printf("%d idle connections: /health answered in %d ms, sprox %s%n", IDLE, millis,
                        rss.replaceAll("\\s+", " "));
            } finally {
                for (Socket socket : idle) {
                    closeQuietly(socket);
                }
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all that is left to do.
        }
    }
}
