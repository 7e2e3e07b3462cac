package dev.sprox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.http.Headers;
import dev.sprox.http.Response;
import dev.sprox.http.ResponseBody;
import dev.sprox.pipeline.Endpoint;
import dev.sprox.pipeline.Endpoints;
import dev.sprox.pipeline.Generation;
import dev.sprox.pipeline.Pipeline;
import dev.sprox.pipeline.RequestSteps;
import dev.sprox.pipeline.RouteMatcher;
import dev.sprox.security.Redaction;
import dev.sprox.telemetry.LoggingSettings;
import dev.sprox.telemetry.Metrics;
import dev.sprox.telemetry.Tracing;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A real {@link HttpServer} behind the real {@link Pipeline} on a free loopback port, with endpoints made for
 * codec tests, so every status a test sees is the one production would send.
 */
final class TestServer implements AutoCloseable {
    /** Small limits so tests reach them cheaply; timeouts long enough never to fire by accident. */
    static final ServerSettings SETTINGS = new ServerSettings(100, Duration.ofSeconds(3), Duration.ofSeconds(3),
            Duration.ofSeconds(3), 1024, 4096, 20, 128 * 1024, Duration.ofSeconds(1), Duration.ofSeconds(3));

    /** The body of {@code GET /stream}, written in pieces of unknown total length. */
    static final List<String> STREAM_PIECES = List.of("alpha\n", "", "x".repeat(10_000) + "\n", "omega\n");
    static final int SIZED_PIECES = 10;
    static final int SIZED_PIECE = 4000;

    /** How each {@code /stream-error} answer ended, as its listeners were told. */
    static final java.util.Queue<Response.Outcome> ERROR_OUTCOMES = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** What the thread that borrowed the last {@code POST /lend} body read, and how it ended. */
    static final class Borrowed {
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        volatile Throwable failure;

        private void readSlowly(java.io.InputStream body) {
            try {
                for (int b; (b = body.read()) >= 0; ) {
                    synchronized (bytes) {
                        bytes.write(b);
                    }
                    started.countDown();
                    Thread.sleep(1);
                }
            } catch (IOException | RuntimeException | InterruptedException e) {
                failure = e;
            } finally {
                started.countDown();
                done.countDown();
            }
        }

        byte[] read() {
            synchronized (bytes) {
                return bytes.toByteArray();
            }
        }
    }

    static final java.util.concurrent.atomic.AtomicReference<Borrowed> BORROWED =
            new java.util.concurrent.atomic.AtomicReference<>();

    private static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The token in the message of {@code GET /bug}'s failure. */
    static final String BUG_SECRET = dev.sprox.security.TestSecrets.TOKEN;

    /** One registry for the whole test JVM: binding the JVM meters is the slow part of building one. */
    private static final Metrics METRICS = new Metrics();

    private final HttpServer server;
    private final InetSocketAddress address;

    private TestServer(HttpServer server) {
        this.server = server;
        this.address = server.listeners().getFirst().boundAddress();
    }

    static TestServer start() {
        return start(SETTINGS);
    }

    static TestServer start(ServerSettings settings) {
        return start(settings, dev.sprox.http2.Http2Config.DEFAULT);
    }

    /** A server whose listener also speaks HTTP/2 with prior knowledge, with these HTTP/2 settings. */
    static TestServer startH2c(ServerSettings settings, dev.sprox.http2.Http2Config http2) {
        return start(settings, new dev.sprox.http2.Http2Config(true, true, http2.maxConcurrentStreams(),
                http2.initialWindowSize(), http2.maxFrameSize(), http2.maxHeaderListSize()));
    }

    private static TestServer start(ServerSettings settings, dev.sprox.http2.Http2Config http2) {
        var listener = new ListenerConfig("test", "127.0.0.1", 0, ServeGroup.DEFAULT).withHttp2(http2);
        var steps = new RequestSteps(1, endpoints(), RouteMatcher.NONE, List.of(), Optional.empty(),
                Optional.empty(), Tracing.OFF, Redaction.DEFAULT, List.of(listener),
                LoggingSettings.DEFAULT.accessLog());
        var generation = new Generation(steps, () -> { });
        var server = new HttpServer(new Pipeline(() -> generation, METRICS), () -> settings);
        try {
            server.apply(List.of(listener));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TestServer(server);
    }

    /** A copy of {@link #SETTINGS} with other timeouts, for the tests that wait for one to fire. */
    static ServerSettings withTimeouts(Duration header, Duration idle, Duration body) {
        var s = SETTINGS;
        return new ServerSettings(s.maxConnections(), header, idle, body, s.maxRequestLineBytes(),
                s.maxHeaderBytes(), s.maxHeaderCount(), s.maxBodyBytes(), s.shutdownGrace(), s.sendTimeout());
    }

    static ServerSettings withSendTimeout(Duration send) {
        var s = SETTINGS;
        return new ServerSettings(s.maxConnections(), s.headerTimeout(), s.idleTimeout(), s.bodyTimeout(),
                s.maxRequestLineBytes(), s.maxHeaderBytes(), s.maxHeaderCount(), s.maxBodyBytes(),
                s.shutdownGrace(), send);
    }

    static ServerSettings withMaxConnections(int maxConnections) {
        var s = SETTINGS;
        return new ServerSettings(maxConnections, s.headerTimeout(), s.idleTimeout(), s.bodyTimeout(),
                s.maxRequestLineBytes(), s.maxHeaderBytes(), s.maxHeaderCount(), s.maxBodyBytes(),
                s.shutdownGrace(), s.sendTimeout());
    }

    private static Endpoints endpoints() {
        return new Endpoints(List.of(
                // Reads the whole body and says how much arrived and what it hashed to.
                new Endpoint(ServeGroup.OPS, "/echo", Set.of("GET", "HEAD", "POST", "PUT"),
                        (request, context) -> Response.text(200, "text/plain",
                                describe(request.body().readAllBytes()))),
                // Lends the body to another thread, as the upstream client does, and answers once that thread has
                // read its first byte: the borrower goes on reading a byte at a time while the answer is written.
                new Endpoint(ServeGroup.OPS, "/lend", Set.of("POST"), (request, context) -> {
                    var borrowed = new Borrowed();
                    BORROWED.set(borrowed);
                    Thread.ofVirtual().start(() -> borrowed.readSlowly(request.body()));
                    await(borrowed.started);
                    return Response.text(200, "text/plain", "lent\n");
                }),
                // Reads nothing for a second, then echoes: meanwhile a client may send only its window's worth.
                new Endpoint(ServeGroup.OPS, "/after-pause", Set.of("POST"), (request, context) -> {
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Response.text(200, "text/plain", describe(request.body().readAllBytes()));
                }),
                // Answers without ever touching the body.
                new Endpoint(ServeGroup.OPS, "/ignore", Set.of("POST", "PUT"),
                        (request, context) -> Response.text(200, "text/plain", "ignored\n")),
                // Far more than socket buffers hold, so a client that does not read blocks the server's write.
                Endpoint.get(ServeGroup.OPS, "/large", (request, context) -> Response.of(200, Headers.EMPTY,
                        new ResponseBody.Streamed(64L * 1024 * 1024, out -> {
                            byte[] chunk = new byte[64 * 1024];
                            for (int i = 0; i < 1024; i++) {
                                out.write(chunk);
                            }
                        }))),
                // A bug whose message quotes an origin URL with a token, as URISyntaxException does.
                Endpoint.get(ServeGroup.OPS, "/bug", (request, context) -> {
                    throw new IllegalStateException("cannot use http://origin.example/a.ts?token=" + BUG_SECRET,
                            new java.net.URISyntaxException("http://origin.example/a.ts?x=1&token=" + BUG_SECRET,
                                    "Illegal character"));
                }),
                Endpoint.get(ServeGroup.OPS, "/hello",
                        (request, context) -> Response.text(200, "text/plain", "hello\n")),
                // Says its query back, so pipelined answers can be told apart.
                Endpoint.get(ServeGroup.OPS, "/say",
                        (request, context) -> Response.text(200, "text/plain",
                                request.head().target().rawQuery() + "\n")),
                Endpoint.get(ServeGroup.OPS, "/stream", (request, context) -> Response.of(200,
                        Headers.of("Content-Type", "text/plain"),
                        new ResponseBody.Streamed(ResponseBody.UNKNOWN_LENGTH, out -> {
                            for (String piece : STREAM_PIECES) {
                                out.write(piece.getBytes(StandardCharsets.US_ASCII));
                                out.flush();
                            }
                        }))),
                // A declared length written in pieces, each flushed: one DATA frame per piece.
                Endpoint.get(ServeGroup.OPS, "/sized", (request, context) -> Response.of(200, Headers.EMPTY,
                        new ResponseBody.Streamed(SIZED_PIECES * SIZED_PIECE, out -> {
                            for (int i = 0; i < SIZED_PIECES; i++) {
                                out.write(new byte[SIZED_PIECE]);
                                out.flush();
                            }
                        }))),
                // Bodies whose source fails part-way: the client must be able to tell they are incomplete.
                Endpoint.get(ServeGroup.OPS, "/stream-fails", (request, context) -> Response.of(200, Headers.EMPTY,
                        new ResponseBody.Streamed(ResponseBody.UNKNOWN_LENGTH, TestServer::writeThenFail))),
                Endpoint.get(ServeGroup.OPS, "/length-fails", (request, context) -> Response.of(200, Headers.EMPTY,
                        new ResponseBody.Streamed(100, TestServer::writeThenFail))),
                // A body whose source throws an Error: its listeners must still hear how it ended.
                Endpoint.get(ServeGroup.OPS, "/stream-error", (request, context) -> Response.of(200, Headers.EMPTY,
                        new ResponseBody.Streamed(ResponseBody.UNKNOWN_LENGTH, out -> {
                            out.write("partial".getBytes(StandardCharsets.US_ASCII));
                            throw new StackOverflowError("simulated");
                        })).whenWritten(outcome -> ERROR_OUTCOMES.add(outcome))),
                // Both carry a body the server must drop: these statuses never have content.
                Endpoint.get(ServeGroup.OPS, "/no-content", (request, context) -> Response.text(204, "text/plain",
                        "must not be sent")),
                Endpoint.get(ServeGroup.OPS, "/not-modified", (request, context) -> Response.text(304, "text/plain",
                        "must not be sent").withHeader("ETag", "\"v1\""))));
    }

    private static void writeThenFail(OutputStream out) throws IOException {
        out.write("partial".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        throw new IOException("origin went away");
    }

    /** What {@code /echo} answers for {@code body}. */
    static String describe(byte[] body) {
        try {
            return "bytes=" + body.length + " sha256="
                    + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)) + "\n";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many requests were answered 500, in the whole test JVM. */
    static double internalErrors() {
        return METRICS.scrape().lines().filter(l -> l.startsWith("sprox_server_internal_errors_total "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).sum();
    }

    InetSocketAddress address() {
        return address;
    }

    int activeConnections() {
        return server.activeConnections();
    }

    RawClient connect() throws IOException {
        return new RawClient(address);
    }

    /** Sends {@code request} on a fresh connection and reads one response. */
    RawResponse exchange(String request) throws IOException {
        try (RawClient client = connect()) {
            return client.send(request).read(request.startsWith("HEAD "));
        }
    }

    /** A plain request on a fresh connection is answered normally: the server survived whatever came before. */
    void assertStillServes() throws IOException {
        try (RawClient client = connect()) {
            RawResponse response = client.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n").read();
            assertEquals(200, response.status(), "a normal request after the test");
            assertEquals("hello\n", response.bodyText());
        }
    }

    /**
     * Sends {@code request} on a fresh connection and checks it is refused as it must be: the exact status,
     * {@code Connection: close}, the socket closed by the server, and the server still serving others.
     */
    RawResponse assertRefused(String request, int status) throws IOException {
        return assertRefused(request.getBytes(StandardCharsets.ISO_8859_1), status);
    }

    RawResponse assertRefused(byte[] request, int status) throws IOException {
        RawResponse response;
        try (RawClient client = connect()) {
            // The server may refuse and close before it has read everything, so writing can fail; the
            // response must arrive all the same.
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    client.send(request);
                } catch (IOException cutShort) {
                    // Expected when the refusal comes before the last byte.
                }
            });
            response = client.read();
            assertEquals(status, response.status(), () -> "status for a refused request; got " + response);
            assertTrue(response.hasToken("Connection", "close"), () -> "Connection: close expected; got " + response);
            client.assertClosedByServer();
            join(writer);
        }
        assertStillServes();
        return response;
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Drains as SIGTERM does: true when every request in progress finished within {@code grace}. */
    boolean drain(Duration grace) {
        return server.drain(grace);
    }

    @Override
    public void close() {
        server.drain(Duration.ZERO);
    }
}
