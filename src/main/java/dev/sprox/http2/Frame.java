package dev.sprox.http2;

import java.util.List;

/**
 * The frames of RFC 9113 §6 as values, after the checks every frame of a type must pass (lengths, stream ids,
 * padding, setting values). Padding is removed on reading; priority information is read and dropped, as §5.3.2
 * lets a server do.
 */
public sealed interface Frame {

    int streamId();

    record Data(int streamId, byte[] payload, boolean endStream, int flowControlledLength) implements Frame {}

    record Headers(int streamId, byte[] fragment, boolean endStream, boolean endHeaders) implements Frame {}

    record Priority(int streamId, int dependsOn) implements Frame {}

    record RstStream(int streamId, ErrorCode error) implements Frame {}

    record Settings(boolean ack, List<Setting> settings) implements Frame {
        @Override
        public int streamId() {
            return 0;
        }
    }

    record Ping(boolean ack, long opaqueData) implements Frame {
        @Override
        public int streamId() {
            return 0;
        }
    }

    record GoAway(int lastStreamId, ErrorCode error, byte[] debugData) implements Frame {
        @Override
        public int streamId() {
            return 0;
        }
    }

    record WindowUpdate(int streamId, int increment) implements Frame {}

    record Continuation(int streamId, byte[] fragment, boolean endHeaders) implements Frame {}

    /** A frame of a type this implementation does not know: §4.1 says to ignore it. */
    record Unknown(int type, int streamId, int length) implements Frame {}
}
