package dev.sprox.upstream;

import java.io.IOException;
import java.nio.file.Path;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.Set;

/**
 * The one unencrypted private key of a PEM file, as PKCS#8 whichever usual form it is written in: PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}). Certificate blocks
 * are skipped, so a combined certificate-and-key file works too.
 */
final class PemPrivateKey {

    private static final Set<String> KEY_LABELS = Set.of("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY",
            "ENCRYPTED PRIVATE KEY");

    private PemPrivateKey() {}

    static PKCS8EncodedKeySpec read(Path path, String description) throws IOException {
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
        if (isEncrypted(key)) {
            throw file.problem("the private key is encrypted, which is not supported; "
                    + "decrypt it with `openssl pkey -in <key> -out <unencrypted key>`");
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

    // PKCS#8 encryption has its own label; traditional OpenSSL encryption marks the block with RFC 1421 headers.
    private static boolean isEncrypted(PemFile.Block key) {
        return key.label().equals("ENCRYPTED PRIVATE KEY")
                || key.headers().stream().anyMatch(header -> header.replace(" ", "").equals("Proc-Type:4,ENCRYPTED"));
    }
}
