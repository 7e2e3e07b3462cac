package dev.sprox.http2;

/** A header block that cannot be decoded, and whether the connection's table survived it. */
public final class HpackException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong, so the caller picks a connection error or a stream error. */
    public enum Kind {
        /** Malformed block: the dynamic table can no longer be trusted (RFC 9113 §4.3: COMPRESSION_ERROR on the connection). */
        COMPRESSION,
        /** The block decoded completely (the table is in step) but its fields exceed the header list limit: refuse the stream. */
        LIST_TOO_LARGE
    }

    private final Kind kind;

    HpackException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    static HpackException compression(String message) {
        return new HpackException(Kind.COMPRESSION, message);
    }

    public Kind kind() {
        return kind;
    }
}
