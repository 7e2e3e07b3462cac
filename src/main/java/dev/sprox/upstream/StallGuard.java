package dev.sprox.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read and total timeouts for origin bodies, and letting go of the origin while a client does not read. The JDK
 * client's body stream has no per-read timeout, so one sweeper thread checks every open body and aborts those that
 * made no progress within the read timeout or ran past the request deadline: the stream is closed and the reading
 * thread interrupted. The same sweep lets go of the origin's exchange of a body whose client has not taken a piece
 * for {@link #RELEASE_AFTER_NANOS} (a paused player), or sooner while other requests wait for an
 * {@link OriginExchanges} share: its connection, the buffers the HttpClient read ahead for it and its share are freed,
 * and the rest is asked for again by {@link Resumption} when the client reads on.
 */
final class StallGuard {
    private static final Logger LOG = LoggerFactory.getLogger(StallGuard.class);
    private static final long SWEEP_MILLIS = 100;
    /**
     * A client that takes less than one piece in this time drains under 128 kbit/s, slower than any video: its
     * origin is let go rather than held, at the cost of one more request if it reads on.
     */
    static final long RELEASE_AFTER_NANOS = 2_000_000_000L;
    /**
     * While requests wait for an exchange ({@link OriginExchanges#pressed}), clients that have not taken a piece in
     * this time (under 1.3 Mbit/s for now), the longest stalled first and as many as wait, give theirs up.
     */
    static final long PRESSED_RELEASE_AFTER_NANOS = 200_000_000L;
    private static final Set<Guarded> OPEN = ConcurrentHashMap.newKeySet();
    private static final ScheduledExecutorService SWEEPER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("sprox-stall-guard").daemon(true).factory());

    static {
        SWEEPER.scheduleWithFixedDelay(StallGuard::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    private StallGuard() {}

    /**
     * @param resumption    how to get the rest once the origin was let go; without one, the origin is held however
     *                      long the client pauses
     * @param exchanges     the exchanges the body's share is of: while requests wait for one, it is let go sooner
     * @param deadlineNanos {@link System#nanoTime()} by which the body must be complete, or 0 for none
     */
    static Guarded guard(PacedBody body, Optional<Resumption> resumption, OriginExchanges exchanges,
                         long readTimeoutNanos, long deadlineNanos) {
        var guarded = new Guarded(body, resumption, exchanges, readTimeoutNanos, deadlineNanos);
        OPEN.add(guarded);
        return guarded;
    }

    private static void sweep() {
        long now = System.nanoTime();
        var stalledWhilePressed = new HashMap<OriginExchanges, List<Stalled>>();
        for (Guarded guarded : OPEN) {
            // One body failing here must not end the sweeps: a scheduled task that throws is never run again.
            try {
                if (guarded.expired(now)) {
                    guarded.abort();
                } else if (!guarded.releaseIfWaiting(now, RELEASE_AFTER_NANOS) && guarded.exchanges.pressed()) {
                    long stalled = guarded.stalledNanos(now);
                    if (stalled >= PRESSED_RELEASE_AFTER_NANOS) {
                        stalledWhilePressed.computeIfAbsent(guarded.exchanges, e -> new ArrayList<>())
                                .add(new Stalled(guarded, stalled));
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("stall guard failed on a body", e);
            }
        }
        stalledWhilePressed.forEach((exchanges, stalled) -> makeRoom(exchanges, stalled, now));
    }

    /** A body whose client had been taking its last piece for {@code nanos} when the sweep saw it. */
    private record Stalled(Guarded body, long nanos) {}

    /**
     * Lets go of as many stalled bodies as requests wait for an exchange, the longest stalled first: a client that
     * is only briefly slower than its video keeps its origin.
     */
    private static void makeRoom(OriginExchanges exchanges, List<Stalled> stalled, long now) {
        stalled.sort(Comparator.comparingLong(Stalled::nanos).reversed());
        int room = exchanges.waiting();
        for (Stalled candidate : stalled) {
            if (room <= 0) {
                return;
            }
            try {
                if (candidate.body().releaseIfWaiting(now, PRESSED_RELEASE_AFTER_NANOS)) {
                    room--;
                }
            } catch (RuntimeException e) {
                LOG.warn("stall guard failed on a body", e);
            }
        }
    }

    /** Closes a body on a thread of its own: cancelling waits for the HttpClient's selector, and the sweep would too. */
    private static void closeOffSweeper(PacedBody body) {
        Thread.startVirtualThread(body::close);
    }

    @FunctionalInterface
    private interface Read<T> {
        T run() throws IOException;
    }

    /** A write to the client. */
    @FunctionalInterface
    interface Write {
        void run() throws IOException;
    }

    static final class Guarded extends InputStream {
        /** {@link #handingOver}'s value once the sweeper released the origin: the next piece resumes it. */
        private static final long RELEASED = -1;
        /** Before any {@link System#nanoTime()} this class sees, so that times since it are positive. */
        private static final long EPOCH = System.nanoTime() - 1;

        /**
         * The origin's body; none once the sweeper let it go (so that what the HttpClient holds for it can be
         * collected), replaced by the reading thread with the resumed one.
         */
        private final AtomicReference<PacedBody> body;
        private final Optional<Resumption> resumption;
        private final OriginExchanges exchanges;
        private final long readTimeoutNanos;
        private final long deadlineNanos;
        private volatile long lastProgress = System.nanoTime();
        private volatile Thread reader;
        private volatile boolean aborted;
        /** Since when (after {@link #EPOCH}) the client has been taking the last piece, 0 when it is not. */
        private final AtomicLong handingOver = new AtomicLong();
        /** Bytes handed to the reader; its thread's alone. */
        private long delivered;
        /** The sweeper let the origin go during the last hand-over; the reader's thread's alone. */
        private boolean released;

        Guarded(PacedBody body, Optional<Resumption> resumption, OriginExchanges exchanges, long readTimeoutNanos,
                long deadlineNanos) {
            this.body = new AtomicReference<>(body);
            this.resumption = resumption;
            this.exchanges = exchanges;
            this.readTimeoutNanos = readTimeoutNanos;
            this.deadlineNanos = deadlineNanos;
        }

        /**
         * Runs {@code write}, which gives what was read to the client: if it does not end within
         * {@link #RELEASE_AFTER_NANOS} (sooner while requests wait for an exchange), the origin is let go meanwhile
         * and the next read resumes it.
         */
        void handOver(Write write) throws IOException {
            handingOver.set(System.nanoTime() - EPOCH);
            try {
                write.run();
            } finally {
                if (handingOver.getAndSet(0) == RELEASED) {
                    released = true;
                }
                // Time spent on the client is not the origin's: the read timeout counts from here.
                lastProgress = System.nanoTime();
            }
        }

        /** How long the client has been taking the last piece; 0 when it is not, or the origin was let go. */
        long stalledNanos(long now) {
            long since = handingOver.get();
            return since <= 0 ? 0 : now - EPOCH - since;
        }

        /** Lets the origin go if the client has been taking the last piece for {@code afterNanos}; whether it did. */
        boolean releaseIfWaiting(long now, long afterNanos) {
            long since = handingOver.get();
            if (resumption.isEmpty() || since <= 0 || now - EPOCH - since < afterNanos) {
                return false;
            }
            // Read before the swap: once released, the reading thread may put the resumed body in its place. A body
            // whose exchange already ended holds no connection and no share: letting it go would free nothing.
            PacedBody held = body.get();
            if (held == null || !held.holdsShare() || !handingOver.compareAndSet(since, RELEASED)) {
                return false;
            }
            body.compareAndSet(held, null);
            closeOffSweeper(held);
            resumption.get().released();
            return true;
        }

        boolean expired(long now) {
            return reader != null && (now - lastProgress > readTimeoutNanos
                    || (deadlineNanos != 0 && now - deadlineNanos > 0));
        }

        void abort() {
            aborted = true;
            OPEN.remove(this);
            // Cancels the exchange; the interrupt below ends a read that waits for the origin.
            PacedBody current = body.get();
            if (current != null) {
                closeOffSweeper(current);
            }
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
            int n = guarded(() -> {
                PacedBody current = current();
                return current == null ? -1 : current.read(buffer, offset, length);
            });
            if (n < 0) {
                OPEN.remove(this);
            } else {
                delivered += n;
            }
            return n;
        }

        /** {@link PacedBody#nextPiece()}, within the same timeouts as a read. */
        ByteBuffer nextPiece() throws IOException {
            ByteBuffer piece = guarded(() -> {
                PacedBody current = current();
                return current == null ? null : current.nextPiece();
            });
            if (piece == null) {
                OPEN.remove(this);
            } else {
                delivered += piece.remaining();
            }
            return piece;
        }

        /**
         * The body to read from: the origin asked again for the rest if it was let go meanwhile; null if it was let
         * go after its last byte was delivered (the end is seen only by the read after it).
         */
        private PacedBody current() throws IOException {
            if (released) {
                Resumption rest = resumption.orElseThrow();
                PacedBody resumed = rest.isDelivered(delivered) ? null : rest.resume(delivered);
                released = false;
                body.set(resumed);
            }
            return body.get();
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
        public int available() {
            PacedBody current = body.get();
            return released || current == null ? 0 : current.available();
        }

        @Override
        public void close() throws IOException {
            OPEN.remove(this);
            closeBody();
        }

        private void closeBody() {
            PacedBody current = body.get();
            if (current != null) {
                current.close();
            }
        }
    }

    /** The origin stopped sending, or the whole exchange took too long. */
    static final class StalledException extends IOException {
        StalledException(Throwable cause) {
            super("origin body stalled or exceeded the request timeout", cause);
        }
    }
}
