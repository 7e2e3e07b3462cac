package dev.sprox.http2;

import dev.sprox.http.RequestHead;
import dev.sprox.http.Response;
import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one HTTP/2 connection (RFC 9113). Its thread reads frames and acts on each: connection
 * frames at once (SETTINGS, PING, WINDOW_UPDATE, GOAWAY), a complete request header block by starting a virtual
 * thread that runs the server's handler, DATA by handing it to that stream's body. Every frame out
 * goes through one {@link FrameOutput}. A protocol error on one stream resets it (RST_STREAM); one on the
 * connection ends it with GOAWAY and the code RFC 9113 names.
 *
 * <p>Memory per connection is bounded by the SETTINGS it advertises: at most {@code max_concurrent_streams}
 * request bodies of at most {@code initial_window_size} octets each, inside a connection window of 1 MiB; one
 * header block of at most twice {@code max_header_list_size}; one frame of at most {@code max_frame_size}; and a
 * 4 KiB output buffer per stream that is sending (taken only for small writes).
 */
public final class Http2Connection {
    private static final Logger LOG = LoggerFactory.getLogger(Http2Connection.class);

    /** §3.4: what every client sends first, 24 octets. */
    public static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final int DEFAULT_WINDOW = 65_535;
    private static final int CONNECTION_WINDOW = 1024 * 1024;
    private static final int HEADER_TABLE_SIZE = 4096;
    private static final int INPUT_BUFFER = 16 * 1024;
    /** Flood limits per second; an ordinary client stays far below each (see {@link FloodGuard}). */
    private static final long FLOOD_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int MAX_RESETS = 100;
    private static final int MAX_CONTROL = 200;
    private static final int MAX_EMPTY = 100;
    private static final long LINGER_MILLIS = 1000;
    private static final long MAX_LINGER_BYTES = 1024 * 1024;

    /**
     * What the HTTP server lends each connection: its handler, the same one HTTP/1.1 requests reach, and its
     * limits. Both are the server's, so this package knows only the version-neutral message values.
     */
    public interface Server {
        /** Answers a request; never throws. {@code body} is the request body, read on any thread. */
        Response handle(RequestHead head, InputStream body, long startNanos);

        /** Answers a request refused before it reached {@link #handle}; {@code head} is null when unparsed. */
        Response rejected(RequestHead head, RequestRejected rejection, long startNanos);

        /** The limits in force now: a reload applies to the next stream. */
        Limits limits();

        void requestStarted();

        void requestFinished();
    }

    /** The server's limits that apply to HTTP/2 as to HTTP/1.1 ({@code server.*} in the configuration). */
    public record Limits(Duration headerTimeout, Duration idleTimeout, Duration bodyTimeout, Duration sendTimeout,
                         int maxHeaderCount, long maxBodyBytes) {}

    private final Socket channel;
    private final InputStream in;
    private final FrameOutput output;
    private final Http2Config config;
    private final Server server;
    private final StreamStates states;
    private final HpackDecoder decoder;
    private final HeaderBlockAssembler assembler;
    private final FloodGuard flood;
    private final Map<Integer, Http2Stream> streams = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private final SendWindow connectionSend = new SendWindow(DEFAULT_WINDOW);
    private final ReentrantLock receiving = new ReentrantLock();
    private final ReceiveWindow connectionReceive = new ReceiveWindow(CONNECTION_WINDOW);
    private final ThreadFactory streamThreads = Thread.ofVirtual().name("sprox-h2-stream-", 0).factory();
    private final AtomicBoolean goAwaySent = new AtomicBoolean();
    private final AtomicBoolean outputShut = new AtomicBoolean();
    /** Our SETTINGS went out: §3.4, nothing else may be sent before them, GOAWAY included. */
    private volatile boolean prefaceSent;
    /** A drain asked for GOAWAY before the preface was out; it is sent right after. */
    private volatile boolean goAwayWanted;
    /** The peer's SETTINGS_INITIAL_WINDOW_SIZE, the send window each new stream starts with. */
    private long peerInitialWindow = DEFAULT_WINDOW;
    private volatile int goAwayLastId = Integer.MAX_VALUE;

    /**
     * @param channel the socket, or the TLS socket over it, for timeouts and closing
     * @param in      the connection's input from its first octet on (the preface), possibly bytes already read
     * @param out     the connection's output; the writer buffers and flushes it
     */
    public Http2Connection(Socket channel, InputStream in, OutputStream out, Http2Config config, Server server) {
        this.channel = channel;
        this.in = new BufferedInputStream(in, INPUT_BUFFER);
        this.output = new FrameOutput(out);
        this.config = config;
        this.server = server;
        this.states = new StreamStates(config.maxConcurrentStreams());
        this.decoder = new HpackDecoder(HEADER_TABLE_SIZE, config.maxHeaderListSize());
        this.assembler = new HeaderBlockAssembler(2 * config.maxHeaderListSize());
        this.flood = new FloodGuard(FLOOD_WINDOW_NANOS, MAX_RESETS, MAX_CONTROL, MAX_EMPTY, System.nanoTime());
    }

    Server server() {
        return server;
    }

    FrameOutput output() {
        return output;
    }

    /** Serves the connection until the peer closes it, it idles out, or an error ends it. */
    public void serve() throws IOException {
        try {
            channel.setSoTimeout((int) Math.max(1, server.limits().headerTimeout().toMillis()));
            if (!Arrays.equals(in.readNBytes(PREFACE.length), PREFACE)) {
                throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "invalid connection preface");
            }
            output.settings(List.of(
                    new Setting(Setting.MAX_CONCURRENT_STREAMS, config.maxConcurrentStreams()),
                    new Setting(Setting.INITIAL_WINDOW_SIZE, config.initialWindowSize()),
                    new Setting(Setting.MAX_FRAME_SIZE, config.maxFrameSize()),
                    new Setting(Setting.MAX_HEADER_LIST_SIZE, config.maxHeaderListSize())));
            output.windowUpdate(0, CONNECTION_WINDOW - DEFAULT_WINDOW);
            prefaceSent = true;
            if (goAwayWanted) {
                goAway();
            }
            readFrames();
        } catch (Http2Exception e) {
            LOG.debug("HTTP/2 connection error {}: {}", e.code(), e.getMessage());
            endWith(e.code(), e.getMessage());
        } catch (SocketTimeoutException e) {
            LOG.debug("HTTP/2 connection idle; closing");
            endWith(ErrorCode.NO_ERROR, "idle");
        } finally {
            end();
        }
    }

    private void readFrames() throws IOException, Http2Exception {
        var reader = new FrameReader(in, config.maxFrameSize());
        boolean first = true;
        while (true) {
            // Without a stream in progress the connection may idle out; a header block begun must end within the
            // header timeout (a slowloris over HTTP/2); while streams run, the reader waits as long as they do.
            Duration wait = assembler.inProgress() ? server.limits().headerTimeout()
                    : running.get() == 0 ? server.limits().idleTimeout() : Duration.ZERO;
            channel.setSoTimeout((int) Math.min(Integer.MAX_VALUE, wait.toMillis()));
            if (goAwaySent.get() && running.get() == 0) {
                // The last response may still be in flight, its client crediting windows as it reads: closing now
                // would answer those frames with a reset, which discards what the client has not read yet.
                closeGracefully();
                linger(server.limits().idleTimeout().toNanos());
                return;
            }
            Frame frame;
            try {
                frame = reader.read();
                if (frame == null) {
                    return;
                }
                if (first && !(frame instanceof Frame.Settings settings && !settings.ack())) {
                    throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "the preface must be followed by SETTINGS");
                }
                first = false;
                handle(frame);
            } catch (Http2Exception e) {
                if (e.isConnectionError()) {
                    throw e;
                }
                LOG.debug("HTTP/2 stream {} error {}: {}", e.streamId(), e.code(), e.getMessage());
                resetStream(e.streamId(), e.code());
            }
        }
    }

    private void handle(Frame frame) throws IOException, Http2Exception {
        if (!(frame instanceof Frame.Headers) && !(frame instanceof Frame.Continuation)) {
            assembler.requireNoneOpen(frame);
        }
        switch (frame) {
            case Frame.Headers headers -> {
                if (headers.fragment().length == 0 && !headers.endHeaders()) {
                    flood.count(FloodGuard.Kind.EMPTY, System.nanoTime());
                }
                HeaderBlockAssembler.Block block = assembler.start(headers);
                if (block != null) {
                    headerBlock(block);
                }
            }
            case Frame.Continuation continuation -> {
                if (continuation.fragment().length == 0 && !continuation.endHeaders()) {
                    flood.count(FloodGuard.Kind.EMPTY, System.nanoTime());
                }
                HeaderBlockAssembler.Block block = assembler.continueWith(continuation);
                if (block != null) {
                    headerBlock(block);
                }
            }
            case Frame.Data data -> data(data);
            case Frame.Priority priority -> flood.count(FloodGuard.Kind.CONTROL, System.nanoTime());
            case Frame.RstStream rst -> {
                flood.count(FloodGuard.Kind.RESET, System.nanoTime());
                states.resetByPeer(rst.streamId());
                Http2Stream stream = streams.get(rst.streamId());
                if (stream != null) {
                    stream.resetByPeer("reset by the client: " + rst.error());
                }
            }
            case Frame.Settings settings -> settings(settings);
            case Frame.Ping ping -> {
                if (!ping.ack()) {
                    flood.count(FloodGuard.Kind.CONTROL, System.nanoTime());
                    output.pingAck(ping.opaqueData());
                }
            }
            case Frame.GoAway goAway -> {
                // The client will open no more streams; those in progress finish, then the connection closes.
                goAwayLastId = Math.min(goAwayLastId, states.highestId());
                goAwaySent.set(true);
            }
            case Frame.WindowUpdate update -> windowUpdate(update);
            case Frame.Unknown unknown -> { }
        }
    }

    private void settings(Frame.Settings settings) throws IOException, Http2Exception {
        if (settings.ack()) {
            return;
        }
        flood.count(FloodGuard.Kind.CONTROL, System.nanoTime());
        for (Setting setting : settings.settings()) {
            switch (setting.id()) {
                case Setting.HEADER_TABLE_SIZE -> output.peerHeaderTableSize((int) Math.min(Integer.MAX_VALUE, setting.value()));
                case Setting.INITIAL_WINDOW_SIZE -> {
                    long delta = setting.value() - peerInitialWindow;
                    peerInitialWindow = setting.value();
                    for (Http2Stream stream : streams.values()) {
                        stream.sendWindow().resize(delta);
                    }
                }
                case Setting.MAX_FRAME_SIZE -> output.peerMaxFrameSize((int) setting.value());
                default -> { } // §6.5.2: unknown settings are ignored; push and concurrency limit only the server's own streams
            }
        }
        output.settingsAck();
    }

    private void windowUpdate(Frame.WindowUpdate update) throws Http2Exception {
        if (update.streamId() == 0) {
            connectionSend.grow(update.increment(), 0);
            return;
        }
        states.windowUpdate(update.streamId());
        Http2Stream stream = streams.get(update.streamId());
        if (stream != null) {
            stream.sendWindow().grow(update.increment(), update.streamId());
        }
    }

    private void data(Frame.Data data) throws IOException, Http2Exception {
        if (data.payload().length == 0 && !data.endStream()) {
            flood.count(FloodGuard.Kind.EMPTY, System.nanoTime());
        }
        int length = data.flowControlledLength();
        receiving.lock();
        try {
            connectionReceive.received(length, 0);
        } finally {
            receiving.unlock();
        }
        Http2Stream stream;
        try {
            states.data(data.streamId(), data.endStream());
            stream = streams.get(data.streamId());
        } catch (Http2Exception e) {
            released(length);
            throw e;
        }
        if (stream == null) {
            released(length);
            return;
        }
        stream.data(data);
    }

    /** A complete header block: a new request, or the trailers of one in progress. */
    private void headerBlock(HeaderBlockAssembler.Block block) throws IOException, Http2Exception {
        int id = block.streamId();
        List<HeaderField> fields = null;
        try {
            // Decoded even when the stream is then refused: the table must stay in step with the client's encoder.
            fields = decoder.decode(block.fragment());
        } catch (HpackException e) {
            if (e.kind() == HpackException.Kind.COMPRESSION) {
                throw Http2Exception.connection(ErrorCode.COMPRESSION_ERROR, e.getMessage());
            }
        }
        if (id > goAwayLastId) {
            return; // §6.8: streams opened after our GOAWAY are ignored; the client retries them elsewhere
        }
        if (states.headers(id, block.endStream()) == StreamStates.HeadersRole.TRAILERS) {
            if (fields == null) {
                throw Http2Exception.stream(ErrorCode.PROTOCOL_ERROR, id, "trailer section too large");
            }
            RequestFields.checkTrailers(id, fields);
            Http2Stream stream = streams.get(id);
            if (stream != null) {
                stream.remoteEnded();
            }
            return;
        }
        if (running.get() >= config.maxConcurrentStreams()) {
            // Streams reset by the client are closed to it but may still be running here (§5.1.2 counts open ones).
            throw Http2Exception.stream(ErrorCode.REFUSED_STREAM, id, "too many streams still being answered");
        }
        startStream(id, block.endStream(), fields);
    }

    private void startStream(int id, boolean endStream, List<HeaderField> fields) throws Http2Exception {
        Limits limits = server.limits();
        RequestFields.Mapped mapped = null;
        RequestRejected refusal = null;
        try {
            if (fields == null) {
                throw new RequestRejected(RequestError.HEADERS_TOO_LARGE, "header list larger than "
                        + config.maxHeaderListSize() + " octets");
            }
            mapped = RequestFields.request(id, fields, limits.maxHeaderCount());
            OptionalLong length = mapped.contentLength();
            if (endStream && length.isPresent() && length.getAsLong() != 0) {
                throw Http2Exception.stream(ErrorCode.PROTOCOL_ERROR, id, "content-length without DATA");
            }
            if (length.isPresent() && length.getAsLong() > limits.maxBodyBytes()) {
                throw new RequestRejected(RequestError.BODY_TOO_LARGE, "request body is larger than "
                        + limits.maxBodyBytes() + " bytes");
            }
        } catch (RequestRejected e) {
            refusal = e;
        }
        StreamBody body = endStream ? StreamBody.empty(id) : new StreamBody(id, config.initialWindowSize(),
                limits.maxBodyBytes(), limits.bodyTimeout().toNanos(), (octets, read) -> consumed(id, octets, read));
        var stream = new Http2Stream(this, id, peerInitialWindow, body, mapped == null ? null : mapped.head(),
                mapped == null ? OptionalLong.empty() : mapped.contentLength(), refusal);
        streams.put(id, stream);
        running.incrementAndGet();
        server.requestStarted();
        streamThreads.newThread(stream).start();
    }

    /** Body octets left a stream's buffer: the connection window reopens, and the stream's if a handler read them. */
    private void consumed(int streamId, int octets, boolean read) {
        released(octets);
        Http2Stream stream = streams.get(streamId);
        if (read && stream != null) {
            int increment = stream.body().reopen(octets);
            if (increment > 0) {
                try {
                    output.windowUpdate(streamId, increment);
                } catch (IOException e) {
                    LOG.debug("window update not sent: {}", e.getMessage());
                }
            }
        }
    }

    /** Connection window octets nobody will hold any more. */
    void released(int octets) {
        int increment;
        receiving.lock();
        try {
            increment = connectionReceive.read(octets);
        } finally {
            receiving.unlock();
        }
        if (increment > 0) {
            try {
                output.windowUpdate(0, increment);
            } catch (IOException e) {
                LOG.debug("window update not sent: {}", e.getMessage());
            }
        }
    }

    /** Sends a small whole response in one write when both windows have room for it now; false if not. */
    boolean sendWhole(Http2Stream stream, List<HeaderField> fields, byte[] body) throws IOException {
        if (!StreamOutput.fitsNow(stream, connectionSend, body)) {
            return false;
        }
        output.headersAndData(stream.id(), fields, body);
        return true;
    }

    /** @param declared the body's length when known, else -1 */
    StreamOutput streamOutput(Http2Stream stream, long declared) {
        return new StreamOutput(stream, connectionSend, output, server.limits().sendTimeout().toNanos(), declared);
    }

    /** A stream error: RST_STREAM first, so no code the stream's own failure would cause goes out before it. */
    private void resetStream(int id, ErrorCode code) throws IOException {
        states.resetLocally(id);
        Http2Stream stream = streams.get(id);
        if (stream == null || stream.markReset()) {
            output.rstStream(id, code);
        }
        if (stream != null) {
            stream.stop("reset by the server: " + code);
        }
    }

    /** The response could not be completed: the client learns it from RST_STREAM, never from a short body. */
    void abandon(Http2Stream stream, ErrorCode code) {
        if (stream.mayReset()) {
            states.resetLocally(stream.id());
            try {
                output.rstStream(stream.id(), code);
            } catch (IOException e) {
                LOG.debug("RST_STREAM not sent: {}", e.getMessage());
            }
        }
        stream.stop("reset by the server: " + code);
    }

    /**
     * The response went out in full. If the client is still sending a body nobody wants, §8.1 lets the server stop
     * it with RST_STREAM NO_ERROR.
     */
    void answered(Http2Stream stream) {
        if (stream.body().complete()) {
            states.closedLocally(stream.id());
            return;
        }
        abandon(stream, ErrorCode.NO_ERROR);
    }

    void streamFinished(Http2Stream stream) {
        streams.remove(stream.id());
        if (!stream.body().complete()) {
            stream.body().fail(new IOException("the response was already sent"));
        }
        server.requestFinished();
        if (running.decrementAndGet() == 0 && goAwaySent.get()) {
            closeGracefully();
        }
    }

    /**
     * Drain or a reload that removed the listener: GOAWAY with the last stream id sprox will answer (§6.8), and the
     * connection closes once those streams are done. Safe to call again; later calls only check for the end.
     */
    public void goAway() {
        if (!prefaceSent) {
            goAwayWanted = true;
            return;
        }
        if (goAwaySent.compareAndSet(false, true)) {
            goAwayLastId = states.highestId();
            try {
                output.goAway(goAwayLastId, ErrorCode.NO_ERROR, "");
            } catch (IOException e) {
                closeNow();
                return;
            }
        }
        if (running.get() == 0) {
            closeGracefully();
        }
    }

    /** Our side is done: the peer reads what was sent, then sees the end, and the reading thread sees its close. */
    private void closeGracefully() {
        if (!outputShut.compareAndSet(false, true)) {
            return;
        }
        try {
            channel.shutdownOutput();
        } catch (IOException | UnsupportedOperationException e) {
            closeNow(); // TLS sockets cannot half-close; closing sends close_notify after what was written
        }
    }

    private void closeNow() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing HTTP/2 connection: {}", e.getMessage());
        }
    }

    /**
     * A connection error or the idle timeout: GOAWAY with the code, then, as on HTTP/1.1, what the client still sends
     * is read and dropped for a moment so the close does not reset the connection before GOAWAY was read.
     */
    private void endWith(ErrorCode code, String debug) {
        goAwaySent.set(true);
        // Taken first, so a stream finishing now cannot half-close the connection before GOAWAY is out.
        boolean shut = outputShut.compareAndSet(false, true);
        try {
            output.goAway(states.highestId(), code, debug);
            if (shut) {
                channel.shutdownOutput();
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("ending HTTP/2 connection: {}", e.getMessage());
            return;
        }
        linger(TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS));
    }

    /**
     * Our output is shut: reads and drops what the client still sends (window updates while it reads the rest, its
     * own GOAWAY) until it closes too, so closing does not reset the connection under data it has yet to read.
     * Bounded: a pause of {@link #LINGER_MILLIS}, {@link #MAX_LINGER_BYTES} octets, or {@code totalNanos} in all.
     */
    private void linger(long totalNanos) {
        try {
            channel.setSoTimeout((int) LINGER_MILLIS);
            long deadline = System.nanoTime() + totalNanos;
            byte[] scratch = new byte[INPUT_BUFFER];
            long swallowed = 0;
            for (int n; swallowed < MAX_LINGER_BYTES && System.nanoTime() < deadline
                    && (n = in.read(scratch)) > 0; ) {
                swallowed += n;
            }
        } catch (IOException e) {
            LOG.debug("HTTP/2 connection closed while lingering: {}", e.getMessage());
        }
    }

    /** Whatever ended the connection: every stream still running stops writing, and nothing waits for a window. */
    private void end() {
        goAwaySent.set(true);
        connectionSend.abandon();
        for (Http2Stream stream : streams.values()) {
            stream.stop("connection closed");
        }
        closeNow();
    }
}
