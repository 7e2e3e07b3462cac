package dev.sprox.telemetry;

import dev.sprox.http.Headers;
import dev.sprox.security.Redaction;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.slf4j.MDC;

/**
 * One request's SERVER span, and its ids as {@code trace_id}/{@code span_id} in the MDC of the thread that
 * handles it, so every log line written for the request can be found from the trace and back.
 */
public final class ServerSpan {
    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";

    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            return carrier.fields().stream().map(Headers.Field::name).toList();
        }

        @Override
        public String get(Headers carrier, String key) {
            return carrier == null ? null : carrier.first(key).orElse(null);
        }
    };

    /** For requests that are not traced: every method does nothing. */
    public static final ServerSpan NONE = new ServerSpan(Span.getInvalid());

    private final Span span;

    private ServerSpan(Span span) {
        this.span = span;
    }

    /**
     * @param trustedPeer whether the peer may continue its own trace: anyone else's {@code traceparent} could
     *                    pick a trace id, or force sampling, so it starts a new root instead
     */
    public static ServerSpan start(Tracing tracing, Headers headers, boolean trustedPeer, String method,
                                   String rawTarget, String endpoint, String requestId, Redaction redaction) {
        if (!tracing.enabled()) {
            return NONE;
        }
        Context parent = trustedPeer ? tracing.propagator().extract(Context.root(), headers, HEADERS) : Context.root();
        String target = redaction.target(rawTarget);
        int question = target.indexOf('?');
        var builder = tracing.tracer().spanBuilder(method + " " + endpoint).setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute("http.request.method", method)
                .setAttribute("url.path", question < 0 ? target : target.substring(0, question))
                .setAttribute("sprox.endpoint", endpoint)
                .setAttribute("sprox.request_id", requestId);
        if (question >= 0) {
            builder.setAttribute("url.query", target.substring(question + 1));
        }
        return new ServerSpan(builder.startSpan());
    }

    public void route(String routeId) {
        span.setAttribute("sprox.route", routeId);
    }

    /** Makes the span the parent of what the handler starts (upstream attempts) and puts its ids in the MDC. */
    public Scope enter() {
        Scope scope = span.makeCurrent();
        putIds();
        return () -> {
            clearIds();
            scope.close();
        };
    }

    public void putIds() {
        SpanContext context = span.getSpanContext();
        if (context.isValid()) {
            MDC.put(TRACE_ID, context.getTraceId());
            MDC.put(SPAN_ID, context.getSpanId());
        }
    }

    public void clearIds() {
        if (span.getSpanContext().isValid()) {
            MDC.remove(TRACE_ID);
            MDC.remove(SPAN_ID);
        }
    }

    public void end(int status, Throwable failure) {
        span.setAttribute("http.response.status_code", status);
        if (status >= 500 || failure != null) {
            span.setStatus(StatusCode.ERROR);
        }
        if (failure != null) {
            span.setAttribute("error.type", failure.getClass().getName());
        }
        span.end();
    }
}
