package dev.sprox.route;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.telemetry.LogCapture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An origin with an open redirect cannot turn a route into a path to cloud metadata or other internal
 * addresses: hops off the origin pass the destination checks unless the route names them. The origin itself
 * is on loopback, which routes may use.
 */
class RouteRedirectGuardTest extends WireMockHarness {
    private static final String METADATA_HEADERS = "Metadata-Flavor: Google\r\nMetadata: true\r\n";

    /** A service on another loopback address, which records every request head it gets. */
    private ServerSocket inside;
    private final List<String> insideReceived = new CopyOnWriteArrayList<>();
    private LogCapture logs;

    @BeforeEach
    void startInside() throws IOException {
        logs = new LogCapture();
        inside = new ServerSocket(0, 50, InetAddress.ofLiteral("127.0.0.2"));
        Thread.ofVirtual().start(() -> {
            while (!inside.isClosed()) {
                try (Socket socket = inside.accept()) {
                    var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                    var head = new ArrayList<String>();
                    for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                        head.add(line);
                    }
                    insideReceived.add(String.join("\n", head));
                    socket.getOutputStream().write(
                            "HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\ninside".getBytes(
                                    StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    return;
                }
            }
        });
        origin.stubFor(get("/vod/r-metadata").willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://169.254.169.254/latest/meta-data/")));
        origin.stubFor(get("/vod/r-inside").willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://127.0.0.2:" + inside.getLocalPort() + "/steal")));
        origin.stubFor(get("/vod/r-localhost").willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://localhost:" + origin.port() + "/vod/ok")));
        origin.stubFor(get("/vod/r-within").willReturn(aResponse().withStatus(302).withHeader("Location", "/vod/ok")));
        origin.stubFor(get("/vod/ok").willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    @AfterEach
    void stopInside() throws IOException {
        logs.close();
        inside.close();
    }

    private String routeWith(String redirect) {
        return route("vod", "http://127.0.0.1:" + origin.port() + "/vod", "redirect: " + redirect);
    }

    private String ask(String path) throws IOException {
        return raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + METADATA_HEADERS);
    }

    @Test
    void aRedirectToTheMetadataAddressIs502AndCounted() throws Exception {
        start(routeWith("{follow_max: 3}"));

        String answer = ask("/r-metadata");

        assertTrue(answer.startsWith("HTTP/1.1 502 "), answer);
        assertTrue(answer.endsWith("\r\n\r\nupstream redirect refused\n"), answer);
        assertEquals(1, metric("sprox_upstream_failures_total{kind=\"refused_redirect\",route=\"vod\"}"));
        List<String> logged = logs.containing("upstream request failed");
        assertEquals(1, logged.size(), logs.lines()::toString);
        assertTrue(logged.getFirst().contains("169.254.169.254") && logged.getFirst().contains("LINK_LOCAL"),
                logged.getFirst());
    }

    @Test
    void aRedirectToAnotherLoopbackAddressNeverReachesItNorCarriesTheClientsHeaders() throws Exception {
        start(routeWith("{follow_max: 3}"));

        String answer = ask("/r-inside");

        assertTrue(answer.startsWith("HTTP/1.1 502 "), answer);
        assertEquals(List.of(), insideReceived);
    }

    @Test
    void aRedirectToANameResolvingToLoopbackIsRefused() throws Exception {
        start(routeWith("{follow_max: 3}"));
        assertTrue(ask("/r-localhost").startsWith("HTTP/1.1 502 "));
        assertEquals(1, metric("sprox_upstream_failures_total{kind=\"refused_redirect\",route=\"vod\"}"));
    }

    @Test
    void aHopWithinThePrivateOriginIsFollowed() throws Exception {
        start(routeWith("{follow_max: 3}"));
        assertEquals("ok", fetch("/r-within").body());
    }

    @Test
    void allowCidrsLetsTheRouteReachTheNamedAddresses() throws Exception {
        start(routeWith("{follow_max: 3, allow_cidrs: [127.0.0.2/32]}"));
        assertEquals("inside", fetch("/r-inside").body());
        assertEquals(1, insideReceived.size());
    }

    @Test
    void allowHostsLetsTheRouteReachTheNamedHosts() throws Exception {
        start(routeWith("{follow_max: 3, allow_hosts: [localhost]}"));
        assertEquals("ok", fetch("/r-localhost").body());
    }
}
