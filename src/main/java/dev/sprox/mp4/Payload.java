package dev.sprox.mp4;

import java.util.Arrays;

/** Reads the fields of one box's payload; reading past its end is an {@link Mp4Exception}, never an overrun. */
final class Payload {
    private final byte[] bytes;
    private final String type;
    private int at;

    Payload(String type, byte[] bytes) {
        this.type = type;
        this.bytes = bytes;
    }

    int u8() throws Mp4Exception {
        need(1);
        return bytes[at++] & 0xFF;
    }

    int u16() throws Mp4Exception {
        need(2);
        int value = (bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF;
        at += 2;
        return value;
    }

    int u24() throws Mp4Exception {
        need(3);
        int value = (bytes[at] & 0xFF) << 16 | (bytes[at + 1] & 0xFF) << 8 | bytes[at + 2] & 0xFF;
        at += 3;
        return value;
    }

    long u32() throws Mp4Exception {
        need(4);
        long value = BoxHeader.u32(bytes, at);
        at += 4;
        return value;
    }

    long u64() throws Mp4Exception {
        need(8);
        long value = BoxHeader.u64(bytes, at);
        at += 8;
        return value;
    }

    byte[] bytes(int count) throws Mp4Exception {
        need(count);
        byte[] copy = Arrays.copyOfRange(bytes, at, at + count);
        at += count;
        return copy;
    }

    void skip(int count) throws Mp4Exception {
        need(count);
        at += count;
    }

    int position() {
        return at;
    }

    int remaining() {
        return bytes.length - at;
    }

    /**
     * A count read from the box, checked against what is left: {@code count} entries of at least
     * {@code bytesEach} bytes must fit, so a count of 2^32 in a small box is refused before anything is allocated.
     */
    int entries(long count, int bytesEach, int max) throws Mp4Exception {
        if (count > max || (bytesEach > 0 && count * bytesEach > remaining())) {
            throw new Mp4Exception(Mp4Exception.Reason.TOO_MANY_ENTRIES, type + " claims " + count
                    + " entries, more than its " + remaining() + " bytes or the limit of " + max + " can hold");
        }
        return (int) count;
    }

    private void need(int count) throws Mp4Exception {
        if (count < 0 || bytes.length - at < count) {
            throw new Mp4Exception(Mp4Exception.Reason.TRUNCATED, type + " box ends inside its fields");
        }
    }
}
