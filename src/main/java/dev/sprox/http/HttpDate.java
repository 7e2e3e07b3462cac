package dev.sprox.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The IMF-fixdate (RFC 9110 §5.6.7: {@code Wed, 02 Dec 2026 09:41:47 GMT}) for every HTTP date sprox writes,
 * formatted once a second rather than once a response. Not {@code RFC_1123_DATE_TIME}: it leaves the day
 * unpadded ({@code Wed, 2 Dec}), which the IMF-fixdate grammar forbids.
 */
public final class HttpDate {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static volatile Cached cached = new Cached(-1, "");

    private record Cached(long second, String text) {}

    private HttpDate() {}

    public static String now() {
        long second = System.currentTimeMillis() / 1000;
        Cached current = cached;
        if (current.second() != second) {
            current = new Cached(second, format(Instant.ofEpochSecond(second)));
            cached = current;
        }
        return current.text();
    }

    public static String format(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }
}
