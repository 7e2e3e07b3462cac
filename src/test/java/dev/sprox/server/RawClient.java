package dev.sprox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sprox.http.Headers;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A client that writes exactly the bytes a test gives it and parses responses strictly: every line must end in
 * CRLF and every body must be framed the way HTTP/1.1 says, so a framing mistake by the server fails the test.
 */
final class RawClient implements AutoCloseable {
    /** Long enough for a loaded 2-core machine, short enough that a hang fails fast. */
    private static final int READ_TIMEOUT_MILLIS = 5_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, READ_TIMEOUT_MILLIS);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    Socket socket() {
        return socket;
    }

    RawClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** True when response bytes are waiting to be read. */
    boolean responseWaiting() throws IOException {
        return in.available() > 0;
    }

    /** Reads one response to a request other than HEAD. */
    RawResponse read() throws IOException {
        return read(false);
    }

    /** Reads one response; after HEAD there is never a body, whatever the headers say. */
    RawResponse read(boolean toHead) throws IOException {
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        assertTrue(parts.length == 3 && parts[0].startsWith("HTTP/") && parts[1].matches("\\d{3}"),
                () -> "malformed status line: " + statusLine);
        int status = Integer.parseInt(parts[1]);
        var headers = new ArrayList<Headers.Field>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            assertTrue(colon > 0, "malformed header line: " + line);
            headers.add(new Headers.Field(line.substring(0, colon), line.substring(colon + 1).strip()));
        }
        var response = new RawResponse(parts[0], status, parts[2], List.copyOf(headers), new byte[0], "none");
        if (toHead || status < 200 || status == 204 || status == 304) {
            return response;
        }
        List<String> transferEncoding = response.all("Transfer-Encoding");
        if (!transferEncoding.isEmpty()) {
            assertEquals(List.of("chunked"), transferEncoding, "the only transfer coding sprox sends");
            assertTrue(!response.has("Content-Length"), "Content-Length together with chunked");
            return withBody(response, dechunk(), "chunked");
        }
        var contentLength = response.header("Content-Length");
        if (contentLength.isPresent()) {
            int length = Integer.parseInt(contentLength.get());
            byte[] body = in.readNBytes(length);
            if (body.length < length) {
                throw new EOFException("connection closed after " + body.length + " of " + length + " body bytes");
            }
            return withBody(response, body, "length");
        }
        return withBody(response, in.readAllBytes(), "close");
    }

    private static RawResponse withBody(RawResponse head, byte[] body, String framing) {
        return new RawResponse(head.version(), head.status(), head.reason(), head.headers(), body, framing);
    }

    private byte[] dechunk() throws IOException {
        var body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line();
            assertTrue(sizeLine.matches("[0-9a-f]+"), "chunk size line: " + sizeLine);
            int size = Integer.parseInt(sizeLine, 16);
            if (size == 0) {
                assertEquals("", line(), "sprox sends no trailers");
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size) {
                throw new EOFException("connection closed inside a chunk");
            }
            body.write(chunk);
            assertEquals("", line(), "CRLF after chunk data");
        }
    }

    /** One line without its CRLF; a line that ends any other way fails the test. */
    private String line() throws IOException {
        var bytes = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed after " + bytes.size() + " bytes of a line: "
                        + bytes.toString(StandardCharsets.ISO_8859_1));
            }
            if (b == '\n') {
                byte[] line = bytes.toByteArray();
                assertTrue(line.length > 0 && line[line.length - 1] == '\r', "line not ended by CRLF");
                return new String(line, 0, line.length - 1, StandardCharsets.ISO_8859_1);
            }
            bytes.write(b);
        }
    }

    /** Everything until the server closes the connection. */
    byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    /** The server has closed the connection: the next read ends the stream (or finds it reset), sending nothing. */
    void assertClosedByServer() throws IOException {
        try {
            int b = in.read();
            if (b >= 0) {
                fail("expected the server to close the connection, but it sent more bytes, starting with '"
                        + (char) b + "'");
            }
        } catch (SocketTimeoutException e) {
            fail("expected the server to close the connection, but it is still open");
        } catch (SocketException e) {
            // A reset is the server closing too: it had unread bytes from us when it closed.
            assertTrue(String.valueOf(e.getMessage()).contains("reset"), () -> "unexpected " + e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
