package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.security.TestSecrets;
import dev.sprox.testing.MockResponse;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Route mode for DASH: MPDs come back rewritten onto base_url and coalesced; everything else passes untouched. */
class RouteDashTest extends OriginHarness {

    private void serve(String path, String contentType, String body) {
        origin.answer(path, MockResponse.ok(body).type(contentType));
    }

    private String dashRoute(String dashBlock) {
        return route("vod", origin.url("/vod")) + "    dash: " + dashBlock + "\n";
    }

    private static final String STATIC_MPD = """
            <?xml version="1.0"?>
            <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT4S">
              <BaseURL>ORIGIN/vod/title/</BaseURL>
              <Period>
                <AdaptationSet mimeType="video/mp4">
                  <SegmentTemplate timescale="1" duration="2" initialization="init.mp4" media="$Number$.m4s"/>
                  <Representation id="v" bandwidth="1000"/>
                </AdaptationSet>
              </Period>
            </MPD>
            """;

    @Test
    void absoluteMpdBaseUrlComesBackPointingAtSprox() throws Exception {
        serve("/vod/title/manifest.mpd", "application/dash+xml", STATIC_MPD.replace("ORIGIN", origin.url("")));
        start(dashRoute("{rewrite_manifest_urls: true, base_url: \"https://edge.example/dash/\"}"));
        var response = fetch("/title/manifest.mpd");
        assertEquals(200, response.statusCode());
        assertEquals(STATIC_MPD.replace("ORIGIN/vod/title/", "https://edge.example/dash/title/"), response.body());
        assertEquals(1.0, metric("sprox_manifest_rewrite_seconds_count{kind=\"dash\"}"));
    }

    @Test
    void mpdIsRecognisedByItsTypeWhateverItsPath() throws Exception {
        serve("/vod/title/manifest", "application/dash+xml; charset=utf-8",
                STATIC_MPD.replace("ORIGIN", origin.url("")));
        start(dashRoute("{rewrite_manifest_urls: true, base_url: \"https://edge.example/\"}"));
        assertTrue(fetch("/title/manifest").body().contains("<BaseURL>https://edge.example/title/</BaseURL>"));
    }

    @Test
    void withoutRewritingMpdsPassAsTheyAre() throws Exception {
        String mpd = STATIC_MPD.replace("ORIGIN", origin.url(""));
        serve("/vod/title/manifest.mpd", "application/dash+xml", mpd);
        start(dashRoute("{enabled: true}"));
        assertEquals(mpd, fetch("/title/manifest.mpd").body());
    }

    @Test
    void malformedMpdIsABadGatewayWithTheReason() throws Exception {
        serve("/vod/bad.mpd", "application/dash+xml",
                "<?xml version=\"1.0\"?>\n<!DOCTYPE MPD [<!ENTITY a \"b\">]>\n<MPD/>");
        start(dashRoute("{rewrite_manifest_urls: true, base_url: \"https://edge.example/\"}"));
        var response = fetch("/bad.mpd");
        assertEquals(502, response.statusCode());
    }

    @Test
    void mpdLargerThanTheLimitIsABadGateway() throws Exception {
        serve("/vod/big.mpd", "application/dash+xml",
                STATIC_MPD.replace("ORIGIN", origin.url("") + "/x".repeat(600)));
        start(dashRoute("{rewrite_manifest_urls: true, base_url: \"https://edge.example/\", "
                + "max_manifest_bytes: 1024}"));
        assertEquals(502, fetch("/big.mpd").statusCode());
    }

    @Test
    void dynamicMpdIsReusedForHalfItsMinimumUpdatePeriod() throws Exception {
        serve("/vod/live.mpd", "application/dash+xml", """
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="dynamic" minimumUpdatePeriod="PT60S"
                     availabilityStartTime="2026-01-01T00:00:00Z"><Period start="PT0S"/></MPD>""");
        serve("/vod/vod.mpd", "application/dash+xml", """
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static"><Period/></MPD>""");
        start(dashRoute("{rewrite_manifest_urls: true, base_url: \"https://edge.example/\"}"));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, fetch("/live.mpd").statusCode());
            assertEquals(200, fetch("/vod.mpd").statusCode());
        }
        assertEquals(1, origin.requests("/vod/live.mpd").size());
        assertEquals(3, origin.requests("/vod/vod.mpd").size());
    }

    private static final String ENCRYPTED_MPD = """
            <?xml version="1.0"?>
            <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" xmlns:cenc="urn:mpeg:cenc:2013" type="static">
              <Period>
                <AdaptationSet mimeType="video/mp4">
                  <ContentProtection schemeIdUri="urn:mpeg:dash:mp4protection:2011" value="cenc" cenc:default_KID="THE_KID"/>
                  <SegmentTemplate timescale="1" duration="2" initialization="init.mp4" media="$Number$.m4s"/>
                  <Representation id="v" bandwidth="1000"/>
                </AdaptationSet>
              </Period>
            </MPD>
            """;

    /** sprox with the DASH route and {@code kid} as its one static key. */
    private void startWithKey(String kid) throws Exception {
        startConfig("""
                listeners:
                  - {id: public, host: 127.0.0.1, port: 0, serve: [routes, ops]}
                  - {id: admin, host: 127.0.0.1, port: 0, serve: [admin]}
                server: {shutdown_grace_ms: 300}
                logging: {level: warn, access_log: false}
                direct_stream: {signing_secret: route-dash-licence-secret, signed_url_ttl_s: 600}
                drm:
                  keys: [{kid: %s, key: %s}]
                routes:
                """.formatted(kid, TestSecrets.CONTENT_KEY_A)
                + dashRoute("{rewrite_manifest_urls: true, base_url: \"https://edge.example/dash/\"}"));
    }

    @Test
    void encryptedMpdGetsASignedLicenceUrlBoundToItsKidThatAnswersTheKey() throws Exception {
        String uuid = "6a5f0c2b-8e7d-4a3f-9c1b-2e4d6f8a0b1c";
        serve("/vod/title/manifest.mpd", "application/dash+xml", ENCRYPTED_MPD.replace("THE_KID", uuid));
        startWithKey(TestSecrets.KID_A);
        String body = fetch("/title/manifest.mpd").body();
        Matcher laurl = Pattern.compile("<dashif:Laurl xmlns:dashif=\"https://dashif.org/CPS\" Lic_type=\"EME-1.0\">"
                + "(https://edge.example/keys/clearkey\\?kids=" + TestSecrets.KID_A
                + "&amp;exp=\\d+&amp;sig=[^<]+)</dashif:Laurl>").matcher(body);
        assertTrue(laurl.find(), body);
        assertEquals(ENCRYPTED_MPD.replace("THE_KID", uuid).replace("cenc:default_KID=\"" + uuid + "\"/>",
                "cenc:default_KID=\"" + uuid + "\"/><ContentProtection"
                        + " schemeIdUri=\"urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e\" value=\"ClearKey1.0\">"
                        + laurl.group(0) + "</ContentProtection>"), body);
        // On base_url's origin, which is this listener behind the edge.
        String url = laurl.group(1).replace("&amp;", "&")
                .replace("https://edge.example", "http://localhost:" + address("public").getPort());
        var licence = client.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(
                "{\"kids\":[\"al8MK459Sj-cGy5Nb4oLHA\"],\"type\":\"temporary\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, licence.statusCode(), licence.body());
        assertTrue(licence.body().contains("\"k\":\"" + TestSecrets.CONTENT_KEY_A_BASE64URL + "\""), licence.body());
    }

    @Test
    void encryptedMpdWhoseKeySproxDoesNotHoldPassesWithoutALicenceUrl() throws Exception {
        String mpd = ENCRYPTED_MPD.replace("THE_KID", "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0");
        serve("/vod/title/manifest.mpd", "application/dash+xml", mpd);
        startWithKey(TestSecrets.KID_A);
        assertEquals(mpd, fetch("/title/manifest.mpd").body());
    }
}
