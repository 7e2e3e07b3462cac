package dev.sprox.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Copies an origin's body to the client with bounded memory whatever the size and however slow the client. The body
 * is read only as fast as the client takes it ({@link PacedBody}) and taken from the HttpClient piece by piece; each
 * piece is let go before its bytes are written: the JDK hands pieces over read-only, so they are copied into one
 * buffer of the stream's own, and a client that does not read holds that buffer, not the HttpClient's piece. What
 * the HttpClient holds for the body is bounded by the exchange's {@link OriginExchanges} share, so the buffers of all
 * streams together are too. Time spent writing to the client is not charged to the origin's read timeout, and a
 * client that stops taking pieces has its origin let go after a while, and asked again for the rest when it reads on
 * ({@link StallGuard}, {@link Resumption}).
 */
public final class BodyRelay {
    private BodyRelay() {}

    /**
     * Closes {@code body}, an {@link UpstreamResponse#body()}, at the end, or when the client goes away, which
     * cancels the origin's exchange.
     */
    public static void copy(InputStream body, OutputStream out) throws IOException {
        copy(new byte[0], body, out);
    }

    /**
     * Writes {@code head}, bytes already read of the body (to tell what it is), then the rest of it; closes
     * {@code rest} as {@link #copy(InputStream, OutputStream)} does.
     */
    public static void copy(byte[] head, InputStream rest, OutputStream out) throws IOException {
        try (rest) {
            if (!(rest instanceof StallGuard.Guarded origin)) {
                throw new IllegalArgumentException("not an origin's body: " + rest.getClass().getName());
            }
            if (head.length > 0) {
                origin.handOver(() -> out.write(head));
            }
            relayPieces(origin, out);
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
                bytes = new byte[Math.max(length, PacedBody.PIECE_BYTES)];
            }
            piece.get(bytes, 0, length);
            return true;
        }
    }
}
