package dev.sprox.server;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The output buffer of one connection, like a {@link java.io.BufferedOutputStream} except that it exists only while
 * there is something to send, and only as large as that: flushed, it is let go, so a connection waiting for its
 * client's next request holds no buffer, and a small answer takes a buffer of its own size rather than the whole
 * {@code size} (a fresh 8 KiB per answer was half of what a small answer allocated). Writes as large as
 * {@code size} go straight through.
 */
final class ResponseBuffer extends OutputStream {
    /** The least a buffer is made with: a head and a few small writes fit without growing it. */
    private static final int MIN_SIZE = 512;
    private final OutputStream out;
    private final int size;
    private byte[] buffer;
    private int count;

    ResponseBuffer(OutputStream out, int size) {
        this.out = out;
        this.size = size;
    }

    /** The next writes come to about {@code bytes} in all: one buffer that large, up to {@code size}, holds them. */
    void expect(int bytes) throws IOException {
        if (bytes < size) {
            room(bytes);
        }
    }

    @Override
    public void write(int b) throws IOException {
        room(1);
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        if (length >= size) {
            // A body written in large pieces needs no buffer: let it go now rather than at the next flush, which
            // a client that stopped reading may hold off until the send timeout.
            drain();
            buffer = null;
            out.write(data, offset, length);
            return;
        }
        room(length);
        System.arraycopy(data, offset, buffer, count, length);
        count += length;
    }

    /**
     * Writes {@code text} as ISO-8859-1, one byte per character, with no string or array in between; a character
     * outside it becomes {@code ?}, as {@link String#getBytes} would make it.
     */
    void writeLatin1(CharSequence text) throws IOException {
        int length = text.length();
        for (int start = 0; start < length; ) {
            int n = Math.min(length - start, size);
            room(n);
            for (int i = 0; i < n; i++) {
                char c = text.charAt(start + i);
                buffer[count++] = c <= 0xFF ? (byte) c : (byte) '?';
            }
            start += n;
        }
    }

    /** Room for {@code length} more bytes ({@code length <= size}): a buffer made or grown, or emptied first. */
    private void room(int length) throws IOException {
        if (buffer == null) {
            buffer = new byte[Math.min(size, Math.max(length, MIN_SIZE))];
        } else if (length > buffer.length - count) {
            if (count + length > size) {
                drain();
            }
            if (count + length > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(size, Math.max(count + length, 2 * buffer.length)));
            }
        }
    }

    private void drain() throws IOException {
        if (count > 0) {
            out.write(buffer, 0, count);
            count = 0;
        }
    }

    @Override
    public void flush() throws IOException {
        drain();
        buffer = null;
        out.flush();
    }
}
