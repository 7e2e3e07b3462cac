package dev.sprox.http2;

import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How many DATA octets we may still send (RFC 9113 §5.2, §6.9): one window for the connection and one per stream.
 * A stream's writer waits here while the peer reads nothing, so a stalled reader stalls its own stream and holds
 * no more than one frame's worth of memory; the wait ends at the caller's send deadline.
 */
final class SendWindow {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition opened = lock.newCondition();
    private long available;
    private boolean abandoned;

    SendWindow(long initial) {
        this.available = initial;
    }

    long available() {
        lock.lock();
        try {
            return available;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Up to {@code wanted} octets, as many as the window holds once it holds any; waits while it is empty or
     * negative (§6.9.2: a smaller SETTINGS_INITIAL_WINDOW_SIZE can take it below zero). 0 once the window is
     * {@link #abandon abandoned}: the stream or connection it belongs to has ended.
     */
    int acquire(int wanted, long deadlineNanos) throws InterruptedException, TimeoutException {
        lock.lock();
        try {
            while (available <= 0 && !abandoned) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("flow-control window stayed closed until the send deadline");
                }
                opened.awaitNanos(left);
            }
            if (abandoned) {
                return 0;
            }
            int granted = (int) Math.min(wanted, available);
            available -= granted;
            return granted;
        } finally {
            lock.unlock();
        }
    }

    /** All of {@code octets} at once if the window holds them now, without waiting; false leaves it unchanged. */
    boolean tryAcquire(int octets) {
        lock.lock();
        try {
            if (abandoned || available < octets) {
                return false;
            }
            available -= octets;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The stream was reset or the connection ended: a writer waiting here stops waiting, and none waits again. */
    void abandon() {
        lock.lock();
        try {
            abandoned = true;
            opened.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Octets acquired but not sent (the connection window granted fewer), handed back. */
    void giveBack(int octets) {
        change(octets);
    }

    /** A WINDOW_UPDATE: §6.9.1, a window above 2^31-1 is a FLOW_CONTROL_ERROR for whoever owns it. */
    void grow(int increment, int streamId) throws Http2Exception {
        lock.lock();
        try {
            if (available + increment > Setting.MAX_WINDOW_SIZE) {
                String message = "WINDOW_UPDATE takes the window above 2^31-1";
                throw streamId == 0 ? Http2Exception.connection(ErrorCode.FLOW_CONTROL_ERROR, message)
                        : Http2Exception.stream(ErrorCode.FLOW_CONTROL_ERROR, streamId, message);
            }
            available += increment;
            opened.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** §6.9.2: the peer changed SETTINGS_INITIAL_WINDOW_SIZE, moving every open stream's window by the difference. */
    void resize(long delta) throws Http2Exception {
        lock.lock();
        try {
            if (available + delta > Setting.MAX_WINDOW_SIZE) {
                throw Http2Exception.connection(ErrorCode.FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE takes a window above 2^31-1");
            }
            change(delta);
        } finally {
            lock.unlock();
        }
    }

    private void change(long delta) {
        lock.lock();
        try {
            available += delta;
            if (available > 0) {
                opened.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }
}
