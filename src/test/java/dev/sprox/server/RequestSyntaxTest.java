package dev.sprox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

    @Test
    void refusesObsFoldWithSpace() throws IOException {
        server.assertRefused(get("X-Long: first\r\n second\r\n"), 400);
    }

    @Test
    void refusesObsFoldWithTab() throws IOException {
        server.assertRefused(get("X-Long: first\r\n\tsecond\r\n"), 400);
    }

    @Test
    void refusesObsFoldOfTransferEncoding() throws IOException {
        server.assertRefused("POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n",
                400);
    }

    @Test
    void refusesWhitespaceBeforeColon() throws IOException {
        server.assertRefused("GET /hello HTTP/1.1\r\nHost : test\r\n\r\n", 400);
    }

    @Test
    void refusesWhitespaceBeforeColonInContentLength() throws IOException {
        server.assertRefused("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length : 5\r\n\r\nhello", 400);
    }

    @Test
    void refusesNulInHeaderValue() throws IOException {
        server.assertRefused(get("X-Test: a\u0000b\r\n"), 400);
    }

    @Test
    void refusesControlCharacterInHeaderValue() throws IOException {
        server.assertRefused(get("X-Test: a\u0001b\r\n"), 400);
    }

    @Test
    void refusesDeleteCharacterInHeaderValue() throws IOException {
        server.assertRefused(get("X-Test: a\u007fb\r\n"), 400);
    }

    @Test
    void refusesBareCrInsideHeaderLine() throws IOException {
        server.assertRefused(get("X-Test: a\rX-Injected: b\r\n"), 400);
    }

    @Test
    void refusesBareCrInsideRequestLine() throws IOException {
        server.assertRefused("GET /hello\r HTTP/1.1\r\nHost: test\r\n\r\n", 400);
    }

    @Test
    void refusesBareLfLineEndings() throws IOException {
        server.assertRefused("GET /hello HTTP/1.1\nHost: test\n\n", 400);
    }

    @Test
    void refusesBareLfAfterHeaderField() throws IOException {
        server.assertRefused("GET /hello HTTP/1.1\r\nHost: test\nX-Test: 1\r\n\r\n", 400);
    }

    @Test
    void refusesHeaderNameWithInvalidCharacter() throws IOException {
        server.assertRefused(get("X(Test): 1\r\n"), 400);
    }

    @Test
    void refusesHeaderLineWithoutColon() throws IOException {
        server.assertRefused(get("X-Test 1\r\n"), 400);
    }

    @Test
    void refusesHeaderLineWithEmptyName() throws IOException {
        server.assertRefused(get(": value\r\n"), 400);
    }

    @Test
    void refusesTooManyEmptyLinesBeforeRequestLine() throws IOException {
        server.assertRefused("\r\n".repeat(5) + "GET /hello HTTP/1.1\r\nHost: test\r\n\r\n", 400);
    }

    @Test
    void refusesMissingHostInHttp11() throws IOException {
        server.assertRefused("GET /hello HTTP/1.1\r\n\r\n", 400);
    }

    @Test
    void acceptsMissingHostInHttp10() throws IOException {
        RawResponse response = server.exchange("GET /hello HTTP/1.0\r\n\r\n");
        assertEquals(200, response.status());
        assertEquals("hello\n", response.bodyText());
    }

    @Test
    void refusesTwoHostFields() throws IOException {
        server.assertRefused("GET /hello HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n", 400);
    }

    @Test
    void refusesHostWithInvalidCharacter() throws IOException {
        server.assertRefused("GET /hello HTTP/1.1\r\nHost: a.example/evil\r\n\r\n", 400);
    }

    @Test
    void refusesDoubleSpaceInRequestLine() throws IOException {
        server.assertRefused("GET  /hello HTTP/1.1\r\nHost: test\r\n\r\n", 400);
    }

    @Test
    void refusesDoubleSpaceBeforeVersion() throws IOException {
        server.assertRefused("GET /hello  HTTP/1.1\r\nHost: test\r\n\r\n", 400);
    }

    @Test
    void refusesTrailingSpaceAfterVersion() throws IOException {
        server.assertRefused("GET /hello HTTP/1.1 \r\nHost: test\r\n\r\n", 400);
    }

    @Test
    void refusesLowercaseVersion() throws IOException {
        server.assertRefused("GET /hello http/1.1\r\nHost: test\r\n\r\n", 400);
    }

    @Test
    void refusesRequestLineWithoutVersion() throws IOException {
        server.assertRefused("GET /hello\r\nHost: test\r\n\r\n", 400);
    }

    @Test
    void refusesMethodWithInvalidCharacter() throws IOException {
        server.assertRefused("G(T /hello HTTP/1.1\r\nHost: test\r\n\r\n", 400);
    }

    @Test
    void refusesTabInTarget() throws IOException {
        server.assertRefused("GET /hel\tlo HTTP/1.1\r\nHost: test\r\n\r\n", 400);
    }

    @Test
    void refusesQuoteInTarget() throws IOException {
        server.assertRefused("GET /hello?a=\"b\" HTTP/1.1\r\nHost: test\r\n\r\n", 400);
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
    void refusesFragmentInTarget() throws IOException {
        server.assertRefused("GET /hello#top HTTP/1.1\r\nHost: test\r\n\r\n", 400);
    }

    @Test
    void refusesTargetThatIsNotAPath() throws IOException {
        server.assertRefused("GET hello HTTP/1.1\r\nHost: test\r\n\r\n", 400);
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
