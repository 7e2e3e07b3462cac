package dev.sprox.direct;

import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import dev.sprox.server.Request;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What a direct request asks for, read from its target.
 *
 * @param destination {@code d} in its canonical spelling: what {@link DirectUrls} wrote, and what an authorisation
 *                    decides on
 * @param upstream    what is fetched: the destination with the LL-HLS delivery directives the player added
 * @param overrides   the {@code h_...} parameters
 * @param filename    for {@code /proxy/stream/{filename}}, the name to offer
 */
record DirectRequest(URI destination, URI upstream, HeaderOverrides overrides, Optional<Filename> filename) {

    /** @param endpoint the endpoint's path; anything after it is the filename */
    static DirectRequest of(Request request, String endpoint) {
        URI destination = Destination.of(request.head().target().rawQuery(), request.query().all());
        HeaderOverrides overrides = HeaderOverrides.parse(request.query().all());
        return new DirectRequest(destination, DeliveryDirectives.applied(destination, request.query().all()),
                overrides, filename(request.path(), endpoint));
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
