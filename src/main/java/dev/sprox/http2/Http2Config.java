package dev.sprox.http2;

/**
 * HTTP/2 on one listener (RFC 9113): offered through ALPN on TLS listeners, and with prior knowledge ({@code h2c})
 * on plain ones when asked for. The other values are what sprox advertises in its SETTINGS frame; they bound the
 * memory one connection may make sprox hold.
 *
 * @param maxConcurrentStreams  requests one connection may have in progress at once (SETTINGS_MAX_CONCURRENT_STREAMS)
 * @param initialWindowSize     request body octets a stream may send ahead of the handler reading them
 * @param maxFrameSize          the largest frame payload sprox accepts (SETTINGS_MAX_FRAME_SIZE)
 * @param maxHeaderListSize     decoded request header octets, counted as RFC 7541 §4.1 does (SETTINGS_MAX_HEADER_LIST_SIZE)
 */
public record Http2Config(boolean enabled, boolean h2c, int maxConcurrentStreams, int initialWindowSize,
                          int maxFrameSize, int maxHeaderListSize) {

    /** On for TLS through ALPN, off for plain listeners: h2c is opt-in because nothing negotiates it. */
    public static final Http2Config DEFAULT = new Http2Config(true, false, 100, 65_535, 16_384, 32 * 1024);

    /** The protocol default window (RFC 9113 §6.9.2); a client may send this much before our SETTINGS arrive. */
    public static final int MIN_WINDOW = 65_535;
    public static final int MAX_WINDOW = 16 * 1024 * 1024;
    public static final int MIN_FRAME = 16_384;
    public static final int MAX_FRAME = (1 << 24) - 1;
}
