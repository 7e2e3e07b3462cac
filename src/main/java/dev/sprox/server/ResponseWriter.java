package dev.sprox.server;

import dev.sprox.http.Headers;
import dev.sprox.http.HttpDate;
import dev.sprox.http.HttpStatus;
import dev.sprox.http.RequestHead;
import dev.sprox.http.Response;
import dev.sprox.http.ResponseBody;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;

/**
 * Writes a {@link Response} in HTTP/1.1 framing. Framing headers are ours alone: a body of known length gets
 * {@code Content-Length}, an unknown one is chunked (or, for HTTP/1.0, ends with the connection), and HEAD,
 * 1xx, 204 and 304 never carry a body.
 */
final class ResponseWriter {
    /** Written by the server alone, whatever a handler or an origin said. */
    private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding", "connection",
            "keep-alive", "date", "server", "x-content-type-options");

    private ResponseWriter() {}

    /** What was written: body bytes, and whether the connection may carry another request. */
    record Written(long bodyBytes, boolean keepAlive) {}

    /** Writing stopped part-way: the peer went away, or the body's source failed. */
    static final class WriteFailed extends Exception {
        private final long bodyBytes;

        WriteFailed(long bodyBytes, Throwable cause) {
            super(cause.getMessage(), cause, false, false);
            this.bodyBytes = bodyBytes;
        }

        long bodyBytes() {
            return bodyBytes;
        }

        IOException ioCause() {
            return getCause() instanceof IOException io ? io : new IOException(getCause());
        }
    }

    /** @param request the request answered, or null when the request could not even be parsed */
    static Written write(ResponseBuffer out, Response response, RequestHead request, boolean keepAlive)
            throws WriteFailed {
        int status = response.status();
        ResponseBody body = response.body();
        boolean bodyAllowed = !HttpStatus.forbidsBody(status);
        boolean sendBody = bodyAllowed && (request == null || !request.isHead());
        boolean http10 = request != null && !request.isHttp11();
        long length = body.length();
        boolean chunked = sendBody && length == ResponseBody.UNKNOWN_LENGTH && !http10;
        boolean closeDelimited = sendBody && length == ResponseBody.UNKNOWN_LENGTH && http10;
        boolean keep = keepAlive && !closeDelimited;

        var head = new StringBuilder(256);
        head.append("HTTP/1.1 ").append(status).append(' ').append(HttpStatus.reason(status)).append("\r\n");
        // nosniff on every answer: a browser must never guess a type and run a proxied body as script.
        head.append("Date: ").append(HttpDate.now()).append("\r\nServer: sprox\r\nX-Content-Type-Options: nosniff\r\n");
        for (Headers.Field field : response.headers().fields()) {
            if (!FRAMING.contains(field.name().toLowerCase(java.util.Locale.ROOT))) {
                head.append(field.name()).append(": ").append(field.value()).append("\r\n");
            }
        }
        if (bodyAllowed && length != ResponseBody.UNKNOWN_LENGTH && status != 204) {
            head.append("Content-Length: ").append(length).append("\r\n");
        }
        if (chunked) {
            head.append("Transfer-Encoding: chunked\r\n");
        }
        if (!keep) {
            head.append("Connection: close\r\n");
        } else if (http10) {
            head.append("Connection: keep-alive\r\n");
        }
        head.append("\r\n");
        try {
            // One buffer for the head and a body in hand, so that a small answer goes out in one write.
            out.expect(head.length() + (sendBody && body instanceof ResponseBody.Bytes b ? b.data().length : 0));
            out.writeLatin1(head);
        } catch (IOException e) {
            throw new WriteFailed(0, e);
        }
        if (!sendBody) {
            return new Written(0, keep);
        }
        return new Written(writeBody(out, body, chunked), keep);
    }

    private static long writeBody(OutputStream out, ResponseBody body, boolean chunked) throws WriteFailed {
        var counted = new CountingOutputStream(chunked ? new ChunkedOutputStream(out) : out, body.length());
        try {
            switch (body) {
                case ResponseBody.Empty e -> { }
                case ResponseBody.Bytes b -> counted.write(b.data(), 0, b.data().length);
                case ResponseBody.Streamed s -> s.writer().writeTo(counted);
            }
            counted.checkComplete();
            if (chunked) {
                ((ChunkedOutputStream) counted.target()).finish();
            }
            return counted.count();
        } catch (IOException | RuntimeException e) {
            throw new WriteFailed(counted.count(), e);
        }
    }
}
