package dev.sprox.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TlsPolicyTest {

    @Test
    void allowsOnlyTls13And12() {
        assertEquals(Optional.empty(), TlsPolicy.refuseProtocol("TLSv1.3"));
        assertEquals(Optional.empty(), TlsPolicy.refuseProtocol("TLSv1.2"));
        for (String weak : new String[] {"SSLv3", "TLSv1", "TLSv1.1", "SSLv2Hello"}) {
            assertTrue(TlsPolicy.refuseProtocol(weak).orElseThrow().contains("deprecated and insecure"), weak);
        }
        assertTrue(TlsPolicy.refuseProtocol("TLSv1.4").orElseThrow().startsWith("unknown protocol"));
    }

    @Test
    void everyDefaultSuiteIsAllowed() {
        for (String suite : TlsPolicy.DEFAULT_CIPHER_SUITES) {
            assertEquals(Optional.empty(), TlsPolicy.refuseCipherSuite(suite), suite);
        }
    }

    @Test
    void refusesEachKindOfWeakSuiteSayingWhy() {
        assertReason("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "CBC");
        assertReason("SSL_RSA_WITH_RC4_128_SHA", "cipher is broken");
        assertReason("SSL_RSA_WITH_3DES_EDE_CBC_SHA", "cipher is broken");
        assertReason("TLS_RSA_WITH_NULL_SHA256", "does not encrypt");
        assertReason("SSL_RSA_EXPORT_WITH_RC4_40_MD5", "export-grade");
        assertReason("TLS_ECDH_anon_WITH_AES_128_CBC_SHA", "anonymous");
        assertReason("TLS_RSA_WITH_AES_256_GCM_SHA384", "not forward-secret");
        assertReason("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "not forward-secret ECDHE");
        assertReason("NOT_A_SUITE", "unknown cipher suite");
    }

    private static void assertReason(String suite, String reason) {
        String why = TlsPolicy.refuseCipherSuite(suite).orElseThrow(() -> new AssertionError(suite + " allowed"));
        assertTrue(why.contains(reason), suite + ": " + why);
    }

    @Test
    void aTls12OnlyListGetsTheTls13SuitesInFront() {
        assertEquals(List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
                TlsPolicy.withTls13Suites(List.of("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")));
        assertEquals(List.of("TLS_AES_256_GCM_SHA384"), TlsPolicy.withTls13Suites(List.of("TLS_AES_256_GCM_SHA384")));
    }
}
