package dev.sprox.http2;

import static dev.sprox.http2.ErrorCode.PROTOCOL_ERROR;
import static dev.sprox.http2.ErrorCode.REFUSED_STREAM;
import static dev.sprox.http2.ErrorCode.STREAM_CLOSED;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The states of a server connection's streams (RFC 9113 §5.1): which frames the client may send on which stream.
 * Only active streams are kept; a stream id at or below the highest one seen that is not active is closed, and
 * one above it is idle, so memory follows the concurrency limit, not the connection's age. The reading thread
 * reports what arrives; stream threads report when their response has ended.
 */
final class StreamStates {

    private enum State { OPEN, HALF_CLOSED_REMOTE, HALF_CLOSED_LOCAL }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Integer, State> active = new HashMap<>();
    private final int maxConcurrent;
    private int highestId;

    StreamStates(int maxConcurrent) {
        this.maxConcurrent = maxConcurrent;
    }

    /** What a HEADERS frame did: opened a new request stream, or carried the trailers of an open one. */
    enum HeadersRole { NEW_STREAM, TRAILERS }

    HeadersRole headers(int id, boolean endStream) throws Http2Exception {
        lock.lock();
        try {
            State state = active.get(id);
            if (state == State.OPEN || state == State.HALF_CLOSED_LOCAL) {
                if (!endStream) {
                    throw Http2Exception.stream(PROTOCOL_ERROR, id, "trailers without END_STREAM"); // §8.1
                }
                remoteEnded(id, state);
                return HeadersRole.TRAILERS;
            }
            if (state == State.HALF_CLOSED_REMOTE) {
                throw Http2Exception.stream(STREAM_CLOSED, id, "HEADERS on stream " + id + " after its END_STREAM");
            }
            if (id <= highestId && id % 2 == 1) {
                throw Http2Exception.connection(STREAM_CLOSED, "HEADERS on closed stream " + id);
            }
            if (id % 2 == 0) {
                throw Http2Exception.connection(PROTOCOL_ERROR, "a client stream needs an odd identifier, not " + id); // §5.1.1
            }
            highestId = id;
            if (active.size() >= maxConcurrent) {
                throw Http2Exception.stream(REFUSED_STREAM, id, "more than " + maxConcurrent + " concurrent streams"); // §5.1.2
            }
            active.put(id, endStream ? State.HALF_CLOSED_REMOTE : State.OPEN);
            return HeadersRole.NEW_STREAM;
        } finally {
            lock.unlock();
        }
    }

    void data(int id, boolean endStream) throws Http2Exception {
        lock.lock();
        try {
            requireNotIdle(id, "DATA");
            State state = active.get(id);
            if (state != State.OPEN && state != State.HALF_CLOSED_LOCAL) {
                throw Http2Exception.stream(STREAM_CLOSED, id, "DATA on stream " + id + " after its END_STREAM");
            }
            if (endStream) {
                remoteEnded(id, state);
            }
        } finally {
            lock.unlock();
        }
    }

    /** RST_STREAM from the client: the stream is closed; a reset of one already closed is ignored (§5.1). */
    void resetByPeer(int id) throws Http2Exception {
        lock.lock();
        try {
            requireNotIdle(id, "RST_STREAM");
            active.remove(id);
        } finally {
            lock.unlock();
        }
    }

    /** WINDOW_UPDATE names a stream: it may be closed (late updates are normal), never idle. */
    void windowUpdate(int id) throws Http2Exception {
        lock.lock();
        try {
            requireNotIdle(id, "WINDOW_UPDATE");
        } finally {
            lock.unlock();
        }
    }

    /** Our side ended the stream: the response's last frame went out, or we reset it. */
    void closedLocally(int id) {
        lock.lock();
        try {
            if (active.get(id) == State.OPEN) {
                active.put(id, State.HALF_CLOSED_LOCAL);
            } else {
                active.remove(id);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * We reset the stream (RST_STREAM), or answered it in full while the client was still sending and told it to
     * stop (§8.1): it is closed whatever state it was in.
     */
    void resetLocally(int id) {
        lock.lock();
        try {
            active.remove(id);
        } finally {
            lock.unlock();
        }
    }

    /** The last stream id GOAWAY reports: every stream up to it may have been processed. */
    int highestId() {
        lock.lock();
        try {
            return highestId;
        } finally {
            lock.unlock();
        }
    }

    private void remoteEnded(int id, State state) {
        if (state == State.HALF_CLOSED_LOCAL) {
            active.remove(id);
        } else {
            active.put(id, State.HALF_CLOSED_REMOTE);
        }
    }

    private void requireNotIdle(int id, String frame) throws Http2Exception {
        if (id > highestId) {
            throw Http2Exception.connection(PROTOCOL_ERROR, frame + " on idle stream " + id); // §5.1
        }
    }
}
