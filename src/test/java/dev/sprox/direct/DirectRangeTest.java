package dev.sprox.direct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprox.testing.MockResponse;
import dev.sprox.testing.RecordedRequest;
import dev.sprox.testing.TestBytes;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Range, If-Range, 206 and 416 through /proxy/stream against an origin that implements RFC 9110 §14 for one
 * 1000-byte representation: what the client asks is what the origin sees, and the origin's answer is the client's.
 */
class DirectRangeTest extends DirectHarness {
    private static final String ETAG = "\"rep-1\"";
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final byte[] BODY = new byte[1000];

    static {
        TestBytes.fill(BODY, 0);
    }

    @BeforeEach
    void startSprox() throws Exception {
        origin.dispatch(DirectRangeTest::serve);
        startDirect();
    }

    private static MockResponse serve(RecordedRequest request) {
        Optional<String> range = request.header("Range");
        Optional<String> ifRange = request.header("If-Range");
        if (range.isEmpty() || ifRange.filter(validator -> !validator.equals(ETAG)).isPresent()) {
            return representation(200, BODY);
        }
        Matcher m = RANGE.matcher(range.get());
        if (!m.matches()) {
            return representation(200, BODY);
        }
        long first;
        long last;
        if (m.group(1).isEmpty()) {
            first = Math.max(0, BODY.length - Long.parseLong(m.group(2)));
            last = BODY.length - 1;
        } else {
            first = Long.parseLong(m.group(1));
            last = m.group(2).isEmpty() ? BODY.length - 1 : Math.min(Long.parseLong(m.group(2)), BODY.length - 1);
        }
        if (first >= BODY.length) {
            return representation(416, new byte[0]).header("Content-Range", "bytes */" + BODY.length);
        }
        return representation(206, Arrays.copyOfRange(BODY, (int) first, (int) last + 1))
                .header("Content-Range", "bytes " + first + "-" + last + "/" + BODY.length);
    }

    private static MockResponse representation(int status, byte[] body) {
        return MockResponse.status(status).body(body).type("video/mp4").header("ETag", ETAG)
                .header("Accept-Ranges", "bytes");
    }

    /** The Range header of each request the origin received, in order. */
    private List<Optional<String>> rangesReceived() {
        return origin.requests().stream().map(r -> r.header("Range")).toList();
    }

    private HttpResponse<byte[]> get(String... headers) throws Exception {
        var builder = request(stream("/movie.mp4"));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aRangeGetsExactlyThoseBytesWithTheOriginsContentRange() throws Exception {
        HttpResponse<byte[]> response = get("Range", "bytes=100-199");

        assertEquals(206, response.statusCode());
        assertEquals(Optional.of("bytes 100-199/1000"), response.headers().firstValue("Content-Range"));
        assertEquals(Optional.of("100"), response.headers().firstValue("Content-Length"));
        assertEquals(Optional.of("bytes"), response.headers().firstValue("Accept-Ranges"));
        assertArrayEquals(Arrays.copyOfRange(BODY, 100, 200), response.body());
        assertEquals(List.of(Optional.of("bytes=100-199")), rangesReceived());
    }

    @Test
    void aSuffixRangeGetsTheLastBytes() throws Exception {
        HttpResponse<byte[]> response = get("Range", "bytes=-10");

        assertEquals(206, response.statusCode());
        assertEquals(Optional.of("bytes 990-999/1000"), response.headers().firstValue("Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(BODY, 990, 1000), response.body());
    }

    @Test
    void anUnsatisfiableRangeIs416WithTheLength() throws Exception {
        HttpResponse<byte[]> response = get("Range", "bytes=5000-");

        assertEquals(416, response.statusCode());
        assertEquals(Optional.of("bytes */1000"), response.headers().firstValue("Content-Range"));
    }

    @Test
    void ifRangeWithTheCurrentValidatorGetsThePart() throws Exception {
        HttpResponse<byte[]> response = get("Range", "bytes=0-9", "If-Range", ETAG);

        assertEquals(206, response.statusCode());
        assertArrayEquals(Arrays.copyOfRange(BODY, 0, 10), response.body());
    }

    @Test
    void ifRangeWithAStaleValidatorGetsTheWholeRepresentation() throws Exception {
        HttpResponse<byte[]> response = get("Range", "bytes=0-9", "If-Range", "\"rep-0\"");

        assertEquals(200, response.statusCode());
        assertEquals(Optional.empty(), response.headers().firstValue("Content-Range"));
        assertArrayEquals(BODY, response.body());
    }

    @Test
    void noRangeIsInventedAndOnlyOneRequestIsSent() throws Exception {
        HttpResponse<byte[]> response = get();

        assertEquals(200, response.statusCode());
        assertArrayEquals(BODY, response.body());
        assertEquals(List.of(Optional.empty()), rangesReceived());
    }
}
