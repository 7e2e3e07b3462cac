package dev.sprox.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.sprox.runtime.ReloadResult;
import dev.sprox.runtime.Sprox;
import dev.sprox.security.TestSecrets;
import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.MockResponse;
import dev.sprox.testing.RecordedRequest;
import dev.sprox.testing.RunningSprox;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** sprox in-process exporting to a scripted OTLP/HTTP receiver, proxying to a scripted origin. */
class TracingTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_SPAN_ID = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01";

    @TempDir
    Path dir;

    private final MockOrigin collector = MockOrigin.start().answer("/v1/traces", MockResponse.status(200));
    private final MockOrigin origin = MockOrigin.start().answer("/video/seg.ts", MockResponse.ok("media"));
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Sprox sprox;

    @AfterEach
    void stop() {
        if (sprox != null) {
            sprox.drain();
        }
        client.close();
        collector.close();
        origin.close();
    }

    @Test
    void exportsServerAndUpstreamSpansUnderATrustedTraceparent() throws Exception {
        start("trusted_proxies: [\"127.0.0.1\"]\n" + tracing());
        assertEquals(200, fetch("/video/seg.ts?token=" + TestSecrets.TOKEN + "&x=1", TRACEPARENT).statusCode());
        assertTrue(exporterRuns(), "no exporter thread, so the check without an endpoint would prove nothing");
        sprox.drain();
        sprox = null;

        List<RecordedRequest> exports = exports();
        assertFalse(exports.isEmpty(), "nothing was exported");
        assertEquals(Optional.of("Bearer collector-token"), exports.getFirst().header("Authorization"));
        for (RecordedRequest export : exports) {
            assertFalse(new String(export.body(), StandardCharsets.ISO_8859_1).contains(TestSecrets.TOKEN),
                    "a secret query value was exported");
        }
        List<Span> spans = spans(exports);
        Span server = only(spans, Span.SpanKind.SPAN_KIND_SERVER);
        Span upstream = only(spans, Span.SpanKind.SPAN_KIND_CLIENT);
        assertEquals("GET route:vod", server.getName());
        assertEquals(TRACE_ID, hex(server.getTraceId().toByteArray()));
        assertEquals(PARENT_SPAN_ID, hex(server.getParentSpanId().toByteArray()));
        assertEquals(hex(server.getSpanId().toByteArray()), hex(upstream.getParentSpanId().toByteArray()));
        assertEquals(TRACE_ID, hex(upstream.getTraceId().toByteArray()));
        assertEquals("vod", attribute(server, "sprox.route"));
        assertEquals("/video/seg.ts", attribute(server, "url.path"));
        assertEquals("token=REDACTED&x=1", attribute(server, "url.query"));
        assertEquals("200", attribute(server, "http.response.status_code"));
        assertEquals("200", attribute(upstream, "http.response.status_code"));
        assertEquals("127.0.0.1", attribute(upstream, "server.address"));

        String sent = sentTraceparent();
        assertEquals("00-" + TRACE_ID + "-" + hex(upstream.getSpanId().toByteArray()) + "-01", sent);
    }

    @Test
    void directSpansCarryNeitherThePasswordNorTheDestinationsQuery() throws Exception {
        Files.writeString(dir.resolve("routes.yaml"), """
                listeners:
                  - {id: public, host: 127.0.0.1, port: 0, serve: [direct]}
                server: {shutdown_grace_ms: 300}
                logging: {level: warn, access_log: false}
                direct_stream:
                  api_password: span-test-pw
                  allowlist: [{domain: "127.0.0.1", schemes: [http], ports: [%d]}]
                  allow_cidrs: ["127.0.0.1/32"]
                %s""".formatted(origin.port(), tracing()));
        sprox = RunningSprox.startIn(dir, Map.of("COLLECTOR_TOKEN", "collector-token")).sprox();
        String destination = URLEncoder.encode("http://127.0.0.1:" + origin.port() + "/video/seg.ts?auth=d-t0ken",
                StandardCharsets.UTF_8);
        assertEquals(200, fetch("/proxy/stream?d=" + destination + "&api_password=span-test-pw", TRACEPARENT)
                .statusCode());
        sprox.drain();
        sprox = null;

        List<RecordedRequest> exports = exports();
        for (RecordedRequest export : exports) {
            String body = new String(export.body(), StandardCharsets.ISO_8859_1);
            assertFalse(body.contains("d-t0ken"), "the destination's token was exported");
            assertFalse(body.contains("span-test-pw"), "the password was exported");
        }
        List<Span> spans = spans(exports);
        assertEquals("http://127.0.0.1:" + origin.port() + "/video/seg.ts?auth=REDACTED",
                attribute(only(spans, Span.SpanKind.SPAN_KIND_CLIENT), "url.full"));
        assertTrue(attribute(only(spans, Span.SpanKind.SPAN_KIND_SERVER), "url.query")
                .endsWith("seg.ts?auth=REDACTED&api_password=REDACTED"), () -> spans.toString());
    }

    @Test
    void aReloadThatDropsTheBlockFlushesTheOldExporterWithTheReloadSpan() throws Exception {
        start(tracing());
        Files.writeString(dir.resolve("routes.yaml"), Files.readString(dir.resolve("routes.yaml"))
                .replaceAll("(?s)telemetry:.*?export_delay_ms: 50\n", ""));
        assertInstanceOf(ReloadResult.Reloaded.class, sprox.reload());
        assertFalse(sprox.snapshot().tracing().enabled());
        Span reload = spans(exports()).stream()
                .filter(s -> s.getName().equals("config reload")).findFirst().orElseThrow();
        assertEquals(Span.SpanKind.SPAN_KIND_INTERNAL, reload.getKind());
        assertEquals("reloaded", attribute(reload, "sprox.reload.result"));
    }

    @Test
    void aRewrittenPlaylistIsAnInternalSpanUnderTheRequest() throws Exception {
        origin.answer("/vod/index.m3u8", MockResponse.ok("#EXTM3U\n#EXTINF:4,\nseg1.ts\n")
                .type("application/vnd.apple.mpegurl"));
        startWith("logging: {level: warn, access_log: false}\n" + tracing(),
                "    hls: {rewrite_playlist_urls: true, base_url: \"http://edge.example/\"}\n");
        assertEquals(200, fetch("/vod/index.m3u8", TRACEPARENT).statusCode());
        sprox.drain();
        sprox = null;
        List<Span> spans = spans(exports());
        Span server = only(spans, Span.SpanKind.SPAN_KIND_SERVER);
        Span rewrite = only(spans, Span.SpanKind.SPAN_KIND_INTERNAL);
        assertEquals("playlist rewrite", rewrite.getName());
        assertEquals(server.getSpanId(), rewrite.getParentSpanId());
        assertEquals("27", attribute(rewrite, "sprox.playlist.bytes"));
    }

    @Test
    void aKeyLookupIsAnInternalSpanNamingTheKidButNeverTheKey() throws Exception {
        Files.writeString(dir.resolve("routes.yaml"), """
                listeners:
                  - {id: public, host: 127.0.0.1, port: 0, serve: [ops]}
                server: {shutdown_grace_ms: 300}
                logging: {level: warn, access_log: false}
                direct_stream: {api_password: span-test-pw}
                drm:
                  keys: [{kid: %s, key: %s}]
                %s""".formatted(TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A, tracing()));
        sprox = RunningSprox.startIn(dir, Map.of("COLLECTOR_TOKEN", "collector-token")).sprox();
        int port = sprox.listeners().getFirst().boundAddress().getPort();
        var licence = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/keys/clearkey?kid="
                        + TestSecrets.KID_A)).header("Authorization", "Bearer span-test-pw")
                .timeout(Duration.ofSeconds(10)).build();
        assertEquals(200, client.send(licence, HttpResponse.BodyHandlers.ofString()).statusCode());
        sprox.drain();
        sprox = null;
        List<RecordedRequest> exports = exports();
        for (RecordedRequest export : exports) {
            String body = new String(export.body(), StandardCharsets.ISO_8859_1);
            assertFalse(body.contains(TestSecrets.CONTENT_KEY_A_BASE64URL), "a key was exported");
            assertFalse(body.contains(HexFormat.of().formatHex(HexFormat.of().parseHex(TestSecrets.CONTENT_KEY_A))),
                    "a key was exported");
        }
        List<Span> spans = spans(exports);
        Span lookup = only(spans, Span.SpanKind.SPAN_KIND_INTERNAL);
        assertEquals("drm key lookup", lookup.getName());
        assertEquals(only(spans, Span.SpanKind.SPAN_KIND_SERVER).getSpanId(), lookup.getParentSpanId());
        assertEquals(TestSecrets.KID_A, attribute(lookup, "sprox.drm.kid"));
        assertEquals("static", attribute(lookup, "sprox.drm.key.source"));
        assertEquals("found", attribute(lookup, "sprox.drm.key.result"));
    }

    @Test
    void anUntrustedPeersTraceparentStartsANewTrace() throws Exception {
        start(tracing());
        assertEquals(200, fetch("/video/seg.ts", TRACEPARENT).statusCode());
        String sent = sentTraceparent();
        assertTrue(sent.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), sent);
        assertFalse(sent.contains(TRACE_ID), "the untrusted trace id was continued: " + sent);
    }

    @Test
    void withoutAnEndpointNothingIsExportedAndNoExporterRuns() throws Exception {
        start("");
        assertFalse(sprox.snapshot().tracing().enabled());
        assertEquals(200, fetch("/video/seg.ts", TRACEPARENT).statusCode());
        // Another test's exporter may still be winding down after its drain.
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (exporterRuns() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(exporterRuns(), "an exporter thread runs");
        // Without tracing the client's header passes through untouched, as any other header would.
        assertEquals(TRACEPARENT, sentTraceparent());
        sprox.drain();
        sprox = null;
        assertEquals(0, exports().size());
    }

    @Test
    void theAccessLogLineCarriesTheRequestsTraceAndSpanIds() throws Exception {
        startWith("logging: {level: info, access_log: true}\ntrusted_proxies: [\"127.0.0.1\"]\n" + tracing());
        var access = (Logger) LoggerFactory.getLogger("sprox.access");
        var mdcs = new CopyOnWriteArrayList<Map<String, String>>();
        // The MDC is read as the line is appended: that is what the JSON encoder sees.
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                mdcs.add(Map.copyOf(event.getMDCPropertyMap()));
            }
        };
        appender.start();
        access.addAppender(appender);
        try {
            assertEquals(200, fetch("/video/seg.ts", TRACEPARENT).statusCode());
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (mdcs.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } finally {
            access.detachAppender(appender);
        }
        assertEquals(TRACE_ID, mdcs.getFirst().get("trace_id"));
        assertTrue(mdcs.getFirst().getOrDefault("span_id", "").matches("[0-9a-f]{16}"), mdcs.toString());
        assertNotEquals(PARENT_SPAN_ID, mdcs.getFirst().get("span_id"));
    }

    /** What the collector received: the exporter's POSTs. */
    private List<RecordedRequest> exports() {
        return collector.requests("/v1/traces").stream().filter(r -> r.method().equals("POST")).toList();
    }

    /** The {@code traceparent} sprox sent with its first request for the segment. */
    private String sentTraceparent() {
        RecordedRequest sent = origin.requests("/video/seg.ts").getFirst();
        assertEquals("GET", sent.method());
        return sent.header("traceparent").orElse(null);
    }

    private static boolean exporterRuns() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().contains("BatchSpanProcessor"));
    }

    private String tracing() {
        return """
                telemetry:
                  tracing:
                    endpoint: "http://127.0.0.1:%d/v1/traces"
                    headers: {Authorization: "Bearer ${env:COLLECTOR_TOKEN}"}
                    sampling_ratio: 1.0
                    service_name: sprox-test
                    resource_attributes: {deployment.environment: test}
                    export_delay_ms: 50
                """.formatted(collector.port());
    }

    private void start(String extra) throws Exception {
        startWith("logging: {level: warn, access_log: false}\n" + extra);
    }

    private void startWith(String extra) throws Exception {
        startWith(extra, "");
    }

    /** @param routeExtra more lines for the route, indented by four spaces */
    private void startWith(String extra, String routeExtra) throws Exception {
        Files.writeString(dir.resolve("routes.yaml"), """
                listeners:
                  - {id: public, host: 127.0.0.1, port: 0, serve: [routes, ops]}
                server: {shutdown_grace_ms: 300}
                %s
                routes:
                  - id: vod
                    listeners: [public]
                    host_patterns: ["localhost"]
                    upstream:
                      origin: "http://127.0.0.1:%d"
                      connect_timeout_ms: 1000
                %s""".formatted(extra, origin.port(), routeExtra));
        sprox = RunningSprox.startIn(dir, Map.of("COLLECTOR_TOKEN", "collector-token")).sprox();
    }

    private static List<Span> spans(List<RecordedRequest> exports) throws Exception {
        List<Span> spans = new ArrayList<>();
        for (RecordedRequest export : exports) {
            ExportTraceServiceRequest.parseFrom(export.body()).getResourceSpansList()
                    .forEach(r -> r.getScopeSpansList().forEach(s -> spans.addAll(s.getSpansList())));
        }
        return spans;
    }

    private HttpResponse<String> fetch(String pathAndQuery, String traceparent) throws Exception {
        int port = sprox.listeners().getFirst().boundAddress().getPort();
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).header("traceparent", traceparent).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Span only(List<Span> spans, Span.SpanKind kind) {
        List<Span> matching = spans.stream().filter(s -> s.getKind() == kind).toList();
        assertEquals(1, matching.size(), kind + " spans: " + spans);
        return matching.getFirst();
    }

    private static String attribute(Span span, String key) {
        return span.getAttributesList().stream().filter(a -> a.getKey().equals(key)).map(KeyValue::getValue)
                .map(v -> v.hasIntValue() ? String.valueOf(v.getIntValue()) : v.getStringValue())
                .findFirst().orElse(null);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
