package dev.sprox.dash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.hls.PlaylistUri;
import dev.sprox.hls.UriMapper;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MpdRewriterTest {
    private static final URI URL = URI.create("https://origin.test/a/b/manifest.mpd?sig=1");

    /** Records what was offered as "KIND absolute" and answers with a marker that shows in the output. */
    private static final class Recording implements UriMapper {
        final List<String> offered = new ArrayList<>();

        @Override
        public String map(PlaylistUri uri) {
            offered.add(uri.kind() + " " + uri.absolute());
            return "https://sprox.test/p?u=" + uri.absolute() + "&k=" + uri.kind();
        }
    }

    private static final String EVERY_URL = """
            <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="dynamic">
              <Location>/a/next.mpd</Location>
              <PatchLocation>https://origin.test/a/patch.mpp</PatchLocation>
              <BaseURL>https://origin.test/base/</BaseURL>
              <Period>
                <BaseURL>https://origin.test/period/</BaseURL>
                <AdaptationSet>
                  <BaseURL>/set/</BaseURL>
                  <SegmentTemplate media="/t/$Number$.m4s" initialization="/t/init.mp4" index="/t/$Number$.sidx">
                    <RepresentationIndex sourceURL="/t/index.sidx"/>
                  </SegmentTemplate>
                  <Representation id="r" bandwidth="1">
                    <BaseURL>https://origin.test/rep/</BaseURL>
                    <SegmentList duration="1">
                      <Initialization sourceURL="/l/init.mp4"/>
                      <BitstreamSwitching sourceURL="/l/switch.mp4"/>
                      <SegmentURL media="/l/1.m4s" index="/l/1.sidx"/>
                    </SegmentList>
                    <SegmentBase><Initialization sourceURL="/b/init.mp4"/><RepresentationIndex sourceURL="/b/i"/></SegmentBase>
                  </Representation>
                </AdaptationSet>
              </Period>
            </MPD>
            """;

    @Test
    void offersEveryUrlAPlayerFetchesWithItsKind() throws MpdException {
        var mapper = new Recording();
        MpdRewriter.rewrite(EVERY_URL, URL, mapper, MpdLimits.defaults());
        assertEquals(List.of(
                "MANIFEST https://origin.test/a/next.mpd",
                "URL_BASE https://origin.test/base/",
                "URL_BASE https://origin.test/period/",
                "URL_BASE https://origin.test/set/",
                "SEGMENT https://origin.test/t/$Number$.m4s",
                "INIT_SECTION https://origin.test/t/init.mp4",
                "SEGMENT_INDEX https://origin.test/t/$Number$.sidx",
                "SEGMENT_INDEX https://origin.test/t/index.sidx",
                "URL_BASE https://origin.test/rep/",
                "INIT_SECTION https://origin.test/b/init.mp4",
                "SEGMENT_INDEX https://origin.test/b/i",
                "INIT_SECTION https://origin.test/l/init.mp4",
                "INIT_SECTION https://origin.test/l/switch.mp4",
                "SEGMENT https://origin.test/l/1.m4s",
                "SEGMENT_INDEX https://origin.test/l/1.sidx"), mapper.offered);
    }

    @Test
    void removesPatchLocationSoThePlayerReloadsTheWholeMpdThroughTheProxy() throws MpdException {
        var mapper = new Recording();
        String rewritten = MpdRewriter.rewrite("""
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="dynamic">
                  <Location>https://origin.test/a/next.mpd</Location>
                  <PatchLocation ttl="60">https://origin.test/a/patch.mpp</PatchLocation>
                  <Period/><PatchLocation>https://origin.test/a/patch2.mpp</PatchLocation>
                </MPD>""", URL, mapper, MpdLimits.defaults());
        assertEquals("""
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="dynamic">
                  <Location>https://sprox.test/p?u=https://origin.test/a/next.mpd&amp;k=MANIFEST</Location>
                  <Period/>
                </MPD>""", rewritten);
        assertEquals(List.of("MANIFEST https://origin.test/a/next.mpd"), mapper.offered);
    }

    @Test
    void escapesTheMapperTextForXml() throws MpdException {
        String rewritten = MpdRewriter.rewrite("""
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011"><BaseURL>https://origin.test/x/</BaseURL><Period>\
                <SegmentTemplate media='https://origin.test/s/$Number$.m4s?a=1&amp;b=2'/></Period></MPD>""",
                URL, uri -> uri.absolute() + "&who='<me>'", MpdLimits.defaults());
        assertEquals("""
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011"><BaseURL>https://origin.test/x/&amp;who='&lt;me&gt;'\
                </BaseURL><Period><SegmentTemplate media='https://origin.test/s/$Number$.m4s?a=1&amp;b=2&amp;\
                who=&apos;&lt;me&gt;&apos;'/></Period></MPD>""", rewritten);
    }

    @Test
    void keepsBlanksAroundBaseUrlAndRewritesInsideCdata() throws MpdException {
        String rewritten = MpdRewriter.rewrite("""
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011">
                  <BaseURL>
                     https://origin.test/x/
                  </BaseURL>
                  <Period><BaseURL><![CDATA[https://origin.test/y/]]></BaseURL></Period>
                </MPD>""", URL, DashCorpusTest.TO_SPROX, MpdLimits.defaults());
        assertEquals("""
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011">
                  <BaseURL>
                     https://sprox.test/x/
                  </BaseURL>
                  <Period><BaseURL>https://sprox.test/y/</BaseURL></Period>
                </MPD>""", rewritten);
    }

    @Test
    void leavesRelativePathsToTheRewrittenBaseAbove() throws MpdException {
        var mapper = new Recording();
        String mpd = """
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011"><Period><AdaptationSet>\
                <SegmentTemplate media="$RepresentationID$/$Number$.m4s"/>\
                <Representation id="a"><BaseURL>video/a/</BaseURL></Representation></AdaptationSet></Period></MPD>""";
        assertEquals(mpd, MpdRewriter.rewrite(mpd, URL, mapper, MpdLimits.defaults()));
        assertEquals(List.of(), mapper.offered);
    }

    @Test
    void insertsTheDocumentBaseWhenAskedAndTheMpdHasNone() throws MpdException {
        String rewritten = MpdRewriter.rewrite("""
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011"><Period/></MPD>""", URL,
                uri -> "https://sprox.test/proxy/base/TOKEN/", MpdLimits.defaults(), true);
        assertEquals("""
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011"><BaseURL>https://sprox.test/proxy/base/TOKEN/</BaseURL>\
                <Period/></MPD>""", rewritten);
    }

    /** Prefixed mode's shape: a directory becomes {@code /proxy/base/<n>/}, n its place in {@link #signed}. */
    private static final class Prefixes implements UriMapper {
        final List<String> signed = new ArrayList<>();

        @Override
        public String map(PlaylistUri uri) {
            if (!uri.absolute().endsWith("/")) {
                return "/proxy/stream?d=" + uri.absolute();
            }
            signed.add(uri.absolute());
            return "/proxy/base/" + (signed.size() - 1) + "/";
        }

        /** Where a player's URL under a prefix leads, or null when it left every prefix. */
        String destination(String playerPath) {
            String[] parts = playerPath.split("/", 5);
            if (!playerPath.startsWith("/proxy/base/") || parts.length < 5) {
                return null;
            }
            return signed.get(Integer.parseInt(parts[3])) + parts[4];
        }
    }

    /** What a player fetches for {@code reference} under the BaseURL the rewritten MPD holds. */
    private static String playerPath(String rewritten, String reference) {
        int start = rewritten.indexOf("<BaseURL>") + "<BaseURL>".length();
        String base = rewritten.substring(start, rewritten.indexOf("</BaseURL>", start));
        return URI.create("https://sprox.test").resolve(base).resolve(reference).getRawPath();
    }

    @Test
    void aPrefixedBaseIsSignedWhereTheReferencesBelowItClimbSoTheyStayUnderIt() throws MpdException {
        var prefixes = new Prefixes();
        String rewritten = MpdRewriter.rewrite("""
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011"><Period><AdaptationSet>\
                <SegmentTemplate media="$RepresentationID$/$Number$.m4s"/><Representation id="v"/></AdaptationSet>\
                <AdaptationSet><SegmentTemplate media="../../common/audio/$Number$.m4s" initialization="../init.mp4"/>\
                <Representation id="a"/></AdaptationSet></Period></MPD>""", URL, prefixes, MpdLimits.defaults(), true);

        assertEquals(List.of("https://origin.test/"), prefixes.signed);
        assertEquals("""
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011"><BaseURL>/proxy/base/0/a/b/</BaseURL><Period><AdaptationSet>\
                <SegmentTemplate media="$RepresentationID$/$Number$.m4s"/><Representation id="v"/></AdaptationSet>\
                <AdaptationSet><SegmentTemplate media="../../common/audio/$Number$.m4s" initialization="../init.mp4"/>\
                <Representation id="a"/></AdaptationSet></Period></MPD>""", rewritten);
        assertEquals("https://origin.test/common/audio/7.m4s",
                prefixes.destination(playerPath(rewritten, "../../common/audio/7.m4s")));
        assertEquals("https://origin.test/a/init.mp4", prefixes.destination(playerPath(rewritten, "../init.mp4")));
        assertEquals("https://origin.test/a/b/v/7.m4s", prefixes.destination(playerPath(rewritten, "v/7.m4s")));
    }

    @Test
    void theClimbFollowsRelativeBaseUrlsAndStartsAgainBelowAnAbsoluteOne() throws MpdException {
        var prefixes = new Prefixes();
        String rewritten = MpdRewriter.rewrite("""
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011"><BaseURL>https://cdn.test/x/y/z/</BaseURL><Period>\
                <BaseURL>../p/</BaseURL><AdaptationSet><BaseURL>q/r/</BaseURL>\
                <SegmentTemplate media="../../../../$Number$.m4s"/><Representation id="v"/></AdaptationSet>\
                <AdaptationSet><BaseURL>https://cdn.test/deep/er/</BaseURL><SegmentTemplate media="s/$Number$.m4s"/>\
                <Representation id="a"/></AdaptationSet></Period></MPD>""", URL, prefixes, MpdLimits.defaults(), true);

        // ../p/ climbs one (to x/y/), q/r/ goes down two, ../../../../ climbs four: two above z/.
        assertEquals(List.of("https://cdn.test/x/", "https://cdn.test/"), prefixes.signed);
        assertTrue(rewritten.contains("<BaseURL>/proxy/base/0/y/z/</BaseURL>"), rewritten);
        assertTrue(rewritten.contains("<BaseURL>/proxy/base/1/deep/er/</BaseURL>"), rewritten);
        URI player = URI.create("https://sprox.test/proxy/base/0/y/z/").resolve("../p/").resolve("q/r/")
                .resolve("../../../../9.m4s");
        assertEquals("https://cdn.test/x/9.m4s", prefixes.destination(player.getRawPath()));
    }

    @Test
    void aReferenceThatClimbsAboveTheOriginsRootWidensThePrefixOnlyToThatRoot() throws MpdException {
        var prefixes = new Prefixes();
        MpdRewriter.rewrite("""
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011"><Period><SegmentTemplate \
                media="../../../../../../../etc/passwd"/></Period></MPD>""", URL, prefixes, MpdLimits.defaults(), true);
        assertEquals(List.of("https://origin.test/"), prefixes.signed);
    }

    @Test
    void nothingClimbsWithoutDotSegmentsAndRoutesNeverWidenTheirBases() throws MpdException {
        var prefixes = new Prefixes();
        String mpd = """
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011"><BaseURL>https://cdn.test/x/y/</BaseURL><Period>\
                <SegmentTemplate media="../$Number$.m4s"/></Period></MPD>""";
        MpdRewriter.rewrite(mpd.replace("../", "v/"), URL, prefixes, MpdLimits.defaults(), true);
        assertEquals(List.of("https://cdn.test/x/y/"), prefixes.signed);

        var recording = new Recording();
        MpdRewriter.rewrite(mpd, URL, recording, MpdLimits.defaults());
        assertEquals(List.of("URL_BASE https://cdn.test/x/y/"), recording.offered);
    }

    @Test
    void inPrefixedModeRelativeReferencesAgainstTheMpdsOwnUrlAreOffered() throws MpdException {
        var recording = new Recording();
        MpdRewriter.rewrite("""
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011"><Location>next.mpd</Location><BaseURL>media/</BaseURL>\
                <Period><SegmentTemplate media="$Number$.m4s"/></Period></MPD>""", URL, recording,
                MpdLimits.defaults(), true);
        assertEquals(List.of("MANIFEST https://origin.test/a/b/next.mpd", "URL_BASE https://origin.test/a/b/media/"),
                recording.offered);
    }

    @Test
    void inPrefixedModeARepresentationsFileBaseIsOfferedWhenNothingResolvesAgainstIt() throws MpdException {
        var recording = new Recording();
        String rewritten = MpdRewriter.rewrite("""
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011"><Period><AdaptationSet><Representation id="v">\
                <BaseURL>video/v.mp4</BaseURL><SegmentBase indexRange="800-899"><Initialization range="0-799"/>\
                </SegmentBase></Representation></AdaptationSet></Period></MPD>""", URL, recording,
                MpdLimits.defaults(), true);

        assertEquals(List.of("URL_BASE https://origin.test/a/b/", "URL_BASE https://origin.test/a/b/video/v.mp4"),
                recording.offered);
        assertTrue(rewritten.contains("<BaseURL>https://sprox.test/p?u=https://origin.test/a/b/video/v.mp4&amp;k=URL_BASE"
                + "</BaseURL>"), rewritten);
    }

    @Test
    void inPrefixedModeARepresentationsBaseStaysRelativeWhenATemplateResolvesAgainstIt() throws MpdException {
        var recording = new Recording();
        String representation = "<Representation id=\"v\"><BaseURL>video/</BaseURL></Representation>";
        String rewritten = MpdRewriter.rewrite("""
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011"><Period><AdaptationSet>\
                <SegmentTemplate media="$Number$.m4s"/>%s</AdaptationSet></Period></MPD>""".formatted(representation),
                URL, recording, MpdLimits.defaults(), true);

        assertTrue(rewritten.contains(representation), rewritten);
        assertEquals(List.of("URL_BASE https://origin.test/a/b/"), recording.offered);
    }

    @Test
    void offersEveryBaseUrlOfALevelAndResolvesBelowTheFirst() throws MpdException {
        var mapper = new Recording();
        MpdRewriter.rewrite("""
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011"><BaseURL>https://one.test/</BaseURL>\
                <BaseURL>https://two.test/</BaseURL><Period><SegmentTemplate media="/s.m4s"/></Period></MPD>""",
                URL, mapper, MpdLimits.defaults());
        assertEquals(List.of("URL_BASE https://one.test/", "URL_BASE https://two.test/",
                "SEGMENT https://one.test/s.m4s"), mapper.offered);
    }

    @Test
    void leavesOtherSchemesAlone() throws MpdException {
        var mapper = new Recording();
        String mpd = """
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011"><BaseURL>ftp://origin.test/x/</BaseURL>\
                <Period><SegmentTemplate media="/s/$Number$.m4s"/></Period></MPD>""";
        assertEquals(mpd, MpdRewriter.rewrite(mpd, URL, mapper, MpdLimits.defaults()));
        assertEquals(List.of(), mapper.offered);
    }

    @Test
    void keepsALeadingByteOrderMark() throws MpdException {
        String mpd = "\uFEFF<?xml version=\"1.0\"?><MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\">"
                + "<BaseURL>https://origin.test/x/</BaseURL><Period/></MPD>";
        assertEquals(mpd.replace("origin.test", "sprox.test"),
                MpdRewriter.rewrite(mpd, URL, DashCorpusTest.TO_SPROX, MpdLimits.defaults()));
    }
}
