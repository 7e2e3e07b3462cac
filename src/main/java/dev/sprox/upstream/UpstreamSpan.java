package dev.sprox.upstream;

import dev.sprox.telemetry.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.net.URI;
import java.util.function.UnaryOperator;

/**
 * The CLIENT span of one attempt at the origin; the URL is redacted by the client's rule, with the safe
 * defaults whatever {@code sensitive_logging} says (an origin URL may carry the origin's own tokens).
 */
final class UpstreamSpan {
    private UpstreamSpan() {}

    static Span start(Tracing tracing, String method, URI uri, int attempt, UnaryOperator<String> redaction) {
        if (!tracing.enabled()) {
            return Span.getInvalid();
        }
        return tracing.tracer().spanBuilder(method).setSpanKind(SpanKind.CLIENT)
                .setAttribute("http.request.method", method)
                .setAttribute("server.address", uri.getHost())
                .setAttribute("server.port", (long) port(uri))
                .setAttribute("url.full", redaction.apply(withoutUserInfo(uri)))
                .setAttribute("sprox.attempt", (long) attempt)
                .startSpan();
    }

    static void failed(Span span, Exception failure) {
        span.setAttribute("error.type", failure.getClass().getName());
        span.setStatus(StatusCode.ERROR);
        span.end();
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** Credentials in the authority would otherwise survive query redaction. */
    private static String withoutUserInfo(URI uri) {
        String text = uri.toString();
        return uri.getRawUserInfo() == null ? text : text.replace(uri.getRawUserInfo() + "@", "");
    }
}
