package dev.sprox.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Copies an origin's body to the client with bounded memory whatever the size and however slow the client: the
 * origin is read only as fast as the client takes it ({@link PacedBody}), a piece at a time, through one buffer of
 * the stream's own. The JDK hands pieces over read-only, so each is copied into that buffer and let go before the
 * write: a client that does not read holds that buffer and what the JDK read ahead of it, both counted in the
 * exchange's {@link StreamMemory} share, and TCP flow control holds the rest at the origin. Its writes are told to
 * the {@link StallGuard}, which cuts a stream blocked on its client when the heap is short.
 */
public final class BodyRelay {
    private BodyRelay() {}

    /** Closes {@code body} at the end, or when the client goes away, which cancels the origin's exchange. */
    public static void copy(InputStream body, OutputStream out) throws IOException {
        try (body) {
            if (body instanceof StallGuard.Guarded origin) {
                relayPieces(origin, out);
            } else {
                copyThroughBuffer(body, out);
            }
        }
    }

    private static void relayPieces(StallGuard.Guarded body, OutputStream out) throws IOException {
        byte[] own = new byte[StreamMemory.PIECE];
        while (true) {
            ByteBuffer piece = body.nextPiece();
            if (piece == null) {
                return;
            }
            int n = piece.remaining();
            if (own.length < n) {
                own = new byte[n];
            }
            // The piece is no longer referenced past this copy: a write that blocks holds only this buffer.
            piece.get(own, 0, n);
            // The origin paused (nothing more in hand): the client gets what came so far instead of it waiting in a
            // buffer.
            boolean flush = body.available() == 0;
            body.sending();
            try {
                out.write(own, 0, n);
                if (flush) {
                    out.flush();
                }
            } finally {
                body.sent();
            }
        }
    }

    /** A body that is not straight from an origin (a sniffed one): read through the same one buffer. */
    private static void copyThroughBuffer(InputStream body, OutputStream out) throws IOException {
        byte[] own = new byte[StreamMemory.PIECE];
        for (int n; (n = body.read(own)) >= 0; ) {
            out.write(own, 0, n);
            if (body.available() == 0) {
                out.flush();
            }
        }
    }
}
