package dev.sprox.upstream;

import dev.sprox.tls.PemCertificates;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** Builds the SSLContext an upstream HttpClient uses, from a route's tls block. */
public final class UpstreamTls {

    private UpstreamTls() {}

    /**
     * Trusts the system's CAs, or only those in {@code caCertificate}, or anything with {@code insecureSkipVerify};
     * presents {@code clientCertificate} when an origin asks; sends and verifies {@code sniHostname} instead of the
     * request URI's host; TLS 1.2 and 1.3 only.
     *
     * @throws IOException when a PEM file is missing, unreadable or holds the wrong thing; the message names it
     */
    public static SSLContext sslContext(UpstreamTlsConfig config) throws GeneralSecurityException, IOException {
        Optional<SNIHostName> serverName = config.sniHostname().map(UpstreamTls::serverName);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers(config), trustManagers(config), null);
        return new UpstreamSslContext(context, serverName);
    }

    private static SNIHostName serverName(String hostname) {
        try {
            return new SNIHostName(hostname);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sniHostname '" + hostname + "' is not a valid host name", e);
        }
    }

    // null lets JSSE use its default: present no client certificate.
    private static KeyManager[] keyManagers(UpstreamTlsConfig config) throws IOException, GeneralSecurityException {
        return config.clientCertificate().isPresent() ? ClientIdentity.keyManagers(config.clientCertificate().get())
                : null;
    }

    private static TrustManager[] trustManagers(UpstreamTlsConfig config)
            throws IOException, GeneralSecurityException {
        if (config.insecureSkipVerify()) {
            return new TrustManager[] {new TrustEverything()};
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        // A null key store means the system's trusted CAs.
        factory.init(config.caCertificate().isPresent() ? trustAnchors(config.caCertificate().get()) : null);
        return factory.getTrustManagers();
    }

    private static KeyStore trustAnchors(Path bundle) throws IOException, GeneralSecurityException {
        List<X509Certificate> authorities = PemCertificates.read(bundle, "CA certificate bundle");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < authorities.size(); i++) {
            store.setCertificateEntry("ca-" + i, authorities.get(i));
        }
        return store;
    }
}
