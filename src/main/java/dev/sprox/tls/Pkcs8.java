package dev.sprox.tls;

import java.io.IOException;
import java.util.HexFormat;
import java.util.List;

/**
 * Wraps the traditional OpenSSL key encodings (PKCS#1 RSA, SEC1 EC) in the PKCS#8 {@code PrivateKeyInfo} that
 * the JDK's {@code KeyFactory} reads.
 *
 * <pre>
 * PrivateKeyInfo ::= SEQUENCE { version INTEGER (0), algorithm AlgorithmIdentifier, privateKey OCTET STRING }
 * </pre>
 * The traditional key goes into {@code privateKey} unchanged; only the algorithm identifier is added.
 */
final class Pkcs8 {

    private static final byte[] VERSION_0 = {Der.INTEGER, 1, 0};
    private static final byte[] DER_NULL = {0x05, 0};
    // Complete OBJECT IDENTIFIER elements: rsaEncryption 1.2.840.113549.1.1.1 and id-ecPublicKey 1.2.840.10045.2.1.
    private static final byte[] RSA_ENCRYPTION = HexFormat.of().parseHex("06092a864886f70d010101");
    private static final byte[] EC_PUBLIC_KEY = HexFormat.of().parseHex("06072a8648ce3d0201");

    private Pkcs8() {}

    /** From {@code -----BEGIN RSA PRIVATE KEY-----}: the algorithm is rsaEncryption with NULL parameters (RFC 8017 A.1). */
    static byte[] fromPkcs1Rsa(byte[] rsaPrivateKey) {
        return privateKeyInfo(Der.element(Der.SEQUENCE, RSA_ENCRYPTION, DER_NULL), rsaPrivateKey);
    }

    /**
     * From {@code -----BEGIN EC PRIVATE KEY-----}. PKCS#8 names the curve in the algorithm identifier, so it is
     * copied from the SEC1 key's own {@code [0] parameters} (RFC 5915 section 3, RFC 5480 section 2.1.1).
     */
    static byte[] fromSec1Ec(byte[] ecPrivateKey) throws IOException {
        return privateKeyInfo(Der.element(Der.SEQUENCE, EC_PUBLIC_KEY, namedCurve(ecPrivateKey)), ecPrivateKey);
    }

    private static byte[] privateKeyInfo(byte[] algorithmIdentifier, byte[] traditionalKey) {
        return Der.element(Der.SEQUENCE, VERSION_0, algorithmIdentifier, Der.element(Der.OCTET_STRING, traditionalKey));
    }

    // ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING, [0] parameters OPTIONAL, [1] publicKey OPTIONAL }
    private static byte[] namedCurve(byte[] ecPrivateKey) throws IOException {
        Der.Element key = Der.parse(ecPrivateKey);
        if (key.tag() != Der.SEQUENCE) {
            throw new IOException("not an EC private key (SEC1 structure expected)");
        }
        for (Der.Element field : Der.children(key.content())) {
            if (field.tag() == Der.CONTEXT_0) {
                List<Der.Element> parameters = Der.children(field.content());
                if (parameters.size() != 1 || parameters.getFirst().tag() != Der.OBJECT_IDENTIFIER) {
                    throw new IOException("EC key with explicit curve parameters; only named curves are supported");
                }
                return parameters.getFirst().encoded();
            }
        }
        throw new IOException("EC key does not name its curve; convert it with `openssl pkcs8 -topk8 -nocrypt`");
    }
}
