package dev.sprox.direct;

import dev.sprox.dash.Mpd;
import dev.sprox.dash.MpdMediaType;
import dev.sprox.hls.DecryptingPlaylist;
import dev.sprox.hls.PlaylistException;
import dev.sprox.hls.PlaylistMediaType;
import dev.sprox.hls.PlaylistRewriter;
import dev.sprox.hls.RewriteOptions;
import dev.sprox.http.Headers;
import dev.sprox.http.HttpStatus;
import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import dev.sprox.http.Response;
import dev.sprox.http.ResponseBody;
import dev.sprox.pipeline.ErrorResponses;
import dev.sprox.pipeline.RequestContext;
import dev.sprox.upstream.PlaylistAnswer;
import dev.sprox.upstream.PlaylistCoalescer;
import dev.sprox.server.Request;
import dev.sprox.telemetry.Metrics;
import dev.sprox.telemetry.PlaylistRewriteSpan;
import dev.sprox.upstream.BodyRelay;
import dev.sprox.upstream.OriginPlaylist;
import dev.sprox.upstream.UpstreamClient;
import dev.sprox.upstream.UpstreamFailure;
import dev.sprox.upstream.UpstreamRequest;
import dev.sprox.upstream.UpstreamResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The direct endpoints: one GET (or HEAD) to the destination with only allowlisted headers, the origin's status
 * and allowlisted headers passed back, the body streamed through a fixed buffer. Range requests pass through
 * untouched and no request is ever sent that the client did not ask for. A playlist (asked for on the manifest
 * endpoint, or recognised on the stream endpoint by its type or its first line) is read whole and rewritten so
 * every URI in it comes back through sprox; so is an MPD (asked for on the DASH endpoints, or recognised on the
 * stream endpoint by its type or a {@code .mpd} path).
 */
public final class DirectProxy {
    private static final Logger LOG = LoggerFactory.getLogger(DirectProxy.class);
    private static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
    private static final String MPD_TYPE = "application/dash+xml";
    /** The share of a live playlist's update interval its answer serves identical requests, as routes' default. */
    private static final double LIVE_REUSE_FRACTION = 0.5;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    /** Headers that describe the origin's bytes, not the rewritten playlist sprox sends instead. */
    private static final Set<String> NOT_FOR_REWRITTEN = Set.of("Content-Length", "Content-Range", "Accept-Ranges",
            "Content-Encoding", "ETag", "Last-Modified", "Content-Type");

    private final Metrics metrics;
    private final DirectAuthorization authorization;
    private final DirectStreams streams;
    private final StreamSlots slots;
    private final DirectDash dash;
    private final MediaDecryption decryption;

    /**
     * @param streams    this configuration's {@code direct_stream} settings and upstream client
     * @param slots      the streams in flight, counted across reloads
     * @param decryption the decrypting mode's media work, with this configuration's keys
     */
    public DirectProxy(Metrics metrics, DirectAuthorization authorization, DirectStreams streams, StreamSlots slots,
                       MediaDecryption decryption) {
        this.metrics = metrics;
        this.authorization = authorization;
        this.streams = streams;
        this.slots = slots;
        this.dash = new DirectDash(metrics, InstantSource.system(), streams.config().maxPlaylistBytes());
        this.decryption = decryption;
    }

    /** {@code /proxy/stream} and {@code /proxy/stream/{filename}}. */
    Response stream(Request request, RequestContext context) {
        return serve(request, context, Kind.STREAM);
    }

    /** {@code /proxy/hls/manifest.m3u8}. */
    Response manifest(Request request, RequestContext context) {
        return serve(request, context, Kind.MANIFEST);
    }

    /** {@code /proxy/base/<token>/...}: answered as the stream endpoint answers, for the destination below the base. */
    Response prefix(Request request, RequestContext context) {
        return serve(request, context, Kind.PREFIX);
    }

    /** {@code /proxy/mpd/manifest.mpd}, {@code /proxy/mpd/manifest.m3u8} and {@code /proxy/mpd/playlist.m3u8}. */
    Response mpd(Request request, RequestContext context) {
        return serve(request, context, Kind.MPD);
    }

    Response mpdMultivariant(Request request, RequestContext context) {
        return serve(request, context, Kind.MPD_MULTIVARIANT);
    }

    Response mpdPlaylist(Request request, RequestContext context) {
        return serve(request, context, Kind.MPD_PLAYLIST);
    }

    /** {@code /proxy/decrypt} and {@code /proxy/decrypt/{filename}}: an init segment or segment, decrypted. */
    Response decrypt(Request request, RequestContext context) {
        return serve(request, context, Kind.DECRYPT);
    }

    /** Which endpoint a request came to. */
    private enum Kind {
        STREAM(DirectUrls.STREAM, ""), MANIFEST(DirectUrls.MANIFEST, PLAYLIST_TYPE), PREFIX(DirectUrls.PREFIX, ""),
        MPD(DirectUrls.MPD, MPD_TYPE), MPD_MULTIVARIANT(DirectUrls.MPD_MULTIVARIANT, PLAYLIST_TYPE),
        MPD_PLAYLIST(DirectUrls.MPD_PLAYLIST, PLAYLIST_TYPE), DECRYPT(DirectUrls.DECRYPT, "");

        final String path;
        /** The media type of the document made from the origin's, or "" for an endpoint that relays. */
        final String madeType;

        Kind(String path, String madeType) {
            this.path = path;
            this.madeType = madeType;
        }

        boolean dash() {
            return this == MPD || this == MPD_MULTIVARIANT || this == MPD_PLAYLIST;
        }

        /** The decrypting modes this endpoint serves. */
        boolean serves(Decryption.Mode mode) {
            return switch (this) {
                case MANIFEST, MPD_MULTIVARIANT, MPD_PLAYLIST -> mode == Decryption.Mode.NONE
                        || mode == Decryption.Mode.PLAYLIST;
                case DECRYPT -> mode == Decryption.Mode.INIT || mode == Decryption.Mode.SEGMENT;
                case STREAM, PREFIX, MPD -> mode == Decryption.Mode.NONE;
            };
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Every direct request passes here in this order: read what it asks for, decide whether it may (where
     * authorisation belongs: before a slot is taken and before anything goes upstream), take a slot, exchange.
     * The slot goes back when the answer has been written, or here, whatever was thrown (an {@link Error} too:
     * a slot lost per failure would leave the endpoints answering 503 until a restart).
     */
    private Response serve(Request request, RequestContext context, Kind endpoint) {
        StreamSlots.Slot slot = null;
        boolean handedOver = false;
        try {
            Admitted admitted = admit(request, context, endpoint);
            DirectRequest direct = admitted.request();
            DirectAuthorization.Decision decision = admitted.decision();
            if (!endpoint.madeType.isEmpty()) {
                // A playlist or MPD is read whole, bounded by its size limit and by the rate limiter: it takes no
                // stream slot, so players polling playlists never crowd out the segments they ask for next (with
                // 50 slots, 64 connections polling one playlist got 98 % 503s).
                return counted(endpoint == Kind.MANIFEST ? manifest(request, context, direct, decision)
                        : exchange(request, context, direct, decision, endpoint, streams.client()), endpoint);
            }
            slot = slots.tryAcquire(streams.config().maxConcurrent()).orElseThrow(() ->
                    new RequestRejected(RequestError.OVERLOADED, "too many direct streams; try again shortly",
                            Optional.of(Duration.ofSeconds(1))));
            StreamSlots.Slot held = slot;
            Response made = endpoint == Kind.DECRYPT ? decrypting(request, context, direct)
                    : exchange(request, context, direct, decision, endpoint, streams.client());
            Response response = counted(made.whenWritten(outcome -> held.close()), endpoint);
            handedOver = true;
            return response;
        } catch (RequestRejected rejection) {
            return ErrorResponses.of(rejection).whenWritten(outcome -> metrics.directRequest(endpoint.label(),
                    Outcome.ofSproxStatus(outcome.status()).label(), 0));
        } finally {
            if (slot != null && !handedOver) {
                slot.close();
            }
        }
    }

    private Response counted(Response response, Kind endpoint) {
        return response.whenWritten(outcome -> metrics.directRequest(endpoint.label(),
                Outcome.ofRelayed(outcome.status(), outcome.failure()).label(), outcome.bodyBytes()));
    }

    /**
     * The manifest endpoint: a GET shares its fetch with identical ones in flight, and a live playlist's answer
     * serves identical requests for half its update interval (as routes do, {@link PlaylistCoalescer}); identical
     * means the same {@link DirectPlaylistKey}, so the same URLs signed with the same expiry.
     */
    private Response manifest(Request request, RequestContext context, DirectRequest direct,
                              DirectAuthorization.Decision decision) {
        if (request.head().isHead()) {
            return exchange(request, context, direct, decision, Kind.MANIFEST, streams.client());
        }
        var key = new DirectPlaylistKey(direct.upstream(), upstreamHeaders(request, direct, Kind.MANIFEST).fields(),
                direct.overrides(), direct.decryption(), authorization.signing(context, decision).expiresEpochSecond());
        return streams.playlists().answer(key, () -> {
            Response fetched = exchange(request, context, direct, decision, Kind.MANIFEST, streams.client());
            byte[] body = fetched.body() instanceof ResponseBody.Bytes bytes ? bytes.data() : new byte[0];
            return PlaylistAnswer.of(fetched.status(), fetched.headers(), body, LIVE_REUSE_FRACTION);
        }).response();
    }

    private static Headers upstreamHeaders(Request request, DirectRequest direct, Kind endpoint) {
        Headers headers = DirectRequestHeaders.forUpstream(request.headers(), direct.overrides());
        if (!endpoint.madeType.isEmpty()) {
            // The answer is the rewritten playlist: it must arrive whole and as text, and a range of the
            // origin's bytes would not be a range of the rewritten ones (RFC 9110 §14.2 lets a server ignore Range).
            headers = headers.toBuilder().remove("Accept-Encoding").remove("Range").remove("If-Range").build();
        }
        return headers;
    }

    private record Admitted(DirectRequest request, DirectAuthorization.Decision decision) {}

    /** A prefix request is read from its token, which must be verified first; the others from their query. */
    private Admitted admit(Request request, RequestContext context, Kind endpoint) {
        if (endpoint == Kind.PREFIX) {
            var prefix = authorization.authorizePrefix(context, DirectRequest.prefixToken(request));
            return new Admitted(DirectRequest.underPrefix(request, prefix), prefix);
        }
        DirectRequest direct = DirectRequest.of(request, endpoint.path);
        if (endpoint == Kind.MPD_PLAYLIST && direct.representation().isEmpty()) {
            throw new RequestRejected(RequestError.BAD_PARAMETER,
                    "query parameter rep (the Representation's id) is required");
        }
        if (!endpoint.serves(direct.decryption().mode())) {
            throw new RequestRejected(RequestError.BAD_PARAMETER, endpoint == Kind.DECRYPT
                    ? "decrypt must be init or segment here" : "this endpoint does not decrypt");
        }
        return new Admitted(direct, authorization.authorize(request, context, direct));
    }

    private Response exchange(Request request, RequestContext context, DirectRequest direct,
                              DirectAuthorization.Decision decision, Kind endpoint, UpstreamClient client) {
        boolean head = request.head().isHead();
        Headers headers = upstreamHeaders(request, direct, endpoint);
        UpstreamResponse upstream = send(client, new UpstreamRequest(head ? "HEAD" : "GET", direct.upstream(),
                headers, Optional.empty(), 0), context);
        boolean handedOver = false;
        try {
            Headers requestHeaders = headers;
            DirectDash.IndexFetcher indexes = (url, range) -> index(client, requestHeaders, url, range, context);
            Response response = answer(upstream, direct, decision, endpoint, head, context, indexes);
            handedOver = true;
            return response;
        } catch (IOException e) {
            throw new RequestRejected(RequestError.UPSTREAM_FAILED, "upstream unavailable");
        } finally {
            // Once answered, the origin's body is closed when the answer has been written (or was read whole).
            if (!handedOver) {
                closeQuietly(upstream);
            }
        }
    }

    private Response answer(UpstreamResponse upstream, DirectRequest direct, DirectAuthorization.Decision decision,
                            Kind endpoint, boolean head, RequestContext context, DirectDash.IndexFetcher indexes)
            throws IOException {
        int status = upstream.status();
        if (REDIRECTS.contains(status)) {
            // Only left unfollowed when follow_redirects is 0; its Location would send the client around sprox.
            throw new RequestRejected(RequestError.UPSTREAM_FAILED, "upstream redirected and redirects are not followed");
        }
        Headers headers = DirectResponseHeaders.of(status, upstream.headers());
        if (status == 206 && !headers.has("Content-Range")) {
            throw new RequestRejected(RequestError.UPSTREAM_FAILED, "upstream answered 206 without Content-Range");
        }
        String path = upstream.finalUri().getRawPath();
        Optional<String> type = headers.first("Content-Type");
        // On the relaying endpoints an MPD is rewritten as /proxy/mpd/manifest.mpd would, as a playlist is as the
        // manifest endpoint would: otherwise the player would follow its URLs around sprox.
        boolean relayedMpd = endpoint.madeType.isEmpty() && MpdMediaType.isMpd(type, path)
                && !PlaylistMediaType.isPlaylist(type, "") && !MediaTypes.isMedia(type);
        boolean namedPlaylist = !endpoint.madeType.isEmpty() || relayedMpd || PlaylistMediaType.isPlaylist(type, path);
        String madeType = relayedMpd ? MPD_TYPE : endpoint.madeType;
        if (head || HttpStatus.forbidsBody(status)) {
            closeQuietly(upstream);
            boolean rewritten = namedPlaylist && OriginPlaylist.isWhole(status, headers);
            // A rewritten playlist's length is not the origin's, and is not known without fetching it.
            return Response.of(status, rewritten ? madeHeaders(headers, madeType) : described(headers, direct, path),
                    new ResponseBody.Streamed(rewritten ? ResponseBody.UNKNOWN_LENGTH : upstream.contentLength(),
                            out -> { }));
        }
        InputStream origin = upstream.body();
        // What sniffing read of the origin's body: sent first, whatever the body turns out to be.
        var sniffed = OriginPlaylist.Sniffed.NOTHING;
        if (OriginPlaylist.isWhole(status, headers)) {
            Optional<String> coding = headers.first("Content-Encoding").map(c -> c.strip().toLowerCase(Locale.ROOT))
                    .filter(c -> !c.equals("identity"));
            if (!namedPlaylist && coding.isEmpty() && !MediaTypes.isMedia(headers.first("Content-Type"))) {
                sniffed = OriginPlaylist.sniff(origin);
            }
            if (endpoint.dash() || relayedMpd) {
                return dash(relayedMpd ? Kind.MPD : endpoint, upstream, decoded(sniffed.whole(origin), coding),
                        headers, direct, decision, context, indexes);
            }
            if (namedPlaylist || sniffed.playlist()) {
                return rewritten(upstream, decoded(sniffed.whole(origin), coding), headers, direct, decision,
                        context);
            }
        }
        if (!endpoint.madeType.isEmpty()) {
            // Not a playlist (an error page, a partial answer): read whole too, so it can be shared like one and
            // holds no stream; no larger than a playlist may be.
            byte[] whole = OriginPlaylist.read(sniffed.whole(origin), streams.config().maxPlaylistBytes());
            closeQuietly(upstream);
            return Response.of(status, described(headers, direct, path), new ResponseBody.Bytes(whole));
        }
        byte[] sniffedHead = sniffed.head();
        return Response.of(status, described(headers, direct, path), new ResponseBody.Streamed(
                        upstream.contentLength(), out -> BodyRelay.copy(sniffedHead, origin, out)))
                .whenWritten(outcome -> closeQuietly(upstream));
    }

    /** Adds what the origin left out: a media type from the file's extension, and the filename asked for. */
    private static Headers described(Headers headers, DirectRequest direct, String upstreamPath) {
        var out = headers.toBuilder();
        if (MediaTypes.isUninformative(headers.first("Content-Type"))) {
            String extension = direct.filename().map(Filename::extension)
                    .orElseGet(() -> Filename.extensionOf(upstreamPath.substring(upstreamPath.lastIndexOf('/') + 1)));
            MediaTypes.byExtension(extension).ifPresent(type -> out.set("Content-Type", type));
        }
        direct.filename().ifPresent(name -> out.set("Content-Disposition", name.contentDisposition()));
        return out.build();
    }

    /** For a document sprox made: an HLS playlist unless {@code madeType} says otherwise. */
    private static Headers madeHeaders(Headers headers, String madeType) {
        var out = headers.toBuilder();
        NOT_FOR_REWRITTEN.forEach(out::remove);
        return out.add("Content-Type", madeType.isEmpty() ? PLAYLIST_TYPE : madeType).build();
    }

    private Response dash(Kind endpoint, UpstreamResponse upstream, InputStream body, Headers headers,
                          DirectRequest direct, DirectAuthorization.Decision decision, RequestContext context,
                          DirectDash.IndexFetcher indexes) throws IOException {
        byte[] original = OriginPlaylist.read(body, streams.config().maxPlaylistBytes());
        UrlSigning signing = authorization.signing(context, decision);
        var tracing = context.tracing();
        byte[] made = switch (endpoint) {
            case MPD -> dash.mpd(original, upstream.finalUri(), direct.overrides(), signing, tracing);
            case MPD_MULTIVARIANT -> dash.multivariant(original, upstream.finalUri(), direct.destination(),
                    direct.overrides(), direct.decryption(), signing, tracing);
            case MPD_PLAYLIST -> dash.mediaPlaylist(original, upstream.finalUri(), direct.period(),
                    direct.representation().orElseThrow(), direct.overrides(), direct.decryption(), signing, indexes,
                    tracing);
            default -> throw new IllegalStateException("not a DASH endpoint: " + endpoint);
        };
        return Response.of(200, madeHeaders(headers, endpoint.madeType), new ResponseBody.Bytes(made));
    }

    /**
     * An init segment or segment of the decrypting mode: the init segment (for a segment, the one that declares its
     * protection) and the media fetched through the guarded client with the player's allowlisted headers and
     * overrides, at the signed byte range if there is one, never the player's own {@code Range}; the answer is the
     * whole resource in the clear, its length unknown until it has been decrypted.
     */
    private Response decrypting(Request request, RequestContext context, DirectRequest direct) {
        Decryption wanted = direct.decryption();
        Headers headers = upstreamHeaders(request, direct, Kind.DECRYPT).toBuilder().remove("Accept-Encoding")
                .remove("Range").remove("If-Range").build();
        Headers answer = Headers.of("Content-Type", "video/mp4", "Cache-Control", "no-store");
        if (request.head().isHead()) {
            return Response.of(200, answer, new ResponseBody.Streamed(ResponseBody.UNKNOWN_LENGTH, out -> { }));
        }
        try {
            if (wanted.mode() == Decryption.Mode.INIT) {
                try (UpstreamResponse init = media(direct.upstream(), wanted.range(), headers, context)) {
                    return Response.of(200, answer, new ResponseBody.Bytes(decryption.init(init.body(), context)));
                }
            }
            Optional<MediaDecryption.SealedKeys> keys = wanted.keys().map(token -> authorization.openKeys(context,
                    token));
            MediaDecryption.Segment segment;
            try (UpstreamResponse init = media(wanted.init().orElseThrow(), wanted.initRange(), headers, context)) {
                segment = decryption.segment(init.body(), keys, context);
            } finally {
                keys.ifPresent(k -> Arrays.fill(k.content(), (byte) 0));
            }
            UpstreamResponse upstream = null;
            try {
                upstream = media(direct.upstream(), wanted.range(), headers, context);
                segment.start(upstream.body());
            } catch (IOException | RuntimeException e) {
                segment.close();
                if (upstream != null) {
                    closeQuietly(upstream);
                }
                throw e;
            }
            UpstreamResponse origin = upstream;
            return Response.of(200, answer, new ResponseBody.Streamed(ResponseBody.UNKNOWN_LENGTH,
                    out -> segment.decrypt(origin.body(), out))).whenWritten(outcome -> {
                        segment.close();
                        closeQuietly(origin);
                    });
        } catch (IOException e) {
            throw new RequestRejected(RequestError.UPSTREAM_FAILED, "upstream unavailable");
        }
    }

    /**
     * The origin's bytes of {@code url} (only {@code range} of them, when given) as an open answer; a 404 or 410 is
     * passed on, anything else that is not those bytes is a 502.
     */
    private UpstreamResponse media(URI url, Optional<DecryptingPlaylist.Range> range, Headers headers,
                                   RequestContext context) throws IOException {
        Headers ranged = range.map(r -> headers.toBuilder().set("Range", "bytes=" + r.offset() + "-" + r.last())
                .build()).orElse(headers);
        UpstreamResponse upstream = send(streams.client(), new UpstreamRequest("GET", url, ranged, Optional.empty(),
                0), context);
        int status = upstream.status();
        String contentRange = DirectResponseHeaders.of(status, upstream.headers()).first("Content-Range").orElse("");
        boolean exact = range.isEmpty() ? status == 200
                : status == 206 && contentRange.startsWith("bytes " + range.get().offset() + "-" + range.get().last()
                        + "/");
        if (exact) {
            return upstream;
        }
        closeQuietly(upstream);
        if (status == 404 || status == 410) {
            throw new RequestRejected(RequestError.NOT_FOUND, "not found at the origin");
        }
        throw new RequestRejected(RequestError.UPSTREAM_FAILED, "the origin answered " + status
                + (range.isPresent() ? " to a range request" : ""));
    }

    /**
     * The {@code sidx} of a SegmentBase Representation: one range request through the same guarded client, with
     * the player's allowlisted headers and overrides. Anything but those bytes is a 502.
     */
    private byte[] index(UpstreamClient client, Headers headers, URI url, Mpd.ByteRange range, RequestContext context)
            throws IOException {
        Headers ranged = headers.toBuilder().set("Range", "bytes=" + range.first() + "-" + range.last()).build();
        try (UpstreamResponse answer = send(client, new UpstreamRequest("GET", url, ranged, Optional.empty(), 0),
                context)) {
            byte[] bytes = answer.body().readNBytes((int) range.length());
            boolean exact = answer.status() == 206 || (answer.status() == 200 && range.first() == 0);
            if (!exact || bytes.length < range.length()) {
                throw OriginPlaylist.refused("the segment index could not be fetched (origin answered "
                        + answer.status() + ")");
            }
            return bytes;
        }
    }

    /**
     * The playlist with every URI through sprox; a decrypting one ({@code decrypt=1}) in two passes, the second
     * pointing its init sections and segments at decrypting URLs and dropping the protection's tags
     * ({@link DecryptingPlaylist}).
     */
    private Response rewritten(UpstreamResponse upstream, InputStream body, Headers headers, DirectRequest direct,
                               DirectAuthorization.Decision decision, RequestContext context) throws IOException {
        int maxBytes = streams.config().maxPlaylistBytes();
        byte[] original = OriginPlaylist.read(body, maxBytes);
        UrlSigning signing = authorization.signing(context, decision);
        var mapper = DirectPlaylistMapper.of(upstream.finalUri(), direct.overrides(), signing);
        Decryption decryption = direct.decryption();
        byte[] rewritten = PlaylistRewriteSpan.observe(context.tracing(), metrics, original.length, () -> {
            try {
                String text = PlaylistRewriter.rewrite(OriginPlaylist.text(original), upstream.finalUri(),
                        decryption.requested() ? new DecryptingPlaylistMapper(mapper, decryption) : mapper,
                        RewriteOptions.defaults().withMaxChars(maxBytes).withMaxOutputChars(
                                streams.config().maxRewrittenPlaylistBytes())
                                // the player's URL is sprox's, without the destination's query parameters
                                .withQueryParametersInlined());
                if (decryption.requested()) {
                    text = DecryptingPlaylist.rewrite(text, new DecryptingUris(direct.overrides(), decryption,
                            signing));
                }
                return text.getBytes(StandardCharsets.UTF_8);
            } catch (PlaylistException e) {
                throw OriginPlaylist.refused(e);
            }
        });
        // The whole rewritten playlist, whatever range of the origin's it came from (RFC 9110 §14.2).
        return Response.of(200, madeHeaders(headers, Kind.MANIFEST.madeType), new ResponseBody.Bytes(rewritten));
    }

    /** A playlist the origin compressed (a browser player sends Accept-Encoding) is read decompressed. */
    private static InputStream decoded(InputStream body, Optional<String> coding) throws IOException {
        if (coding.isEmpty()) {
            return body;
        }
        return switch (coding.get()) {
            case "gzip", "x-gzip" -> new GZIPInputStream(body);
            case "deflate" -> new InflaterInputStream(body);
            default -> throw OriginPlaylist.refused("playlist in an unsupported content coding: " + coding.get());
        };
    }

    private UpstreamResponse send(UpstreamClient client, UpstreamRequest upstreamRequest, RequestContext context) {
        try {
            UpstreamResponse upstream = client.send(upstreamRequest, context.tracing());
            context.notes().upstream(upstream.headersNanos(), upstream.retries());
            return upstream;
        } catch (UpstreamFailure failure) {
            LOG.atLevel(failure.logLevel()).addKeyValue("request_id", context.requestId())
                    .addKeyValue("kind", failure.kind().name())
                    .addKeyValue("detail", context.redaction().text(failure.getMessage()))
                    .log("direct upstream request failed");
            throw failure.rejection();
        }
    }

    private static void closeQuietly(UpstreamResponse upstream) {
        try {
            upstream.close();
        } catch (IOException e) {
            LOG.debug("closing origin response: {}", e.getMessage());
        }
    }
}
