package dev.sprox.route;

import dev.sprox.hls.UpdateInterval;
import dev.sprox.server.Headers;
import dev.sprox.server.Response;
import dev.sprox.server.ResponseBody;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A playlist answer read whole (and rewritten, when the route rewrites), so every request that shares its
 * fetch gets the same status, headers and bytes.
 *
 * @param reuse how long after the fetch later requests may still get this answer; zero when only the
 *              requests that waited for the fetch share it
 */
record PlaylistAnswer(int status, Headers headers, byte[] body, Duration reuse) {
    /** However long the origin says its segments are, a player never waits longer than this for news. */
    static final Duration MAX_REUSE = Duration.ofSeconds(10);

    /**
     * Only a 200 that names its update interval is reused, for {@code fraction} of it: errors, redirects and
     * 304s answer one moment, and a multivariant playlist has no interval to scale.
     */
    static PlaylistAnswer of(int status, Headers headers, byte[] body, double fraction) {
        Duration reuse = Duration.ZERO;
        if (status == 200 && fraction > 0) {
            reuse = UpdateInterval.of(new String(body, StandardCharsets.UTF_8))
                    .map(interval -> Duration.ofNanos(Math.round(interval.toNanos() * fraction)))
                    .map(window -> window.compareTo(MAX_REUSE) > 0 ? MAX_REUSE : window)
                    .orElse(Duration.ZERO);
        }
        return new PlaylistAnswer(status, headers, body, reuse);
    }

    Response response() {
        return Response.of(status, headers, new ResponseBody.Bytes(body));
    }
}
