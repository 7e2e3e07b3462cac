package dev.sprox.mp4;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Writes box trees, each size computed from what the box now holds. */
public final class BoxWriter {
    private static final long MAX_32 = 0xFFFF_FFFFL;

    private BoxWriter() {}

    /** The size the box will have when written, header included. */
    public static long size(Box box) {
        long payload = payloadSize(box);
        return payload + (box.largeSize() || payload + 8 > MAX_32 ? 16 : 8);
    }

    public static byte[] toBytes(List<Box> boxes) {
        var out = new ByteArrayOutputStream();
        try {
            for (Box box : boxes) {
                write(box, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static void write(Box box, OutputStream out) throws IOException {
        writeHeader(box.type(), payloadSize(box), box.largeSize(), out);
        switch (box) {
            case Box.Leaf leaf -> out.write(leaf.payload());
            case Box.Container container -> {
                out.write(container.prefix());
                for (Box child : container.children()) {
                    write(child, out);
                }
            }
        }
    }

    /** A header for a box of {@code payloadSize} bytes whose payload the caller writes. */
    public static void writeHeader(String type, long payloadSize, boolean largeSize, OutputStream out)
            throws IOException {
        boolean large = largeSize || payloadSize + 8 > MAX_32;
        long size = payloadSize + (large ? 16 : 8);
        byte[] header = new byte[large ? 16 : 8];
        putU32(header, 0, large ? 1 : size);
        putU32(header, 4, FourCc.value(type));
        if (large) {
            putU32(header, 8, size >>> 32);
            putU32(header, 12, size);
        }
        out.write(header);
    }

    private static long payloadSize(Box box) {
        return switch (box) {
            case Box.Leaf leaf -> leaf.payload().length;
            case Box.Container container -> {
                long total = container.prefix().length;
                for (Box child : container.children()) {
                    total += size(child);
                }
                yield total;
            }
        };
    }

    static void putU32(byte[] b, int at, long value) {
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }
}
