package dev.sprox.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Copies a body to the client with bounded memory whatever the size and however slow the client. A body straight
 * from an origin is read only as fast as the client takes it ({@link PacedBody}) and taken from the HttpClient piece
 * by piece; each piece is let go before its bytes are written: the JDK hands pieces over read-only, so they are
 * copied into one buffer of the stream's own, and a client that does not read holds that buffer, not the
 * HttpClient's piece. What the HttpClient holds for the body is bounded by the exchange's {@link OriginExchanges}
 * share, and a client that stops taking pieces has its origin let go after a while, and asked again for the rest
 * when it reads on ({@link StallGuard}, {@link Resumption}). Any other body goes through the {@link RelayBuffers}
 * shared by all streams, each held only while a piece is read and written; a stream earns them once its client has
 * taken the first {@link #FIRST_STRETCH} bytes, so a player that never reads holds no share that streams which do
 * read would wait for.
 */
public final class BodyRelay {
    /** How long a body that is not straight from an origin (a sniffed one) waits for relay memory. */
    private static final long DEFAULT_PATIENCE_NANOS = 30_000_000_000L;
    /** More than the kernel takes on a connection whose client reads nothing (its send and receive buffers). */
    static final long FIRST_STRETCH = 256 * 1024;
    private static final int FIRST_BUFFER_SIZE = 8 * 1024;

    private BodyRelay() {}

    /** Closes {@code body} at the end, or when the client goes away, which cancels the origin's exchange. */
    public static void copy(InputStream body, OutputStream out) throws IOException {
        copy(body, out, RelayBuffers.SHARED);
    }

    static void copy(InputStream body, OutputStream out, RelayBuffers buffers) throws IOException {
        try (body) {
            if (body instanceof StallGuard.Guarded origin) {
                relayPieces(origin, out);
            } else {
                copyThroughBuffers(body, out, buffers, DEFAULT_PATIENCE_NANOS);
            }
        }
    }

    /** Moves the body piece by piece through one buffer of the stream's own, made for its first piece. */
    private static void relayPieces(StallGuard.Guarded body, OutputStream out) throws IOException {
        var own = new OwnBuffer();
        while (own.fill(body)) {
            body.handOver(() -> out.write(own.bytes, 0, own.length));
            if (body.available() == 0) {
                // The origin paused: the client gets what came so far instead of it waiting in a buffer.
                body.handOver(out::flush);
            }
        }
    }

    /** The stream's own buffer, and the piece of the origin's body in it. */
    private static final class OwnBuffer {
        private byte[] bytes = new byte[0];
        private int length;

        /**
         * Copies the next piece in, false at the end of the body. The piece itself is not referenced once this
         * returns, so a write that blocks holds only this buffer.
         */
        boolean fill(StallGuard.Guarded body) throws IOException {
            ByteBuffer piece = body.nextPiece();
            if (piece == null) {
                return false;
            }
            length = piece.remaining();
            if (bytes.length < length) {
                bytes = new byte[Math.max(length, RelayBuffers.BUFFER_SIZE)];
            }
            piece.get(bytes, 0, length);
            return true;
        }
    }

    private static void copyThroughBuffers(InputStream body, OutputStream out, RelayBuffers buffers, long patience)
            throws IOException {
        byte[] own = new byte[FIRST_BUFFER_SIZE];
        long written = 0;
        while (true) {
            boolean shared = written >= FIRST_STRETCH;
            // Taken before the read: the origin is read only by a stream that holds relay memory, so the
            // piece the HttpClient reads for it is within the budget too.
            byte[] buffer = shared ? take(buffers, patience) : own;
            try {
                int n = body.read(buffer);
                if (n < 0) {
                    return;
                }
                out.write(buffer, 0, n);
                written += n;
            } finally {
                if (shared) {
                    buffers.give(buffer);
                }
            }
            if (shared) {
                own = null;
            }
            if (body.available() == 0) {
                out.flush();
            }
        }
    }

    private static byte[] take(RelayBuffers buffers, long patienceNanos) throws IOException {
        try {
            byte[] buffer = buffers.take(patienceNanos);
            if (buffer == null) {
                throw new IOException("no relay memory became free within the read timeout");
            }
            return buffer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for relay memory");
        }
    }
}
