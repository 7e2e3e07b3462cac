package dev.sprox.ops;

import dev.sprox.http.Response;
import dev.sprox.pipeline.RequestContext;
import dev.sprox.server.Request;
import dev.sprox.telemetry.Metrics;

/** {@code GET /metrics}: the Prometheus text exposition of every sprox and JVM metric. */
public final class MetricsEndpoint {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Metrics metrics;

    public MetricsEndpoint(Metrics metrics) {
        this.metrics = metrics;
    }

    public Response handle(Request request, RequestContext context) {
        return Response.text(200, PROMETHEUS_TEXT, metrics.scrape()).withHeader("Cache-Control", "no-store");
    }
}
