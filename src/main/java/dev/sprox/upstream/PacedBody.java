package dev.sprox.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * An origin's body read only as fast as its reader uses it: the next piece is asked for when this one is used up,
 * and each piece is let go as soon as it is used. A stream whose client does not read holds the one piece of
 * {@code jdk.httpclient.bufsize} being written, and its origin connection is not read further: TCP flow control holds
 * the rest at the origin. Not asking ahead does not make the HttpClient read nothing ahead: one socket read fills up
 * to three of its buffers, the ones not asked for wait in its queue, and it keeps its partly filled buffer, so such a
 * stream also leaves up to three buffers with the client (heap dumps: 2.7 per player that stopped reading, 3.2 per
 * HTTP/2 stream), until {@link StallGuard} lets go of the exchange of a client that stopped taking pieces. Asking
 * for three at a time did not avoid that (the read that brought the response head leaves the queue out of step);
 * smaller buffers shrink it at a cost in speed (docs/operations.md, "Memory"). A piece asked for
 * ahead as well sat unused beside every player that stopped reading (1000 such held 218 MiB RSS against 106 without,
 * one run each), and relaying was as fast without it. The body holds its exchange's {@link OriginExchanges} share
 * and gives it back when it ends, fails or is closed.
 */
final class PacedBody extends InputStream implements HttpResponse.BodySubscriber<PacedBody> {
    /** The most one piece holds: the HttpClient reads into buffers of {@code jdk.httpclient.bufsize}. */
    static final int PIECE_BYTES = Integer.getInteger("jdk.httpclient.bufsize", ClientProperties.BUFFER_BYTES);
    /** The body ended; a unique value, so that it cannot be mistaken for an empty piece. */
    private static final Object END = new Object();

    /**
     * Signals from the HttpClient, in order: the subscription, then pieces, and the end or a failure. Unbounded in
     * type, but a piece is asked for only when the one before it is taken, so at most one waits here.
     */
    private final LinkedBlockingQueue<Object> signals = new LinkedBlockingQueue<>();
    private final OriginExchanges.Share share;
    private volatile Flow.Subscription subscription;
    private volatile boolean closed;
    // The reader's own state, touched by the reading thread only.
    private List<ByteBuffer> piece;
    /** The buffer of {@link #piece} being read. */
    private int index;
    private ByteBuffer current;
    private boolean asked;
    private boolean ended;

    PacedBody(OriginExchanges.Share share) {
        this.share = share;
    }

    /** Bodies that give {@code share} back when they end, fail or are closed. */
    static HttpResponse.BodyHandler<PacedBody> handler(OriginExchanges.Share share) {
        return info -> new PacedBody(share);
    }

    @Override
    public CompletionStage<PacedBody> getBody() {
        return CompletableFuture.completedStage(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = Objects.requireNonNull(s);
        if (closed) {
            s.cancel();
            return;
        }
        signals.add(s);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        signals.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
        share.close();
        signals.add(throwable);
    }

    @Override
    public void onComplete() {
        share.close();
        signals.add(END);
    }

    @Override
    public int read() throws IOException {
        ByteBuffer buffer = next();
        return buffer == null ? -1 : buffer.get() & 0xFF;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, target.length);
        if (length == 0) {
            return 0;
        }
        ByteBuffer buffer = next();
        if (buffer == null) {
            return -1;
        }
        int n = Math.min(length, buffer.remaining());
        buffer.get(target, offset, n);
        return n;
    }

    /**
     * The rest of the piece in hand, or the next piece once the origin sends it; null at the end of the body. The
     * caller uses all of it: it is no longer held here, so a relay that writes it straight to a client that does
     * not read holds that piece and nothing else.
     */
    ByteBuffer nextPiece() throws IOException {
        ByteBuffer buffer = next();
        current = null;
        if (buffer != null && index == piece.size()) {
            piece = null;
        }
        return buffer;
    }

    /** The bytes in hand: what can be read without waiting for the origin. */
    @Override
    public int available() {
        long bytes = current == null ? 0 : current.remaining();
        for (int i = index; piece != null && i < piece.size(); i++) {
            bytes += piece.get(i).remaining();
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    /** The buffer to read from, waiting for the next piece when this one is used up; null at the end. */
    @SuppressWarnings("unchecked")
    private ByteBuffer next() throws IOException {
        while (current == null || !current.hasRemaining()) {
            if (piece != null && index < piece.size()) {
                current = piece.get(index++);
                continue;
            }
            // Let go of the used piece before waiting: its memory is free while the next one comes.
            piece = null;
            current = null;
            if (ended) {
                return null;
            }
            if (closed) {
                throw new IOException("origin body closed");
            }
            if (subscription != null && !asked) {
                ask();
            }
            switch (take()) {
                case Flow.Subscription _ -> { }
                case List<?> list -> {
                    piece = (List<ByteBuffer>) list;
                    index = 0;
                    asked = false;
                }
                case Throwable failure -> {
                    ended = true;
                    throw failure instanceof IOException io ? io : new IOException(failure);
                }
                default -> ended = true;
            }
        }
        return current;
    }

    private void ask() {
        asked = true;
        subscription.request(1);
    }

    private Object take() throws IOException {
        try {
            return signals.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the origin");
        }
    }

    /** Cancels the exchange unless it ended: the HttpClient then closes the origin connection. */
    @Override
    public void close() {
        closed = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        // Given back once the HttpClient was told to stop reading for it, so the bound holds throughout.
        share.close();
        signals.clear();
    }

    /** Whether its exchange is still open: it has not ended, failed or been closed. */
    boolean holdsShare() {
        return share.held();
    }
}
