package dev.sprox.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.security.Secret;
import dev.sprox.security.TestSecrets;
import dev.sprox.security.UrlSigner;
import dev.sprox.testing.MockResponse;
import dev.sprox.testing.RecordedRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /proxy/base/<token>/<rest>}: a token that signs a base, the rest of the path as the player wrote it.
 * Everything a player could do to the rest to leave the base, and everything it could do to the token, is refused
 * before the origin hears of it; the destination guard still judges the joined URL.
 */
class DirectPrefixTest extends DirectHarness {
    private static final String SECRET = "prefix-test-signing-secret";
    private static final UrlSigner SIGNER = new UrlSigner(new Secret(SECRET));
    private static final String MEDIA = """
            #EXTM3U
            #EXT-X-TARGETDURATION:4
            #EXT-X-MAP:URI="init.mp4"
            #EXTINF:4.0,
            seg-1.m4s?t=abc
            #EXTINF:4.0,
            /elsewhere/seg-2.m4s
            #EXT-X-ENDLIST
            """;

    @BeforeEach
    void startSprox() throws Exception {
        startDirect("retry: {max_attempts: 1}", "api_password: " + TestSecrets.API_PASSWORD,
                "signing_secret: " + SECRET);
        origin.dispatch(request -> MockResponse.ok("media bytes").type("video/iso.segment"));
    }

    private static long inAnHour() {
        return Instant.now().getEpochSecond() + 3600;
    }

    private static String token(String base, long exp, UrlSigner.HeaderOverride... overrides) {
        return SIGNER.signPrefix(base, List.of(overrides), exp);
    }

    private static String status(String response) {
        return response.substring(0, response.indexOf("\r\n"));
    }

    private void assertOriginNeverAsked() {
        assertEquals(List.of(), origin.requests());
    }

    @Test
    void aDirectPlaylistsSegmentsComeBackUnderOnePrefixThatReachesTheOriginWithItsOverrides() throws Exception {
        origin.answer("/vod/1080p/index.m3u8", MockResponse.ok(MEDIA).type("application/vnd.apple.mpegurl"));

        HttpResponse<String> playlist = fetch(manifest("/vod/1080p/index.m3u8") + "&h_user_agent=Kodi%2F21",
                "X-Sprox-Api-Password", TestSecrets.API_PASSWORD);
        assertEquals(200, playlist.statusCode());
        String init = playlist.body().lines().filter(l -> l.startsWith("#EXT-X-MAP")).findFirst().orElseThrow();
        String segment = playlist.body().lines().filter(l -> l.startsWith("/proxy/base/")).findFirst().orElseThrow();
        String prefix = segment.substring(0, segment.lastIndexOf('/') + 1);
        assertEquals(prefix + "seg-1.m4s?t=abc", segment);
        assertEquals("#EXT-X-MAP:URI=\"" + prefix + "init.mp4\"", init);
        assertTrue(playlist.body().contains("/proxy/stream/seg-2.m4s?d="), "outside the directory: signed per URI\n"
                + playlist.body());
        assertTrue(!playlist.body().contains(TestSecrets.API_PASSWORD));

        HttpResponse<String> fetched = fetch(segment);
        assertEquals(200, fetched.statusCode());
        assertEquals("media bytes", fetched.body());
        assertEquals(List.of("Kodi/21"), requestFor("/vod/1080p/seg-1.m4s?t=abc").headers("User-Agent"));
    }

    @Test
    void thePlayerCompletesThePrefixWithAnyPathAndQueryBelowTheBase() throws Exception {
        String prefix = "/proxy/base/" + token(origin("/dash/"), inAnHour()) + "/";

        assertEquals(200, fetch(prefix + "video/seg-00042.m4s?sess=9").statusCode());
        assertEquals(200, fetch(prefix + "a%20b.m4s").statusCode());

        requestFor("/dash/video/seg-00042.m4s?sess=9");
        requestFor("/dash/a%20b.m4s");
    }

    @Test
    void everySpellingOfClimbingOutOfTheBaseIsForbiddenAndNeverSent() throws Exception {
        String prefix = "/proxy/base/" + token(origin("/dash/"), inAnHour()) + "/";
        for (String rest : List.of("../secret.txt", "video/../../secret.txt", "%2e%2e/secret.txt", "%2E%2E/secret.txt",
                ".%2e/secret.txt", "..;/secret.txt", "..%3b/secret.txt", "..%2fsecret.txt", "video%2f..%2f..%2fsecret.txt",
                "..%5csecret.txt", "./seg.m4s", "%2e/seg.m4s")) {
            String response = raw("GET " + prefix + rest + " HTTP/1.1\r\nHost: sprox\r\n");
            assertEquals("HTTP/1.1 403 Forbidden", status(response), rest);
            assertTrue(response.endsWith("the path leaves its signed prefix\n"), response);
        }
        assertOriginNeverAsked();
    }

    @Test
    void aTamperedTokenIsForbiddenWhateverPartChanged() throws Exception {
        String token = token(origin("/dash/"), inAnHour());
        int dot = token.indexOf('.');
        String otherBase = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                origin("/").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        char last = token.charAt(token.length() - 1);
        for (String tampered : List.of(
                token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A'),
                otherBase + token.substring(dot),
                new UrlSigner(new Secret("someone-elses-secret")).signPrefix(origin("/"), List.of(), inAnHour()),
                SIGNER.sign(origin("/dash/"), List.of(), inAnHour()),
                token.replace(".", "%2E"), token.replace(".", "%2F"), token.substring(0, dot), "%2e%2e")) {
            HttpResponse<String> response = fetch("/proxy/base/" + tampered + "/seg.m4s");
            assertEquals(403, response.statusCode(), tampered);
        }
        assertOriginNeverAsked();
    }

    @Test
    void anExpiredTokenIsForbidden() throws Exception {
        HttpResponse<String> response = fetch("/proxy/base/" + token(origin("/dash/"),
                Instant.now().getEpochSecond() - 1) + "/seg.m4s");

        assertEquals(403, response.statusCode());
        assertEquals("the signed URL has expired\n", response.body());
        assertOriginNeverAsked();
    }

    @Test
    void theApiPasswordDoesNotStandInForAToken() throws Exception {
        HttpResponse<String> response = fetch("/proxy/base/not-a-token/seg.m4s", "X-Sprox-Api-Password",
                TestSecrets.API_PASSWORD);

        assertEquals(403, response.statusCode());
        assertOriginNeverAsked();
    }

    @Test
    void theJoinedDestinationStillPassesTheGuard() throws Exception {
        // Authentic tokens for bases the allowlist and the address checks refuse: the signature opens nothing more.
        for (String base : List.of("http://127.0.0.2:" + origin.port() + "/", "http://10.0.0.1/vod/",
                "http://localhost:" + origin.port() + "/", "http://169.254.169.254/latest/",
                "http://127.0.0.1:1/vod/")) {
            HttpResponse<String> response = fetch("/proxy/base/" + token(base, inAnHour()) + "/meta-data");
            assertEquals(403, response.statusCode(), base + ": " + response.body());
        }
        assertOriginNeverAsked();
    }

    @Test
    void aPrefixWithNothingAfterItsTokenIsNoEndpoint() throws Exception {
        assertEquals(404, fetch("/proxy/base/" + token(origin("/dash/"), inAnHour())).statusCode());
        assertOriginNeverAsked();
    }

    @Test
    void theOverridesTheTokenSignsAreSentAndCannotBeAddedTo() throws Exception {
        String prefix = "/proxy/base/" + token(origin("/dash/"), inAnHour(),
                new UrlSigner.HeaderOverride("referer", "https://site.example/")) + "/";

        assertEquals(200, fetch(prefix + "seg.m4s?h_referer=https%3A%2F%2Fevil.example%2F").statusCode());

        // The query is the destination's: an h_ there is passed on as the origin's parameter, never a header.
        assertEquals(List.of("https://site.example/"),
                requestFor("/dash/seg.m4s?h_referer=https%3A%2F%2Fevil.example%2F").headers("Referer"));
    }

    @Test
    void forgedTokensSpendTheAuthFailureBucketAndExpiredOnesDoNot() throws Exception {
        sprox.drain();
        startDirect(false, "rate_limit: {requests_per_second: 1000, auth_failures: {requests_per_second: 0.01,"
                + " burst: 2}}\n", "retry: {max_attempts: 1}", "signing_secret: " + SECRET);
        String expired = "/proxy/base/" + token(origin("/dash/"), Instant.now().getEpochSecond() - 1) + "/a.m4s";
        String forged = "/proxy/base/" + new UrlSigner(new Secret("a-guess")).signPrefix(origin("/"), List.of(),
                inAnHour()) + "/a.m4s";
        String valid = "/proxy/base/" + token(origin("/dash/"), inAnHour()) + "/a.m4s";

        for (int i = 0; i < 3; i++) {
            assertEquals(403, fetch(expired).statusCode(), "an authentic URL that expired is no guess");
        }
        assertEquals(200, fetch(valid).statusCode());
        assertEquals(403, fetch(forged).statusCode());
        assertEquals(403, fetch("/proxy/base/not-a-token/a.m4s").statusCode());

        HttpResponse<String> throttled = fetch(valid);
        assertEquals(429, throttled.statusCode(), "two guesses empty the bucket, whatever comes next");
        assertEquals(List.of("/dash/a.m4s"), origin.requests().stream().map(RecordedRequest::target).toList());
    }
}
