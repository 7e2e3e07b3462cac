package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.security.TestSecrets;
import dev.sprox.telemetry.LogCapture;
import dev.sprox.testing.MockResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The request-target grammar and the origin URL agree: what players send unencoded reaches the origin
 * percent-encoded, what cannot be forwarded is a 400 that says so, and neither is ever a 500 or a log line
 * carrying the query's secrets.
 */
class RouteTargetGrammarTest extends OriginHarness {
    /** Also in {@link TestSecrets}: the suite-wide scan of every log line looks for it too. */
    private static final String SECRET = TestSecrets.TOKEN;
    private static final String INTERNAL_ERRORS = "sprox_server_internal_errors_total";

    private LogCapture logs;

    @BeforeEach
    void startProxy() throws Exception {
        origin.dispatch(request -> MockResponse.ok("ok"));
        logs = new LogCapture();
        start(route("vod", origin.url("/vod")));
    }

    @AfterEach
    void closeLogs() {
        logs.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ' ', value = {
            "/a[1].ts?token=tok-5f1e2d3c /vod/a%5B1%5D.ts?token=tok-5f1e2d3c",
            "/seg|1^2.ts /vod/seg%7C1%5E2.ts",
            "/a.ts?q={\"k\":[1]}&b=`x` /vod/a.ts?q=%7B%22k%22:%5B1%5D%7D&b=%60x%60",
            "/a%5B1%5D.ts?x=%7C /vod/a%5B1%5D.ts?x=%7C"})
    void charactersPlayersSendUnencodedReachTheOriginPercentEncoded(String target, String atOrigin)
            throws Exception {
        String sent = target.replace("\"", "%22");
        String response = raw("GET " + sent + " HTTP/1.1\r\nHost: localhost\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200 "), response);
        assertEquals(atOrigin, origin.only().target());
        assertEquals(0, metric(INTERNAL_ERRORS));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/a%zz.ts?token=tok-5f1e2d3c", "/a.ts?token=tok-5f1e2d3c&x=%zz", "/a.ts?x=%4",
            "/a%.ts", "/a.ts?token=tok-5f1e2d3c%"})
    void malformedPercentEscapesAre400SayingWhyAndNeverReachTheOrigin(String target) throws Exception {
        String response = raw("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n");
        assertTrue(response.startsWith("HTTP/1.1 400 "), response);
        assertTrue(response.endsWith("request target has a malformed %-escape\n"), response);
        assertEquals(List.of(), origin.requests());
        assertEquals(0, metric(INTERNAL_ERRORS));
    }

    @Test
    void noLogLineCarriesTheQuerysSecretWhateverTheTargetWas() throws Exception {
        for (String target : List.of("/a[1].ts?token=" + SECRET, "/a%zz.ts?token=" + SECRET,
                "/a{b}.ts?token=" + SECRET, "/a.ts?token=" + SECRET + "&x=%zz")) {
            raw("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n");
        }
        sprox.drain();
        sprox = null;
        assertEquals(List.of(), logs.containing(SECRET));
        assertEquals(List.of(), logs.containing("\"level\":\"ERROR\""));
    }
}
