package dev.sprox.upstream;

import dev.sprox.tls.CertifiedKey;
import dev.sprox.upstream.UpstreamTlsConfig.ClientCertificate;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

/** The certificate chain and private key sprox presents to origins that ask for a client certificate. */
final class ClientIdentity {

    // Guards an in-memory key store that is never written anywhere, so any fixed value will do.
    private static final char[] IN_MEMORY_PASSWORD = "in-memory".toCharArray();

    private ClientIdentity() {}

    static KeyManager[] keyManagers(ClientCertificate files) throws IOException, GeneralSecurityException {
        CertifiedKey identity = CertifiedKey.load(files.certificateChain(), files.privateKey(), Optional.empty(),
                "client");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("client", identity.key(), IN_MEMORY_PASSWORD, identity.chain().toArray(Certificate[]::new));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, IN_MEMORY_PASSWORD);
        return factory.getKeyManagers();
    }
}
