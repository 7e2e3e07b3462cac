package dev.sprox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code X-Request-Id}: a caller's id is kept only when it is safe to log and echo; otherwise sprox makes one. */
class RequestIdTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String idFor(String offeredHeader) throws IOException {
        RawResponse response = server.exchange("GET /hello HTTP/1.1\r\nHost: test\r\n" + offeredHeader + "\r\n");
        assertEquals(200, response.status());
        assertEquals(1, response.all("X-Request-Id").size(), response::toString);
        return response.header("X-Request-Id").orElseThrow();
    }

    private static void assertGenerated(String id) {
        assertTrue(id.matches("[0-9a-f]{32}"), "a generated id: " + id);
    }

    @Test
    void echoesSafeRequestId() throws IOException {
        assertEquals("abc-123_DEF.4:5", idFor("X-Request-Id: abc-123_DEF.4:5\r\n"));
    }

    @Test
    void echoesRequestIdOfMaximumLength() throws IOException {
        String id = "a".repeat(64);
        assertEquals(id, idFor("X-Request-Id: " + id + "\r\n"));
    }

    @Test
    void generatesRequestIdWhenNoneOffered() throws IOException {
        assertGenerated(idFor(""));
    }

    @Test
    void generatesFreshIdForEachRequest() throws IOException {
        assertNotEquals(idFor(""), idFor(""));
    }

    @Test
    void replacesRequestIdContainingSpaces() throws IOException {
        assertGenerated(idFor("X-Request-Id: id with spaces\r\n"));
    }

    @Test
    void replacesRequestIdContainingMarkup() throws IOException {
        assertGenerated(idFor("X-Request-Id: <script>alert(1)</script>\r\n"));
    }

    @Test
    void replacesOverlongRequestId() throws IOException {
        assertGenerated(idFor("X-Request-Id: " + "a".repeat(65) + "\r\n"));
    }

    @Test
    void replacesRequestIdWithNonAsciiBytes() throws IOException {
        assertGenerated(idFor("X-Request-Id: caf\u00e9\r\n"));
    }

    @Test
    void givesRefusedRequestAGeneratedId() throws IOException {
        RawResponse response = server.assertRefused("GET /hello HTTP/1.1\r\nHost: test\r\nContent-Length: x\r\n\r\n",
                400);
        assertGenerated(response.header("X-Request-Id").orElse(""));
    }
}
