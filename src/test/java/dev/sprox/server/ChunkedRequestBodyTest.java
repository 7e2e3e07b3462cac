package dev.sprox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Chunked request bodies (RFC 9112 §7.1): decoded exactly, and refused when their framing is not. */
class ChunkedRequestBodyTest {
    private static final String HEAD = "POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Each case: what it is, the bytes a client sends, and the status it gets before the connection closes. */
    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("refuses non hex chunk size", HEAD + "zz\r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("refuses empty chunk size", HEAD + "\r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("refuses negative chunk size", HEAD + "-5\r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("refuses chunk size with hex prefix", HEAD + "0x5\r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("refuses chunk size with leading whitespace", HEAD + " 5\r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("refuses chunk data not followed by crlf", HEAD + "5\r\nhelloXX\r\n0\r\n\r\n", 400),
                Arguments.of("refuses chunk data followed by bare lf", HEAD + "5\r\nhello\n0\r\n\r\n", 400),
                Arguments.of("refuses obs fold in trailer",
                        HEAD + "5\r\nhello\r\n0\r\nX-Trailer: a\r\n b\r\n\r\n", 400)
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void isRefusedAndTheConnectionClosed(String what, String request, int status) throws IOException {
        server.assertRefused(request, status);
    }

    @Test
    void echoesMultiChunkBodyExactly() throws IOException {
        // Binary data, including bytes that look like chunk framing, must come through untouched.
        byte[] second = new byte[3000];
        new Random(42).nextBytes(second);
        System.arraycopy(bytes("\r\n0\r\n\r\n"), 0, second, 100, 7);
        var request = new ByteArrayOutputStream();
        request.writeBytes(bytes(HEAD + "5\r\nhello\r\n"));
        request.writeBytes(bytes(HexFormat.of().toHexDigits(second.length).replaceFirst("^0+", "") + "\r\n"));
        request.writeBytes(second);
        request.writeBytes(bytes("\r\n1\r\n!\r\n0\r\n\r\n"));
        var expected = new ByteArrayOutputStream();
        expected.writeBytes(bytes("hello"));
        expected.writeBytes(second);
        expected.writeBytes(bytes("!"));

        try (RawClient client = server.connect()) {
            RawResponse response = client.send(request.toByteArray()).read();
            assertEquals(200, response.status());
            assertEquals(TestServer.describe(expected.toByteArray()), response.bodyText());
        }
    }

    @Test
    void acceptsUppercaseHexChunkSize() throws IOException {
        String body = "x".repeat(0x1A);
        RawResponse response = server.exchange(HEAD + "1A\r\n" + body + "\r\n0\r\n\r\n");
        assertEquals(200, response.status());
        assertEquals(TestServer.describe(bytes(body)), response.bodyText());
    }

    @Test
    void acceptsChunkExtensions() throws IOException {
        RawResponse response = server.exchange(HEAD
                + "5;name=value\r\nhello\r\n6 ; flag\r\n world\r\n0;last=\"yes\"\r\n\r\n");
        assertEquals(200, response.status());
        assertEquals(TestServer.describe(bytes("hello world")), response.bodyText());
    }

    @Test
    void acceptsTrailersAndParsesNextPipelinedRequest() throws IOException {
        try (RawClient client = server.connect()) {
            client.send(HEAD + "5\r\nhello\r\n0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n"
                    + "GET /say?after-trailers HTTP/1.1\r\nHost: test\r\n\r\n");
            RawResponse first = client.read();
            assertEquals(200, first.status());
            assertEquals(TestServer.describe(bytes("hello")), first.bodyText());
            RawResponse second = client.read();
            assertEquals(200, second.status());
            assertEquals("after-trailers\n", second.bodyText());
        }
    }

    @Test
    void acceptsEmptyChunkedBodyAndKeepsConnection() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse first = client.send(HEAD + "0\r\n\r\n").read();
            assertEquals(200, first.status());
            assertEquals(TestServer.describe(new byte[0]), first.bodyText());
            RawResponse second = client.send("GET /say?again HTTP/1.1\r\nHost: test\r\n\r\n").read();
            assertEquals("again\n", second.bodyText());
        }
    }

    @Test
    void refusesChunkSizeThatOverflows() throws IOException {
        // 17 hex digits: 2^64 + 5, which wraps to 5 in a parser that ignores overflow.
        server.assertRefused(HEAD + "10000000000000005\r\nhello\r\n0\r\n\r\n", 400);
    }

    @Test
    void refusesChunkedBodyLargerThanMaxBodyBytes() throws IOException {
        // Three chunks of 50 KiB against a limit of 128 KiB: the third crosses it.
        int chunk = 50 * 1024;
        var request = new ByteArrayOutputStream();
        request.writeBytes(bytes(HEAD));
        for (int i = 0; i < 3; i++) {
            request.writeBytes(bytes(Integer.toHexString(chunk) + "\r\n"));
            request.writeBytes(new byte[chunk]);
            request.writeBytes(bytes("\r\n"));
        }
        request.writeBytes(bytes("0\r\n\r\n"));
        server.assertRefused(request.toByteArray(), 413);
    }

    @Test
    void refusesSingleChunkLargerThanMaxBodyBytesBeforeItsData() throws IOException {
        // Only the size line is sent: the refusal must not wait for data it will never read.
        server.assertRefused(HEAD + Long.toHexString(TestServer.SETTINGS.maxBodyBytes() + 1) + "\r\n", 413);
    }

    @Test
    void refusesChunkedBodyCutShortByClient() throws IOException {
        assertBodyCutShortIsRefused(HEAD + "a\r\nhello");
    }

    @Test
    void refusesChunkedBodyCutShortInsideSizeLine() throws IOException {
        assertBodyCutShortIsRefused(HEAD + "5\r\nhello\r\n1");
    }

    @Test
    void refusesChunkedBodyCutShortInsideTrailers() throws IOException {
        assertBodyCutShortIsRefused(HEAD + "5\r\nhello\r\n0\r\nX-Trailer: a");
    }

    @Test
    void refusesFixedLengthBodyCutShortByClient() throws IOException {
        assertBodyCutShortIsRefused("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 10\r\n\r\nhello");
    }

    /** The client half-closes mid-body: that is the client's fault (400), not a server failure (500). */
    private static void assertBodyCutShortIsRefused(String truncated) throws IOException {
        try (RawClient client = server.connect()) {
            client.send(truncated).socket().shutdownOutput();
            RawResponse response = client.read();
            assertEquals(400, response.status(), response::toString);
            client.assertClosedByServer();
        }
        server.assertStillServes();
    }
}
