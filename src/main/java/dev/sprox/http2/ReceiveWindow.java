package dev.sprox.http2;

/**
 * How many DATA octets the peer may still send us (RFC 9113 §5.2, §6.9), for the connection or one stream. DATA
 * that arrives is counted against it at once; the window reopens only as the handler actually reads those octets,
 * so what a stream buffers never exceeds the window we advertised. WINDOW_UPDATE goes out once half the window
 * has been read, not per frame. Used by the connection's reading thread and the stream's handler under the
 * caller's lock.
 */
final class ReceiveWindow {

    private final int size;
    private long available;
    private int readSinceUpdate;

    ReceiveWindow(int size) {
        this.size = size;
        this.available = size;
    }

    /**
     * A DATA frame arrived, padding included (§6.1); more than the window allows is a FLOW_CONTROL_ERROR. Padding
     * is never read by a handler, so the connection reports it as {@link #read read} at once.
     */
    void received(int octets, int streamId) throws Http2Exception {
        if (octets > available) {
            String message = octets + " DATA octets exceed the flow-control window of " + available;
            throw streamId == 0 ? Http2Exception.connection(ErrorCode.FLOW_CONTROL_ERROR, message)
                    : Http2Exception.stream(ErrorCode.FLOW_CONTROL_ERROR, streamId, message);
        }
        available -= octets;
    }

    /** The handler consumed {@code octets}; returns the WINDOW_UPDATE increment to send now, or 0 for none yet. */
    int read(int octets) {
        readSinceUpdate += octets;
        if (readSinceUpdate < size / 2) {
            return 0;
        }
        int increment = readSinceUpdate;
        readSinceUpdate = 0;
        available += increment;
        return increment;
    }
}
