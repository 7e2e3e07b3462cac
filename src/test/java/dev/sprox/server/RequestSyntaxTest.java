package dev.sprox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request lines and header fields that a lenient parser would read one way and sprox another: each is refused
 * with 400 and the connection closed (RFC 9112 §2-§5).
 */
class RequestSyntaxTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String get(String headers) {
        return "GET /hello HTTP/1.1\r\nHost: test\r\n" + headers + "\r\n";
    }

    /** Each case: what it is, the bytes a client sends, and the status it gets before the connection closes. */
    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("refuses obs fold with space", get("X-Long: first\r\n second\r\n"), 400),
                Arguments.of("refuses obs fold with tab", get("X-Long: first\r\n\tsecond\r\n"), 400),
                Arguments.of("refuses obs fold of transfer encoding",
                        "POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("refuses whitespace before colon", "GET /hello HTTP/1.1\r\nHost : test\r\n\r\n", 400),
                Arguments.of("refuses whitespace before colon in content length",
                        "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length : 5\r\n\r\nhello", 400),
                Arguments.of("refuses nul in header value", get("X-Test: a\u0000b\r\n"), 400),
                Arguments.of("refuses control character in header value", get("X-Test: a\u0001b\r\n"), 400),
                Arguments.of("refuses delete character in header value", get("X-Test: a\u007fb\r\n"), 400),
                Arguments.of("refuses bare cr inside header line", get("X-Test: a\rX-Injected: b\r\n"), 400),
                Arguments.of("refuses bare cr inside request line", "GET /hello\r HTTP/1.1\r\nHost: test\r\n\r\n", 400),
                Arguments.of("refuses bare lf line endings", "GET /hello HTTP/1.1\nHost: test\n\n", 400),
                Arguments.of("refuses bare lf after header field",
                        "GET /hello HTTP/1.1\r\nHost: test\nX-Test: 1\r\n\r\n", 400),
                Arguments.of("refuses header name with invalid character", get("X(Test): 1\r\n"), 400),
                Arguments.of("refuses header line without colon", get("X-Test 1\r\n"), 400),
                Arguments.of("refuses header line with empty name", get(": value\r\n"), 400),
                Arguments.of("refuses too many empty lines before request line",
                        "\r\n".repeat(5) + "GET /hello HTTP/1.1\r\nHost: test\r\n\r\n", 400),
                Arguments.of("refuses missing host in http11", "GET /hello HTTP/1.1\r\n\r\n", 400),
                Arguments.of("refuses two host fields",
                        "GET /hello HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n", 400),
                Arguments.of("refuses host with invalid character",
                        "GET /hello HTTP/1.1\r\nHost: a.example/evil\r\n\r\n", 400),
                Arguments.of("refuses double space in request line", "GET  /hello HTTP/1.1\r\nHost: test\r\n\r\n", 400),
                Arguments.of("refuses double space before version", "GET /hello  HTTP/1.1\r\nHost: test\r\n\r\n", 400),
                Arguments.of("refuses trailing space after version", "GET /hello HTTP/1.1 \r\nHost: test\r\n\r\n", 400),
                Arguments.of("refuses lowercase version", "GET /hello http/1.1\r\nHost: test\r\n\r\n", 400),
                Arguments.of("refuses request line without version", "GET /hello\r\nHost: test\r\n\r\n", 400),
                Arguments.of("refuses method with invalid character", "G(T /hello HTTP/1.1\r\nHost: test\r\n\r\n", 400),
                Arguments.of("refuses tab in target", "GET /hel\tlo HTTP/1.1\r\nHost: test\r\n\r\n", 400),
                Arguments.of("refuses quote in target", "GET /hello?a=\"b\" HTTP/1.1\r\nHost: test\r\n\r\n", 400),
                Arguments.of("refuses fragment in target", "GET /hello#top HTTP/1.1\r\nHost: test\r\n\r\n", 400),
                Arguments.of("refuses target that is not a path", "GET hello HTTP/1.1\r\nHost: test\r\n\r\n", 400)
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void isRefusedAndTheConnectionClosed(String what, String request, int status) throws IOException {
        server.assertRefused(request, status);
    }

    @Test
    void acceptsMissingHostInHttp10() throws IOException {
        RawResponse response = server.exchange("GET /hello HTTP/1.0\r\n\r\n");
        assertEquals(200, response.status());
        assertEquals("hello\n", response.bodyText());
    }

    @Test
    void refusesMalformedPercentEscapeInTarget() throws IOException {
        server.assertRefused("GET /hello?a=%zz HTTP/1.1\r\nHost: test\r\n\r\n", 400);
        server.assertRefused("GET /he%4 HTTP/1.1\r\nHost: test\r\n\r\n", 400);
    }

    @Test
    void acceptsCharactersPlayersSendUnencoded() throws IOException {
        assertEquals("a=[1]|{x}^`\n", server.exchange("GET /say?a=[1]|{x}^` HTTP/1.1\r\nHost: test\r\n\r\n").bodyText());
    }

    @Test
    void refusesNonAsciiByteInTarget() throws IOException {
        var request = new ByteArrayOutputStream();
        request.writeBytes("GET /hel".getBytes(StandardCharsets.US_ASCII));
        request.write(0xC3);
        request.write(0xA9);
        request.writeBytes("lo HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        server.assertRefused(request.toByteArray(), 400);
    }

    @Test
    void ignoresOneEmptyLineBeforeRequestLine() throws IOException {
        RawResponse response = server.exchange("\r\nGET /hello HTTP/1.1\r\nHost: test\r\n\r\n");
        assertEquals(200, response.status());
        assertEquals("hello\n", response.bodyText());
    }

    @Test
    void acceptsAbsoluteFormTarget() throws IOException {
        RawResponse response = server.exchange("GET http://test/say?absolute HTTP/1.1\r\nHost: test\r\n\r\n");
        assertEquals(200, response.status());
        assertEquals("absolute\n", response.bodyText());
    }
}
