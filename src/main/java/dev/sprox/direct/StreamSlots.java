package dev.sprox.direct;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Direct requests in flight, capped at {@code direct_stream.max_concurrent}. One per process, outliving
 * configuration snapshots: the cap is read from the snapshot at each request, so a reload that lowers it takes
 * effect as streams end, and streams admitted under the old snapshot still count. Never queues: a full house is
 * an immediate refusal, so a player retries rather than hangs.
 */
final class StreamSlots {
    private final AtomicInteger inUse = new AtomicInteger();

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
