package dev.sprox.tls;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The certificates one listener serves, in configuration order. SNI chooses among them; a client that sends no
 * name, or a name no entry lists, gets the first one of a suitable key type (the listener's default).
 */
record CertificateSet(List<ServerCertificate> certificates) {

    CertificateSet {
        certificates = List.copyOf(certificates);
    }

    /** Reads and checks every entry; the first that cannot be used fails the whole set, naming its entry. */
    static CertificateSet load(TlsConfig tls, Instant now) throws IOException {
        var loaded = new ArrayList<ServerCertificate>();
        for (int i = 0; i < tls.certificates().size(); i++) {
            TlsConfig.Certificate entry = tls.certificates().get(i);
            String where = "tls.certificates[" + i + "]: ";
            List<CertificateHost> hosts = ServerCertificate.hosts(entry.hosts())
                    .orElseThrow(() -> new IOException(where + "hosts: not a host name or wildcard"));
            try {
                loaded.add(ServerCertificate.load(entry, hosts, now));
            } catch (IOException e) {
                throw new IOException(where + e.getMessage(), e);
            }
        }
        return new CertificateSet(loaded);
    }

    /** The index of the certificate for {@code serverName} (absent: no SNI) with a key of {@code keyType}. */
    Optional<Integer> choose(String keyType, Optional<String> serverName) {
        if (serverName.isPresent()) {
            for (int i = 0; i < certificates.size(); i++) {
                ServerCertificate candidate = certificates.get(i);
                if (candidate.keyType().equals(keyType) && candidate.serves(serverName.get())) {
                    return Optional.of(i);
                }
            }
        }
        for (int i = 0; i < certificates.size(); i++) {
            if (certificates.get(i).keyType().equals(keyType)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** When each configured host's certificate expires: the first entry listing a host is the one served. */
    Map<String, Instant> expiryByHost() {
        var expiry = new LinkedHashMap<String, Instant>();
        for (ServerCertificate certificate : certificates) {
            for (CertificateHost host : certificate.hosts()) {
                expiry.putIfAbsent(host.name(), certificate.notAfter());
            }
        }
        return expiry;
    }
}
