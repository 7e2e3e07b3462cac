package dev.sprox.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@link MockOrigin} answers with: a status, headers and a body, composed as HTTP/1.1 with a
 * {@code Content-Length} unless the script says otherwise — or, on purpose, something worse: a delay, a
 * trickle, a connection dropped at a chosen point, bytes sent verbatim. A response can answer many requests.
 */
public final class MockResponse {

    /** A body made while it is sent, so it can be larger than any heap; may be written more than once. */
    @FunctionalInterface
    public interface BodyWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Full control over one exchange: queued, it runs right after the request head, the body still unread; fixed
     * or dispatched, after the body was read. The connection closes after it.
     */
    @FunctionalInterface
    public interface Script {
        void answer(RecordedRequest request, InputStream in, OutputStream out) throws IOException;
    }

    /** Ways to end an exchange badly. */
    public enum Fault {
        /** Close the connection without sending a byte. */
        EMPTY_RESPONSE,
        /** Close with a TCP reset (linger 0) instead of an answer. */
        RESET,
        /** Send the head, then close before the body. */
        DISCONNECT_AFTER_HEADERS,
        /** Never answer: hold the connection until the client or the origin closes it. */
        STALL
    }

    private int status = 200;
    private String reason;
    private final List<String> headerLines = new ArrayList<>();
    private byte[] body = new byte[0];
    private BodyWriter bodyWriter;
    private long bodyLength;
    private boolean chunked;
    private Duration headersDelay = Duration.ZERO;
    private int throttleBytes;
    private Duration throttlePeriod = Duration.ZERO;
    private long disconnectAfterBodyBytes = -1;
    private Fault fault;
    private byte[] raw;
    private Script script;
    private boolean closeConnection;

    public static MockResponse status(int status) {
        return new MockResponse().withStatus(status);
    }

    public static MockResponse ok(String body) {
        return status(200).body(body);
    }

    public static MockResponse ok(byte[] body) {
        return status(200).body(body);
    }

    /** Sends {@code bytes} exactly as given instead of a composed answer, then closes the connection. */
    public static MockResponse raw(String bytes) {
        return raw(bytes.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static MockResponse raw(byte[] bytes) {
        MockResponse response = new MockResponse();
        response.raw = bytes.clone();
        return response;
    }

    public static MockResponse script(Script script) {
        MockResponse response = new MockResponse();
        response.script = script;
        return response;
    }

    public static MockResponse fault(Fault fault) {
        MockResponse response = new MockResponse();
        response.fault = fault;
        return response;
    }

    public MockResponse withStatus(int status) {
        this.status = status;
        return this;
    }

    /** The reason phrase; by default a standard one, or "Status" for codes without one here. */
    public MockResponse reason(String reason) {
        this.reason = reason;
        return this;
    }

    /** Adds a header line; the same name may be added more than once. */
    public MockResponse header(String name, String value) {
        headerLines.add(name + ": " + value);
        return this;
    }

    public MockResponse type(String contentType) {
        return header("Content-Type", contentType);
    }

    public MockResponse body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    public MockResponse body(byte[] bytes) {
        body = bytes.clone();
        bodyWriter = null;
        return this;
    }

    /**
     * A generated body: {@code length} declared as {@code Content-Length}, or a negative length for a chunked body
     * of whatever the writer writes.
     */
    public MockResponse body(long length, BodyWriter writer) {
        bodyWriter = writer;
        bodyLength = length;
        chunked = length < 0;
        return this;
    }

    /** Sends the body with {@code Transfer-Encoding: chunked}, one chunk per write. */
    public MockResponse chunked() {
        chunked = true;
        return this;
    }

    /** Waits this long before sending the head. */
    public MockResponse delayHeaders(Duration delay) {
        headersDelay = delay;
        return this;
    }

    /** Sends the body {@code bytes} at a time with a pause of {@code period} after each piece. */
    public MockResponse throttle(int bytes, Duration period) {
        throttleBytes = bytes;
        throttlePeriod = period;
        return this;
    }

    /** Sends only the first {@code bytes} of the body, then closes the connection. */
    public MockResponse disconnectAfterBody(long bytes) {
        disconnectAfterBodyBytes = bytes;
        return this;
    }

    /** Sends {@code Connection: close} and closes the connection after this answer. */
    public MockResponse closeConnection() {
        closeConnection = true;
        return this;
    }

    /** True when the connection cannot serve another request after this answer. */
    boolean closesConnection() {
        return closeConnection || fault != null || raw != null || script != null || disconnectAfterBodyBytes >= 0;
    }

    Script scriptOrNull() {
        return script;
    }

    Fault faultOrNull() {
        return fault;
    }

    void writeTo(OutputStream socketOut, boolean head) throws IOException, InterruptedException {
        if (raw != null) {
            socketOut.write(raw);
            socketOut.flush();
            return;
        }
        Thread.sleep(headersDelay);
        var text = new StringBuilder("HTTP/1.1 ").append(status).append(' ')
                .append(reason != null ? reason : standardReason(status)).append("\r\n");
        for (String line : headerLines) {
            text.append(line).append("\r\n");
        }
        boolean noBody = head || status == 204 || status == 304 || status / 100 == 1;
        if (chunked) {
            if (!hasHeader("transfer-encoding")) {
                text.append("Transfer-Encoding: chunked\r\n");
            }
        } else if (!hasHeader("content-length") && status != 204 && status / 100 != 1) {
            text.append("Content-Length: ").append(bodyWriter != null ? bodyLength : body.length).append("\r\n");
        }
        if (closeConnection && !hasHeader("connection")) {
            text.append("Connection: close\r\n");
        }
        text.append("\r\n");
        socketOut.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
        socketOut.flush();
        if (fault == Fault.DISCONNECT_AFTER_HEADERS || noBody) {
            return;
        }
        OutputStream out = new Limited(new Throttled(socketOut, throttleBytes, throttlePeriod), disconnectAfterBodyBytes);
        if (chunked) {
            out = new Chunked(out);
        }
        try {
            if (bodyWriter != null) {
                bodyWriter.writeTo(out);
            } else {
                out.write(body);
            }
            if (out instanceof Chunked c) {
                c.finish();
            }
        } catch (Limited.Reached reached) {
            // The scripted disconnect: the caller closes the connection.
        }
        socketOut.flush();
    }

    private boolean hasHeader(String name) {
        return headerLines.stream().anyMatch(l -> l.substring(0, l.indexOf(':')).strip().toLowerCase(Locale.ROOT)
                .equals(name));
    }

    private static String standardReason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 204 -> "No Content";
            case 206 -> "Partial Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 416 -> "Range Not Satisfiable";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    /** Pauses after every {@code bytes} written; no pause when no throttle was asked for. */
    private static final class Throttled extends OutputStream {
        private final OutputStream out;
        private final int bytes;
        private final Duration period;

        Throttled(OutputStream out, int bytes, Duration period) {
            this.out = out;
            this.bytes = bytes;
            this.period = period;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (bytes <= 0) {
                out.write(b, off, len);
                return;
            }
            for (int done = 0; done < len; ) {
                int n = Math.min(bytes, len - done);
                out.write(b, off + done, n);
                out.flush();
                done += n;
                try {
                    Thread.sleep(period);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while trickling", e);
                }
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }

    /** Lets {@code limit} bytes through (all when negative), then stops the body with {@link Reached}. */
    private static final class Limited extends OutputStream {
        static final class Reached extends IOException {
            Reached() {
                super("scripted disconnect");
            }
        }

        private final OutputStream out;
        private long left;

        Limited(OutputStream out, long limit) {
            this.out = out;
            this.left = limit < 0 ? Long.MAX_VALUE : limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int n = (int) Math.min(len, left);
            out.write(b, off, n);
            left -= n;
            if (n < len) {
                out.flush();
                throw new Reached();
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }

    private static final class Chunked extends OutputStream {
        private final OutputStream out;

        Chunked(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b, off, len);
            out.write(CRLF);
        }

        void finish() throws IOException {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        private static final byte[] CRLF = {'\r', '\n'};
    }
}
