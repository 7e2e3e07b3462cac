package dev.sprox.http2;

import java.io.ByteArrayOutputStream;

/**
 * Joins a HEADERS frame and its CONTINUATION frames into one block (RFC 9113 §4.3, §6.10). Nothing else may come
 * in between, and the block is bounded as it arrives rather than once it ends: a peer that sends CONTINUATION
 * frames forever (CVE-2024-27316) is stopped at {@code maxBlockSize} octets instead of growing the heap.
 */
final class HeaderBlockAssembler {

    private final int maxBlockSize;
    private ByteArrayOutputStream block;
    private int streamId;
    private boolean endStream;

    HeaderBlockAssembler(int maxBlockSize) {
        this.maxBlockSize = maxBlockSize;
    }

    /** A complete header block for one stream, still HPACK-encoded. */
    record Block(int streamId, byte[] fragment, boolean endStream) {}

    /** Whether a block has started and awaits its CONTINUATION frames; every other frame is then an error. */
    boolean inProgress() {
        return block != null;
    }

    /** The HEADERS frame; returns the block when it is complete in this frame, else null. */
    Block start(Frame.Headers headers) throws Http2Exception {
        if (inProgress()) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "HEADERS while a header block is still open");
        }
        if (headers.endHeaders()) {
            requireWithinLimit(headers.fragment().length);
            return new Block(headers.streamId(), headers.fragment(), headers.endStream());
        }
        block = new ByteArrayOutputStream();
        streamId = headers.streamId();
        endStream = headers.endStream();
        append(headers.fragment());
        return null;
    }

    /** A CONTINUATION frame; returns the block when this frame ends it, else null. */
    Block continueWith(Frame.Continuation continuation) throws Http2Exception {
        if (!inProgress() || continuation.streamId() != streamId) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "CONTINUATION without an open header block on stream " + continuation.streamId());
        }
        append(continuation.fragment());
        if (!continuation.endHeaders()) {
            return null;
        }
        var complete = new Block(streamId, block.toByteArray(), endStream);
        block = null;
        return complete;
    }

    /** §6.10: any other frame while a block is open is a connection error. */
    void requireNoneOpen(Frame frame) throws Http2Exception {
        if (inProgress()) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR,
                    frame.getClass().getSimpleName() + " inside the header block of stream " + streamId);
        }
    }

    private void append(byte[] fragment) throws Http2Exception {
        requireWithinLimit(block.size() + fragment.length);
        block.writeBytes(fragment);
    }

    private void requireWithinLimit(int size) throws Http2Exception {
        if (size > maxBlockSize) {
            throw Http2Exception.connection(ErrorCode.ENHANCE_YOUR_CALM,
                    "header block of more than " + maxBlockSize + " octets");
        }
    }
}
