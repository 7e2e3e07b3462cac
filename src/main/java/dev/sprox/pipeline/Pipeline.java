package dev.sprox.pipeline;

import dev.sprox.http.Headers;
import dev.sprox.http.RequestError;
import dev.sprox.http.RequestHead;
import dev.sprox.http.RequestRejected;
import dev.sprox.http.Response;
import dev.sprox.security.RateLimiter;
import dev.sprox.server.ConnectionInfo;
import dev.sprox.server.ListenerConfig;
import dev.sprox.server.Request;
import dev.sprox.server.RequestHandler;
import dev.sprox.server.ServeGroup;
import dev.sprox.telemetry.AccessLog;
import dev.sprox.telemetry.ExchangeNotes;
import dev.sprox.telemetry.Metrics;
import dev.sprox.telemetry.ServerSpan;
import dev.sprox.tls.TlsConfig;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request's path through sprox: request id, client address, dispatch to an endpoint, and, once the
 * response is written, the access log line and request metrics. Failures become responses here, through
 * {@link ErrorResponses}; nothing escapes to the connection.
 */
public final class Pipeline implements RequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private static final String UNMATCHED = "unmatched";
    private static final String REJECTED = "rejected";
    private static final String PREFLIGHT = "preflight";

    private final Supplier<Generation> generations;
    private final Metrics metrics;

    /** @param generations the current configuration generation, swapped by reloads */
    public Pipeline(Supplier<Generation> generations, Metrics metrics) {
        this.generations = generations;
        this.metrics = metrics;
    }

    /**
     * The generation is given back when the response has been written; if no response comes back at all (an
     * {@link Error} escaped), here, so a retired generation still closes its clients.
     */
    @Override
    public Response handle(Request request) {
        Generation generation = acquire();
        boolean handedOver = false;
        try {
            Response response = handle(request, generation);
            handedOver = true;
            return response;
        } finally {
            if (!handedOver) {
                generation.release();
            }
        }
    }

    private Response handle(Request request, Generation generation) {
        RequestSteps steps = generation.steps();
        String requestId = RequestId.from(request.headers().first(RequestId.HEADER).orElse(null));
        InetAddress client = ClientAddress.resolve(request.connection().peer().getAddress(), request.headers(),
                steps.trustedProxies());
        var context = context(steps, requestId, client);
        ListenerConfig listener = request.connection().listener().config();
        List<Endpoint> candidates = steps.endpoints().at(request.path(), listener);
        Optional<RouteMatcher.Match> route = candidates.isEmpty() && listener.serves(ServeGroup.ROUTES)
                ? steps.routes().match(listener.id(), request.head(), request.connection().scheme())
                : Optional.empty();
        Optional<String> redirect = candidates.isEmpty() ? listener.redirectToHttps() : Optional.empty();
        String label = route.map(r -> "route:" + r.routeId())
                .or(() -> redirect.map(r -> HttpsRedirect.label(request)))
                .orElse(candidates.isEmpty() ? UNMATCHED : candidates.getFirst().path());
        Optional<CorsConfig> cors = steps.cors();
        boolean preflight = cors.isPresent() && Cors.isPreflight(request);
        if (preflight) {
            label = PREFLIGHT;
        }
        ServerSpan span = ServerSpan.start(steps.tracing(), request.headers(),
                ClientAddress.isTrusted(request.connection().peer().getAddress(), steps.trustedProxies()),
                request.method(), request.head().target().raw(), label, requestId, steps.redaction());
        route.ifPresent(r -> span.route(r.routeId()));
        Response response;
        try (Scope _ = span.enter()) {
            if (preflight) {
                response = Cors.preflight(cors.get(), request);
            } else {
                Response dispatched = dispatch(request, steps, context, candidates, route, redirect);
                response = cors.map(c -> Cors.decorate(c, request, dispatched)).orElse(dispatched);
            }
        }
        return finish(response, generation, context, label, request.head(), request.connection(),
                request.startNanos(), span);
    }

    private static RequestContext context(RequestSteps steps, String requestId, InetAddress client) {
        return new RequestContext(requestId, client, new ExchangeNotes(), steps.generation(), steps.tracing(),
                steps.redaction());
    }

    /** The current generation, registered so a reload cannot close its clients under this request. */
    private Generation acquire() {
        while (true) {
            Generation generation = generations.get();
            if (generation.tryAcquire()) {
                return generation;
            }
        }
    }

    private Response dispatch(Request request, RequestSteps steps, RequestContext context, List<Endpoint> candidates,
                              Optional<RouteMatcher.Match> route, Optional<String> redirect) {
        Optional<RateLimiter.Refusal> refusal = steps.rateLimiter().flatMap(limiter -> limiter.admit(context.client()));
        if (refusal.isPresent()) {
            metrics.rateLimited(refusal.get().bucket());
            return ErrorResponses.of(refusal.get().rejection());
        }
        try {
            if (route.isPresent()) {
                return route.get().handler().handle(request, context);
            }
            if (redirect.isPresent()) {
                return HttpsRedirect.answer(request, steps.listeners(), redirect.get());
            }
            if (candidates.isEmpty()) {
                throw new RequestRejected(RequestError.NOT_FOUND, "no such endpoint");
            }
            Optional<Endpoint> endpoint = Endpoints.forMethod(candidates, request.method());
            if (endpoint.isEmpty()) {
                return ErrorResponses.of(new RequestRejected(RequestError.METHOD_NOT_ALLOWED,
                        request.method() + " is not allowed here")).withHeader("Allow", Endpoints.allow(candidates));
            }
            if (endpoint.get().issuesKeys()) {
                Optional<RateLimiter.Refusal> keyRefusal = steps.rateLimiter()
                        .flatMap(limiter -> limiter.admitKeyRequest(context.client()));
                if (keyRefusal.isPresent()) {
                    metrics.rateLimited(keyRefusal.get().bucket());
                    return ErrorResponses.of(keyRefusal.get().rejection());
                }
            }
            return endpoint.get().handler().handle(request, context);
        } catch (RequestRejected rejection) {
            return ErrorResponses.of(rejection);
        } catch (IOException | RuntimeException e) {
            // A bug: counted, and logged with its stack, but messages can quote the origin URL and its tokens.
            metrics.internalError();
            LOG.atError().addKeyValue("request_id", context.requestId())
                    .setCause(context.redaction().failure(e)).log("request failed");
            return ErrorResponses.internalError(context.requestId());
        }
    }

    @Override
    public Response rejected(ConnectionInfo connection, RequestHead head, RequestRejected rejection,
                             long startNanos) {
        Generation generation = acquire();
        RequestSteps steps = generation.steps();
        String requestId = RequestId.from(head == null ? null : head.headers().first(RequestId.HEADER).orElse(null));
        var context = context(steps, requestId, connection.peer().getAddress());
        ServerSpan span = head == null ? ServerSpan.NONE : ServerSpan.start(steps.tracing(), head.headers(),
                ClientAddress.isTrusted(connection.peer().getAddress(), steps.trustedProxies()),
                head.method(), head.target().raw(), REJECTED, requestId, steps.redaction());
        return finish(ErrorResponses.of(rejection), generation, context, REJECTED, head, connection, startNanos,
                span);
    }

    /** RFC 6797 §7.2: sent on every HTTPS response when configured, and never over plain HTTP. */
    private static Response strictTransportSecurity(Response response, ConnectionInfo connection) {
        if (!connection.secure()) {
            return response;
        }
        return connection.listener().config().tls().flatMap(TlsConfig::hsts)
                .map(hsts -> response.withHeader("Strict-Transport-Security", hsts.headerValue()))
                .orElse(response);
    }

    private Response finish(Response response, Generation generation, RequestContext context, String endpoint,
                            RequestHead head, ConnectionInfo connection, long startNanos, ServerSpan span) {
        boolean accessLog = generation.steps().accessLog();
        Response answered = strictTransportSecurity(response, connection);
        return answered.withHeader(RequestId.HEADER, context.requestId()).whenWritten(outcome -> {
            generation.release();
            long duration = System.nanoTime() - startNanos;
            metrics.requestCompleted(endpoint, outcome.status(), duration, outcome.bodyBytes(),
                    outcome.requestBodyBytes());
            span.end(outcome.status(), outcome.failure());
            if (accessLog) {
                // The line is written after the handler's scope closed, so it carries the span's ids itself.
                span.putIds();
                AccessLog.write(new AccessLog.Entry(context.requestId(), connection.listener().config().id(),
                        endpoint, head == null ? "-" : head.method(), head == null ? "-" : head.target().raw(),
                        outcome.status(), outcome.bodyBytes(), duration, context.client().getHostAddress(),
                        head == null ? "-" : head.headers().first("User-Agent").orElse("-"), context.notes(),
                        outcome.failure(), head == null ? Headers.EMPTY : head.headers(), response.headers()),
                        context.redaction());
                span.clearIds();
            }
        });
    }
}
