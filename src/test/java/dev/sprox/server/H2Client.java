package dev.sprox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sprox.http2.ErrorCode;
import dev.sprox.http2.Frame;
import dev.sprox.http2.FrameReader;
import dev.sprox.http2.FrameWriter;
import dev.sprox.http2.HeaderField;
import dev.sprox.http2.HpackDecoder;
import dev.sprox.http2.HpackEncoder;
import dev.sprox.http2.Http2Connection;
import dev.sprox.http2.Http2Exception;
import dev.sprox.http2.Setting;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A frame-level HTTP/2 client for conformance tests: it writes whatever frames a test asks for, valid or not, and
 * reads the server's frames with the codec's reader. Reads give up after five seconds, so no test can hang.
 */
final class H2Client implements AutoCloseable {
    static final int TYPE_DATA = 0;
    static final int TYPE_HEADERS = 1;
    static final int TYPE_PRIORITY = 2;
    static final int TYPE_RST_STREAM = 3;
    static final int TYPE_SETTINGS = 4;
    static final int TYPE_PUSH_PROMISE = 5;
    static final int TYPE_PING = 6;
    static final int TYPE_GOAWAY = 7;
    static final int TYPE_WINDOW_UPDATE = 8;
    static final int TYPE_CONTINUATION = 9;
    static final int END_STREAM = 0x1;
    static final int END_HEADERS = 0x4;
    static final int PADDED = 0x8;
    static final int PRIORITY_FLAG = 0x20;

    private final Socket socket;
    private final OutputStream out;
    private final FrameWriter writer;
    private final FrameReader reader;
    private final HpackEncoder encoder = new HpackEncoder(4096, true);
    private final HpackDecoder decoder = new HpackDecoder(4096, 1 << 20);
    /** Frames read while waiting for another stream's response, in arrival order. */
    private final java.util.ArrayDeque<Frame> pending = new java.util.ArrayDeque<>();
    /** The latest decoded header block of each stream. */
    private final java.util.Map<Integer, List<HeaderField>> decoded = new java.util.HashMap<>();
    /** The server's SETTINGS, as its first frame carried them. */
    private List<Setting> serverSettings = List.of();

    private H2Client(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, 5000);
        socket.setSoTimeout(5000);
        out = socket.getOutputStream();
        writer = new FrameWriter(out);
        reader = new FrameReader(new BufferedInputStream(socket.getInputStream()), Setting.MAX_MAX_FRAME_SIZE);
    }

    /** Connected, but nothing sent yet: for tests of the preface itself. */
    static H2Client raw(InetSocketAddress address) throws IOException {
        return new H2Client(address);
    }

    /** Preface and an empty SETTINGS sent, the server's SETTINGS read and acknowledged. */
    static H2Client connect(InetSocketAddress address) throws IOException {
        var client = new H2Client(address);
        client.write(Http2Connection.PREFACE);
        client.writer.settings(List.of());
        client.out.flush();
        Frame first = client.next();
        client.serverSettings = assertInstanceOf(Frame.Settings.class, first, "the server's preface is SETTINGS").settings();
        client.writer.settingsAck();
        client.out.flush();
        return client;
    }

    void soTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    List<Setting> serverSettings() {
        return serverSettings;
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Any frame, as raw octets: header fields exactly as given. */
    void frame(int type, int flags, int streamId, byte[] payload) throws IOException {
        var frame = new ByteArrayOutputStream(9 + payload.length);
        frame.write(payload.length >>> 16);
        frame.write(payload.length >>> 8);
        frame.write(payload.length);
        frame.write(type);
        frame.write(flags);
        frame.write(streamId >>> 24);
        frame.write(streamId >>> 16);
        frame.write(streamId >>> 8);
        frame.write(streamId);
        frame.writeBytes(payload);
        write(frame.toByteArray());
    }

    /** The fields of a GET for {@code path}, pseudo-headers first. */
    static List<HeaderField> get(String path) {
        return request("GET", path);
    }

    static List<HeaderField> request(String method, String path) {
        return new ArrayList<>(List.of(new HeaderField(":method", method), new HeaderField(":scheme", "http"),
                new HeaderField(":path", path), new HeaderField(":authority", "test")));
    }

    byte[] encode(List<HeaderField> fields) {
        return encoder.encode(fields);
    }

    void headers(int streamId, List<HeaderField> fields, boolean endStream) throws IOException {
        frame(TYPE_HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), streamId, encode(fields));
    }

    void data(int streamId, byte[] payload, boolean endStream) throws IOException {
        frame(TYPE_DATA, endStream ? END_STREAM : 0, streamId, payload);
    }

    void settings(Setting... settings) throws IOException {
        writer.settings(List.of(settings));
        out.flush();
    }

    void ping(long data) throws IOException {
        writer.ping(false, data);
        out.flush();
    }

    void windowUpdate(int streamId, int increment) throws IOException {
        writer.windowUpdate(streamId, increment);
        out.flush();
    }

    void rstStream(int streamId, ErrorCode code) throws IOException {
        writer.rstStream(streamId, code);
        out.flush();
    }

    static byte[] int32(long value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    /** The next frame: one put aside by {@link #response} first, else one from the server. */
    Frame next() throws IOException {
        if (!pending.isEmpty()) {
            return pending.poll();
        }
        return read();
    }

    /**
     * The next frame from the server; fails the test on a timeout or a frame the codec refuses. Header blocks are
     * decoded as they arrive, whoever reads them, so the HPACK table stays in step; DATA is credited back to the
     * connection window at once, as a reading client does (stream windows are the tests' to open).
     */
    private Frame read() throws IOException {
        try {
            Frame frame = reader.read();
            if (frame == null) {
                fail("the server closed the connection");
            }
            if (frame instanceof Frame.Headers h) {
                byte[] block = h.fragment();
                if (!h.endHeaders()) {
                    var joined = new ByteArrayOutputStream();
                    joined.writeBytes(block);
                    Frame.Continuation c;
                    do {
                        c = assertInstanceOf(Frame.Continuation.class, reader.read());
                        joined.writeBytes(c.fragment());
                    } while (!c.endHeaders());
                    block = joined.toByteArray();
                }
                try {
                    decoded.put(h.streamId(), decoder.decode(block));
                } catch (dev.sprox.http2.HpackException e) {
                    throw new AssertionError("the server sent an undecodable header block: " + e.getMessage(), e);
                }
                return new Frame.Headers(h.streamId(), block, h.endStream(), true);
            }
            if (frame instanceof Frame.Data d && d.flowControlledLength() > 0) {
                writer.windowUpdate(0, d.flowControlledLength());
                out.flush();
            }
            return frame;
        } catch (Http2Exception e) {
            throw new AssertionError("the server sent an invalid frame: " + e.getMessage(), e);
        }
    }

    /** Frames until one of {@code type}, skipping what a server sends on its own (SETTINGS ACK, WINDOW_UPDATE). */
    <T extends Frame> T await(Class<T> type) throws IOException {
        while (true) {
            Frame frame = next();
            if (type.isInstance(frame)) {
                return type.cast(frame);
            }
            if (frame instanceof Frame.GoAway goAway && goAway.error() != ErrorCode.NO_ERROR) {
                fail("GOAWAY " + goAway.error() + " (" + new String(goAway.debugData()) + ") while waiting for "
                        + type.getSimpleName());
            }
        }
    }

    /** The connection ends with GOAWAY carrying {@code code}, then the server closes it. */
    void expectGoAway(ErrorCode code) throws IOException {
        while (true) {
            Frame frame;
            try {
                frame = reader.read();
            } catch (Http2Exception e) {
                throw new AssertionError(e);
            } catch (IOException e) {
                throw new AssertionError("connection ended without GOAWAY " + code + ": " + e.getMessage(), e);
            }
            if (frame == null) {
                fail("connection closed without GOAWAY " + code);
            }
            if (frame instanceof Frame.GoAway goAway) {
                assertEquals(code, goAway.error(), () -> "GOAWAY code; debug: " + new String(goAway.debugData()));
                assertClosedByServer();
                return;
            }
        }
    }

    /** The stream is reset with {@code code}; the connection goes on. */
    void expectReset(int streamId, ErrorCode code) throws IOException {
        while (true) {
            Frame frame = next();
            if (frame instanceof Frame.RstStream rst && rst.streamId() == streamId) {
                assertEquals(code, rst.error(), "RST_STREAM code for stream " + streamId);
                return;
            }
            if (frame instanceof Frame.GoAway goAway) {
                fail("GOAWAY " + goAway.error() + " (" + new String(goAway.debugData()) + ") instead of RST_STREAM "
                        + code + " on stream " + streamId);
            }
        }
    }

    /** One complete response on {@code streamId}; frames of other streams are put aside for later. */
    Answer response(int streamId) throws IOException {
        List<HeaderField> headers = null;
        var body = new ByteArrayOutputStream();
        int dataFrames = 0;
        var aside = new ArrayList<Frame>();
        java.util.Iterator<Frame> earlier = new ArrayList<>(pending).iterator();
        pending.clear();
        try {
            while (true) {
                Frame frame = earlier.hasNext() ? earlier.next() : read();
                if (frame.streamId() != streamId) {
                    if (frame instanceof Frame.GoAway goAway) {
                        fail("GOAWAY " + goAway.error() + " (" + new String(goAway.debugData()) + ")");
                    }
                    aside.add(frame);
                    continue;
                }
                Answer answer = take(frame, streamId, body, dataFrames);
                if (frame instanceof Frame.Data) {
                    dataFrames++;
                }
                if (frame instanceof Frame.Headers) {
                    headers = decoded.get(streamId);
                }
                if (answer != null) {
                    return new Answer(headers, body.toByteArray(), dataFrames);
                }
            }
        } finally {
            earlier.forEachRemaining(aside::add);
            pending.addAll(aside);
        }
    }

    /** Non-null once {@code frame} ends the response. */
    private Answer take(Frame frame, int streamId, ByteArrayOutputStream body, int dataFrames) {
        switch (frame) {
                case Frame.Headers h -> {
                    if (h.endStream()) {
                        return new Answer(List.of(), new byte[0], dataFrames);
                    }
                }
                case Frame.Data d -> {
                    body.writeBytes(d.payload());
                    if (d.endStream()) {
                        return new Answer(List.of(), new byte[0], dataFrames);
                    }
                }
                case Frame.RstStream r -> fail("stream " + streamId + " reset with " + r.error());
                default -> { }
        }
        return null;
    }

    /** A response: its header fields, body, and how many DATA frames carried it. */
    record Answer(List<HeaderField> headers, byte[] body, int dataFrames) {
        int status() {
            return Integer.parseInt(header(":status"));
        }

        String header(String name) {
            return headers.stream().filter(f -> f.name().equals(name)).map(HeaderField::value).findFirst()
                    .orElse(null);
        }

        String bodyText() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** The server closes the connection: a read sees its end (or a reset, after unread input). */
    void assertClosedByServer() throws IOException {
        try {
            while (true) {
                Frame frame = reader.read();
                if (frame == null) {
                    return;
                }
            }
        } catch (SocketTimeoutException e) {
            fail("the server did not close the connection");
        } catch (IOException | Http2Exception e) {
            // A reset or a cut frame: closed all the same.
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
