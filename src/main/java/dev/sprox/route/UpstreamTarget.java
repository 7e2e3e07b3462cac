package dev.sprox.route;

import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import dev.sprox.http.RequestTarget;
import dev.sprox.security.DotSegments;
import java.net.URI;

/**
 * Maps a request onto its route's origin: origin path prefix + request path + query in the grammar of
 * {@link RequestTarget#originForm()}, so percent-encoding reaches the origin as the client wrote it. Dot
 * segments are refused: an origin would resolve them and a request could climb out of the origin's path prefix.
 */
final class UpstreamTarget {
    private UpstreamTarget() {}

    static URI of(URI origin, RequestTarget target) {
        String path = target.path();
        if (!path.startsWith("/")) {
            throw new RequestRejected(RequestError.MALFORMED_REQUEST, "request target cannot be forwarded");
        }
        if (DotSegments.present(path)) {
            throw new RequestRejected(RequestError.MALFORMED_REQUEST, "path must not contain . or .. segments");
        }
        String base = origin.getRawPath() == null ? "" : origin.getRawPath();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        // The parser admits only what originForm() turns into a valid URI: a failure here is a bug, not bad input.
        return URI.create(origin.getScheme() + "://" + origin.getRawAuthority() + base + target.originForm());
    }
}
