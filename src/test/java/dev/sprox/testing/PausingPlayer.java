package dev.sprox.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A player on a connection with a small receive buffer, so that the server's writes block as soon as it stops
 * reading: it asks for a body, reads as much as the test says, pauses (by not reading) and reads on.
 */
public final class PausingPlayer implements AutoCloseable {
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)");

    private final Socket socket;
    private final InputStream in;

    private PausingPlayer(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** Sends {@code GET target} to {@code server}. */
    public static PausingPlayer get(InetSocketAddress server, String target) throws IOException {
        var socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(server, 5_000);
        socket.setSoTimeout(20_000);
        socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        return new PausingPlayer(socket);
    }

    /** Reads the answer's head, which must be a 200 with a length; returns the length. */
    public int readHead() throws IOException {
        var head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in the head: " + head);
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("HTTP/1.1 200"), text);
        Matcher length = CONTENT_LENGTH.matcher(text);
        assertTrue(length.find(), text);
        return Integer.parseInt(length.group(1));
    }

    /** Reads exactly {@code n} bytes of the body, or fewer if the server closes first. */
    public byte[] read(int n) throws IOException {
        return in.readNBytes(n);
    }

    /** Reads the body to the end of the connection. */
    public byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
