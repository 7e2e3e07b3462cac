package dev.sprox.tls;

import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * What a TLS listener may offer: the defaults, and the one place that says which configured protocols and
 * cipher suites are too weak to allow. Modern means TLS 1.3 and 1.2 only, and for 1.2 forward-secret ECDHE key
 * exchange with an AEAD cipher (AES-GCM or ChaCha20-Poly1305), as in Mozilla's "intermediate" profile.
 */
public final class TlsPolicy {

    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** TLS 1.3's suites first (all are AEAD), then the short TLS 1.2 list, ECDSA before RSA, 128-bit first. */
    public static final List<String> DEFAULT_CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** ALPN, in the server's order of preference: h2 where the listener enables HTTP/2, then HTTP/1.1. */
    public static final List<String> APPLICATION_PROTOCOLS = List.of("h2", "http/1.1");

    /**
     * The protocol to answer a client's ALPN offer with: the server's preference wins (RFC 7301 §3.2); null when
     * nothing offered is spoken here, which ends the handshake with {@code no_application_protocol}.
     */
    public static String applicationProtocol(List<String> offered, boolean http2) {
        for (String protocol : APPLICATION_PROTOCOLS) {
            if (offered.contains(protocol) && (http2 || !protocol.equals("h2"))) {
                return protocol;
            }
        }
        return null;
    }

    private static final Set<String> ALLOWED_PROTOCOLS = Set.copyOf(DEFAULT_PROTOCOLS);
    private static final Set<String> WEAK_PROTOCOLS = Set.of("SSLv2Hello", "SSLv3", "TLSv1", "TLSv1.1");
    private static final Pattern TLS13_SUITE = Pattern.compile("TLS_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|"
            + "CHACHA20_POLY1305_SHA256)");
    private static final Pattern MODERN_TLS12_SUITE = Pattern.compile(
            "TLS_ECDHE_(ECDSA|RSA)_WITH_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256)");

    private TlsPolicy() {}

    /** Why {@code protocol} may not be configured; empty when it may. */
    public static Optional<String> refuseProtocol(String protocol) {
        if (ALLOWED_PROTOCOLS.contains(protocol)) {
            return Optional.empty();
        }
        if (WEAK_PROTOCOLS.contains(protocol)) {
            return Optional.of(protocol + " is deprecated and insecure (RFC 8996); use TLSv1.3 and TLSv1.2");
        }
        return Optional.of("unknown protocol \"" + protocol + "\"; expected TLSv1.3 or TLSv1.2");
    }

    /** Why {@code suite} may not be configured; empty when it may. */
    public static Optional<String> refuseCipherSuite(String suite) {
        if (TLS13_SUITE.matcher(suite).matches() || MODERN_TLS12_SUITE.matcher(suite).matches()) {
            return supported(suite) ? Optional.empty()
                    : Optional.of(suite + " is not supported by this Java runtime");
        }
        if (!supported(suite) && !suite.startsWith("TLS_") && !suite.startsWith("SSL_")) {
            return Optional.of("unknown cipher suite \"" + suite + "\" (JSSE names such as "
                    + "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 are expected)");
        }
        return Optional.of(suite + " is refused: " + weakness(suite));
    }

    /**
     * A configured list as JSSE needs it: TLS 1.3 has its own three suites, all strong, and a list without any
     * would silently turn TLS 1.3 off; so when none is listed they are added in front of the TLS 1.2 ones.
     */
    public static List<String> withTls13Suites(List<String> configured) {
        if (configured.stream().anyMatch(suite -> TLS13_SUITE.matcher(suite).matches())) {
            return List.copyOf(configured);
        }
        var suites = new java.util.ArrayList<>(DEFAULT_CIPHER_SUITES.subList(0, 3));
        suites.addAll(configured);
        return List.copyOf(suites);
    }

    private static String weakness(String suite) {
        if (suite.contains("_anon_")) {
            return "anonymous key exchange authenticates nobody";
        }
        if (suite.contains("_NULL_") || suite.endsWith("_NULL")) {
            return "it does not encrypt";
        }
        if (suite.contains("EXPORT")) {
            return "export-grade cryptography is breakable";
        }
        if (suite.contains("RC4") || suite.contains("3DES") || suite.contains("_DES_")) {
            return "its cipher is broken";
        }
        if (suite.contains("_CBC_")) {
            return "CBC modes in TLS have a long history of padding-oracle attacks; use AES-GCM or ChaCha20-Poly1305";
        }
        if (!suite.startsWith("TLS_ECDHE_")) {
            return "its key exchange is not forward-secret ECDHE";
        }
        return "only ECDHE with AES-GCM or ChaCha20-Poly1305 is allowed for TLS 1.2";
    }

    private static boolean supported(String suite) {
        try {
            return List.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites()).contains(suite);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the Java runtime has no default TLS context", e);
        }
    }
}
