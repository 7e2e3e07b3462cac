package dev.sprox.direct;

import dev.sprox.telemetry.Metrics;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Direct requests in flight, capped at {@code direct_stream.max_concurrent}. One per process, outliving
 * configuration generations: the cap is read from the generation at each request, so a reload that lowers it
 * takes effect as streams end, and streams admitted under the old generation still count. Never queues: a full house is
 * an immediate refusal, so a player retries rather than hangs.
 */
public final class StreamSlots {
    private final AtomicInteger inUse = new AtomicInteger();

    StreamSlots() {}

    /** The process's slots, reported as {@code sprox_direct_streams_active}. */
    public static StreamSlots counted(Metrics metrics) {
        var slots = new StreamSlots();
        metrics.directStreamsActive(slots::inUse);
        return slots;
    }

    /** Held from admission until the answer's last byte is written or the client left. */
    final class Slot implements AutoCloseable {
        private final AtomicBoolean released = new AtomicBoolean();

        /** Idempotent: the normal end and an error path may both release. */
        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                inUse.decrementAndGet();
            }
        }
    }

    Optional<Slot> tryAcquire(int limit) {
        while (true) {
            int now = inUse.get();
            if (now >= limit) {
                return Optional.empty();
            }
            if (inUse.compareAndSet(now, now + 1)) {
                return Optional.of(new Slot());
            }
        }
    }

    int inUse() {
        return inUse.get();
    }
}
