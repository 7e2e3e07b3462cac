package dev.sprox.pipeline;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One configuration's request steps and the requests running under them: a request holds its generation from
 * its first step until its response is written, while a reload builds the next generation beside it. A retired
 * generation closes what it owns (upstream clients, keys) when its last request has finished.
 */
public final class Generation {
    private static final int RETIRED = 1 << 30;

    private final RequestSteps steps;
    private final Runnable close;
    /** Requests in flight, plus {@link #RETIRED} once replaced. */
    private final AtomicInteger users = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param close run once, when the generation is retired and idle */
    public Generation(RequestSteps steps, Runnable close) {
        this.steps = steps;
        this.close = close;
    }

    public RequestSteps steps() {
        return steps;
    }

    /** Registers a request; false when this generation was retired and the caller must take the current one. */
    public boolean tryAcquire() {
        int now = users.incrementAndGet();
        if (now >= RETIRED) {
            release();
            return false;
        }
        return true;
    }

    public void release() {
        if (users.decrementAndGet() == RETIRED) {
            closeOnce();
        }
    }

    /** Marks the generation replaced; what it owns closes now or when its last request ends. */
    public void retire() {
        if (users.addAndGet(RETIRED) == RETIRED) {
            closeOnce();
        }
    }

    private void closeOnce() {
        if (closed.compareAndSet(false, true)) {
            close.run();
        }
    }
}
