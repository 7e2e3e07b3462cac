package dev.sprox.server;

import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;

/**
 * The buffered byte source of one connection. Reads within a request wait at most until a deadline (the whole
 * request head must arrive in time, however slowly it trickles) or, without one, for a per-read timeout; the wait
 * for a next request has no timeout of its own (the server's watch ends it). Before any read that may block,
 * pending output is flushed, so pipelined responses go out in batches and never wait. Between requests a plain
 * connection keeps a buffer of {@value #MIN_SIZE} bytes at most, a TLS one none.
 */
final class ConnectionInput {
    /** The least a buffer for a request head is made with: a typical head fits it whole. */
    private static final int MIN_SIZE = 1024;
    private static final long NOT_WAITING = 0;
    private static final long EXPIRED = Long.MIN_VALUE;
    private final Socket socket;
    private final boolean tls;
    private final InputStream in;
    private final Runnable beforeBlocking;
    private final int bufferSize;
    /** Null while a TLS connection waits for a next request, and while a response streams. */
    private byte[] buffer;
    private final byte[] first = new byte[1];
    /** When the wait for a next request began; {@link #NOT_WAITING}, or {@link #EXPIRED} by the watch. */
    private final AtomicLong waitingSince = new AtomicLong(NOT_WAITING);
    private int position;
    private int limit;
    private long deadlineNanos;
    private int readTimeoutMillis;

    ConnectionInput(Socket socket, int bufferSize, Runnable beforeBlocking) throws IOException {
        this.socket = socket;
        this.tls = socket instanceof SSLSocket;
        this.in = socket.getInputStream();
        this.beforeBlocking = beforeBlocking;
        this.bufferSize = bufferSize;
    }

    /** Reads from now on must complete before {@code nanoTime}; 0 removes the deadline. */
    void deadline(long nanoTime) {
        this.deadlineNanos = nanoTime;
    }

    void readTimeout(long millis) {
        this.readTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, millis);
    }

    /**
     * Waits for the first byte of a next request; false when the peer closed, or stayed silent until the server's
     * watch found this connection idle for too long ({@link #expireIfWaitingSince}) and shut its input.
     */
    boolean awaitData() throws IOException {
        if (position < limit) {
            return true;
        }
        beforeBlocking.run();
        position = 0;
        limit = 0;
        // No read timeout here: the JDK times a blocking read with a task for its scheduler thread, scheduled and
        // cancelled on every read that parks, and on a busy connection that is every request (under wrk -c64 on
        // /health: 1.1 context switches per request against 0.25 without, a third more CPU). The watch's sweep
        // enforces the idle timeout instead.
        socket.setSoTimeout(0);
        waitingSince.set(System.nanoTime());
        int n;
        try {
            n = tls ? readFirstByte() : readIntoWaitingBuffer();
        } catch (IOException e) {
            if (stopWaiting()) {
                throw e;
            }
            return false;
        }
        return stopWaiting() && n > 0;
    }

    /**
     * Called by the server's watch: true, and the wait is over, when it has been waiting for its next request since
     * before {@code nanoTime}. A request that arrived meanwhile wins and is served.
     */
    boolean expireIfWaitingSince(long nanoTime) {
        long since = waitingSince.get();
        return since != NOT_WAITING && since != EXPIRED && since - nanoTime < 0
                && waitingSince.compareAndSet(since, EXPIRED);
    }

    /** Ends a wait; false when the watch expired it first (and shuts the input). */
    private boolean stopWaiting() {
        return waitingSince.getAndSet(NOT_WAITING) != EXPIRED;
    }

    /**
     * A plain connection waits with a small buffer, so a request head arrives in one read, not three (a byte, the
     * count of what arrived, the rest). That is what an idle keep-alive connection holds: {@value #MIN_SIZE} bytes.
     */
    private int readIntoWaitingBuffer() throws IOException {
        if (buffer == null || buffer.length > MIN_SIZE) {
            buffer = new byte[MIN_SIZE];
        }
        // The other ready connections run first, which gives this client's next request time to arrive: the read
        // then finds it instead of parking until the poller wakes this thread. Under wrk -c64 on /health that halved
        // the parks (epoll_ctl 0.17 per request against 0.33) and the p90 (2.4 ms against 5.5).
        Thread.yield();
        int n = in.read(buffer, 0, buffer.length);
        limit = Math.max(n, 0);
        return n;
    }

    /**
     * Over TLS one byte, so that no buffer is held while the client thinks (the TLS socket reads a whole record
     * anyway); the rest of the request is read into a buffer as large as what has arrived, up to the full size
     * (readLine grows it for a longer line).
     */
    private int readFirstByte() throws IOException {
        buffer = null;
        if (in.read(first, 0, 1) <= 0) {
            return -1;
        }
        int pending = in.available();
        buffer = new byte[Math.min(bufferSize, Math.max(MIN_SIZE, Integer.highestOneBit(pending) * 2))];
        buffer[0] = first[0];
        limit = 1;
        return 1;
    }

    /**
     * One line of the request head without its CRLF, as ISO-8859-1 text. Lines longer than {@code maxLength}
     * are refused with {@code tooLong}; a bare CR or LF is malformed (RFC 9112 §2.2: we accept only CRLF).
     */
    String readLine(int maxLength, RequestError tooLong, String what) throws IOException {
        ensureBuffer();
        int scanned = 0;
        while (true) {
            for (int i = position + scanned; i < limit; i++) {
                byte b = buffer[i];
                if (b == '\n') {
                    int length = i - position;
                    if (length == 0 || buffer[i - 1] != '\r') {
                        throw new RequestRejected(RequestError.MALFORMED_REQUEST, "line ends in a bare LF");
                    }
                    if (length - 1 > maxLength) {
                        throw new RequestRejected(tooLong, what + " is too long");
                    }
                    String line = new String(buffer, position, length - 1, StandardCharsets.ISO_8859_1);
                    position = i + 1;
                    if (line.indexOf('\r') >= 0) {
                        throw new RequestRejected(RequestError.MALFORMED_REQUEST, "bare CR in " + what);
                    }
                    return line;
                }
            }
            scanned = limit - position;
            if (scanned > maxLength + 1) {
                throw new RequestRejected(tooLong, what + " is too long");
            }
            if (position == 0 && limit == buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, Math.min(buffer.length * 2, maxLength + 2));
            }
            if (fill() < 0) {
                throw new java.io.EOFException("connection closed in the middle of " + what);
            }
        }
    }

    /**
     * Lets go of the buffer when it holds nothing unread, as before a streamed response: one that streams for minutes
     * to a slow client then holds no input buffer; a later read takes a fresh one.
     */
    void releaseIfEmpty() {
        if (position == limit) {
            buffer = null;
            position = 0;
            limit = 0;
        }
    }

    /**
     * Whether the input starts with {@code prefix}, reading no further than it takes to tell: a request that
     * differs at its first byte is not held up waiting for more.
     */
    boolean startsWith(byte[] prefix) throws IOException {
        ensureBuffer();
        for (int i = 0; i < prefix.length; i++) {
            while (limit - position <= i) {
                if (fill() < 0) {
                    return false;
                }
            }
            if (buffer[position + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The bytes read ahead and not yet consumed, removed from here: the connection changes hands with them. */
    byte[] takeBuffered() {
        byte[] rest = buffer == null ? new byte[0] : java.util.Arrays.copyOfRange(buffer, position, limit);
        position = limit;
        return rest;
    }

    /** Reads up to {@code length} bytes; -1 at end of stream. */
    int read(byte[] target, int offset, int length) throws IOException {
        ensureBuffer();
        if (position == limit) {
            if (length >= buffer.length) {
                prepareBlockingRead();
                return in.read(target, offset, length);
            }
            if (fill() < 0) {
                return -1;
            }
        }
        int n = Math.min(length, limit - position);
        System.arraycopy(buffer, position, target, offset, n);
        position += n;
        return n;
    }

    int read() throws IOException {
        ensureBuffer();
        if (position == limit && fill() < 0) {
            return -1;
        }
        return buffer[position++] & 0xFF;
    }

    private void ensureBuffer() {
        if (buffer == null) {
            buffer = new byte[bufferSize];
        }
    }

    /** Adds bytes to the buffer, moving unread ones to the front first; -1 at end of stream. */
    private int fill() throws IOException {
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        if (limit == buffer.length) {
            return 0;
        }
        prepareBlockingRead();
        return readIntoBuffer();
    }

    private int readIntoBuffer() throws IOException {
        if (position == limit) {
            position = 0;
            limit = 0;
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n > 0) {
            limit += n;
        }
        return n;
    }

    private void prepareBlockingRead() throws IOException {
        beforeBlocking.run();
        long timeout = readTimeoutMillis;
        if (deadlineNanos != 0) {
            long remaining = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (remaining <= 0) {
                throw new SocketTimeoutException("deadline passed");
            }
            timeout = remaining;
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout)));
    }
}
