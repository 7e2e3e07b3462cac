package dev.sprox.route;

import dev.sprox.dash.MpdUpdateInterval;
import dev.sprox.hls.UpdateInterval;
import dev.sprox.server.Headers;
import dev.sprox.server.Response;
import dev.sprox.server.ResponseBody;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * A playlist (or MPD) answer read whole (and rewritten, when the route rewrites), so every request that shares its
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
        return of(status, headers, body, fraction, UpdateInterval::of);
    }

    /** Like {@link #of(int, Headers, byte[], double)}, for an MPD: a dynamic one's {@code minimumUpdatePeriod}. */
    static PlaylistAnswer ofMpd(int status, Headers headers, byte[] body, double fraction) {
        return of(status, headers, body, fraction, MpdUpdateInterval::of);
    }

    private static PlaylistAnswer of(int status, Headers headers, byte[] body, double fraction,
                                     Function<String, Optional<Duration>> interval) {
        Duration reuse = Duration.ZERO;
        if (status == 200 && fraction > 0) {
            reuse = interval.apply(new String(body, StandardCharsets.UTF_8))
                    .map(updates -> Duration.ofNanos(Math.round(updates.toNanos() * fraction)))
                    .map(window -> window.compareTo(MAX_REUSE) > 0 ? MAX_REUSE : window)
                    .orElse(Duration.ZERO);
        }
        return new PlaylistAnswer(status, headers, body, reuse);
    }

    Response response() {
        return Response.of(status, headers, new ResponseBody.Bytes(body));
    }
}
