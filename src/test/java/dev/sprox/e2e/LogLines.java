package dev.sprox.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The lines of one output stream of a child process, read on a background thread so the child never blocks
 * on a full pipe, and waited on with a deadline so a missing line fails the test instead of hanging it.
 */
final class LogLines {
    private final String name;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;
    private boolean ended;

    LogLines(String name, InputStream stream) {
        this.name = name;
        this.reader = Thread.ofPlatform().daemon().name("e2e-" + name).start(() -> readAll(stream));
    }

    private void readAll(InputStream stream) {
        try (var in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                add(line);
            }
        } catch (IOException e) {
            // The process went away; what was read so far stays available.
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    private synchronized void add(String line) {
        lines.add(line);
        notifyAll();
    }

    synchronized List<String> all() {
        return List.copyOf(lines);
    }

    /** How many lines have arrived; pass it to {@link #awaitFrom} to wait only for lines after this point. */
    synchronized int mark() {
        return lines.size();
    }

    String await(Predicate<String> wanted, Duration timeout) {
        return awaitFrom(0, wanted, timeout);
    }

    /** The first line at or after index {@code from} that matches; fails with everything read when none comes. */
    synchronized String awaitFrom(int from, Predicate<String> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int next = from;
        while (true) {
            for (; next < lines.size(); next++) {
                if (wanted.test(lines.get(next))) {
                    return lines.get(next);
                }
            }
            long left = deadline - System.nanoTime();
            if (ended || left <= 0) {
                throw new AssertionError("no matching line on " + name + (ended ? " before it ended" : " within "
                        + timeout) + "; got:\n" + String.join("\n", lines));
            }
            waitNanos(left);
        }
    }

    synchronized Optional<String> find(Predicate<String> wanted) {
        return lines.stream().filter(wanted).findFirst();
    }

    /** Waits until the stream ends (the process exited and its pipe drained). */
    void awaitEnd(Duration timeout) throws InterruptedException {
        if (!reader.join(timeout)) {
            throw new AssertionError(name + " did not end within " + timeout);
        }
    }

    synchronized String text() {
        return String.join("\n", lines);
    }

    private void waitNanos(long nanos) {
        try {
            wait(Math.max(1, nanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name, e);
        }
    }
}
