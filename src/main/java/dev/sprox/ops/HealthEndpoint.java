package dev.sprox.ops;

import dev.sprox.http.Headers;
import dev.sprox.http.Response;
import dev.sprox.http.ResponseBody;
import dev.sprox.pipeline.RequestContext;
import dev.sprox.server.Request;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** {@code GET /health}: 200 while serving, 503 while draining, so a load balancer stops sending new work. */
public final class HealthEndpoint {
    private final String version;
    private final Instant started;
    private final BooleanSupplier draining;

    public HealthEndpoint(String version, Instant started, BooleanSupplier draining) {
        this.version = version;
        this.started = started;
        this.draining = draining;
    }

    public Response handle(Request request, RequestContext context) {
        boolean drain = draining.getAsBoolean();
        long uptime = (System.currentTimeMillis() - started.toEpochMilli()) / 1000;
        String json = "{\"status\":\"" + (drain ? "draining" : "ok") + "\",\"version\":\"" + version
                + "\",\"config_generation\":" + context.generation() + ",\"uptime_seconds\":" + uptime
                + "}\n";
        return Response.of(drain ? 503 : 200,
                Headers.of("Content-Type", "application/json", "Cache-Control", "no-store"),
                new ResponseBody.Bytes(json.getBytes(StandardCharsets.UTF_8)));
    }
}
