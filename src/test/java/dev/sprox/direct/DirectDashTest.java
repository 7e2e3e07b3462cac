package dev.sprox.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.security.TestSecrets;
import dev.sprox.testing.MockResponse;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The direct DASH endpoints against a scripted origin: the MPD rewritten with its templates kept as templates
 * under a signed prefix, DASH turned into HLS, and a player's every request coming back through sprox with the
 * overrides, under the same password, signatures and destination guard as the HLS endpoint.
 */
class DirectDashTest extends DirectHarness {
    private static final String MPD_TYPE = "application/dash+xml";
    private static final String PASSWORD = TestSecrets.API_PASSWORD;
    private static final String RELATIVE = """
            <?xml version="1.0" encoding="UTF-8"?>
            <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT6S" minBufferTime="PT2S">
              <Period>
                <AdaptationSet mimeType="video/mp4" codecs="avc1.64001f" width="1280" height="720">
                  <SegmentTemplate timescale="1000" duration="2000" initialization="init-$RepresentationID$.m4s"
                                   media="chunk-$RepresentationID$-$Number%05d$.m4s" startNumber="1"/>
                  <Representation id="v0" bandwidth="1000000"/>
                </AdaptationSet>
                <AdaptationSet mimeType="audio/mp4" codecs="mp4a.40.2" lang="en">
                  <SegmentTemplate timescale="1000" duration="2000" initialization="init-$RepresentationID$.m4s"
                                   media="chunk-$RepresentationID$-$Number%05d$.m4s" startNumber="1"/>
                  <Representation id="a0" bandwidth="128000"/>
                </AdaptationSet>
              </Period>
            </MPD>
            """;

    @BeforeEach
    void startSprox() throws Exception {
        startDirect("retry: {max_attempts: 1}", "api_password: " + PASSWORD);
        origin.dispatch(request -> MockResponse.ok("media bytes").type("video/iso.segment"));
    }

    private void serveMpd(String path, String mpd) {
        origin.answer(path, MockResponse.ok(mpd).type(MPD_TYPE));
    }

    private String endpoint(String path, String originPath) {
        return path + "?d=" + DirectUrls.encode(origin(originPath));
    }

    private HttpResponse<String> withPassword(String url) throws Exception {
        return fetch(url, "X-Sprox-Api-Password", PASSWORD);
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertTrue(from >= 0, () -> "no " + start + " in\n" + text);
        from += start.length();
        return text.substring(from, text.indexOf(end, from));
    }

    @Test
    void theRewrittenMpdKeepsItsTemplatesUnderASignedPrefixThePlayerCompletes() throws Exception {
        serveMpd("/dash/stream.mpd", RELATIVE);

        HttpResponse<String> mpd = withPassword(endpoint(DirectUrls.MPD, "/dash/stream.mpd") + "&h_referer="
                + DirectUrls.encode("https://site.example/"));

        assertEquals(200, mpd.statusCode(), mpd.body());
        assertEquals(Optional.of(MPD_TYPE), mpd.headers().firstValue("Content-Type"));
        String base = between(mpd.body(), "<BaseURL>", "</BaseURL>");
        assertTrue(base.startsWith("/proxy/base/") && base.endsWith("/"), base);
        assertEquals(origin("/dash/"), destinationOf(base));
        assertTrue(mpd.body().contains("media=\"chunk-$RepresentationID$-$Number%05d$.m4s\""), mpd.body());
        assertFalse(mpd.body().contains(PASSWORD));

        // What a DASH player makes of the template, against the BaseURL, without the password.
        HttpResponse<String> segment = fetch(base + "chunk-v0-00001.m4s");
        assertEquals(200, segment.statusCode(), segment.body());
        assertEquals(List.of("https://site.example/"), requestFor("/dash/chunk-v0-00001.m4s").headers("Referer"));
    }

    @Test
    void absoluteBaseUrlsAndTemplatesComeBackThroughSproxStillTemplates() throws Exception {
        serveMpd("/dash/abs.mpd", """
                <?xml version="1.0"?>
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT4S">
                  <BaseURL>%s</BaseURL>
                  <Period>
                    <AdaptationSet mimeType="video/mp4">
                      <SegmentTemplate timescale="1" duration="2" media="%s" initialization="init.mp4"/>
                      <Representation id="hd" bandwidth="2000000"/>
                    </AdaptationSet>
                  </Period>
                </MPD>
                """.formatted(origin("/cdn/"), origin("/abs/$RepresentationID$/$Number$.m4s")));

        String body = withPassword(endpoint(DirectUrls.MPD, "/dash/abs.mpd")).body();

        String base = between(body, "<BaseURL>", "</BaseURL>");
        assertEquals(origin("/cdn/"), destinationOf(base));
        String media = between(body, "media=\"", "\"");
        assertTrue(media.startsWith("/proxy/base/") && media.endsWith("/$RepresentationID$/$Number$.m4s"), media);
        assertEquals(origin("/abs/hd/7.m4s"), destinationOf(media.replace("$RepresentationID$", "hd")
                .replace("$Number$", "7")));
        assertEquals(200, fetch(media.replace("$RepresentationID$", "hd").replace("$Number$", "7")).statusCode());
        requestFor("/abs/hd/7.m4s");
        assertFalse(body.contains(origin("/")), "no URL leads around sprox:\n" + body);
    }

    @Test
    void dashBecomesHlsWhoseEveryUrlComesBackThroughSprox() throws Exception {
        serveMpd("/dash/stream.mpd", RELATIVE);

        HttpResponse<String> master = withPassword(endpoint(DirectUrls.MPD_MULTIVARIANT, "/dash/stream.mpd")
                + "&h_user_agent=Kodi%2F21");

        assertEquals(200, master.statusCode(), master.body());
        assertEquals(Optional.of("application/vnd.apple.mpegurl"), master.headers().firstValue("Content-Type"));
        String video = master.body().lines().filter(l -> l.startsWith(DirectUrls.MPD_PLAYLIST)).findFirst()
                .orElseThrow();
        assertTrue(video.endsWith("&rep=v0"), video);
        String audio = between(master.body(), "URI=\"", "\"");
        assertTrue(audio.startsWith(DirectUrls.MPD_PLAYLIST) && audio.endsWith("&rep=a0"), audio);

        HttpResponse<String> media = fetch(video);
        assertEquals(200, media.statusCode(), media.body());
        assertTrue(media.body().contains("#EXT-X-PLAYLIST-TYPE:VOD") && media.body().endsWith("#EXT-X-ENDLIST\n"),
                media.body());
        List<String> segments = media.body().lines().filter(l -> l.startsWith("/proxy/base/")).toList();
        assertEquals(3, segments.size(), media.body());
        assertEquals(origin("/dash/chunk-v0-00003.m4s"), destinationOf(segments.get(2)));
        String init = between(media.body(), "#EXT-X-MAP:URI=\"", "\"");
        assertEquals(origin("/dash/init-v0.m4s"), destinationOf(init));

        assertEquals(200, fetch(segments.get(2)).statusCode());
        assertEquals(200, fetch(init).statusCode());
        assertEquals(List.of("Kodi/21"), requestFor("/dash/chunk-v0-00003.m4s").headers("User-Agent"));
    }

    @Test
    void relativeReferencesResolveAgainstTheUrlAfterRedirects() throws Exception {
        origin.answer("/old/stream.mpd", MockResponse.status(302).header("Location", "/new/stream.mpd"));
        serveMpd("/new/stream.mpd", RELATIVE);

        String master = withPassword(endpoint(DirectUrls.MPD_MULTIVARIANT, "/old/stream.mpd")).body();
        String video = master.lines().filter(l -> l.startsWith(DirectUrls.MPD_PLAYLIST)).findFirst().orElseThrow();
        String media = fetch(video).body();
        String mpd = withPassword(endpoint(DirectUrls.MPD, "/old/stream.mpd")).body();

        assertEquals(origin("/new/chunk-v0-00001.m4s"),
                destinationOf(media.lines().filter(l -> l.startsWith("/proxy/base/")).findFirst().orElseThrow()));
        assertEquals(origin("/new/"), destinationOf(between(mpd, "<BaseURL>", "</BaseURL>")));
    }

    @Test
    void withoutThePasswordNothingIsFetched() throws Exception {
        serveMpd("/dash/stream.mpd", RELATIVE);

        for (String path : List.of(DirectUrls.MPD, DirectUrls.MPD_MULTIVARIANT)) {
            assertEquals(401, fetch(endpoint(path, "/dash/stream.mpd")).statusCode(), path);
        }
        assertEquals(401, fetch(endpoint(DirectUrls.MPD_PLAYLIST, "/dash/stream.mpd") + "&rep=v0").statusCode());
        assertEquals(403, fetch(endpoint(DirectUrls.MPD, "/dash/stream.mpd"), "X-Sprox-Api-Password", "guess")
                .statusCode());
        assertEquals(List.of(), origin.requests());
    }

    @Test
    void aSignedPlaylistUrlChoosesOnlyWithinItsMpd() throws Exception {
        serveMpd("/dash/stream.mpd", RELATIVE);
        String master = withPassword(endpoint(DirectUrls.MPD_MULTIVARIANT, "/dash/stream.mpd")).body();
        String video = master.lines().filter(l -> l.startsWith(DirectUrls.MPD_PLAYLIST)).findFirst().orElseThrow();

        assertEquals(200, fetch(video.replace("&rep=v0", "&rep=a0")).statusCode());
        assertEquals(403, fetch(video.replace(DirectUrls.encode("/dash/stream.mpd"), DirectUrls.encode("/dash/x.mpd")))
                .statusCode());
    }

    @Test
    void aPlaylistWithoutARepresentationIsABadRequestAndAnUnknownOneIsNotFound() throws Exception {
        serveMpd("/dash/stream.mpd", RELATIVE);

        HttpResponse<String> missing = withPassword(endpoint(DirectUrls.MPD_PLAYLIST, "/dash/stream.mpd"));
        assertEquals(400, missing.statusCode());
        assertEquals("query parameter rep (the Representation's id) is required\n", missing.body());
        assertEquals(List.of(), origin.requests());

        HttpResponse<String> unknown = withPassword(endpoint(DirectUrls.MPD_PLAYLIST, "/dash/stream.mpd") + "&rep=zz");
        assertEquals(404, unknown.statusCode());
    }

    @Test
    void aDestinationTheGuardRefusesIsForbiddenAndNeverContacted() throws Exception {
        for (String d : List.of("http://10.0.0.1/a.mpd", "http://localhost:" + origin.port() + "/a.mpd",
                "http://169.254.169.254/latest/a.mpd")) {
            HttpResponse<String> response = withPassword(DirectUrls.MPD_MULTIVARIANT + "?d=" + DirectUrls.encode(d));
            assertEquals(403, response.statusCode(), d + ": " + response.body());
        }
        assertEquals(List.of(), origin.requests());
    }

    @Test
    void anMpdSproxCannotReadSafelyIsABadGateway() throws Exception {
        serveMpd("/dash/laughs.mpd", """
                <?xml version="1.0"?>
                <!DOCTYPE MPD [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011">&b;</MPD>
                """);
        serveMpd("/dash/not.mpd", "#EXTM3U\n");

        for (String path : List.of(DirectUrls.MPD, DirectUrls.MPD_MULTIVARIANT)) {
            for (String mpd : List.of("/dash/laughs.mpd", "/dash/not.mpd")) {
                HttpResponse<String> response = withPassword(endpoint(path, mpd));
                assertEquals(502, response.statusCode(), path + " " + mpd);
                assertTrue(response.body().startsWith("bad playlist from upstream: malformed MPD: "), response.body());
            }
        }
    }

    @Test
    void anOriginsRefusalPassesAsItIs() throws Exception {
        origin.answer("/dash/gone.mpd", MockResponse.status(404).body("gone"));

        HttpResponse<String> response = withPassword(endpoint(DirectUrls.MPD_MULTIVARIANT, "/dash/gone.mpd"));

        assertEquals(404, response.statusCode());
        assertEquals("gone", response.body());
    }

    @Test
    void aLiveMpdOffersNoPatchSoThePlayerReloadsTheWholeMpdThroughSprox() throws Exception {
        String live = """
                <?xml version="1.0"?>
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="dynamic" minimumUpdatePeriod="PT2S"
                     availabilityStartTime="2026-01-01T00:00:00Z" publishTime="2026-01-01T00:00:00Z">
                  <Location>%s</Location>
                  <PatchLocation ttl="60">%s</PatchLocation>
                  <Period id="p0" start="PT0S">
                    <AdaptationSet mimeType="video/mp4">
                      <SegmentTemplate timescale="1" duration="2" media="$Number$.m4s" initialization="init.mp4"/>
                      <Representation id="v" bandwidth="1000000"/>
                    </AdaptationSet>
                  </Period>
                </MPD>
                """.formatted(origin("/live/next.mpd"), origin("/live/patch.mpp"));
        serveMpd("/live/stream.mpd", live);
        serveMpd("/live/next.mpd", live);

        HttpResponse<String> mpd = withPassword(endpoint(DirectUrls.MPD, "/live/stream.mpd"));

        assertEquals(200, mpd.statusCode(), mpd.body());
        assertFalse(mpd.body().contains("PatchLocation"), mpd.body());
        assertFalse(mpd.body().contains("patch.mpp"), mpd.body());
        String next = between(mpd.body(), "<Location>", "</Location>").replace("&amp;", "&");
        assertTrue(next.startsWith(DirectUrls.MPD + "?"), next);
        HttpResponse<String> reloaded = fetch(next);
        assertEquals(200, reloaded.statusCode(), reloaded.body());
        assertFalse(reloaded.body().contains("PatchLocation"), reloaded.body());
        assertEquals(List.of(), origin.requests("/live/patch.mpp"));
    }

    @Test
    void aMultiPeriodPlaylistNamesItsPeriodAndStartsThere() throws Exception {
        String adBreaks = Files.readString(Path.of("src/test/resources/dash/periods/ad-breaks.mpd"),
                StandardCharsets.UTF_8).replace("https://ads.test/", origin("/ads/"))
                .replace("https://origin.test/", origin("/"));
        serveMpd("/show/ads.mpd", adBreaks);

        String master = withPassword(endpoint(DirectUrls.MPD_MULTIVARIANT, "/show/ads.mpd")).body();
        String video = master.lines().filter(l -> l.startsWith(DirectUrls.MPD_PLAYLIST)).findFirst().orElseThrow();
        assertTrue(video.endsWith("&period=pre&rep=1"), video);

        HttpResponse<String> fromPreRoll = fetch(video);
        assertEquals(200, fromPreRoll.statusCode(), fromPreRoll.body());
        List<String> segments = fromPreRoll.body().lines().filter(l -> l.startsWith("/proxy/base/")).toList();
        assertEquals(7, segments.size(), fromPreRoll.body());
        assertEquals(origin("/ads/pre/v-1.m4s"), destinationOf(segments.getFirst()));
        assertEquals(origin("/show/2/1.m4s"), destinationOf(segments.get(2)));

        HttpResponse<String> programmeAudio = fetch(video.replace("&period=pre&rep=1", "&period=main&rep=1"));
        assertEquals(200, programmeAudio.statusCode(), programmeAudio.body());
        String firstAudio = programmeAudio.body().lines().filter(l -> l.startsWith("/proxy/base/")).findFirst()
                .orElseThrow();
        assertEquals(origin("/show/1/1.m4s"), destinationOf(firstAudio));

        HttpResponse<String> unknown = fetch(video.replace("&period=pre", "&period=later"));
        assertEquals(404, unknown.statusCode());
        assertEquals("the MPD has no Representation with that id in that Period\n", unknown.body());
    }

    @Test
    void anMpdFetchedThroughTheStreamEndpointComesBackRewrittenAsTheMpdEndpointWould() throws Exception {
        serveMpd("/dash/stream.mpd", RELATIVE);
        origin.answer("/dash/manifest(format=mpd)", MockResponse.ok(RELATIVE).type(MPD_TYPE + "; charset=utf-8"));

        for (String path : List.of("/dash/stream.mpd", "/dash/manifest(format=mpd)")) {
            HttpResponse<String> mpd = withPassword(endpoint(DirectUrls.STREAM, path));

            assertEquals(200, mpd.statusCode(), mpd.body());
            assertEquals(Optional.of(MPD_TYPE), mpd.headers().firstValue("Content-Type"));
            String base = between(mpd.body(), "<BaseURL>", "</BaseURL>");
            assertEquals(origin("/dash/"), destinationOf(base));
            assertFalse(mpd.body().contains(origin("/")), mpd.body());
            assertEquals(200, fetch(base + "chunk-v0-00002.m4s").statusCode());
        }
        assertEquals(2, origin.requests("/dash/chunk-v0-00002.m4s").size());

        HttpResponse<String> head = client.send(request(endpoint(DirectUrls.STREAM, "/dash/stream.mpd"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("X-Sprox-Api-Password", PASSWORD).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertEquals(Optional.of(MPD_TYPE), head.headers().firstValue("Content-Type"));
        assertEquals(Optional.empty(), head.headers().firstValue("Content-Length"));
    }

    @Test
    void hostileMpdsOnTheStreamEndpointAreABadGatewayAndFetchNothingMore() throws Exception {
        serveMpd("/dash/laughs.mpd", """
                <?xml version="1.0"?>
                <!DOCTYPE MPD [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
                <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011">&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;</MPD>
                """);
        serveMpd("/dash/entity.mpd", """
                <?xml version="1.0"?>
                <!DOCTYPE MPD [<!ENTITY secret SYSTEM "%s">]>
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011"><BaseURL>&secret;</BaseURL><Period/></MPD>
                """.formatted(origin("/secret")));
        serveMpd("/dash/huge.mpd", "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" a=\"" + "x".repeat(5 * 1024 * 1024)
                + "\"><Period/></MPD>");
        serveMpd("/dash/unclosed.mpd", "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\"><Period>");

        for (String mpd : List.of("/dash/laughs.mpd", "/dash/entity.mpd", "/dash/huge.mpd", "/dash/unclosed.mpd")) {
            HttpResponse<String> response = withPassword(endpoint(DirectUrls.STREAM, mpd));
            assertEquals(502, response.statusCode(), mpd + ": " + response.body());
            assertTrue(response.body().startsWith("bad playlist from upstream: "), response.body());
        }
        assertEquals(List.of(), origin.requests("/secret"));
    }

    @Test
    void mediaAtAnMpdPathAndRangesOfAnMpdPassAsTheyAre() throws Exception {
        origin.answer("/dash/video.mpd", MockResponse.ok("not an MPD at all").type("video/mp4"));

        HttpResponse<String> media = withPassword(endpoint(DirectUrls.STREAM, "/dash/video.mpd"));
        assertEquals(200, media.statusCode());
        assertEquals("not an MPD at all", media.body());

        origin.enqueue(MockResponse.status(206).type(MPD_TYPE)
                .header("Content-Range", "bytes 0-37/" + RELATIVE.length()).body(RELATIVE.substring(0, 38)));
        HttpResponse<String> range = fetch(endpoint(DirectUrls.STREAM, "/dash/stream.mpd"),
                "X-Sprox-Api-Password", PASSWORD, "Range", "bytes=0-37");
        assertEquals(206, range.statusCode(), range.body());
        assertEquals(RELATIVE.substring(0, 38), range.body());
        assertEquals(List.of("bytes=0-37"), requestFor("/dash/stream.mpd").headers("Range"));
    }

    @Test
    void referencesClimbingAboveTheMpdsDirectoryStayUnderTheirPrefixAndTraversalIsStillRefused() throws Exception {
        serveMpd("/dash/v/stream.mpd", """
                <?xml version="1.0"?>
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT4S">
                  <Period>
                    <AdaptationSet mimeType="video/mp4">
                      <SegmentTemplate timescale="1" duration="2" media="$Number$.m4s" initialization="init.mp4"/>
                      <Representation id="v" bandwidth="1000000"/>
                    </AdaptationSet>
                    <AdaptationSet mimeType="audio/mp4">
                      <SegmentTemplate timescale="1" duration="2" media="../audio/$Number$.m4s"/>
                      <Representation id="a" bandwidth="96000"/>
                    </AdaptationSet>
                  </Period>
                </MPD>
                """);

        String mpd = withPassword(endpoint(DirectUrls.MPD, "/dash/v/stream.mpd")).body();

        String base = between(mpd, "<BaseURL>", "</BaseURL>");
        assertTrue(base.startsWith("/proxy/base/") && base.endsWith("/v/"), base);
        assertEquals(origin("/dash/v/"), destinationOf(base));
        // What a DASH player makes of each template against that BaseURL.
        String audio = URI.create("http://sprox").resolve(base).resolve("../audio/2.m4s").getRawPath();
        assertEquals(origin("/dash/audio/2.m4s"), destinationOf(audio));
        assertEquals(200, fetch(audio).statusCode());
        assertEquals(200, fetch(base + "1.m4s").statusCode());
        requestFor("/dash/audio/2.m4s");
        requestFor("/dash/v/1.m4s");

        String prefix = base.substring(0, base.length() - "v/".length());
        for (String climb : List.of("../secret", "v/../../secret", "%2e%2e/secret", "v/%2E%2E/%2e%2e/secret",
                "..%2fsecret", "..;/secret")) {
            String response = raw("GET " + prefix + climb + " HTTP/1.1\r\nHost: sprox\r\n");
            assertTrue(response.startsWith("HTTP/1.1 403 "), climb + ": " + response);
        }
        assertTrue(origin.requests().stream().noneMatch(r -> r.target().contains("secret")), origin.requests()::toString);
    }
}
