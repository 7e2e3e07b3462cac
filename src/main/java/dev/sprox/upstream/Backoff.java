package dev.sprox.upstream;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter: initial × multiplier^(n-1), capped, then spread by ±jitter. */
final class Backoff {
    private Backoff() {}

    static Duration delay(RetryConfig config, int failedAttempt) {
        double base = config.initialDelay().toNanos() * Math.pow(config.multiplier(), failedAttempt - 1);
        double capped = Math.min(base, config.maxDelay().toNanos());
        double spread = config.jitter() == 0 ? 1
                : ThreadLocalRandom.current().nextDouble(1 - config.jitter(), 1 + config.jitter());
        return Duration.ofNanos((long) (capped * spread));
    }
}
