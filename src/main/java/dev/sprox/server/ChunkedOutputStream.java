package dev.sprox.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Frames a body of unknown length as HTTP/1.1 chunks; {@link #finish()} writes the last chunk. */
final class ChunkedOutputStream extends OutputStream {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private final OutputStream out;

    ChunkedOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        if (length == 0) {
            return;
        }
        out.write(Integer.toHexString(length).getBytes(StandardCharsets.ISO_8859_1));
        out.write(CRLF);
        out.write(data, offset, length);
        out.write(CRLF);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    void finish() throws IOException {
        out.write(LAST_CHUNK);
    }

    @Override
    public void close() {
        // The connection owns the socket stream; closing a body must not close it.
    }
}
