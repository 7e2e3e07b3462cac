package dev.sprox.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A request body handed to another thread (as the upstream client does when it streams the body to an origin)
 * has one reader at a time: when the handler answers before the upload is done, the connection does not read
 * the rest itself while that thread still does, and it closes rather than reuse a connection whose body it
 * does not own.
 */
class LentBodyTest {
    private static final int LENGTH = 20_000;
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Bytes no stretch of which repeats within the body, so any gap in what a reader got shows. */
    private static byte[] body() {
        byte[] body = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            body[i] = (byte) ('a' + (i * 7 + i / 26) % 26);
        }
        return body;
    }

    @Test
    void aBorrowedBodyIsNeverReadByTheConnectionAtTheSameTime() throws Exception {
        byte[] body = body();
        RawResponse lent;
        boolean closedByServer;
        try (RawClient client = server.connect()) {
            var request = new ByteArrayOutputStream();
            request.writeBytes(("POST /lend HTTP/1.1\r\nHost: test\r\nContent-Length: " + LENGTH + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(body);
            request.writeBytes("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            client.send(request.toByteArray());
            lent = client.read();
            closedByServer = client.readToEnd().length == 0;
        }
        TestServer.Borrowed borrowed = TestServer.BORROWED.get();
        assertTrue(borrowed.done.await(10, TimeUnit.SECONDS));
        byte[] read = borrowed.read();

        // The borrower got the body's beginning without gaps, and either all of it or an error: never a clean
        // end of stream after a part, which is what it saw when the connection drained the rest itself.
        assertArrayEquals(Arrays.copyOf(body, read.length), read);
        assertTrue(read.length == LENGTH || borrowed.failure != null,
                () -> "the borrower read " + read.length + " of " + LENGTH + " bytes and then a clean end");
        assertEquals("lent\n", lent.bodyText());
        assertTrue(lent.hasToken("Connection", "close"), lent::toString);
        assertTrue(closedByServer, "the pipelined request must not be answered on this connection");
        server.assertStillServes();
    }
}
