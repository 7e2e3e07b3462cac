package dev.sprox.http2;

import static dev.sprox.http2.ErrorCode.FLOW_CONTROL_ERROR;
import static dev.sprox.http2.ErrorCode.FRAME_SIZE_ERROR;
import static dev.sprox.http2.ErrorCode.PROTOCOL_ERROR;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads frames from a connection and checks what RFC 9113 §4 and §6 say about each type on its own; what depends
 * on stream state (§5.1) is the connection's to check. A frame can hold at most {@code maxFrameSize} octets (our
 * SETTINGS_MAX_FRAME_SIZE), so one read costs at most that much memory.
 */
public final class FrameReader {

    static final int END_STREAM = 0x1;
    static final int ACK = 0x1;
    static final int END_HEADERS = 0x4;
    static final int PADDED = 0x8;
    static final int PRIORITY = 0x20;

    private final InputStream in;
    private final int maxFrameSize;
    private final byte[] head = new byte[9];

    public FrameReader(InputStream in, int maxFrameSize) {
        this.in = in;
        this.maxFrameSize = maxFrameSize;
    }

    /** The next frame, or null when the peer closed the connection between frames. */
    public Frame read() throws IOException, Http2Exception {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        head[0] = (byte) first;
        readFully(head, 1, 8);
        int length = (head[0] & 0xFF) << 16 | (head[1] & 0xFF) << 8 | head[2] & 0xFF;
        int type = head[3] & 0xFF;
        int flags = head[4] & 0xFF;
        int streamId = int31(head, 5);
        if (length > maxFrameSize) {
            throw Http2Exception.connection(FRAME_SIZE_ERROR, "frame of " + length + " octets exceeds SETTINGS_MAX_FRAME_SIZE " + maxFrameSize);
        }
        if (type > 9) {
            in.skipNBytes(length);
            return new Frame.Unknown(type, streamId, length);
        }
        byte[] payload = new byte[length];
        readFully(payload, 0, length);
        return switch (type) {
            case 0 -> data(streamId, flags, payload);
            case 1 -> headers(streamId, flags, payload);
            case 2 -> priority(streamId, payload);
            case 3 -> rstStream(streamId, payload);
            case 4 -> settings(streamId, flags, payload);
            case 5 -> throw Http2Exception.connection(PROTOCOL_ERROR, "a client cannot send PUSH_PROMISE"); // §8.4
            case 6 -> ping(streamId, flags, payload);
            case 7 -> goAway(streamId, payload);
            case 8 -> windowUpdate(streamId, payload);
            default -> continuation(streamId, flags, payload);
        };
    }

    private static Frame data(int streamId, int flags, byte[] payload) throws Http2Exception {
        requireStream(streamId, "DATA");
        return new Frame.Data(streamId, unpadded(flags, payload, 0), (flags & END_STREAM) != 0, payload.length);
    }

    private static Frame headers(int streamId, int flags, byte[] payload) throws Http2Exception {
        requireStream(streamId, "HEADERS");
        int priorityLength = (flags & PRIORITY) != 0 ? 5 : 0;
        byte[] fragment = unpadded(flags, payload, priorityLength);
        if (priorityLength > 0) {
            int padLength = (flags & PADDED) != 0 ? 1 : 0;
            requireNotSelfDependent(streamId, int31(payload, padLength));
        }
        return new Frame.Headers(streamId, fragment, (flags & END_STREAM) != 0, (flags & END_HEADERS) != 0);
    }

    private static Frame priority(int streamId, byte[] payload) throws Http2Exception {
        requireStream(streamId, "PRIORITY");
        if (payload.length != 5) {
            throw Http2Exception.stream(FRAME_SIZE_ERROR, streamId, "PRIORITY of " + payload.length + " octets, not 5");
        }
        int dependsOn = int31(payload, 0);
        requireNotSelfDependent(streamId, dependsOn);
        return new Frame.Priority(streamId, dependsOn);
    }

    private static Frame rstStream(int streamId, byte[] payload) throws Http2Exception {
        requireStream(streamId, "RST_STREAM");
        if (payload.length != 4) {
            throw Http2Exception.connection(FRAME_SIZE_ERROR, "RST_STREAM of " + payload.length + " octets, not 4");
        }
        return new Frame.RstStream(streamId, ErrorCode.of(int32(payload, 0)));
    }

    private static Frame settings(int streamId, int flags, byte[] payload) throws Http2Exception {
        requireConnection(streamId, "SETTINGS");
        boolean ack = (flags & ACK) != 0;
        if (ack && payload.length != 0) {
            throw Http2Exception.connection(FRAME_SIZE_ERROR, "SETTINGS ACK with a payload");
        }
        if (payload.length % 6 != 0) {
            throw Http2Exception.connection(FRAME_SIZE_ERROR, "SETTINGS of " + payload.length + " octets, not a multiple of 6");
        }
        List<Setting> settings = new ArrayList<>(payload.length / 6);
        for (int at = 0; at < payload.length; at += 6) {
            var setting = new Setting((payload[at] & 0xFF) << 8 | payload[at + 1] & 0xFF, int32(payload, at + 2) & 0xFFFFFFFFL);
            checkValue(setting);
            settings.add(setting);
        }
        return new Frame.Settings(ack, List.copyOf(settings));
    }

    /** §6.5.2: the values a parameter may take. */
    private static void checkValue(Setting setting) throws Http2Exception {
        switch (setting.id()) {
            case Setting.ENABLE_PUSH -> {
                if (setting.value() > 1) {
                    throw Http2Exception.connection(PROTOCOL_ERROR, "SETTINGS_ENABLE_PUSH must be 0 or 1");
                }
            }
            case Setting.INITIAL_WINDOW_SIZE -> {
                if (setting.value() > Setting.MAX_WINDOW_SIZE) {
                    throw Http2Exception.connection(FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1");
                }
            }
            case Setting.MAX_FRAME_SIZE -> {
                if (setting.value() < Setting.MIN_MAX_FRAME_SIZE || setting.value() > Setting.MAX_MAX_FRAME_SIZE) {
                    throw Http2Exception.connection(PROTOCOL_ERROR, "SETTINGS_MAX_FRAME_SIZE outside 2^14..2^24-1");
                }
            }
            default -> { }
        }
    }

    private static Frame ping(int streamId, int flags, byte[] payload) throws Http2Exception {
        requireConnection(streamId, "PING");
        if (payload.length != 8) {
            throw Http2Exception.connection(FRAME_SIZE_ERROR, "PING of " + payload.length + " octets, not 8");
        }
        return new Frame.Ping((flags & ACK) != 0, (long) int32(payload, 0) << 32 | int32(payload, 4) & 0xFFFFFFFFL);
    }

    private static Frame goAway(int streamId, byte[] payload) throws Http2Exception {
        requireConnection(streamId, "GOAWAY");
        if (payload.length < 8) {
            throw Http2Exception.connection(FRAME_SIZE_ERROR, "GOAWAY of " + payload.length + " octets, less than 8");
        }
        byte[] debug = new byte[payload.length - 8];
        System.arraycopy(payload, 8, debug, 0, debug.length);
        return new Frame.GoAway(int31(payload, 0), ErrorCode.of(int32(payload, 4)), debug);
    }

    private static Frame windowUpdate(int streamId, byte[] payload) throws Http2Exception {
        if (payload.length != 4) {
            throw Http2Exception.connection(FRAME_SIZE_ERROR, "WINDOW_UPDATE of " + payload.length + " octets, not 4");
        }
        int increment = int31(payload, 0);
        if (increment == 0) {
            String message = "WINDOW_UPDATE with an increment of 0";
            throw streamId == 0 ? Http2Exception.connection(PROTOCOL_ERROR, message)
                    : Http2Exception.stream(PROTOCOL_ERROR, streamId, message);
        }
        return new Frame.WindowUpdate(streamId, increment);
    }

    private static Frame continuation(int streamId, int flags, byte[] payload) throws Http2Exception {
        requireStream(streamId, "CONTINUATION");
        return new Frame.Continuation(streamId, payload, (flags & END_HEADERS) != 0);
    }

    /** §6.1: the pad length octet, then data, then that many octets of padding, which must fit. */
    private static byte[] unpadded(int flags, byte[] payload, int skipAfterPadLength) throws Http2Exception {
        int padLength = 0;
        int start = 0;
        if ((flags & PADDED) != 0) {
            if (payload.length == 0) {
                throw Http2Exception.connection(FRAME_SIZE_ERROR, "PADDED frame without a pad length");
            }
            padLength = payload[0] & 0xFF;
            start = 1;
        }
        start += skipAfterPadLength;
        int end = payload.length - padLength;
        if (end < start) {
            throw Http2Exception.connection(PROTOCOL_ERROR, "padding longer than the frame");
        }
        if (start == 0 && end == payload.length) {
            return payload;
        }
        byte[] content = new byte[end - start];
        System.arraycopy(payload, start, content, 0, content.length);
        return content;
    }

    private static void requireStream(int streamId, String type) throws Http2Exception {
        if (streamId == 0) {
            throw Http2Exception.connection(PROTOCOL_ERROR, type + " on stream 0");
        }
    }

    private static void requireConnection(int streamId, String type) throws Http2Exception {
        if (streamId != 0) {
            throw Http2Exception.connection(PROTOCOL_ERROR, type + " on stream " + streamId + ", not 0");
        }
    }

    /** §5.3.1: a stream cannot depend on itself. */
    private static void requireNotSelfDependent(int streamId, int dependsOn) throws Http2Exception {
        if (dependsOn == streamId) {
            throw Http2Exception.stream(PROTOCOL_ERROR, streamId, "stream " + streamId + " depends on itself");
        }
    }

    private void readFully(byte[] buffer, int offset, int length) throws IOException {
        if (in.readNBytes(buffer, offset, length) < length) {
            throw new EOFException("connection closed inside a frame");
        }
    }

    static int int32(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) << 24 | (bytes[at + 1] & 0xFF) << 16 | (bytes[at + 2] & 0xFF) << 8 | bytes[at + 3] & 0xFF;
    }

    /** A stream identifier or window increment: the reserved high bit is ignored (§4.1). */
    static int int31(byte[] bytes, int at) {
        return int32(bytes, at) & 0x7FFFFFFF;
    }
}
