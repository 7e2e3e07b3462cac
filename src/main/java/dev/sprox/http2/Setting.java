package dev.sprox.http2;

/** One parameter of a SETTINGS frame (RFC 9113 §6.5.1), kept as sent: unknown identifiers are ignored, not refused. */
public record Setting(int id, long value) {

    public static final int HEADER_TABLE_SIZE = 0x1;
    public static final int ENABLE_PUSH = 0x2;
    public static final int MAX_CONCURRENT_STREAMS = 0x3;
    public static final int INITIAL_WINDOW_SIZE = 0x4;
    public static final int MAX_FRAME_SIZE = 0x5;
    public static final int MAX_HEADER_LIST_SIZE = 0x6;

    /** The smallest and largest SETTINGS_MAX_FRAME_SIZE allowed (§6.5.2). */
    public static final int MIN_MAX_FRAME_SIZE = 1 << 14;
    public static final int MAX_MAX_FRAME_SIZE = (1 << 24) - 1;
    public static final long MAX_WINDOW_SIZE = Integer.MAX_VALUE;
}
