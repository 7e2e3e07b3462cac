package dev.sprox.telemetry;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The access log's appender: request threads queue their events, one worker thread encodes and writes them to
 * stdout, all the lines waiting at once in one write. A busy server so pays one system call per batch rather than
 * per request, and an idle one still writes each line as it comes. After a batch that did not fill, the worker
 * sleeps {@link #GATHER_MILLIS} before it looks again: otherwise nearly every request's line found it waiting and
 * woke it (a futex call and a context switch per request), and {@code /health} with the access log on ran at 72-78k
 * requests/s against 83-92k with the pause (wrk -c64, one sprox each, interleaved; 96-100k with the log off). A lone
 * line is still written at once. At most {@code queueSize} events wait (the queue's bound on memory); when that many
 * do, a request waits for room rather than a line being lost. Stopping (the logging context's shutdown hook on
 * SIGTERM) writes out what is still queued.
 */
public final class BatchingConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    /** Events written in one batch at most, so that a batch's bytes stay bounded too. */
    private static final int MAX_BATCH = 512;
    private static final long STOP_WAIT_MILLIS = 2000;
    private static final long GATHER_MILLIS = 2;

    private JsonLineEncoder encoder;
    private int queueSize = 8192;
    private PrintStream out = System.out;
    private BlockingQueue<ILoggingEvent> queue;
    private Thread worker;

    public void setEncoder(JsonLineEncoder encoder) {
        this.encoder = encoder;
    }

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    /** Where lines go instead of stdout (tests). */
    void setOut(PrintStream out) {
        this.out = out;
    }

    @Override
    public void start() {
        if (encoder == null) {
            addError("no encoder for appender " + name);
            return;
        }
        queue = new ArrayBlockingQueue<>(queueSize);
        worker = Thread.ofPlatform().daemon().name("access-log-writer").start(this::writeUntilStopped);
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        event.prepareForDeferredProcessing();
        try {
            queue.put(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        worker.interrupt();
        try {
            worker.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeUntilStopped() {
        List<ILoggingEvent> batch = new ArrayList<>(MAX_BATCH);
        var bytes = new JsonBytes(64 * 1024);
        try {
            while (true) {
                batch.add(queue.take());
                boolean full = queue.drainTo(batch, MAX_BATCH - 1) == MAX_BATCH - 1;
                write(batch, bytes);
                if (!full) {
                    // Let the next lines gather rather than each one waking this thread.
                    Thread.sleep(GATHER_MILLIS);
                }
            }
        } catch (InterruptedException stopping) {
            while (queue.drainTo(batch, MAX_BATCH) > 0) {
                write(batch, bytes);
            }
        }
    }

    private void write(List<ILoggingEvent> batch, JsonBytes bytes) {
        for (ILoggingEvent event : batch) {
            int before = bytes.size();
            try {
                encoder.encode(event, bytes);
            } catch (RuntimeException e) {
                bytes.truncate(before); // no half line
                addError("could not encode an access log event", e); // the worker must outlive one bad event
            }
        }
        batch.clear();
        bytes.writeTo(out);
        out.flush();
        bytes.reset();
    }
}
