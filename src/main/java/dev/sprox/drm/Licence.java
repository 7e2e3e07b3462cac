package dev.sprox.drm;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The ClearKey licence answer, a JSON Web Key Set (W3C EME §9.1.4): written straight into one array of exactly
 * the right size, so no growing buffer leaves copies of the keys behind; whoever sends the array wipes it.
 */
final class Licence {
    private static final byte[] START = ascii("{\"keys\":[");
    private static final byte[] KID = ascii("{\"kty\":\"oct\",\"kid\":\"");
    private static final byte[] KEY = ascii("\",\"k\":\"");
    private static final byte[] KEY_END = ascii("\"}");
    private static final byte[] END = ascii("],\"type\":\"temporary\"}");
    private static final int PER_KEY = KID.length + ContentKey.BASE64URL_LENGTH + KEY.length
            + ContentKey.BASE64URL_LENGTH + KEY_END.length;

    private Licence() {}

    /** A key going out in this answer; the caller closes it. */
    record Issued(Kid kid, ContentKey key) {}

    static byte[] json(List<Issued> keys) {
        byte[] out = new byte[START.length + keys.size() * PER_KEY + Math.max(0, keys.size() - 1) + END.length];
        int at = put(out, 0, START);
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            at = put(out, at, KID);
            at = put(out, at, ascii(keys.get(i).kid().base64Url()));
            at = put(out, at, KEY);
            at = keys.get(i).key().writeBase64Url(out, at);
            at = put(out, at, KEY_END);
        }
        put(out, at, END);
        return out;
    }

    private static int put(byte[] out, int at, byte[] part) {
        System.arraycopy(part, 0, out, at, part.length);
        return at + part.length;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
