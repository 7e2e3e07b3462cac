package dev.sprox.drm;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Stops asking a key server that keeps failing: after {@code threshold} failures in a row every lookup fails at
 * once for {@code openFor}, then one trial request is let through; its success closes the breaker, its
 * failure opens it again. Players get a quick 502 instead of each waiting out the timeouts.
 */
final class CircuitBreaker {
    private final int threshold;
    private final long openForNanos;
    private final LongSupplier clock;
    private int failures;
    private boolean open;
    private long openUntil;
    private boolean trialInFlight;

    CircuitBreaker(int threshold, Duration openFor, LongSupplier clock) {
        this.threshold = threshold;
        this.openForNanos = openFor.toNanos();
        this.clock = clock;
    }

    /** Whether a request may go to the key server now. */
    synchronized boolean allow() {
        if (!open) {
            return true;
        }
        if (clock.getAsLong() - openUntil < 0 || trialInFlight) {
            return false;
        }
        trialInFlight = true;
        return true;
    }

    /** The server answered (a key, or "no such key"). */
    synchronized void succeeded() {
        failures = 0;
        open = false;
        trialInFlight = false;
    }

    synchronized void failed() {
        failures++;
        trialInFlight = false;
        if (open || failures >= threshold) {
            open = true;
            openUntil = clock.getAsLong() + openForNanos;
        }
    }
}
