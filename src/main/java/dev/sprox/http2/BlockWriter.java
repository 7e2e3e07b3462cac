package dev.sprox.http2;

import java.util.Arrays;

/**
 * The octets of one header block as the encoder writes them. Unlike {@link java.io.ByteArrayOutputStream} it takes
 * no lock per octet and hands its array out instead of a copy, so a connection encodes every block into the same
 * array; only its single writer uses it.
 */
final class BlockWriter {
    private byte[] bytes;
    private int length;

    BlockWriter(int initialSize) {
        this.bytes = new byte[initialSize];
    }

    void write(int octet) {
        if (length == bytes.length) {
            bytes = Arrays.copyOf(bytes, bytes.length * 2);
        }
        bytes[length++] = (byte) octet;
    }

    /** Each char of {@code text} as one octet (ISO-8859-1, as HPACK strings are held here). */
    void writeLatin1(String text) {
        int n = text.length();
        if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
        }
        for (int i = 0; i < n; i++) {
            bytes[length + i] = (byte) text.charAt(i);
        }
        length += n;
    }

    /** The array written so far; valid up to {@link #length()} until the next write or {@link #reset()}. */
    byte[] array() {
        return bytes;
    }

    int length() {
        return length;
    }

    void reset() {
        length = 0;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }
}
