package dev.sprox.http2;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.TimeoutException;

/**
 * A response body as DATA frames on one stream. Each run of frames waits for room in the stream's and the
 * connection's send windows (RFC 9113 §6.9), at most until the send timeout: a client that stops reading one
 * stream stalls only that stream's writer, which then gives up. Writes of at least {@value #DIRECT} octets (a
 * whole body in one array, an origin's body relayed piece by piece) go out from the caller's array without
 * copying, up to {@value #RUN} octets of frames under one lock and flush; smaller ones are gathered in a buffer of
 * {@value #DIRECT} octets, taken only when such a write comes, so a stalled stream holds no more than that.
 * When the body's length is declared, the frame that completes it carries END_STREAM, rather than an empty frame
 * after it.
 */
final class StreamOutput extends OutputStream {
    private static final int FRAME = 16 * 1024;
    /** Smaller writes are gathered into frames of up to this; larger ones are frames of their own. */
    private static final int DIRECT = 4 * 1024;
    /** The most window taken, and frames written, in one go. */
    private static final int RUN = 64 * 1024;

    private final Http2Stream stream;
    private final SendWindow connectionWindow;
    private final FrameOutput output;
    private final long timeoutNanos;
    /** The body's declared length, or -1. */
    private final long declared;
    private byte[] buffer;
    private int buffered;
    private long count;
    /** END_STREAM went out with the declared length's last octet. */
    private boolean ended;

    /** @param declared the body's length when known (its {@code content-length}), else -1 */
    StreamOutput(Http2Stream stream, SendWindow connectionWindow, FrameOutput output, long timeoutNanos, long declared) {
        this.stream = stream;
        this.connectionWindow = connectionWindow;
        this.output = output;
        this.timeoutNanos = timeoutNanos;
        this.declared = declared;
    }

    /** Body octets written by the handler so far. */
    long count() {
        return count;
    }

    @Override
    public void write(int b) throws IOException {
        if (buffer == null) {
            buffer = new byte[DIRECT];
        }
        if (buffered == buffer.length) {
            flush();
        }
        buffer[buffered++] = (byte) b;
        count++;
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        count += length;
        while (length > 0) {
            if (buffered == 0 && length >= DIRECT) {
                send(data, offset, length, count == declared);
                return;
            }
            if (buffer == null) {
                buffer = new byte[DIRECT];
            }
            int n = Math.min(length, buffer.length - buffered);
            System.arraycopy(data, offset, buffer, buffered, n);
            buffered += n;
            offset += n;
            length -= n;
            if (buffered == buffer.length) {
                flush();
            }
        }
    }

    @Override
    public void flush() throws IOException {
        if (buffered > 0) {
            int n = buffered;
            buffered = 0;
            send(buffer, 0, n, count == declared);
        }
    }

    /** Sends what is buffered with END_STREAM, unless the declared length's last frame carried it already. */
    void finish() throws IOException {
        if (ended && buffered == 0) {
            return;
        }
        int n = buffered;
        buffered = 0;
        send(buffer == null ? new byte[0] : buffer, 0, n, true);
    }

    /**
     * A body of at most one frame whose room both windows hold right now: true when that room is taken, and the
     * caller sends HEADERS and the body together ({@link FrameOutput#headersAndData}); false changes nothing.
     */
    static boolean fitsNow(Http2Stream stream, SendWindow connectionWindow, byte[] body) {
        if (body.length > FRAME || !stream.sendWindow().tryAcquire(body.length)) {
            return false;
        }
        if (connectionWindow.tryAcquire(body.length)) {
            return true;
        }
        stream.sendWindow().giveBack(body.length);
        return false;
    }

    /** The whole body in one array, sent from it with END_STREAM on its last frame: nothing is copied. */
    void writeWhole(byte[] body) throws IOException {
        count += body.length;
        send(body, 0, body.length, true);
    }

    private void send(byte[] data, int offset, int length, boolean endStream) throws IOException {
        if (ended) {
            throw new IOException("response body longer than the " + declared + " octets declared");
        }
        if (length == 0) {
            if (endStream) {
                stream.requireOpen();
                output.data(stream.id(), data, offset, 0, true);
                ended = true;
            }
            return;
        }
        while (length > 0) {
            stream.requireOpen();
            int n = acquire(Math.min(length, RUN));
            output.data(stream.id(), data, offset, n, endStream && n == length);
            offset += n;
            length -= n;
        }
        ended = endStream;
    }

    /** Room for up to {@code wanted} octets in both windows, waiting at most the send timeout for it. */
    private int acquire(int wanted) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        try {
            int granted = stream.sendWindow().acquire(wanted, deadline);
            if (granted == 0) {
                throw new IOException("stream " + stream.id() + " was reset");
            }
            int fromConnection = connectionWindow.acquire(granted, deadline);
            if (fromConnection < granted) {
                stream.sendWindow().giveBack(granted - fromConnection);
            }
            if (fromConnection == 0) {
                throw new IOException("connection closed");
            }
            return fromConnection;
        } catch (TimeoutException e) {
            throw new SendStalled("the client read nothing of stream " + stream.id() + " within the send timeout");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the flow-control window");
        }
    }

    /** The peer kept the window closed past the send timeout: the stream is cancelled, the connection goes on. */
    static final class SendStalled extends IOException {
        SendStalled(String message) {
            super(message);
        }
    }
}
