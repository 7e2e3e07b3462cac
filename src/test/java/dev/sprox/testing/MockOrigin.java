package dev.sprox.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * The scriptable origin every test uses, in the manner of OkHttp's MockWebServer: an HTTP/1.1 server on
 * 127.0.0.1 (or another local address; plain, or TLS with a given context) that answers from a queue, from fixed
 * answers per path, or from a dispatcher, in that order (404 when none applies); records every request as it
 * arrived; and misbehaves on request (see {@link MockResponse}). Connections are kept alive unless an answer or the
 * request closes them.
 */
public final class MockOrigin implements AutoCloseable {
    private static final int MAX_HEAD_BYTES = 1 << 20;
    private static final int MAX_BODY_BYTES = 256 << 20;
    private static final Duration TAKE_TIMEOUT = Duration.ofSeconds(20);

    /** Chooses the answer to a request no queued or fixed answer took. */
    @FunctionalInterface
    public interface Dispatcher {
        MockResponse dispatch(RecordedRequest request) throws Exception;
    }

    private final ServerSocket server;
    private final Queue<MockResponse> queue = new ConcurrentLinkedQueue<>();
    private final Map<String, MockResponse> answers = new ConcurrentHashMap<>();
    private volatile Dispatcher dispatcher = request -> MockResponse.status(404)
            .body("no answer scripted for " + request.target());
    private final List<RecordedRequest> recorded = new CopyOnWriteArrayList<>();
    private final BlockingQueue<RecordedRequest> untaken = new LinkedBlockingQueue<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();

    private MockOrigin(ServerSocket server) {
        this.server = server;
        Thread.ofVirtual().name("mock-origin-accept").start(this::accept);
    }

    public static MockOrigin start() {
        return start(InetAddress.getLoopbackAddress());
    }

    /** An origin on another local address, such as 127.0.0.2 for a service a route must not reach. */
    public static MockOrigin start(InetAddress address) {
        try {
            return new MockOrigin(new ServerSocket(0, 200, address));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An HTTPS origin with the certificate {@code tls} holds. */
    public static MockOrigin start(SSLContext tls) {
        try {
            return new MockOrigin(tls.getServerSocketFactory().createServerSocket(0, 200,
                    InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An HTTPS origin that also refuses, in the handshake, any client without a certificate {@code tls}'s trust
     * managers accept (mutual TLS); such a client's requests are never recorded.
     */
    public static MockOrigin startRequiringClientCertificates(SSLContext tls) {
        try {
            var server = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 200,
                    InetAddress.getLoopbackAddress());
            server.setNeedClientAuth(true);
            return new MockOrigin(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers the next request that arrives with {@code response}, before anything else. */
    public MockOrigin enqueue(MockResponse response) {
        queue.add(response);
        return this;
    }

    /**
     * Answers every request for {@code pathOrTarget} with {@code response}: with a query it must equal the whole
     * target, without one it matches the path whatever the query.
     */
    public MockOrigin answer(String pathOrTarget, MockResponse response) {
        answers.put(pathOrTarget, response);
        return this;
    }

    /** Decides the answer to requests that nothing queued or fixed took. */
    public MockOrigin dispatch(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
        return this;
    }

    /** Forgets the script and the recorded requests (connections stay open). */
    public void reset() {
        queue.clear();
        answers.clear();
        dispatch(request -> MockResponse.status(404).body("no answer scripted for " + request.target()));
        recorded.clear();
        untaken.clear();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code host:port} as a client would write it in {@code Host}. */
    public String authority() {
        String host = server.getInetAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port();
    }

    /** The URL of {@code target} (path and query) on this origin. */
    public String url(String target) {
        return (server instanceof javax.net.ssl.SSLServerSocket ? "https://" : "http://") + authority() + target;
    }

    /** Every request so far, in the order they arrived. */
    public List<RecordedRequest> requests() {
        return List.copyOf(recorded);
    }

    /** The requests for {@code pathOrTarget}, matched as {@link #answer} matches. */
    public List<RecordedRequest> requests(String pathOrTarget) {
        return recorded.stream().filter(r -> r.matches(pathOrTarget)).toList();
    }

    public int requestCount() {
        return recorded.size();
    }

    /** The one request the origin received; fails when it got none or several. */
    public RecordedRequest only() {
        List<RecordedRequest> all = requests();
        if (all.size() != 1) {
            throw new AssertionError("expected exactly one request at the origin, got " + all);
        }
        return all.getFirst();
    }

    /** The oldest request not taken yet, waiting for one to arrive. */
    public RecordedRequest takeRequest() {
        try {
            RecordedRequest request = untaken.poll(TAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (request == null) {
                throw new AssertionError("no request reached the origin within " + TAKE_TIMEOUT);
            }
            return request;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Connections accepted so far. */
    public int connectionCount() {
        return connections.get();
    }

    /** Connections open now: the client's and the origin's side both still there. */
    public int openConnections() {
        return open.size();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // Closing a listening socket cannot lose anything a test looks at.
        }
        for (Socket socket : open) {
            closeQuietly(socket);
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                int number = connections.incrementAndGet();
                open.add(socket);
                Thread.ofVirtual().name("mock-origin-" + number).start(() -> serve(socket, number));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, int connection) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            for (int sequence = 1; ; sequence++) {
                Optional<String> requestLine = firstLine(in);
                if (requestLine.isEmpty()) {
                    return;
                }
                List<String> headerLines = headerLines(in);
                var head = new RecordedRequest(connection, sequence, requestLine.get(), headerLines, new byte[0]);
                MockResponse response = queue.poll();
                if (response != null && response.scriptOrNull() != null) {
                    record(head);
                    response.scriptOrNull().answer(head, in, out);
                    out.flush();
                    return;
                }
                if (head.header("Expect").filter(e -> e.equalsIgnoreCase("100-continue")).isPresent()) {
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                var request = new RecordedRequest(connection, sequence, head.requestLine(), headerLines, body(head, in));
                record(request);
                if (response == null) {
                    response = answerFor(request);
                }
                if (!answer(socket, request, response, in, out)) {
                    return;
                }
            }
        } catch (IOException e) {
            // The client went away or sent nonsense; what it sent before is recorded.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(socket);
        }
    }

    /** @return whether the connection may carry another request */
    private boolean answer(Socket socket, RecordedRequest request, MockResponse response, InputStream in,
                           OutputStream out) throws IOException, InterruptedException {
        if (response.scriptOrNull() != null) {
            response.scriptOrNull().answer(request, in, out);
            out.flush();
            return false;
        }
        MockResponse.Fault fault = response.faultOrNull();
        if (fault == MockResponse.Fault.EMPTY_RESPONSE) {
            return false;
        }
        if (fault == MockResponse.Fault.RESET) {
            socket.setSoLinger(true, 0);
            return false;
        }
        if (fault == MockResponse.Fault.STALL) {
            in.transferTo(OutputStream.nullOutputStream());
            return false;
        }
        response.writeTo(out, request.method().equals("HEAD"));
        return !response.closesConnection()
                && request.header("Connection").filter(c -> c.equalsIgnoreCase("close")).isEmpty();
    }

    private MockResponse answerFor(RecordedRequest request) throws IOException {
        MockResponse fixed = answers.get(request.target());
        if (fixed == null) {
            fixed = answers.get(request.path());
        }
        if (fixed != null) {
            return fixed;
        }
        try {
            return dispatcher.dispatch(request);
        } catch (IOException | RuntimeException e) {
            return MockResponse.status(500).body("the test's dispatcher failed: " + e);
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private void record(RecordedRequest request) {
        recorded.add(request);
        untaken.add(request);
    }

    private static Optional<String> firstLine(InputStream in) throws IOException {
        in.mark(1);
        if (in.read() < 0) {
            return Optional.empty();
        }
        in.reset();
        return Optional.of(line(in));
    }

    private static List<String> headerLines(InputStream in) throws IOException {
        var lines = new ArrayList<String>();
        int size = 0;
        for (String line; !(line = line(in)).isEmpty(); ) {
            size += line.length();
            if (size > MAX_HEAD_BYTES) {
                throw new IOException("request head over " + MAX_HEAD_BYTES + " bytes");
            }
            lines.add(line);
        }
        return lines;
    }

    private static byte[] body(RecordedRequest head, InputStream in) throws IOException {
        if (head.header("Transfer-Encoding").filter(t -> t.toLowerCase().contains("chunked")).isPresent()) {
            var body = new ByteArrayOutputStream();
            for (long size; (size = Long.parseLong(line(in).split(";")[0].strip(), 16)) > 0; ) {
                if (body.size() + size > MAX_BODY_BYTES) {
                    throw new IOException("request body over " + MAX_BODY_BYTES + " bytes");
                }
                body.write(in.readNBytes((int) size));
                line(in);
            }
            while (!line(in).isEmpty()) {
                // Trailer fields: read past, not kept.
            }
            return body.toByteArray();
        }
        Optional<String> length = head.header("Content-Length");
        if (length.isEmpty()) {
            return new byte[0];
        }
        long n = Long.parseLong(length.get().strip());
        if (n > MAX_BODY_BYTES) {
            throw new IOException("request body over " + MAX_BODY_BYTES + " bytes");
        }
        byte[] body = in.readNBytes((int) n);
        if (body.length < n) {
            throw new IOException("connection closed inside a request body");
        }
        return body;
    }

    private static String line(InputStream in) throws IOException {
        var bytes = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("connection closed inside a line");
            }
            if (bytes.size() > MAX_HEAD_BYTES) {
                throw new IOException("line over " + MAX_HEAD_BYTES + " bytes");
            }
            bytes.write(b);
        }
        String text = bytes.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Already gone.
        }
    }
}
