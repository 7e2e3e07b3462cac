package dev.sprox.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sprox.http.QueryParameters;
import dev.sprox.runtime.Sprox;
import dev.sprox.security.Secret;
import dev.sprox.security.UrlSigner;
import dev.sprox.server.Listener;
import dev.sprox.testing.RunningSprox;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignUrlEndpointTest {
    private static final String SIGNING = "sign-url-endpoint-test-signing";
    private static final String PASSWORD = "sign-url-endpoint-test-password";
    private static final String LISTENERS = """
            listeners:
              - {id: public, host: 127.0.0.1, port: 0, serve: [direct, ops]}
              - {id: admin, host: 127.0.0.1, port: 0, serve: [admin]}
            """;
    private static final String D = "d=https%3A%2F%2Fcdn.example.net%2Fvod%2Fmaster.m3u8%3Ftoken%3Dt";

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

    private void start(String direct) throws Exception {
        Files.writeString(dir.resolve("routes.yaml"), LISTENERS + direct);
        sprox = RunningSprox.startIn(dir, Map.of()).sprox();
    }

    private HttpResponse<String> get(String listener, String pathAndQuery, String... headers) throws Exception {
        int port = sprox.listeners().stream().filter(l -> l.config().id().equals(listener)).findFirst()
                .map(Listener::boundAddress).orElseThrow().getPort();
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final String SIGNED_ONLY = "direct_stream: {signing_secret: " + SIGNING + "}\n";
    private static final String WITH_PASSWORD = "direct_stream: {signing_secret: " + SIGNING + ", api_password: "
            + PASSWORD + "}\n";

    @Test
    void mintsAUrlSignedForExactlyTheDestinationAndOverrides() throws Exception {
        start(SIGNED_ONLY);
        long before = Instant.now().getEpochSecond();
        var response = get("admin", "/admin/sign-url?" + D + "&h_referer=https%3A%2F%2Fsite%2F&ttl_s=600");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(Optional.of("no-store"), response.headers().firstValue("Cache-Control"));
        JsonNode json = new ObjectMapper().readTree(response.body());
        String url = json.get("url").asText();
        long expires = json.get("expires").asLong();
        assertTrue(expires >= before + 600 && expires <= before + 602, () -> "expires " + expires);
        assertEquals(Instant.ofEpochSecond(expires).toString(), json.get("expires_at").asText());
        assertTrue(url.startsWith("/proxy/hls/manifest.m3u8?" + D + "&h_referer="), url);

        var query = QueryParameters.parse(url.substring(url.indexOf('?') + 1));
        assertEquals(new UrlSigner.Verification.Valid(expires), new UrlSigner(new Secret(SIGNING)).verify(
                "https://cdn.example.net/vod/master.m3u8?token=t",
                List.of(new UrlSigner.HeaderOverride("referer", "https://site/")),
                query.first("exp").orElseThrow(), query.first("sig").orElseThrow(), before));
    }

    @Test
    void mintingSpendsTheStricterKeyEndpointBucketBeyondWhichItIs429() throws Exception {
        start(SIGNED_ONLY + "rate_limit: {requests_per_second: 1000, key_endpoints: {requests_per_second: 0.01,"
                + " burst: 2}}\n");
        assertEquals(200, get("admin", "/admin/sign-url?" + D).statusCode());
        assertEquals(200, get("admin", "/admin/sign-url?" + D).statusCode());

        var refused = get("admin", "/admin/sign-url?" + D);

        assertEquals(429, refused.statusCode(), refused.body());
        assertEquals(Optional.of("100"), refused.headers().firstValue("Retry-After"), "one token per 100 s");
        assertEquals(200, get("public", "/health").statusCode(), "ordinary requests are not held back");
        var metrics = get("admin", "/metrics").body();
        assertTrue(metrics.contains("sprox_rate_limited_total{bucket=\"key_endpoints\"} 1.0"), metrics);
    }

    @Test
    void picksTheEndpointAndPrefixesTheBaseWhenAsked() throws Exception {
        start(SIGNED_ONLY);
        var response = get("admin", "/admin/sign-url?" + D + "&endpoint=stream&base=https%3A%2F%2Fsprox.example%2F");
        String url = new ObjectMapper().readTree(response.body()).get("url").asText();
        assertTrue(url.startsWith("https://sprox.example/proxy/stream/master.m3u8?" + D + "&exp="), url);
    }

    @Test
    void anMpdDefaultsToTheMpdEndpointAndMpdHlsNamesItsConversion() throws Exception {
        start(SIGNED_ONLY);
        String mpd = "d=https%3A%2F%2Fcdn.example.net%2Fdash%2Fmanifest.mpd";
        var mapper = new ObjectMapper();

        String byDefault = mapper.readTree(get("admin", "/admin/sign-url?" + mpd).body()).get("url").asText();
        String converted = mapper.readTree(get("admin", "/admin/sign-url?" + mpd + "&endpoint=mpd_hls").body())
                .get("url").asText();

        assertTrue(byDefault.startsWith(DirectUrls.MPD + "?" + mpd + "&exp="), byDefault);
        assertTrue(converted.startsWith(DirectUrls.MPD_MULTIVARIANT + "?" + mpd + "&exp="), converted);
    }

    @Test
    void defaultsToTheConfiguredTtl() throws Exception {
        start("direct_stream: {signing_secret: " + SIGNING + ", signed_url_ttl_s: 120}\n");
        long before = Instant.now().getEpochSecond();
        long expires = new ObjectMapper().readTree(get("admin", "/admin/sign-url?" + D).body()).get("expires").asLong();
        assertTrue(expires >= before + 120 && expires <= before + 122, () -> "expires " + expires);
    }

    @Test
    void refusesWhatTheDirectEndpointsWouldRefuse() throws Exception {
        start(SIGNED_ONLY);
        assertEquals(400, get("admin", "/admin/sign-url?d=ftp%3A%2F%2Fx%2Fa").statusCode());
        var override = get("admin", "/admin/sign-url?" + D + "&h_cookie=a");
        assertEquals(400, override.statusCode());
        assertEquals("header override \"cookie\" is not allowed\n", override.body());
        assertEquals(400, get("admin", "/admin/sign-url?" + D + "&ttl_s=0").statusCode());
        assertEquals(400, get("admin", "/admin/sign-url?" + D + "&endpoint=other").statusCode());
        assertEquals(400, get("admin", "/admin/sign-url?" + D + "&base=sprox.example").statusCode());
    }

    @Test
    void isServedOnlyWhereAdminIs() throws Exception {
        start(SIGNED_ONLY);
        assertEquals(404, get("public", "/admin/sign-url?" + D).statusCode());
    }

    @Test
    void withAPasswordConfiguredOnlyThePasswordMints() throws Exception {
        start(WITH_PASSWORD);
        var missing = get("admin", "/admin/sign-url?" + D);
        assertEquals(401, missing.statusCode());
        assertEquals(Optional.of("Bearer realm=\"sprox\""), missing.headers().firstValue("WWW-Authenticate"));
        assertEquals(403, get("admin", "/admin/sign-url?" + D, "Authorization", "Bearer wrong").statusCode());
        assertEquals(200, get("admin", "/admin/sign-url?" + D, "Authorization", "Bearer " + PASSWORD).statusCode());
        assertEquals(200, get("admin", "/admin/sign-url?" + D, "X-Sprox-Api-Password", PASSWORD).statusCode());
    }

    @Test
    void aClientThatKeepsGuessingIsThrottledEvenWithTheRightPassword() throws Exception {
        start(WITH_PASSWORD + "rate_limit: {requests_per_second: 1000, auth_failures: {requests_per_second: 0.01,"
                + " burst: 2}}\n");
        assertEquals(403, get("admin", "/admin/sign-url?" + D, "X-Sprox-Api-Password", "guess-1").statusCode());
        assertEquals(403, get("admin", "/admin/sign-url?" + D, "X-Sprox-Api-Password", "guess-2").statusCode());
        var throttled = get("admin", "/admin/sign-url?" + D, "X-Sprox-Api-Password", PASSWORD);
        assertEquals(429, throttled.statusCode());
        assertEquals(Optional.of("100"), throttled.headers().firstValue("Retry-After"));
        assertTrue(get("admin", "/metrics").body().contains("sprox_rate_limited_total{bucket=\"auth_failures\"} 1.0"));
    }

    @Test
    void missingPasswordsSpendNothing() throws Exception {
        start(WITH_PASSWORD + "rate_limit: {requests_per_second: 1000, auth_failures: {requests_per_second: 0.01,"
                + " burst: 1}}\n");
        for (int i = 0; i < 5; i++) {
            assertEquals(401, get("admin", "/admin/sign-url?" + D).statusCode());
        }
        assertEquals(200, get("admin", "/admin/sign-url?" + D, "X-Sprox-Api-Password", PASSWORD).statusCode());
    }

    @Test
    void mintsADecryptingPlaylistUrlOnlyForAnEndpointThatWritesHls() throws Exception {
        start(SIGNED_ONLY);
        var minted = get("admin", "/admin/sign-url?d=https%3A%2F%2Fcdn.example.net%2Fdash%2Fmanifest.mpd&decrypt=1");
        assertEquals(200, minted.statusCode(), minted.body());
        String url = new ObjectMapper().readTree(minted.body()).get("url").asText();
        assertTrue(url.startsWith(DirectUrls.MPD_MULTIVARIANT + "?d=") && url.contains("&decrypt=1&exp="), url);
        String sig = QueryParameters.parse(url.substring(url.indexOf('?') + 1)).first("sig").orElseThrow();
        long exp = Long.parseLong(QueryParameters.parse(url.substring(url.indexOf('?') + 1)).first("exp")
                .orElseThrow());
        var signer = new UrlSigner(new Secret(SIGNING));
        assertEquals(new UrlSigner.Verification.Valid(exp), signer.verify("https://cdn.example.net/dash/manifest.mpd",
                List.of(), Decryption.playlist(Optional.empty()).signed(), Long.toString(exp), sig,
                Instant.now().getEpochSecond()));
        assertEquals(400, get("admin", "/admin/sign-url?" + D + "&decrypt=1&endpoint=stream").statusCode());
        assertEquals(400, get("admin", "/admin/sign-url?" + D + "&decrypt=yes").statusCode());
    }
}
