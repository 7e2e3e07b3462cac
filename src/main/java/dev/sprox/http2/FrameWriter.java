package dev.sprox.http2;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes frames (RFC 9113 §4.1, §6) to a connection. Only the connection's single writer calls it, so frames
 * never interleave; it writes into the stream it is given and leaves flushing to that writer.
 */
public final class FrameWriter {

    private final OutputStream out;
    private final byte[] head = new byte[9];

    public FrameWriter(OutputStream out) {
        this.out = out;
    }

    public void data(int streamId, byte[] payload, int offset, int length, boolean endStream) throws IOException {
        header(length, 0, endStream ? FrameReader.END_STREAM : 0, streamId);
        out.write(payload, offset, length);
    }

    /** A header block, split into HEADERS and CONTINUATION frames of at most {@code maxFrameSize} octets. */
    public void headers(int streamId, byte[] block, boolean endStream, int maxFrameSize) throws IOException {
        headers(streamId, block, block.length, endStream, maxFrameSize);
    }

    /** The same for the first {@code blockLength} octets of {@code block}. */
    public void headers(int streamId, byte[] block, int blockLength, boolean endStream, int maxFrameSize)
            throws IOException {
        int first = Math.min(blockLength, maxFrameSize);
        int flags = (endStream ? FrameReader.END_STREAM : 0) | (first == blockLength ? FrameReader.END_HEADERS : 0);
        header(first, 1, flags, streamId);
        out.write(block, 0, first);
        for (int at = first; at < blockLength; at += maxFrameSize) {
            int length = Math.min(blockLength - at, maxFrameSize);
            header(length, 9, at + length == blockLength ? FrameReader.END_HEADERS : 0, streamId);
            out.write(block, at, length);
        }
    }

    public void rstStream(int streamId, ErrorCode error) throws IOException {
        header(4, 3, 0, streamId);
        int32(error.code());
    }

    public void settings(List<Setting> settings) throws IOException {
        header(settings.size() * 6, 4, 0, 0);
        for (Setting setting : settings) {
            out.write(setting.id() >>> 8);
            out.write(setting.id());
            int32((int) setting.value());
        }
    }

    public void settingsAck() throws IOException {
        header(0, 4, FrameReader.ACK, 0);
    }

    public void ping(boolean ack, long opaqueData) throws IOException {
        header(8, 6, ack ? FrameReader.ACK : 0, 0);
        int32((int) (opaqueData >>> 32));
        int32((int) opaqueData);
    }

    public void goAway(int lastStreamId, ErrorCode error, byte[] debugData) throws IOException {
        header(8 + debugData.length, 7, 0, 0);
        int32(lastStreamId);
        int32(error.code());
        out.write(debugData);
    }

    public void windowUpdate(int streamId, int increment) throws IOException {
        header(4, 8, 0, streamId);
        int32(increment);
    }

    private void header(int length, int type, int flags, int streamId) throws IOException {
        head[0] = (byte) (length >>> 16);
        head[1] = (byte) (length >>> 8);
        head[2] = (byte) length;
        head[3] = (byte) type;
        head[4] = (byte) flags;
        head[5] = (byte) (streamId >>> 24);
        head[6] = (byte) (streamId >>> 16);
        head[7] = (byte) (streamId >>> 8);
        head[8] = (byte) streamId;
        out.write(head);
    }

    private void int32(int value) throws IOException {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }
}
