package dev.sprox.upstream;

import dev.sprox.route.JdkOrigin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * An origin for redirect checks: a path in its table answers 302 to that location (made from the origin's own
 * port), {@code /never} (where refused hops point) is counted, and any other path is served as "served PATH".
 */
final class RedirectingOrigin implements AutoCloseable {

    private final AtomicInteger neverRequests = new AtomicInteger();
    private final JdkOrigin origin;

    RedirectingOrigin(Map<String, IntFunction<String>> redirects) throws IOException {
        origin = new JdkOrigin(exchange -> {
            String path = exchange.getRequestURI().getPath();
            IntFunction<String> location = redirects.get(path);
            if (path.equals("/never")) {
                neverRequests.incrementAndGet();
            }
            if (location != null) {
                exchange.getResponseHeaders().add("Location", location.apply(exchange.getLocalAddress().getPort()));
                exchange.sendResponseHeaders(302, -1);
            } else {
                byte[] body = ("served " + path).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
    }

    String url(String path) {
        return origin.url(path);
    }

    /** Requests that reached {@code /never}: any is a refused redirect that was followed after all. */
    int neverRequests() {
        return neverRequests.get();
    }

    @Override
    public void close() {
        origin.close();
    }
}
