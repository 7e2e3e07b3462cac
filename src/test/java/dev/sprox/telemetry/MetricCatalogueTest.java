package dev.sprox.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.runtime.ReloadResult;
import dev.sprox.runtime.Sprox;
import dev.sprox.server.Listener;
import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.MockResponse;
import dev.sprox.testing.RunningSprox;
import dev.sprox.tls.ServerPki;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/observability.md and {@code /metrics} name the same metric families: every scraped family is
 * documented, and every documented {@code sprox_*} one is scraped once sprox has done one of each thing that
 * registers a meter. Documented JVM families may be missing from a scrape (no collection yet, say).
 */
class MetricCatalogueTest {
    private static final Path CATALOGUE = Path.of("docs/observability.md");
    /** A catalogue row: {@code | `name` | type | ...}. */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([a-z0-9_]+)`\\s*\\|", Pattern.MULTILINE);
    private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) \\S+$", Pattern.MULTILINE);
    private static final String PLAYLIST = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-MEDIA-SEQUENCE:1\n"
            + "#EXTINF:10.0,\nseg1.ts\n";

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Answers every request with a live playlist. */
    private final MockOrigin origin = MockOrigin.start()
            .dispatch(request -> MockResponse.ok(PLAYLIST).type("application/vnd.apple.mpegurl"));
    private Sprox sprox;

    @AfterEach
    void stop() {
        if (sprox != null) {
            sprox.drain();
        }
        origin.close();
        client.close();
    }

    @Test
    void everyScrapedFamilyIsDocumentedAndEveryDocumentedOneIsScraped() throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        // A TLS listener registers the handshake and certificate meters.
        ServerPki.Identity certificate = ServerPki.create(dir).issue("secure.example.com");
        String listeners = """
                listeners:
                  - {id: public, host: 127.0.0.1, port: 0, serve: [routes, direct, ops]}
                  - {id: admin, host: 127.0.0.1, port: 0, serve: [admin]}
                  - id: secure
                    host: 127.0.0.1
                    port: 0
                    serve: [ops]
                    tls:
                      certificates: [{hosts: [secure.example.com], certificate_path: %s, private_key_path: %s}]
                server: {shutdown_grace_ms: 300}
                logging: {level: warn, access_log: false}
                direct_stream:
                  allowlist: [{domain: "127.0.0.1", schemes: [http], ports: [%d]}]
                  allow_cidrs: ["127.0.0.1/32"]
                """.formatted(certificate.certificate(), certificate.privateKey(), origin.port());
        String routes = "routes:\n"
                + route("live", "/live", "http://127.0.0.1:" + origin.port() + "/live")
                + "    hls: {enabled: true, live_cache_fraction: 1}\n"
                // A closed port: a refused connect is retried, then fails as unreachable.
                + route("dead", "/dead", "http://127.0.0.1:" + closedPort + "/dead")
                + "      retry: {max_attempts: 2, initial_delay_ms: 10, max_delay_ms: 20}\n";
        Files.writeString(dir.resolve("routes.yaml"), listeners + routes);
        sprox = RunningSprox.startIn(dir, Map.of()).sprox();

        assertEquals(200, get("public", "/health").statusCode());
        // The second poll, well within the 10 s reuse window, is answered by the first one's fetch.
        assertEquals(200, get("public", "/live/index.m3u8").statusCode());
        assertEquals(200, get("public", "/live/index.m3u8").statusCode());
        assertEquals(502, get("public", "/dead/a.ts").statusCode());
        assertEquals(200, get("public", "/proxy/stream?d=http://127.0.0.1:" + origin.port()
                + "/live/index.m3u8").statusCode());
        Files.writeString(dir.resolve("routes.yaml"), listeners + "bogus: 1\n" + routes);
        assertInstanceOf(ReloadResult.Kept.class, sprox.reload());

        Set<String> scraped = scrapedFamilies();
        Set<String> documented = documentedFamilies();
        var undocumented = new TreeSet<>(scraped);
        undocumented.removeAll(documented);
        var unscraped = new TreeSet<>(documented);
        unscraped.removeIf(name -> !name.startsWith("sprox_") || scraped.contains(name));
        assertTrue(undocumented.isEmpty() && unscraped.isEmpty(),
                "scraped but not in " + CATALOGUE + ": " + undocumented
                        + "; in " + CATALOGUE + " but not scraped: " + unscraped);
    }

    private static String route(String id, String prefix, String origin) {
        return "  - id: " + id + "\n"
                + "    listeners: [public]\n"
                + "    host_patterns: [\"localhost\"]\n"
                + "    path_prefix: " + prefix + "\n"
                + "    upstream:\n"
                + "      origin: \"" + origin + "\"\n"
                + "      connect_timeout_ms: 1000\n"
                + "      read_timeout_ms: 2000\n";
    }

    private HttpResponse<String> get(String listenerId, String path) throws Exception {
        int port = sprox.listeners().stream().filter(l -> l.config().id().equals(listenerId)).findFirst()
                .map(Listener::boundAddress).orElseThrow().getPort();
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private Set<String> scrapedFamilies() throws Exception {
        var families = new TreeSet<String>();
        var matcher = TYPE.matcher(get("admin", "/metrics").body());
        while (matcher.find()) {
            families.add(matcher.group(1));
        }
        return families;
    }

    /** The backticked first cells of the tables in the "## Metrics" section. */
    private static Set<String> documentedFamilies() throws Exception {
        String text = Files.readString(CATALOGUE);
        int start = text.indexOf("\n## Metrics\n");
        assertTrue(start >= 0, "no \"## Metrics\" section in " + CATALOGUE);
        int end = text.indexOf("\n## ", start + 1);
        var names = new TreeSet<String>();
        var matcher = ROW.matcher(text.substring(start, end < 0 ? text.length() : end));
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        assertTrue(!names.isEmpty(), "no metric rows found in " + CATALOGUE);
        return names;
    }
}
