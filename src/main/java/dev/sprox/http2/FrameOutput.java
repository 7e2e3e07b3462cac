package dev.sprox.http2;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one writer of a connection: every frame, from the reading thread and from each stream's thread, goes out
 * through here under one lock, so frames never interleave and header blocks are HPACK-encoded in the order they
 * are sent (the peer's decoder depends on it). Output is buffered ({@link CoalescingOutput}, 16 KiB) and flushed
 * when nobody else is waiting to write, so frames from busy streams leave in batches and a lone frame leaves at
 * once; a run of DATA frames of one stream goes out under one lock and one flush.
 */
final class FrameOutput {
    private static final int BUFFER_SIZE = 16 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final CoalescingOutput out;
    private final FrameWriter frames;
    private final HpackEncoder encoder = new HpackEncoder(4096, true);
    /** Every header block is encoded here, then framed from it: one array for the connection's life. */
    private final BlockWriter block = new BlockWriter(256);
    /** The peer's SETTINGS_MAX_FRAME_SIZE: no frame we send may be larger. */
    private volatile int peerMaxFrameSize = Setting.MIN_MAX_FRAME_SIZE;
    /** A write failed: the connection is gone and every later write fails at once (guarded by the lock). */
    private IOException broken;

    FrameOutput(OutputStream socketOutput) {
        this.out = new CoalescingOutput(socketOutput, BUFFER_SIZE);
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
        write(() -> headerBlock(streamId, fields, endStream));
    }

    private void headerBlock(int streamId, List<HeaderField> fields, boolean endStream) throws IOException {
        block.reset();
        encoder.encode(fields, block);
        frames.headers(streamId, block.array(), block.length(), endStream, peerMaxFrameSize);
    }

    /** A whole small response, HEADERS and one DATA frame with END_STREAM, in one write and one flush. */
    void headersAndData(int streamId, List<HeaderField> fields, byte[] body) throws IOException {
        write(() -> {
            headerBlock(streamId, fields, false);
            frames.data(streamId, body, 0, body.length, true);
        });
    }

    /**
     * {@code length} octets as DATA frames of at most 16 KiB, END_STREAM on the last when
     * {@code endStream}: one lock, one flush. The caller holds the flow-control room for all of them.
     */
    void data(int streamId, byte[] payload, int offset, int length, boolean endStream) throws IOException {
        lock.lock();
        try {
            requireUnbroken();
            try {
                // 16 KiB at most even where the peer allows more, so streams sharing the connection interleave finely.
                int frameSize = Math.min(peerMaxFrameSize, Setting.MIN_MAX_FRAME_SIZE);
                do {
                    int n = Math.min(length, frameSize);
                    length -= n;
                    frames.data(streamId, payload, offset, n, endStream && length == 0);
                    offset += n;
                } while (length > 0);
                flushUnlessOthersWait();
            } catch (IOException e) {
                broken = e;
                throw e;
            }
        } finally {
            lock.unlock();
        }
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
        lock.lock();
        try {
            requireUnbroken();
            try {
                frames.windowUpdate(streamId, increment);
                flushUnlessOthersWait();
            } catch (IOException e) {
                broken = e;
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    private interface Write {
        void run() throws IOException;
    }

    private void write(Write write) throws IOException {
        lock.lock();
        try {
            requireUnbroken();
            try {
                write.run();
                flushUnlessOthersWait();
            } catch (IOException e) {
                broken = e;
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    private void requireUnbroken() throws IOException {
        if (broken != null) {
            throw new IOException("connection already failed: " + broken.getMessage());
        }
    }

    /** Whoever waits for the lock writes next and flushes after; the last writer flushes for all. */
    private void flushUnlessOthersWait() throws IOException {
        if (!lock.hasQueuedThreads()) {
            out.flush();
        }
    }
}
