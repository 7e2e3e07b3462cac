package dev.sprox.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client over a plain socket: the tests need to control connections exactly (keep one
 * idle, stop half-way through a head, read a body slowly), which a pooling client hides.
 */
final class RawHttp {
    static final String HOST = "127.0.0.1";

    private RawHttp() {}

    /** A response head, and the body when it was read. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** One GET on a fresh connection that closes afterwards; {@code headers} are name, value pairs. */
    static Response get(int port, String target, String... headers) {
        try (Socket socket = connect(port)) {
            socket.getOutputStream().write(request(target, true, headers));
            InputStream in = socket.getInputStream();
            Response head = readHead(in);
            return new Response(head.status(), head.headers(), readBody(in, head));
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + target + " on port " + port, e);
        }
    }

    static Socket connect(int port) throws IOException {
        var socket = new Socket();
        socket.connect(new InetSocketAddress(HOST, port), 5_000);
        socket.setSoTimeout(15_000);
        return socket;
    }

    /** True when nothing accepts connections on {@code port} any more. */
    static boolean refuses(int port) {
        try (Socket ignored = connect(port)) {
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (java.net.SocketException e) {
            // Some network stacks (this sandbox's among them) answer a closed port with a reset.
            return e.getMessage() != null && e.getMessage().contains("reset");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] request(String target, boolean close, String... headers) {
        var text = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: ").append(HOST)
                .append("\r\nUser-Agent: sprox-e2e\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            text.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        if (close) {
            text.append("Connection: close\r\n");
        }
        return text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Reads a status line and headers (names lower-cased); the body is left in the stream. */
    static Response readHead(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed inside a response head: " + head);
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        var headers = new LinkedHashMap<String, String>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).strip());
        }
        return new Response(status, headers, new byte[0]);
    }

    /** The body framed by Content-Length (all sprox's own answers have one), else up to the end of stream. */
    static byte[] readBody(InputStream in, Response head) throws IOException {
        String length = head.header("Content-Length");
        return length == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length));
    }

    /**
     * Reads whole chunks of a chunked body until at least {@code atLeast} bytes of content have come, and returns how
     * many did: the chunk framing is not content, so raw bytes read would overstate it.
     */
    static long readChunkedContent(InputStream in, long atLeast) throws IOException {
        long content = 0;
        while (content < atLeast) {
            var sizeLine = new StringBuilder();
            for (int b; (b = in.read()) != '\n'; ) {
                if (b < 0) {
                    throw new IOException("connection closed inside a chunk size after " + content + " bytes");
                }
                sizeLine.append((char) b);
            }
            long size = Long.parseLong(sizeLine.toString().strip().split(";")[0], 16);
            if (size == 0) {
                break;
            }
            content += in.readNBytes((int) size).length;
            in.readNBytes(2);
        }
        return content;
    }

    /** The next byte, or -1 when the peer closed; a reset counts as closed too. */
    static int readOrEnd(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException reset) {
            return -1;
        }
    }

    /** One response on a kept-alive connection: head and Content-Length body. */
    static Response readResponse(InputStream in) throws IOException {
        Response head = readHead(in);
        return new Response(head.status(), head.headers(), readBody(in, head));
    }
}
