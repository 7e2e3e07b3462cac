package dev.sprox.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlaylistRewriterTest {

    private static final URI BASE = URI.create("https://origin.test/live/main.m3u8?token=t1");

    private final RecordingMapper mapper = RecordingMapper.proxying();

    private String rewrite(String playlist) throws PlaylistException {
        return PlaylistRewriter.rewrite(playlist, BASE, mapper);
    }

    private PlaylistException refusal(String playlist) {
        return assertThrows(PlaylistException.class, () -> rewrite(playlist));
    }

    private static String proxied(ResourceKind kind, String absolute) {
        return "https://proxy.test/" + kind + "?u=" + absolute;
    }

    // --- URI lines

    @Test
    void rewritesSegmentLineAfterExtinf() throws PlaylistException {
        assertEquals("#EXTM3U\n#EXTINF:6,\n" + proxied(ResourceKind.SEGMENT, "https://origin.test/live/s1.ts") + "\n",
                rewrite("#EXTM3U\n#EXTINF:6,\ns1.ts\n"));
    }

    @Test
    void rewritesVariantLineAfterStreamInfAcrossTagsCommentsAndBlankLines() throws PlaylistException {
        rewrite("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n\n# comment\n#EXT-X-FOO\n\nlow/index.m3u8\n");
        assertEquals(List.of("PLAYLIST https://origin.test/live/low/index.m3u8"), mapper.absolutes());
    }

    @Test
    void uriLineWithoutExtinfIsSegment() throws PlaylistException {
        rewrite("#EXTM3U\n#EXTINF:4,\n#EXT-X-BYTERANGE:10@0\na.ts\n#EXT-X-DISCONTINUITY\nb.ts\nc.ts\n");
        assertEquals(List.of("SEGMENT https://origin.test/live/a.ts", "SEGMENT https://origin.test/live/b.ts",
                "SEGMENT https://origin.test/live/c.ts"), mapper.absolutes());
    }

    @Test
    void onlyTheLineRightAfterStreamInfIsAPlaylist() throws PlaylistException {
        rewrite("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\nstray.ts\n");
        assertEquals(List.of("PLAYLIST https://origin.test/live/v.m3u8", "SEGMENT https://origin.test/live/stray.ts"),
                mapper.absolutes());
    }

    @Test
    void keepsBlanksAroundUriLine() throws PlaylistException {
        assertEquals("#EXTM3U\n#EXTINF:1,\n \t" + proxied(ResourceKind.SEGMENT, "https://origin.test/live/a.ts") + "  \n",
                rewrite("#EXTM3U\n#EXTINF:1,\n \ta.ts  \n"));
    }

    // --- URI attributes, one tag each

    private void assertOffered(String tagLine, String expected) throws PlaylistException {
        rewrite("#EXTM3U\n" + tagLine + "\n");
        assertEquals(List.of(expected), mapper.absolutes());
    }

    @Test
    void rewritesKeyUri() throws PlaylistException {
        assertOffered("#EXT-X-KEY:METHOD=AES-128,URI=\"k/1.key\",IV=0x1", "KEY https://origin.test/live/k/1.key");
    }

    @Test
    void rewritesSessionKeyUri() throws PlaylistException {
        assertOffered("#EXT-X-SESSION-KEY:METHOD=SAMPLE-AES,URI=\"/keys/s.key\"", "KEY https://origin.test/keys/s.key");
    }

    @Test
    void rewritesMapAsInitSection() throws PlaylistException {
        assertOffered("#EXT-X-MAP:URI=\"init.mp4\",BYTERANGE=\"720@0\"", "INIT_SECTION https://origin.test/live/init.mp4");
    }

    @Test
    void rewritesMediaAsPlaylist() throws PlaylistException {
        assertOffered("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",URI=\"a/en.m3u8\"", "PLAYLIST https://origin.test/live/a/en.m3u8");
    }

    @Test
    void rewritesIFrameStreamInfAsPlaylist() throws PlaylistException {
        assertOffered("#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,CODECS=\"avc1.64002a\",URI=\"v/if.m3u8\"", "PLAYLIST https://origin.test/live/v/if.m3u8");
    }

    @Test
    void rewritesImageStreamInfAsPlaylist() throws PlaylistException {
        assertOffered("#EXT-X-IMAGE-STREAM-INF:BANDWIDTH=1,RESOLUTION=320x180,CODECS=\"jpeg\",URI=\"img/i.m3u8\"",
                "PLAYLIST https://origin.test/live/img/i.m3u8");
    }

    @Test
    void rewritesPart() throws PlaylistException {
        assertOffered("#EXT-X-PART:DURATION=0.33,URI=\"p.0.mp4\",INDEPENDENT=YES", "PART https://origin.test/live/p.0.mp4");
    }

    @Test
    void rewritesPartPreloadHintAsPart() throws PlaylistException {
        assertOffered("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p.4.mp4\"", "PART https://origin.test/live/p.4.mp4");
    }

    @Test
    void rewritesMapPreloadHintAsInitSectionWhateverTheAttributeOrder() throws PlaylistException {
        assertOffered("#EXT-X-PRELOAD-HINT:URI=\"init.mp4\",TYPE=MAP", "INIT_SECTION https://origin.test/live/init.mp4");
    }

    @Test
    void rewritesPreloadHintOfUnknownTypeToo() throws PlaylistException {
        assertOffered("#EXT-X-PRELOAD-HINT:TYPE=FOO,URI=\"foo.mp4\"", "PRELOAD_HINT https://origin.test/live/foo.mp4");
    }

    @Test
    void rewritesRenditionReportAsPlaylist() throws PlaylistException {
        assertOffered("#EXT-X-RENDITION-REPORT:URI=\"../1M/wait.php\",LAST-MSN=273", "PLAYLIST https://origin.test/1M/wait.php");
    }

    @Test
    void rewritesSessionData() throws PlaylistException {
        assertOffered("#EXT-X-SESSION-DATA:DATA-ID=\"com.example.t\",URI=\"t.json\"", "SESSION_DATA https://origin.test/live/t.json");
    }

    @Test
    void rewritesContentSteeringServerUri() throws PlaylistException {
        assertOffered("#EXT-X-CONTENT-STEERING:SERVER-URI=\"/steer?v=1\",PATHWAY-ID=\"CDN-A\"", "STEERING_MANIFEST https://origin.test/steer?v=1");
    }

    @Test
    void rewritesInterstitialAssetUriAndAssetList() throws PlaylistException {
        rewrite("#EXTM3U\n#EXT-X-DATERANGE:ID=\"ad1\",CLASS=\"com.apple.hls.interstitial\",START-DATE=\"2024-01-01T00:00:00Z\","
                + "X-ASSET-URI=\"ads/a.m3u8\",X-ASSET-LIST=\"ads/list.json\"\n");
        assertEquals(List.of("PLAYLIST https://origin.test/live/ads/a.m3u8", "INTERSTITIAL_ASSET_LIST https://origin.test/live/ads/list.json"),
                mapper.absolutes());
    }

    @Test
    void leavesUnknownTagsAndCommentsAlone() throws PlaylistException {
        String playlist = "#EXTM3U\n#EXT-X-FOO:URI=\"x.ts\"\n# URI=\"y.ts\"\n#EXT-X-KEY:METHOD=NONE\n#EXT-X-STREAM-INF:BANDWIDTH=1,URI=\"z\"\n";
        assertEquals(playlist, PlaylistRewriter.rewrite(playlist, BASE, mapper));
        assertEquals(List.of(), mapper.offered);
    }

    // --- attribute lists

    @Test
    void changesOnlyTheUriValueKeepingQuotesOrderAndSpacing() throws PlaylistException {
        String out = rewrite("#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO, NAME=\"a,b\" ,URI = \"en.m3u8\" , DEFAULT=YES\n");
        assertEquals("#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO, NAME=\"a,b\" ,URI = \""
                + proxied(ResourceKind.PLAYLIST, "https://origin.test/live/en.m3u8") + "\" , DEFAULT=YES\n", out);
    }

    @Test
    void quotedCommaBeforeUriDoesNotSplitIt() throws PlaylistException {
        assertOffered("#EXT-X-I-FRAME-STREAM-INF:CODECS=\"avc1,mp4a\",URI=\"a,b.m3u8\"", "PLAYLIST https://origin.test/live/a,b.m3u8");
    }

    @Test
    void rewritesEveryOccurrenceOfADuplicateUriAttribute() throws PlaylistException {
        String out = rewrite("#EXTM3U\n#EXT-X-MAP:URI=\"a.mp4\",URI=\"b.mp4\"\n");
        assertEquals(List.of("INIT_SECTION https://origin.test/live/a.mp4", "INIT_SECTION https://origin.test/live/b.mp4"), mapper.absolutes());
        assertTrue(!out.contains("\"a.mp4\"") && !out.contains("\"b.mp4\""), out);
    }

    @Test
    void leavesNonHttpKeysUnoffered() throws PlaylistException {
        String playlist = "#EXTM3U\n#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"skd://k1\",KEYFORMAT=\"com.apple.streamingkeydelivery\"\n"
                + "#EXT-X-KEY:METHOD=SAMPLE-AES-CTR,URI=\"data:text/plain;base64,AAAA\"\n"
                + "#EXT-X-SESSION-KEY:METHOD=SAMPLE-AES,URI=\"urn:uuid:edef8ba9-79d6-4ace-a3c8-27dcd51d21ed\"\n";
        assertEquals(playlist, rewrite(playlist));
        assertEquals(List.of(), mapper.offered);
    }

    @Test
    void refusesUnquotedUriAttribute() {
        PlaylistException e = refusal("#EXTM3U\n#EXT-X-MAP:URI=init.mp4\n");
        assertEquals(2, e.line());
        assertEquals("EXT-X-MAP URI must be a quoted-string (RFC 8216 §4.2)", e.reason());
    }

    @Test
    void refusesUnterminatedQuoteInUriTag() {
        assertEquals(3, refusal("#EXTM3U\n#EXTINF:1,\n#EXT-X-KEY:METHOD=AES-128,URI=\"k.key\n").line());
    }

    @Test
    void toleratesUnterminatedQuoteInTagWithoutUris() throws PlaylistException {
        String playlist = "#EXTM3U\n#EXT-X-DATERANGE:ID=\"oops\n#EXT-X-PROGRAM-DATE-TIME:\"x\n";
        assertThrows(PlaylistException.class, () -> rewrite(playlist)); // DATERANGE may hold asset URIs
        String other = "#EXTM3U\n#EXT-X-SERVER-CONTROL:X=\"oops\n";
        assertEquals(other, rewrite(other));
    }

    // --- bytes kept

    @Test
    void keepsCrlfAndMixedLineEndingsPerLine() throws PlaylistException {
        String out = rewrite("#EXTM3U\r\n#EXTINF:1,\r\na.ts\r\n#EXTINF:1,\nb.ts\n");
        assertEquals("#EXTM3U\r\n#EXTINF:1,\r\n" + proxied(ResourceKind.SEGMENT, "https://origin.test/live/a.ts")
                + "\r\n#EXTINF:1,\n" + proxied(ResourceKind.SEGMENT, "https://origin.test/live/b.ts") + "\n", out);
    }

    @Test
    void keepsAbsenceOfFinalNewline() throws PlaylistException {
        assertEquals("#EXTM3U\n#EXTINF:1,\n" + proxied(ResourceKind.SEGMENT, "https://origin.test/live/a.ts"),
                rewrite("#EXTM3U\n#EXTINF:1,\na.ts"));
    }

    @Test
    void keepsLeadingBomAndStillFindsHeader() throws PlaylistException {
        assertEquals("\uFEFF#EXTM3U\n#EXTINF:1,\n" + proxied(ResourceKind.SEGMENT, "https://origin.test/live/a.ts") + "\n",
                rewrite("\uFEFF#EXTM3U\n#EXTINF:1,\na.ts\n"));
    }

    @Test
    void echoMapperGivesTheInputBack() throws PlaylistException {
        String playlist = "\uFEFF#EXTM3U\r\n#EXT-X-DEFINE:NAME=\"h\",VALUE=\"https://cdn.test\"\n  #EXT-X-KEY:URI = \"{$h}/k\" \r\n"
                + "#EXTINF:1,\t\n\t{$h}/a.ts?x=%2F \n#EXT-X-ENDLIST";
        assertEquals(playlist, PlaylistRewriter.rewrite(playlist, BASE, RecordingMapper.echoing()));
    }

    @Test
    void findsIndentedTags() throws PlaylistException {
        assertOffered("  #EXT-X-MAP:URI=\"init.mp4\"", "INIT_SECTION https://origin.test/live/init.mp4");
    }

    // --- resolution

    @Test
    void offersAbsoluteUrisAsWritten() throws PlaylistException {
        rewrite("#EXTM3U\n#EXTINF:1,\nhttp://Other.test/a/../b.ts?sig=a%2Bb%3D\n#EXTINF:1,\n//cdn.test/c.ts\n");
        assertEquals(List.of("SEGMENT http://Other.test/a/../b.ts?sig=a%2Bb%3D", "SEGMENT https://cdn.test/c.ts"), mapper.absolutes());
    }

    @Test
    void keepsQueryAndPercentEncodingOfRelativeUris() throws PlaylistException {
        rewrite("#EXTM3U\n#EXTINF:1,\n../seg%20one.ts?a=1&b=%3D%26\n");
        assertEquals(List.of("SEGMENT https://origin.test/seg%20one.ts?a=1&b=%3D%26"), mapper.absolutes());
    }

    @Test
    void refusesUriThatIsNotAUri() {
        PlaylistException e = refusal("#EXTM3U\n#EXTINF:1,\nseg one.ts\n");
        assertEquals(3, e.line());
        assertEquals("not a valid URI (Illegal character in path at index 28): https://origin.test/live/seg one.ts", e.reason());
    }

    @Test
    void refusesHttpUriWithoutHost() {
        assertEquals(3, refusal("#EXTM3U\n#EXTINF:1,\nhttp:seg.ts\n").line());
    }

    // --- variables

    @Test
    void substitutesDefinedVariablesBeforeResolving() throws PlaylistException {
        String out = rewrite("#EXTM3U\n#EXT-X-DEFINE:NAME=\"cdn\",VALUE=\"https://cdn.test/v\"\n#EXT-X-DEFINE:NAME=\"q\",VALUE=\"sig=1\"\n"
                + "#EXT-X-MAP:URI=\"{$cdn}/init.mp4\"\n#EXTINF:1,\nseg-{$q}.ts?{$q}\n");
        assertEquals(List.of("INIT_SECTION https://cdn.test/v/init.mp4", "SEGMENT https://origin.test/live/seg-sig=1.ts?sig=1"), mapper.absolutes());
        assertEquals("{$cdn}/init.mp4", mapper.offered.getFirst().written());
        assertTrue(!out.contains("{$cdn}/init.mp4") && out.contains("#EXT-X-DEFINE:NAME=\"cdn\""), out);
    }

    @Test
    void takesQueryParamVariableFromPlaylistUrl() throws PlaylistException {
        rewrite("#EXTM3U\n#EXT-X-DEFINE:QUERYPARAM=\"token\"\n#EXTINF:1,\na.ts?token={$token}\n");
        assertEquals(List.of("SEGMENT https://origin.test/live/a.ts?token=t1"), mapper.absolutes());
    }

    @Test
    void keepsAQueryParamDefinitionByDefault() throws PlaylistException {
        String out = rewrite("#EXTM3U\n#EXT-X-DEFINE:QUERYPARAM=\"token\"\n#EXTINF:1,\na.ts?token={$token}\n");
        assertTrue(out.startsWith("#EXTM3U\n#EXT-X-DEFINE:QUERYPARAM=\"token\"\n"), out);
    }

    @Test
    void inlinesAQueryParamDefinitionAsTheNameAndValueItAmountsTo() throws PlaylistException {
        String out = PlaylistRewriter.rewrite("#EXTM3U\r\n#EXT-X-DEFINE:QUERYPARAM=\"token\"\r\n"
                + "#EXT-X-SESSION-DATA:DATA-ID=\"com.example.t\",VALUE=\"{$token}\"\r\n#EXTINF:1,\r\na.ts?token={$token}\r\n",
                URI.create("https://origin.test/live/main.m3u8?x=1&token=a%2Bb~c&y"), mapper,
                RewriteOptions.defaults().withQueryParametersInlined());
        assertTrue(out.startsWith("#EXTM3U\r\n#EXT-X-DEFINE:NAME=\"token\",VALUE=\"a%2Bb~c\"\r\n"
                + "#EXT-X-SESSION-DATA:DATA-ID=\"com.example.t\",VALUE=\"{$token}\"\r\n"), out);
        assertEquals(List.of("SEGMENT https://origin.test/live/a.ts?token=a%2Bb~c"), mapper.absolutes());
    }

    @Test
    void aQueryParamTheUrlLacksMakesTheInlinedPlaylistInvalid() {
        PlaylistException e = assertThrows(PlaylistException.class, () -> PlaylistRewriter.rewrite(
                "#EXTM3U\n#EXT-X-DEFINE:QUERYPARAM=\"token\"\n#EXTINF:1,\na.ts\n", BASE.resolve("main.m3u8?other=1"),
                mapper, RewriteOptions.defaults().withQueryParametersInlined()));
        assertEquals(2, e.line());
        assertEquals("variable \"token\" comes from a query parameter the playlist URL does not have", e.reason());
    }

    @Test
    void takesImportedVariableFromOptions() throws PlaylistException {
        PlaylistRewriter.rewrite("#EXTM3U\n#EXT-X-DEFINE:IMPORT=\"auth\"\n#EXTINF:1,\na.ts?{$auth}\n", BASE, mapper,
                RewriteOptions.defaults().withImportedVariables(Map.of("auth", "k=9")));
        assertEquals(List.of("SEGMENT https://origin.test/live/a.ts?k=9"), mapper.absolutes());
    }

    @Test
    void unavailableVariableFailsOnlyWhereAUriUsesIt() throws PlaylistException {
        String unused = "#EXTM3U\n#EXT-X-DEFINE:IMPORT=\"auth\"\n#EXT-X-DEFINE:QUERYPARAM=\"nope\"\n#EXTINF:1,\na.ts\n";
        rewrite(unused);
        PlaylistException e = refusal("#EXTM3U\n#EXT-X-DEFINE:IMPORT=\"auth\"\n#EXTINF:1,\na.ts?{$auth}\n");
        assertEquals(4, e.line());
        assertTrue(e.reason().contains("IMPORTed"), e.reason());
    }

    @Test
    void refusesReferenceToUndefinedVariable() {
        PlaylistException e = refusal("#EXTM3U\n#EXTINF:1,\n{$base}/a.ts\n");
        assertEquals(3, e.line());
        assertEquals("variable \"base\" is used before any EXT-X-DEFINE of it", e.reason());
    }

    @Test
    void refusesVariableDefinedTwice() {
        assertEquals(3, refusal("#EXTM3U\n#EXT-X-DEFINE:NAME=\"a\",VALUE=\"1\"\n#EXT-X-DEFINE:NAME=\"a\",VALUE=\"2\"\n").line());
    }

    @Test
    void boundsWhatVariablesExpandTo() {
        String big = "x".repeat(1000);
        String refs = "{$v}".repeat(100);
        PlaylistException e = assertThrows(PlaylistException.class, () -> PlaylistRewriter.rewrite(
                "#EXTM3U\n#EXT-X-DEFINE:NAME=\"v\",VALUE=\"" + big + "\"\n#EXTINF:1,\n" + refs + "\n", BASE, mapper,
                new RewriteOptions(1 << 20, 16 * 1024, 1 << 20, Map.of(), false)));
        assertEquals("URI longer than 16384 chars after variable substitution", e.reason());
    }

    // --- malformed input

    @Test
    void refusesPlaylistWithoutHeader() {
        PlaylistException e = refusal("#EXT-X-TARGETDURATION:10\n#EXTINF:10,\na.ts\n");
        assertEquals(1, e.line());
        assertEquals("the first line must be #EXTM3U, found \"#EXT-X-TARGETDURATION:10\"", e.reason());
    }

    @Test
    void refusesEmptyPlaylist() {
        assertEquals(1, refusal("").line());
        assertEquals(1, refusal("\uFEFF").line());
    }

    @Test
    void refusesHeaderWithTrailingLetters() {
        assertEquals(1, refusal("#EXTM3UX\n").line());
    }

    @Test
    void refusesNul() {
        PlaylistException e = refusal("#EXTM3U\n#EXTINF:1,\na\0.ts\n");
        assertEquals("line 3: NUL character (binary content?) at column 2", e.getMessage());
    }

    @Test
    void refusesBareCarriageReturn() {
        assertEquals("carriage return not followed by a line feed at column 11", refusal("#EXTM3U\n#EXTINF:1,\rhttp://x/a.ts\n").reason());
    }

    @Test
    void refusesC1ControlCharacter() {
        assertEquals("control character U+0085 at column 2", refusal("#EXTM3U\n#\u0085\n").reason());
    }

    @Test
    void refusesPlaylistOverTheSizeLimit() {
        PlaylistException e = assertThrows(PlaylistException.class, () -> PlaylistRewriter.rewrite("#EXTM3U\n" + "#\n".repeat(100), BASE, mapper,
                RewriteOptions.defaults().withMaxChars(100)));
        assertEquals(0, e.line());
        assertEquals("playlist is 208 chars, over the limit of 100", e.getMessage());
    }

    @Test
    void refusesMapperTextThatWouldBreakTheQuotedString() {
        assertThrows(IllegalArgumentException.class, () -> PlaylistRewriter.rewrite("#EXTM3U\n#EXT-X-MAP:URI=\"i.mp4\"\n", BASE, uri -> "a\"b"));
        assertThrows(IllegalArgumentException.class, () -> PlaylistRewriter.rewrite("#EXTM3U\n#EXTINF:1,\na.ts\n", BASE, uri -> " \t#x"));
        assertThrows(IllegalArgumentException.class, () -> PlaylistRewriter.rewrite("#EXTM3U\n#EXTINF:1,\na.ts\n", BASE, uri -> "a\nb"));
    }
}
