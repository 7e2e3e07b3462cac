package dev.sprox.http2;

import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The request body of one stream as the handler reads it. The connection's reading thread hands over DATA
 * payloads; the handler (or a thread it lends the body to) takes them. What waits here is bounded by the stream's
 * receive window: the peer may send only what we advertised, and the window reopens only as octets are read
 * ({@link ReceiveWindow}), so a handler that reads nothing stops its own upload, never the heap or other streams.
 */
final class StreamBody extends InputStream {

    /** Told of octets that left the buffer, read or dropped, so the flow-control windows reopen. */
    interface Consumed {
        void consumed(int octets, boolean read);
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private final ReceiveWindow window;
    private final int streamId;
    private final long maxBytes;
    private final long readTimeoutNanos;
    private final Consumed consumed;
    private int offset;
    private long buffered;
    private long received;
    private boolean ended;
    /** The stream failed or was reset: reads throw this (an IOException or a RequestRejected). */
    private Exception failure;

    StreamBody(int streamId, int windowSize, long maxBytes, long readTimeoutNanos, Consumed consumed) {
        this.streamId = streamId;
        this.window = new ReceiveWindow(windowSize);
        this.maxBytes = maxBytes;
        this.readTimeoutNanos = readTimeoutNanos;
        this.consumed = consumed;
    }

    /** A body that ended with the request's HEADERS frame. */
    static StreamBody empty(int streamId) {
        var body = new StreamBody(streamId, 0, 0, 0, (octets, read) -> { });
        body.ended = true;
        return body;
    }

    /**
     * A DATA payload from the reading thread; {@code flowControlled} counts its padding too, which nobody reads and
     * is reported consumed at once. Past the stream's window it is a FLOW_CONTROL_ERROR.
     */
    void offer(byte[] payload, int flowControlled) throws Http2Exception {
        int dropped = flowControlled - payload.length;
        lock.lock();
        try {
            try {
                window.received(flowControlled, streamId);
            } catch (Http2Exception e) {
                dropped = flowControlled;
                throw e;
            }
            if (failure != null || ended) {
                dropped = flowControlled;
            } else if (received + payload.length > maxBytes) {
                failure = new RequestRejected(RequestError.BODY_TOO_LARGE, "request body is larger than " + maxBytes
                        + " bytes");
                dropped = flowControlled;
                dropBuffered();
                arrived.signalAll();
            } else if (payload.length > 0) {
                chunks.add(payload);
                buffered += payload.length;
                received += payload.length;
                arrived.signalAll();
            }
        } finally {
            lock.unlock();
            if (dropped > 0) {
                consumed.consumed(dropped, false);
            }
        }
    }

    /** The client sent END_STREAM: reads return what is buffered, then -1. */
    void end() {
        lock.lock();
        try {
            ended = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The stream cannot deliver its body any more: reads throw {@code why}; what was buffered is let go. */
    void fail(Exception why) {
        long dropped;
        lock.lock();
        try {
            if (failure == null) {
                failure = why;
            }
            dropped = dropBuffered();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        if (dropped > 0) {
            consumed.consumed((int) dropped, false);
        }
    }

    /** Whether the client has sent the whole body (END_STREAM seen). */
    boolean complete() {
        lock.lock();
        try {
            return ended;
        } finally {
            lock.unlock();
        }
    }

    /** Body octets the client sent so far. */
    long received() {
        lock.lock();
        try {
            return received;
        } finally {
            lock.unlock();
        }
    }

    private long dropBuffered() {
        long dropped = buffered;
        chunks.clear();
        offset = 0;
        buffered = 0;
        return dropped;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] target, int at, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int n;
        lock.lock();
        try {
            long deadline = System.nanoTime() + readTimeoutNanos;
            while (chunks.isEmpty() && failure == null && !ended) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new RequestRejected(RequestError.BODY_TIMEOUT, "request body arrived too slowly");
                }
                arrived.await(left, TimeUnit.NANOSECONDS);
            }
            if (failure != null) {
                if (failure instanceof RequestRejected rejected) {
                    throw rejected;
                }
                throw new IOException(failure.getMessage(), failure);
            }
            if (chunks.isEmpty()) {
                return -1;
            }
            byte[] first = chunks.peek();
            n = Math.min(length, first.length - offset);
            System.arraycopy(first, offset, target, at, n);
            offset += n;
            buffered -= n;
            if (offset == first.length) {
                chunks.poll();
                offset = 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the request body");
        } finally {
            lock.unlock();
        }
        consumed.consumed(n, true);
        return n;
    }

    /** The stream's WINDOW_UPDATE increment due after the handler read {@code octets}; 0 for none yet. */
    int reopen(int octets) {
        lock.lock();
        try {
            return ended || failure != null ? 0 : window.read(octets);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return (int) Math.min(Integer.MAX_VALUE, buffered);
        } finally {
            lock.unlock();
        }
    }
}
