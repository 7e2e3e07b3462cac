package dev.sprox.tls;

import dev.sprox.security.Secret;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A certificate a TLS listener serves, with the host names it is chosen for. Loading one checks everything a
 * client would otherwise find out mid-handshake: key and chain belong together, every certificate of the chain
 * is within its validity period, and every configured host is covered by the certificate's names.
 */
public record ServerCertificate(List<CertificateHost> hosts, CertifiedKey key) {

    public ServerCertificate {
        hosts = List.copyOf(hosts);
    }

    /** A configured host the certificate does not cover; {@code index} is its place in {@code hosts}. */
    public static final class HostNotCovered extends IOException {
        private final int index;

        HostNotCovered(int index, String message) {
            super(message);
            this.index = index;
        }

        public int index() {
            return index;
        }
    }

    /**
     * @param hosts the entry's hosts, already parsed
     * @throws CertifiedKey.Refused when a file cannot be used or a certificate is outside its validity period
     * @throws HostNotCovered       when a host is not among the certificate's names
     */
    public static ServerCertificate load(TlsConfig.Certificate entry, List<CertificateHost> hosts, Instant now)
            throws CertifiedKey.Refused, HostNotCovered {
        CertifiedKey key = CertifiedKey.load(entry.certificatePath(), entry.privateKeyPath(),
                entry.privateKeyPassword().map(Secret::value).map(String::toCharArray), "server");
        List<X509Certificate> chain = key.chain();
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate certificate = chain.get(i);
            String which = "certificate " + (i + 1) + " (" + certificate.getSubjectX500Principal() + ") in "
                    + entry.certificatePath();
            if (now.isAfter(certificate.getNotAfter().toInstant())) {
                throw new CertifiedKey.Refused(CertifiedKey.File.CERTIFICATE,
                        which + " expired on " + certificate.getNotAfter().toInstant(), null);
            }
            if (now.isBefore(certificate.getNotBefore().toInstant())) {
                throw new CertifiedKey.Refused(CertifiedKey.File.CERTIFICATE,
                        which + " is not valid before " + certificate.getNotBefore().toInstant(), null);
            }
        }
        for (int i = 0; i < hosts.size(); i++) {
            if (!hosts.get(i).coveredBy(key.leaf())) {
                throw new HostNotCovered(i, "\"" + hosts.get(i).name() + "\" is not covered by the certificate in "
                        + entry.certificatePath() + ", whose DNS names are " + CertificateHost.dnsNames(key.leaf()));
            }
        }
        return new ServerCertificate(hosts, key);
    }

    /** Parses the configured names; empty when one is not a host name or wildcard. */
    public static Optional<List<CertificateHost>> hosts(List<String> names) {
        List<Optional<CertificateHost>> parsed = names.stream().map(CertificateHost::parse).toList();
        return parsed.stream().allMatch(Optional::isPresent)
                ? Optional.of(parsed.stream().map(Optional::orElseThrow).toList())
                : Optional.empty();
    }

    public Instant notAfter() {
        return key.leaf().getNotAfter().toInstant();
    }

    /** The public key algorithm JSSE asks for when choosing a certificate: "RSA", "EC", ... */
    String keyType() {
        return key.leaf().getPublicKey().getAlgorithm();
    }

    boolean serves(String serverName) {
        return hosts.stream().anyMatch(host -> host.matches(serverName));
    }
}
