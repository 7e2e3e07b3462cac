package dev.sprox.dash;

/** An MPD that cannot be read, rewritten or converted safely; the reason names what is wrong and where. */
public final class MpdException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final String reason;

    /** @param line 1-based line number, or 0 when the problem is the document as a whole */
    public MpdException(int line, String reason) {
        super(line > 0 ? "line " + line + ": " + reason : reason);
        this.line = line;
        this.reason = reason;
    }

    /** 1-based line number, or 0 when the problem is the document as a whole (e.g. its size). */
    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
