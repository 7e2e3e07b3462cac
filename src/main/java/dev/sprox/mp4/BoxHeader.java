package dev.sprox.mp4;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * The size and type that start every box. {@code size} counts the header too; {@link #TO_END} is a size field
 * of 0, "the box runs to the end of the file", allowed for the last top-level box only.
 */
public record BoxHeader(String type, long size, int headerLength, boolean largeSize) {
    public static final long TO_END = -1;

    public long payloadSize() {
        return size == TO_END ? TO_END : size - headerLength;
    }

    /**
     * The next header of a stream of top-level boxes, or empty at a clean end (no byte left).
     *
     * @throws Mp4Exception when the stream ends inside the header or the size is smaller than the header
     */
    public static Optional<BoxHeader> read(InputStream in) throws IOException {
        byte[] head = new byte[16];
        int first = in.readNBytes(head, 0, 8);
        if (first == 0) {
            return Optional.empty();
        }
        if (first < 8) {
            throw new Mp4Exception(Mp4Exception.Reason.TRUNCATED, "stream ends inside a box header");
        }
        long size = u32(head, 0);
        String type = FourCc.of((int) u32(head, 4));
        if (size == 1) {
            if (in.readNBytes(head, 8, 8) < 8) {
                throw new Mp4Exception(Mp4Exception.Reason.TRUNCATED, "stream ends inside the 64-bit size of " + type);
            }
            return Optional.of(checked(type, u64(head, 8), 16, true));
        }
        return Optional.of(size == 0 ? new BoxHeader(type, TO_END, 8, false) : checked(type, size, 8, false));
    }

    /** The header at {@code offset} of {@code data}, which must hold the whole box within {@code end}. */
    static BoxHeader parse(byte[] data, int offset, int end, boolean topLevel) throws Mp4Exception {
        if (end - offset < 8) {
            throw new Mp4Exception(Mp4Exception.Reason.TRUNCATED, (end - offset) + " bytes left where a box header"
                    + " needs 8");
        }
        long size = u32(data, offset);
        String type = FourCc.of((int) u32(data, offset + 4));
        BoxHeader header;
        if (size == 1) {
            if (end - offset < 16) {
                throw new Mp4Exception(Mp4Exception.Reason.TRUNCATED, "box " + type + " ends inside its 64-bit size");
            }
            header = checked(type, u64(data, offset + 8), 16, true);
        } else if (size == 0) {
            if (!topLevel) {
                throw new Mp4Exception(Mp4Exception.Reason.BAD_SIZE, "box " + type + " inside another has size 0");
            }
            header = new BoxHeader(type, end - offset, 8, false);
        } else {
            header = checked(type, size, 8, false);
        }
        if (header.size() > end - offset) {
            throw new Mp4Exception(Mp4Exception.Reason.BAD_SIZE, "box " + type + " of " + header.size()
                    + " bytes runs past the " + (end - offset) + " bytes around it");
        }
        return header;
    }

    private static BoxHeader checked(String type, long size, int headerLength, boolean large) throws Mp4Exception {
        if (size < headerLength) {
            throw new Mp4Exception(Mp4Exception.Reason.BAD_SIZE, "box " + type + " claims " + Long.toUnsignedString(size)
                    + " bytes, less than its own header");
        }
        return new BoxHeader(type, size, headerLength, large);
    }

    static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL) << 24 | (b[at + 1] & 0xFFL) << 16 | (b[at + 2] & 0xFFL) << 8 | b[at + 3] & 0xFFL;
    }

    static long u64(byte[] b, int at) {
        return u32(b, at) << 32 | u32(b, at + 4);
    }
}
