package dev.sprox.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.config.ConfigLoader;
import dev.sprox.config.SproxConfig;
import dev.sprox.http.Headers;
import org.junit.jupiter.api.Test;

class RedactionTest {
    private static final Redaction DEFAULT = Redaction.DEFAULT;
    /** Every switch turned towards showing more. */
    private static final Redaction REVEALING = new Redaction(false, true, false);

    @Test
    void redactsEverySensitiveQueryValue() {
        assertEquals("/p?api_password=REDACTED&token=REDACTED&sig=REDACTED&key=REDACTED&kid=REDACTED"
                        + "&password=REDACTED&d=https://cdn.example/x",
                DEFAULT.target("/p?api_password=hunter2&token=t&sig=abc&key=k&kid=1&password=pw"
                        + "&d=https://cdn.example/x"));
    }

    @Test
    void keysMatchWithoutCaseAndAfterDecoding() {
        assertEquals("/p?API_PASSWORD=REDACTED&api%5Fpassword=REDACTED",
                DEFAULT.target("/p?API_PASSWORD=a&api%5Fpassword=b"));
    }

    @Test
    void keepsTargetsWithoutSecretsUnchanged() {
        assertEquals("/health", DEFAULT.target("/health"));
        assertEquals("/s?bytes=10&&flag", DEFAULT.target("/s?bytes=10&&flag"));
    }

    @Test
    void urlsQuotedInFreeTextHaveTheirSecretQueryValuesMasked() {
        assertEquals("Illegal character in path at index 9: http://o/a[1].ts?token=REDACTED&v=2 (and \"/b?sig=REDACTED\")",
                DEFAULT.text("Illegal character in path at index 9: http://o/a[1].ts?token=t0k&v=2 (and \"/b?sig=s1\")"));
        assertEquals("no url here", DEFAULT.text("no url here"));
        assertEquals("what? token=x", DEFAULT.text("what? token=x"));
    }

    @Test
    void aFailureKeepsItsStackAndClassNamesWithEveryMessageInItsChainRedacted() {
        var cause = new java.io.IOException("GET http://o/a.ts?token=t0k failed");
        var failure = new IllegalStateException("fetching /x?api_password=pw", cause);
        failure.addSuppressed(new RuntimeException("/y?sig=s1g"));

        Throwable redacted = DEFAULT.failure(failure);

        assertEquals("java.lang.IllegalStateException: fetching /x?api_password=REDACTED", redacted.getMessage());
        assertEquals("java.io.IOException: GET http://o/a.ts?token=REDACTED failed", redacted.getCause().getMessage());
        assertEquals("java.lang.RuntimeException: /y?sig=REDACTED", redacted.getSuppressed()[0].getMessage());
        assertEquals(java.util.List.of(failure.getStackTrace()), java.util.List.of(redacted.getStackTrace()));
    }

    @Test
    void undecodableKeyIsTreatedAsSensitive() {
        assertEquals("/p?%zz=REDACTED", DEFAULT.target("/p?%zz=secret"));
    }

    @Test
    void expiryIsLoggedAndSignatureIsNot() {
        assertEquals("/proxy/stream?d=https://cdn/a.ts&exp=1800000000&sig=REDACTED",
                DEFAULT.target("/proxy/stream?d=https://cdn/a.ts&exp=1800000000&sig=AbC-_123"));
    }

    @Test
    void redactsEveryQueryValueOfAnEncodedDestination() {
        assertEquals("/proxy/stream?d=https://cdn.example/a.m3u8?auth=REDACTED%26e=REDACTED&h_referer=x",
                DEFAULT.target("/proxy/stream?d=https%3A%2F%2Fcdn.example%2Fa.m3u8%3Fauth%3Ddebrid-t0ken%26e%3D99"
                        + "&h_referer=x"));
    }

    @Test
    void redactsTheQueryOfAPlainDestination() {
        assertEquals("/proxy/stream?d=https://cdn.example/a.ts?auth=REDACTED",
                DEFAULT.target("/proxy/stream?d=https://cdn.example/a.ts?auth=debrid-t0ken"));
    }

    @Test
    void theSplitTailOfAPlainDestinationIsMaskedToo() {
        assertEquals("/proxy/stream?d=https://cdn.example/a.ts?auth=REDACTED&e=REDACTED&h_referer=x&exp=1&sig=REDACTED",
                DEFAULT.target("/proxy/stream?d=https://cdn.example/a.ts?auth=t0k&e=99&h_referer=x&exp=1&sig=s"));
        assertEquals("/s?bytes=10&e=99", DEFAULT.target("/s?bytes=10&e=99"));
        assertEquals("/proxy/hls/manifest.m3u8?d=https://cdn/live.m3u8&_HLS_msn=5&_HLS_part=1",
                DEFAULT.target("/proxy/hls/manifest.m3u8?d=https://cdn/live.m3u8&_HLS_msn=5&_HLS_part=1"));
        assertEquals("/proxy/mpd/playlist.m3u8?d=https://cdn/a.mpd?auth=REDACTED&period=main&rep=v",
                DEFAULT.target("/proxy/mpd/playlist.m3u8?d=https://cdn/a.mpd?auth=t0k&period=main&rep=v"));
        assertEquals("/p?d=https://cdn.example/a.ts?auth=t0k&e=99",
                new Redaction(true, false, false).target("/p?d=https://cdn.example/a.ts?auth=t0k&e=99"));
    }

    @Test
    void keepsADestinationWithoutQueryAsWritten() {
        assertEquals("/proxy/stream?d=https%3A%2F%2Fcdn.example%2Fa.ts",
                DEFAULT.target("/proxy/stream?d=https%3A%2F%2Fcdn.example%2Fa.ts"));
    }

    @Test
    void anUndecodableDestinationIsMaskedWhole() {
        assertEquals("/proxy/stream?d=REDACTED", DEFAULT.target("/proxy/stream?d=https://x/a?t=%zz"));
    }

    @Test
    void escapesWhatWouldSplitTheDestinationFromTheTarget() {
        assertEquals("/proxy/stream?d=https://cdn/a%20b%2Bc.ts?x=REDACTED%23frag",
                DEFAULT.target("/proxy/stream?d=https%3A%2F%2Fcdn%2Fa%20b%2Bc.ts%3Fx%3D1%23frag"));
    }

    @Test
    void withDestinationRedactionOffOnlySecretKeysOfTheDestinationAreMasked() {
        var onlySecrets = new Redaction(true, false, false);
        assertEquals("/proxy/stream?d=https://cdn/a.ts?token=REDACTED%26part=3",
                onlySecrets.target("/proxy/stream?d=https%3A%2F%2Fcdn%2Fa.ts%3Ftoken%3Dt%26part%3D3"));
    }

    @Test
    void destinationUrlsAreRedactedTheSameWay() {
        assertEquals("https://cdn/a.ts?auth=REDACTED&empty=", DEFAULT.destination("https://cdn/a.ts?auth=x&empty="));
        assertEquals("https://cdn/a.ts?token=REDACTED&part=3",
                new Redaction(true, false, false).destination("https://cdn/a.ts?token=x&part=3"));
    }

    @Test
    void sensitiveQueryValuesShowOnlyWhenRedactionIsTurnedOff() {
        assertEquals("/p?token=t&key=k", REVEALING.target("/p?token=t&key=k"));
    }

    @Test
    void spr0xCredentialsAreMaskedWhateverTheSwitchesSay() {
        assertEquals("/proxy/stream?d=https://cdn/a?t=1&api_password=REDACTED&sig=REDACTED",
                REVEALING.target("/proxy/stream?d=https://cdn/a?t=1&api_password=pw&sig=s"));
        assertEquals(Redaction.MASK, REVEALING.header("Authorization", "Bearer pw"));
        assertEquals(Redaction.MASK, REVEALING.header("x-sprox-api-password", "pw"));
    }

    @Test
    void headerDumpsMaskCredentialsAndCookies() {
        var headers = Headers.of("Authorization", "Bearer pw", "Proxy-Authorization", "Basic eA==",
                "Cookie", "session=1", "Set-Cookie", "session=2", "X-Sprox-Api-Password", "pw", "Accept", "*/*");
        assertEquals("""
                Authorization: REDACTED
                Proxy-Authorization: REDACTED
                Cookie: REDACTED
                Set-Cookie: REDACTED
                X-Sprox-Api-Password: REDACTED
                Accept: */*""", DEFAULT.headers(headers));
    }

    @Test
    void logSensitiveHeadersShowsCookiesAndProxyCredentials() {
        assertEquals("session=1", REVEALING.header("COOKIE", "session=1"));
        assertEquals("session=2", REVEALING.header("set-cookie", "session=2"));
        assertEquals("Basic eA==", REVEALING.header("Proxy-Authorization", "Basic eA=="));
    }

    @Test
    void followsTheConfiguration() {
        SproxConfig defaults = ConfigLoader.embeddedDefault();
        assertEquals(DEFAULT, Redaction.of(defaults.sensitiveLogging(), defaults.directStream().redactDestinationQuery()));
        assertEquals(REVEALING, Redaction.of(new SensitiveLogging(true, false), false));
    }

    @Test
    void theTokenOfASignedPrefixIsMaskedAndTheDestinationsQueryAsForD() {
        assertEquals("/proxy/base/REDACTED/1080p/seg-1.m4s?auth=REDACTED",
                DEFAULT.target("/proxy/base/aHR0cHM6.AbC-_123/1080p/seg-1.m4s?auth=debrid-t0ken"));
        assertEquals("/proxy/base/REDACTED", DEFAULT.target("/proxy/base/aHR0cHM6.AbC-_123"));
        assertEquals("/proxy/base/REDACTED?x=1", new Redaction(true, false, false).target("/proxy/base/tok?x=1"));
    }

    @Test
    void aSealedKeyTokenShowsOnlyItsIdAndADecryptingInitIsRedactedLikeADestination() {
        String token = UrlSigner.ephemeral().seal(new byte[32], 1_900_000_000L);
        String id = token.substring(0, token.indexOf('.'));
        // Token values no random key id can contain (an id is base64url: no '~').
        String target = "/proxy/decrypt/v-1.m4s?d=https%3A%2F%2Fcdn%2Fv-1.m4s%3Ftoken%3D~t1~&decrypt=segment"
                + "&init=https%3A%2F%2Fcdn%2Fv-init.mp4%3Ftoken%3D~t2~&keys=" + token + "&exp=1&sig=s";
        String redacted = DEFAULT.target(target);
        assertTrue(redacted.contains("keys=" + id + ".REDACTED"), redacted);
        assertFalse(redacted.contains(token), redacted);
        assertFalse(redacted.contains("~t1~") || redacted.contains("~t2~"), redacted);
        assertTrue(redacted.contains("decrypt=segment"), redacted);
        assertEquals("/x?keys=-.REDACTED", DEFAULT.target("/x?keys=not-a-token"));
    }
}
