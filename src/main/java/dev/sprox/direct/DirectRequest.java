package dev.sprox.direct;

import dev.sprox.http.QueryParameters;
import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import dev.sprox.security.DotSegments;
import dev.sprox.server.Request;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a direct request asks for, read from its target.
 *
 * @param destination {@code d} in its canonical spelling: what {@link DirectUrls} wrote, and what an authorisation
 *                    decides on
 * @param upstream    what is fetched: the destination with the LL-HLS delivery directives the player added
 * @param overrides   the {@code h_...} parameters
 * @param filename    for {@code /proxy/stream/{filename}}, the name to offer
 * @param representation {@code rep}: for {@code /proxy/mpd/playlist.m3u8}, the Representation to list
 * @param period      {@code period}: for {@code /proxy/mpd/playlist.m3u8}, the Period that Representation is in
 * @param decryption  the decrypting mode's signed parameters; {@link Decryption#NONE} without {@code decrypt}
 */
record DirectRequest(URI destination, URI upstream, HeaderOverrides overrides, Optional<Filename> filename,
                     Optional<String> representation, Optional<String> period, Decryption decryption) {

    /** @param endpoint the endpoint's path; anything after it is the filename */
    static DirectRequest of(Request request, String endpoint) {
        URI destination = Destination.of(request.head().target().rawQuery(), request.query().all());
        HeaderOverrides overrides = HeaderOverrides.parse(request.query().all());
        return new DirectRequest(destination, DeliveryDirectives.applied(destination, request.query().all()),
                overrides, filename(request.path(), endpoint),
                request.query().first(DirectUrls.REPRESENTATION).filter(id -> !id.isBlank()),
                request.query().first(DirectUrls.PERIOD).filter(id -> !id.isBlank()),
                Decryption.parse(request.query().all()));
    }

    /** The token of a {@code /proxy/base/<token>/<rest>} request; a path with nothing after the token is 404. */
    static String prefixToken(Request request) {
        String path = request.path();
        int start = DirectUrls.PREFIX.length() + 1;
        int slash = path.indexOf('/', start);
        if (slash < 0) {
            throw new RequestRejected(RequestError.NOT_FOUND, "no such endpoint");
        }
        return path.substring(start, slash);
    }

    /**
     * A request below a verified signed prefix: its destination is the base followed by the rest of the path and
     * the query exactly as the client sent them (the characters RFC 3986 leaves out percent-encoded, as for routes).
     * A rest that would climb out of the base ({@code ..}, {@code %2e%2e}, {@code ..;} and the rest of
     * {@link DotSegments}) is refused: the origin would resolve it above what was signed.
     */
    static DirectRequest underPrefix(Request request, DirectAuthorization.Decision.ByPrefix prefix) {
        String target = request.head().target().originForm();
        String rest = target.substring(DirectUrls.PREFIX.length() + 1 + prefixToken(request).length() + 1);
        URI destination;
        try {
            destination = Destination.parse(prefix.base() + rest);
        } catch (RequestRejected invalid) {
            throw new RequestRejected(RequestError.BAD_PARAMETER, "the path does not make a valid URL below its prefix");
        }
        if (!destination.toString().startsWith(prefix.base()) || DotSegments.present(destination.getRawPath())) {
            throw new RequestRejected(RequestError.FORBIDDEN, "the path leaves its signed prefix");
        }
        HeaderOverrides overrides = HeaderOverrides.parse(prefix.overrides().stream()
                .map(o -> new QueryParameters.Parameter(HeaderOverrides.PREFIX + o.name(), o.value()))
                .collect(Collectors.toList()));
        return new DirectRequest(destination, destination, overrides, Optional.empty(), Optional.empty(),
                Optional.empty(), Decryption.NONE);
    }

    private static Optional<Filename> filename(String path, String endpoint) {
        if (path.length() <= endpoint.length() + 1) {
            return Optional.empty();
        }
        String raw = path.substring(endpoint.length() + 1);
        if (raw.indexOf('/') >= 0) {
            throw new RequestRejected(RequestError.NOT_FOUND, "no such endpoint");
        }
        try {
            // A '+' in a path is a plus, not a space (that is only for form-encoded queries).
            return Filename.of(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException malformed) {
            throw new RequestRejected(RequestError.BAD_PARAMETER, "the filename is not validly percent-encoded");
        }
    }
}
