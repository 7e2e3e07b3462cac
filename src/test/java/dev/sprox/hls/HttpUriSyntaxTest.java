package dev.sprox.hls;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HttpUriSyntaxTest {

    @Test
    void vouchesForCommonSegmentUrls() {
        assertTrue(HttpUriSyntax.isPlainAbsoluteHttp("https://cdn.example.com:8443/v/seg_001.ts?t=a%2Fb&x=1#f"));
        assertTrue(HttpUriSyntax.isPlainAbsoluteHttp("HTTP://user:pw@h/a;b=c/~d(e)*'!$+,"));
        assertTrue(HttpUriSyntax.isPlainAbsoluteHttp("http://h"));
    }

    @Test
    void leavesEverythingElseToJavaNetUri() {
        for (String uri : new String[] {"http://[::1]/a", "http:///a", "http://", "http://h/a b", "http://h/%zz", "http://h/%4",
                "http://h/a#b#c", "http://h/é", "http://h/{x}", "http://h/a|b", "ftp://h/a", "http:/h/a", "https:h"}) {
            assertFalse(HttpUriSyntax.isPlainAbsoluteHttp(uri), uri);
        }
    }

    @Test
    void findsWhereAPlainRelativePathEnds() {
        assertEquals(10, HttpUriSyntax.plainRelativePathEnd("seg_001.ts?t=1#x"));
        assertEquals(5, HttpUriSyntax.plainRelativePathEnd("a/b:c"));
        assertEquals(4, HttpUriSyntax.plainRelativePathEnd("../x"));
        for (String reference : new String[] {"", "/abs.ts", "//host/x", "?q", "#f", "a:b", "http://h/x", "a b", "é", "a#b#c", "%2"}) {
            assertEquals(-1, HttpUriSyntax.plainRelativePathEnd(reference), reference);
        }
    }

    /** The promise the rewriter relies on: whatever passes the fast check, java.net.URI accepts. */
    @Test
    void everythingItVouchesForIsAcceptedByJavaNetUri() {
        Random random = new Random(7);
        String alphabet = "aZ09-._~!$&'()*+,;=:@/?#%[] {}|\\^`\"<>é";
        int vouched = 0;
        for (int i = 0; i < 50_000; i++) {
            StringBuilder uri = new StringBuilder(random.nextBoolean() ? "http://" : "HTTPS://");
            for (int length = random.nextInt(24); length > 0; length--) {
                uri.append(random.nextInt(8) == 0 ? "%4a" : String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))));
            }
            String text = uri.toString();
            if (HttpUriSyntax.isPlainAbsoluteHttp(text)) {
                vouched++;
                URI parsed = assertDoesNotThrow(() -> new URI(text), text);
                assertTrue(parsed.getRawAuthority() != null && !parsed.getRawAuthority().isEmpty(), text);
            }
        }
        assertTrue(vouched > 1000, "only " + vouched + " vouched for");
    }
}
