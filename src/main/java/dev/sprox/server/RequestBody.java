package dev.sprox.server;

import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import dev.sprox.http.Tokens;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The body of one request, decoded from its framing, never read past its end, and never larger than
 * the configured maximum. With {@code Expect: 100-continue} the interim response goes out on the first read,
 * so a client is not asked to send a body nobody wants.
 *
 * <p>One reader at a time: the upstream client reads the body on its own threads while the connection's thread
 * waits for the origin's answer, and may still be reading when that answer is ready. Reads hold a lock; once
 * the handler has returned, the connection drains the rest only if nobody else has been reading it
 * ({@link #discardRest}), and after the response it takes the body back ({@link #reclaim}): from then on a read
 * from any other thread fails instead of touching the connection's input.
 */
final class RequestBody extends InputStream {
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final int MAX_CHUNK_LINE = 4096;
    private static final Duration RECLAIM_WAIT = Duration.ofMillis(50);

    private final ConnectionInput in;
    private final BodyFraming framing;
    private final ServerSettings limits;
    private final ReentrantLock lock = new ReentrantLock();
    /** The connection's thread; the handler runs on it too. */
    private final Thread owner = Thread.currentThread();
    /** Another thread has read: the rest of the body is that thread's to read (guarded by the lock). */
    private boolean lent;
    private volatile boolean reclaimed;
    private OutputStream continueTo;
    private long remaining;
    private long total;
    private boolean finished;
    private boolean broken;

    RequestBody(ConnectionInput in, BodyFraming framing, ServerSettings limits, OutputStream continueTo) {
        this.in = in;
        this.framing = framing;
        this.limits = limits;
        this.continueTo = continueTo;
        switch (framing) {
            case BodyFraming.None n -> finished = true;
            case BodyFraming.Fixed f -> {
                if (f.length() > limits.maxBodyBytes()) {
                    throw tooLarge();
                }
                remaining = f.length();
            }
            case BodyFraming.Chunked c -> remaining = 0;
        }
    }

    boolean finished() {
        return finished;
    }

    /** Decoded body bytes read so far, by the handler or by discarding the rest. */
    long received() {
        return total;
    }

    /** True once the client was told to go ahead, or never had to be. */
    boolean continueSentOrNotExpected() {
        return continueTo == null;
    }

    /** True when the stream hit malformed framing or a timeout, so the connection cannot be reused. */
    boolean broken() {
        return broken;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        lock.lock();
        try {
            if (Thread.currentThread() != owner) {
                if (reclaimed) {
                    throw new IOException("request body no longer available: the response was already sent");
                }
                lent = true;
            }
            return readLocked(target, offset, length);
        } finally {
            lock.unlock();
        }
    }

    private int readLocked(byte[] target, int offset, int length) throws IOException {
        if (finished) {
            return -1;
        }
        if (length == 0) {
            return 0;
        }
        sendContinue();
        try {
            if (remaining == 0 && framing instanceof BodyFraming.Chunked && !nextChunk()) {
                return -1;
            }
            int n = in.read(target, offset, (int) Math.min(length, remaining));
            if (n < 0) {
                throw new EOFException("request body ended early");
            }
            remaining -= n;
            total += n;
            if (remaining == 0) {
                if (framing instanceof BodyFraming.Chunked) {
                    expectCrlf();
                } else {
                    finished = true;
                }
            }
            return n;
        } catch (SocketTimeoutException e) {
            broken = true;
            throw new RequestRejected(RequestError.BODY_TIMEOUT, "request body arrived too slowly");
        } catch (EOFException e) {
            // The client stopped sending mid-body (in data, a size line or trailers): its fault, so a 400,
            // not an I/O failure that the pipeline would answer 500 and log as a server error.
            broken = true;
            throw new RequestRejected(RequestError.MALFORMED_REQUEST, "request body ended early");
        } catch (RequestRejected e) {
            broken = true;
            throw e;
        }
    }

    private void sendContinue() throws IOException {
        if (continueTo != null) {
            continueTo.write(CONTINUE);
            continueTo.flush();
            continueTo = null;
        }
    }

    /** Reads a chunk-size line (RFC 9112 §7.1); false after the last chunk and its trailer section. */
    private boolean nextChunk() throws IOException {
        String line = in.readLine(MAX_CHUNK_LINE, RequestError.MALFORMED_REQUEST, "chunk size line");
        int end = 0;
        while (end < line.length() && Character.digit(line.charAt(end), 16) >= 0) {
            end++;
        }
        if (end == 0 || end > 15) {
            throw new RequestRejected(RequestError.MALFORMED_REQUEST, "invalid chunk size");
        }
        String rest = line.substring(end);
        if (!rest.isEmpty() && !Tokens.trimOws(rest, 0).startsWith(";")) {
            throw new RequestRejected(RequestError.MALFORMED_REQUEST, "invalid chunk size");
        }
        long size = Long.parseLong(line, 0, end, 16);
        if (size == 0) {
            RequestHeadReader.readFields(in, limits, limits.maxHeaderBytes());
            finished = true;
            return false;
        }
        if (total + size > limits.maxBodyBytes()) {
            throw tooLarge();
        }
        remaining = size;
        return true;
    }

    private void expectCrlf() throws IOException {
        if (in.read() != '\r' || in.read() != '\n') {
            throw new RequestRejected(RequestError.MALFORMED_REQUEST, "chunk data not followed by CRLF");
        }
    }

    private RequestRejected tooLarge() {
        broken = true;
        return new RequestRejected(RequestError.BODY_TOO_LARGE,
                "request body is larger than " + limits.maxBodyBytes() + " bytes");
    }

    /**
     * Reads and drops what the handler left unread, so the connection can serve its next request; false when
     * that would mean reading more than {@code maxBytes} (the connection is then closed instead).
     */
    boolean discardRest(long maxBytes) throws IOException {
        if (!lock.tryLock()) {
            return false; // another thread is reading it right now: the upload is its business
        }
        try {
            if (finished) {
                return true;
            }
            if (continueTo != null) {
                // The final answer goes out first: no thread may send 100 Continue after it (RFC 9110 §15.2.1).
                reclaimed = true;
                return false;
            }
            if (broken || lent) {
                return false;
            }
            byte[] scratch = new byte[8192];
            long discarded = 0;
            while (discarded <= maxBytes) {
                int n = readLocked(scratch, 0, scratch.length);
                if (n < 0) {
                    return true;
                }
                discarded += n;
            }
            return false;
        } catch (RequestRejected e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The body is the connection's again once its response is written: later reads by other threads fail. False
     * when another thread is still inside a read (blocked on the client), so the connection must close at once
     * rather than read its input alongside.
     */
    boolean reclaim() {
        reclaimed = true;
        try {
            // A read that is only returning the end of the body holds the lock for an instant; one waiting for
            // the client holds it until the client sends or the body times out.
            if (!lock.tryLock(RECLAIM_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        lock.unlock();
        return true;
    }
}
