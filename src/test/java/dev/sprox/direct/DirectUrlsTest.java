package dev.sprox.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sprox.hls.PlaylistRewriter;
import dev.sprox.http.QueryParameters;
import dev.sprox.security.Secret;
import dev.sprox.security.UrlSigner;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DirectUrlsTest {
    private static final HeaderOverrides OVERRIDES = new HeaderOverrides(new TreeMap<>(Map.of(
            "user-agent", "Kodi/21 (X11; Linux)", "referer", "https://site.example/watch?v=1&t=2")));
    private static final long EXP = 1_800_000_000L;
    private static final UrlSigner SIGNER = new UrlSigner(new Secret("direct-urls-test-secret"));
    private static final UrlSigning SIGNING = new UrlSigning(SIGNER, EXP);

    /** What every written URL ends with: the expiry and the signature of its destination and overrides. */
    private static String signed(String destination, HeaderOverrides overrides) {
        return "&exp=" + EXP + "&sig=" + SIGNER.sign(destination, overrides.signed(), EXP);
    }

    @Test
    void streamUrlNamesThePlainFileAndCarriesDestinationAndOverrides() {
        assertEquals("/proxy/stream/seg-1.ts?d=https%3A%2F%2Fcdn.example%2Fv%2Fseg-1.ts%3Ftoken%3Da%2Bb"
                        + "&h_referer=https%3A%2F%2Fsite.example%2Fwatch%3Fv%3D1%26t%3D2"
                        + "&h_user-agent=Kodi%2F21%20%28X11%3B%20Linux%29"
                        + signed("https://cdn.example/v/seg-1.ts?token=a+b", OVERRIDES),
                DirectUrls.stream(URI.create("https://cdn.example/v/seg-1.ts?token=a+b"), OVERRIDES, SIGNING));
    }

    @Test
    void streamUrlWithoutAPlainFileNameUsesTheBareEndpoint() {
        assertEquals("/proxy/stream?d=https%3A%2F%2Fcdn.example%2Fv%2F"
                        + signed("https://cdn.example/v/", HeaderOverrides.NONE),
                DirectUrls.stream(URI.create("https://cdn.example/v/"), HeaderOverrides.NONE, SIGNING));
        assertEquals("/proxy/stream?d=https%3A%2F%2Fcdn.example%2Fa%2520b.ts"
                        + signed("https://cdn.example/a%20b.ts", HeaderOverrides.NONE),
                DirectUrls.stream(URI.create("https://cdn.example/a%20b.ts"), HeaderOverrides.NONE, SIGNING));
    }

    @Test
    void whatDirectUrlsWritesReadsBackAsTheSameDestinationAndOverrides() {
        URI destination = URI.create("https://cdn.example/v/a%20b/index.m3u8?token=x%2By&e=1");
        String url = DirectUrls.manifest(destination, OVERRIDES, SIGNING);
        String query = url.substring(url.indexOf('?') + 1);

        assertEquals(destination, Destination.of(query, QueryText.decode(query)));
        assertEquals(OVERRIDES, HeaderOverrides.parse(QueryText.decode(query)));
    }

    @Test
    void whatDirectUrlsWritesVerifiesAsSignedForExactlyThatRequest() {
        URI destination = URI.create("https://cdn.example/v/a%20b/index.m3u8?token=x%2By&e=1");
        String url = DirectUrls.manifest(destination, OVERRIDES, SIGNING);
        var query = QueryParameters.parse(url.substring(url.indexOf('?') + 1));
        String read = Destination.of(url.substring(url.indexOf('?') + 1), query.all()).toString();

        assertEquals(new UrlSigner.Verification.Valid(EXP), SIGNER.verify(read,
                HeaderOverrides.parse(query.all()).signed(), query.first("exp").orElseThrow(),
                query.first("sig").orElseThrow(), EXP - 1));
    }

    @Test
    void neverWritesThePassword() {
        String url = DirectUrls.stream(URI.create("https://cdn.example/a.ts"), OVERRIDES, SIGNING);
        assertFalse(url.contains("api_password"), url);
    }

    @Test
    void theDestinationIsWrittenInTheSpellingItIsReadBackIn() {
        String url = DirectUrls.stream(URI.create("HTTPS://cdn.example/a.ts#t=5"), HeaderOverrides.NONE, SIGNING);
        String query = url.substring(url.indexOf('?') + 1);

        assertEquals("/proxy/stream/a.ts?d=https%3A%2F%2Fcdn.example%2Fa.ts"
                + signed("https://cdn.example/a.ts", HeaderOverrides.NONE), url);
        assertEquals(URI.create("https://cdn.example/a.ts"), Destination.of(query, QueryText.decode(query)));
    }

    @Test
    void mapperSendsPlaylistsToTheManifestEndpointAndEverythingElseToStream() throws Exception {
        String master = """
                #EXTM3U
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="en",URI="audio/en.m3u8"
                #EXT-X-STREAM-INF:BANDWIDTH=800000,AUDIO="a"
                low/index.m3u8
                """;
        URI masterUrl = URI.create("https://cdn.example/v/master.m3u8");

        assertEquals("""
                #EXTM3U
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="en",URI="/proxy/hls/manifest.m3u8?d=https%3A%2F%2Fcdn.example%2Fv%2Faudio%2Fen.m3u8{1}"
                #EXT-X-STREAM-INF:BANDWIDTH=800000,AUDIO="a"
                /proxy/hls/manifest.m3u8?d=https%3A%2F%2Fcdn.example%2Fv%2Flow%2Findex.m3u8{2}
                """
                .replace("{1}", signed("https://cdn.example/v/audio/en.m3u8", HeaderOverrides.NONE))
                .replace("{2}", signed("https://cdn.example/v/low/index.m3u8", HeaderOverrides.NONE)),
                PlaylistRewriter.rewrite(master, masterUrl,
                        DirectPlaylistMapper.of(masterUrl, HeaderOverrides.NONE, SIGNING)));
    }

    @Test
    void mapperSignsThePlaylistsDirectoryOnceAndEverythingElsePerUri() throws Exception {
        String media = """
                #EXTM3U
                #EXT-X-TARGETDURATION:4
                #EXT-X-KEY:METHOD=AES-128,URI="../keys/k1.bin"
                #EXT-X-MAP:URI="init.mp4"
                #EXTINF:4.0,
                seg1.m4s?t=a%2Fb
                #EXTINF:4.0,
                sub/seg2.m4s
                #EXTINF:4.0,
                https://other.example/seg3.m4s
                #EXTINF:4.0,
                %2e%2e/seg4.m4s
                """;
        URI mediaUrl = URI.create("https://cdn.example/v/low/index.m3u8");
        String prefix = "/proxy/base/" + SIGNER.signPrefix("https://cdn.example/v/low/", OVERRIDES.signed(), EXP) + "/";

        assertEquals("""
                #EXTM3U
                #EXT-X-TARGETDURATION:4
                #EXT-X-KEY:METHOD=AES-128,URI="{k}"
                #EXT-X-MAP:URI="{p}init.mp4"
                #EXTINF:4.0,
                {p}seg1.m4s?t=a%2Fb
                #EXTINF:4.0,
                {p}sub/seg2.m4s
                #EXTINF:4.0,
                {3}
                #EXTINF:4.0,
                {4}
                """
                .replace("{p}", prefix)
                .replace("{k}", DirectUrls.stream(URI.create("https://cdn.example/v/keys/k1.bin"), OVERRIDES, SIGNING))
                .replace("{3}", DirectUrls.stream(URI.create("https://other.example/seg3.m4s"), OVERRIDES, SIGNING))
                .replace("{4}", DirectUrls.stream(URI.create("https://cdn.example/v/low/%2e%2e/seg4.m4s"), OVERRIDES,
                        SIGNING)),
                PlaylistRewriter.rewrite(media, mediaUrl, DirectPlaylistMapper.of(mediaUrl, OVERRIDES, SIGNING)));
    }
}
