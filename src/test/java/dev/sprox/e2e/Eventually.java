package dev.sprox.e2e;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polling for effects that sprox applies a moment after the event the test can see. */
final class Eventually {
    private static final Duration POLL = Duration.ofMillis(50);

    private Eventually() {}

    /** Probes until {@code done} holds and returns that value; fails with the last value after the timeout. */
    static <T> T until(Supplier<T> probe, Predicate<T> done, String what) {
        long deadline = System.nanoTime() + SproxProcess.TIMEOUT.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + SproxProcess.TIMEOUT + "; last: " + last);
            }
            sleep(POLL);
            last = probe.get();
        }
        return last;
    }

    /** Probes until {@code done} holds; fails after {@code timeout}, saying what did not happen and the state then. */
    static void within(Duration timeout, BooleanSupplier done, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what.get() + " did not happen within " + timeout);
            }
            sleep(POLL);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
