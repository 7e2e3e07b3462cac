package dev.sprox.security;

/**
 * {@code sensitive_logging}: what logs and spans may show. The names mean what they say — the original
 * sProx's {@code redact_sensitive_queries: true} turned redaction off; here it turns it on.
 *
 * @param logSensitiveHeaders    show cookies and proxy credentials in header dumps (never sprox's own)
 * @param redactSensitiveQueries mask {@code token}, {@code key}, {@code kid}, {@code password} query values
 */
public record SensitiveLogging(boolean logSensitiveHeaders, boolean redactSensitiveQueries) {

    public static final SensitiveLogging DEFAULT = new SensitiveLogging(false, true);
}
