package dev.sprox.direct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpExchange;
import dev.sprox.route.JdkOrigin;
import dev.sprox.testing.TestBytes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
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

    private JdkOrigin ranged;
    private final List<Optional<String>> rangesReceived = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startOrigins() throws Exception {
        ranged = new JdkOrigin(this::serve);
        allowPort(ranged.port());
        startDirect();
    }

    @AfterEach
    void stopOrigin() {
        ranged.close();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            Optional<String> range = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Range"));
            rangesReceived.add(range);
            String ifRange = exchange.getRequestHeaders().getFirst("If-Range");
            var headers = exchange.getResponseHeaders();
            headers.set("Content-Type", "video/mp4");
            headers.set("ETag", ETAG);
            headers.set("Accept-Ranges", "bytes");
            if (range.isEmpty() || (ifRange != null && !ifRange.equals(ETAG))) {
                send(exchange, 200, BODY);
                return;
            }
            Matcher m = RANGE.matcher(range.get());
            if (!m.matches()) {
                send(exchange, 200, BODY);
                return;
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
                headers.set("Content-Range", "bytes */" + BODY.length);
                exchange.sendResponseHeaders(416, -1);
                return;
            }
            headers.set("Content-Range", "bytes " + first + "-" + last + "/" + BODY.length);
            send(exchange, 206, Arrays.copyOfRange(BODY, (int) first, (int) last + 1));
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private HttpResponse<byte[]> get(String... headers) throws Exception {
        var builder = request("/proxy/stream?d=" + DirectUrls.encode(ranged.url("/movie.mp4")));
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
        assertEquals(List.of(Optional.of("bytes=100-199")), rangesReceived);
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
        assertEquals(List.of(Optional.empty()), rangesReceived);
    }
}
