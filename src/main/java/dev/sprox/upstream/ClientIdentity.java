package dev.sprox.upstream;

import dev.sprox.config.UpstreamTlsConfig.ClientCertificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.spec.InvalidKeySpecException;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

/** The certificate chain and private key sprox presents to origins that ask for a client certificate. */
final class ClientIdentity {

    // Guards an in-memory key store that is never written anywhere, so any fixed value will do.
    private static final char[] IN_MEMORY_PASSWORD = "in-memory".toCharArray();

    private ClientIdentity() {}

    static KeyManager[] keyManagers(ClientCertificate files) throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = PemCertificates.read(files.certificateChain(), "client certificate chain");
        PrivateKey key = matchingKey(files, chain.getFirst().getPublicKey());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("client", key, IN_MEMORY_PASSWORD, chain.toArray(Certificate[]::new));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, IN_MEMORY_PASSWORD);
        return factory.getKeyManagers();
    }

    // Checked here because JSSE would otherwise fail later, mid-handshake, with a message that names no file.
    private static PrivateKey matchingKey(ClientCertificate files, PublicKey certificateKey)
            throws IOException, GeneralSecurityException {
        String description = "client private key";
        var spec = PemPrivateKey.read(files.privateKey(), description);
        String algorithm = certificateKey.getAlgorithm();
        String mismatch = description + " " + files.privateKey() + ": does not match the first certificate in "
                + files.certificateChain();
        PrivateKey key;
        try {
            // The certificate says which kind of key to expect; a key of another kind fails to decode here.
            key = KeyFactory.getInstance(algorithm).generatePrivate(spec);
        } catch (InvalidKeySpecException e) {
            throw new IOException(mismatch + ": that certificate is for an " + algorithm + " key and this is not one", e);
        }
        if (!belongTogether(key, certificateKey)) {
            throw new IOException(mismatch);
        }
        return key;
    }

    private static boolean belongTogether(PrivateKey key, PublicKey publicKey) throws GeneralSecurityException {
        if (key instanceof RSAKey rsaPrivate && publicKey instanceof RSAKey rsaPublic) {
            return rsaPrivate.getModulus().equals(rsaPublic.getModulus());
        }
        // Other key types cannot be compared directly, so sign a challenge and verify it with the certificate's key.
        String signatureAlgorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : key.getAlgorithm();
        byte[] challenge = "sprox client key check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(signatureAlgorithm);
        signer.initSign(key);
        signer.update(challenge);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(signatureAlgorithm);
        verifier.initVerify(publicKey);
        verifier.update(challenge);
        return verifier.verify(signature);
    }
}
