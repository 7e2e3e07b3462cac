package dev.sprox.mp4;

import java.nio.charset.StandardCharsets;

/** Four-character codes (box types, sample entry formats, scheme types) as the Strings boxes are named by. */
public final class FourCc {
    private FourCc() {}

    public static String of(int value) {
        return new String(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8),
                (byte) value}, StandardCharsets.ISO_8859_1);
    }

    public static int value(String code) {
        byte[] bytes = code.getBytes(StandardCharsets.ISO_8859_1);
        if (bytes.length != 4) {
            throw new IllegalArgumentException("a four-character code has four characters: " + code);
        }
        return (bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8 | bytes[3] & 0xFF;
    }
}
