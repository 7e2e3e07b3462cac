package dev.sprox.pipeline;

import dev.sprox.config.ServeGroup;
import dev.sprox.server.Request;
import dev.sprox.server.Response;
import java.io.IOException;
import java.util.Set;

/**
 * A fixed path sprox answers itself, the group that decides which listeners serve it, and the methods it
 * takes (HEAD comes with GET).
 */
public record Endpoint(ServeGroup group, String path, Set<String> methods, Handler handler) {

    public Endpoint {
        methods = Set.copyOf(methods);
    }

    public static Endpoint get(ServeGroup group, String path, Handler handler) {
        return new Endpoint(group, path, Set.of("GET", "HEAD"), handler);
    }

    @FunctionalInterface
    public interface Handler {
        Response handle(Request request, RequestContext context) throws IOException;
    }
}
