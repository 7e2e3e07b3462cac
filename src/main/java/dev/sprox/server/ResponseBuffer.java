package dev.sprox.server;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The output buffer of one connection, like a {@link java.io.BufferedOutputStream} except that it exists only while
 * there is something to send: flushed, it is let go, so a connection waiting for its client's next request holds no
 * buffer. Writes as large as the buffer go straight through.
 */
final class ResponseBuffer extends OutputStream {
    private final OutputStream out;
    private final int size;
    private byte[] buffer;
    private int count;

    ResponseBuffer(OutputStream out, int size) {
        this.out = out;
        this.size = size;
    }

    @Override
    public void write(int b) throws IOException {
        if (buffer == null) {
            buffer = new byte[size];
        } else if (count == size) {
            drain();
        }
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
        if (buffer == null) {
            buffer = new byte[size];
        } else if (length > size - count) {
            drain();
        }
        System.arraycopy(data, offset, buffer, count, length);
        count += length;
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
