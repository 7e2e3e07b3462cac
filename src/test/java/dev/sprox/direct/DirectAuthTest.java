package dev.sprox.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.sprox.security.Secret;
import dev.sprox.security.TestSecrets;
import dev.sprox.security.UrlSigner;
import dev.sprox.telemetry.JsonLineEncoder;
import dev.sprox.testing.MockResponse;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Authentication of the direct endpoints end to end: the password from each place, refusals before anything
 * goes upstream, signed URLs written into a rewritten playlist and what tampering with them earns, the
 * failure bucket, and the text of every log line the process wrote meanwhile, which must carry none of the
 * secrets.
 */
class DirectAuthTest extends DirectHarness {
    private static final String PASSWORD = TestSecrets.API_PASSWORD;
    private static final String SIGNING = "direct-auth-test-signing-4be";
    private static final String TOKEN = TestSecrets.TOKEN;
    private static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
    private static final String MEDIA = """
            #EXTM3U
            #EXT-X-TARGETDURATION:4
            #EXTINF:4.0,
            /v/seg-1.ts?token=%s
            #EXT-X-ENDLIST
            """.formatted(TOKEN);

    /** Every line any logger wrote while a test ran, as the JSON encoder renders it for stdout. */
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger access = (Logger) LoggerFactory.getLogger("sprox.access");
    private final Level accessLevel = access.getLevel();
    private final AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
        private final JsonLineEncoder encoder = new JsonLineEncoder();

        @Override
        protected void append(ILoggingEvent event) {
            logged.add(new String(encoder.encode(event), StandardCharsets.UTF_8));
        }
    };

    @BeforeEach
    void captureLogs() {
        capture.start();
        root.addAppender(capture);
        // Header dumps are written at debug level: the test looks at them too.
        access.setLevel(Level.DEBUG);
        origin.answer("/v/seg-1.ts", MockResponse.ok("segment-bytes").type("video/mp2t"));
        origin.answer("/p/index.m3u8", MockResponse.ok(MEDIA).type(PLAYLIST_TYPE));
    }

    @AfterEach
    void stopCapturing() {
        root.detachAppender(capture);
        access.setLevel(accessLevel);
    }

    /** With the access log on, whose lines the tests read, and one attempt per request. */
    private void startLogged(String topLevel, String... directExtras) throws Exception {
        var all = new java.util.ArrayList<>(List.of("retry: {max_attempts: 1}"));
        all.addAll(List.of(directExtras));
        startDirect(true, topLevel, all.toArray(String[]::new));
    }

    private void startWithPassword() throws Exception {
        startWithPassword("");
    }

    private void startWithPassword(String topLevel, String... directExtras) throws Exception {
        var all = new java.util.ArrayList<>(List.of("api_password: " + PASSWORD, "signing_secret: " + SIGNING));
        all.addAll(List.of(directExtras));
        startLogged(topLevel, all.toArray(String[]::new));
    }

    private String segmentUrl() {
        return "/proxy/stream?d=" + DirectUrls.encode(origin("/v/seg-1.ts?token=" + TOKEN));
    }

    private String manifestUrl() {
        return "/proxy/hls/manifest.m3u8?d=" + DirectUrls.encode(origin("/p/index.m3u8?auth=" + TOKEN))
                + "&h_referer=" + DirectUrls.encode("https://site.example/");
    }

    private int originRequests() {
        return origin.requestCount();
    }

    /** The rewritten playlist's segment URL, fetched with the password in a header. */
    private String signedSegmentFromPlaylist() throws Exception {
        HttpResponse<String> playlist = fetch(manifestUrl(), "X-Sprox-Api-Password", PASSWORD);
        assertEquals(200, playlist.statusCode(), playlist.body());
        assertFalse(playlist.body().contains(PASSWORD), playlist.body());
        return playlist.body().lines().filter(l -> l.startsWith("/proxy/stream")).findFirst().orElseThrow();
    }

    @Test
    void thePasswordOpensTheEndpointsFromEachPlace() throws Exception {
        startWithPassword();
        assertEquals(200, fetch(segmentUrl(), "X-Sprox-Api-Password", PASSWORD).statusCode());
        assertEquals(200, fetch(segmentUrl(), "Authorization", "Bearer " + PASSWORD).statusCode());
        assertEquals(200, fetch(segmentUrl() + "&api_password=" + PASSWORD).statusCode());
        assertEquals(200, fetch(segmentUrl() + "&api_password=" + PASSWORD, "X-Sprox-Api-Password", PASSWORD,
                "Authorization", "Bearer " + PASSWORD).statusCode());
        assertEquals(4, originRequests());
    }

    @Test
    void refusalsComeBeforeAnythingGoesUpstream() throws Exception {
        startWithPassword();
        HttpResponse<String> missing = fetch(segmentUrl());
        assertEquals(401, missing.statusCode());
        assertEquals(Optional.of("Bearer realm=\"sprox\""), missing.headers().firstValue("WWW-Authenticate"));
        assertEquals("an API password or a signed URL is required\n", missing.body());

        HttpResponse<String> wrong = fetch(segmentUrl(), "Authorization", "Bearer not-it");
        assertEquals(403, wrong.statusCode());
        assertEquals(Optional.empty(), wrong.headers().firstValue("WWW-Authenticate"));
        assertEquals("the API password is not valid\n", wrong.body());

        // One right, one wrong: which did the client mean? Refused rather than guessed.
        HttpResponse<String> conflicting = fetch(segmentUrl() + "&api_password=not-it", "X-Sprox-Api-Password",
                PASSWORD);
        assertEquals(400, conflicting.statusCode());
        assertEquals(0, originRequests());
        assertMetricEventually(1, "sprox_direct_requests_total{endpoint=\"stream\",outcome=\"unauthenticated\"}");
        assertMetricEventually(1, "sprox_direct_requests_total{endpoint=\"stream\",outcome=\"forbidden\"}");
    }

    @Test
    void aSignedUrlFromARewrittenPlaylistWorksWithoutThePassword() throws Exception {
        startWithPassword();
        String segment = signedSegmentFromPlaylist();
        assertTrue(segment.contains("&h_referer=https%3A%2F%2Fsite.example%2F&exp="), segment);

        HttpResponse<String> response = fetch(segment);

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("segment-bytes", response.body());
        assertEquals(List.of("https://site.example/"), origin.requests("/v/seg-1.ts").getFirst().headers("Referer"));
    }

    @Test
    void aTamperedSignatureIsForbidden() throws Exception {
        startWithPassword();
        String segment = signedSegmentFromPlaylist();
        int sig = segment.indexOf("&sig=") + 5;
        char first = segment.charAt(sig);
        String tampered = segment.substring(0, sig) + (first == 'A' ? 'B' : 'A') + segment.substring(sig + 1);

        HttpResponse<String> response = fetch(tampered);

        assertEquals(403, response.statusCode());
        assertEquals("the URL signature does not match this request\n", response.body());
    }

    @Test
    void aSignatureDoesNotOpenAnotherDestination() throws Exception {
        startWithPassword();
        String segment = signedSegmentFromPlaylist();
        String elsewhere = segment.replace(DirectUrls.encode("seg-1.ts"), DirectUrls.encode("seg-2.ts"));
        assertFalse(elsewhere.equals(segment));

        assertEquals(403, fetch(elsewhere).statusCode());
        assertEquals(List.of(), origin.requests("/v/seg-2.ts"));
    }

    @Test
    void aSignatureCoversExactlyTheHeaderOverrides() throws Exception {
        startWithPassword();
        String segment = signedSegmentFromPlaylist();

        assertEquals(403, fetch(segment + "&h_user_agent=Other/1").statusCode(), "an added override");
        assertEquals(403, fetch(segment.replace("site.example", "evil.example")).statusCode(), "a changed one");
        assertEquals(403, fetch(segment + "&h_referer=https%3A%2F%2Fevil.example%2F").statusCode(),
                "a second value for the same header, which would win");
        assertEquals(403, fetch(segment.replaceFirst("&h_referer=[^&]*", "")).statusCode(), "a dropped one");
    }

    @Test
    void aUrlMintedByTheAdminEndpointOpensItsStreamWithoutThePassword() throws Exception {
        startWithPassword();
        var admin = URI.create("http://127.0.0.1:" + address("admin").getPort() + "/admin/sign-url?"
                + segmentUrl().substring(segmentUrl().indexOf('?') + 1) + "&h_user_agent=Minted%2F1");
        HttpResponse<String> minted = client.send(java.net.http.HttpRequest.newBuilder(admin)
                .header("X-Sprox-Api-Password", PASSWORD).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, minted.statusCode(), minted.body());
        String url = minted.body().replaceAll("(?s).*\"url\":\"([^\"]+)\".*", "$1");

        assertEquals(200, fetch(url).statusCode(), url);
        assertEquals(List.of("Minted/1"), origin.requests("/v/seg-1.ts").getFirst().headers("User-Agent"));
        assertEquals(403, fetch(url.replace("Minted%2F1", "Minted%2F2")).statusCode());
    }

    @Test
    void deliveryDirectivesAPlayerAddsToASignedPlaylistUrlPassWithoutBreakingIt() throws Exception {
        startWithPassword();
        var signing = new UrlSigning(new UrlSigner(new Secret(SIGNING)), Instant.now().getEpochSecond() + 60);
        String url = DirectUrls.manifest(URI.create(origin("/p/index.m3u8?auth=" + TOKEN)), HeaderOverrides.NONE,
                signing);

        HttpResponse<String> response = fetch(url + "&_HLS_msn=5&_HLS_part=1");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(Optional.of("auth=" + TOKEN + "&_HLS_msn=5&_HLS_part=1"),
                origin.requests("/p/index.m3u8").getFirst().query());
    }

    @Test
    void anExpiredSignatureIsForbidden() throws Exception {
        startWithPassword();
        var overrides = new HeaderOverrides(new TreeMap<>(Map.of("referer", "https://site.example/")));
        var expired = new UrlSigning(new UrlSigner(new Secret(SIGNING)), Instant.now().getEpochSecond() - 1);
        String url = DirectUrls.stream(URI.create(origin("/v/seg-1.ts?token=" + TOKEN)), overrides, expired);

        HttpResponse<String> response = fetch(url);

        assertEquals(403, response.statusCode());
        assertEquals("the signed URL has expired\n", response.body());
        assertEquals(0, originRequests());
    }

    @Test
    void urlsWrittenIntoAPlaylistExpireNoLaterThanTheSignedUrlThatFetchedIt() throws Exception {
        startWithPassword("", "signed_url_ttl_s: 21600");
        long expires = Instant.now().getEpochSecond() + 120;
        var signing = new UrlSigning(new UrlSigner(new Secret(SIGNING)), expires);
        String url = DirectUrls.manifest(URI.create(origin("/p/index.m3u8?auth=" + TOKEN)), HeaderOverrides.NONE,
                signing);

        HttpResponse<String> playlist = fetch(url);

        assertEquals(200, playlist.statusCode(), playlist.body());
        List<Long> written = playlist.body().lines().filter(line -> line.startsWith("/proxy/"))
                .map(line -> Long.parseLong(line.replaceAll(".*&exp=(\\d+)&.*", "$1"))).toList();
        assertFalse(written.isEmpty(), playlist.body());
        assertEquals(Set.of(expires), Set.copyOf(written), "every URL ends with the one that fetched it");
    }

    @Test
    void signaturesLastTheConfiguredTtl() throws Exception {
        startWithPassword("", "signed_url_ttl_s: 90");
        long before = Instant.now().getEpochSecond();
        String segment = signedSegmentFromPlaylist();
        long exp = Long.parseLong(segment.replaceAll(".*&exp=(\\d+)&.*", "$1"));
        assertTrue(exp >= before + 90 && exp <= before + 92, segment);
    }

    @Test
    void withoutASigningSecretTheProcessKeyStillSignsThePlaylist() throws Exception {
        startLogged("", "api_password: " + PASSWORD);
        assertEquals(200, fetch(signedSegmentFromPlaylist()).statusCode());
    }

    @Test
    void withoutAPasswordASigningSecretAdmitsSignedUrlsOnly() throws Exception {
        startLogged("", "signing_secret: " + SIGNING);
        assertEquals(401, fetch(segmentUrl()).statusCode());
        var signing = new UrlSigning(new UrlSigner(new Secret(SIGNING)), Instant.now().getEpochSecond() + 60);
        String url = DirectUrls.stream(URI.create(origin("/v/seg-1.ts?token=" + TOKEN)), HeaderOverrides.NONE,
                signing);
        assertEquals(200, fetch(url).statusCode());
    }

    @Test
    void withNeitherTheEndpointsAreOpen() throws Exception {
        startLogged("");
        assertEquals(200, fetch(segmentUrl()).statusCode());
    }

    @Test
    void aClientThatKeepsGuessingIsRefusedBeforeItsPasswordIsLookedAt() throws Exception {
        startWithPassword("rate_limit: {requests_per_second: 1000, auth_failures: {requests_per_second: 0.01,"
                + " burst: 2}}\n");
        assertEquals(403, fetch(segmentUrl(), "X-Sprox-Api-Password", "guess-1").statusCode());
        assertEquals(403, fetch(segmentUrl() + "&exp=1&sig=" + "A".repeat(43)).statusCode());

        HttpResponse<String> throttled = fetch(segmentUrl(), "X-Sprox-Api-Password", PASSWORD);

        assertEquals(429, throttled.statusCode());
        assertEquals(Optional.of("100"), throttled.headers().firstValue("Retry-After"));
        assertEquals(0, originRequests());
        assertMetricEventually(1, "sprox_rate_limited_total{bucket=\"auth_failures\"}");
        assertMetricEventually(1, "sprox_direct_requests_total{endpoint=\"stream\",outcome=\"rate_limited\"}");
    }

    @Test
    void noLogLineCarriesThePasswordASignatureOrTheDestinationsToken() throws Exception {
        startWithPassword();
        String segment = signedSegmentFromPlaylist();
        String sig = segment.substring(segment.indexOf("&sig=") + 5);
        assertEquals(200, fetch(segment).statusCode());
        assertEquals(200, fetch(segmentUrl() + "&api_password=" + PASSWORD).statusCode());
        assertEquals(200, fetch(segmentUrl(), "Authorization", "Bearer " + PASSWORD, "Cookie", "session=c00kie")
                .statusCode());
        assertEquals(403, fetch(segmentUrl(), "X-Sprox-Api-Password", PASSWORD + "-typo").statusCode());
        sprox.drain(); // every access line is written once its response is
        sprox = null;

        List<String> lines = List.copyOf(logged);
        List<String> accessLines = lines.stream().filter(l -> l.contains("\"logger\":\"sprox.access\"")).toList();
        assertEquals(5, accessLines.size(), lines::toString);
        assertTrue(accessLines.stream().anyMatch(l -> l.contains("&exp=") && l.contains("&sig=REDACTED")),
                accessLines::toString);
        assertTrue(accessLines.stream().anyMatch(l -> l.contains("api_password=REDACTED")), accessLines::toString);
        assertTrue(accessLines.stream().anyMatch(l -> l.contains("token=REDACTED")), accessLines::toString);
        assertTrue(accessLines.stream().anyMatch(l -> l.contains("Authorization: REDACTED")), accessLines::toString);
        for (String secret : List.of(PASSWORD, sig, TOKEN, "c00kie")) {
            for (String line : lines) {
                assertFalse(line.contains(secret), () -> "\"" + secret + "\" logged: " + line);
            }
        }
    }
}
