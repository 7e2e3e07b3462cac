package dev.sprox.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.Optional;

/**
 * A certificate chain and the private key of its first certificate, read from PEM files and checked to belong
 * together: the key matches the leaf, and each certificate is issued by the next. Both are checked here because
 * JSSE would otherwise fail later, mid-handshake, with a message that names no file.
 */
public record CertifiedKey(List<X509Certificate> chain, PrivateKey key) {

    public CertifiedKey {
        chain = List.copyOf(chain);
    }

    public X509Certificate leaf() {
        return chain.getFirst();
    }

    /** Which of the two files a load failure is about, so configuration problems point at the right key. */
    public enum File { CERTIFICATE, PRIVATE_KEY }

    /** A file that could not be used, and why; the message names the file. */
    public static final class Refused extends IOException {
        private final File file;

        Refused(File file, String message, Throwable cause) {
            super(message, cause);
            this.file = file;
        }

        public File file() {
            return file;
        }
    }

    /**
     * @param what     what the pair is for, e.g. "client" or "server": file descriptions start with it
     * @param password decrypts an encrypted PKCS#8 key
     */
    public static CertifiedKey load(Path chainFile, Path keyFile, Optional<char[]> password, String what)
            throws Refused {
        List<X509Certificate> chain;
        try {
            chain = PemCertificates.read(chainFile, what + " certificate chain");
            checkOrder(chain, chainFile, what);
        } catch (Refused e) {
            throw e;
        } catch (IOException | GeneralSecurityException e) {
            throw new Refused(File.CERTIFICATE, e.getMessage(), e);
        }
        String description = what + " private key";
        PKCS8EncodedKeySpec spec;
        try {
            spec = PemPrivateKey.read(keyFile, description, password);
        } catch (IOException e) {
            throw new Refused(File.PRIVATE_KEY, e.getMessage(), e);
        }
        PublicKey certificateKey = chain.getFirst().getPublicKey();
        String algorithm = certificateKey.getAlgorithm();
        String mismatch = description + " " + keyFile + ": does not match the first certificate in " + chainFile;
        try {
            // The certificate says which kind of key to expect; a key of another kind fails to decode here.
            PrivateKey key = KeyFactory.getInstance(algorithm).generatePrivate(spec);
            if (!belongTogether(key, certificateKey)) {
                throw new Refused(File.PRIVATE_KEY, mismatch, null);
            }
            return new CertifiedKey(chain, key);
        } catch (InvalidKeySpecException e) {
            throw new Refused(File.PRIVATE_KEY, mismatch + ": that certificate is for an " + algorithm
                    + " key and this is not one", e);
        } catch (GeneralSecurityException e) {
            throw new Refused(File.PRIVATE_KEY, description + " " + keyFile + ": " + e.getMessage(), e);
        }
    }

    // RFC 8446 §4.4.2: each certificate certifies the one before it, so peers can build the path in order.
    private static void checkOrder(List<X509Certificate> chain, Path chainFile, String what) throws Refused {
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate subject = chain.get(i);
            X509Certificate issuer = chain.get(i + 1);
            boolean issued = subject.getIssuerX500Principal().equals(issuer.getSubjectX500Principal());
            if (issued) {
                try {
                    subject.verify(issuer.getPublicKey());
                } catch (GeneralSecurityException e) {
                    issued = false;
                }
            }
            if (!issued) {
                throw new Refused(File.CERTIFICATE, what + " certificate chain " + chainFile + ": certificate "
                        + (i + 2) + " (" + issuer.getSubjectX500Principal() + ") did not issue certificate " + (i + 1)
                        + " (" + subject.getSubjectX500Principal() + "); the chain must start with the "
                        + "certificate and continue with each issuer in turn", null);
            }
        }
    }

    private static boolean belongTogether(PrivateKey key, PublicKey publicKey) throws GeneralSecurityException {
        if (key instanceof RSAKey rsaPrivate && publicKey instanceof RSAKey rsaPublic) {
            return rsaPrivate.getModulus().equals(rsaPublic.getModulus());
        }
        // Other key types cannot be compared directly, so sign a challenge and verify it with the certificate's key.
        String signatureAlgorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : key.getAlgorithm();
        byte[] challenge = "sprox key check".getBytes(StandardCharsets.US_ASCII);
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
