package dev.sprox.ops;

import dev.sprox.pipeline.Endpoint;
import dev.sprox.server.ServeGroup;
import java.util.List;

/** The ops and admin endpoints and the groups that expose them. */
public final class OpsEndpoints {
    private OpsEndpoints() {}

    public static List<Endpoint> all(HealthEndpoint health, MetricsEndpoint metrics, OpsConfig config) {
        return List.of(
                Endpoint.get(ServeGroup.OPS, "/health", health::handle),
                Endpoint.get(ServeGroup.OPS, "/ip", IpEndpoint::handle),
                Endpoint.get(ServeGroup.OPS, "/speedtest", (request, context) -> SpeedtestEndpoint.handle(request, context, config.speedtestMaxBytes())),
                Endpoint.get(ServeGroup.ADMIN, "/metrics", metrics::handle));
    }
}
