package dev.sprox.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 §4: a playlist of a few MiB whose every line is a reference to one long variable expands, once each
 * URI is mapped and percent-encoded, into tens of GB. The rewrite must stop at its output limit, having built
 * no more than the limit, instead of building the whole expansion first.
 */
class RewriteOutputLimitTest {
    private static final URI BASE = URI.create("https://origin.test/live/index.m3u8");

    @Test
    void theExpansionPlaylistIsUnderFourMebibytes() {
        assertTrue(ExpansionPlaylist.of(ExpansionPlaylist.LINES).length() < 4 * 1024 * 1024);
    }

    @Test
    void stopsAtTheOutputLimitAfterMappingOnlyWhatFitsInIt() {
        var mapped = new AtomicInteger();
        UriMapper encoding = uri -> {
            mapped.incrementAndGet();
            return "/proxy/stream?d=" + URLEncoder.encode(uri.absolute(), StandardCharsets.UTF_8);
        };

        PlaylistException e = assertThrows(PlaylistException.class, () -> PlaylistRewriter.rewrite(
                ExpansionPlaylist.of(ExpansionPlaylist.LINES), BASE, encoding, RewriteOptions.defaults()));

        assertTrue(e.overLimit(), e.getMessage());
        assertEquals("rewritten playlist would be over the limit of " + RewriteOptions.DEFAULT_MAX_OUTPUT_CHARS
                + " chars", e.reason());
        // each line maps to ~48 000 chars: the limit holds ~350 of them, not 690 000
        assertTrue(mapped.get() < 400, "URIs mapped before stopping: " + mapped.get());
    }

    @Test
    void aRewriteThatEndsExactlyAtTheLimitIsKept() throws PlaylistException {
        String playlist = "#EXTM3U\n#EXTINF:1,\na.ts\n";
        String rewritten = PlaylistRewriter.rewrite(playlist, BASE, uri -> "b.ts",
                RewriteOptions.defaults().withMaxOutputChars(playlist.length()));
        assertEquals(playlist.replace("a.ts", "b.ts"), rewritten);
    }

    @Test
    void theTextAfterTheLastUriCountsToo() {
        String playlist = "#EXTM3U\n#EXTINF:1,\na.ts\n" + "#\n".repeat(50);
        PlaylistException e = assertThrows(PlaylistException.class, () -> PlaylistRewriter.rewrite(playlist, BASE,
                uri -> "b.ts", RewriteOptions.defaults().withMaxOutputChars(playlist.length() - 1)));
        assertTrue(e.overLimit(), e.getMessage());
    }

    @Test
    void syntaxErrorsAreNotLimits() {
        PlaylistException e = assertThrows(PlaylistException.class, () -> PlaylistRewriter.rewrite("#EXT\n", BASE,
                uri -> "b.ts"));
        assertEquals(false, e.overLimit());
    }
}
