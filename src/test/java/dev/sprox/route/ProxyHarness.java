package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprox.runtime.Sprox;
import dev.sprox.server.Listener;
import dev.sprox.testing.RunningSprox;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * sprox in-process with a {@code public} listener serving routes and an {@code admin} one serving metrics.
 * Requests go to {@code http://localhost:PORT}, so routes match on {@code host_patterns: ["localhost"]}.
 * Public for the tests of other endpoint groups, which bring their own configuration ({@link #startConfig}).
 */
public abstract class ProxyHarness {
    /** Short drain grace: some tests leave an endless download behind. */
    private static final String LISTENERS = """
            listeners:
              - {id: public, host: 127.0.0.1, port: 0, serve: [routes, ops]}
              - {id: admin, host: 127.0.0.1, port: 0, serve: [admin]}
            server: {shutdown_grace_ms: 300%s}
            logging: {level: warn, access_log: false}
            routes:
            """;

    @TempDir
    protected Path dir;

    protected Sprox sprox;
    protected final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stopSprox() {
        if (sprox != null) {
            sprox.drain();
        }
        client.close();
    }

    /**
     * One route entry for {@link #start}. {@code upstreamExtras} are lines (flow style) added to its
     * {@code upstream} block, e.g. {@code "retry: {max_attempts: 1}"}.
     */
    static String route(String id, String origin, String... upstreamExtras) {
        var yaml = new StringBuilder()
                .append("  - id: ").append(id).append('\n')
                .append("    listeners: [public]\n")
                .append("    host_patterns: [\"localhost\"]\n")
                .append("    upstream:\n")
                .append("      origin: \"").append(origin).append("\"\n")
                .append("      connect_timeout_ms: 1000\n");
        boolean readTimeout = false;
        for (String extra : upstreamExtras) {
            readTimeout |= extra.startsWith("read_timeout_ms");
            yaml.append("      ").append(extra).append('\n');
        }
        if (!readTimeout) {
            yaml.append("      read_timeout_ms: 2000\n");
        }
        return yaml.toString();
    }

    protected Sprox start(String... routes) throws Exception {
        return startWith("", routes);
    }

    /** @param serverExtras more keys for the {@code server} mapping, e.g. {@code ", max_body_bytes: 1"} */
    protected Sprox startWith(String serverExtras, String... routes) throws Exception {
        write(serverExtras, routes);
        return launch();
    }

    /** Starts sprox on {@code yaml} as the whole routes.yaml; its listeners must include {@code public}. */
    protected Sprox startConfig(String yaml) throws Exception {
        Files.writeString(dir.resolve("routes.yaml"), yaml);
        return launch();
    }

    private Sprox launch() throws Exception {
        sprox = RunningSprox.startIn(dir, Map.of()).sprox();
        return sprox;
    }

    protected void write(String serverExtras, String... routes) throws IOException {
        Files.writeString(dir.resolve("routes.yaml"), LISTENERS.formatted(serverExtras) + String.join("", routes));
    }

    protected InetSocketAddress address(String listenerId) {
        return sprox.listeners().stream().filter(l -> l.config().id().equals(listenerId)).findFirst()
                .map(Listener::boundAddress).orElseThrow();
    }

    protected URI url(String pathAndQuery) {
        return URI.create("http://localhost:" + address("public").getPort() + pathAndQuery);
    }

    protected HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(url(pathAndQuery)).timeout(Duration.ofSeconds(10));
    }

    protected HttpResponse<String> fetch(String pathAndQuery, String... headers) throws Exception {
        var builder = request(pathAndQuery);
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends {@code head} (request line and headers, CRLF-terminated, without the blank line) on a fresh socket,
     * adding {@code Connection: close} unless it has a {@code Connection} header, and returns the whole
     * response as text.
     */
    protected String raw(String head) throws IOException {
        if (!head.toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection:")) {
            head += "Connection: close\r\n";
        }
        try (var socket = new Socket()) {
            socket.connect(address("public"), 5_000);
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write((head + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return readAll(socket.getInputStream());
        }
    }

    protected static String readAll(InputStream in) throws IOException {
        var bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    protected String metrics() throws Exception {
        var uri = URI.create("http://127.0.0.1:" + address("admin").getPort() + "/metrics");
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The value of one series, e.g. {@code sprox_upstream_retries_total{route="vod"}}; 0 when absent. */
    protected double metric(String series) throws Exception {
        for (String line : metrics().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).strip());
            }
        }
        return 0;
    }

    /** Request metrics are recorded after the last byte is written, so a client can ask a moment too early. */
    protected void assertMetricEventually(double expected, String series) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (metric(series) != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, metric(series), series);
    }
}
