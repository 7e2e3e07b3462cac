package dev.sprox.e2e;

import static dev.sprox.e2e.LogLine.field;
import static dev.sprox.e2e.LogLine.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGHUP: a good change is applied whole, listeners included; a bad one leaves the running configuration serving. */
class ReloadIT {
    @TempDir
    Path config;

    private SproxProcess sprox;
    private int publicPort;
    private int adminPort;

    @BeforeEach
    void start() {
        Configs.routes(config, Configs.PUBLIC_AND_ADMIN);
        sprox = SproxProcess.run(config);
        publicPort = sprox.port("public");
        adminPort = sprox.port("admin");
    }

    @AfterEach
    void stop() {
        sprox.close();
    }

    @Test
    void aListenerAddedInTheListenersDirectoryStartsServing() {
        Configs.write(config.resolve("listeners/extra.yaml"), """
                listeners:
                  - id: extra
                    host: 127.0.0.1
                    port: 0
                    serve: [ops]
                """);
        int mark = sprox.stdout().mark();

        sprox.signal("HUP");

        sprox.stdout().awaitFrom(mark, message("configuration reloaded").and(field("config_generation", 2)),
                SproxProcess.TIMEOUT);
        int extraPort = sprox.portFrom(mark, "extra");
        assertEquals(2, generationOf(RawHttp.get(extraPort, "/health")));
        // Listeners that stay keep their sockets: same ports, now answering with the new generation.
        assertEquals(publicPort, sprox.port("public"));
        assertEquals(2, generationOf(RawHttp.get(publicPort, "/health")));
        String metrics = RawHttp.get(adminPort, "/metrics").text();
        assertTrue(metrics.contains("\nsprox_config_generation 2.0\n"), metrics);
        assertTrue(metrics.contains("\nsprox_config_reloads_total{result=\"failure\"} 0.0\n"), metrics);
    }

    @Test
    void aRemovedListenerStopsAcceptingAndClosesItsIdleConnections() throws IOException {
        try (Socket idle = RawHttp.connect(adminPort)) {
            idle.getOutputStream().write(RawHttp.request("/health", false));
            InputStream in = idle.getInputStream();
            assertEquals(200, RawHttp.readResponse(in).status());
            Configs.routes(config, """
                    listeners:
                      - id: public
                        host: 127.0.0.1
                        port: 0
                        serve: [ops]
                    routes: []
                    """);
            int mark = sprox.stdout().mark();

            sprox.signal("HUP");

            sprox.stdout().awaitFrom(mark, message("configuration reloaded").and(field("config_generation", 2)),
                    SproxProcess.TIMEOUT);
            sprox.stdout().awaitFrom(mark, message("listener closed").and(field("listener", "admin")),
                    SproxProcess.TIMEOUT);
            assertTrue(RawHttp.refuses(adminPort), "the removed listener still accepts connections");
            assertEquals(-1, RawHttp.readOrEnd(in), "the idle connection on the removed listener stayed open");
        }
        assertEquals(2, generationOf(RawHttp.get(publicPort, "/health")));
    }

    @Test
    void aMovedListenerIsBoundAtItsNewPortAndLeavesTheOldOne() {
        int newPort = Configs.freePort();
        Configs.routes(config, Configs.PUBLIC_AND_ADMIN.replaceFirst(
                "(?s)(id: admin\\s+host: 127\\.0\\.0\\.1\\s+port: )0", "$1" + newPort));
        int mark = sprox.stdout().mark();

        sprox.signal("HUP");

        sprox.stdout().awaitFrom(mark, message("configuration reloaded").and(field("config_generation", 2)),
                SproxProcess.TIMEOUT);
        assertEquals(newPort, sprox.portFrom(mark, "admin"));
        assertEquals(200, RawHttp.get(newPort, "/metrics").status());
        assertTrue(RawHttp.refuses(adminPort), "the old address of the moved listener still accepts connections");
    }

    @Test
    void anInvalidFileIsReportedAndTheRunningConfigurationKeepsServing() {
        Path routes = Configs.routes(config, """
                listeners:
                  - id: public
                    host: 127.0.0.1
                    port: "eighty"
                    serve: [ops]
                  - id: admin
                    host: 127.0.0.1
                    port: 0
                    serve: [admin, ops]
                routes: []
                """);
        int mark = sprox.stdout().mark();

        sprox.signal("HUP");

        sprox.stdout().awaitFrom(mark, message("reload failed; the previous configuration keeps serving")
                .and(field("config_generation", 1)), SproxProcess.TIMEOUT);
        String problem = sprox.stdout().awaitFrom(mark, message("configuration problem"), SproxProcess.TIMEOUT);
        assertTrue(field("level", "ERROR").test(problem), problem);
        assertEquals(routes + ":4:11 listeners[0].port: expected an integer, found a string \"eighty\"",
                LogLine.string(problem, "problem").orElseThrow(), problem);
        assertEquals(1, generationOf(RawHttp.get(publicPort, "/health")));
        assertEquals(1, generationOf(RawHttp.get(adminPort, "/health")));
        String metrics = RawHttp.get(adminPort, "/metrics").text();
        assertTrue(metrics.contains("\nsprox_config_reloads_total{result=\"failure\"} 1.0\n"), metrics);
        assertTrue(metrics.contains("\nsprox_config_generation 1.0\n"), metrics);

        // Once the operator fixes the file, the next SIGHUP applies it.
        Configs.routes(config, Configs.PUBLIC_AND_ADMIN);
        int fixed = sprox.stdout().mark();
        sprox.signal("HUP");
        sprox.stdout().awaitFrom(fixed, message("configuration reloaded").and(field("config_generation", 2)),
                SproxProcess.TIMEOUT);
        assertEquals(2, generationOf(RawHttp.get(publicPort, "/health")));
    }

    @Test
    void anAddressThatCannotBeBoundFailsTheWholeReload() throws IOException {
        int freshPort = Configs.freePort();
        try (var occupied = new ServerSocket(0, 50, InetAddress.getByName(RawHttp.HOST))) {
            Configs.write(config.resolve("listeners/more.yaml"), """
                    listeners:
                      - id: fresh
                        host: 127.0.0.1
                        port: %d
                        serve: [ops]
                      - id: taken
                        host: 127.0.0.1
                        port: %d
                        serve: [ops]
                    """.formatted(freshPort, occupied.getLocalPort()));
            int mark = sprox.stdout().mark();

            sprox.signal("HUP");

            sprox.stdout().awaitFrom(mark, message("reload failed; the previous configuration keeps serving"),
                    SproxProcess.TIMEOUT);
            String problem = LogLine.string(sprox.stdout().awaitFrom(mark, message("configuration problem"),
                    SproxProcess.TIMEOUT), "problem").orElseThrow();
            assertTrue(problem.startsWith("cannot bind listener \"taken\" to 127.0.0.1:" + occupied.getLocalPort()),
                    problem);
        }
        // All or nothing: the listener that could have been bound was not kept either.
        assertTrue(RawHttp.refuses(freshPort), "a listener of the failed reload was left bound");
        assertFalse(sprox.stdout().find(message("listening").and(field("listener", "fresh"))).isPresent(),
                sprox.stdout()::text);
        assertEquals(1, generationOf(RawHttp.get(publicPort, "/health")));
        String metrics = RawHttp.get(adminPort, "/metrics").text();
        assertTrue(metrics.contains("\nsprox_config_reloads_total{result=\"failure\"} 1.0\n"), metrics);
    }

    private static long generationOf(RawHttp.Response health) {
        assertEquals(200, health.status(), health::text);
        return LogLine.number(health.text(), "config_generation").orElseThrow();
    }
}
