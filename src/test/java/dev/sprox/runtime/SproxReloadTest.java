package dev.sprox.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.server.Listener;
import dev.sprox.testing.RunningSprox;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SproxReloadTest {
    private static final String TWO_LISTENERS = """
            listeners:
              - {id: public, host: 127.0.0.1, port: 0, serve: [ops]}
              - {id: admin, host: 127.0.0.1, port: 0, serve: [admin, ops]}
            """;

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();
    private Sprox sprox;

    @AfterEach
    void stop() {
        if (sprox != null) {
            sprox.drain();
        }
        client.close();
    }

    private Sprox start(String yaml) throws Exception {
        write(yaml);
        sprox = RunningSprox.startIn(dir, Map.of()).sprox();
        return sprox;
    }

    private void write(String yaml) throws IOException {
        Files.writeString(dir.resolve("routes.yaml"), yaml);
    }

    private InetSocketAddress address(String listenerId) {
        return sprox.listeners().stream().filter(l -> l.config().id().equals(listenerId)).findFirst()
                .map(Listener::boundAddress).orElseThrow();
    }

    private HttpResponse<String> get(InetSocketAddress address, String path) throws Exception {
        var uri = URI.create("http://127.0.0.1:" + address.getPort() + path);
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void goodReloadSwapsInTheNewGeneration() throws Exception {
        start(TWO_LISTENERS);
        assertTrue(get(address("public"), "/health").body().contains("\"config_generation\":1"));
        write(TWO_LISTENERS + "logging: {level: debug}\n");
        assertEquals(new ReloadResult.Reloaded(2), sprox.reload());
        assertTrue(get(address("public"), "/health").body().contains("\"config_generation\":2"));
    }

    @Test
    void brokenReloadKeepsTheOldConfigurationServing() throws Exception {
        start(TWO_LISTENERS);
        InetSocketAddress before = address("public");
        write(TWO_LISTENERS + "logging: {levle: debug}\n");
        var kept = assertInstanceOf(ReloadResult.Kept.class, sprox.reload());
        assertEquals(List.of(dir.resolve("routes.yaml") + ":4:11 logging.levle: unknown key; did you mean \"level\"?"),
                kept.problems());
        assertEquals(1, kept.generation());
        assertEquals(200, get(before, "/health").statusCode());
        assertTrue(get(address("admin"), "/metrics").body()
                .contains("sprox_config_reloads_total{result=\"failure\"} 1.0"));
    }

    @Test
    void reloadBindsAddedListenersAndClosesRemovedOnes() throws Exception {
        start(TWO_LISTENERS);
        InetSocketAddress admin = address("admin");
        write("listeners:\n  - {id: public, host: 127.0.0.1, port: 0, serve: [ops]}\n"
                + "  - {id: extra, host: 127.0.0.1, port: 0, serve: [ops]}\n");
        assertEquals(new ReloadResult.Reloaded(2), sprox.reload());
        assertEquals(200, get(address("extra"), "/health").statusCode());
        assertThrows(ConnectException.class, () -> get(admin, "/health"));
    }

    /** Before one path served start-up and reload, a new listener accepted while the old snapshot was current. */
    @Test
    void aListenerAddedByReloadAnswersItsFirstRequestUnderTheNewConfiguration() throws Exception {
        start(TWO_LISTENERS);
        int port;
        try (var probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        write(TWO_LISTENERS + "  - {id: added, host: 127.0.0.1, port: " + port + ", serve: [ops]}\n");
        var firstAnswer = new java.util.concurrent.CompletableFuture<String>();
        Thread knocker = Thread.ofVirtual().start(() -> {
            while (!firstAnswer.isDone()) {
                try (var socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                    socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    firstAnswer.complete(new String(socket.getInputStream().readAllBytes(),
                            java.nio.charset.StandardCharsets.US_ASCII));
                } catch (IOException notYetListening) {
                    Thread.onSpinWait();
                }
            }
        });
        assertEquals(new ReloadResult.Reloaded(2), sprox.reload());
        String answer = firstAnswer.get(10, java.util.concurrent.TimeUnit.SECONDS);
        knocker.join();
        assertTrue(answer.contains("\"config_generation\":2"), answer);
    }

    @Test
    void listenerKeepsItsSocketWhenItsGroupsChange() throws Exception {
        start(TWO_LISTENERS);
        InetSocketAddress publicAddress = address("public");
        assertEquals(404, get(publicAddress, "/metrics").statusCode());
        write(TWO_LISTENERS.replace("serve: [ops]}", "serve: [ops, admin]}"));
        sprox.reload();
        assertEquals(publicAddress, address("public"));
        assertEquals(200, get(publicAddress, "/metrics").statusCode());
    }

    @Test
    void reloadThatCannotBindKeepsEverythingAsItWas() throws Exception {
        start(TWO_LISTENERS);
        try (var taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            write(TWO_LISTENERS + "  - {id: clash, host: 127.0.0.1, port: " + taken.getLocalPort() + "}\n");
            var kept = assertInstanceOf(ReloadResult.Kept.class, sprox.reload());
            assertTrue(kept.problems().getFirst().startsWith("cannot bind listener \"clash\" to 127.0.0.1:"
                    + taken.getLocalPort()), kept.problems().getFirst());
        }
        assertEquals(List.of("public", "admin"), sprox.listeners().stream().map(l -> l.config().id()).toList());
        assertTrue(get(address("public"), "/health").body().contains("\"config_generation\":1"));
    }

    @Test
    void configuredSendTimeoutDisconnectsAClientThatStoppedReading() throws Exception {
        start(TWO_LISTENERS + "server: {send_timeout_ms: 300}\nops: {speedtest: {max_bytes: 1073741824}}\n");
        try (var stalled = new java.net.Socket("127.0.0.1", address("public").getPort())) {
            stalled.getOutputStream().write("GET /speedtest?bytes=1073741824 HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
            while (!get(address("admin"), "/metrics").body().contains("sprox_server_send_timeouts_total 1.0")) {
                assertTrue(System.nanoTime() < deadline, "the stalled download was never cut");
                Thread.sleep(100);
            }
        }
    }

    @Test
    void clientOverItsRateLimitGets429WithRetryAfter() throws Exception {
        start(TWO_LISTENERS + "rate_limit: {requests_per_second: 0.1, burst: 2}\n");
        assertEquals(200, get(address("public"), "/health").statusCode());
        assertEquals(200, get(address("public"), "/health").statusCode());
        var refused = get(address("public"), "/health");
        assertEquals(429, refused.statusCode());
        assertEquals("10", refused.headers().firstValue("Retry-After").orElseThrow());
    }

    @Test
    void reloadWithTheSameLimitsKeepsWhatClientsHaveSpent() throws Exception {
        String limited = TWO_LISTENERS + "rate_limit: {requests_per_second: 0.1, burst: 1}\n";
        start(limited);
        assertEquals(200, get(address("public"), "/health").statusCode());
        write(limited + "logging: {level: info}\n");
        assertEquals(new ReloadResult.Reloaded(2), sprox.reload());
        assertEquals(429, get(address("public"), "/health").statusCode());
        write(TWO_LISTENERS + "rate_limit: {requests_per_second: 0.1, burst: 5}\n");
        sprox.reload();
        assertEquals(200, get(address("public"), "/health").statusCode(), "new limits start with full buckets");
    }

    @Test
    void invalidConfigurationAtStartIsRefusedWithEveryProblem() throws Exception {
        write("listeners: [{id: a, host: 127.0.0.1, port: -1}]\nbogus: 1\n");
        var failure = assertThrows(StartupFailed.class,
                () -> RunningSprox.startIn(dir, Map.of()));
        assertEquals(List.of(
                dir.resolve("routes.yaml") + ":1:44 listeners[0].port: must be between 0 and 65535, found -1",
                dir.resolve("routes.yaml") + ":2:1 bogus: unknown key"), failure.problems());
    }
}
