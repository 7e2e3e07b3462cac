package dev.sprox.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * A manifest rewrite (an HLS playlist or a DASH MPD) as operators see it, wherever it happens (route mode, the
 * direct endpoints): an INTERNAL span with the sizes in and out, so the time a large manifest takes shows in the
 * request's trace, and the rewrite-duration metric of its kind.
 */
public final class PlaylistRewriteSpan {
    private PlaylistRewriteSpan() {}

    /** Runs {@code rewrite} of a playlist of {@code inputBytes} inside the span and returns its result. */
    public static byte[] observe(Tracing tracing, Metrics metrics, int inputBytes, Supplier<byte[]> rewrite) {
        return observe(tracing, "playlist rewrite", "sprox.playlist", metrics::hlsPlaylistRewritten, inputBytes,
                rewrite);
    }

    /** Runs {@code rewrite} of an MPD of {@code inputBytes} inside the span and returns its result. */
    public static byte[] observeMpd(Tracing tracing, Metrics metrics, int inputBytes, Supplier<byte[]> rewrite) {
        return observe(tracing, "mpd rewrite", "sprox.mpd", metrics::dashManifestRewritten, inputBytes, rewrite);
    }

    private static byte[] observe(Tracing tracing, String name, String attributePrefix, LongConsumer record,
                                  int inputBytes, Supplier<byte[]> rewrite) {
        Span span = tracing.tracer().spanBuilder(name)
                .setAttribute(attributePrefix + ".bytes", (long) inputBytes).startSpan();
        long start = System.nanoTime();
        try {
            byte[] rewritten = rewrite.get();
            span.setAttribute(attributePrefix + ".rewritten_bytes", (long) rewritten.length);
            return rewritten;
        } catch (RuntimeException refused) {
            span.setStatus(StatusCode.ERROR);
            throw refused;
        } finally {
            record.accept(System.nanoTime() - start);
            span.end();
        }
    }
}
