package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.testing.MockResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** What the client sees of the origin's response headers. */
class ForwardedResponseHeadersTest extends OriginHarness {
    private static final String RESPONSE = "HTTP/1.1 200 OK\r\n"
            + "Content-Length: 5\r\n"
            + "Connection: close, X-Hop\r\n"
            + "X-Hop: 1\r\n"
            + "Keep-Alive: timeout=5\r\n"
            + "Proxy-Authenticate: Basic realm=\"x\"\r\n"
            + "Trailer: X-Checksum\r\n"
            + "X-Secret: s3cr3t\r\n"
            + "ETag: \"abc-1\"\r\n"
            + "Last-Modified: Wed, 21 Oct 2015 07:28:00 GMT\r\n"
            + "Via: 1.1 origin\r\n"
            + "X-Kept: yes\r\n"
            + "\r\n"
            + "hello";

    /** The header lines of a raw response, names lower-cased (sprox may normalise their case). */
    private static List<String> headerLines(String response) {
        var lines = new ArrayList<String>();
        String head = response.substring(0, response.indexOf("\r\n\r\n"));
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                lines.add(line.substring(0, colon).toLowerCase(Locale.ROOT) + ":" + line.substring(colon + 1));
            }
        }
        return lines;
    }

    private static List<String> values(List<String> lines, String name) {
        return lines.stream().filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1).strip())
                .toList();
    }

    /** The origin sends {@link #RESPONSE} byte for byte, hop-by-hop headers and all. */
    private String proxied(String... upstreamExtras) throws Exception {
        origin.answer("/vod/a.ts", MockResponse.raw(RESPONSE));
        start(route("vod", origin.url("/vod"), upstreamExtras));
        String response = raw("GET /a.ts HTTP/1.1\r\nHost: localhost\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200 "), response);
        return response;
    }

    @Test
    void hopByHopHeadersAndThoseNamedByConnectionAreRemoved() throws Exception {
        var lines = headerLines(proxied());
        for (String name : List.of("x-hop", "keep-alive", "proxy-authenticate", "trailer")) {
            assertEquals(List.of(), values(lines, name), name);
        }
        assertEquals(List.of("close"), values(lines, "connection"), "sprox's own Connection only");
        assertEquals(List.of("yes"), values(lines, "x-kept"));
    }

    @Test
    void deniedHeaderIsRemoved() throws Exception {
        var lines = headerLines(proxied("headers: {deny: [x-secret]}"));
        assertEquals(List.of(), values(lines, "x-secret"));
    }

    @Test
    void validatorsAndLengthPassExactly() throws Exception {
        String response = proxied();
        var lines = headerLines(response);
        assertEquals(List.of("\"abc-1\""), values(lines, "etag"));
        assertEquals(List.of("Wed, 21 Oct 2015 07:28:00 GMT"), values(lines, "last-modified"));
        assertEquals(List.of("5"), values(lines, "content-length"));
        assertTrue(response.endsWith("\r\n\r\nhello"), response);
    }

    @Test
    void viaGetsSproxAppended() throws Exception {
        assertEquals(List.of("1.1 origin, 1.1 sprox"), values(headerLines(proxied()), "via"));
    }
}
