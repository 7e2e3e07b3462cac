package dev.sprox.upstream;

import java.time.Duration;

/**
 * Retries of GET and HEAD after transport errors (never after an HTTP status), with exponential backoff
 * and jitter, under a budget that keeps retries from multiplying an origin's trouble.
 *
 * @param maxAttempts   attempts in all, the first included
 * @param jitter        each delay is multiplied by a random factor in [1 - jitter, 1 + jitter]
 * @param budgetRatio   retries allowed per request over the window (0.2 = one retry per five requests)
 * @param budgetWindow  the sliding window the ratio is measured over
 * @param minRetriesPerSecond retries always allowed, whatever the ratio, so a quiet route can still retry
 */
public record RetryConfig(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay,
                          double jitter, double budgetRatio, Duration budgetWindow, int minRetriesPerSecond) {

    public static final RetryConfig DEFAULT = new RetryConfig(3, Duration.ofMillis(100), 2.0, Duration.ofSeconds(5),
            0.2, 0.2, Duration.ofSeconds(10), 10);
}
