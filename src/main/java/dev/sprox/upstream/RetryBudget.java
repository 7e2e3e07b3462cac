package dev.sprox.upstream;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Caps retries at a share of recent requests over a sliding window, plus a small reserve per second, so
 * an origin in trouble is not hit by a storm of retries. The window is kept as ten slots.
 */
public final class RetryBudget {
    private static final int SLOTS = 10;

    private final ReentrantLock lock = new ReentrantLock();
    private final double ratio;
    private final long reserve;
    private final long slotNanos;
    private final long[] requests = new long[SLOTS];
    private final long[] retries = new long[SLOTS];
    private long currentSlot;

    public RetryBudget(RetryConfig config) {
        this.ratio = config.budgetRatio();
        this.reserve = (long) config.minRetriesPerSecond() * Math.max(1, config.budgetWindow().toSeconds());
        this.slotNanos = Math.max(1, config.budgetWindow().toNanos() / SLOTS);
        this.currentSlot = System.nanoTime() / slotNanos;
    }

    public void recordRequest() {
        lock.lock();
        try {
            requests[advance()]++;
        } finally {
            lock.unlock();
        }
    }

    /** Takes one retry from the budget; false when the window's share is spent. */
    public boolean tryRetry() {
        lock.lock();
        try {
            int slot = advance();
            long totalRequests = 0;
            long totalRetries = 0;
            for (int i = 0; i < SLOTS; i++) {
                totalRequests += requests[i];
                totalRetries += retries[i];
            }
            if (totalRetries >= (long) (totalRequests * ratio) + reserve) {
                return false;
            }
            retries[slot]++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Moves the window to now, emptying the slots that fell out of it; returns the current slot. */
    private int advance() {
        long now = System.nanoTime() / slotNanos;
        long steps = Math.min(SLOTS, now - currentSlot);
        for (long i = 1; i <= steps; i++) {
            int slot = (int) Math.floorMod(currentSlot + i, SLOTS);
            requests[slot] = 0;
            retries[slot] = 0;
        }
        currentSlot = Math.max(currentSlot, now);
        return (int) Math.floorMod(currentSlot, SLOTS);
    }
}
