package dev.sprox.route;

import dev.sprox.dash.ClearKeyLicenceWriter;
import dev.sprox.dash.DashConfig;
import dev.sprox.dash.MpdMediaType;
import dev.sprox.dash.MpdUpdateInterval;
import dev.sprox.drm.KeyLookup;
import dev.sprox.hls.HlsConfig;
import dev.sprox.hls.PlaylistMediaType;
import dev.sprox.http.Headers;
import dev.sprox.http.HttpStatus;
import dev.sprox.http.RequestError;
import dev.sprox.http.RequestHost;
import dev.sprox.http.RequestRejected;
import dev.sprox.http.Response;
import dev.sprox.http.ResponseBody;
import dev.sprox.pipeline.RequestContext;
import dev.sprox.server.Request;
import dev.sprox.telemetry.Metrics;
import dev.sprox.telemetry.PlaylistRewriteSpan;
import dev.sprox.upstream.BodyRelay;
import dev.sprox.upstream.OriginPlaylist;
import dev.sprox.upstream.PlaylistAnswer;
import dev.sprox.upstream.UpstreamFailure;
import dev.sprox.upstream.UpstreamRequest;
import dev.sprox.upstream.UpstreamResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proxies a request to its route's origin and streams the answer back with bounded memory: the body goes
 * through a fixed buffer, and when the client leaves, closing the origin's stream cancels the exchange.
 * The origin's status is the client's status; only sprox's own failures become 502 or 504 (503 when no origin
 * exchange became free in time). Playlists on
 * HLS routes and MPDs on DASH routes are read whole instead, coalesced per route ({@link PlaylistCoalescer})
 * and rewritten once per fetch.
 */
public final class RouteProxy {
    private static final Logger LOG = LoggerFactory.getLogger(RouteProxy.class);

    private final Metrics metrics;
    private final Set<Feature> features;
    private final Optional<ClearKeyLicenceWriter.LicenceServer> licences;
    private final DecryptingRelay decrypting;

    /**
     * @param features the experimental rewrites this generation's configuration turned on
     * @param licences where MPDs send EME players for their keys, when this generation may hold any
     * @param keys     this generation's keys, for routes with {@code drm.decrypt}
     */
    public RouteProxy(Metrics metrics, Set<Feature> features, Optional<ClearKeyLicenceWriter.LicenceServer> licences,
                      KeyLookup keys) {
        this.metrics = metrics;
        this.features = features;
        this.licences = licences;
        this.decrypting = new DecryptingRelay(metrics, keys);
    }

    public Response handle(Request request, RequestContext context, Route route) {
        String routeId = route.config().id();
        context.notes().route(routeId);
        var policy = route.config().upstream().headers();
        URI uri = UpstreamTarget.of(route.config().upstream().origin(), request.head().target());
        Headers headers = ForwardedRequest.headers(request.headers(), policy,
                request.connection().peer().getAddress(), context.client(), request.connection().scheme(),
                RequestHost.authority(request.head()), context.requestId());
        if (route.config().decrypt() && DecryptingRelay.asks(request.head().target())) {
            if (!request.method().equals("GET")) {
                throw new RequestRejected(RequestError.METHOD_NOT_ALLOWED, "the decrypting mode answers GET only");
            }
            // sprox reads whole origin answers here: no ranges, no compression.
            Headers plain = headers.toBuilder().remove("Range").remove("If-Range").remove("Accept-Encoding").build();
            return decrypting.handle(request.head().target(), route, context, plain,
                    target -> send(new UpstreamRequest("GET", target, plain, Optional.empty(), 0), route, context));
        }
        HlsConfig hls = route.config().hls();
        DashConfig dash = route.config().dash();
        if (hls.rewrites() || dash.rewrites()) {
            // A compressed manifest could not be rewritten; media segments gain nothing from compression.
            headers = headers.toBuilder().remove("Accept-Encoding").build();
        }
        var upstreamRequest = new UpstreamRequest(request.method(), uri, headers, body(request),
                declaredLength(request));
        Optional<PlaylistKey> playlist = hls.enabled() || dash.enabled()
                ? PlaylistKey.of(request.method(), uri, headers, upstreamRequest.body().isPresent(), hls.enabled(),
                        dash.enabled())
                : Optional.empty();
        if (playlist.isPresent()) {
            return route.playlists().answer(playlist.get(), () -> fetchPlaylist(upstreamRequest, route, context))
                    .response();
        }
        UpstreamResponse upstream = send(upstreamRequest, route, context);
        try {
            return answer(request, upstream, route, context);
        } catch (RuntimeException | Error e) {
            // The body holds an origin exchange until it is closed: nothing else would close it now.
            closeQuietly(upstream);
            throw e;
        }
    }

    private Response answer(Request request, UpstreamResponse upstream, Route route, RequestContext context) {
        Headers responseHeaders = ForwardedResponse.headers(upstream.headers(), route.config().upstream().headers());
        if (OriginPlaylist.isWhole(upstream.status(), responseHeaders) && !request.head().isHead()
                && manifest(responseHeaders, upstream, route.config()) != Manifest.NONE) {
            return readPlaylist(upstream, responseHeaders, route, context).response();
        }
        if (request.head().isHead() || HttpStatus.forbidsBody(upstream.status())) {
            closeQuietly(upstream);
            return Response.of(upstream.status(), responseHeaders,
                    new ResponseBody.Streamed(upstream.contentLength(), out -> { }));
        }
        return Response.of(upstream.status(), responseHeaders,
                        new ResponseBody.Streamed(upstream.contentLength(), out -> BodyRelay.copy(upstream.body(), out)))
                .whenWritten(outcome -> closeQuietly(upstream));
    }

    private UpstreamResponse send(UpstreamRequest upstreamRequest, Route route, RequestContext context) {
        String routeId = route.config().id();
        UpstreamResponse upstream;
        try {
            upstream = route.client().send(upstreamRequest, context.tracing());
        } catch (UpstreamFailure failure) {
            throw rejection(failure, routeId, context);
        }
        context.notes().upstream(upstream.headersNanos(), upstream.retries());
        metrics.upstreamResponded(routeId, upstream.headersNanos());
        return upstream;
    }

    /** One fetch of a coalesced playlist; whatever the origin answers is read whole, so it can be shared. */
    private PlaylistAnswer fetchPlaylist(UpstreamRequest upstreamRequest, Route route, RequestContext context) {
        UpstreamResponse upstream = send(upstreamRequest, route, context);
        Headers headers = ForwardedResponse.headers(upstream.headers(), route.config().upstream().headers());
        return readPlaylist(upstream, headers, route, context);
    }

    /** What a rewriting route rewrites: an HLS playlist, an MPD, or neither. */
    private enum Manifest { PLAYLIST, MPD, NONE }

    private static Manifest manifest(Headers headers, UpstreamResponse upstream, RouteConfig route) {
        Optional<String> type = headers.first("Content-Type");
        String path = upstream.finalUri().getPath();
        if (route.hls().rewrites() && PlaylistMediaType.isPlaylist(type, path)) {
            return Manifest.PLAYLIST;
        }
        return route.dash().rewrites() && MpdMediaType.isMpd(type, path) ? Manifest.MPD : Manifest.NONE;
    }

    /** Reads the answer whole and, when it is a playlist or MPD on a rewriting route, rewrites it once. */
    private PlaylistAnswer readPlaylist(UpstreamResponse upstream, Headers headers, Route route,
                                        RequestContext context) {
        HlsConfig hls = route.config().hls();
        DashConfig dash = route.config().dash();
        boolean mpd = dash.enabled()
                && MpdMediaType.isMpd(headers.first("Content-Type"), upstream.finalUri().getPath());
        try (upstream) {
            byte[] body = OriginPlaylist.read(upstream.body(), mpd ? dash.maxManifestBytes() : hls.maxPlaylistBytes());
            Manifest manifest = OriginPlaylist.isWhole(upstream.status(), headers)
                    ? manifest(headers, upstream, route.config()) : Manifest.NONE;
            // The whole rewritten manifest, whatever range of the origin's it came from (RFC 9110 §14.2).
            Headers whole = headers.toBuilder().remove("Content-Range").build();
            return switch (manifest) {
                case PLAYLIST -> PlaylistAnswer.of(200, whole, rewrite(body, upstream, route, context),
                        hls.liveCacheFraction());
                case MPD -> PlaylistAnswer.of(200, whole, rewriteMpd(body, upstream, route, context),
                        DashConfig.LIVE_CACHE_FRACTION, MpdUpdateInterval::of);
                case NONE -> mpd
                        ? PlaylistAnswer.of(upstream.status(), headers, body, DashConfig.LIVE_CACHE_FRACTION,
                                MpdUpdateInterval::of)
                        : PlaylistAnswer.of(upstream.status(), headers, body, hls.liveCacheFraction());
            };
        } catch (RequestRejected refused) {
            metrics.upstreamFailed(route.config().id(), "bad_playlist");
            LOG.atWarn().addKeyValue("request_id", context.requestId()).addKeyValue("route", route.config().id())
                    .addKeyValue("detail", context.redaction().text(refused.detail()))
                    .log("origin playlist refused");
            throw refused;
        } catch (IOException e) {
            metrics.upstreamFailed(route.config().id(), "unreachable");
            throw new RequestRejected(RequestError.UPSTREAM_FAILED, "upstream unavailable");
        }
    }

    private byte[] rewrite(byte[] body, UpstreamResponse upstream, Route route, RequestContext context) {
        return PlaylistRewriteSpan.observe(context.tracing(), metrics, body.length,
                () -> PlaylistRelay.rewrite(body, upstream.finalUri(), route.config().hls(),
                        route.config().upstream().origin(), features));
    }

    private byte[] rewriteMpd(byte[] body, UpstreamResponse upstream, Route route, RequestContext context) {
        return PlaylistRewriteSpan.observeMpd(context.tracing(), metrics, body.length,
                () -> MpdRelay.rewrite(body, upstream.finalUri(), route.config().dash(),
                        route.config().upstream().origin(), licences));
    }

    private RequestRejected rejection(UpstreamFailure failure, String routeId, RequestContext context) {
        metrics.upstreamFailed(routeId, failure.kind().name().toLowerCase(Locale.ROOT));
        LOG.atLevel(failure.logLevel()).addKeyValue("request_id", context.requestId()).addKeyValue("route", routeId)
                .addKeyValue("kind", failure.kind().name())
                .addKeyValue("detail", context.redaction().text(failure.getMessage()))
                .log("upstream request failed");
        return failure.rejection();
    }

    private static Optional<InputStream> body(Request request) {
        boolean hasBody = request.headers().has("Transfer-Encoding")
                || request.headers().first("Content-Length").map(v -> !v.strip().equals("0")).orElse(false);
        return hasBody ? Optional.of(request.body()) : Optional.empty();
    }

    private static long declaredLength(Request request) {
        if (request.headers().has("Transfer-Encoding")) {
            return -1;
        }
        return request.headers().first("Content-Length").map(v -> Long.parseLong(v.split(",")[0].strip()))
                .orElse(0L);
    }

    private static void closeQuietly(UpstreamResponse upstream) {
        try {
            upstream.close();
        } catch (IOException e) {
            LOG.debug("closing origin response: {}", e.getMessage());
        }
    }
}
