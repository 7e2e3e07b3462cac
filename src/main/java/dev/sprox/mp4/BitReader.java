package dev.sprox.mp4;

/** Reads bits, most significant first, from the first {@code length} bytes of an array (codec headers and syntax). */
public final class BitReader {
    /** A read past the end: the bits are not there, which says nothing about those that were. */
    public static final class Exhausted extends RuntimeException {
        private Exhausted() {
            super("bits exhausted", null, false, false);
        }
    }

    private static final Exhausted EXHAUSTED = new Exhausted();

    private final byte[] bytes;
    private final long limit;
    private long at;

    public BitReader(byte[] bytes) {
        this(bytes, bytes.length);
    }

    public BitReader(byte[] bytes, int length) {
        this.bytes = bytes;
        this.limit = 8L * length;
    }

    /** The next {@code count} bits (at most 31) as an unsigned number. */
    public int read(int count) {
        if (at + count > limit) {
            throw EXHAUSTED;
        }
        int value = 0;
        for (int i = 0; i < count; i++, at++) {
            value = value << 1 | (bytes[(int) (at >>> 3)] >>> (7 - (int) (at & 7))) & 1;
        }
        return value;
    }

    public void skipBytes(int count) {
        skipBits(8L * count);
    }

    public void skipBits(long count) {
        if (at + count > limit) {
            throw EXHAUSTED;
        }
        at += count;
    }

    /** Moves to the next byte boundary. */
    public void align() {
        at = (at + 7) & ~7L;
    }

    public long remaining() {
        return limit - at;
    }

    /** Bytes started so far. */
    public int bytesRead() {
        return (int) ((at + 7) >>> 3);
    }
}
