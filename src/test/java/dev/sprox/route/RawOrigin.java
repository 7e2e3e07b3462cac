package dev.sprox.route;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An origin that records every request head exactly as it arrived and answers with the bytes a test scripts,
 * one request per connection. For what WireMock and the JDK server would normalise: raw targets, hop-by-hop
 * response headers, half-sent bodies.
 */
public final class RawOrigin implements AutoCloseable {

    /** A request head as received: the request line and each header line, unparsed. */
    public record Received(String requestLine, List<String> headerLines) {
        public String target() {
            return requestLine.split(" ")[1];
        }

        public List<String> headers(String name) {
            var values = new ArrayList<String>();
            for (String line : headerLines) {
                int colon = line.indexOf(':');
                if (line.substring(0, colon).equalsIgnoreCase(name)) {
                    values.add(line.substring(colon + 1).strip());
                }
            }
            return values;
        }

        public Optional<String> header(String name) {
            List<String> values = headers(name);
            return values.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", values));
        }

        public List<String> names() {
            return headerLines.stream().map(l -> l.substring(0, l.indexOf(':')).toLowerCase(Locale.ROOT)).toList();
        }
    }

    @FunctionalInterface
    public interface Script {
        void answer(Received request, InputStream in, OutputStream out) throws IOException;
    }

    private final ServerSocket server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public RawOrigin(Script script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread.ofVirtual().start(() -> serve(socket, script));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** Answers every request with {@code response}, sent as is. */
    public static RawOrigin answering(String response) throws IOException {
        return new RawOrigin((request, in, out) -> out.write(response.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private void serve(Socket socket, Script script) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String requestLine = line(in);
            var headers = new ArrayList<String>();
            for (String line; !(line = line(in)).isEmpty(); ) {
                headers.add(line);
            }
            var request = new Received(requestLine, List.copyOf(headers));
            received.add(request);
            OutputStream out = socket.getOutputStream();
            script.answer(request, in, out);
            out.flush();
        } catch (IOException e) {
            // The test looks at what was received; a peer that left early is its business.
        }
    }

    private static String line(InputStream in) throws IOException {
        var bytes = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("connection closed inside a request head");
            }
            bytes.write(b);
        }
        String text = bytes.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public Received only() {
        if (received.size() != 1) {
            throw new AssertionError("expected exactly one request at the origin, got " + received);
        }
        return received.getFirst();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
