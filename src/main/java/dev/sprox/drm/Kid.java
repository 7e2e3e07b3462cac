package dev.sprox.drm;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * A CENC key identifier: 16 bytes, as two longs so that equality and hashing are by value. KIDs are not
 * secret (every MPD and init segment carries them), so they may be logged and listed.
 */
public record Kid(long high, long low) {
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    /**
     * Reads the three forms players, packagers and key servers write: 32 hex digits, a UUID with hyphens, or
     * base64url (22 characters, or 24 with padding) of the 16 bytes.
     */
    public static Optional<Kid> parse(String text) {
        String t = text.strip();
        if (t.length() == 32 && isHex(t)) {
            return Optional.of(of(HexFormat.of().parseHex(t)));
        }
        if (t.length() == 36 && t.charAt(8) == '-' && t.charAt(13) == '-' && t.charAt(18) == '-'
                && t.charAt(23) == '-' && isHex(t.replace("-", ""))) {
            return Optional.of(of(HexFormat.of().parseHex(t.replace("-", ""))));
        }
        if (t.length() == 22 || (t.length() == 24 && t.endsWith("=="))) {
            try {
                byte[] bytes = Base64.getUrlDecoder().decode(t);
                return bytes.length == 16 ? Optional.of(of(bytes)) : Optional.empty();
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    static Kid of(byte[] bytes) {
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = high << 8 | (bytes[i] & 0xFF);
            low = low << 8 | (bytes[i + 8] & 0xFF);
        }
        return new Kid(high, low);
    }

    public byte[] bytes() {
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (high >>> (56 - 8 * i));
            bytes[i + 8] = (byte) (low >>> (56 - 8 * i));
        }
        return bytes;
    }

    /** 32 lower-case hex digits: how sprox writes a KID in logs, metrics and {@code /keys}. */
    public String hex() {
        return HexFormat.of().formatHex(bytes());
    }

    public String uuid() {
        return new UUID(high, low).toString();
    }

    /** Base64url without padding: how W3C ClearKey licence requests and answers write a KID. */
    public String base64Url() {
        return BASE64URL.encodeToString(bytes());
    }

    private static boolean isHex(String text) {
        return text.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F');
    }

    @Override
    public String toString() {
        return hex();
    }
}
