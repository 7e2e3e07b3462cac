package dev.sprox.server;

import java.io.IOException;
import java.io.OutputStream;

/** Counts body bytes and holds a writer to its declared length, so a wrong length never corrupts framing. */
final class CountingOutputStream extends OutputStream {
    private final OutputStream target;
    private final long declared;
    private long count;

    CountingOutputStream(OutputStream target, long declared) {
        this.target = target;
        this.declared = declared;
    }

    OutputStream target() {
        return target;
    }

    long count() {
        return count;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        if (declared >= 0 && count + length > declared) {
            throw new IOException("body longer than its declared " + declared + " bytes");
        }
        target.write(data, offset, length);
        count += length;
    }

    @Override
    public void flush() throws IOException {
        target.flush();
    }

    void checkComplete() throws IOException {
        if (declared >= 0 && count != declared) {
            throw new IOException("body of " + count + " bytes, declared " + declared);
        }
    }

    @Override
    public void close() {
        // The connection owns the socket stream.
    }
}
