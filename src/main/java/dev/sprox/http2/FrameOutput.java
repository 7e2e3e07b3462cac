package dev.sprox.http2;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one writer of a connection: every frame, from the reading thread and from each stream's thread, goes out
 * through here under one lock, so frames never interleave and header blocks are HPACK-encoded in the order they
 * are sent (the peer's decoder depends on it). Output is buffered ({@link CoalescingOutput}, one 16 KiB frame
 * with its header). The first writer to leave frames in the buffer owes the flush: it lets the threads that are
 * ready to run go first ({@link Thread#yield()}: on a virtual thread, the streams the reader just started), and
 * whatever they wrote meanwhile leaves with its frames in one socket write. A lone frame still leaves at once. A
 * run of DATA frames of a whole frame or more goes out under one lock and is flushed at once unless another
 * writer waits: most of it reached the socket while it was written, and yielding there only slowed bodies down
 * (a 4 MiB segment to 640 streams: 86-153 MB/s with the yield, 217-250 without).
 */
final class FrameOutput {
    /**
     * A 16 KiB DATA frame and its 9-octet header: each such frame leaves in one socket write. With 16 KiB, the
     * header pushed each frame's last 9 octets into a write of their own at the end of every run.
     */
    private static final int BUFFER_SIZE = Setting.MIN_MAX_FRAME_SIZE + 9;

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
    /** Frames wait in the buffer and their first writer will flush them (guarded by the lock). */
    private boolean flushOwed;

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
     * {@code endStream}, under one lock. The caller holds the flow-control room for all of them.
     */
    void data(int streamId, byte[] payload, int offset, int length, boolean endStream) throws IOException {
        Write run = () -> {
            // 16 KiB at most even where the peer allows more, so streams sharing the connection interleave finely.
            int frameSize = Math.min(peerMaxFrameSize, Setting.MIN_MAX_FRAME_SIZE);
            int at = offset;
            int left = length;
            do {
                int n = Math.min(left, frameSize);
                left -= n;
                frames.data(streamId, payload, at, n, endStream && left == 0);
                at += n;
            } while (left > 0);
        };
        if (length < Setting.MIN_MAX_FRAME_SIZE) {
            write(run);
            return;
        }
        // A full frame or more went to the socket as it was written; only what is left of it waits, and a yield
        // would only hold back this stream's next run.
        locked(() -> {
            run.run();
            if (!lock.hasQueuedThreads()) {
                flushOwed = false;
                out.flush();
            }
        });
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

    /** Flushed at once, with whatever waits in the buffer: the connection may be half-closed right after. */
    void goAway(int lastStreamId, ErrorCode error, String debug) throws IOException {
        locked(() -> {
            frames.goAway(lastStreamId, error, debug.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            flushOwed = false;
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
        boolean owesFlush = locked(() -> {
            write.run();
            boolean first = !flushOwed;
            flushOwed = true;
            return first;
        });
        if (owesFlush) {
            Thread.yield();
            locked(() -> {
                if (flushOwed) {
                    flushOwed = false;
                    out.flush();
                }
            });
        }
    }

    private interface LockedWrite<T> {
        T run() throws IOException;
    }

    private void locked(Write write) throws IOException {
        locked(() -> {
            write.run();
            return null;
        });
    }

    /** Runs {@code write} under the lock; a failure breaks the connection's output for good. */
    private <T> T locked(LockedWrite<T> write) throws IOException {
        lock.lock();
        try {
            requireUnbroken();
            try {
                return write.run();
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
}
