package dev.sprox.http2;

import dev.sprox.http.HttpStatus;
import dev.sprox.http.RequestHead;
import dev.sprox.http.RequestRejected;
import dev.sprox.http.Response;
import dev.sprox.http.ResponseBody;
import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;

/**
 * One request stream on its own virtual thread: the server's handler answers it, as it answers HTTP/1.1, then the response goes
 * out as HEADERS and DATA frames. HEAD, 204 and 304 end with the HEADERS frame (RFC 9110 §6.4.1).
 */
final class Http2Stream implements Runnable {
    private final Http2Connection connection;
    private final int id;
    private final long startNanos = System.nanoTime();
    private final SendWindow sendWindow;
    private final StreamBody body;
    /** Null when the request was refused before reaching the handler; then {@link #refusal} is set. */
    private final RequestHead head;
    private final RequestRejected refusal;
    private final OptionalLong declaredLength;
    /** DATA octets received, for the content-length check (§8.1.1); the reading thread's alone. */
    private long dataReceived;
    /** We sent RST_STREAM for this stream. */
    private final java.util.concurrent.atomic.AtomicBoolean resetSent = new java.util.concurrent.atomic.AtomicBoolean();
    /** Reset by either side, or the connection ended: nothing more may be written. */
    private volatile boolean stopped;

    Http2Stream(Http2Connection connection, int id, long initialSendWindow, StreamBody body, RequestHead head,
                OptionalLong declaredLength, RequestRejected refusal) {
        this.connection = connection;
        this.id = id;
        this.sendWindow = new SendWindow(initialSendWindow);
        this.body = body;
        this.head = head;
        this.declaredLength = declaredLength;
        this.refusal = refusal;
    }

    int id() {
        return id;
    }

    SendWindow sendWindow() {
        return sendWindow;
    }

    StreamBody body() {
        return body;
    }

    /** A DATA frame for this stream, from the reading thread. */
    void data(Frame.Data data) throws Http2Exception {
        dataReceived += data.payload().length;
        if (declaredLength.isPresent() && dataReceived > declaredLength.getAsLong()) {
            connection.released(data.flowControlledLength());
            throw Http2Exception.stream(ErrorCode.PROTOCOL_ERROR, id, "more DATA than content-length");
        }
        body.offer(data.payload(), data.flowControlledLength());
        if (data.endStream()) {
            remoteEnded();
        }
    }

    /** END_STREAM arrived, on DATA or on trailers: the body is complete, and must be as long as declared. */
    void remoteEnded() throws Http2Exception {
        if (declaredLength.isPresent() && dataReceived != declaredLength.getAsLong()) {
            throw Http2Exception.stream(ErrorCode.PROTOCOL_ERROR, id, "DATA shorter than content-length");
        }
        body.end();
    }

    /** The client reset the stream: §5.4.2, no RST_STREAM may answer that. */
    private volatile boolean resetByPeer;

    /**
     * Marks the stream reset by us; true for the first caller only, so one RST_STREAM goes out, with the first
     * cause.
     */
    boolean markReset() {
        return resetSent.compareAndSet(false, true);
    }

    void resetByPeer(String why) {
        resetByPeer = true;
        stop(why);
    }

    /** Whether our side may still reset the stream: neither side has done so yet. */
    boolean mayReset() {
        return !resetByPeer && markReset();
    }

    /** After a reset by either side, or the end of the connection: writes stop, the body fails. */
    void stop(String why) {
        stopped = true;
        sendWindow.abandon();
        body.fail(new IOException(why));
    }

    void requireOpen() throws IOException {
        if (stopped) {
            throw new IOException("stream " + id + " was reset");
        }
    }

    @Override
    public void run() {
        try {
            Response response = refusal != null
                    ? connection.server().rejected(head, refusal, startNanos)
                    : connection.server().handle(head, body, startNanos);
            respond(response);
        } finally {
            connection.streamFinished(this);
        }
    }

    private void respond(Response response) {
        int status = response.status();
        ResponseBody content = response.body();
        boolean bodyAllowed = !HttpStatus.forbidsBody(status);
        boolean sendBody = bodyAllowed && (head == null || !head.isHead()) && content.length() != 0;
        long length = content.length();
        long declared = bodyAllowed && length != ResponseBody.UNKNOWN_LENGTH && status != 204 ? length : -1;
        StreamOutput out = null;
        long sent = 0;
        try {
            requireOpen();
            List<HeaderField> fields = ResponseFields.of(response, declared);
            if (sendBody && content instanceof ResponseBody.Bytes small
                    && connection.sendWhole(this, fields, small.data())) {
                sent = small.data().length; // the common small answer: one write, one flush
            } else {
                connection.output().headers(id, fields, !sendBody);
                if (sendBody) {
                    out = connection.streamOutput(this, declared);
                    if (content instanceof ResponseBody.Bytes bytes) {
                        out.writeWhole(bytes.data());
                    } else {
                        if (content instanceof ResponseBody.Streamed streamed) {
                            streamed.writer().writeTo(out);
                        }
                        if (length != ResponseBody.UNKNOWN_LENGTH && out.count() != length) {
                            throw new IOException("response body of " + out.count() + " octets, " + length
                                    + " declared");
                        }
                        out.finish();
                    }
                    sent = out.count();
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            connection.abandon(this, e instanceof StreamOutput.SendStalled ? ErrorCode.CANCEL : ErrorCode.INTERNAL_ERROR);
            response.onWritten().accept(new Response.Outcome(status, out == null ? sent : out.count(), body.received(), e));
            if (e instanceof Error error) {
                throw error;
            }
            return;
        }
        connection.answered(this);
        response.onWritten().accept(new Response.Outcome(status, sent, body.received(), null));
    }
}
