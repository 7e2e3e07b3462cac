package dev.sprox.http2;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The connection's output buffer. Unlike {@link java.io.BufferedOutputStream}, which writes a payload as large as
 * its buffer straight through after flushing what it holds, this fills the buffer first: a 9-octet frame header
 * and its 16 KiB payload leave in one socket write instead of a 9-octet one and another. Only a remainder of at
 * least a whole buffer goes straight from the caller's array.
 */
final class CoalescingOutput extends OutputStream {
    private final OutputStream out;
    private final byte[] buffer;
    private int count;

    CoalescingOutput(OutputStream out, int size) {
        this.out = out;
        this.buffer = new byte[size];
    }

    @Override
    public void write(int b) throws IOException {
        if (count == buffer.length) {
            drain();
        }
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        int room = buffer.length - count;
        if (length <= room) {
            System.arraycopy(data, offset, buffer, count, length);
            count += length;
            return;
        }
        System.arraycopy(data, offset, buffer, count, room);
        count = buffer.length;
        drain();
        offset += room;
        length -= room;
        if (length >= buffer.length) {
            out.write(data, offset, length);
            return;
        }
        System.arraycopy(data, offset, buffer, 0, length);
        count = length;
    }

    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    private void drain() throws IOException {
        if (count > 0) {
            out.write(buffer, 0, count);
            count = 0;
        }
    }

    @Override
    public void close() throws IOException {
        flush();
        out.close();
    }
}
