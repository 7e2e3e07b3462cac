package dev.sprox.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read and total timeouts for origin bodies. The JDK client's body stream has no per-read timeout, so one
 * sweeper thread checks every open body and aborts those that made no progress within the read timeout or
 * ran past the request deadline: the stream is closed and the reading thread interrupted. A guarded body also
 * holds its exchange's {@link StreamMemory.Share}, given back when the body ends, is closed or is aborted. While
 * the heap is short ({@link MemoryPressure}), the sweeper also cuts the streams whose client has not taken a write
 * for {@link #SHED_AFTER_NANOS}: they hold what the JDK read ahead for them, and would until the send timeout.
 */
final class StallGuard {
    /**
     * A write that blocks this long is a client that stopped reading, or one on a link too slow to be kept when the
     * heap is short (a write of one piece takes a second below 256 kbit/s). Short, because the JDK keeps reading ahead
     * for such a stream for a while after it stalled: 247 of them grew from 37 to 117 MiB in 0.4 s.
     */
    static final long SHED_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Logger LOG = LoggerFactory.getLogger(StallGuard.class);
    private static final long SWEEP_MILLIS = 100;
    private static final Set<Guarded> OPEN = ConcurrentHashMap.newKeySet();
    private static final ScheduledExecutorService SWEEPER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("sprox-stall-guard").daemon(true).factory());

    static {
        SWEEPER.scheduleWithFixedDelay(StallGuard::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    private StallGuard() {}

    /** @param deadlineNanos {@link System#nanoTime()} by which the body must be complete, or 0 for none */
    static Guarded guard(PacedBody body, long readTimeoutNanos, long deadlineNanos, StreamMemory.Share share) {
        var guarded = new Guarded(body, readTimeoutNanos, deadlineNanos, share);
        OPEN.add(guarded);
        return guarded;
    }

    private static void sweep() {
        long now = System.nanoTime();
        int cut = sweep(OPEN, now, MemoryPressure.SHARED.high());
        if (cut > 0) {
            LOG.atWarn().addKeyValue("streams", cut).log("heap short: cut streams whose clients stopped reading");
        }
        MemoryPressure.SHARED.recheck(now);
    }

    /** Aborts the bodies in {@code open} that expired and, if {@code memoryShort}, sheds; returns how many it shed. */
    static int sweep(Iterable<Guarded> open, long now, boolean memoryShort) {
        int shed = 0;
        for (Guarded guarded : open) {
            if (guarded.expired(now)) {
                guarded.abort();
            } else if (memoryShort && guarded.sendingLongerThan(now, SHED_AFTER_NANOS)) {
                guarded.shed();
                shed++;
            }
        }
        return shed;
    }

    @FunctionalInterface
    private interface Read<T> {
        T run() throws IOException;
    }

    static final class Guarded extends InputStream {
        private static final long NOT_SENDING = Long.MIN_VALUE;

        private final PacedBody body;
        private final long readTimeoutNanos;
        private final long deadlineNanos;
        private final StreamMemory.Share share;
        private volatile long lastProgress = System.nanoTime();
        private volatile Thread reader;
        private volatile boolean aborted;
        /** {@link System#nanoTime()} when the relay began the write to its client in progress, or NOT_SENDING. */
        private volatile long sendingSince = NOT_SENDING;
        private volatile Thread sender;

        Guarded(PacedBody body, long readTimeoutNanos, long deadlineNanos, StreamMemory.Share share) {
            this.body = body;
            this.readTimeoutNanos = readTimeoutNanos;
            this.deadlineNanos = deadlineNanos;
            this.share = share;
        }

        boolean expired(long now) {
            return reader != null && (now - lastProgress > readTimeoutNanos
                    || (deadlineNanos != 0 && now - deadlineNanos > 0));
        }

        /** The relay begins a write of this body to its client, which blocks while the client does not read. */
        void sending() {
            sender = Thread.currentThread();
            sendingSince = System.nanoTime();
        }

        /** That write returned. */
        void sent() {
            sendingSince = NOT_SENDING;
            sender = null;
        }

        boolean sendingLongerThan(long now, long nanos) {
            long since = sendingSince;
            return since != NOT_SENDING && now - since > nanos;
        }

        /**
         * Cuts the stream: its exchange and share go, and its blocked write ends (a virtual thread interrupted in a
         * socket write closes that socket), so the client's connection goes too.
         */
        void shed() {
            abort();
            Thread blocked = sender;
            if (blocked != null) {
                blocked.interrupt();
            }
        }

        void abort() {
            aborted = true;
            OPEN.remove(this);
            // Cancels the exchange; the interrupt below ends a read that waits for the origin.
            body.close();
            share.close();
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
                ended();
            }
            return n;
        }

        /** {@link PacedBody#nextPiece()}, within the same timeouts as a read. */
        ByteBuffer nextPiece() throws IOException {
            ByteBuffer piece = guarded(body::nextPiece);
            if (piece == null) {
                ended();
            }
            return piece;
        }

        /** The whole body came: the JDK holds nothing more of this exchange. */
        private void ended() {
            OPEN.remove(this);
            share.close();
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
            share.close();
        }
    }

    /** The origin stopped sending, or the whole exchange took too long. */
    static final class StalledException extends IOException {
        StalledException(Throwable cause) {
            super("origin body stalled or exceeded the request timeout", cause);
        }
    }
}
