package dev.sprox.security;

/**
 * A stand-in for a throwable on its way to the log: the original's class name and {@linkplain Redaction#text
 * redacted} message as its message, the original's stack trace, and its causes and suppressed throwables
 * redacted the same way.
 */
final class RedactedFailure extends Exception {
    /** Deeper chains are cut: a cause cycle must not loop, and nobody reads that far. */
    private static final int MAX_DEPTH = 16;

    private RedactedFailure(String message, Throwable cause) {
        super(message, cause, true, true);
    }

    static RedactedFailure of(Throwable original, Redaction redaction) {
        return of(original, redaction, 0);
    }

    private static RedactedFailure of(Throwable original, Redaction redaction, int depth) {
        Throwable cause = original.getCause() == null || depth >= MAX_DEPTH
                ? null : of(original.getCause(), redaction, depth + 1);
        String message = original.getMessage() == null
                ? original.getClass().getName()
                : original.getClass().getName() + ": " + redaction.text(original.getMessage());
        var redacted = new RedactedFailure(message, cause);
        redacted.setStackTrace(original.getStackTrace());
        if (depth < MAX_DEPTH) {
            for (Throwable suppressed : original.getSuppressed()) {
                redacted.addSuppressed(of(suppressed, redaction, depth + 1));
            }
        }
        return redacted;
    }
}
