package dev.sprox.drm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.direct.DirectAuthorization;
import dev.sprox.http.Headers;
import dev.sprox.http.RequestHead;
import dev.sprox.http.RequestTarget;
import dev.sprox.http.Response;
import dev.sprox.http.ResponseBody;
import dev.sprox.pipeline.RequestContext;
import dev.sprox.runtime.Snapshot;
import dev.sprox.security.Secret;
import dev.sprox.security.TestSecrets;
import dev.sprox.security.UrlSigner;
import dev.sprox.server.ConnectionInfo;
import dev.sprox.server.Request;
import dev.sprox.telemetry.ExchangeNotes;
import dev.sprox.telemetry.Metrics;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each shape of licence request, and what authorises one. */
class ClearKeyEndpointTest extends LicenceHarness {

    @Test
    void aLicenceRequestForSeveralKidsGetsEveryKey() throws Exception {
        startLicences("", "");
        HttpResponse<String> answer = post(licenceUrl(KID_A, KID_B), licenceRequest(KID_A, KID_B));
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("{\"keys\":[" + jwk(KID_A, TestSecrets.CONTENT_KEY_A_BASE64URL) + ","
                + jwk(KID_B, TestSecrets.CONTENT_KEY_B_BASE64URL) + "],\"type\":\"temporary\"}", answer.body());
        assertEquals(Optional.of("application/json"), answer.headers().firstValue("Content-Type"));
        assertEquals(Optional.of("no-store"), answer.headers().firstValue("Cache-Control"));
    }

    @Test
    void anUnknownKidIsLeftOutAndTheOthersAreAnswered() throws Exception {
        startLicences("", "");
        HttpResponse<String> answer = post(licenceUrl(), licenceRequest(KID_UNKNOWN, KID_B));
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("{\"keys\":[" + jwk(KID_B, TestSecrets.CONTENT_KEY_B_BASE64URL) + "],\"type\":\"temporary\"}",
                answer.body());
        HttpResponse<String> none = post(licenceUrl(), licenceRequest(KID_UNKNOWN));
        assertEquals("{\"keys\":[],\"type\":\"temporary\"}", none.body());
    }

    @Test
    void malformedLicenceRequestsAre400() throws Exception {
        startLicences("", "");
        for (String body : List.of("", "{", "[]", "{\"kids\":\"abc\"}", "{\"kids\":[]}", "{\"kids\":[\"short\"]}",
                "{\"kids\":[1]}", licenceRequest(KID_A).replace("temporary", "persistent-license"),
                licenceRequest(KID_A) + "{}")) {
            HttpResponse<String> answer = post(licenceUrl(), body);
            assertEquals(400, answer.statusCode(), body + " -> " + answer.body());
            assertFalse(answer.body().contains(TestSecrets.CONTENT_KEY_A_BASE64URL), answer.body());
        }
    }

    @Test
    void aHugeLicenceRequestIs413() throws Exception {
        startLicences("", "");
        String huge = "{\"kids\":[\"" + KID_A.base64Url() + "\"],\"pad\":\"" + "x".repeat(20_000) + "\"}";
        assertEquals(413, post(licenceUrl(), huge).statusCode());
    }

    @Test
    void moreKidsThanALicenceMayNameAre400() throws Exception {
        startLicences("", "");
        var kids = new StringBuilder();
        for (int i = 0; i <= LicenceUrls.MAX_KIDS; i++) {
            kids.append(i == 0 ? "" : ",").append('"').append(Kid.of(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    0, 0, 0, 0, (byte) i}).base64Url()).append('"');
        }
        assertEquals(400, post(licenceUrl(), "{\"kids\":[" + kids + "]}").statusCode());
    }

    @Test
    void theGetFormOfTheOriginalStillAnswers() throws Exception {
        startLicences("", "");
        HttpResponse<String> answer = fetch(licenceUrl(KID_A) + "&kid=" + KID_A.uuid());
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("{\"keys\":[" + jwk(KID_A, TestSecrets.CONTENT_KEY_A_BASE64URL) + "],\"type\":\"temporary\"}",
                answer.body());
        assertEquals(400, fetch(licenceUrl(KID_A)).statusCode());
        assertEquals(400, fetch(licenceUrl(KID_A) + "&kid=nope").statusCode());
    }

    @Test
    void aUrlBoundToKidsGivesOutNoOtherKey() throws Exception {
        startLicences("", "");
        HttpResponse<String> answer = post(licenceUrl(KID_A), licenceRequest(KID_A, KID_B));
        assertEquals("{\"keys\":[" + jwk(KID_A, TestSecrets.CONTENT_KEY_A_BASE64URL) + "],\"type\":\"temporary\"}",
                answer.body());
        String rebound = licenceUrl(KID_A).replace("kids=" + KID_A.hex(), "kids=" + KID_A.hex() + "," + KID_B.hex());
        assertEquals(403, post(rebound, licenceRequest(KID_B)).statusCode());
        String unbound = licenceUrl(KID_A).replace("kids=" + KID_A.hex() + "&", "");
        assertEquals(403, post(unbound, licenceRequest(KID_B)).statusCode());
    }

    @Test
    void anExpiredUrlIsRefused() throws Exception {
        startLicences("", "");
        String expired = LicenceUrls.signed(List.of(KID_A), new UrlSigner(new Secret(SIGNING_SECRET)),
                Instant.now().getEpochSecond() - 1);
        HttpResponse<String> answer = post(expired, licenceRequest(KID_A));
        assertEquals(403, answer.statusCode());
        assertEquals("the signed URL has expired\n", answer.body());
    }

    @Test
    void withoutCredentialsItIs401AndNeverOpen() throws Exception {
        startLicences("", "");
        HttpResponse<String> answer = post(ClearKeyEndpoint.PATH, licenceRequest(KID_A));
        assertEquals(401, answer.statusCode());
        assertFalse(answer.body().contains(TestSecrets.CONTENT_KEY_A_BASE64URL));
        String otherKey = LicenceUrls.signed(List.of(KID_A), new UrlSigner(new Secret("another secret")),
                Instant.now().getEpochSecond() + 60);
        assertEquals(403, post(otherKey, licenceRequest(KID_A)).statusCode());
    }

    @Test
    void theApiPasswordAlsoAuthorises() throws Exception {
        startLicences("  api_password: " + TestSecrets.API_PASSWORD, "");
        assertEquals(200, post(ClearKeyEndpoint.PATH, licenceRequest(KID_A),
                "Authorization", "Bearer " + TestSecrets.API_PASSWORD).statusCode());
        assertEquals(403, post(ClearKeyEndpoint.PATH, licenceRequest(KID_A),
                "Authorization", "Bearer wrong").statusCode());
    }

    @Test
    void keyRequestsSpendTheKeyEndpointsBucket() throws Exception {
        startLicences("", "rate_limit: {requests_per_second: 100, burst: 100,"
                + " key_endpoints: {requests_per_second: 0.01, burst: 2}}\n");
        assertEquals(200, post(licenceUrl(KID_A), licenceRequest(KID_A)).statusCode());
        assertEquals(200, post(licenceUrl(KID_A), licenceRequest(KID_A)).statusCode());
        HttpResponse<String> third = post(licenceUrl(KID_A), licenceRequest(KID_A));
        assertEquals(429, third.statusCode());
        assertTrue(third.headers().firstValue("Retry-After").isPresent());
        assertEquals(1, metric("sprox_rate_limited_total{bucket=\"key_endpoints\"}"));
    }

    @Test
    void wrongSignaturesSpendTheAuthFailuresBucket() throws Exception {
        startLicences("", "rate_limit: {requests_per_second: 100, burst: 100,"
                + " auth_failures: {requests_per_second: 0.01, burst: 2}}\n");
        String forged = licenceUrl(KID_A).replaceAll("sig=[^&]*", "sig=" + "A".repeat(43));
        assertEquals(403, post(forged, licenceRequest(KID_A)).statusCode());
        assertEquals(403, post(forged, licenceRequest(KID_A)).statusCode());
        assertEquals(429, post(licenceUrl(KID_A), licenceRequest(KID_A)).statusCode());
    }

    @Test
    void corsPreflightAndGrantAsConfigured() throws Exception {
        startLicences("", "cors: {allow_origins: [\"https://player.example\"], allow_methods: [GET, POST],"
                + " allow_headers: [content-type]}\n");
        HttpResponse<String> preflight = client.send(request(ClearKeyEndpoint.PATH).method("OPTIONS",
                        java.net.http.HttpRequest.BodyPublishers.noBody())
                .headers("Origin", "https://player.example", "Access-Control-Request-Method", "POST",
                        "Access-Control-Request-Headers", "content-type").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, preflight.statusCode());
        assertEquals(Optional.of("https://player.example"),
                preflight.headers().firstValue("Access-Control-Allow-Origin"));
        HttpResponse<String> answer = post(licenceUrl(KID_A), licenceRequest(KID_A),
                "Origin", "https://player.example", "Content-Type", "application/json");
        assertEquals(200, answer.statusCode());
        assertEquals(Optional.of("https://player.example"), answer.headers().firstValue("Access-Control-Allow-Origin"));
    }

    @Test
    void theAnswersBytesAreWipedOnceWritten() throws Exception {
        startLicences("", "");
        String target = licenceUrl(KID_A) + "&kid=" + KID_A.hex();
        var head = new RequestHead("GET", new RequestTarget(target, ClearKeyEndpoint.PATH,
                target.substring(target.indexOf('?') + 1)), "HTTP/1.1", Headers.EMPTY);
        var local = new InetSocketAddress(InetAddress.getLoopbackAddress(), address("public").getPort());
        var request = new Request(head, new ConnectionInfo(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                40000), local, sprox.listeners().getFirst(), false), InputStream.nullInputStream(), System.nanoTime());
        Snapshot snapshot = sprox.snapshot();
        var context = new RequestContext("wipe-test", InetAddress.getLoopbackAddress(), new ExchangeNotes(),
                snapshot.generation(), snapshot.tracing(), snapshot.redaction());
        var metrics = new Metrics();
        var authorization = new DirectAuthorization(metrics, InstantSource.system(), snapshot.directCredentials(),
                snapshot.config().directStream().signedUrlTtl(), Optional.empty());
        Response answer = new ClearKeyEndpoint(authorization, snapshot.keys(), metrics).handle(request, context);
        byte[] body = ((ResponseBody.Bytes) answer.body()).data();
        assertTrue(new String(body, StandardCharsets.US_ASCII).contains(TestSecrets.CONTENT_KEY_A_BASE64URL));
        answer.onWritten().accept(new Response.Outcome(200, body.length, 0, null));
        assertArrayEquals(new byte[body.length], body);
    }

    @Test
    void keysListsKidsSourcesAndExpiryOnTheAdminListenerOnly() throws Exception {
        startLicences("", "");
        HttpResponse<String> keys = admin(KeysEndpoint.PATH);
        assertEquals(200, keys.statusCode());
        assertEquals("{\"keys\":[{\"kid\":\"" + KID_B.hex() + "\",\"kid_uuid\":\"" + KID_B.uuid()
                + "\",\"source\":\"static\",\"expires_at\":null},{\"kid\":\"" + KID_A.hex() + "\",\"kid_uuid\":\""
                + KID_A.uuid() + "\",\"source\":\"static\",\"expires_at\":null}]}\n", keys.body());
        assertEquals(404, fetch(KeysEndpoint.PATH).statusCode());
    }

    @Test
    void theAdminListenerMintsLicenceUrlsBoundToKids() throws Exception {
        startLicences("", "");
        HttpResponse<String> minted = admin(LicenceUrlEndpoint.PATH + "?kids=" + KID_B.uuid() + "&ttl_s=60");
        assertEquals(200, minted.statusCode(), minted.body());
        String url = minted.body().replaceAll("(?s).*\"url\":\"([^\"]+)\".*", "$1");
        assertTrue(url.startsWith("/keys/clearkey?kids=" + KID_B.hex() + "&exp="), url);
        assertEquals("{\"keys\":[" + jwk(KID_B, TestSecrets.CONTENT_KEY_B_BASE64URL) + "],\"type\":\"temporary\"}",
                post(url, licenceRequest(KID_A, KID_B)).body());
        assertEquals(400, admin(LicenceUrlEndpoint.PATH + "?kids=zz").statusCode());
    }
}
