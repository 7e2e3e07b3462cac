package dev.sprox.testing;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Bodies for tests that move many bytes: made from their position, and checked by digest. */
public final class TestBytes {
    private TestBytes() {
    }

    /** Deterministic, incompressible-looking bytes: position {@code i} holds a mix of {@code i}. */
    public static void fill(byte[] block, long offset) {
        for (int i = 0; i < block.length; i++) {
            long x = (offset + i) * 0x9E3779B97F4A7C15L;
            block[i] = (byte) (x >>> 56);
        }
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(InputStream in) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
