package dev.sprox.upstream;

import dev.sprox.hls.UpdateInterval;
import dev.sprox.http.Headers;
import dev.sprox.http.Response;
import dev.sprox.http.ResponseBody;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A playlist (or MPD) answer read whole (and rewritten, when the route rewrites), so every request that shares its
 * fetch gets the same status, headers and bytes.
 *
 * @param shared false when the answer is for the request that fetched it only: other requests waiting for that
 *               fetch then fetch for themselves
 * @param reuse  how long after the fetch later requests may still get this answer; zero when only the
 *               requests that waited for the fetch share it
 */
public record PlaylistAnswer(int status, Headers headers, byte[] body, boolean shared, Duration reuse) {
    /** However long the origin says its segments are, a player never waits longer than this for news. */
    static final Duration MAX_REUSE = Duration.ofSeconds(10);
    /**
     * Request headers set per request by sprox or by tracing, which say who asks rather than what: never part of
     * what makes two requests the same, so an answer that varies on one is not shared.
     */
    public static final Set<String> REQUESTER = Set.of("x-forwarded-for", "x-request-id", "via", "traceparent",
            "tracestate");

    /**
     * Only a 200 that names its update interval is reused, for {@code fraction} of it and never longer than
     * its {@code s-maxage}/{@code max-age}: errors, redirects and 304s answer one moment, and a multivariant
     * playlist has no interval to scale. As nginx's proxy_cache does by default, an answer that sets a cookie,
     * is {@code private} or {@code no-store}, or varies on {@code *} or on a header the key
     * leaves out, is not shared at all; {@code no-cache} is shared with the fetch's waiters and not reused.
     */
    public static PlaylistAnswer of(int status, Headers headers, byte[] body, double fraction) {
        return of(status, headers, body, fraction, UpdateInterval::of);
    }

    /**
     * Like {@link #of(int, Headers, byte[], double)}, with the update interval read from the body by
     * {@code interval} (an MPD's {@code minimumUpdatePeriod}, say).
     */
    public static PlaylistAnswer of(int status, Headers headers, byte[] body, double fraction,
                                     Function<String, Optional<Duration>> interval) {
        Duration reuse = Duration.ZERO;
        if (status == 200 && fraction > 0) {
            reuse = interval.apply(new String(body, StandardCharsets.UTF_8))
                    .map(updates -> Duration.ofNanos(Math.round(updates.toNanos() * fraction)))
                    .map(window -> reuse(headers, window.compareTo(MAX_REUSE) > 0 ? MAX_REUSE : window))
                    .orElse(Duration.ZERO);
        }
        return new PlaylistAnswer(status, headers, body, shared(headers), reuse);
    }

    /**
     * How long a 200 with {@code headers} may answer later requests, at most {@code window}: never past its
     * {@code s-maxage}/{@code max-age}, and zero when it is not {@linkplain #shared() shared} or is
     * {@code no-cache}. The one rule for every answer sprox keeps for other requests.
     */
    public static Duration reuse(Headers headers, Duration window) {
        CacheControl cache = CacheControl.of(headers);
        if (!shared(headers) || cache.noCache()) {
            return Duration.ZERO;
        }
        return cache.maxAge().filter(age -> age.compareTo(window) < 0).orElse(window);
    }

    private static boolean shared(Headers headers) {
        CacheControl cache = CacheControl.of(headers);
        return !headers.has("Set-Cookie") && !cache.isPrivate() && !cache.noStore() && !variesPerRequester(headers);
    }

    private static boolean variesPerRequester(Headers headers) {
        for (String value : headers.all("Vary")) {
            for (String name : value.split(",")) {
                String field = name.strip().toLowerCase(Locale.ROOT);
                if (field.equals("*") || REQUESTER.contains(field)) {
                    return true;
                }
            }
        }
        return false;
    }

    public Response response() {
        return Response.of(status, headers, new ResponseBody.Bytes(body));
    }

    /** The {@code Cache-Control} directives a shared cache obeys (RFC 9111 §5.2.2). */
    private record CacheControl(boolean isPrivate, boolean noStore, boolean noCache, Optional<Duration> maxAge) {
        static CacheControl of(Headers headers) {
            boolean isPrivate = false;
            boolean noStore = false;
            boolean noCache = false;
            Optional<Duration> maxAge = Optional.empty();
            Optional<Duration> sharedMaxAge = Optional.empty();
            for (String value : headers.all("Cache-Control")) {
                for (String directive : value.split(",")) {
                    String text = directive.strip().toLowerCase(Locale.ROOT);
                    int equals = text.indexOf('=');
                    String name = equals < 0 ? text : text.substring(0, equals).strip();
                    String argument = equals < 0 ? "" : text.substring(equals + 1).strip().replace("\"", "");
                    switch (name) {
                        // With or without a field list: the safe reading of both is "not for others".
                        case "private" -> isPrivate = true;
                        case "no-store" -> noStore = true;
                        case "no-cache" -> noCache = true;
                        case "max-age" -> maxAge = seconds(argument).or(() -> Optional.of(Duration.ZERO));
                        case "s-maxage" -> sharedMaxAge = seconds(argument).or(() -> Optional.of(Duration.ZERO));
                        default -> { }
                    }
                }
            }
            return new CacheControl(isPrivate, noStore, noCache, sharedMaxAge.isPresent() ? sharedMaxAge : maxAge);
        }

        private static Optional<Duration> seconds(String digits) {
            if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofSeconds(Long.parseLong(digits)));
        }
    }
}
