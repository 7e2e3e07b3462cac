package dev.sprox.upstream;

import java.net.URI;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The heap that origin exchanges may hold, shared by all of them, counted in pieces of an origin's body
 * ({@code jdk.httpclient.bufsize}). Before its request is sent an exchange reserves what it holds when its client
 * stops reading — what the JDK client read ahead for it and the relay's copy — and it gives that back when its body
 * ends or is closed. So however many clients stop reading, the number of exchanges, and with it their memory, is
 * bounded: a request that finds the budget spent waits for a share (first come, first served, as many waiting as
 * there are plain exchanges in the budget) and is refused when none frees in time or too many already wait. What the
 * JDK reads ahead is not bounded by the JDK, so this count alone could not promise the heap: while the heap is
 * short ({@link MemoryPressure}) no share is given, and {@link StallGuard} cuts the streams whose clients stopped
 * reading.
 */
public final class StreamMemory {
    /** The unit: one read buffer of the JDK client, the largest piece of a body it hands over. */
    static final int PIECE = Integer.getInteger("jdk.httpclient.bufsize", ClientProperties.BUFSIZE);
    /**
     * A plain HTTP/1.1 exchange. One read of the origin's socket fills up to three buffers (the JDK's
     * {@code SocketTube.MAX_BUFFERS}), handed over one at a time, and the JDK may read again before the relay has
     * taken them all (it asks the socket whenever its queue is empty for a moment while a read is still being
     * queued), so what a client that stops reading leaves in that queue is not bounded by the JDK: in heap dumps of
     * 495 stalled exchanges (load 5) it held 4.1 buffers on average and at most 18, plus the connection's partly
     * filled buffer and the relay's own copy: 5.9 pieces in all on average.
     */
    static final int PLAIN_PIECES = 8;
    /**
     * An exchange over TLS, HTTP/1.1 or HTTP/2. HTTP/1.1: a read buffer that grows to 128 KiB for the encrypted
     * bytes, decrypted buffers of 16 KiB, the relay's copy; 5.5 pieces per stalled exchange measured. HTTP/2: the
     * stream's receive window ({@code jdk.httpclient.windowsize}), which the JDK fills before it waits for the relay,
     * in frames that may each keep twice their size alive; 3.9 pieces measured with a window of 128 KiB.
     */
    static final int TLS_PIECES = Math.max(10,
            2 * Integer.getInteger("jdk.httpclient.windowsize", ClientProperties.H2_STREAM_WINDOW) / PIECE + 1);
    /** Half the heap: the rest holds the connections themselves (10 000 idle ones take about 45 MiB) and the rest. */
    static final StreamMemory SHARED = new StreamMemory(
            (int) Math.max(4L * TLS_PIECES, Runtime.getRuntime().maxMemory() / 2 / PIECE), MemoryPressure.SHARED);

    private final int pieces;
    private final int maxWaiting;
    private final Semaphore free;
    private final MemoryPressure pressure;

    StreamMemory(int pieces) {
        this(pieces, new MemoryPressure());
    }

    StreamMemory(int pieces, MemoryPressure pressure) {
        this.pieces = pieces;
        this.pressure = pressure;
        // Each request that waits holds its connection and thread too: beyond this many, one is refused at once.
        this.maxWaiting = Math.max(1, pieces / PLAIN_PIECES);
        // Fair: a request that waits is served before later ones, so none waits for ever behind a stream of others.
        this.free = new Semaphore(pieces, true);
    }

    /** The pieces an exchange with {@code uri}'s origin reserves. */
    static int piecesFor(URI uri) {
        return "https".equalsIgnoreCase(uri.getScheme()) ? TLS_PIECES : PLAIN_PIECES;
    }

    /** The pieces no exchange holds now. */
    int free() {
        return free.availablePermits();
    }

    /** About how many requests wait for a share now. */
    int waiting() {
        return free.getQueueLength();
    }

    /**
     * A share of {@code count} pieces, waiting for them at most {@code patienceNanos}; null when none freed in time,
     * or at once when the heap is short, or when the budget is spent and as many requests as it holds plain
     * exchanges already wait.
     */
    Share reserve(int count, long patienceNanos) throws InterruptedException {
        if (pressure.high()) {
            return null;
        }
        int wanted = Math.min(count, pieces);
        long patience = free.getQueueLength() >= maxWaiting ? 0 : Math.max(0, patienceNanos);
        if (!free.tryAcquire(wanted, patience, TimeUnit.NANOSECONDS)) {
            return null;
        }
        if (pressure.high()) {
            // The heap ran short while this request waited: the memory a cut stream gave back is not for a new one.
            free.release(wanted);
            return null;
        }
        return new Share(wanted);
    }

    /** What one exchange holds of the budget; given back once, by whichever of its ends comes first. */
    final class Share implements AutoCloseable {
        private final AtomicInteger held;

        private Share(int count) {
            this.held = new AtomicInteger(count);
        }

        int held() {
            return held.get();
        }

        /**
         * Makes the share at least {@code count} pieces (a redirect to an origin that costs more), waiting at most
         * {@code patienceNanos}; false when the rest did not free in time, and the share is as it was.
         */
        boolean growTo(int count, long patienceNanos) throws InterruptedException {
            int more = Math.min(count, pieces) - held.get();
            if (more <= 0) {
                return true;
            }
            if (pressure.high() || !free.tryAcquire(more, Math.max(0, patienceNanos), TimeUnit.NANOSECONDS)) {
                return false;
            }
            held.addAndGet(more);
            return true;
        }

        @Override
        public void close() {
            int count = held.getAndSet(0);
            if (count > 0) {
                free.release(count);
            }
        }
    }
}
