package dev.sprox.http2;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one writer of a connection: every frame, from the reading thread and from each stream's thread, goes out
 * through here under one lock, so frames never interleave and header blocks are HPACK-encoded in the order they
 * are sent (the peer's decoder depends on it). Output is buffered and flushed when nobody else is waiting to
 * write, so frames from busy streams leave in batches and a lone frame leaves at once. Buffer: 16 KiB.
 */
final class FrameOutput {
    private static final int BUFFER_SIZE = 16 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final OutputStream out;
    private final FrameWriter frames;
    private final HpackEncoder encoder = new HpackEncoder(4096, true);
    /** The peer's SETTINGS_MAX_FRAME_SIZE: no frame we send may be larger. */
    private volatile int peerMaxFrameSize = Setting.MIN_MAX_FRAME_SIZE;
    /** A write failed: the connection is gone and every later write fails at once (guarded by the lock). */
    private IOException broken;

    FrameOutput(OutputStream socketOutput) {
        this.out = new BufferedOutputStream(socketOutput, BUFFER_SIZE);
        this.frames = new FrameWriter(out);
    }

    int peerMaxFrameSize() {
        return peerMaxFrameSize;
    }

    void peerMaxFrameSize(int size) {
        peerMaxFrameSize = size;
    }

    void peerHeaderTableSize(int size) throws IOException {
        write(() -> encoder.peerTableSizeLimit(size));
    }

    void headers(int streamId, List<HeaderField> fields, boolean endStream) throws IOException {
        write(() -> frames.headers(streamId, encoder.encode(fields), endStream, peerMaxFrameSize));
    }

    /** A whole small response, HEADERS and one DATA frame with END_STREAM, in one write and one flush. */
    void headersAndData(int streamId, List<HeaderField> fields, byte[] body) throws IOException {
        write(() -> {
            frames.headers(streamId, encoder.encode(fields), false, peerMaxFrameSize);
            frames.data(streamId, body, 0, body.length, true);
        });
    }

    void data(int streamId, byte[] payload, int offset, int length, boolean endStream) throws IOException {
        write(() -> frames.data(streamId, payload, offset, length, endStream));
    }

    void rstStream(int streamId, ErrorCode error) throws IOException {
        write(() -> frames.rstStream(streamId, error));
    }

    void settings(List<Setting> settings) throws IOException {
        write(() -> frames.settings(settings));
    }

    void settingsAck() throws IOException {
        write(frames::settingsAck);
    }

    void pingAck(long opaqueData) throws IOException {
        write(() -> frames.ping(true, opaqueData));
    }

    /** Flushed at once, whoever waits: the connection may be half-closed right after. */
    void goAway(int lastStreamId, ErrorCode error, String debug) throws IOException {
        write(() -> {
            frames.goAway(lastStreamId, error, debug.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.flush();
        });
    }

    void windowUpdate(int streamId, int increment) throws IOException {
        write(() -> frames.windowUpdate(streamId, increment));
    }

    private interface Write {
        void run() throws IOException;
    }

    private void write(Write write) throws IOException {
        lock.lock();
        try {
            if (broken != null) {
                throw new IOException("connection already failed: " + broken.getMessage());
            }
            try {
                write.run();
                // Whoever waits for the lock writes next and flushes after; the last writer flushes for all.
                if (!lock.hasQueuedThreads()) {
                    out.flush();
                }
            } catch (IOException e) {
                broken = e;
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }
}
