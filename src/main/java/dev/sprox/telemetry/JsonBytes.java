package dev.sprox.telemetry;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A JSON text built straight as UTF-8 bytes, reused line after line: a log line costs no intermediate
 * {@code StringBuilder}, {@code String} or encoded copy of either.
 */
final class JsonBytes {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private byte[] bytes;
    private int size;

    JsonBytes(int capacity) {
        bytes = new byte[capacity];
    }

    /** Text that needs no escaping and is ASCII: keys, punctuation, numbers, the timestamp. */
    JsonBytes ascii(String text) {
        room(text.length());
        for (int i = 0; i < text.length(); i++) {
            bytes[size + i] = (byte) text.charAt(i);
        }
        size += text.length();
        return this;
    }

    JsonBytes ascii(char c) {
        return put(c);
    }

    /** RFC 8259 §7: quote, backslash and control characters escaped; the rest as UTF-8, a lone surrogate as '?'. */
    JsonBytes escaped(String text) {
        int n = text.length();
        room(n);
        int plain = 0;
        while (plain < n) {
            char c = text.charAt(plain);
            if (!plain(c)) {
                break;
            }
            bytes[size + plain++] = (byte) c;
        }
        size += plain;
        // The rest, from the first character that is escaped or not ASCII.
        for (int i = plain; i < n; i++) {
            char c = text.charAt(i);
            if (plain(c)) {
                put(c);
                continue;
            }
            switch (c) {
                case '"' -> ascii("\\\"");
                case '\\' -> ascii("\\\\");
                case '\n' -> ascii("\\n");
                case '\r' -> ascii("\\r");
                case '\t' -> ascii("\\t");
                default -> {
                    if (c < 0x20) {
                        ascii("\\u00").put(HEX[c >> 4 & 0xF]).put(HEX[c & 0xF]);
                    } else if (c < 0x800) {
                        put(0xC0 | c >> 6).put(0x80 | c & 0x3F);
                    } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        int code = Character.toCodePoint(c, text.charAt(++i));
                        put(0xF0 | code >> 18).put(0x80 | code >> 12 & 0x3F).put(0x80 | code >> 6 & 0x3F)
                                .put(0x80 | code & 0x3F);
                    } else if (Character.isSurrogate(c)) {
                        put('?');
                    } else {
                        put(0xE0 | c >> 12).put(0x80 | c >> 6 & 0x3F).put(0x80 | c & 0x3F);
                    }
                }
            }
        }
        return this;
    }

    JsonBytes number(long value) {
        return ascii(Long.toString(value));
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    void writeTo(PrintStream out) {
        out.write(bytes, 0, size);
    }

    /** Drops what was appended after the first {@code length} bytes. */
    void truncate(int length) {
        size = length;
    }

    void reset() {
        size = 0;
    }

    /** ASCII that JSON takes as it is. */
    private static boolean plain(char c) {
        return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
    }

    private JsonBytes put(int b) {
        room(1);
        bytes[size++] = (byte) b;
        return this;
    }

    private void room(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
