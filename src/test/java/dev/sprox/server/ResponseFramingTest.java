package dev.sprox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sprox.http.Response;
import java.io.EOFException;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How response bodies are framed (RFC 9112 §6.3): HEAD, 204 and 304 carry none, unknown lengths are chunked. A
 * request pipelined behind each proves no stray body byte was sent, since it would corrupt the next response.
 */
class ResponseFramingTest {
    private static final String NEXT = "GET /say?next HTTP/1.1\r\nHost: test\r\n\r\n";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertNextResponseIntact(RawClient client) throws IOException {
        RawResponse next = client.read();
        assertEquals(200, next.status(), next::toString);
        assertEquals("next\n", next.bodyText());
    }

    @Test
    void answersHeadWithTheHeadersOfGetAndNoBody() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("HEAD /hello HTTP/1.1\r\nHost: test\r\n\r\nGET /hello HTTP/1.1\r\nHost: test\r\n\r\n");
            RawResponse head = client.read(true);
            RawResponse get = client.read();
            assertEquals(200, head.status());
            assertEquals(200, get.status());
            assertEquals("hello\n", get.bodyText());
            assertEquals("6", head.header("Content-Length").orElse(null), head::toString);
            assertEquals(get.header("Content-Length"), head.header("Content-Length"));
            assertEquals(get.header("Content-Type"), head.header("Content-Type"));
            client.send(NEXT);
            assertNextResponseIntact(client);
        }
    }

    @Test
    void answersHeadOfStreamedBodyWithoutChunks() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("HEAD /stream HTTP/1.1\r\nHost: test\r\n\r\n" + NEXT);
            RawResponse head = client.read(true);
            assertEquals(200, head.status());
            assertFalse(head.has("Content-Length"), "the length is not known");
            assertNextResponseIntact(client);
        }
    }

    @Test
    void sendsNoBodyAndNoFramingWith204() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("GET /no-content HTTP/1.1\r\nHost: test\r\n\r\n" + NEXT);
            RawResponse response = client.read();
            assertEquals(204, response.status());
            assertFalse(response.has("Content-Length"), response::toString);
            assertFalse(response.has("Transfer-Encoding"), response::toString);
            assertNextResponseIntact(client);
        }
    }

    @Test
    void sendsNoBodyAndNoChunkingWith304() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("GET /not-modified HTTP/1.1\r\nHost: test\r\n\r\n" + NEXT);
            RawResponse response = client.read();
            assertEquals(304, response.status());
            assertEquals("\"v1\"", response.header("ETag").orElse(null));
            assertFalse(response.has("Transfer-Encoding"), response::toString);
            assertNextResponseIntact(client);
        }
    }

    @Test
    void chunksBodyOfUnknownLength() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("GET /stream HTTP/1.1\r\nHost: test\r\n\r\n" + NEXT);
            RawResponse response = client.read();
            assertEquals(200, response.status());
            assertEquals("chunked", response.framing(), response::toString);
            assertEquals(String.join("", TestServer.STREAM_PIECES), response.bodyText());
            assertNextResponseIntact(client);
        }
    }

    @Test
    void framesKnownLengthWithContentLength() throws IOException {
        RawResponse response = server.exchange("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n");
        assertEquals("length", response.framing());
        assertEquals("6", response.header("Content-Length").orElse(null));
        assertEquals("sprox", response.header("Server").orElse(null));
        assertFalse(response.header("Date").orElse("").isEmpty());
    }

    @Test
    void cutsChunkedBodyShortWhenItsSourceFails() throws IOException {
        try (RawClient client = server.connect()) {
            // No last chunk may follow a failure: the client would take the partial body for the whole.
            client.send("GET /stream-fails HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThrows(EOFException.class, client::read);
        }
        server.assertStillServes();
    }

    @Test
    void closesBeforeDeclaredLengthWhenBodySourceFails() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("GET /length-fails HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThrows(EOFException.class, client::read);
        }
        server.assertStillServes();
    }

    @Test
    void aBodyThatThrowsAnErrorStillTellsItsListenersHowItEnded() throws Exception {
        TestServer.ERROR_OUTCOMES.clear();
        try (RawClient client = server.connect()) {
            client.send("GET /stream-error HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThrows(EOFException.class, client::read);
        }
        Response.Outcome outcome = TestServer.ERROR_OUTCOMES.poll();
        assertNotNull(outcome, "the listeners that give back slots and snapshots were never called");
        assertInstanceOf(StackOverflowError.class, outcome.failure());
        server.assertStillServes();
    }

    @Test
    void everyAnswerSaysNosniff() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse ok = client.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n").read();
            RawResponse missing = client.send("GET /nope HTTP/1.1\r\nHost: test\r\n\r\n").read();
            assertEquals(java.util.List.of("nosniff"), ok.all("X-Content-Type-Options"));
            assertEquals(java.util.List.of("nosniff"), missing.all("X-Content-Type-Options"));
        }
    }
}
