package dev.sprox.server;

import dev.sprox.http.RequestError;
import dev.sprox.http.RequestHead;
import dev.sprox.http.RequestRejected;
import dev.sprox.http.Response;
import dev.sprox.http.ResponseBody;
import dev.sprox.http2.Http2Config;
import dev.sprox.http2.Http2Connection;
import dev.sprox.tls.ServerTls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection on its own virtual thread: read a head, hand the request over, write the response,
 * repeat while keep-alive allows. Pipelined requests are answered in order because they are read in order.
 */
final class Connection implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    private static final int BUFFER_SIZE = 8 * 1024;
    /** Unread request body the server will swallow to keep a connection; more than this closes it. */
    private static final long MAX_DISCARD = 64 * 1024;
    private static final java.time.Duration LINGER = java.time.Duration.ofSeconds(1);
    private static final long MAX_LINGER_BYTES = 1024 * 1024;

    private final Socket socket;
    private final Listener listener;
    private final HttpServer server;
    private volatile boolean busy;
    private volatile SendClock sendClock;
    /** Set once the connection reads HTTP/1.1, after any TLS handshake; the watch expires its idle waits. */
    private volatile ConnectionInput input;
    /** Set once the connection speaks HTTP/2. */
    private volatile Http2Connection http2;

    Connection(Socket socket, Listener listener, HttpServer server) {
        this.socket = socket;
        this.listener = listener;
        this.server = server;
    }

    Listener listener() {
        return listener;
    }

    /**
     * Closes the connection unless a request is in progress; that one finishes with {@code Connection: close}. An
     * HTTP/2 connection sends GOAWAY instead and closes once its streams are answered.
     */
    void closeIfIdle() {
        Http2Connection h2 = http2;
        if (h2 != null) {
            h2.goAway();
        } else if (!busy) {
            closeNow();
        }
    }

    /** True when a write to the client has been blocked for longer than {@code timeoutNanos}. */
    boolean sendStalled(long now, long timeoutNanos) {
        SendClock clock = sendClock;
        return clock != null && clock.blockedLongerThan(now, timeoutNanos);
    }

    /**
     * Ends the wait for a next request if it began before {@code nanoTime}: the input is shut, so the waiting read
     * sees its end and the connection closes as when the client leaves (over TLS with close_notify).
     */
    void closeIfIdleSince(long nanoTime) {
        ConnectionInput waiting = input;
        if (waiting == null || !waiting.expireIfWaitingSince(nanoTime)) {
            return;
        }
        try {
            socket.shutdownInput();
        } catch (IOException e) {
            closeNow();
        }
    }

    void closeNow() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing connection: {}", e.getMessage());
        }
    }

    @Override
    public void run() {
        try (socket) {
            socket.setTcpNoDelay(true);
            Optional<ServerTls> tls = listener.tls();
            Optional<? extends Socket> secured = tls.isPresent()
                    ? tls.get().handshake(socket, server.settings().headerTimeout(),
                            listener.config().http2().enabled())
                    : Optional.of(socket);
            if (secured.isEmpty()) {
                return;
            }
            serve(secured.get(), tls.isPresent());
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("connection ended: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("connection failed unexpectedly", e);
        } finally {
            server.closed(this);
        }
    }

    /** Requests one after another on {@code channel}: the socket itself, or the TLS socket layered on it. */
    private void serve(Socket channel, boolean secure) throws IOException {
        sendClock = new SendClock(channel.getOutputStream());
        var info = new ConnectionInfo((InetSocketAddress) socket.getRemoteSocketAddress(),
                (InetSocketAddress) socket.getLocalSocketAddress(), listener, secure);
        Http2Config h2 = listener.config().http2();
        if (channel instanceof SSLSocket tls && "h2".equals(tls.getApplicationProtocol())) {
            serveHttp2(channel, channel.getInputStream(), info, h2);
            return;
        }
        var out = new ResponseBuffer(sendClock, BUFFER_SIZE);
        var in = new ConnectionInput(channel, BUFFER_SIZE, () -> flush(out));
        input = in;
        if (!secure && h2.enabled() && h2.h2c()) {
            // RFC 9113 §3.3: prior knowledge. The preface starts "PRI ", which no HTTP/1.1 request can.
            if (!in.awaitData()) {
                return;
            }
            in.deadline(System.nanoTime() + server.settings().headerTimeout().toNanos());
            try {
                if (in.startsWith(Http2Connection.PREFACE)) {
                    serveHttp2(channel, new SequenceInputStream(new ByteArrayInputStream(in.takeBuffered()),
                            channel.getInputStream()), info, h2);
                    return;
                }
            } catch (SocketTimeoutException e) {
                return;
            }
            in.deadline(0);
        }
        boolean keepAlive = true;
        while (keepAlive && mayContinue()) {
            busy = false;
            if (!in.awaitData()) {
                break;
            }
            busy = true;
            keepAlive = serveOne(in, out, info, server.settings());
        }
        out.flush();
        lingerBeforeClose(channel, in);
    }

    private void serveHttp2(Socket channel, InputStream in, ConnectionInfo info, Http2Config config)
            throws IOException {
        var connection = new Http2Connection(channel, in, sendClock, config, new Http2Connection.Server() {
            @Override
            public Response handle(RequestHead head, InputStream body, long startNanos) {
                return server.handler().handle(new Request(head, info, body, startNanos));
            }

            @Override
            public Response rejected(RequestHead head, RequestRejected rejection, long startNanos) {
                return server.handler().rejected(info, head, rejection, startNanos);
            }

            @Override
            public Http2Connection.Limits limits() {
                ServerSettings s = server.settings();
                return new Http2Connection.Limits(s.headerTimeout(), s.idleTimeout(), s.bodyTimeout(),
                        s.sendTimeout(), s.maxHeaderCount(), s.maxBodyBytes());
            }

            @Override
            public void requestStarted() {
                server.requestStarted();
            }

            @Override
            public void requestFinished() {
                server.requestFinished();
            }
        });
        http2 = connection;
        if (!mayContinue()) {
            connection.goAway(); // sent once the preface is out: the drain began while this connection started
        }
        connection.serve();
    }

    /**
     * Closing a socket with unread input makes the kernel send a reset, which can destroy the response
     * before the client read it (RFC 9112 §9.6). So: end our side, then swallow what the client still
     * sends, for a short while, before closing.
     */
    private void lingerBeforeClose(Socket channel, ConnectionInput in) throws IOException {
        channel.shutdownOutput();
        in.deadline(System.nanoTime() + LINGER.toNanos());
        byte[] scratch = new byte[BUFFER_SIZE];
        try {
            long swallowed = 0;
            for (int n; swallowed < MAX_LINGER_BYTES && (n = in.read(scratch, 0, scratch.length)) > 0; ) {
                swallowed += n;
            }
        } catch (java.net.SocketTimeoutException e) {
            LOG.debug("client kept sending after the last response; closing");
        }
    }

    private boolean mayContinue() {
        return !server.draining() && listener.isOpen();
    }

    /** Serves one request; false when the connection must close afterwards. */
    private boolean serveOne(ConnectionInput in, ResponseBuffer out, ConnectionInfo info, ServerSettings limits)
            throws IOException {
        long start = System.nanoTime();
        in.deadline(start + limits.headerTimeout().toNanos());
        RequestHead head = null;
        RequestBody body;
        try {
            head = RequestHeadReader.read(in, limits);
            in.deadline(0);
            in.readTimeout(limits.bodyTimeout().toMillis());
            BodyFraming framing = BodyFraming.of(head);
            body = new RequestBody(in, framing, limits, expectsContinue(head, framing) ? out : null);
        } catch (RequestRejected rejection) {
            return refuse(out, info, head, rejection, start);
        } catch (SocketTimeoutException e) {
            return refuse(out, info, head,
                    new RequestRejected(RequestError.HEADER_TIMEOUT, "request head not received in time"), start);
        }
        server.requestStarted();
        try {
            Response response = server.handler().handle(new Request(head, info, body, start));
            if (response.body() instanceof ResponseBody.Streamed) {
                // A stream may take minutes to reach a slow client: it holds no input buffer meanwhile. A small
                // answer keeps it for the next request: a fresh one per request was a sixth of what /health allocated.
                in.releaseIfEmpty();
            }
            boolean keepAlive;
            try {
                keepAlive = wantsKeepAlive(head) && mayContinue() && body.discardRest(MAX_DISCARD);
            } catch (Throwable e) {
                // Never written: its listeners must still give back what it holds.
                response.onWritten().accept(new Response.Outcome(response.status(), 0, body.received(), e));
                throw e;
            }
            boolean kept = write(out, response, head, keepAlive, body.received());
            if (!body.reclaim()) {
                // Closing the socket ends that read; lingering would read the input alongside it.
                throw new IOException("request body still being read by another thread; closing");
            }
            return kept;
        } finally {
            server.requestFinished();
        }
    }

    private boolean refuse(ResponseBuffer out, ConnectionInfo info, RequestHead head, RequestRejected rejection,
                           long start) throws IOException {
        write(out, server.handler().rejected(info, head, rejection, start), head, false, 0);
        return false;
    }

    private static boolean write(ResponseBuffer out, Response response, RequestHead head, boolean keepAlive,
                                 long requestBodyBytes) throws IOException {
        // A failure while writing ends the connection; the outcome still reaches the access log, and the
        // listeners give back what the response held (stream slots, snapshots), whatever stopped it.
        ResponseWriter.Written written;
        try {
            written = ResponseWriter.write(out, response, head, keepAlive);
        } catch (ResponseWriter.WriteFailed e) {
            response.onWritten().accept(new Response.Outcome(response.status(), e.bodyBytes(), requestBodyBytes,
                    e.getCause()));
            throw e.ioCause();
        } catch (Error e) {
            response.onWritten().accept(new Response.Outcome(response.status(), 0, requestBodyBytes, e));
            throw e;
        }
        response.onWritten().accept(new Response.Outcome(response.status(), written.bodyBytes(), requestBodyBytes,
                null));
        return written.keepAlive();
    }

    /**
     * RFC 9110 §10.1.1: only 100-continue is defined; anything else is 417. Every Expect field counts: fields of
     * one name form one list, so an expectation in a second field must not slip past.
     */
    private static boolean expectsContinue(RequestHead head, BodyFraming framing) {
        var expect = head.headers().all("Expect");
        if (expect.isEmpty() || !head.isHttp11()) {
            return false;
        }
        if (expect.size() > 1 || !expect.getFirst().equalsIgnoreCase("100-continue")) {
            throw new RequestRejected(RequestError.EXPECTATION_FAILED, "only 100-continue can be expected");
        }
        return !(framing instanceof BodyFraming.None);
    }

    private static boolean wantsKeepAlive(RequestHead head) {
        if (head.headers().hasToken("Connection", "close")) {
            return false;
        }
        return head.isHttp11() || head.headers().hasToken("Connection", "keep-alive");
    }

    private static void flush(OutputStream out) {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
