package dev.sprox.drm;

import dev.sprox.security.Redaction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The 16 bytes of one content key, in an array this object owns. Whoever holds a {@code ContentKey} closes it
 * when done, which overwrites the bytes with zeros: a key lives in memory only while something still needs it.
 * Nothing turns it into text except {@link #writeBase64Url}, into an array the caller owns and wipes in turn;
 * {@code toString} shows {@link Redaction#MASK}, so a key cannot reach a log line or an exception message by
 * accident.
 */
public final class ContentKey implements AutoCloseable {
    public static final int LENGTH = 16;
    /** Base64url of 16 bytes, without padding. */
    static final int BASE64URL_LENGTH = 22;
    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                    .getBytes(StandardCharsets.US_ASCII);

    private final byte[] bytes;

    private ContentKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A key written as 32 hex digits or as base64url (22 characters, or 24 with padding) of 16 bytes. */
    public static Optional<ContentKey> parse(String text) {
        String t = text.strip();
        if (t.length() == 32 && t.chars().allMatch(ContentKey::isHexDigit)) {
            return Optional.of(new ContentKey(HexFormat.of().parseHex(t)));
        }
        if (t.length() == BASE64URL_LENGTH || (t.length() == 24 && t.endsWith("=="))) {
            try {
                byte[] decoded = Base64.getUrlDecoder().decode(t);
                if (decoded.length == LENGTH) {
                    return Optional.of(new ContentKey(decoded));
                }
                Arrays.fill(decoded, (byte) 0);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * The base64url characters {@code chars[offset, offset + 22)} decoded into a key, or empty when they are not
     * 16 bytes' worth. Reads the characters in place, so the text of a key never becomes a {@code String}.
     */
    static Optional<ContentKey> decodeBase64Url(char[] chars, int offset, int length) {
        int end = offset + length;
        if (length == 24 && chars[end - 1] == '=' && chars[end - 2] == '=') {
            end -= 2;
        }
        if (end - offset != BASE64URL_LENGTH) {
            return Optional.empty();
        }
        byte[] key = new byte[LENGTH];
        int bits = 0;
        int held = 0;
        int written = 0;
        for (int i = offset; i < end; i++) {
            int value = sextet(chars[i]);
            if (value < 0) {
                Arrays.fill(key, (byte) 0);
                return Optional.empty();
            }
            bits = bits << 6 | value;
            held += 6;
            if (held >= 8) {
                held -= 8;
                key[written++] = (byte) (bits >>> held);
                bits &= (1 << held) - 1;
            }
        }
        // 22 characters carry 132 bits: the 4 left over must be zero, else another text would mean the same key.
        if (bits != 0) {
            Arrays.fill(key, (byte) 0);
            return Optional.empty();
        }
        return Optional.of(new ContentKey(key));
    }

    /** Takes ownership of {@code bytes} (16 of them). */
    static ContentKey wrap(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a content key is " + LENGTH + " bytes");
        }
        return new ContentKey(bytes);
    }

    /** A copy with an array of its own, for a holder that will close it independently. */
    public ContentKey copy() {
        return new ContentKey(bytes.clone());
    }

    /** Writes the key as 22 base64url characters into {@code target} at {@code offset}; returns the end. */
    int writeBase64Url(byte[] target, int offset) {
        int out = offset;
        int bits = 0;
        int held = 0;
        for (byte b : bytes) {
            bits = bits << 8 | (b & 0xFF);
            held += 8;
            while (held >= 6) {
                held -= 6;
                target[out++] = ALPHABET[(bits >>> held) & 0x3F];
            }
            bits &= (1 << held) - 1;
        }
        if (held > 0) {
            target[out++] = ALPHABET[(bits << (6 - held)) & 0x3F];
        }
        return out;
    }

    /** The owned array itself, for the store's tests to see it wiped. */
    byte[] material() {
        return bytes;
    }

    /** Overwrites the bytes with zeros; the key is useless afterwards. Closing twice is harmless. */
    @Override
    public void close() {
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public String toString() {
        return Redaction.MASK;
    }

    private static boolean isHexDigit(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static int sextet(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : c == '_' ? 63 : -1;
    }
}
