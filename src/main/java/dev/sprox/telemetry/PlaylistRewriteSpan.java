package dev.sprox.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.function.Supplier;

/**
 * A playlist rewrite as operators see it, wherever it happens (route mode, the direct endpoints): an INTERNAL
 * span with the sizes in and out, so the time a large playlist takes shows in the request's trace, and the
 * rewrite-duration metric.
 */
public final class PlaylistRewriteSpan {
    private PlaylistRewriteSpan() {}

    /** Runs {@code rewrite} of a playlist of {@code inputBytes} inside the span and returns its result. */
    public static byte[] observe(Tracing tracing, Metrics metrics, int inputBytes, Supplier<byte[]> rewrite) {
        Span span = tracing.tracer().spanBuilder("playlist rewrite")
                .setAttribute("sprox.playlist.bytes", (long) inputBytes).startSpan();
        long start = System.nanoTime();
        try {
            byte[] rewritten = rewrite.get();
            span.setAttribute("sprox.playlist.rewritten_bytes", (long) rewritten.length);
            return rewritten;
        } catch (RuntimeException refused) {
            span.setStatus(StatusCode.ERROR);
            throw refused;
        } finally {
            metrics.hlsPlaylistRewritten(System.nanoTime() - start);
            span.end();
        }
    }
}
