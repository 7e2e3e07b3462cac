package dev.sprox.ops;

import dev.sprox.http.Response;
import dev.sprox.pipeline.RequestContext;
import dev.sprox.server.Request;

/** {@code GET /ip}: the caller's address as sprox sees it (forwarded headers only from trusted proxies). */
public final class IpEndpoint {
    private IpEndpoint() {}

    public static Response handle(Request request, RequestContext context) {
        return Response.text(200, "text/plain; charset=utf-8", context.client().getHostAddress())
                .withHeader("Cache-Control", "no-store");
    }
}
