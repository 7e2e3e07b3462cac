package dev.sprox.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CertificateHostTest {

    private static CertificateHost host(String text) {
        return CertificateHost.parse(text).orElseThrow();
    }

    @Test
    void exactNamesMatchIgnoringCaseAndATrailingDot() {
        assertTrue(host("Vod.Example.com").matches("vod.example.COM."));
        assertFalse(host("vod.example.com").matches("www.vod.example.com"));
    }

    @Test
    void aWildcardMatchesExactlyOneMoreLabel() {
        CertificateHost wildcard = host("*.vod.example.com");
        assertTrue(wildcard.matches("a.vod.example.com"));
        assertFalse(wildcard.matches("vod.example.com"));
        assertFalse(wildcard.matches("a.b.vod.example.com"));
        assertFalse(wildcard.matches("avod.example.com"));
    }

    @Test
    void refusesWhatIsNotAHostNameOrALeadingWildcard() {
        for (String text : new String[] {"", "*", "a.*.example.com", "*example.com", "exa mple.com", "-a.example.com",
            "a..example.com", "*.*.example.com"}) {
            assertEquals(Optional.empty(), CertificateHost.parse(text), text);
        }
    }
}
