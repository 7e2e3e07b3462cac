package dev.sprox.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DecryptingPlaylistTest {
    /** Writes what it was given, so a test sees each URI with its range and init section. */
    private static final DecryptingPlaylist.Uris URIS = new DecryptingPlaylist.Uris() {
        @Override
        public String init(String absolute, Optional<DecryptingPlaylist.Range> range) {
            return "/init?" + absolute + range.map(DecryptingPlaylistTest::text).orElse("");
        }

        @Override
        public String segment(String absolute, Optional<DecryptingPlaylist.Range> range, String init,
                              Optional<DecryptingPlaylist.Range> initRange) {
            return "/segment?" + absolute + range.map(DecryptingPlaylistTest::text).orElse("") + "&init=" + init
                    + initRange.map(DecryptingPlaylistTest::text).orElse("");
        }
    };

    private static String text(DecryptingPlaylist.Range range) {
        return "[" + range.offset() + "-" + range.last() + "]";
    }

    @Test
    void theKeyGoesAndTheInitSectionAndSegmentsPointAtDecryptingUrls() throws PlaylistException {
        String playlist = """
                #EXTM3U
                #EXT-X-VERSION:6
                #EXT-X-TARGETDURATION:1
                #EXT-X-KEY:METHOD=SAMPLE-AES-CTR,URI="data:text/plain;base64,AAAA",KEYFORMAT="identity",\
                KEYID=0x6a5f0c2b8e7d4a3f9c1b2e4d6f8a0b1c
                #EXT-X-MAP:URI="https://cdn/v/init.mp4"
                #EXTINF:1.000,
                https://cdn/v/1.m4s
                #EXTINF:1.000,
                https://cdn/v/2.m4s
                #EXT-X-ENDLIST
                """;
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:6
                #EXT-X-TARGETDURATION:1
                #EXT-X-MAP:URI="/init?https://cdn/v/init.mp4"
                #EXTINF:1.000,
                /segment?https://cdn/v/1.m4s&init=https://cdn/v/init.mp4
                #EXTINF:1.000,
                /segment?https://cdn/v/2.m4s&init=https://cdn/v/init.mp4
                #EXT-X-ENDLIST
                """, DecryptingPlaylist.rewrite(playlist, URIS));
    }

    @Test
    void byteRangesMoveIntoTheUrlsAnOffsetLeftOutFollowingTheSegmentBefore() throws PlaylistException {
        String playlist = """
                #EXTM3U
                #EXT-X-MAP:URI="https://cdn/v.mp4",BYTERANGE="800@0"
                #EXTINF:2.000,
                #EXT-X-BYTERANGE:1000@900
                https://cdn/v.mp4
                #EXTINF:2.000,
                #EXT-X-BYTERANGE:500
                https://cdn/v.mp4
                """;
        assertEquals("""
                #EXTM3U
                #EXT-X-MAP:URI="/init?https://cdn/v.mp4[0-799]"
                #EXTINF:2.000,
                /segment?https://cdn/v.mp4[900-1899]&init=https://cdn/v.mp4[0-799]
                #EXTINF:2.000,
                /segment?https://cdn/v.mp4[1900-2399]&init=https://cdn/v.mp4[0-799]
                """, DecryptingPlaylist.rewrite(playlist, URIS));
    }

    @Test
    void aVariantLineIsKeptAndTheSessionKeyGoes() throws PlaylistException {
        String playlist = """
                #EXTM3U
                #EXT-X-SESSION-KEY:METHOD=SAMPLE-AES,URI="skd://key",KEYFORMAT="com.apple.streamingkeydelivery"
                #EXT-X-STREAM-INF:BANDWIDTH=1000
                /proxy/hls/manifest.m3u8?d=x
                """;
        assertEquals("""
                #EXTM3U
                #EXT-X-STREAM-INF:BANDWIDTH=1000
                /proxy/hls/manifest.m3u8?d=x
                """, DecryptingPlaylist.rewrite(playlist, URIS));
    }

    @Test
    void partsAndHintsGoSoThePlaylistPlaysAsPlainHls() throws PlaylistException {
        String out = DecryptingPlaylist.rewrite("""
                #EXTM3U
                #EXT-X-PART-INF:PART-TARGET=0.5
                #EXT-X-MAP:URI="https://cdn/init.mp4"
                #EXT-X-PART:DURATION=0.5,URI="https://cdn/1.0.m4s"
                #EXTINF:1.000,
                https://cdn/1.m4s
                #EXT-X-PRELOAD-HINT:TYPE=PART,URI="https://cdn/2.0.m4s"
                #EXT-X-RENDITION-REPORT:URI="https://cdn/a.m3u8",LAST-MSN=1
                """, URIS);
        assertTrue(!out.contains("PART") && !out.contains("HINT") && !out.contains("RENDITION"), out);
    }

    @Test
    void whatIsNotCommonEncryptionInFmp4IsRefused() {
        assertThrows(PlaylistException.class, () -> DecryptingPlaylist.rewrite("""
                #EXTM3U
                #EXT-X-KEY:METHOD=AES-128,URI="https://cdn/key"
                #EXT-X-MAP:URI="https://cdn/init.mp4"
                #EXTINF:1.000,
                https://cdn/1.m4s
                """, URIS));
        PlaylistException transportStream = assertThrows(PlaylistException.class, () -> DecryptingPlaylist.rewrite("""
                #EXTM3U
                #EXT-X-KEY:METHOD=SAMPLE-AES,URI="https://cdn/key"
                #EXTINF:1.000,
                https://cdn/1.ts
                """, URIS));
        assertEquals(4, transportStream.line());
        assertThrows(PlaylistException.class, () -> DecryptingPlaylist.rewrite("""
                #EXTM3U
                #EXT-X-MAP:URI="https://cdn/init.mp4"
                #EXTINF:1.000,
                #EXT-X-BYTERANGE:x@1
                https://cdn/1.m4s
                """, URIS));
    }
}
