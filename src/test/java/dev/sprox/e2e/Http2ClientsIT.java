package dev.sprox.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.tls.ServerPki;
import dev.sprox.tls.TlsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real HTTP/2 clients against the packaged sprox: curl and nghttp (Debian {@code nghttp2-client}) with prior
 * knowledge on an h2c listener and through ALPN on a TLS one, and the JDK HttpClient over TLS. Each must end up
 * speaking HTTP/2 (not falling back to HTTP/1.1) and receive whole, correct bodies, many streams at once.
 */
class Http2ClientsIT {
    /** The certificate's name, which resolves to loopback for every client without help. */
    private static final String HOST = "localhost";
    private static final long SPEEDTEST_BYTES = 3_000_000;

    @TempDir
    static Path config;

    private static ServerPki pki;
    private static SproxProcess sprox;

    @BeforeAll
    static void start() throws Exception {
        pki = ServerPki.create(Files.createDirectories(config.resolve("pki")));
        ServerPki.Identity identity = pki.issue(HOST);
        Configs.routes(config, """
                listeners:
                  - id: h2c
                    host: 127.0.0.1
                    port: 0
                    serve: [ops]
                    http2: {h2c: true}
                  - id: tls
                    host: 127.0.0.1
                    port: 0
                    serve: [ops]
                    tls:
                      certificates: [{hosts: [%s], certificate_path: %s, private_key_path: %s}]
                logging: { level: info, access_log: false }
                ops: { speedtest: { max_bytes: %d } }
                server: { shutdown_grace_ms: 2000 }
                """.formatted(HOST, identity.certificate(), identity.privateKey(), SPEEDTEST_BYTES));
        sprox = SproxProcess.run(config);
    }

    @AfterAll
    static void stop() {
        if (sprox != null) {
            sprox.close();
        }
    }

    private static String h2c(String path) {
        return "http://127.0.0.1:" + sprox.port("h2c") + path;
    }

    private static String https(String path) {
        return "https://" + HOST + ":" + sprox.port("tls") + path;
    }

    private static ExternalTool.Finished curl(String... args) {
        var all = new ArrayList<>(List.of("-sS", "--max-time", "30", "-o", "/dev/null", "-w",
                "%{http_version} %{http_code} %{size_download}\\n"));
        all.addAll(List.of(args));
        return ExternalTool.require("curl", "curl").run(Duration.ofSeconds(60), all.toArray(String[]::new));
    }

    @Test
    void curlWithPriorKnowledgeSpeaksH2c() {
        ExternalTool.Finished run = curl("--http2-prior-knowledge", h2c("/speedtest?bytes=" + SPEEDTEST_BYTES));
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("2 200 " + SPEEDTEST_BYTES, run.output().strip());
    }

    @Test
    void curlNegotiatesH2OverTls() {
        ExternalTool.Finished run = curl("--http2", "--cacert", pki.caCertificate().toString(), https("/speedtest?bytes=" + SPEEDTEST_BYTES));
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("2 200 " + SPEEDTEST_BYTES, run.output().strip());
    }

    @Test
    void curlWithoutHttp2StillGetsHttp11OnTheH2cListener() {
        ExternalTool.Finished run = curl("--http1.1", h2c("/health"));
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.output().startsWith("1.1 200 "), run::toString);
    }

    @Test
    void nghttpFetchesManyStreamsOnOneConnection() {
        var args = new ArrayList<>(List.of("-n", "-s", "-m", "40"));
        args.add(h2c("/speedtest?bytes=100000"));
        ExternalTool.Finished run = ExternalTool.require("nghttp", "nghttp2-client").run(Duration.ofSeconds(60),
                args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run::toString);
        long answered = run.output().lines().filter(line -> line.contains("/speedtest?bytes=100000")).count();
        assertEquals(40, answered, run::toString);
    }

    @Test
    void nghttpOverTlsNegotiatesH2() {
        ExternalTool.Finished run = ExternalTool.require("nghttp", "nghttp2-client").run(Duration.ofSeconds(60),
                "-v", "-n", "https://127.0.0.1:" + sprox.port("tls") + "/health");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.output().contains("negotiated protocol: h2") && run.output().contains(":status: 200"),
                run::toString);
    }

    @Test
    void jdkHttpClientUsesH2OverTlsWithAlpn() throws Exception {
        var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(new TlsClient(pki.caCertificate()).context())
                .connectTimeout(Duration.ofSeconds(10)).build();
        try (client) {
            var requests = new ArrayList<CompletableFuture<HttpResponse<byte[]>>>();
            for (int i = 0; i < 20; i++) {
                var uri = URI.create(https("/speedtest?bytes=" + (50_000 + i)));
                requests.add(client.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
            }
            for (int i = 0; i < requests.size(); i++) {
                HttpResponse<byte[]> response = requests.get(i).join();
                assertEquals(List.of(HttpClient.Version.HTTP_2, 200, 50_000 + i),
                        List.of(response.version(), response.statusCode(), response.body().length));
            }
        }
    }

}
