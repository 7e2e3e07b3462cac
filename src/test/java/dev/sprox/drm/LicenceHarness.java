package dev.sprox.drm;

import dev.sprox.route.ProxyHarness;
import dev.sprox.runtime.Sprox;
import dev.sprox.security.TestSecrets;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * sprox with the two test keys in {@code drm.keys}, the licence endpoint on its {@code public} listener and
 * {@code /keys} and {@code /admin/licence-url} on {@code admin}.
 */
abstract class LicenceHarness extends ProxyHarness {
    static final String SIGNING_SECRET = "licence-signing-secret-for-tests";
    static final Kid KID_A = Kid.parse(TestSecrets.KID_A).orElseThrow();
    static final Kid KID_B = Kid.parse(TestSecrets.KID_B).orElseThrow();
    /** A KID no configuration in these tests has a key for. */
    static final Kid KID_UNKNOWN = Kid.parse("ffeeddccbbaa99887766554433221100").orElseThrow();

    private static final String CONFIG = """
            listeners:
              - {id: public, host: 127.0.0.1, port: 0, serve: [ops]}
              - {id: admin, host: 127.0.0.1, port: 0, serve: [admin]}
            server: {shutdown_grace_ms: 300}
            logging: {level: warn, access_log: false}
            direct_stream:
              signing_secret: %s
            %s
            drm:
              keys:
                - {kid: %s, key: %s}
                - {kid: %s, key: %s}
            %s""";

    /**
     * @param directExtras more lines of {@code direct_stream}, each indented two spaces
     * @param topLevel     more top-level blocks, or more keys of the {@code drm} block (indented), which ends the file
     */
    protected Sprox startLicences(String directExtras, String topLevel) throws Exception {
        return startConfig(CONFIG.formatted(SIGNING_SECRET, directExtras, TestSecrets.KID_A,
                TestSecrets.CONTENT_KEY_A, TestSecrets.KID_B, TestSecrets.CONTENT_KEY_B, topLevel));
    }

    /** A licence URL (path and query) signed as sprox would sign it, expiring in an hour. */
    static String licenceUrl(Kid... kids) {
        return LicenceUrls.signed(java.util.List.of(kids), new dev.sprox.security.UrlSigner(
                new dev.sprox.security.Secret(SIGNING_SECRET)), java.time.Instant.now().getEpochSecond() + 3600);
    }

    /** A ClearKey licence request for these KIDs, as a browser's CDM writes it. */
    static String licenceRequest(Kid... kids) {
        var list = java.util.Arrays.stream(kids).map(k -> "\"" + k.base64Url() + "\"").toList();
        return "{\"kids\":[" + String.join(",", list) + "],\"type\":\"temporary\"}";
    }

    /** The answer's JSON entry for one key. */
    static String jwk(Kid kid, String keyBase64Url) {
        return "{\"kty\":\"oct\",\"kid\":\"" + kid.base64Url() + "\",\"k\":\"" + keyBase64Url + "\"}";
    }

    protected HttpResponse<String> post(String pathAndQuery, String body, String... headers) throws Exception {
        var builder = request(pathAndQuery).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> admin(String pathAndQuery, String... headers) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address("admin").getPort()
                + pathAndQuery)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }
}
