package dev.sprox.upstream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets {@link java.net.http.HttpClient}, which only knows HTTP proxies, reach origins through a SOCKS5 server:
 * a tiny HTTP proxy on 127.0.0.1 (ephemeral port) that opens every upstream connection as a SOCKS5 tunnel
 * ({@link Socks5Handshake}). Give the client {@link #proxySelector()}.
 *
 * <h2>https:// origins (CONNECT)</h2>
 * HttpClient sends {@code CONNECT host:port HTTP/1.1}. The bridge opens a SOCKS5 tunnel to host:port (the name
 * is resolved by the SOCKS server), answers {@code 200 Connection Established} and relays bytes both ways.
 * TLS stays end to end between HttpClient and the origin, and HttpClient pools these tunnels like any
 * connection: one bridge connection = one SOCKS connection = one origin connection, reused for many requests.
 *
 * <h2>http:// origins (absolute-form)</h2>
 * HttpClient sends {@code GET http://host:port/path HTTP/1.1} with its headers straight to the proxy. The bridge
 * reads that head (at most {@value #MAX_HEAD_BYTES} bytes, else 431), opens a SOCKS5 tunnel to host:port,
 * rewrites the request line to origin-form ({@code GET /path HTTP/1.1}), drops the hop-by-hop headers
 * ({@code Connection}, {@code Proxy-Connection}, {@code Keep-Alive}, {@code Proxy-Authorization} and whatever
 * {@code Connection} names, which also turns off HttpClient's h2c upgrade attempt), adds {@code Host} if it is
 * missing and {@code Connection: close}, then relays. Because the bridge is one proxy address for every host,
 * HttpClient would happily reuse a kept-alive proxy connection for the next request to <em>another</em> host;
 * the tunnel is already bound to the first one. So each response head is also rewritten to carry
 * {@code Connection: close} (1xx interim heads pass unchanged), and the exchange ends when the origin closes.
 * <b>Plain-http origins behind SOCKS therefore get one SOCKS connection per request</b>; https ones are pooled.
 *
 * <h2>Failures</h2>
 * Anything that keeps the SOCKS tunnel from opening (SOCKS server unreachable or slow, credentials refused, a
 * CONNECT reply code other than 0) is answered with {@code 502 Bad Gateway}, {@code Connection: close} and a
 * one-line text body such as "SOCKS5 server refused: host unreachable (4)". For http:// origins HttpClient hands
 * that to the caller as a 502 response; for https:// ones HttpClient turns a non-200 CONNECT answer into an
 * {@link IOException}. A request that is neither CONNECT nor absolute-form {@code http://} gets 400. Connecting
 * to the SOCKS server and the whole handshake are bounded by the connect timeout given to {@link #start};
 * relaying has no timeout of its own (HttpClient's and sprox's read timeouts apply on top).
 *
 * <h2>Threads</h2>
 * One virtual thread accepts. Each accepted connection has its own virtual thread that reads the head, opens
 * the tunnel and then copies origin&rarr;client, plus one more virtual thread that copies client&rarr;origin,
 * all with plain blocking I/O. When the client stops sending (EOF) the origin side is half-closed
 * ({@code shutdownOutput}) so an origin that waits for the end of the request can still answer; when the origin
 * side ends (EOF or error), or a write fails, both sockets are closed.
 *
 * <p>Only 127.0.0.1 is listened on, but any local process can use the bridge while it runs; the SOCKS
 * credentials themselves never leave it and are never logged. Debug-level logging only.
 */
public final class Socks5Bridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Socks5Bridge.class);
    /** Largest request or response head the bridge reads before giving up (431 / 502). */
    static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final int BUFFER_BYTES = 16 * 1024;
    /** After an error answer, how long and how much of the client's unread request to swallow before closing. */
    private static final int LINGER_MILLIS = 1000;
    private static final int LINGER_BYTES = 256 * 1024;
    private static final byte[] ESTABLISHED =
            "HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final Set<String> HOP_BY_HOP =
            Set.of("connection", "proxy-connection", "keep-alive", "proxy-authorization", "proxy-authenticate");

    private final Socks5Config socks;
    private final Duration connectTimeout;
    private final ServerSocket server;
    private final InetSocketAddress address;
    private final ProxySelector proxySelector;
    private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
    private final ThreadFactory connectionThreads = Thread.ofVirtual().name("sprox-socks-", 0).factory();
    private final ThreadFactory relayThreads = Thread.ofVirtual().name("sprox-socks-relay-", 0).factory();
    private final LongAdder accepted = new LongAdder();
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean closed;

    private Socks5Bridge(Socks5Config socks, Duration connectTimeout, ServerSocket server) {
        this.socks = socks;
        this.connectTimeout = connectTimeout;
        this.server = server;
        this.address = (InetSocketAddress) server.getLocalSocketAddress();
        this.proxySelector = ProxySelector.of(address);
    }

    /**
     * Binds 127.0.0.1 on an ephemeral port and starts accepting.
     *
     * @param connectTimeout bound on reaching the SOCKS server plus the SOCKS handshake, per connection
     */
    public static Socks5Bridge start(Socks5Config socks, Duration connectTimeout) throws IOException {
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be positive");
        }
        var server = new ServerSocket();
        try {
            server.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 128);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        var bridge = new Socks5Bridge(socks, connectTimeout, server);
        Thread.ofVirtual().name("sprox-socks-accept-" + bridge.address.getPort()).start(bridge::acceptLoop);
        LOG.debug("SOCKS5 bridge on {} to {}:{}", bridge.address, socks.host(), socks.port());
        return bridge;
    }

    /** Where HttpClient should send its proxy traffic. */
    public InetSocketAddress address() {
        return address;
    }

    /** {@code ProxySelector.of(address())}. */
    public ProxySelector proxySelector() {
        return proxySelector;
    }

    /** Connections accepted since start (each is one tunnel, or one refused attempt). */
    public long acceptedConnections() {
        return accepted.sum();
    }

    /** Connections from HttpClient that are open right now. */
    public int openConnections() {
        return open.get();
    }

    /** Stops accepting and closes every open tunnel, both ends; idempotent. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        for (Socket socket : openSockets) {
            closeQuietly(socket);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed || server.isClosed()) {
                    return;
                }
                LOG.debug("SOCKS5 bridge accept failed", e);
                continue;
            }
            accepted.increment();
            open.incrementAndGet();
            openSockets.add(client);
            if (closed) { // raced with close(): it may have missed this one
                forget(client);
                continue;
            }
            connectionThreads.newThread(() -> serve(client)).start();
        }
    }

    private void serve(Socket client) {
        Socket upstream = null;
        try {
            client.setTcpNoDelay(true);
            var in = new BufferedInputStream(client.getInputStream(), BUFFER_BYTES);
            OutputStream out = client.getOutputStream();
            Head head;
            try {
                head = Head.read(in);
            } catch (HeadTooLarge e) {
                answerError(client, in, 431, "Request Header Fields Too Large", "request head over 64 KiB");
                return;
            }
            if (head == null) {
                return;
            }
            Target target = Target.parse(head.firstLine());
            if (target == null) {
                answerError(client, in, 400, "Bad Request",
                        "expected CONNECT host:port or an absolute http:// request");
                return;
            }
            String originRequest = null;
            if (!target.connect()) {
                try {
                    originRequest = head.toOriginRequest(target);
                } catch (IOException e) {
                    answerError(client, in, 400, "Bad Request", e.getMessage());
                    return;
                }
            }
            try {
                upstream = Socks5Handshake.connect(socks, target.host(), target.port(), connectTimeout);
            } catch (IllegalArgumentException e) { // a host SOCKS5 cannot carry (bad IPv6 literal, name > 255)
                answerError(client, in, 400, "Bad Request", e.getMessage());
                return;
            } catch (IOException e) {
                String reason = describe(e);
                LOG.debug("SOCKS5 tunnel to {}:{} failed: {}", target.host(), target.port(), reason);
                answerError(client, in, 502, "Bad Gateway", reason);
                return;
            }
            openSockets.add(upstream);
            if (closed) {
                return;
            }
            LOG.debug("SOCKS5 tunnel to {}:{} open ({})", target.host(), target.port(),
                    target.connect() ? "CONNECT" : "http");
            if (target.connect()) {
                out.write(ESTABLISHED);
                out.flush();
                relay(client, in, upstream, upstream.getInputStream(), false);
            } else {
                OutputStream upstreamOut = upstream.getOutputStream();
                upstreamOut.write(originRequest.getBytes(StandardCharsets.ISO_8859_1));
                upstreamOut.flush();
                relay(client, in, upstream, new BufferedInputStream(upstream.getInputStream(), BUFFER_BYTES), true);
            }
        } catch (IOException e) {
            LOG.debug("SOCKS5 bridge connection ended: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.debug("SOCKS5 bridge connection failed", e);
        } finally {
            if (upstream != null) {
                forgetSocket(upstream);
            }
            forget(client);
        }
    }

    /**
     * Copies client&rarr;origin on a second virtual thread and origin&rarr;client on this one; for http:// the
     * response heads are rewritten on the way ({@link #rewriteResponseHeads}).
     */
    private void relay(Socket client, InputStream clientIn, Socket upstream, InputStream upstreamIn,
                       boolean plainHttp) {
        Thread up = relayThreads.newThread(() -> {
            try {
                copy(clientIn, upstream.getOutputStream());
                upstream.shutdownOutput(); // client finished sending: pass the half-close on
            } catch (IOException e) {
                closeQuietly(upstream);
                closeQuietly(client);
            }
        });
        up.start();
        try {
            OutputStream clientOut = client.getOutputStream();
            if (plainHttp && !rewriteResponseHeads(upstreamIn, clientOut)) {
                return;
            }
            copy(upstreamIn, clientOut);
        } catch (IOException e) {
            LOG.debug("SOCKS5 tunnel relay ended: {}", e.toString());
        } finally {
            closeQuietly(upstream);
            closeQuietly(client);
        }
        try {
            up.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Forwards interim (1xx) response heads as they are and the final one with {@code Connection: close} in
     * place of the origin's hop-by-hop headers; false when the origin closed or misbehaved before a final head.
     */
    private static boolean rewriteResponseHeads(InputStream upstreamIn, OutputStream clientOut) throws IOException {
        while (true) {
            Head head;
            try {
                head = Head.read(upstreamIn);
            } catch (HeadTooLarge e) {
                return false;
            }
            if (head == null) {
                return false;
            }
            int status = head.statusCode();
            if (status < 0) {
                return false;
            }
            if (status >= 100 && status < 200 && status != 101) {
                clientOut.write(head.unchanged().getBytes(StandardCharsets.ISO_8859_1));
                clientOut.flush();
                continue;
            }
            String forwarded = status == 101 ? head.unchanged() : head.withConnectionClose(null);
            clientOut.write(forwarded.getBytes(StandardCharsets.ISO_8859_1));
            clientOut.flush();
            return true;
        }
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n); // socket streams are unbuffered: written through at once
        }
    }

    /**
     * Answers with a short text error and {@code Connection: close}, then swallows a little of what the client
     * may still be sending (a request body) so that closing does not reset the connection under the answer.
     */
    private static void answerError(Socket client, InputStream in, int status, String reason, String message) {
        try {
            byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 " + status + " " + reason + "\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Length: " + body.length + "\r\n"
                    + "Connection: close\r\n\r\n";
            OutputStream out = client.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            client.shutdownOutput();
            client.setSoTimeout(LINGER_MILLIS);
            long deadline = System.nanoTime() + LINGER_MILLIS * 1_000_000L;
            byte[] sink = new byte[BUFFER_BYTES];
            long swallowed = 0;
            int n;
            while (swallowed < LINGER_BYTES && System.nanoTime() < deadline && (n = in.read(sink)) >= 0) {
                swallowed += n;
            }
        } catch (SocketTimeoutException e) {
            // the client keeps the connection open without sending: fine, close it
        } catch (IOException e) {
            LOG.debug("SOCKS5 bridge could not answer {}: {}", status, e.toString());
        }
    }

    /** A one-line reason naming the SOCKS server (never its credentials). */
    private String describe(IOException e) {
        if (e instanceof Socks5Exception) {
            return e.getMessage();
        }
        String server = socks.host() + ":" + socks.port();
        if (e instanceof SocketTimeoutException) {
            return "SOCKS5 server " + server + " timed out after " + connectTimeout.toMillis() + " ms";
        }
        if (e instanceof java.io.EOFException) {
            return "SOCKS5 server " + server + " closed the connection during the handshake";
        }
        return "SOCKS5 server " + server + " unreachable: " + e.getMessage();
    }

    private void forget(Socket client) {
        forgetSocket(client);
        open.decrementAndGet();
    }

    private void forgetSocket(Socket socket) {
        closeQuietly(socket);
        openSockets.remove(socket);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // nothing useful to do
        }
    }

    /** Where a proxied request goes: CONNECT host:port, or the authority and origin-form of an http:// URL. */
    record Target(boolean connect, String host, int port, String authority, String originForm, String method,
                  String version) {
        /** null when the request line is neither {@code CONNECT host:port} nor absolute-form http://. */
        static Target parse(String requestLine) {
            String[] parts = requestLine.split(" ", -1);
            if (parts.length != 3 || !parts[2].startsWith("HTTP/1.") || parts[0].isEmpty()) {
                return null;
            }
            String method = parts[0];
            String target = parts[1];
            if (method.equals("CONNECT")) {
                return authority(target, -1, true, null, method, parts[2]);
            }
            if (!target.regionMatches(true, 0, "http://", 0, 7)) {
                return null;
            }
            String rest = target.substring(7);
            int end = 0;
            while (end < rest.length() && "/?#".indexOf(rest.charAt(end)) < 0) {
                end++;
            }
            String path = rest.substring(end);
            int fragment = path.indexOf('#');
            if (fragment >= 0) {
                path = path.substring(0, fragment);
            }
            if (!path.startsWith("/")) {
                path = "/" + path;
            }
            return authority(rest.substring(0, end), 80, false, path, method, parts[2]);
        }

        private static Target authority(String authority, int defaultPort, boolean connect, String originForm,
                                        String method, String version) {
            int at = authority.lastIndexOf('@');
            String hostPort = authority.substring(at + 1);
            String host;
            String portText;
            if (hostPort.startsWith("[")) {
                int close = hostPort.indexOf(']');
                if (close < 0) {
                    return null;
                }
                host = hostPort.substring(0, close + 1);
                String after = hostPort.substring(close + 1);
                if (!after.isEmpty() && !after.startsWith(":")) {
                    return null;
                }
                portText = after.isEmpty() ? "" : after.substring(1);
            } else {
                int colon = hostPort.lastIndexOf(':');
                host = colon < 0 ? hostPort : hostPort.substring(0, colon);
                portText = colon < 0 ? "" : hostPort.substring(colon + 1);
            }
            if (host.isEmpty() || host.equals("[]")) {
                return null;
            }
            int port = defaultPort;
            if (!portText.isEmpty()) {
                try {
                    port = Integer.parseInt(portText);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            if (port < 1 || port > 65535) {
                return null;
            }
            return new Target(connect, host, port, hostPort, originForm, method, version);
        }
    }

    /** The request or response line and the header lines of an HTTP/1.x head, without their line ends. */
    record Head(String firstLine, List<String> headerLines) {
        /**
         * Reads up to and including the empty line; null if the stream ends before the first byte.
         *
         * @throws HeadTooLarge over {@value #MAX_HEAD_BYTES} bytes
         * @throws IOException the stream ends mid-head, or the head is malformed
         */
        static Head read(InputStream in) throws IOException {
            var lines = new ArrayList<String>();
            var line = new StringBuilder();
            int total = 0;
            boolean any = false;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    if (!any) {
                        return null;
                    }
                    throw new IOException("connection closed in the middle of a head");
                }
                any = true;
                if (++total > MAX_HEAD_BYTES) {
                    throw new HeadTooLarge();
                }
                if (b != '\n') {
                    line.append((char) b);
                    continue;
                }
                int length = line.length();
                if (length > 0 && line.charAt(length - 1) == '\r') {
                    line.setLength(length - 1);
                }
                if (line.isEmpty()) {
                    if (lines.isEmpty()) {
                        continue; // a stray empty line before the start line is allowed
                    }
                    return new Head(lines.getFirst(), List.copyOf(lines.subList(1, lines.size())));
                }
                lines.add(line.toString());
                line.setLength(0);
            }
        }

        /** The status code of a response head; -1 if the first line is not {@code HTTP/x.y NNN ...}. */
        int statusCode() {
            if (!firstLine.startsWith("HTTP/") || firstLine.length() < 12 || firstLine.charAt(8) != ' ') {
                return -1;
            }
            try {
                return Integer.parseInt(firstLine.substring(9, 12));
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        String unchanged() {
            var text = new StringBuilder(firstLine).append("\r\n");
            headerLines.forEach(h -> text.append(h).append("\r\n"));
            return text.append("\r\n").toString();
        }

        /** The head for the origin: origin-form request line, hop-by-hop headers out, Connection: close in. */
        String toOriginRequest(Target target) throws IOException {
            String line = target.method() + " " + target.originForm() + " " + target.version();
            var text = new StringBuilder(withConnectionClose(line));
            boolean hasHost = headerLines.stream().anyMatch(h -> name(h).equals("host"));
            if (!hasHost) {
                text.insert(line.length() + 2, "Host: " + target.authority() + "\r\n");
            }
            return text.toString();
        }

        /**
         * This head with {@code firstLine} (or its own when null), without hop-by-hop headers nor any header that
         * a Connection header names, and with {@code Connection: close} last.
         */
        String withConnectionClose(String replacementFirstLine) throws IOException {
            Set<String> drop = new HashSet<>(HOP_BY_HOP);
            for (String header : headerLines) {
                if (header.isEmpty() || header.charAt(0) == ' ' || header.charAt(0) == '\t') {
                    throw new IOException("folded or empty header line"); // obs-fold: refused, RFC 9112 5.2
                }
                String name = name(header);
                if (name.equals("connection") || name.equals("proxy-connection")) {
                    for (String token : value(header).split(",")) {
                        drop.add(token.strip().toLowerCase(Locale.ROOT));
                    }
                }
            }
            var text = new StringBuilder(replacementFirstLine == null ? firstLine : replacementFirstLine)
                    .append("\r\n");
            for (String header : headerLines) {
                if (!drop.contains(name(header))) {
                    text.append(header).append("\r\n");
                }
            }
            return text.append("Connection: close\r\n\r\n").toString();
        }

        private static String name(String header) {
            int colon = header.indexOf(':');
            return (colon < 0 ? header : header.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
        }

        private static String value(String header) {
            int colon = header.indexOf(':');
            return colon < 0 ? "" : header.substring(colon + 1);
        }
    }

    /** A head over {@value #MAX_HEAD_BYTES} bytes. */
    static final class HeadTooLarge extends IOException {
        HeadTooLarge() {
            super("head over " + MAX_HEAD_BYTES + " bytes");
        }
    }
}
