package dev.sprox.testing;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link MockOrigin} dispatcher serving one file at any path the way nginx serves a static file: Accept-Ranges,
 * its ETag, a single {@code bytes=first-last} Range answered with a 206 unless If-Range names another version (a
 * weak tag never matches, RFC 9110 §13.1.5). The file can be replaced while it is being served.
 */
public final class VersionedFile implements MockOrigin.Dispatcher {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

    private record Version(byte[] bytes, Optional<String> etag) {}

    private final AtomicReference<Version> current = new AtomicReference<>();
    private volatile Duration rangeDelay = Duration.ZERO;

    /** @param etag the entity tag as sent, quotes included ({@code "v1"} or {@code W/"v1"}), or none */
    public VersionedFile(byte[] bytes, Optional<String> etag) {
        replace(bytes, etag);
    }

    public void replace(byte[] bytes, Optional<String> etag) {
        current.set(new Version(bytes, etag));
    }

    /** Answers a Range only after {@code delay}, as a distant origin would. */
    public void delayRanges(Duration delay) {
        rangeDelay = delay;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        Version version = current.get();
        Matcher range = RANGE.matcher(request.header("Range").orElse(""));
        Optional<String> ifRange = request.header("If-Range");
        boolean partial = range.matches() && (ifRange.isEmpty()
                || version.etag().filter(tag -> !tag.startsWith("W/")).equals(ifRange));
        MockResponse response;
        if (partial) {
            int first = Integer.parseInt(range.group(1));
            int last = Integer.parseInt(range.group(2));
            response = MockResponse.ok(Arrays.copyOfRange(version.bytes(), first, last + 1)).withStatus(206)
                    .header("Content-Range", "bytes " + first + "-" + last + "/" + version.bytes().length)
                    .delayHeaders(rangeDelay);
        } else {
            response = MockResponse.ok(version.bytes());
        }
        response.type("video/mp2t").header("Accept-Ranges", "bytes");
        version.etag().ifPresent(tag -> response.header("ETag", tag));
        return response;
    }
}
