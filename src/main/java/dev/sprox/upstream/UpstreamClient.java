package dev.sprox.upstream;

import dev.sprox.http.Headers;
import dev.sprox.security.DestinationGuard;
import dev.sprox.security.Redaction;
import dev.sprox.telemetry.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

/**
 * One route's way to its origin, or the direct streams' way to anywhere the guard admits: a pooled
 * {@link HttpClient}, redirects followed here (so each hop is seen, checked by the {@link HopCheck}, and
 * credentials do not leak to another host), and retries of GET/HEAD after transport errors under the
 * client's {@link RetryBudget}. Closed when the snapshot it belongs to is retired.
 */
public final class UpstreamClient implements AutoCloseable {
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final Set<String> REPLAYABLE = Set.of("GET", "HEAD");
    private static final Set<String> CROSS_HOST_DROPPED = Set.of("authorization", "proxy-authorization", "cookie");

    private final Settings config;
    private final HttpClient client;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final RetryBudget budget;
    private final HopCheck hopCheck;
    private final OriginExchanges exchanges;
    /**
     * Whether a paused client's body may be resumed with a Range it did not send: not for the direct endpoints, which
     * promise never to send an origin a Range their client did not send (DESIGN.md §3).
     */
    private final boolean resumes;
    private final UpstreamEvents events;
    private final Optional<Socks5Bridge> bridge;
    /** How an attempt's span shows the URL: secrets masked, and for direct destinations their query too. */
    private final UnaryOperator<String> spanUrl;

    /** What the client needs of a route's upstream block or of direct_stream. */
    /** The timeouts, redirect limit and retries a client applies to every exchange. */
    public record Settings(Duration connectTimeout, Duration readTimeout, Optional<Duration> requestTimeout,
                           int followRedirects, RetryConfig retry) {}

    /** A route's client; routes pass {@link HopCheck#leavingOrigin}. */
    public UpstreamClient(UpstreamConfig config, SSLContext tls, Optional<ProxySelector> proxy, HopCheck hopCheck,
                          UpstreamEvents events) {
        this(config, tls, proxy, hopCheck, events, OriginExchanges.shared());
    }

    /** A client drawing on {@code exchanges} instead of the process's own (the key server's, tests). */
    public UpstreamClient(UpstreamConfig config, SSLContext tls, Optional<ProxySelector> proxy, HopCheck hopCheck,
                          UpstreamEvents events, OriginExchanges exchanges) {
        this(new Settings(config.connectTimeout(), config.readTimeout(), config.requestTimeout(),
                config.followRedirects(), config.retry()), tls, proxy, hopCheck, true, events, Optional.empty(),
                Redaction.DEFAULT::target, exchanges);
    }

    private UpstreamClient(Settings config, SSLContext tls, Optional<ProxySelector> proxy, HopCheck hopCheck,
                           boolean resumes, UpstreamEvents events, Optional<Socks5Bridge> bridge,
                           UnaryOperator<String> spanUrl, OriginExchanges exchanges) {
        this.config = config;
        this.exchanges = exchanges;
        this.resumes = resumes;
        this.spanUrl = spanUrl;
        this.budget = new RetryBudget(config.retry());
        this.hopCheck = hopCheck;
        this.events = events;
        this.bridge = bridge;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.connectTimeout())
                .sslContext(tls)
                .executor(executor);
        proxy.ifPresent(builder::proxy);
        this.client = builder.build();
    }

    /**
     * The client for direct streams: no origin, every URI and redirect hop admitted by {@code guard}, certificates
     * always verified against the system's CAs, and {@code outbound} if set (a SOCKS5 one through a
     * {@link Socks5Bridge} that closes with the client).
     *
     * @param redactDestinationQuery mask the destination's own query in logs and spans
     */
    public static UpstreamClient forDirect(Settings settings, Optional<OutboundProxy> outbound,
                                           boolean redactDestinationQuery, DestinationGuard guard, Runnable onRetry)
            throws IOException, GeneralSecurityException {
        SSLContext tls = UpstreamTls.sslContext(UpstreamTlsConfig.DEFAULT);
        Optional<Socks5Bridge> bridge = Optional.empty();
        Optional<ProxySelector> proxy = Optional.empty();
        switch (outbound.orElse(null)) {
            case null -> { }
            case OutboundProxy.Http http ->
                    proxy = Optional.of(ProxySelector.of(InetSocketAddress.createUnresolved(http.host(), http.port())));
            case OutboundProxy.Socks5 socks -> {
                bridge = Optional.of(Socks5Bridge.start(socks.server(), settings.connectTimeout()));
                proxy = bridge.map(Socks5Bridge::proxySelector);
            }
        }
        // A destination's query usually carries the integrator's tokens (direct_stream.redact_destination_query).
        var redaction = new Redaction(Redaction.DEFAULT.redactSensitiveQueries(),
                Redaction.DEFAULT.logSensitiveHeaders(), redactDestinationQuery);
        return new UpstreamClient(settings, tls, proxy, HopCheck.guardedBy(guard), false, onRetry::run, bridge,
                redaction::destination, OriginExchanges.shared());
    }

    /**
     * Sends the request, following redirects and retrying as configured; the caller closes the response.
     * Each attempt of each hop is a CLIENT span under the current one, and tells the origin its trace.
     */
    public UpstreamResponse send(UpstreamRequest request, Tracing tracing) throws UpstreamFailure {
        budget.recordRequest();
        long start = System.nanoTime();
        long deadline = config.requestTimeout().map(t -> start + t.toNanos()).orElse(0L);
        boolean follow = REPLAYABLE.contains(request.method()) && request.body().isEmpty();
        URI uri = request.uri();
        Headers headers = request.headers();
        int retries = 0;
        for (int hop = 0; ; hop++) {
            Attempted attempted;
            // Admitted before anything else looks at the hop, so a refused destination is refused as such.
            try (HopCheck.Admitted _ = hopCheck.admit(uri)) {
                if (uri.getHost() == null) {
                    throw new UpstreamFailure(UpstreamFailure.Kind.BAD_REDIRECT, "redirect to a location without host",
                            null);
                }
                attempted = sendWithRetries(request, uri, headers, deadline, tracing);
            }
            retries += attempted.retries();
            HttpResponse<PacedBody> response = attempted.response();
            Optional<String> location = response.headers().firstValue("location");
            if (!follow || !REDIRECTS.contains(response.statusCode()) || location.isEmpty()
                    || config.followRedirects() == 0) {
                try {
                    // The rest is asked for later, outside this request's span: as a part of the same trace.
                    Context trace = Context.current();
                    Optional<Resumption> resumption = resumes ? Resumption.of(request, response, uri, headers,
                            (at, sent) -> resend(request, at, sent, deadline, tracing, trace), events)
                            : Optional.empty();
                    return wrap(response, resumption, uri, retries, System.nanoTime() - start, deadline);
                } catch (RuntimeException | Error e) {
                    // The body holds an exchange share: nothing else would give it back.
                    response.body().close();
                    throw e;
                }
            }
            discard(response);
            if (hop + 1 > config.followRedirects()) {
                throw new UpstreamFailure(UpstreamFailure.Kind.TOO_MANY_REDIRECTS,
                        "more than " + config.followRedirects() + " redirects", null);
            }
            URI next = redirectTarget(uri, location.get());
            if (!sameOrigin(uri, next)) {
                headers = withoutCredentials(headers);
            }
            uri = next;
        }
    }

    private record Attempted(HttpResponse<PacedBody> response, int retries) {}

    /** {@code request} again to the URL that answered it, with {@code headers}; redirects are not followed. */
    private HttpResponse<PacedBody> resend(UpstreamRequest request, URI uri, Headers headers, long deadline,
                                           Tracing tracing, Context trace) throws UpstreamFailure {
        budget.recordRequest();
        try (Scope _ = trace.makeCurrent(); HopCheck.Admitted _ = hopCheck.admit(uri)) {
            return sendWithRetries(request, uri, headers, deadline, tracing).response();
        }
    }

    private Attempted sendWithRetries(UpstreamRequest request, URI uri, Headers headers, long deadline,
                                      Tracing tracing) throws UpstreamFailure {
        boolean replayable = REPLAYABLE.contains(request.method()) && request.body().isEmpty();
        for (int attempt = 1; ; attempt++) {
            Span span = UpstreamSpan.start(tracing, request.method(), uri, attempt, spanUrl);
            try (Scope _ = span.makeCurrent()) {
                HttpResponse<PacedBody> response = sendWithShare(request, uri, headers, deadline, tracing);
                span.setAttribute("http.response.status_code", response.statusCode());
                if (response.statusCode() >= 500) {
                    span.setStatus(StatusCode.ERROR);
                }
                span.end();
                return new Attempted(response, attempt - 1);
            } catch (IOException e) {
                UpstreamSpan.failed(span, e);
                boolean pastDeadline = deadline != 0 && System.nanoTime() - deadline >= 0;
                // A refused certificate fails the same way every time: retrying only spends the budget.
                if (!replayable || attempt >= config.retry().maxAttempts() || pastDeadline
                        || e instanceof SSLHandshakeException) {
                    throw failure(e);
                }
                if (!budget.tryRetry()) {
                    throw new UpstreamFailure(UpstreamFailure.Kind.RETRY_BUDGET_EXHAUSTED,
                            "retry budget exhausted after: " + e, e);
                }
                events.retried();
                pause(Backoff.delay(config.retry(), attempt));
            } catch (InterruptedException e) {
                UpstreamSpan.failed(span, e);
                Thread.currentThread().interrupt();
                throw new UpstreamFailure(UpstreamFailure.Kind.UNREACHABLE, "interrupted", e);
            } catch (UpstreamFailure e) {
                UpstreamSpan.failed(span, e);
                throw e;
            }
        }
    }

    /**
     * Sends once an exchange share is free, waiting no longer than the origin would be waited for nor past the
     * request deadline, then refusing the request as overloaded. The share goes with the body, which gives it back
     * when it ends. Built after the wait, per attempt: each may only wait for what is left of the request deadline.
     */
    private HttpResponse<PacedBody> sendWithShare(UpstreamRequest request, URI uri, Headers headers, long deadline,
                                                  Tracing tracing)
            throws IOException, InterruptedException, UpstreamFailure {
        long patience = config.readTimeout().toNanos();
        if (deadline != 0) {
            patience = Math.max(0, Math.min(patience, deadline - System.nanoTime()));
        }
        OriginExchanges.Share share = exchanges.take(patience);
        if (share == null) {
            throw new UpstreamFailure(UpstreamFailure.Kind.OVERLOADED,
                    "no origin exchange became free within the read timeout", null);
        }
        boolean sent = false;
        try {
            HttpRequest httpRequest = build(request, uri, traced(headers, tracing), deadline);
            HttpResponse<PacedBody> response = client.send(httpRequest, PacedBody.handler(share));
            sent = true;
            return response;
        } finally {
            if (!sent) {
                share.close();
            }
        }
    }

    /** The headers with the current span's {@code traceparent}, replacing whatever the client sent. */
    private static Headers traced(Headers headers, Tracing tracing) {
        if (!tracing.enabled()) {
            return headers;
        }
        Headers.Builder builder = headers.toBuilder().remove("traceparent").remove("tracestate");
        tracing.propagator().inject(Context.current(), builder, Headers.Builder::set);
        return builder.build();
    }

    private HttpRequest build(UpstreamRequest request, URI uri, Headers headers, long deadline)
            throws UpstreamFailure {
        Duration headTimeout = config.readTimeout();
        if (deadline != 0) {
            headTimeout = Duration.ofNanos(Math.max(1, Math.min(headTimeout.toNanos(), deadline - System.nanoTime())));
        }
        try {
            // h2 is negotiated by ALPN over TLS; over plain http the JDK would try an h2c upgrade nobody asked for.
            var builder = HttpRequest.newBuilder(uri).timeout(headTimeout)
                    .version("https".equalsIgnoreCase(uri.getScheme())
                            ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                    .method(request.method(), publisher(request));
            for (Headers.Field field : headers.fields()) {
                builder.header(field.name(), field.value());
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new UpstreamFailure(UpstreamFailure.Kind.UNSENDABLE, e.getMessage(), e);
        }
    }

    private static HttpRequest.BodyPublisher publisher(UpstreamRequest request) {
        if (request.body().isEmpty()) {
            return HttpRequest.BodyPublishers.noBody();
        }
        var stream = HttpRequest.BodyPublishers.ofInputStream(() -> request.body().get());
        return request.length() >= 0 ? HttpRequest.BodyPublishers.fromPublisher(stream, request.length()) : stream;
    }

    private UpstreamResponse wrap(HttpResponse<PacedBody> response, Optional<Resumption> resumption, URI uri,
                                  int retries, long headersNanos, long deadline) {
        OptionalLong length = response.headers().firstValueAsLong("content-length");
        InputStream body = StallGuard.guard(response.body(), resumption, exchanges, config.readTimeout().toNanos(),
                deadline);
        return new UpstreamResponse(response.statusCode(), response.headers().map(), body,
                length.orElse(-1), uri, retries, headersNanos);
    }

    private static UpstreamFailure failure(IOException e) {
        boolean timeout = e instanceof HttpTimeoutException || e instanceof HttpConnectTimeoutException;
        return new UpstreamFailure(timeout ? UpstreamFailure.Kind.TIMEOUT : UpstreamFailure.Kind.UNREACHABLE,
                e.toString(), e);
    }

    private static URI redirectTarget(URI current, String location) throws UpstreamFailure {
        try {
            URI next = current.resolve(location.strip());
            String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || next.getRawAuthority() == null) {
                // The scheme only: the location is the origin's text and may carry tokens, and this reaches the log.
                throw new UpstreamFailure(UpstreamFailure.Kind.BAD_REDIRECT,
                        "redirect to a non-http(s) location (scheme \"" + scheme + "\")", null);
            }
            return next;
        } catch (IllegalArgumentException e) {
            throw new UpstreamFailure(UpstreamFailure.Kind.BAD_REDIRECT, "malformed redirect location", e);
        }
    }

    /** RFC 6454 origin: scheme, host and port; {@code b} may lack a host (a hop spelt {@code 127.1}). */
    static boolean sameOrigin(URI a, URI b) {
        return b.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private static Headers withoutCredentials(Headers headers) {
        var builder = headers.toBuilder();
        CROSS_HOST_DROPPED.forEach(builder::remove);
        return builder.build();
    }

    /**
     * The redirect's own body does not matter, the next hop does: closing cancels the exchange, which gives its share
     * back at once rather than after whatever the origin takes to send that body.
     */
    private static void discard(HttpResponse<PacedBody> response) {
        response.body().close();
    }

    private static void pause(Duration delay) throws UpstreamFailure {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamFailure(UpstreamFailure.Kind.UNREACHABLE, "interrupted while backing off", e);
        }
    }

    @Override
    public void close() {
        client.close();
        executor.close();
        bridge.ifPresent(Socks5Bridge::close);
    }
}
