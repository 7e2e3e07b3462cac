package dev.sprox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Request smuggling shapes (RFC 9112 §6): whenever two parsers could disagree about where a body ends, sprox
 * refuses with 400 and closes, instead of picking one reading.
 */
class RequestFramingTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String post(String framingHeaders, String body) {
        return "POST /echo HTTP/1.1\r\nHost: test\r\n" + framingHeaders + "\r\n" + body;
    }

    @Test
    void refusesContentLengthFollowedByTransferEncoding() throws IOException {
        server.assertRefused(post("Content-Length: 6\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\nG"), 400);
    }

    @Test
    void refusesTransferEncodingFollowedByContentLength() throws IOException {
        server.assertRefused(post("Transfer-Encoding: chunked\r\nContent-Length: 4\r\n",
                "5c\r\nGPOST / HTTP/1.1\r\n\r\n0\r\n\r\n"), 400);
    }

    @Test
    void refusesTwoDifferingContentLengthFields() throws IOException {
        server.assertRefused(post("Content-Length: 5\r\nContent-Length: 6\r\n", "hello!"), 400);
    }

    @Test
    void refusesContentLengthListWithDifferingValues() throws IOException {
        server.assertRefused(post("Content-Length: 5, 6\r\n", "hello!"), 400);
    }

    @Test
    void acceptsIdenticalDuplicateContentLengthFields() throws IOException {
        RawResponse response = server.exchange(post("Content-Length: 5\r\nContent-Length: 5\r\n", "hello"));
        assertEquals(200, response.status());
        assertEquals(TestServer.describe("hello".getBytes()), response.bodyText());
    }

    @Test
    void acceptsContentLengthListWithIdenticalValues() throws IOException {
        RawResponse response = server.exchange(post("Content-Length: 5, 5\r\n", "hello"));
        assertEquals(200, response.status());
        assertEquals(TestServer.describe("hello".getBytes()), response.bodyText());
    }

    @Test
    void refusesChunkedFollowedByIdentity() throws IOException {
        server.assertRefused(post("Transfer-Encoding: chunked, identity\r\n", "0\r\n\r\n"), 400);
    }

    @Test
    void refusesIdentityTransferEncoding() throws IOException {
        server.assertRefused(post("Transfer-Encoding: identity\r\n", "hello"), 400);
    }

    @Test
    void refusesTransferCodingThatOnlyLooksLikeChunked() throws IOException {
        server.assertRefused(post("Transfer-Encoding: xchunked\r\n", "0\r\n\r\n"), 400);
    }

    @Test
    void refusesChunkedListedTwice() throws IOException {
        server.assertRefused(post("Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n"), 400);
    }

    @Test
    void refusesChunkedInTwoTransferEncodingFields() throws IOException {
        server.assertRefused(post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400);
    }

    @Test
    void refusesEmptyTransferEncoding() throws IOException {
        server.assertRefused(post("Transfer-Encoding: \r\n", "0\r\n\r\n"), 400);
    }

    @Test
    void refusesTransferEncodingInHttp10Request() throws IOException {
        server.assertRefused("POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400);
    }

    @Test
    void refusesContentLengthWithPlusSign() throws IOException {
        server.assertRefused(post("Content-Length: +5\r\n", "hello"), 400);
    }

    @Test
    void refusesNegativeContentLength() throws IOException {
        server.assertRefused(post("Content-Length: -1\r\n", "hello"), 400);
    }

    @Test
    void refusesHexadecimalContentLength() throws IOException {
        server.assertRefused(post("Content-Length: 0x5\r\n", "hello"), 400);
    }

    @Test
    void refusesThirtyDigitContentLength() throws IOException {
        server.assertRefused(post("Content-Length: 100000000000000000000000000005\r\n", "hello"), 400);
    }

    @Test
    void refusesEmptyContentLength() throws IOException {
        server.assertRefused(post("Content-Length: \r\n", "hello"), 400);
    }

    @Test
    void refusesContentLengthWithTrailingGarbage() throws IOException {
        server.assertRefused(post("Content-Length: 5x\r\n", "hello"), 400);
    }

    @Test
    void refusesGzipBeforeChunkedAsNotImplemented() throws IOException {
        server.assertRefused(post("Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n"), 501);
    }
}
