package dev.sprox.route;

import dev.sprox.dash.DashConfig;
import dev.sprox.dash.HlsConverter;
import dev.sprox.dash.Mpd;
import dev.sprox.dash.MpdException;
import dev.sprox.dash.MpdLimits;
import dev.sprox.dash.MpdReader;
import dev.sprox.drm.BoundedBuffer;
import dev.sprox.drm.DecryptException;
import dev.sprox.drm.FragmentDecryptor;
import dev.sprox.drm.KeyLookup;
import dev.sprox.drm.KeyVerdicts;
import dev.sprox.drm.Kid;
import dev.sprox.drm.LookupKeys;
import dev.sprox.drm.TrackProtection;
import dev.sprox.hls.PlaylistUri;
import dev.sprox.hls.ResourceKind;
import dev.sprox.http.Headers;
import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import dev.sprox.http.RequestTarget;
import dev.sprox.http.Response;
import dev.sprox.http.ResponseBody;
import dev.sprox.mp4.Mp4Exception;
import dev.sprox.pipeline.RequestContext;
import dev.sprox.telemetry.Metrics;
import dev.sprox.upstream.OriginPlaylist;
import dev.sprox.upstream.PlaylistAnswer;
import dev.sprox.upstream.UpstreamResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decrypting mode of a route ({@code drm.decrypt: true}): its Common Encryption DASH served as clear HLS to
 * players without DRM. Three kinds of request, each an origin path with sprox's own query parameters added (so
 * {@code path_prefix} matching and the origin's own query stay as they are):
 * <ul>
 *   <li>{@code <mpd>?sprox_decrypt=hls}: the multivariant playlist, and with {@code &sprox_rendition=<id>} a
 *       Representation's media playlist, whose {@code EXT-X-MAP} and segments point at the two below;</li>
 *   <li>{@code <init>?sprox_decrypt=init}: the init segment without its protection;</li>
 *   <li>{@code <segment>?sprox_decrypt=segment&sprox_init=<init path>}: the media segment decrypted as it streams
 *       from the origin, with the protection its init segment declares.</li>
 * </ul>
 * Keys come from the snapshot's key store and key server, never from the URL; a KID without a key is a 403 with
 * the KID logged.
 */
final class DecryptingRelay {
    static final String MODE = "sprox_decrypt";
    private static final String RENDITION = "sprox_rendition";
    private static final String INIT = "sprox_init";
    private static final Logger LOG = LoggerFactory.getLogger(DecryptingRelay.class);

    private final Metrics metrics;
    private final KeyLookup keys;
    private final KeyVerdicts verdicts = new KeyVerdicts();
    private final InitSegments inits = new InitSegments(InitSegments.MAX_ENTRIES, InitSegments.MAX_BYTES,
            System::nanoTime);

    DecryptingRelay(Metrics metrics, KeyLookup keys) {
        this.metrics = metrics;
        this.keys = keys;
    }

    /** Whether the request asks for the decrypting mode: it has {@code sprox_decrypt}. */
    static boolean asks(RequestTarget target) {
        return target.rawQuery() != null && parameter(target, MODE).isPresent();
    }

    /**
     * @param forwarded the headers {@code fetch} sends
     * @param fetch     sends a GET for an origin URI through the route's client, with the request's forwarded headers
     */
    Response handle(RequestTarget target, Route route, RequestContext context, Headers forwarded,
                    Function<URI, UpstreamResponse> fetch) {
        String mode = parameter(target, MODE).orElse("");
        URI origin = route.config().upstream().origin();
        RequestTarget originTarget = new RequestTarget(target.raw(), target.path(), originQuery(target.rawQuery()));
        URI uri = UpstreamTarget.of(origin, originTarget);
        try {
            return switch (mode) {
                case "hls" -> playlist(uri, originTarget, parameter(target, RENDITION), route, fetch);
                case "init" -> init(uri, route, forwarded, fetch);
                case "segment" -> segment(uri, parameter(target, INIT), route, context, forwarded, fetch);
                default -> throw new RequestRejected(RequestError.BAD_PARAMETER,
                        "sprox_decrypt must be hls, init or segment");
            };
        } catch (DecryptException e) {
            throw refused(e, route, context);
        } catch (Mp4Exception e) {
            metrics.drmDecryptFailed(e.reason() == Mp4Exception.Reason.TOO_LARGE ? "too_large" : "malformed");
            LOG.atWarn().addKeyValue("request_id", context.requestId()).addKeyValue("route", route.config().id())
                    .addKeyValue("reason", e.reason().name()).addKeyValue("detail", e.getMessage())
                    .log("origin media cannot be decrypted");
            throw new RequestRejected(RequestError.UPSTREAM_FAILED, "origin media cannot be decrypted");
        } catch (IOException e) {
            metrics.drmDecryptFailed("upstream");
            throw new RequestRejected(RequestError.UPSTREAM_FAILED, "upstream unavailable");
        } catch (MpdException e) {
            metrics.drmDecryptFailed("malformed");
            throw OriginPlaylist.refused("MPD: " + e.getMessage());
        }
    }

    private Response playlist(URI uri, RequestTarget target, Optional<String> rendition, Route route,
                              Function<URI, UpstreamResponse> fetch) throws IOException, MpdException {
        DashConfig dash = route.config().dash();
        int maxBytes = dash.enabled() ? dash.maxManifestBytes() : DashConfig.DEFAULT_MAX_MANIFEST_BYTES;
        Mpd mpd;
        URI finalUri;
        try (UpstreamResponse upstream = ok(fetch.apply(uri))) {
            finalUri = upstream.finalUri();
            mpd = MpdReader.read(OriginPlaylist.text(OriginPlaylist.read(upstream.body(), maxBytes)), finalUri,
                    MpdLimits.defaults());
        }
        String self = target.path() + "?" + prefix(target.rawQuery()) + MODE + "=hls";
        String text;
        if (rendition.isEmpty()) {
            text = HlsConverter.multivariant(mpd, r -> self + "&" + RENDITION + "=" + encode(r.id()));
        } else {
            if (!HlsConverter.indexRequests(mpd, rendition.get()).isEmpty()) {
                throw new DecryptException(DecryptException.Reason.UNSUPPORTED, Optional.empty(),
                        "SegmentBase Representations are not served decrypted");
            }
            var mapper = new Mapper(route.config().upstream().origin());
            text = HlsConverter.mediaPlaylist(mpd, rendition.get(), Instant.now(), Map.of(), mapper,
                    MpdLimits.defaults());
        }
        return Response.of(200, Headers.of("Content-Type", "application/vnd.apple.mpegurl", "Cache-Control",
                mpd.dynamic() ? "no-cache" : "max-age=5"), new ResponseBody.Bytes(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Points an init section and the segments after it at this route's decrypting URLs; a URI on another origin
     * could not come back through the route, so the playlist is refused.
     */
    private static final class Mapper implements dev.sprox.hls.UriMapper {
        private final URI origin;
        private final String originPath;
        private String init;

        Mapper(URI origin) {
            this.origin = origin;
            String path = origin.getRawPath() == null ? "" : origin.getRawPath();
            this.originPath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        }

        @Override
        public String map(PlaylistUri uri) {
            URI absolute = URI.create(uri.absolute());
            if (!origin.getScheme().equalsIgnoreCase(absolute.getScheme())
                    || !origin.getRawAuthority().equalsIgnoreCase(absolute.getRawAuthority())
                    || !absolute.getRawPath().startsWith(originPath + "/")) {
                throw OriginPlaylist.refused("a segment of the MPD is not on the route's origin: " + uri.absolute());
            }
            String path = absolute.getRawPath().substring(originPath.length());
            String query = absolute.getRawQuery();
            String own = path + (query == null ? "" : "?" + query);
            String separator = query == null ? "?" : "&";
            if (uri.kind() == ResourceKind.INIT_SECTION) {
                init = own;
                return own + separator + MODE + "=init";
            }
            return own + separator + MODE + "=segment" + (init == null ? "" : "&" + INIT + "=" + encode(init));
        }
    }

    private Response init(URI uri, Route route, Headers forwarded, Function<URI, UpstreamResponse> fetch)
            throws IOException {
        byte[] clear = clearInit(uri, route, forwarded, fetch).bytes();
        return Response.of(200, Headers.of("Content-Type", "video/mp4"), new ResponseBody.Bytes(clear));
    }

    /** The init segment at {@code uri}, cleared: kept for a while, since every segment of its track needs it. */
    private InitSegments.Cleared clearInit(URI uri, Route route, Headers forwarded,
                                           Function<URI, UpstreamResponse> fetch) throws IOException {
        var key = new InitSegments.Key(route.config().id(), PlaylistKey.ofGet(uri, forwarded));
        return inits.get(key, () -> {
            long start = System.nanoTime();
            try (UpstreamResponse upstream = ok(fetch.apply(uri));
                 var decryptor = new FragmentDecryptor(Map.of(), kid -> {
                     throw new DecryptException(DecryptException.Reason.UNSUPPORTED, Optional.of(kid),
                             "an init segment with samples");
                 }, FragmentDecryptor.Limits.DEFAULT)) {
                var out = new BoundedBuffer(FragmentDecryptor.Limits.DEFAULT.maxBoxBytes());
                decryptor.decrypt(upstream.body(), out);
                metrics.drmDecrypted(0, System.nanoTime() - start);
                return new InitSegments.Fetched(new InitSegments.Cleared(out.toByteArray(), decryptor.tracks()),
                        PlaylistAnswer.reuse(ForwardedResponse.headers(upstream.headers(),
                                route.config().upstream().headers()), InitSegments.TTL));
            }
        });
    }

    private Response segment(URI uri, Optional<String> initPath, Route route, RequestContext context,
                             Headers forwarded, Function<URI, UpstreamResponse> fetch) throws IOException {
        long start = System.nanoTime();
        Map<Long, TrackProtection> tracks = Map.of();
        if (initPath.isPresent()) {
            URI init = UpstreamTarget.of(route.config().upstream().origin(), RequestTarget.parse(initPath.get(),
                    "GET"));
            tracks = clearInit(init, route, forwarded, fetch).tracks();
        }
        var streamKeys = new LookupKeys(keys, context.tracing());
        var decryptor = new FragmentDecryptor(tracks, streamKeys, FragmentDecryptor.Limits.DEFAULT, verdicts);
        UpstreamResponse upstream = null;
        try {
            streamKeys.require(tracks.values());
            upstream = ok(fetch.apply(uri));
            decryptor.start(upstream.body());
        } catch (IOException | RuntimeException e) {
            decryptor.close();
            streamKeys.close();
            closeQuietly(upstream);
            throw e;
        }
        String routeId = route.config().id();
        UpstreamResponse origin = upstream;
        return Response.of(200, Headers.of("Content-Type", "video/mp4"), new ResponseBody.Streamed(
                ResponseBody.UNKNOWN_LENGTH, out -> {
                    try {
                        decryptor.decrypt(origin.body(), out);
                        metrics.drmDecrypted(decryptor.bytesDecrypted(), System.nanoTime() - start);
                    } catch (DecryptException e) {
                        failed(e.reason().label(), e.kid(), e.getMessage(), routeId, context);
                        throw e;
                    } catch (Mp4Exception e) {
                        failed(e.reason() == Mp4Exception.Reason.TOO_LARGE ? "too_large" : "malformed",
                                Optional.empty(), e.getMessage(), routeId, context);
                        throw e;
                    }
                })).whenWritten(outcome -> {
                    decryptor.close();
                    streamKeys.close();
                    closeQuietly(origin);
                });
    }

    private static void closeQuietly(UpstreamResponse upstream) {
        if (upstream == null) {
            return;
        }
        try {
            upstream.close();
        } catch (IOException e) {
            LOG.debug("closing origin response: {}", e.getMessage());
        }
    }

    /** A segment cut short where it failed: nothing after the failure reaches the player. */
    private void failed(String reason, Optional<Kid> kid, String detail, String routeId, RequestContext context) {
        metrics.drmDecryptFailed(reason);
        LOG.atWarn().addKeyValue("request_id", context.requestId()).addKeyValue("route", routeId)
                .addKeyValue("reason", reason).addKeyValue("kid", kid.map(Kid::hex).orElse("-"))
                .addKeyValue("detail", detail).log("decryption stopped mid-segment");
    }

    private RequestRejected refused(DecryptException e, Route route, RequestContext context) {
        metrics.drmDecryptFailed(e.reason().label());
        LOG.atWarn().addKeyValue("request_id", context.requestId()).addKeyValue("route", route.config().id())
                .addKeyValue("reason", e.reason().label())
                .addKeyValue("kid", e.kid().map(Kid::hex).orElse("-"))
                .log("cannot decrypt: " + e.getMessage());
        return e.rejection();
    }

    /** The origin's answer when it is a 200; anything else is passed on as the failure it is. */
    private UpstreamResponse ok(UpstreamResponse upstream) throws IOException {
        if (upstream.status() == 200) {
            return upstream;
        }
        upstream.close();
        if (upstream.status() == 404 || upstream.status() == 410) {
            throw new RequestRejected(RequestError.NOT_FOUND, "not found at the origin");
        }
        throw new RequestRejected(RequestError.UPSTREAM_FAILED, "origin answered " + upstream.status());
    }

    /** The request's query without sprox's own parameters, or null when nothing is left. */
    private static String originQuery(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        var kept = new ArrayList<String>();
        for (String pair : rawQuery.split("&")) {
            if (!pair.startsWith("sprox_") && !pair.isEmpty()) {
                kept.add(pair);
            }
        }
        return kept.isEmpty() ? null : String.join("&", kept);
    }

    private static String prefix(String originQuery) {
        return originQuery == null ? "" : originQuery + "&";
    }

    private static Optional<String> parameter(RequestTarget target, String name) {
        if (target.rawQuery() == null) {
            return Optional.empty();
        }
        for (String pair : target.rawQuery().split("&")) {
            if (pair.startsWith(name + "=")) {
                return Optional.of(URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
