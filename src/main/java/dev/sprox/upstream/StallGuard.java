package dev.sprox.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Read and total timeouts for origin bodies. The JDK client's body stream has no per-read timeout, so one
 * sweeper thread checks every open body and aborts those that made no progress within the read timeout or
 * ran past the request deadline: the stream is closed and the reading thread interrupted.
 */
final class StallGuard {
    private static final long SWEEP_MILLIS = 100;
    private static final Set<Guarded> OPEN = ConcurrentHashMap.newKeySet();
    private static final ScheduledExecutorService SWEEPER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("sprox-stall-guard").daemon(true).factory());

    static {
        SWEEPER.scheduleWithFixedDelay(StallGuard::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    private StallGuard() {}

    /** @param deadlineNanos {@link System#nanoTime()} by which the body must be complete, or 0 for none */
    static Guarded guard(PacedBody body, long readTimeoutNanos, long deadlineNanos) {
        var guarded = new Guarded(body, readTimeoutNanos, deadlineNanos);
        OPEN.add(guarded);
        return guarded;
    }

    private static void sweep() {
        long now = System.nanoTime();
        for (Guarded guarded : OPEN) {
            if (guarded.expired(now)) {
                guarded.abort();
            }
        }
    }

    @FunctionalInterface
    private interface Read<T> {
        T run() throws IOException;
    }

    static final class Guarded extends InputStream {
        private final PacedBody body;
        private final long readTimeoutNanos;
        private final long deadlineNanos;
        private volatile long lastProgress = System.nanoTime();
        private volatile Thread reader;
        private volatile boolean aborted;

        Guarded(PacedBody body, long readTimeoutNanos, long deadlineNanos) {
            this.body = body;
            this.readTimeoutNanos = readTimeoutNanos;
            this.deadlineNanos = deadlineNanos;
        }

        boolean expired(long now) {
            return reader != null && (now - lastProgress > readTimeoutNanos
                    || (deadlineNanos != 0 && now - deadlineNanos > 0));
        }

        void abort() {
            aborted = true;
            OPEN.remove(this);
            // Cancels the exchange; the interrupt below ends a read that waits for the origin.
            body.close();
            Thread blocked = reader;
            if (blocked != null) {
                blocked.interrupt();
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = guarded(() -> body.read(buffer, offset, length));
            if (n < 0) {
                OPEN.remove(this);
            }
            return n;
        }

        /** {@link PacedBody#nextPiece()}, within the same timeouts as a read. */
        ByteBuffer nextPiece() throws IOException {
            ByteBuffer piece = guarded(body::nextPiece);
            if (piece == null) {
                OPEN.remove(this);
            }
            return piece;
        }

        /** How long the relay may wait for a buffer: the same as a pause of the origin is tolerated. */
        long patienceNanos() {
            return readTimeoutNanos;
        }

        private <T> T guarded(Read<T> read) throws IOException {
            reader = Thread.currentThread();
            T n;
            try {
                n = read.run();
            } catch (IOException e) {
                reader = null;
                throw aborted ? stalled(e) : e;
            }
            reader = null;
            if (aborted) {
                throw stalled(null);
            }
            lastProgress = System.nanoTime();
            return n;
        }

        /** Clears the interrupt used to wake the reader: the failure is reported by this exception instead. */
        private static StalledException stalled(IOException cause) {
            Thread.interrupted();
            return new StalledException(cause);
        }

        /** Lets the relay tell a pause in the origin's body from bytes already waiting. */
        @Override
        public int available() throws IOException {
            return body.available();
        }

        @Override
        public void close() throws IOException {
            OPEN.remove(this);
            body.close();
        }
    }

    /** The origin stopped sending, or the whole exchange took too long. */
    static final class StalledException extends IOException {
        StalledException(Throwable cause) {
            super("origin body stalled or exceeded the request timeout", cause);
        }
    }
}
