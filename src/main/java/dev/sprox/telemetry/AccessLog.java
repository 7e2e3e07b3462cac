package dev.sprox.telemetry;

import dev.sprox.http.Headers;
import dev.sprox.security.Redaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the {@code sprox.access} logger, with secrets in the query redacted. At debug
 * level the line also carries both header blocks, redacted the same way.
 */
public final class AccessLog {
    private static final Logger LOG = LoggerFactory.getLogger("sprox.access");

    private AccessLog() {}

    /** A finished request, as the access log and the request metrics see it. */
    public record Entry(String requestId, String listener, String endpoint, String method, String target,
                        int status, long bytes, long durationNanos, String clientIp, String userAgent,
                        ExchangeNotes notes, Throwable failure, Headers requestHeaders,
                        Headers responseHeaders) {}

    public static void write(Entry entry, Redaction redaction) {
        var line = LOG.atInfo()
                .addKeyValue("request_id", entry.requestId())
                .addKeyValue("listener", entry.listener())
                .addKeyValue("endpoint", entry.endpoint())
                .addKeyValue("method", entry.method())
                .addKeyValue("path", redaction.target(entry.target()))
                .addKeyValue("status", entry.status())
                .addKeyValue("bytes", entry.bytes())
                .addKeyValue("duration_ms", entry.durationNanos() / 1_000_000.0)
                .addKeyValue("client_ip", entry.clientIp())
                .addKeyValue("user_agent", entry.userAgent());
        if (entry.notes().route() != null) {
            line = line.addKeyValue("route", entry.notes().route());
        }
        if (entry.notes().upstreamNanos() >= 0) {
            line = line.addKeyValue("upstream_ms", entry.notes().upstreamNanos() / 1_000_000.0)
                    .addKeyValue("retries", entry.notes().retries());
        }
        if (entry.failure() != null) {
            line = line.addKeyValue("error", redaction.text(entry.failure().toString()));
        }
        if (LOG.isDebugEnabled()) {
            line = line.addKeyValue("request_headers", redaction.headers(entry.requestHeaders()))
                    .addKeyValue("response_headers", redaction.headers(entry.responseHeaders()));
        }
        line.log("request");
    }
}
