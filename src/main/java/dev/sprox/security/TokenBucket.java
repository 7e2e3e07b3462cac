package dev.sprox.security;

/**
 * A token bucket: up to {@code capacity} requests at once, refilled at {@code refillPerSecond}. Not
 * thread-safe on its own; {@link RateLimiter} guards every bucket with its lock.
 */
final class TokenBucket {
    private final double capacity;
    private final double refillPerNano;
    private double tokens;
    private long updatedNanos;

    TokenBucket(double capacity, double refillPerSecond, long nowNanos) {
        this.capacity = capacity;
        this.refillPerNano = refillPerSecond / 1e9;
        this.tokens = capacity;
        this.updatedNanos = nowNanos;
    }

    /** Takes a token; when none is left, returns the nanoseconds until one will be, else 0. */
    long take(long nowNanos) {
        long wait = waitNanos(nowNanos);
        if (wait == 0) {
            tokens -= 1;
        }
        return wait;
    }

    /** Like {@link #take} without taking: for buckets that only failures spend. */
    long waitNanos(long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - updatedNanos) * refillPerNano);
        updatedNanos = nowNanos;
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / refillPerNano);
    }
}
