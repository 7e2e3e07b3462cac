package dev.sprox.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UriResolverTest {

    private static final UriResolver RFC_BASE = new UriResolver(URI.create("http://a/b/c/d;p?q"));

    /** RFC 3986 §5.4.1 and §5.4.2 (strict parser), every example with an http result. */
    @ParameterizedTest
    @CsvSource(delimiter = ' ', quoteCharacter = '\'', value = {
        "g http://a/b/c/g", "./g http://a/b/c/g", "g/ http://a/b/c/g/", "/g http://a/g", "//g http://g",
        "?y http://a/b/c/d;p?y", "g?y http://a/b/c/g?y", "#s http://a/b/c/d;p?q#s", "g#s http://a/b/c/g#s",
        "g?y#s http://a/b/c/g?y#s", ";x http://a/b/c/;x", "g;x http://a/b/c/g;x", "g;x?y#s http://a/b/c/g;x?y#s",
        "'' http://a/b/c/d;p?q", ". http://a/b/c/", "./ http://a/b/c/", ".. http://a/b/", "../ http://a/b/",
        "../g http://a/b/g", "../.. http://a/", "../../ http://a/", "../../g http://a/g",
        "../../../g http://a/g", "../../../../g http://a/g", "/./g http://a/g", "/../g http://a/g",
        "g. http://a/b/c/g.", ".g http://a/b/c/.g", "g.. http://a/b/c/g..", "..g http://a/b/c/..g",
        "./../g http://a/b/g", "./g/. http://a/b/c/g/", "g/./h http://a/b/c/g/h", "g/../h http://a/b/c/h",
        "g;x=1/./y http://a/b/c/g;x=1/y", "g;x=1/../y http://a/b/c/y", "g?y/./x http://a/b/c/g?y/./x",
        "g?y/../x http://a/b/c/g?y/../x", "g#s/./x http://a/b/c/g#s/./x", "g#s/../x http://a/b/c/g#s/../x"
    })
    void resolvesLikeRfc3986Examples(String reference, String expected) throws PlaylistException {
        assertEquals(expected, RFC_BASE.resolve(reference, 1));
    }

    @Test
    void leavesOtherSchemesAlone() throws PlaylistException {
        assertNull(RFC_BASE.resolve("g:h", 1));
        assertNull(RFC_BASE.resolve("skd://key-id", 1));
        assertNull(RFC_BASE.resolve("data:text/plain;base64,AAAA", 1));
    }

    @Test
    void offersAbsoluteHttpReferencesExactlyAsWritten() throws PlaylistException {
        assertEquals("HTTPS://cdn.example/a/../b%2f.ts?x=%3D", RFC_BASE.resolve("HTTPS://cdn.example/a/../b%2f.ts?x=%3D", 1));
    }

    @Test
    void keepsPercentEncodingAndQueryOfRelativeReferences() throws PlaylistException {
        UriResolver resolver = new UriResolver(URI.create("https://h.example/v%201/index.m3u8?token=a%2Bb"));
        assertEquals("https://h.example/v%201/seg%2F1.ts?sig=a%3D%3D&e=1", resolver.resolve("seg%2F1.ts?sig=a%3D%3D&e=1", 1));
    }

    @Test
    void resolvesAgainstHostWithoutPath() throws PlaylistException {
        assertEquals("https://h.example/seg.ts", new UriResolver(URI.create("https://h.example")).resolve("seg.ts", 1));
    }

    @Test
    void refusesHttpUriWithoutHost() {
        assertEquals("http(s) URI without a host: http:g",
                assertThrows(PlaylistException.class, () -> RFC_BASE.resolve("http:g", 2)).reason());
    }

    @Test
    void refusesWhatJavaNetUriRefuses() {
        assertEquals("not a valid URI (Illegal character in path at index 14): http://a/b/c/a b",
                assertThrows(PlaylistException.class, () -> RFC_BASE.resolve("a b", 2)).reason());
    }

    @Test
    void acceptsWhatOnlyJavaNetUriVouchesFor() throws PlaylistException {
        assertEquals("http://[::1]:8080/caf\u00e9.ts", RFC_BASE.resolve("http://[::1]:8080/caf\u00e9.ts", 1));
        assertEquals("http://a/b/c/caf\u00e9.ts", RFC_BASE.resolve("caf\u00e9.ts", 1));
    }

    @Test
    void refusesReferenceWithInvalidScheme() {
        assertEquals(4, assertThrows(PlaylistException.class, () -> RFC_BASE.resolve("1x:y", 4)).line());
    }

    @Test
    void refusesNonHttpPlaylistUrl() {
        assertThrows(IllegalArgumentException.class, () -> new UriResolver(URI.create("file:///tmp/x.m3u8")));
        assertThrows(IllegalArgumentException.class, () -> new UriResolver(URI.create("index.m3u8")));
    }
}
