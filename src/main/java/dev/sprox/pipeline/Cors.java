package dev.sprox.pipeline;

import dev.sprox.http.Headers;
import dev.sprox.http.Response;
import dev.sprox.http.ResponseBody;
import dev.sprox.server.Request;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * CORS (Fetch standard) for every endpoint: preflights are answered here, before any handler or origin sees
 * them; other answers carry the grant when the request's origin is allowed. A refused origin gets no grant,
 * so the browser blocks the script; {@code Vary: Origin} keeps caches from mixing answers.
 */
final class Cors {
    private Cors() {}

    static boolean isPreflight(Request request) {
        return request.method().equals("OPTIONS") && request.headers().has("Origin")
                && request.headers().has("Access-Control-Request-Method");
    }

    static Response preflight(CorsConfig cors, Request request) {
        Optional<String> origin = allowedOrigin(cors, request);
        String method = request.headers().first("Access-Control-Request-Method").orElse("");
        String[] requested = request.headers().first("Access-Control-Request-Headers").orElse("").split(",");
        boolean headersAllowed = Arrays.stream(requested).map(h -> h.strip().toLowerCase(Locale.ROOT))
                .allMatch(h -> h.isEmpty() || cors.allowHeaders().contains(h));
        if (origin.isEmpty() || !cors.allowMethods().contains(method) || !headersAllowed) {
            return Response.text(403, "text/plain; charset=utf-8", "CORS preflight refused\n")
                    .withHeader("Vary", "Origin");
        }
        var headers = grant(cors, origin.get()).toBuilder()
                .add("Access-Control-Allow-Methods", String.join(", ", cors.allowMethods()))
                .add("Access-Control-Max-Age", String.valueOf(cors.maxAge().toSeconds()));
        if (!cors.allowHeaders().isEmpty()) {
            headers.add("Access-Control-Allow-Headers", String.join(", ", cors.allowHeaders()));
        }
        return Response.of(204, headers.build(), new ResponseBody.Empty());
    }

    /** Adds the grant to an answer when the request came from an allowed origin. */
    static Response decorate(CorsConfig cors, Request request, Response response) {
        if (!request.headers().has("Origin")) {
            return response;
        }
        Optional<String> origin = allowedOrigin(cors, request);
        if (origin.isEmpty()) {
            return response.withAddedHeader("Vary", "Origin");
        }
        Response granted = response;
        for (Headers.Field field : grant(cors, origin.get()).fields()) {
            granted = field.name().equals("Vary") ? granted.withAddedHeader(field.name(), field.value())
                    : granted.withHeader(field.name(), field.value());
        }
        if (!cors.exposeHeaders().isEmpty()) {
            granted = granted.withHeader("Access-Control-Expose-Headers", String.join(", ", cors.exposeHeaders()));
        }
        return granted;
    }

    private static Headers grant(CorsConfig cors, String origin) {
        var headers = Headers.builder();
        if (cors.anyOrigin() && !cors.allowCredentials()) {
            headers.add("Access-Control-Allow-Origin", "*");
        } else {
            headers.add("Access-Control-Allow-Origin", origin).add("Vary", "Origin");
        }
        if (cors.allowCredentials()) {
            headers.add("Access-Control-Allow-Credentials", "true");
        }
        return headers.build();
    }

    private static Optional<String> allowedOrigin(CorsConfig cors, Request request) {
        return request.headers().first("Origin").filter(o -> cors.anyOrigin() || cors.allowOrigins().contains(o));
    }
}
