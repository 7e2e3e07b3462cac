package dev.sprox.hls;

/** A playlist that cannot be rewritten safely; the reason names what is wrong and where. */
public final class PlaylistException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final String reason;
    private final boolean overLimit;

    /** @param line 1-based line number, or 0 when the problem is the playlist as a whole */
    public PlaylistException(int line, String reason) {
        this(line, reason, false);
    }

    private PlaylistException(int line, String reason, boolean overLimit) {
        super(line > 0 ? "line " + line + ": " + reason : reason);
        this.line = line;
        this.reason = reason;
        this.overLimit = overLimit;
    }

    /** The playlist may be well formed, but it, or what it rewrites to, is larger than the limits allow. */
    static PlaylistException overLimit(int line, String reason) {
        return new PlaylistException(line, reason, true);
    }

    /** True when a size limit refused the playlist, rather than its syntax. */
    public boolean overLimit() {
        return overLimit;
    }

    /** 1-based line number, or 0 when the problem is the playlist as a whole (e.g. its size). */
    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
