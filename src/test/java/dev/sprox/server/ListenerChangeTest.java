package dev.sprox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.http.Response;
import dev.sprox.pipeline.Endpoint;
import dev.sprox.pipeline.Endpoints;
import dev.sprox.pipeline.Generation;
import dev.sprox.pipeline.Pipeline;
import dev.sprox.pipeline.RequestSteps;
import dev.sprox.pipeline.RouteMatcher;
import dev.sprox.security.Redaction;
import dev.sprox.telemetry.Metrics;
import dev.sprox.telemetry.Tracing;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A prepared listener change binds but serves nothing until it is committed, so a reload can swap first. */
class ListenerChangeTest {
    private static final byte[] PING = "GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private final HttpServer server = new HttpServer(new Pipeline(ListenerChangeTest::generation, new Metrics()),
            () -> TestServer.SETTINGS);

    private static Generation generation() {
        var endpoints = new Endpoints(List.of(Endpoint.get(ServeGroup.OPS, "/ping",
                (request, context) -> Response.text(200, "text/plain", "pong"))));
        return new Generation(new RequestSteps(1, endpoints, RouteMatcher.NONE, List.of(), Optional.empty(),
                Optional.empty(), Tracing.OFF, Redaction.DEFAULT, List.of(), false), () -> { });
    }

    @AfterEach
    void stop() {
        server.drain(java.time.Duration.ZERO);
    }

    private static int freePort() throws IOException {
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static ListenerConfig listener(int port) {
        return new ListenerConfig("added", "127.0.0.1", port, ServeGroup.DEFAULT);
    }

    @Test
    void aPreparedListenerAnswersOnlyOnceCommitted() throws Exception {
        int port = freePort();
        HttpServer.ListenerChange change = server.prepare(List.of(listener(port)));
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.getOutputStream().write(PING);
            socket.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read(),
                    "answered before the change was committed");
            change.commit();
            socket.setSoTimeout(5000);
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 200") && answer.endsWith("pong"), answer);
        }
    }

    @Test
    void anAbandonedChangeReleasesItsAddress() throws Exception {
        int port = freePort();
        server.prepare(List.of(listener(port))).abandon();
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
        assertEquals(List.of(), server.listeners());
    }
}
