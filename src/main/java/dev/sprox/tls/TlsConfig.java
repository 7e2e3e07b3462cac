package dev.sprox.tls;

import dev.sprox.security.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * TLS on a listener: its certificates, chosen by SNI, and how handshakes are made.
 *
 * @param certificates      in configuration order; the first is served when SNI names no configured host
 * @param watchForChanges   reload certificates when their files change, without a restart
 * @param recheckInterval   how often watched files are compared by content, in case a change event was missed
 * @param expiryWarningDays a certificate expiring within this many days is logged as a warning
 * @param protocols         TLS versions offered, strongest first
 * @param cipherSuites      JSSE cipher suite names, in the server's order of preference
 */
public record TlsConfig(List<Certificate> certificates, boolean watchForChanges, Duration recheckInterval,
                        int expiryWarningDays, List<String> protocols, List<String> cipherSuites,
                        Session session, Optional<Hsts> hsts, Optional<Acme> acme) {

    public TlsConfig {
        certificates = List.copyOf(certificates);
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
    }

    /**
     * One {@code tls.certificates[]} entry.
     *
     * @param hosts               exact names and one-label wildcards ({@code *.example.com}) served with it
     * @param privateKeyPassword  decrypts an encrypted PKCS#8 key
     */
    public record Certificate(List<String> hosts, Path certificatePath, Path privateKeyPath,
                              Optional<Secret> privateKeyPassword) {
        public Certificate {
            hosts = List.copyOf(hosts);
        }
    }

    /**
     * Session resumption.
     *
     * @param tickets stateless resumption (RFC 5077 tickets in TLS 1.2, ticket-carried PSKs in TLS 1.3); without
     *                them sessions are resumed from the server's cache
     */
    public record Session(int cacheSize, long timeoutSecs, boolean tickets) {
        public static final Session DEFAULT = new Session(20_480, Duration.ofHours(24).toSeconds(), true);
    }

    /** {@code Strict-Transport-Security} on every response of the listener (RFC 6797). */
    public record Hsts(long maxAgeSecs, boolean includeSubdomains, boolean preload) {

        public String headerValue() {
            return "max-age=" + maxAgeSecs + (includeSubdomains ? "; includeSubDomains" : "")
                    + (preload ? "; preload" : "");
        }
    }

    /** @param cachePath a directory sprox creates (owner-only) for ACME clients; challenges live in its webroot */
    public record Acme(Path cachePath) {

        /** What {@code certbot --webroot -w} or {@code lego --http.webroot} is given. */
        public Path webroot() {
            return cachePath.resolve("webroot");
        }
    }
}
