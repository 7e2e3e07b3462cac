package dev.sprox.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.hls.PlaylistUri;
import dev.sprox.hls.ResourceKind;
import dev.sprox.security.Secret;
import dev.sprox.security.UrlSigner;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignedPrefixesTest {
    private static final UrlSigner SIGNER = new UrlSigner(new Secret("signed-prefixes-test"));
    private static final UrlSigning SIGNING = new UrlSigning(SIGNER, 1_800_000_000L);

    private static String prefix(String base) {
        return "/proxy/base/" + SIGNER.signPrefix(base, List.of(), 1_800_000_000L) + "/";
    }

    @Test
    void aUrlIsSignedUnderItsDirectoryBeforeAnyQueryOrTemplateIdentifier() {
        assertEquals(Optional.of("https://cdn.example/v/"), SignedPrefixes.directory("https://cdn.example/v/a.m4s"));
        assertEquals(Optional.of("https://cdn.example/v/"),
                SignedPrefixes.directory("https://cdn.example/v/$RepresentationID$/$Number$.m4s"));
        assertEquals(Optional.of("https://cdn.example/v/"),
                SignedPrefixes.directory("https://cdn.example/v/a.m4s?next=/x/y"));
        assertEquals(Optional.of("https://cdn.example/"), SignedPrefixes.directory("https://cdn.example/"));
        assertEquals(Optional.empty(), SignedPrefixes.directory("https://cdn.example"));
        assertEquals(Optional.empty(), SignedPrefixes.directory("https://cdn.example?a=/b/"));
    }

    @Test
    void onlyACanonicalDirectoryWithoutDotSegmentsCanBeABase() {
        assertTrue(SignedPrefixes.isBase("https://cdn.example/v/"));
        assertTrue(SignedPrefixes.isBase("http://127.0.0.1:8080/"));
        for (String notABase : List.of("https://cdn.example/v", "HTTPS://cdn.example/v/", "https://cdn.example/%2e%2e/",
                "https://cdn.example/v/../", "https://u:p@cdn.example/v/", "ftp://cdn.example/v/",
                "https://cdn.example/v/?q/", "")) {
            assertFalse(SignedPrefixes.isBase(notABase), notABase);
        }
    }

    @Test
    void aRestThatCouldClimbOrCarriesAFragmentDoesNotFollowAPrefix() {
        assertTrue(SignedPrefixes.canFollow("seg-1.m4s?t=a/../b"));
        for (String rest : List.of("../a.m4s", "x/%2E%2E/a.m4s", "..;/a.m4s", "a.m4s#t=1", ".")) {
            assertFalse(SignedPrefixes.canFollow(rest), rest);
        }
    }

    @Test
    void urlsInOneDirectoryShareOneToken() {
        var prefixes = new SignedPrefixes(HeaderOverrides.NONE, SIGNING);

        assertEquals(Optional.of(prefix("https://cdn.example/v/") + "a.m4s"),
                prefixes.inDirectory("https://cdn.example/v/a.m4s"));
        assertEquals(Optional.of(prefix("https://cdn.example/v/") + "$Number$.m4s?x=1"),
                prefixes.inDirectory("https://cdn.example/v/$Number$.m4s?x=1"));
        assertEquals(Optional.empty(), prefixes.under("https://cdn.example/v/", "https://cdn.example/w/a.m4s"));
        assertEquals(Optional.empty(), prefixes.inDirectory("https://cdn.example/v/%2e%2e/a.m4s"));
    }

    @Test
    void aDashTemplateThatCannotFollowAPrefixIsRefusedAndAPlainUrlIsSignedAlone() {
        var mapper = new DirectMpdMapper(HeaderOverrides.NONE, SIGNING);

        assertThrows(IllegalArgumentException.class, () -> mapper.map(new PlaylistUri(ResourceKind.SEGMENT,
                "https://cdn.example/v/%2e%2e/$Number$.m4s", "$Number$.m4s", 3)));
        assertTrue(mapper.map(new PlaylistUri(ResourceKind.SEGMENT, "https://cdn.example/%2e%2e/a.m4s", "a.m4s", 3))
                .startsWith("/proxy/stream/a.m4s?d="));
        assertTrue(mapper.map(new PlaylistUri(ResourceKind.MANIFEST, "https://cdn.example/next.mpd", "next.mpd", 2))
                .startsWith(DirectUrls.MPD + "?d=https%3A%2F%2Fcdn.example%2Fnext.mpd&exp="));
    }
}
