package dev.sprox.pipeline;

import dev.sprox.http.Response;
import dev.sprox.server.Request;
import dev.sprox.server.ServeGroup;
import java.io.IOException;
import java.util.Set;

/**
 * A fixed path sprox answers itself, the group that decides which listeners serve it, and the methods it
 * takes (HEAD comes with GET).
 *
 * @param belowToo the endpoint also answers every path under {@code path}, such as {@code /proxy/stream/name.mp4}
 *                 under {@code /proxy/stream}; the handler reads the rest of the path itself
 * @param issuesKeys the answers are keys or credentials, so each request also spends the client's stricter
 *                   {@code rate_limit.key_endpoints} bucket
 */
public record Endpoint(ServeGroup group, String path, boolean belowToo, Set<String> methods, Handler handler,
                       boolean issuesKeys) {

    public Endpoint {
        methods = Set.copyOf(methods);
    }

    /** An endpoint at exactly {@code path}. */
    public Endpoint(ServeGroup group, String path, Set<String> methods, Handler handler) {
        this(group, path, false, methods, handler, false);
    }

    public static Endpoint get(ServeGroup group, String path, Handler handler) {
        return new Endpoint(group, path, Set.of("GET", "HEAD"), handler);
    }

    /** GET and HEAD at {@code path} and every path below it. */
    public static Endpoint getBelow(ServeGroup group, String path, Handler handler) {
        return new Endpoint(group, path, true, Set.of("GET", "HEAD"), handler, false);
    }

    /** This endpoint, as one whose answers are keys or credentials. */
    public Endpoint issuingKeys() {
        return new Endpoint(group, path, belowToo, methods, handler, true);
    }

    boolean answers(String requestPath) {
        return requestPath.equals(path)
                || (belowToo && requestPath.length() > path.length() + 1 && requestPath.startsWith(path)
                        && requestPath.charAt(path.length()) == '/');
    }

    @FunctionalInterface
    public interface Handler {
        Response handle(Request request, RequestContext context) throws IOException;
    }
}
