package dev.sprox.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The one private key of a PEM file, as PKCS#8 whichever usual form it is written in: PKCS#8
 * ({@code PRIVATE KEY}), encrypted PKCS#8 ({@code ENCRYPTED PRIVATE KEY}, with a password), PKCS#1
 * ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}). Certificate blocks are skipped, so a combined
 * certificate-and-key file works too.
 */
final class PemPrivateKey {

    private static final Set<String> KEY_LABELS = Set.of("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY",
            "ENCRYPTED PRIVATE KEY");

    private PemPrivateKey() {}

    /** @param password decrypts an {@code ENCRYPTED PRIVATE KEY}; ignored for unencrypted keys */
    static PKCS8EncodedKeySpec read(Path path, String description, Optional<char[]> password) throws IOException {
        PemFile file = PemFile.read(path, description);
        List<PemFile.Block> keys = file.blocks().stream().filter(block -> KEY_LABELS.contains(block.label())).toList();
        if (keys.isEmpty()) {
            throw file.problem("no private key block (expected -----BEGIN PRIVATE KEY-----, "
                    + "-----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)");
        }
        if (keys.size() > 1) {
            throw file.problem(keys.size() + " private key blocks; expected exactly one");
        }
        PemFile.Block key = keys.getFirst();
        if (isTraditionallyEncrypted(key)) {
            throw file.problem("the private key is encrypted the traditional OpenSSL way, which is not supported; "
                    + "convert it to encrypted PKCS#8 with `openssl pkcs8 -topk8 -in <key> -out <new key>`");
        }
        if (key.label().equals("ENCRYPTED PRIVATE KEY")) {
            return decrypt(file, key.content(), password.orElseThrow(() -> file.problem(
                    "the private key is encrypted and no password is configured")));
        }
        try {
            return new PKCS8EncodedKeySpec(switch (key.label()) {
                case "RSA PRIVATE KEY" -> Pkcs8.fromPkcs1Rsa(key.content());
                case "EC PRIVATE KEY" -> Pkcs8.fromSec1Ec(key.content());
                default -> key.content();
            });
        } catch (IOException e) {
            throw file.problem(e.getMessage(), e);
        }
    }

    // PBES2 (OpenSSL's default since 1.1) and the older PBES1 schemes: the JDK names the scheme in getAlgName().
    private static PKCS8EncodedKeySpec decrypt(PemFile file, byte[] encrypted, char[] password) throws IOException {
        EncryptedPrivateKeyInfo info;
        try {
            info = new EncryptedPrivateKeyInfo(encrypted);
        } catch (IOException e) {
            throw file.problem("the encrypted private key is malformed: " + e.getMessage(), e);
        }
        try {
            var secret = SecretKeyFactory.getInstance(info.getAlgName()).generateSecret(new PBEKeySpec(password));
            Cipher cipher = Cipher.getInstance(info.getAlgName());
            cipher.init(Cipher.DECRYPT_MODE, secret, info.getAlgParameters());
            return info.getKeySpec(cipher);
        } catch (java.security.spec.InvalidKeySpecException e) {
            throw file.problem("cannot decrypt the private key: wrong password?", e);
        } catch (GeneralSecurityException e) {
            throw file.problem("cannot decrypt the private key (" + info.getAlgName() + "): " + e.getMessage(), e);
        }
    }

    // Traditional OpenSSL encryption marks the block with RFC 1421 headers.
    private static boolean isTraditionallyEncrypted(PemFile.Block key) {
        return key.headers().stream().anyMatch(header -> header.replace(" ", "").equals("Proc-Type:4,ENCRYPTED"));
    }
}
