package dev.sprox.http2;

/**
 * A protocol violation by the peer, as RFC 9113 §5.4 classifies it: a connection error ends the connection with
 * GOAWAY, a stream error resets one stream with RST_STREAM and the connection goes on.
 */
public final class Http2Exception extends Exception {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final int streamId;

    private Http2Exception(ErrorCode code, int streamId, String message) {
        super(message, null, false, false);
        this.code = code;
        this.streamId = streamId;
    }

    public static Http2Exception connection(ErrorCode code, String message) {
        return new Http2Exception(code, 0, message);
    }

    public static Http2Exception stream(ErrorCode code, int streamId, String message) {
        return new Http2Exception(code, streamId, message);
    }

    public ErrorCode code() {
        return code;
    }

    /** The stream to reset; 0 for a connection error. */
    public int streamId() {
        return streamId;
    }

    public boolean isConnectionError() {
        return streamId == 0;
    }
}
